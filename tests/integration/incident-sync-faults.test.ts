import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/prisma/generated/client/client";
import type { Database } from "@/server/database/open-database";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import { DefenderClient } from "@/server/microsoft/defender-client";
import { TokenBroker } from "@/server/microsoft/token-broker";
import { startSyncEngine, type SyncEngine, type SyncEngineOptions } from "@/server/incidents/sync-engine";
import { acquireSyncLease } from "@/server/incidents/sync-lease";
import { getTenantSyncStatus, listSyncIssues } from "@/server/incidents/sync-status";
import { syncTenantOnce } from "@/server/incidents/sync-tenant";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "../support/test-database";
import { control, startTestEmulator } from "../support/test-emulator";

const CONTOSO = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";
const FABRIKAM = "1c8e0b4f-32d5-4a7b-9f6e-8d2a4b0c3f72";
const WOODGROVE = "2d9f1c5a-43e6-4b8c-8a7f-9e3b5c1d4a83";
const TAILSPIN = "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94";
const LITWARE = "4f1b3e7c-65a8-4dae-8c9b-1a5d7e3f6ca5";
const ADATUM = "5a2c4f8d-76b9-4ebf-9dac-2b6e8f4a7db6";
const ALL = [CONTOSO, FABRIKAM, WOODGROVE, TAILSPIN, LITWARE, ADATUM];

type TruthIncident = { incidentId: number; lastUpdateTime: string };
type Metrics = {
  tokenRequests: Record<string, Record<string, number>>;
  apiCalls: Record<string, Record<string, number>>;
  apiResponses: Record<string, Record<string, number>>;
};

const key = (id: number | bigint, time: string | Date) => `${id}@${new Date(time).toISOString()}`;

