import "server-only";
import type { PrismaClient } from "../../prisma/generated/client/client";
import { getConfig, getDb, logger } from "../services";
import { NotificationDeliverer, type DeliverySettings, type RoundResult } from "./notification-delivery";
import { scanServiceLevelEvents } from "./sla-scan";

/**
 * The background side of notifications, in the web process (embedded) or the worker: delivers the
 * outbox every couple of seconds and scans service-level due times every minute. Several processes
 * may run it at once: claims and the outbox's unique key keep each message single.
 */
export type NotificationService = { stop: () => Promise<void>; runOnce: (now?: Date) => Promise<RoundResult> };

export function startNotificationService(
  options: { prisma?: PrismaClient; tickMs?: number; scanEveryMs?: number; loop?: boolean } & Partial<Omit<DeliverySettings, "prisma">> = {},
): NotificationService {
  const tickMs = options.tickMs ?? 2_000;
  const scanEveryMs = options.scanEveryMs ?? 60_000;
  let stopped = false;
  let running: Promise<unknown> | undefined;
  let lastScan = 0;
  const deliverer = (async () => {
    const config = getConfig();
    return new NotificationDeliverer({
      key: config.notifications.secretKey,
      portalUrl: config.auth.url,
      msspName: config.mssp.name,
      allowLoopbackHttp: config.notifications.allowLoopbackHttp,
      log: (level, event, message) => logger()[level](event, message),
      ...options,
      prisma: options.prisma ?? (await getDb()),
    });
  })();

  async function tick(now = new Date()): Promise<RoundResult> {
    const instance = await deliverer;
    if (now.getTime() - lastScan >= scanEveryMs) {
      lastScan = now.getTime();
      const enqueued = await scanServiceLevelEvents((options.prisma ?? (await getDb())) as PrismaClient, { now }).catch((error: unknown) => {
        logger().error({ event: "notification.sla_scan_failed", err: error }, "service-level scan failed");
        return 0;
      });
      if (enqueued > 0) logger().info({ event: "notification.sla_enqueued", count: enqueued }, "service-level notifications enqueued");
    }
    const total: RoundResult = { delivered: 0, retried: 0, dead: 0 };
    // A full round means more is waiting (a burst): go on at once instead of waiting for the next tick.
    for (let round = 0; round < 50 && !stopped; round++) {
      const result = await instance.runOnce(round === 0 ? now : new Date());
      for (const key of ["delivered", "retried", "dead"] as const) total[key] += result[key];
      if (result.delivered + result.retried + result.dead < instance.batchSize) break;
    }
    return total;
  }

  const timer =
    options.loop === false
      ? undefined
      : setInterval(() => {
          if (running || stopped) return;
          running = tick()
            .catch((error: unknown) => logger().error({ event: "notification.tick_failed", err: error }, "notification delivery round failed"))
            .finally(() => (running = undefined));
        }, tickMs);
  timer?.unref();

  return {
    runOnce: (now) => tick(now),
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      // A round in flight finishes: every message it sent is marked delivered before the process ends.
      await running;
    },
  };
}

/**
 * Start-up refuses a missing key once channels exist: their secrets could not be opened, and
 * nothing would be delivered without anyone noticing.
 */
export async function checkNotificationKey(prisma: PrismaClient, key: Buffer | null = getConfig().notifications.secretKey): Promise<string | null> {
  if (key) return null;
  const channels = await prisma.notificationChannel.count();
  return channels > 0
    ? `Configuration error: NOTIFICATION_SECRET_KEY is not set, but ${channels} notification channel(s) exist: set the key their secrets were sealed with (32 random bytes, openssl rand -base64 32)`
    : null;
}
