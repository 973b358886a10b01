import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/prisma/generated/client/client";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import { DefenderClient } from "@/server/microsoft/defender-client";
import { TokenBroker } from "@/server/microsoft/token-broker";
import { startSyncEngine } from "@/server/incidents/sync-engine";
import { SyncLeaseLost } from "@/server/incidents/sync-errors";
import { acquireSyncLease, ensureSyncStates, releaseSyncLease } from "@/server/incidents/sync-lease";
import { listTenantSyncStatus, requestTenantSync } from "@/server/incidents/sync-status";
import { commitSyncPage } from "@/server/incidents/sync-store";
import { syncTenantOnce } from "@/server/incidents/sync-tenant";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "../support/test-database";
import { control, startTestEmulator } from "../support/test-emulator";

const CONTOSO = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";
const FABRIKAM = "1c8e0b4f-32d5-4a7b-9f6e-8d2a4b0c3f72";
const WOODGROVE = "2d9f1c5a-43e6-4b8c-8a7f-9e3b5c1d4a83";
const TENANTS = [CONTOSO, FABRIKAM, WOODGROVE];
const NAMES: Record<string, string> = { [CONTOSO]: "Contoso Manufacturing", [FABRIKAM]: "Fabrikam Health", [WOODGROVE]: "Woodgrove Bank" };
const noHealth = { tokenFailure: async () => undefined, apiForbidden: async () => undefined };

type TruthIncident = { incidentId: number; lastUpdateTime: string };

/** incidentId@lastUpdateTime (cut to milliseconds, as the store keeps it), sorted. */
const key = (id: number | bigint, time: string | Date) => `${id}@${new Date(time).toISOString()}`;

async function truth(emulator: EmulatorHandle, tenantId: string): Promise<string[]> {
  const incidents = await control<TruthIncident[]>(emulator, "GET", `/tenants/${tenantId}/incidents`);
  return incidents.map((i) => key(i.incidentId, i.lastUpdateTime)).sort();
}

async function stored(prisma: PrismaClient, tenantId: string): Promise<string[]> {
  const rows = await prisma.incident.findMany({ where: { tenantId }, select: { incidentId: true, lastUpdateTime: true } });
  return rows.map((r) => key(r.incidentId, r.lastUpdateTime)).sort();
}

function clientFor(emulator: EmulatorHandle, tokenRequests: string[]): DefenderClient {
  const tokens = new TokenBroker({
    clientId: emulator.clientId,
    credential: { kind: "secret", secret: emulator.clientSecret },
    authorityHost: emulator.authorityHost,
    resource: "https://api.security.microsoft.com",
    onTokenRequest: (tenantId) => tokenRequests.push(tenantId),
  });
  return new DefenderClient({ apiUrl: emulator.defenderApiUrl, tokens, timeoutMs: 5_000, backoff: { baseMs: 20, maxMs: 200 } });
}

