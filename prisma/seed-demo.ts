// Demo mode, first start: the portal already serves one customer that consented before the portal
// used Microsoft Graph (it consented to the Defender XDR API only, as the emulator's
// EMULATOR_LEGACY_CONSENT customer did), so the migration to Graph can be seen and clicked.
// Run by scripts/start.mjs in its own process: the embedded store opens in one process at a time.
import type { PrismaClient } from "./generated/client/client";
import { readConfig, type PortalConfig } from "../server/config-schema";
import { openDatabase } from "../server/database/open-database";
import { createNotificationChannel } from "../server/notifications/notification-channels";
import { createNotificationRule } from "../server/notifications/notification-rules";
import { NOTIFICATION_EVENT_KINDS } from "../server/notifications/notification-event";

export const DEMO_LEGACY_TENANT = { id: "4f1b3e7c-65a8-4dae-8c9b-1a5d7e3f6ca5", displayName: "Litware Legal" };

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const db = await openDatabase(config.database);
  try {
    await seedDemoNotifications(db.prisma, config);
    const onboardedAt = new Date(Date.UTC(2025, 8, 15, 9, 30));
    // Only on a fresh store: once staff changed anything, the demo is theirs.
    const anyTenant = await db.prisma.tenant.count();
    if (anyTenant > 0) return;
    await db.prisma.tenant.create({
      data: {
        id: DEMO_LEGACY_TENANT.id,
        displayName: DEMO_LEGACY_TENANT.displayName,
        requiredAccess: "read_write",
        status: "graph_consent_needed",
        statusChangedAt: onboardedAt,
        grantedRoles: [],
        legacyRoles: ["Incident.Read.All", "Incident.ReadWrite.All"],
        incidentSource: "defender",
        onboardedAt,
        onboardedByName: "Demo seed (onboarded before Microsoft Graph)",
        lastVerifiedAt: onboardedAt,
        // Verified again right away, as the portal does after an upgrade.
        nextVerifyAt: new Date(),
      },
    });
    await db.prisma.auditEvent.create({
      data: {
        actorType: "system",
        actorName: "demo seed",
        action: "tenant.onboarded",
        outcome: "success",
        tenantId: DEMO_LEGACY_TENANT.id,
        reason: `${DEMO_LEGACY_TENANT.displayName}: consented to the Defender XDR API before the portal used Microsoft Graph`,
        occurredAt: onboardedAt,
      },
    });
    console.log(`Demo: ${DEMO_LEGACY_TENANT.displayName} is onboarded through the retiring Defender XDR API (see Tenants).`);
  } finally {
    await db.close();
  }
}

/**
 * One channel of each kind pointing at the emulator's notification sink, and a rule sending High and
 * Medium incidents' events to all four, so a newcomer sees a notification arrive. Once only: after
 * that (or after anyone changed a channel) the demo's notifications are the staff's.
 */
async function seedDemoNotifications(prisma: PrismaClient, config: PortalConfig): Promise<void> {
  const sinkUrl = process.env.DEMO_SINK_URL;
  const smtpPort = Number(process.env.DEMO_SINK_SMTP_PORT);
  if (!sinkUrl || !Number.isInteger(smtpPort) || smtpPort <= 0) return;
  const touched = await prisma.auditEvent.count({ where: { action: { in: ["notification.channel_changed", "notification.rule_changed"] } } });
  if (touched > 0 || (await prisma.notificationChannel.count()) > 0) return;
  const common = { key: config.notifications.secretKey, allowLoopbackHttp: config.notifications.allowLoopbackHttp, byName: "Demo seed" };
  const channels = [
    await createNotificationChannel(prisma, { ...common, channel: { kind: "teams", name: "Teams: SOC channel (demo sink)", url: `${sinkUrl}/teams` } }),
    await createNotificationChannel(prisma, { ...common, channel: { kind: "slack", name: "Slack: #soc-alerts (demo sink)", url: `${sinkUrl}/slack` } }),
    await createNotificationChannel(prisma, { ...common, channel: { kind: "webhook", name: "SOAR webhook (demo sink)", url: `${sinkUrl}/webhook` } }),
    await createNotificationChannel(prisma, {
      ...common,
      channel: {
        kind: "email",
        name: "SOC mailbox (demo sink)",
        email: {
          host: "127.0.0.1",
          port: smtpPort,
          security: "none",
          username: null,
          from: "portal@northwindcyber.example",
          to: ["soc@northwindcyber.example"],
        },
        password: null,
      },
    }),
  ];
  await createNotificationRule(prisma, {
    rule: {
      name: "High and Medium incidents (demo)",
      tenantIds: [],
      minSeverityRank: 3,
      events: [...NOTIFICATION_EVENT_KINDS],
      channelIds: channels.map((c) => c.id),
    },
    byName: "Demo seed",
  });
  await prisma.auditEvent.create({
    data: {
      actorType: "system",
      actorName: "demo seed",
      action: "notification.channel_changed",
      outcome: "success",
      reason: `created four channels pointing at the demo's notification sink (${sinkUrl}) and one rule`,
    },
  });
  console.log(`Demo: notifications of High and Medium incidents go to the local sink, ${sinkUrl}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
