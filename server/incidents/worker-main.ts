// Entry of the worker process (scripts/worker.mjs): the same background services the web process
// embeds by default (incident sync, tenant health checks), stopped cleanly on SIGTERM/SIGINT.
import "server-only";
import { checkConfigAtStartup } from "../startup-check";
import { closeDb, getDb } from "../db";
import { logger } from "../logger";
import { startBackgroundServices, stopBackgroundServices } from "../background-services";

const SIGNALS = ["SIGTERM", "SIGINT"] as const;

async function main(): Promise<void> {
  checkConfigAtStartup();
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  await getDb();
  // db.ts closes the database on a signal at once; here the engine must stop first, so this
  // process owns the shutdown order: engine, then database, then exit.
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
  }
  startBackgroundServices({ role: "worker" });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger().info({ event: "worker.stopping", signal }, "incident sync worker stopping");
    try {
      await stopBackgroundServices();
    } finally {
      await closeDb();
      logger().info({ event: "worker.stopped" }, "incident sync worker stopped");
      process.exit(0);
    }
  };
  // "on", not "once": Ctrl+C signals the worker and its launcher, so a second signal may follow.
  for (const signal of SIGNALS) process.on(signal, () => void shutdown(signal));
  logger().info({ event: "worker.started" }, "incident sync worker started");
}

main().catch((error: unknown) => {
  logger().fatal({ event: "worker.start_failed", message: error instanceof Error ? error.message : String(error) }, "incident sync worker could not start");
  process.exit(1);
});