describe.each(testDatabaseKinds())("incident sync of one tenant on %s", (kind) => {
  let emulator: EmulatorHandle;
  let db: TestDatabase;
  let prisma: PrismaClient;
  let defender: DefenderClient;
  const tokenRequests: string[] = [];

  beforeAll(async () => {
    [emulator, db] = await Promise.all([startTestEmulator({ incidentCounts: { [CONTOSO]: 230 } }), createTestDatabase(kind)]);
    prisma = db.database.prisma;
    await control(emulator, "POST", `/tenants/${CONTOSO}/consent`, {});
    defender = clientFor(emulator, tokenRequests);
    await ensureSyncStates(prisma, [CONTOSO]);
    expect(await acquireSyncLease(prisma, { tenantId: CONTOSO, ownerId: "test", leaseMs: 60_000, now: new Date() })).toBe(true);
  });
  afterAll(async () => {
    await Promise.all([emulator?.stop(), db?.drop()]);
  });

  it("backfills every incident over several pages, then picks up changes incrementally", async () => {
    const first = await syncTenantOnce({ prisma, defender }, { tenantId: CONTOSO, ownerId: "test", leaseMs: 60_000 });
    // Keyset paging re-reads the one record at each page boundary: 230 incidents, 3 pages.
    expect(first).toMatchObject({ pages: 3, malformed: 0, passCompleted: true });
    expect(await stored(prisma, CONTOSO)).toEqual(await truth(emulator, CONTOSO));
    const state = await prisma.tenantSyncState.findUniqueOrThrow({ where: { tenantId: CONTOSO } });
    expect(state.backfillCompletedAt).not.toBeNull();
    expect(state.passStartedFrom).toBeNull();

    await control(emulator, "PATCH", `/tenants/${CONTOSO}/incidents/${(await control<TruthIncident[]>(emulator, "GET", `/tenants/${CONTOSO}/incidents`))[5]!.incidentId}`, { status: "Resolved", classification: "FalsePositive", determination: "Clean" });
    await control(emulator, "POST", `/tenants/${CONTOSO}/incidents`, { count: 3 });
    const second = await syncTenantOnce({ prisma, defender }, { tenantId: CONTOSO, ownerId: "test", leaseMs: 60_000 });
    expect(second.pages).toBe(1);
    expect(await stored(prisma, CONTOSO)).toEqual(await truth(emulator, CONTOSO));
    expect(tokenRequests).toEqual([CONTOSO]);
  });

  it("stores the columns, entities and raw record the queue needs", async () => {
    const [sample] = await control<Record<string, unknown>[]>(emulator, "GET", `/tenants/${CONTOSO}/incidents`);
    const row = await prisma.incident.findUniqueOrThrow({ where: { tenantId_incidentId: { tenantId: CONTOSO, incidentId: BigInt(sample!.incidentId as number) } }, include: { entities: true } });
    expect(row.raw).toEqual(sample);
    expect(row.searchText).toBe(`${String(sample!.incidentName).toLowerCase()} ${sample!.incidentId}`);
    expect(row.alertCount).toBe((sample!.alerts as unknown[]).length);
    for (const entity of row.entities) expect(entity.value).toBe(entity.value.toLowerCase());
    const withEntities = await prisma.incidentEntity.count({ where: { tenantId: CONTOSO } });
    expect(withEntities).toBeGreaterThan(230);
  });
});

