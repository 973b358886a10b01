import "server-only";
import { closeDb, logger, services } from "../services";
import { stopBackgroundServices } from "./background-services";

/**
 * One shutdown order for the web and the worker process: stop background work (running syncs
 * abort and resume later), then close the store (PGlite must flush and release its folder), then exit.
 */
export function installShutdownHandlers(): void {
  const slot = services();
  if (slot.shutdownInstalled) return;
  slot.shutdownInstalled = true;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger().info({ event: "process.stopping", signal }, "stopping");
    try {
      await stopBackgroundServices();
    } finally {
      await closeDb().catch(() => undefined);
      process.exit(0);
    }
  };
  // "on", not "once": Ctrl+C reaches the process and its launcher, so a second signal may follow.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void shutdown(signal));
}