describe.each(testDatabaseKinds())("incident sync under failures on %s", (kind) => {
  let emulator: EmulatorHandle;
  let db: TestDatabase;
  let prisma: PrismaClient;
  const engines: SyncEngine[] = [];
  const holder = globalThis as unknown as { portalDatabase?: Promise<Database> };

  const truth = async (tenantId: string) =>
    (await control<TruthIncident[]>(emulator, "GET", `/tenants/${tenantId}/incidents`)).map((i) => key(i.incidentId, i.lastUpdateTime)).sort();
  const stored = async (tenantId: string) =>
    (await prisma.incident.findMany({ where: { tenantId }, select: { incidentId: true, lastUpdateTime: true } })).map((r) => key(r.incidentId, r.lastUpdateTime)).sort();
  const metrics = () => control<Metrics>(emulator, "GET", "/metrics");

  /** Each test builds its own client: a fresh token cache, short timeouts, fast backoff. */
  function engine(options: Partial<SyncEngineOptions> = {}): SyncEngine {
    const tokens = new TokenBroker({
      clientId: emulator.clientId,
      credential: { kind: "secret", secret: emulator.clientSecret },
      authorityHost: emulator.authorityHost }).forResource("https://api.security.microsoft.com");
    const defenderClient = new DefenderClient({ apiUrl: emulator.defenderApiUrl, tokens, timeoutMs: 700, backoff: { baseMs: 20, maxMs: 100 }, maxThrottleWaitMs: 3_000 });
    const created = startSyncEngine({ prisma, defenderClient, loop: false, pollIntervalMs: 0, failureBackoff: { baseMs: 10, maxMs: 50 }, ...options });
    engines.push(created);
    return created;
  }

  async function activate(...tenantIds: string[]): Promise<void> {
    for (const id of tenantIds) {
      await prisma.tenant.upsert({
        where: { id },
        create: { id, displayName: id.slice(0, 8), requiredAccess: "read", status: "active", grantedRoles: ["Incident.Read.All"] },
        update: { status: "active" },
      });
    }
  }

  /** Rounds until every tenant's store equals the emulator (failures back off for a few ms). */
  async function syncUntilEqual(sync: SyncEngine, tenantIds: string[], rounds = 15): Promise<void> {
    for (let round = 0; round < rounds; round++) {
      await sync.runOnce();
      const equal = await Promise.all(tenantIds.map(async (id) => JSON.stringify(await stored(id)) === JSON.stringify(await truth(id))));
      if (equal.every(Boolean)) return;
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    for (const id of tenantIds) expect(await stored(id), id).toEqual(await truth(id));
  }

  beforeAll(async () => {
    [emulator, db] = await Promise.all([
      startTestEmulator({ incidentCounts: { [CONTOSO]: 150, [FABRIKAM]: 130, [WOODGROVE]: 110, [TAILSPIN]: 120, [LITWARE]: 130, [ADATUM]: 250 } }),
      createTestDatabase(kind),
    ]);
    prisma = db.database.prisma;
    // tenant-health.ts (status changes on token failures) uses the process database: this one.
    holder.portalDatabase = Promise.resolve(db.database);
    for (const id of ALL) await control(emulator, "POST", `/tenants/${id}/consent`, { roles: ["Incident.Read.All"] });
  });
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.stop()));
    await control(emulator, "DELETE", "/faults");
    // Each test syncs only the tenants it activates.
    await prisma.tenant.updateMany({ where: { status: "active" }, data: { status: "unreachable" } });
  });
  afterAll(async () => {
    delete holder.portalDatabase;
    await Promise.all([emulator?.stop(), db?.drop()]);
  });

  it("rides out bursts of 429, 5xx, dropped connections and slow answers, losing and duplicating nothing", async () => {
    await activate(CONTOSO, FABRIKAM);
    await control(emulator, "DELETE", "/metrics");
    await control(emulator, "POST", "/faults", { tenantId: CONTOSO, route: "list", kind: "429", count: 3, retryAfterSeconds: 1 });
    await control(emulator, "POST", "/faults", { tenantId: CONTOSO, route: "list", kind: "slow", count: 2, delayMs: 1_500 });
    await control(emulator, "POST", "/faults", { tenantId: FABRIKAM, route: "list", kind: "500", count: 3 });
    await control(emulator, "POST", "/faults", { tenantId: FABRIKAM, route: "list", kind: "503", count: 2, retryAfterSeconds: 0 });
    await control(emulator, "POST", "/faults", { tenantId: FABRIKAM, route: "list", kind: "reset", count: 2 });
    const sync = engine();
    await syncUntilEqual(sync, [CONTOSO, FABRIKAM]);

    // Changes while faults continue: the next polls still converge on the truth.
    await control(emulator, "POST", `/tenants/${CONTOSO}/incidents`, { count: 30 });
    await control(emulator, "PATCH", `/tenants/${FABRIKAM}/incidents/${(await control<TruthIncident[]>(emulator, "GET", `/tenants/${FABRIKAM}/incidents`))[0]!.incidentId}`, { status: "InProgress" });
    await control(emulator, "POST", "/faults", { route: "list", kind: "500", count: 2 });
    await syncUntilEqual(sync, [CONTOSO, FABRIKAM]);

    const seen = await metrics();
    expect(seen.apiResponses[CONTOSO]?.["429"]).toBeGreaterThanOrEqual(3);
    expect(seen.apiResponses[FABRIKAM]?.["500"]).toBeGreaterThanOrEqual(3);
    // Retries reuse the token: one token request per tenant per lifetime.
    expect(Object.values(seen.tokenRequests[CONTOSO] ?? {})).toEqual([1]);
    expect(Object.values(seen.tokenRequests[FABRIKAM] ?? {})).toEqual([1]);
  });

  it("backs a throttled tenant off alone, honouring Retry-After, while the others keep syncing", async () => {
    await activate(WOODGROVE, TAILSPIN);
    await control(emulator, "POST", "/faults", { tenantId: WOODGROVE, route: "list", kind: "429", retryAfterSeconds: 600 });
    const sync = engine();
    const before = Date.now();
    await sync.runOnce();
    expect(await stored(TAILSPIN)).toEqual(await truth(TAILSPIN));
    const throttled = await getTenantSyncStatus({ prisma, tenantId: WOODGROVE });
    expect(throttled).toMatchObject({ state: "failing", incidentCount: 0, consecutiveFailures: 1, lastError: { code: "throttled" } });
    expect(throttled!.lastError!.message).toMatch(/rate limit/);
    expect(throttled!.nextRunAt!.getTime()).toBeGreaterThanOrEqual(before + 599_000);

    await control(emulator, "DELETE", "/metrics");
    await control(emulator, "POST", `/tenants/${TAILSPIN}/incidents`, { count: 2 });
    await sync.runOnce();
    const calls = await metrics();
    expect(calls.apiCalls[WOODGROVE]).toBeUndefined();
    expect(calls.apiCalls[TAILSPIN]).toEqual({ list: 1 });
    expect(await stored(TAILSPIN)).toEqual(await truth(TAILSPIN));
  });

  it("keeps a malformed record as a sync issue, stores the rest, and survives an unreadable answer", async () => {
    await activate(LITWARE);
    await control(emulator, "POST", "/faults", { tenantId: LITWARE, route: "list", kind: "malformed-json", count: 1 });
    await control(emulator, "POST", "/faults", { tenantId: LITWARE, route: "list", kind: "malformed-record", count: 1 });
    const sync = engine();
    await sync.runOnce();
    expect((await getTenantSyncStatus({ prisma, tenantId: LITWARE }))?.lastError?.code).toBe("malformed_response");
    await new Promise((resolve) => setTimeout(resolve, 60));
    await sync.runOnce();

    const [issue, ...others] = await listSyncIssues({ prisma, tenantId: LITWARE });
    expect(others).toEqual([]);
    expect(issue!.problem).toMatch(/incidentId/);
    expect(issue!.incidentId).toBe("abc");
    const expected = await truth(LITWARE);
    const have = await stored(LITWARE);
    const missing = expected.filter((k) => !have.includes(k));
    expect(missing).toHaveLength(1);
    expect(have.filter((k) => !expected.includes(k))).toEqual([]);
    expect(await getTenantSyncStatus({ prisma, tenantId: LITWARE })).toMatchObject({ state: "up_to_date", malformedCount: 1, lastError: null });

    // The unreadable incident comes back when it next changes.
    await control(emulator, "PATCH", `/tenants/${LITWARE}/incidents/${missing[0]!.split("@")[0]}`, { tags: ["re-read"] });
    await sync.runOnce();
    expect(await stored(LITWARE)).toEqual(await truth(LITWARE));
  });

  it("resumes an interrupted pass after a crash, and ends equal to the truth", async () => {
    await activate(LITWARE);
    await engine().runOnce();
    await control(emulator, "POST", `/tenants/${LITWARE}/incidents`, { count: 260 });
    // A process takes the lease and dies right after committing its first page.
    expect(await acquireSyncLease(prisma, { tenantId: LITWARE, ownerId: "crashed", leaseMs: 2_000, now: new Date() })).toBe(true);
    const crash = new Error("simulated crash");
    await expect(
      syncTenantOnce({ prisma, defender: clientForCrash() }, { tenantId: LITWARE, ownerId: "crashed", leaseMs: 2_000, onPageCommitted: () => { throw crash; } }),
    ).rejects.toBe(crash);
    const interrupted = await prisma.tenantSyncState.findUniqueOrThrow({ where: { tenantId: LITWARE } });
    expect(interrupted.passStartedFrom).not.toBeNull();
    expect(interrupted.passFetched).toBe(100);

    // A new process cannot take the lease until it expires.
    const fresh = engine({ ownerId: "restarted" });
    await fresh.runOnce();
    expect((await prisma.tenantSyncState.findUniqueOrThrow({ where: { tenantId: LITWARE } })).leaseOwner).toBe("crashed");
    // Meanwhile incidents it had already read change (they move behind the others).
    const added = (await control<TruthIncident[]>(emulator, "GET", `/tenants/${LITWARE}/incidents`)).sort((a, b) => b.incidentId - a.incidentId);
    for (const incident of added.slice(200, 205)) await control(emulator, "PATCH", `/tenants/${LITWARE}/incidents/${incident.incidentId}`, { status: "Resolved" });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, interrupted.leaseExpiresAt!.getTime() - Date.now() + 50)));

    // Then it continues the interrupted pass instead of starting over: the 170 records left take
    // two pages (starting over would read all 265 again: three).
    await control(emulator, "DELETE", "/metrics");
    await fresh.runOnce();
    expect((await metrics()).apiCalls[LITWARE]).toEqual({ list: 2 });
    const resumed = await prisma.tenantSyncState.findUniqueOrThrow({ where: { tenantId: LITWARE } });
    expect(resumed.passStartedFrom).toBeNull();
    expect(resumed.passFetched).toBeGreaterThanOrEqual(265);
    expect(await stored(LITWARE)).toEqual(await truth(LITWARE));

    function clientForCrash(): DefenderClient {
      const tokens = new TokenBroker({ clientId: emulator.clientId, credential: { kind: "secret", secret: emulator.clientSecret }, authorityHost: emulator.authorityHost }).forResource("https://api.security.microsoft.com");
      return new DefenderClient({ apiUrl: emulator.defenderApiUrl, tokens });
    }
  });

  it("marks a tenant consent_revoked when consent is removed mid-sync, and stops syncing it", async () => {
    await activate(ADATUM);
    const sync = engine({ maxPagesPerRun: 1 });
    await sync.runOnce();
    expect(await prisma.incident.count({ where: { tenantId: ADATUM } })).toBe(100);
    await control(emulator, "POST", `/tenants/${ADATUM}/revoke`);
    await sync.runOnce();

    const tenant = await prisma.tenant.findUniqueOrThrow({ where: { id: ADATUM } });
    expect([tenant.status, tenant.lastErrorCode]).toEqual(["consent_revoked", "AADSTS7000229"]);
    const status = await getTenantSyncStatus({ prisma, tenantId: ADATUM });
    expect(status).toMatchObject({ state: "paused", tenantStatus: "consent_revoked", lastError: { code: "AADSTS7000229" }, incidentCount: 100 });
    expect(status!.lastError!.message).toMatch(/consent/);

    await control(emulator, "DELETE", "/metrics");
    await sync.runOnce();
    expect((await metrics()).apiCalls[ADATUM]).toBeUndefined();
    await control(emulator, "POST", `/tenants/${ADATUM}/consent`, { roles: ["Incident.Read.All"] });
  });

  it("marks a tenant permission_missing when the API refuses a token without the permission", async () => {
    await activate(CONTOSO);
    await control(emulator, "POST", `/tenants/${CONTOSO}/roles`, { roles: [] });
    await engine().runOnce();
    const tenant = await prisma.tenant.findUniqueOrThrow({ where: { id: CONTOSO } });
    expect([tenant.status, tenant.lastErrorCode]).toEqual(["permission_missing", "HTTP 403"]);
    expect((await getTenantSyncStatus({ prisma, tenantId: CONTOSO }))?.lastError?.code).toBe("HTTP 403");
  });
});