type Metrics = { tokenRequests: Record<string, Record<string, number>>; apiCalls: Record<string, Record<string, number>> };

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(testDatabaseKinds())("incident sync engine, several tenants, on %s", (kind) => {
  let emulator: EmulatorHandle;
  let db: TestDatabase;
  let prisma: PrismaClient;
  let defender: DefenderClient;
  const tokenRequests: string[] = [];

  beforeAll(async () => {
    [emulator, db] = await Promise.all([
      startTestEmulator({ incidentCounts: { [CONTOSO]: 150, [FABRIKAM]: 260, [WOODGROVE]: 120 } }),
      createTestDatabase(kind),
    ]);
    prisma = db.database.prisma;
    for (const tenantId of TENANTS) await control(emulator, "POST", `/tenants/${tenantId}/consent`, {});
    await prisma.tenant.createMany({
      data: TENANTS.map((id) => ({ id, displayName: NAMES[id]!, requiredAccess: "read_write", status: "active", grantedRoles: ["Incident.ReadWrite.All"] })),
    });
    defender = clientFor(emulator, tokenRequests);
  });
  afterAll(async () => {
    await Promise.all([emulator?.stop(), db?.drop()]);
  });

  it("backfills every tenant with paging, follows changes between polls, and asks for one token per tenant", async () => {
    const engine = startSyncEngine({ prisma, defenderClient: defender, health: noHealth, loop: false, pollIntervalMs: 0, concurrency: 2 });
    try {
      await engine.runOnce();
      for (const tenantId of TENANTS) expect(await stored(prisma, tenantId), tenantId).toEqual(await truth(emulator, tenantId));

      // Changes between polls: new incidents, an update, and an update of one already re-read.
      const [first] = await control<TruthIncident[]>(emulator, "GET", `/tenants/${FABRIKAM}/incidents`);
      await control(emulator, "PATCH", `/tenants/${FABRIKAM}/incidents/${first!.incidentId}`, { assignedTo: "arjun.analyst@northwindcyber.onmicrosoft.com" });
      await control(emulator, "POST", `/tenants/${CONTOSO}/incidents`, { count: 120 });
      await control(emulator, "POST", `/tenants/${WOODGROVE}/incidents`, { incident: { incidentName: "Zoë's <script> incident", severity: "SomethingNew", status: "BrandNewStatus" } });
      await engine.runOnce();
      for (const tenantId of TENANTS) expect(await stored(prisma, tenantId), tenantId).toEqual(await truth(emulator, tenantId));

      const odd = await prisma.incident.findFirstOrThrow({ where: { tenantId: WOODGROVE, status: "BrandNewStatus" } });
      expect([odd.severity, odd.severityRank, odd.searchText]).toEqual(["SomethingNew", 0, `zoë's <script> incident ${odd.incidentId}`]);
      const assigned = await prisma.incident.findUniqueOrThrow({ where: { tenantId_incidentId: { tenantId: FABRIKAM, incidentId: BigInt(first!.incidentId) } } });
      expect(assigned.assignedTo).toBe("arjun.analyst@northwindcyber.onmicrosoft.com");

      // An idle poll costs one list call; Contoso's 122 changes of the last minutes still fall in
      // the 2-minute overlap, so it re-reads them in two pages.
      await control(emulator, "DELETE", "/metrics");
      await engine.runOnce();
      const metrics = await control<Metrics>(emulator, "GET", "/metrics");
      expect([CONTOSO, FABRIKAM, WOODGROVE].map((id) => metrics.apiCalls[id])).toEqual([{ list: 2 }, { list: 1 }, { list: 1 }]);
      expect(tokenRequests.sort()).toEqual([...TENANTS].sort());
    } finally {
      await engine.stop();
    }
  });

  it("reports each tenant's sync in words, and \"Sync now\" is picked up by the running loop", async () => {
    const statuses = await listTenantSyncStatus({ prisma });
    expect(statuses.map((s) => [s.tenantId, s.state, s.running, s.lastError])).toEqual(
      [...TENANTS].sort((a, b) => NAMES[a]!.localeCompare(NAMES[b]!)).map((id) => [id, "up_to_date", false, null]),
    );
    for (const status of statuses) {
      expect(status.incidentCount).toBe((await truth(emulator, status.tenantId)).length);
      expect(status.backfillCompleted).toBe(true);
      expect(status.dataAgeMs).toBeGreaterThanOrEqual(0);
    }

    // A long poll interval: only the request can make the loop sync Contoso again soon.
    const engine = startSyncEngine({ prisma, defenderClient: defender, health: noHealth, pollIntervalMs: 3_600_000, tickMs: 100 });
    try {
      await control(emulator, "POST", `/tenants/${CONTOSO}/incidents`, { count: 2 });
      expect(await requestTenantSync({ prisma, tenantId: "00000000-0000-4000-8000-000000000000" })).toEqual({ ok: false, reason: "unknown_tenant" });
      await engine.requestSync(CONTOSO);
      await until(async () => JSON.stringify(await stored(prisma, CONTOSO)) === JSON.stringify(await truth(emulator, CONTOSO)), "Contoso synced after Sync now");
      await until(async () => (await prisma.tenantSyncState.findUniqueOrThrow({ where: { tenantId: CONTOSO } })).requestedAt === null, "request consumed");
    } finally {
      await engine.stop();
    }
  });

  it("never lets two processes sync one tenant at once, and a commit without the lease writes nothing", async () => {
    const now = new Date();
    expect(await acquireSyncLease(prisma, { tenantId: WOODGROVE, ownerId: "process-a", leaseMs: 60_000, now })).toBe(true);
    expect(await acquireSyncLease(prisma, { tenantId: WOODGROVE, ownerId: "process-b", leaseMs: 60_000, now })).toBe(false);
    const before = await prisma.incident.count({ where: { tenantId: WOODGROVE } });
    await expect(
      commitSyncPage(prisma, {
        tenantId: WOODGROVE,
        ownerId: "process-b",
        leaseMs: 60_000,
        records: [],
        malformed: [{ sample: "{}", problem: "test" }],
        progress: { passStartedFrom: null, passSkip: 0, passFetched: 0, cursor: null },
        now,
      }),
    ).rejects.toBeInstanceOf(SyncLeaseLost);
    expect(await prisma.syncIssue.count({ where: { tenantId: WOODGROVE } })).toBe(0);
    expect(await prisma.incident.count({ where: { tenantId: WOODGROVE } })).toBe(before);
    // An expired lease (a crashed process) can be taken over.
    expect(await acquireSyncLease(prisma, { tenantId: WOODGROVE, ownerId: "process-b", leaseMs: 60_000, now: new Date(now.getTime() + 61_000) })).toBe(true);
    await releaseSyncLease(prisma, { tenantId: WOODGROVE, ownerId: "process-b", outcome: { nextRunAt: new Date() } });
  });
});
