import "server-only";
import { getConfig } from "./config";
import { logger } from "./logger";
import { startHealthScheduler } from "./tenants/health-scheduler";
import { startSyncEngine } from "./incidents/sync-engine";

type Service = { stop: () => Promise<void> };
const holder = globalThis as unknown as { portalBackground?: Service[] };

/**
 * Long-running work of this process: tenant health checks (and incident sync). Runs in the web
 * process in the embedded default, or in `npm run worker` when PORTAL_SYNC_MODE=worker.
 */
export function startBackgroundServices(options: { role: "web" | "worker" }): void {
  if (holder.portalBackground) return;
  const config = getConfig();
  if (options.role === "web" && config.syncMode === "worker") {
    logger().info({ event: "background.skipped" }, "sync and health checks run in the worker process");
    holder.portalBackground = [];
    return;
  }
  holder.portalBackground = [startHealthScheduler(), startSyncEngine({ exclusiveStore: config.database.kind === "pglite" })];
  logger().info({ event: "background.started", role: options.role }, "background services started");
}

export async function stopBackgroundServices(): Promise<void> {
  const services = holder.portalBackground ?? [];
  holder.portalBackground = undefined;
  await Promise.all(services.map((service) => service.stop()));
}
