import "server-only";
import { getConfig, logger, services } from "../services";
import { startHealthScheduler } from "../tenants/health-scheduler";
import { startSyncEngine } from "../incidents/sync-engine";
import { startNotificationService } from "../notifications/notification-service";
import { checkNotificationKeyAtStartup } from "./startup-check";

/**
 * Long-running work of this process: tenant health checks, incident sync and notification delivery.
 * Runs in the web process in the embedded default, or in `npm run worker` when PORTAL_SYNC_MODE=worker.
 */
export function startBackgroundServices(options: { role: "web" | "worker" }): void {
  const slot = services();
  if (slot.background) return;
  const config = getConfig();
  void checkNotificationKeyAtStartup();
  if (options.role === "web" && config.syncMode === "worker") {
    logger().info({ event: "background.skipped" }, "sync and health checks run in the worker process");
    slot.background = [];
    return;
  }
  // Notifications: the outbox's delivery and the service-level scan (several processes may run them).
  slot.background = [startHealthScheduler(), startSyncEngine({ exclusiveStore: config.database.kind === "pglite" }), startNotificationService()];
  logger().info({ event: "background.started", role: options.role }, "background services started");
}

export async function stopBackgroundServices(): Promise<void> {
  const slot = services();
  const running = slot.background ?? [];
  slot.background = undefined;
  await Promise.all(running.map((service) => service.stop()));
}
