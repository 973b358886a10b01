// Child of `npm run bench`: the time from a sync page's commit to the notification's arrival at a
// webhook receiver, with the delivery loop as the portal runs it (a round every 2 s). One new
// incident per commit (samples, spaced at random so commits fall anywhere in the loop's round),
// then a page of 50 new incidents at once (until the last message arrives).
import http from "node:http";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { applyPortalEnv } from "./bench-env";
import { activeTenantRow, benchTenant } from "./bench-tenants";
import { progress, writeChildResult } from "./child-result";
import { tenantIncidentRecords } from "./incident-fixtures";
import { createScratchDatabase, type BenchDbKind } from "./scratch-database";
import { timingOf, type Timing } from "./stats";

export type NotificationBenchResult = { db: BenchDbKind; tickMs: number; samples: number; single: Timing; burst: { incidents: number; lastArrivalMs: number } };

const TICK_MS = 2_000;

async function main(): Promise<void> {
  const db = (process.env.BENCH_CHILD_DB ?? "postgres") as BenchDbKind;
  const samples = Number(process.env.BENCH_SAMPLES ?? 30);
  const scratch = await createScratchDatabase(db);
  applyPortalEnv(scratch.env);
  Object.assign(process.env, { NOTIFICATION_SECRET_KEY: randomBytes(32).toString("base64"), NOTIFICATION_ALLOW_LOOPBACK_HTTP: "1" });
  const { getDb, resetServices } = await import("../server/services");
  const { commitSyncPage } = await import("../server/incidents/sync-store");
  const { createNotificationChannel } = await import("../server/notifications/notification-channels");
  const { createNotificationRule } = await import("../server/notifications/notification-rules");
  const { startNotificationService } = await import("../server/notifications/notification-service");
  const { getConfig } = await import("../server/services");

  const arrivals = new Map<string, (at: number) => void>();
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const at = performance.now();
      const id = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { incident?: { id?: string } }).incident?.id;
      if (id) arrivals.get(id)?.(at);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  try {
    const prisma = await getDb();
    const tenant = benchTenant(0);
    await prisma.tenant.create({ data: activeTenantRow(tenant, "graph") });
    await prisma.tenantSyncState.create({
      data: { tenantId: tenant.id, backfillCompletedAt: new Date(), leaseOwner: "bench", leaseExpiresAt: new Date(Date.now() + 3_600_000) },
    });
    const config = getConfig();
    const channel = await createNotificationChannel(prisma, {
      channel: { kind: "webhook", name: "bench", url },
      key: config.notifications.secretKey,
      allowLoopbackHttp: true,
      byName: "bench",
    });
    await createNotificationRule(prisma, {
      rule: { name: "bench", tenantIds: [], minSeverityRank: 0, events: ["new_incident"], channelIds: [channel.id] },
      byName: "bench",
    });
    const burstSize = 50;
    const { records } = tenantIncidentRecords({ tenant, count: samples + 3 + burstSize, epochMs: Date.now(), syncedAt: new Date() });
    const service = startNotificationService({ prisma, tickMs: TICK_MS });
    const commit = (page: typeof records) =>
      commitSyncPage(prisma, {
        tenantId: tenant.id,
        ownerId: "bench",
        leaseMs: 3_600_000,
        records: page,
        malformed: [],
        progress: { passStartedFrom: null, passSkip: 0, passFetched: 0, cursor: null },
        now: new Date(),
      });
    const arrivalOf = (id: string) => new Promise<number>((resolve) => arrivals.set(id, resolve));

    const times: number[] = [];
    for (const [i, record] of records.slice(0, samples + 3).entries()) {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * TICK_MS));
      const arrived = arrivalOf(String(record.incident.incidentId));
      await commit([record]);
      const committed = performance.now();
      const ms = (await arrived) - committed;
      if (i >= 3) times.push(ms); // three warm-up rounds
    }
    progress(`single incident: ${times.length} samples`);
    const burst = records.slice(samples + 3);
    const arrivedAll = Promise.all(burst.map((r) => arrivalOf(String(r.incident.incidentId))));
    await commit(burst);
    const committed = performance.now();
    const lastArrivalMs = Math.max(...(await arrivedAll)) - committed;
    await service.stop();
    const result: NotificationBenchResult = {
      db,
      tickMs: TICK_MS,
      samples: times.length,
      single: timingOf(times),
      burst: { incidents: burst.length, lastArrivalMs },
    };
    writeChildResult(result);
  } finally {
    receiver.close();
    await resetServices();
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
