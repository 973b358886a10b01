// Entry of the worker process (scripts/worker.mjs): the same background services the web process
// embeds by default (incident sync, tenant health checks), stopped cleanly on SIGTERM/SIGINT.
import "server-only";
import { checkConfigAtStartup } from "./startup-check";
import { getDb, logger } from "../services";
import { startBackgroundServices } from "./background-services";
import { installShutdownHandlers } from "./lifecycle";

async function main(): Promise<void> {
  checkConfigAtStartup();
  await getDb(); // fail fast on an unreachable or locked database
  installShutdownHandlers();
  startBackgroundServices({ role: "worker" });
  logger().info({ event: "worker.started" }, "incident sync worker started");
}

main().catch((error: unknown) => {
  logger().fatal({ event: "worker.start_failed", err: error }, "incident sync worker could not start");
  process.exit(1);
});
