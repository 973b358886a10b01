import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/prisma/generated/client/client";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import { GraphSecurityClient } from "@/server/microsoft/graph-security-client";
import { TokenBroker } from "@/server/microsoft/token-broker";
import { acquireSyncLease, ensureSyncStates } from "@/server/incidents/sync-lease";
import { syncTenantFromGraph } from "@/server/incidents/sync-graph";
import { openDatabase } from "@/server/database/open-database";
import { createNotificationChannel, loadChannelForSend } from "@/server/notifications/notification-channels";
import { createNotificationRule } from "@/server/notifications/notification-rules";
import { NotificationDeliverer, type DeliverySettings } from "@/server/notifications/notification-delivery";
import { NOTIFICATION_EVENT_KINDS } from "@/server/notifications/notification-event";
import { scanServiceLevelEvents } from "@/server/notifications/sla-scan";
import { checkNotificationKey } from "@/server/notifications/notification-service";
import { verifyWebhookSignature } from "@/server/notifications/webhook-signature";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "../support/test-database";
import { control, startTestEmulator } from "../support/test-emulator";
import { startSmtpReceiver, startWebhookReceiver, type ReceivedRequest } from "../support/notification-receivers";

const CONTOSO = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";
const GRAPH = "https://graph.microsoft.com";
const PORTAL = "https://portal.example.com";
const SMTP_PASSWORD = "smtp-password-never-in-clear-4711";
const HOSTILE_NAME = "Ransomware <b>on</b> *FS01* <!channel> [click](https://evil.example)";

type EmulatorIncident = { incidentId: number; severity: string; status: string };

