import "server-only";
import { getDb, logger } from "../services";
import { auditCountedRefusals } from "./refusal-summary";
import { verifyTenant } from "./tenant-lifecycle";

/**
 * Re-verifies every tenant periodically (each tenant's nextVerifyAt: hours when healthy, minutes
 * after a passing failure). Token failures during sync also update health at once.
 */
export function startHealthScheduler(options: { intervalMs?: number; batch?: number } = {}): { stop: () => Promise<void> } {
  const intervalMs = options.intervalMs ?? 60_000;
  let stopped = false;
  let running: Promise<void> | undefined;

  async function tick(): Promise<void> {
    // The same minute-by-minute loop writes the counts of repeated forged consent callbacks.
    await auditCountedRefusals().catch((error: unknown) =>
      logger().error({ event: "audit.refusal_counts_failed", err: error }, "could not audit counted refusals"),
    );
    const db = await getDb();
    const due = await db.tenant.findMany({
      where: { status: { not: "offboarded" }, nextVerifyAt: { lte: new Date() } },
      select: { id: true },
      orderBy: { nextVerifyAt: "asc" },
      take: options.batch ?? 10,
    });
    for (const { id } of due) {
      if (stopped) return;
      try {
        await verifyTenant({ tenantId: id, actor: { type: "system", name: "scheduled health check" } });
      } catch (error) {
        logger().error({ event: "health.verify_failed", tenantId: id, err: error }, "scheduled verification failed");
      }
    }
  }

  const timer = setInterval(() => {
    if (running || stopped) return;
    running = tick()
      .catch((error: unknown) => logger().error({ event: "health.tick_failed", err: error }, "health tick failed"))
      .finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