describe.each(testDatabaseKinds())("notifications on %s", (kind) => {
  let emulator: EmulatorHandle;
  let db: TestDatabase;
  let prisma: PrismaClient;
  let graph: GraphSecurityClient;
  let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let signingSecret: string;
  const key = randomBytes(32);
  const channelIds: Record<string, string> = {};

  const deliverer = (overrides: Partial<DeliverySettings> = {}) =>
    new NotificationDeliverer({
      prisma,
      key,
      portalUrl: PORTAL,
      msspName: "Northwind Cyber Defense",
      allowLoopbackHttp: true,
      // Far above what a local receiver takes on a loaded machine: no answer is given up on and sent
      // again, so "attempts: 1" counts what the product did, not how slow the machine was.
      timeoutMs: 60_000,
      backoff: { baseMs: 10_000, maxMs: 60_000 },
      ...overrides,
    });
  const sync = () => syncTenantFromGraph({ prisma, graph }, { tenantId: CONTOSO, ownerId: "test", leaseMs: 60_000 });
  const addIncident = async (fields: Record<string, unknown>) =>
    (await control<EmulatorIncident[]>(emulator, "POST", `/tenants/${CONTOSO}/incidents`, { incident: fields }))[0]!;
  const outbox = (where: Parameters<PrismaClient["notificationOutbox"]["findMany"]>[0] = {}) =>
    prisma.notificationOutbox.findMany({ ...where, orderBy: { createdAt: "asc" } });
  const hooksFor = (path: string, incidentId?: number): ReceivedRequest[] =>
    hooks.received.filter((r) => r.path === path && (incidentId === undefined || new RegExp(`/${CONTOSO}/${incidentId}(?!\\d)`).test(r.body)));

  beforeAll(async () => {
    [emulator, db, hooks, smtp] = await Promise.all([
      startTestEmulator({ incidentCounts: { [CONTOSO]: 3 } }),
      createTestDatabase(kind),
      startWebhookReceiver(),
      startSmtpReceiver({ user: "portal", pass: SMTP_PASSWORD }),
    ]);
    prisma = db.database.prisma;
    await control(emulator, "POST", `/tenants/${CONTOSO}/consent`, {});
    const broker = new TokenBroker({
      clientId: emulator.clientId,
      credential: { kind: "secret", secret: emulator.clientSecret },
      authorityHost: emulator.authorityHost,
    });
    graph = new GraphSecurityClient({
      apiUrl: emulator.graphApiUrl,
      tokens: broker.forResource(GRAPH),
      timeoutMs: 30_000,
      backoff: { baseMs: 20, maxMs: 200 },
    });
    await prisma.tenant.create({
      data: {
        id: CONTOSO,
        displayName: "Contoso <Manufacturing>",
        requiredAccess: "read_write",
        status: "active",
        grantedRoles: ["SecurityIncident.ReadWrite.All"],
        incidentSource: "graph",
      },
    });
    await ensureSyncStates(prisma, [CONTOSO]);
    expect(await acquireSyncLease(prisma, { tenantId: CONTOSO, ownerId: "test", leaseMs: 600_000, now: new Date() })).toBe(true);

    const create = (channel: Parameters<typeof createNotificationChannel>[1]["channel"]) =>
      createNotificationChannel(prisma, { channel, key, allowLoopbackHttp: true, byName: "Amelia Adams" });
    const webhook = await create({ kind: "webhook", name: "SOAR", url: hooks.url("/webhook") });
    signingSecret = webhook.signingSecret!;
    channelIds.webhook = webhook.id;
    channelIds.slack = (await create({ kind: "slack", name: "Slack #soc", url: hooks.url("/slack") })).id;
    channelIds.teams = (await create({ kind: "teams", name: "Teams SOC", url: hooks.url("/teams") })).id;
    channelIds.email = (
      await create({
        kind: "email",
        name: "SOC mailbox",
        email: { host: "127.0.0.1", port: smtp.port, security: "none", username: "portal", from: "portal@northwind.example", to: ["soc@northwind.example"] },
        password: SMTP_PASSWORD,
      })
    ).id;
    await createNotificationRule(prisma, {
      rule: { name: "Everything", tenantIds: [], minSeverityRank: 0, events: [...NOTIFICATION_EVENT_KINDS], channelIds: Object.values(channelIds) },
      byName: "Amelia Adams",
    });
  });
  afterAll(async () => {
    await Promise.all([emulator?.stop(), db?.drop(), hooks?.stop(), smtp?.stop()]);
  });

  it("stays quiet during the first backfill; then a new incident is one message per channel, signed and linked, and not again after a restart", async () => {
    await sync();
    expect(await prisma.incident.count({ where: { tenantId: CONTOSO } })).toBe(3);
    expect(await outbox()).toEqual([]);

    const incident = await addIncident({ severity: "High", incidentName: HOSTILE_NAME });
    await sync();
    const rows = await outbox();
    expect(rows.map((r) => [r.kind, r.incidentId])).toEqual(Array(4).fill(["new_incident", BigInt(incident.incidentId)]));

    expect(await deliverer().runOnce()).toEqual({ delivered: 4, retried: 0, dead: 0 });
    const [webhook] = hooksFor("/webhook", incident.incidentId);
    expect(webhook).toBeDefined();
    const body = JSON.parse(webhook!.body) as { schema: string; event: string; id: string; incident: { url: string; name: string }; tenant: { name: string } };
    expect([body.schema, body.event, body.incident.url, body.incident.name, body.tenant.name]).toEqual([
      "mssp-portal.notification/v1",
      "incident.created",
      `${PORTAL}/incidents/${CONTOSO}/${incident.incidentId}`,
      HOSTILE_NAME,
      "Contoso <Manufacturing>",
    ]);
    const signed = {
      secret: signingSecret,
      timestamp: webhook!.headers["x-portal-timestamp"] as string,
      signature: webhook!.headers["x-portal-signature"] as string,
    };
    expect(verifyWebhookSignature({ ...signed, body: webhook!.body, now: new Date() })).toBe(true);
    expect(verifyWebhookSignature({ ...signed, body: webhook!.body.replace("High", "Low"), now: new Date() })).toBe(false);
    expect(verifyWebhookSignature({ ...signed, secret: "another secret", body: webhook!.body, now: new Date() })).toBe(false);
    // A replay ten minutes later is refused by its timestamp.
    expect(verifyWebhookSignature({ ...signed, body: webhook!.body, now: new Date(Date.now() + 600_000) })).toBe(false);
    expect(webhook!.headers["x-portal-delivery"]).toBe(body.id);

    // Customer strings cannot mention @channel in Slack or format the Teams card.
    // (Slack reads mentions and links only in mrkdwn text; the header block is plain_text, shown as typed.)
    const slack = JSON.parse(hooksFor("/slack", incident.incidentId)[0]!.body) as { text: string; blocks: { fields?: { text: string }[] }[] };
    const mrkdwn = [slack.text, ...slack.blocks.flatMap((block) => (block.fields ?? []).map((field) => field.text))].join("\n");
    expect(mrkdwn).toContain("&lt;!channel&gt;");
    expect(mrkdwn).not.toContain("<!channel>");
    expect(slack.text).toContain(`<${PORTAL}/incidents/${CONTOSO}/${incident.incidentId}|Open in the portal>`);
    const teams = JSON.parse(hooksFor("/teams", incident.incidentId)[0]!.body) as {
      attachments: { contentType: string; content: { actions: { url: string }[] } }[];
    };
    expect(teams.attachments[0]!.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(teams.attachments[0]!.content.actions[0]!.url).toBe(`${PORTAL}/incidents/${CONTOSO}/${incident.incidentId}`);
    expect(hooksFor("/teams", incident.incidentId)[0]!.body).toContain("\\\\*FS01\\\\*");

    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({ to: ["soc@northwind.example"], user: "portal" });
    expect(smtp.mails[0]!.data).toContain(`X-Portal-Delivery: ${rows.find((r) => r.channelId === channelIds.email)!.id}`);
    expect(smtp.mails[0]!.data.replace(/=\r?\n/g, "")).toContain("&lt;b&gt;on&lt;/b&gt;");

    // A restart: a new delivery loop (another process's, after this one stopped) and another sync send nothing again.
    expect(await deliverer({ ownerId: "after-restart" }).runOnce()).toEqual({ delivered: 0, retried: 0, dead: 0 });
    await sync();
    expect(await deliverer({ ownerId: "after-restart" }).runOnce()).toEqual({ delivered: 0, retried: 0, dead: 0 });
    expect(hooksFor("/webhook", incident.incidentId)).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
    expect((await outbox()).every((r) => r.state === "delivered" && r.attempts === 1)).toBe(true);
  });

  it("delivers each message once with two delivery loops on one database", { timeout: 180_000 }, async () => {
    const before = hooks.received.length;
    for (let i = 0; i < 4; i++) await addIncident({ severity: "Medium", incidentName: `Burst ${i}` });
    await sync();
    const pending = await outbox({ where: { state: "pending" } });
    expect(pending).toHaveLength(16);
    // On PostgreSQL the second loop has its own connection pool, as another process would.
    const other = kind === "postgres" ? await openDatabase(db.config) : null;
    try {
      const a = deliverer({ ownerId: "process-a", batch: 5 });
      const b = deliverer({ ownerId: "process-b", batch: 5, prisma: other?.prisma ?? prisma });
      // Rounds until nothing is pending (each round sends up to 10; a deadline, not a round count, bounds it).
      for (const deadline = Date.now() + 120_000; (await prisma.notificationOutbox.count({ where: { state: "pending" } })) > 0;) {
        if (Date.now() > deadline) throw new Error("messages still pending after 120 s");
        await Promise.all([a.runOnce(), b.runOnce()]);
      }
    } finally {
      await other?.close();
    }
    const ids = hooks.received.slice(before).map((r) => r.headers["x-portal-delivery"]);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    expect(smtp.mails.length).toBe(5);
    expect(await prisma.notificationOutbox.count({ where: { state: "delivered", attempts: 1 } })).toBe(20);
  });

  it("retries a channel answering 500 with backoff until it succeeds, and gives up after the maximum attempts", async () => {
    hooks.answer((request, count) => (request.path === "/webhook" && count <= 2 ? 500 : request.path === "/slack" ? 503 : 200));
    try {
      const incident = await addIncident({ severity: "High", incidentName: "Retry me" });
      await sync();
      const t0 = new Date();
      const loop = deliverer({ maxAttempts: 3 });
      expect(await loop.runOnce(t0)).toEqual({ delivered: 2, retried: 2, dead: 0 });
      const webhookRow = (await outbox({ where: { channelId: channelIds.webhook, incidentId: BigInt(incident.incidentId) } }))[0]!;
      expect(webhookRow).toMatchObject({ state: "pending", attempts: 1, lastError: "the channel answered HTTP 500", lastStatusCode: 500 });
      expect(webhookRow.nextAttemptAt.getTime()).toBeGreaterThan(t0.getTime() + 5_000);
      // Not due yet: nothing is sent.
      expect(await loop.runOnce(new Date(t0.getTime() + 1_000))).toEqual({ delivered: 0, retried: 0, dead: 0 });
      expect(await loop.runOnce(new Date(t0.getTime() + 15_000))).toEqual({ delivered: 0, retried: 2, dead: 0 });
      expect(await loop.runOnce(new Date(t0.getTime() + 60_000))).toEqual({ delivered: 1, retried: 0, dead: 1 });
      const attempts = hooksFor("/webhook", incident.incidentId);
      expect(attempts).toHaveLength(3);
      expect(new Set(attempts.map((r) => r.headers["x-portal-delivery"])).size).toBe(1);
      const [delivered] = await outbox({ where: { channelId: channelIds.webhook, incidentId: BigInt(incident.incidentId) } });
      expect(delivered).toMatchObject({ state: "delivered", attempts: 3 });
      const [dead] = await outbox({ where: { channelId: channelIds.slack, incidentId: BigInt(incident.incidentId) } });
      expect(dead).toMatchObject({ state: "dead", attempts: 3, lastError: "the channel answered HTTP 503" });
      expect(await loop.runOnce(new Date(t0.getTime() + 3_600_000))).toEqual({ delivered: 0, retried: 0, dead: 0 });
    } finally {
      hooks.answer(() => 200);
    }
  });

  it("leaves a message claimed by a process that died alone until its claim expires, then sends it (same delivery id)", async () => {
    const incident = await addIncident({ severity: "High", incidentName: "Claimed by the dead" });
    await sync();
    const t0 = new Date();
    // Another process claimed every message of this incident, then died before marking any.
    await prisma.notificationOutbox.updateMany({
      where: { incidentId: BigInt(incident.incidentId), state: "pending" },
      data: { claimedBy: "dead-process", claimedUntil: new Date(t0.getTime() + 120_000), attempts: 1 },
    });
    expect(await deliverer().runOnce(t0)).toEqual({ delivered: 0, retried: 0, dead: 0 });
    expect(await deliverer().runOnce(new Date(t0.getTime() + 121_000))).toEqual({ delivered: 4, retried: 0, dead: 0 });
    const rows = await outbox({ where: { incidentId: BigInt(incident.incidentId) } });
    expect(rows.every((r) => r.state === "delivered" && r.attempts === 2)).toBe(true);
    const webhookRow = rows.find((r) => r.channelId === channelIds.webhook)!;
    expect(hooksFor("/webhook", incident.incidentId).map((r) => r.headers["x-portal-delivery"])).toEqual([webhookRow.id]);
  });

  it("tells severity raised, changes made in Defender and reopening apart, and folds a burst of changes into one message", async () => {
    const incident = await addIncident({ severity: "Low", incidentName: "Changes" });
    await sync();
    await deliverer().runOnce();
    const id = BigInt(incident.incidentId);
    const patch = (fields: Record<string, unknown>) => control(emulator, "PATCH", `/tenants/${CONTOSO}/incidents/${incident.incidentId}`, fields);

    await patch({ severity: "High" });
    await sync();
    await patch({ assignedTo: "someone@contoso.example" });
    await sync();
    const kinds = (await outbox({ where: { incidentId: id, channelId: channelIds.webhook } })).map((r) => `${r.kind} ${r.coalesced}`);
    expect(kinds.sort()).toEqual(["changed_outside 1", "new_incident 0", "severity_raised 0"]);
    await patch({ status: "Resolved", classification: "FalsePositive", determination: "Clean" });
    await sync();
    await patch({ status: "Active" });
    await sync();
    const reopened = await outbox({ where: { incidentId: id, channelId: channelIds.webhook, kind: "reopened" } });
    expect(reopened).toHaveLength(1);
    // Every change in Defender so far went into the one changed-outside message still waiting.
    expect((await outbox({ where: { incidentId: id, channelId: channelIds.webhook, kind: "changed_outside" } })).map((r) => r.coalesced)).toEqual([3]);
    // Those messages wait for the burst to end, then go once per channel.
    await deliverer().runOnce(new Date(Date.now() + 60_000));
    const events = hooksFor("/webhook", incident.incidentId).map((r) => (JSON.parse(r.body) as { event: string }).event);
    expect(events.sort()).toEqual(["incident.changed_outside", "incident.created", "incident.reopened", "incident.severity_raised"]);
  });

  it("announces a service level due within the hour and a breach once each, whichever process scans", async () => {
    const incident = await addIncident({ severity: "High", incidentName: "Clock running" });
    await sync();
    await deliverer().runOnce();
    const id = BigInt(incident.incidentId);
    const now = new Date();
    const dueAt = new Date(now.getTime() + 30 * 60_000);
    await prisma.incident.updateMany({ where: { slaNextDueAt: { lt: new Date("9999-01-01") } }, data: { slaNextDueAt: new Date("9999-12-31T00:00:00Z") } });
    await prisma.incident.update({ where: { tenantId_incidentId: { tenantId: CONTOSO, incidentId: id } }, data: { slaNextDueAt: dueAt } });
    const [first, second] = await Promise.all([scanServiceLevelEvents(prisma, { now }), scanServiceLevelEvents(prisma, { now })]);
    expect(first + second).toBe(4);
    expect(await scanServiceLevelEvents(prisma, { now })).toBe(0);
    expect(await scanServiceLevelEvents(prisma, { now: new Date(dueAt.getTime() + 60_000) })).toBe(4);
    expect(await scanServiceLevelEvents(prisma, { now: new Date(dueAt.getTime() + 120_000) })).toBe(0);
    const rows = await outbox({ where: { incidentId: id, kind: { in: ["sla_due_soon", "sla_breached"] }, channelId: channelIds.webhook } });
    expect(rows.map((r) => [r.kind, r.occurrence])).toEqual([
      ["sla_due_soon", dueAt.toISOString()],
      ["sla_breached", dueAt.toISOString()],
    ]);
  });

  it("keeps channel secrets out of the database in clear, and they open only with the key", async () => {
    const dump = JSON.stringify(await prisma.$queryRawUnsafe<unknown[]>(`SELECT row_to_json(c)::text AS row FROM notification_channel c`));
    expect(dump).not.toContain(SMTP_PASSWORD);
    expect(dump).not.toContain(signingSecret);
    expect(dump).not.toContain("/webhook");
    expect(dump).not.toContain("/slack");
    const channel = await loadChannelForSend(prisma, { channelId: channelIds.slack!, key });
    expect(channel?.secret).toEqual({ url: hooks.url("/slack") });
    await expect(loadChannelForSend(prisma, { channelId: channelIds.slack!, key: randomBytes(32) })).rejects.toThrow();
    // Start-up refuses a missing key once channels exist (their secrets could not be opened).
    expect(await checkNotificationKey(prisma, null)).toMatch(/^Configuration error: NOTIFICATION_SECRET_KEY is not set, but 4 notification channel\(s\) exist/);
    expect(await checkNotificationKey(prisma, key)).toBeNull();
    // The outbox holds what a message says, never a channel's secret.
    const outboxDump = JSON.stringify(await prisma.$queryRawUnsafe<unknown[]>(`SELECT row_to_json(o)::text AS row FROM notification_outbox o`));
    expect(outboxDump).not.toContain(SMTP_PASSWORD);
    expect(outboxDump).not.toContain(signingSecret);
  });
});
