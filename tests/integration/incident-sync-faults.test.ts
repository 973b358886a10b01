import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/prisma/generated/client/client";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import { generatedTenants, TEST_CUSTOMER_FAMILY } from "@/emulator/generated-tenants";
import { GraphSecurityClient, type GraphIncidentPage, type GraphListInput, type GraphSecurityClientOptions } from "@/server/microsoft/graph-security-client";
import { TokenBroker } from "@/server/microsoft/token-broker";
import { startSyncEngine, type SyncEngine, type SyncEngineOptions } from "@/server/incidents/sync-engine";
import type { SyncHealthReporter } from "@/server/incidents/sync-scheduler";
import { acquireSyncLease } from "@/server/incidents/sync-lease";
import { getTenantSyncStatus, listSyncIssues } from "@/server/incidents/sync-status";
import { syncTenantFromGraph } from "@/server/incidents/sync-graph";
import { reportTenantApiForbidden, reportTenantTokenFailure } from "@/server/tenants/tenant-lifecycle";
import { services } from "@/server/services";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "../support/test-database";
import { startTestEmulator, control } from "../support/test-emulator";
import { portalEnvironmentVariables } from "../support/portal-environment";
import { readConfig } from "@/server/config-schema";

const CONTOSO = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";
const FABRIKAM = "1c8e0b4f-32d5-4a7b-9f6e-8d2a4b0c3f72";
const WOODGROVE = "2d9f1c5a-43e6-4b8c-8a7f-9e3b5c1d4a83";
const TAILSPIN = "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94";
const LITWARE = "4f1b3e7c-65a8-4dae-8c9b-1a5d7e3f6ca5";
const ADATUM = "5a2c4f8d-76b9-4ebf-9dac-2b6e8f4a7db6";
// Customers of the emulator's test family, one per Graph-specific test, so no test reads another's data.
const EXTRA = generatedTenants(TEST_CUSTOMER_FAMILY, 10);
const [MID_500, MID_RESET, MOVING, LIMITED, BIG, SMALL_A, SMALL_B, LEGACY, WRONG_AUDIENCE, OVERLOADED] = EXTRA.map((t) => t.id) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const ALL = [CONTOSO, FABRIKAM, WOODGROVE, TAILSPIN, LITWARE, ADATUM, ...EXTRA.map((t) => t.id)];

const GRAPH = "https://graph.microsoft.com";
const DEFENDER = "https://api.security.microsoft.com";
const GRAPH_ROLES = ["SecurityIncident.ReadWrite.All", "SecurityAlert.Read.All"];
/** Graph answers at most 50 incidents a page (the Defender API: 100); paging numbers below follow from it. */
const PAGE = 50;

type TruthIncident = { incidentId: number; lastUpdateTime: string };
type Metrics = {
  tokenRequests: Record<string, Record<string, number>>;
  tokenRequestsByResource: Record<string, Record<string, number>>;
  apiCalls: Record<string, Record<string, number>>;
  apiResponses: Record<string, Record<string, number>>;
};
/** One listIncidents call as the sync made it: where it asked (a nextLink or the first page) and what came back. */
type ListCall = { tenantId: string; nextLink: string | null; outcome: "page" | "error"; nextLinkOut?: string | null; incidentIds?: number[] };
type HealthReport = { kind: "token"; tenantId: string; aadstsCode: string | null } | { kind: "forbidden"; tenantId: string; status: number; api: string };

const key = (id: number | bigint, time: string | Date) => `${id}@${new Date(time).toISOString()}`;

describe.each(testDatabaseKinds())("incident sync from Microsoft Graph under failures on %s", (kind) => {
  let emulator: EmulatorHandle;
  let db: TestDatabase;
  let prisma: PrismaClient;
  const engines: SyncEngine[] = [];
  const calls: ListCall[] = [];
  const reports: HealthReport[] = [];
  const sourceFor = () => "graph" as const;

  const truthRecords = (tenantId: string) => control<TruthIncident[]>(emulator, "GET", `/tenants/${tenantId}/incidents`);
  const truth = async (tenantId: string) => (await truthRecords(tenantId)).map((i) => key(i.incidentId, i.lastUpdateTime)).sort();
  const stored = async (tenantId: string) =>
    (await prisma.incident.findMany({ where: { tenantId }, select: { incidentId: true, lastUpdateTime: true } }))
      .map((r) => key(r.incidentId, r.lastUpdateTime))
      .sort();
  const metrics = () => control<Metrics>(emulator, "GET", "/metrics");
  const status = (tenantId: string) => getTenantSyncStatus({ prisma, tenantId, sourceFor });
  const syncState = (tenantId: string) => prisma.tenantSyncState.findUniqueOrThrow({ where: { tenantId } });
  const callsOf = (tenantId: string) => calls.filter((c) => c.tenantId === tenantId);

  /** Every API call the emulator saw went to Microsoft Graph: no `list`/`get`/`patch` key of the Defender API. */
  function expectGraphOnly(seen: Metrics): void {
    for (const [tenantId, keys] of Object.entries(seen.apiCalls)) {
      expect(
        Object.keys(keys).filter((k) => !k.startsWith("graph.")),
        `Defender API calls for ${tenantId}`,
      ).toEqual([]);
    }
  }
  /** Clears the emulator's metrics, after checking the ones it drops. */
  async function resetMetrics(): Promise<void> {
    expectGraphOnly(await metrics());
    await control(emulator, "DELETE", "/metrics");
  }

  /** Tenant health as in production (tenant-lifecycle.ts), and a record of what it was told. */
  const health: SyncHealthReporter = {
    async tokenFailure(input) {
      reports.push({ kind: "token", tenantId: input.tenantId, aadstsCode: input.error.aadstsCode ? `AADSTS${input.error.aadstsCode}` : null });
      await reportTenantTokenFailure(input);
    },
    async apiForbidden(input) {
      reports.push({ kind: "forbidden", ...input });
      await reportTenantApiForbidden(input);
    },
  };

  type EngineSetup = Partial<SyncEngineOptions> & {
    client?: Partial<GraphSecurityClientOptions>;
    /** The token audience (a misconfigured portal may ask for the Defender API's). */
    resource?: string;
    /** Runs after a page came back and before the sync sees it (the walk is in progress). */
    afterPage?: (call: ListCall, page: GraphIncidentPage) => Promise<void>;
  };

  /**
   * Each test builds its own Graph client (a fresh token cache and rate budget, fast backoff, a
   * short wait for Retry-After), wrapped to record where each list call asked and what it got.
   */
  function engine(setup: EngineSetup = {}): SyncEngine {
    const { client, resource, afterPage, ...options } = setup;
    const tokens = new TokenBroker({
      clientId: emulator.clientId,
      credential: { kind: "secret", secret: emulator.clientSecret },
      authorityHost: emulator.authorityHost,
    });
    const graph = new GraphSecurityClient({
      apiUrl: emulator.graphApiUrl,
      tokens: tokens.forResource(resource ?? GRAPH),
      // The production default: a loaded machine never turns an answer into a timeout.
      timeoutMs: 30_000,
      backoff: { baseMs: 20, maxMs: 100 },
      maxThrottleWaitMs: 3_000,
      ...client,
    });
    const graphClient = {
      async listIncidents(input: GraphListInput): Promise<GraphIncidentPage> {
        const call: ListCall = { tenantId: input.tenantId, nextLink: input.nextLink ?? null, outcome: "error" };
        calls.push(call);
        const page = await graph.listIncidents(input);
        Object.assign(call, { outcome: "page", nextLinkOut: page.nextLink, incidentIds: page.incidents.map((i) => i.incidentId) });
        await afterPage?.(call, page);
        return page;
      },
    };
    const created = startSyncEngine({
      prisma,
      graphClient,
      sourceFor,
      health,
      loop: false,
      pollIntervalMs: 0,
      failureBackoff: { baseMs: 10, maxMs: 50 },
      ...options,
    });
    engines.push(created);
    return created;
  }

  async function activate(...tenantIds: string[]): Promise<void> {
    for (const id of tenantIds) {
      await prisma.tenant.upsert({
        where: { id },
        create: { id, displayName: id.slice(0, 8), requiredAccess: "read", status: "active", grantedRoles: GRAPH_ROLES, incidentSource: "graph" },
        update: { status: "active" },
      });
    }
  }

  /** Until the tenant's failure backoff (a few ms here) has passed: the next round then takes it. */
  async function untilDue(tenantId: string): Promise<void> {
    for (const deadline = Date.now() + 20_000; ;) {
      const { nextRunAt } = await syncState(tenantId);
      if (nextRunAt.getTime() <= Date.now()) return;
      if (Date.now() > deadline) throw new Error(`${tenantId} never became due`);
      await new Promise((resolve) => setTimeout(resolve, 20));
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

  /** Nothing lost (the same incidents at the same versions) and nothing duplicated (one row each). */
  async function expectEqualToGraph(tenantId: string): Promise<void> {
    const expected = await truth(tenantId);
    expect(await stored(tenantId), tenantId).toEqual(expected);
    expect(await prisma.incident.count({ where: { tenantId } })).toBe(expected.length);
  }

  beforeAll(async () => {
    [emulator, db] = await Promise.all([
      startTestEmulator({
        incidentCounts: {
          [CONTOSO]: 150,
          [FABRIKAM]: 130,
          [WOODGROVE]: 110,
          [TAILSPIN]: 120,
          [LITWARE]: 130,
          [ADATUM]: 250,
          [MID_500]: 230,
          [MID_RESET]: 230,
          [MOVING]: 170,
          [LIMITED]: 240,
          [BIG]: 290,
          [SMALL_A]: 70,
          [SMALL_B]: 90,
          [LEGACY]: 40,
          [WRONG_AUDIENCE]: 40,
          [OVERLOADED]: 170,
        },
        extraCustomers: EXTRA,
      }),
      createTestDatabase(kind),
    ]);
    prisma = db.database.prisma;
    // tenant-lifecycle.ts (status changes on token failures) uses the process database: this one.
    services().database = Promise.resolve(db.database);
    // A 403 makes tenant health ask for fresh tokens (tenant-access.ts), with the process's broker: this emulator's.
    services().config = readConfig({ ...portalEnvironmentVariables(emulator), LOG_LEVEL: "silent" });
    for (const id of ALL) await control(emulator, "POST", `/tenants/${id}/consent`, { roles: GRAPH_ROLES });
  }, 360_000);
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.stop()));
    calls.splice(0);
    reports.splice(0);
    await control(emulator, "DELETE", "/faults");
    // No test, whatever it did, made a call to the Defender API.
    expectGraphOnly(await metrics());
    // Each test syncs only the tenants it activates.
    await prisma.tenant.updateMany({ where: { status: "active" }, data: { status: "unreachable" } });
  });
  afterAll(async () => {
    services().database = undefined;
    services().config = undefined;
    services().tokenBroker = undefined;
    await Promise.all([emulator?.stop(), db?.drop()]);
  });

  it("rides out bursts of 429, 5xx, dropped connections and slow answers, losing and duplicating nothing", { timeout: 240_000 }, async () => {
    await activate(CONTOSO, FABRIKAM);
    await resetMetrics();
    await control(emulator, "POST", "/faults", { tenantId: CONTOSO, route: "list", kind: "429", count: 3, retryAfterSeconds: 1 });
    // Answers slower than the client's timeout (5 s here): each is abandoned and asked again.
    await control(emulator, "POST", "/faults", { tenantId: CONTOSO, route: "list", kind: "slow", count: 2, delayMs: 12_000 });
    await control(emulator, "POST", "/faults", { tenantId: FABRIKAM, route: "list", kind: "500", count: 3 });
    await control(emulator, "POST", "/faults", { tenantId: FABRIKAM, route: "list", kind: "503", count: 2, retryAfterSeconds: 0 });
    await control(emulator, "POST", "/faults", { tenantId: FABRIKAM, route: "list", kind: "reset", count: 2 });
    const sync = engine({ client: { timeoutMs: 5_000 } });
    await syncUntilEqual(sync, [CONTOSO, FABRIKAM]);

    // Changes while faults continue: the next polls still converge on the truth.
    await control(emulator, "POST", `/tenants/${CONTOSO}/incidents`, { count: 30 });
    await control(emulator, "PATCH", `/tenants/${FABRIKAM}/incidents/${(await truthRecords(FABRIKAM))[0]!.incidentId}`, { status: "InProgress" });
    await control(emulator, "POST", "/faults", { route: "list", kind: "500", count: 2 });
    await syncUntilEqual(sync, [CONTOSO, FABRIKAM]);
    for (const id of [CONTOSO, FABRIKAM]) await expectEqualToGraph(id);

    const seen = await metrics();
    expect(seen.apiResponses[CONTOSO]?.["429"]).toBeGreaterThanOrEqual(3);
    expect(seen.apiResponses[FABRIKAM]?.["500"]).toBeGreaterThanOrEqual(3);
    expect(seen.apiResponses[FABRIKAM]?.["503"]).toBeGreaterThanOrEqual(2);
    // Retries reuse the token: one token request per tenant per lifetime, and only for Graph.
    for (const id of [CONTOSO, FABRIKAM]) {
      expect(Object.values(seen.tokenRequests[id] ?? {}), id).toEqual([1]);
      expect(seen.tokenRequestsByResource[id], id).toEqual({ [GRAPH]: 1 });
      expect(Object.keys(seen.apiCalls[id] ?? {}), id).toEqual(["graph.list"]);
    }
    expect(reports).toEqual([]);
  });

  it("backs a throttled tenant off alone, honouring Retry-After, while the others keep syncing", { timeout: 180_000 }, async () => {
    await activate(WOODGROVE, TAILSPIN);
    await control(emulator, "POST", "/faults", { tenantId: WOODGROVE, route: "list", kind: "429", retryAfterSeconds: 600 });
    const sync = engine();
    const before = Date.now();
    await sync.runOnce();
    await expectEqualToGraph(TAILSPIN);
    const throttled = await status(WOODGROVE);
    expect(throttled).toMatchObject({ state: "failing", incidentCount: 0, consecutiveFailures: 1, lastError: { code: "throttled" } });
    expect(throttled!.lastError!.message).toMatch(/rate limit/);
    expect(throttled!.nextRunAt!.getTime()).toBeGreaterThanOrEqual(before + 599_000);

    await resetMetrics();
    await control(emulator, "POST", `/tenants/${TAILSPIN}/incidents`, { count: 2 });
    await sync.runOnce();
    const seen = await metrics();
    expect(seen.apiCalls[WOODGROVE]).toBeUndefined();
    // An idle poll of a healthy tenant: its few changes fit one Graph page.
    expect(seen.apiCalls[TAILSPIN]).toEqual({ "graph.list": 1 });
    await expectEqualToGraph(TAILSPIN);
  });

  it("stays under Graph's own per-tenant limit: over it, waits for Retry-After and then resumes its walk", { timeout: 180_000 }, async () => {
    await activate(LIMITED);
    // Graph's hourly window (9,000 calls) cut to 3: the fourth call of the walk gets 429 with a
    // Retry-After of about an hour, far beyond what a sync run waits for.
    await control(emulator, "POST", "/rate-limits", { graph: { perHour: 3 } });
    try {
      await resetMetrics();
      const sync = engine();
      const before = Date.now();
      await sync.runOnce();
      const throttled = await status(LIMITED);
      expect(throttled).toMatchObject({ state: "failing", backfillCompleted: false, consecutiveFailures: 1, lastError: { code: "throttled" } });
      expect(throttled!.lastError!.message).toMatch(/rate limit/);
      expect(throttled!.nextRunAt!.getTime()).toBeGreaterThanOrEqual(before + 3_590_000);
      const paused = await syncState(LIMITED);
      expect(paused.passNextLink).toMatch(/skiptoken/i);

      // Until then the tenant is left alone: no call, so no second 429.
      await sync.runOnce();
      const seen = await metrics();
      expect(seen.apiResponses[LIMITED]?.["429"]).toBe(1);
    } finally {
      await control(emulator, "POST", "/rate-limits", { graph: { perMinute: 150, perHour: 9_000 } });
    }
    // An hour later (the schedule moved by hand), a new process continues where the walk stopped.
    const stopped = await syncState(LIMITED);
    await prisma.tenantSyncState.update({ where: { tenantId: LIMITED }, data: { nextRunAt: new Date() } });
    calls.splice(0);
    await engine().runOnce();
    expect(callsOf(LIMITED)[0]?.nextLink).toBe(stopped.passNextLink);
    expect(callsOf(LIMITED).every((c) => c.nextLink !== null)).toBe(true);
    expect(await status(LIMITED)).toMatchObject({ state: "up_to_date", lastError: null, consecutiveFailures: 0 });
    await expectEqualToGraph(LIMITED);
  });

  it("keeps a malformed record as a sync issue, stores the rest, and survives an unreadable answer", { timeout: 180_000 }, async () => {
    await activate(LITWARE);
    await control(emulator, "POST", "/faults", { tenantId: LITWARE, route: "list", kind: "malformed-json", count: 1 });
    await control(emulator, "POST", "/faults", { tenantId: LITWARE, route: "list", kind: "malformed-record", count: 1 });
    const sync = engine();
    await sync.runOnce();
    const unreadable = await status(LITWARE);
    expect(unreadable?.lastError?.code).toBe("malformed_response");
    expect(unreadable?.lastError?.message).toMatch(/Microsoft Graph/);
    await untilDue(LITWARE);
    await sync.runOnce();

    const [issue, ...others] = await listSyncIssues({ prisma, tenantId: LITWARE });
    expect(others).toEqual([]);
    // Graph names the incident `id` (the Defender API: incidentId).
    expect(issue!.problem).toMatch(/\bid\b/);
    expect(issue!.incidentId).toBe("abc");
    const expected = await truth(LITWARE);
    const have = await stored(LITWARE);
    const missing = expected.filter((k) => !have.includes(k));
    expect(missing).toHaveLength(1);
    expect(have.filter((k) => !expected.includes(k))).toEqual([]);
    expect(await status(LITWARE)).toMatchObject({ state: "up_to_date", malformedCount: 1, lastError: null });

    // The unreadable incident comes back when it next changes.
    await control(emulator, "PATCH", `/tenants/${LITWARE}/incidents/${missing[0]!.split("@")[0]}`, { tags: ["re-read"] });
    await sync.runOnce();
    await expectEqualToGraph(LITWARE);
  });

  it("resumes an interrupted pass after a crash at its stored nextLink, and ends equal to the truth", { timeout: 240_000 }, async () => {
    await activate(LITWARE);
    await engine().runOnce();
    await control(emulator, "POST", `/tenants/${LITWARE}/incidents`, { count: 260 });
    // A process takes the lease and dies right after committing its first page. Its lease is long
    // enough that the check below surely runs before it expires, even on a loaded machine.
    const leaseMs = 15_000;
    expect(await acquireSyncLease(prisma, { tenantId: LITWARE, ownerId: "crashed", leaseMs, now: new Date() })).toBe(true);
    const crash = new Error("simulated crash");
    const readBeforeCrash: number[] = [];
    await expect(
      syncTenantFromGraph(
        { prisma, graph: clientForCrash(readBeforeCrash) },
        {
          tenantId: LITWARE,
          ownerId: "crashed",
          leaseMs,
          onPageCommitted: () => {
            throw crash;
          },
        },
      ),
    ).rejects.toBe(crash);
    const interrupted = await syncState(LITWARE);
    expect(interrupted.passSource).toBe("graph");
    expect(interrupted.passStartedAt).not.toBeNull();
    expect(interrupted.passFetched).toBe(PAGE);
    expect(interrupted.passNextLink).toMatch(/skiptoken/i);

    // A new process cannot take the lease until it expires.
    calls.splice(0);
    const fresh = engine({ ownerId: "restarted" });
    await fresh.runOnce();
    expect((await syncState(LITWARE)).leaseOwner).toBe("crashed");
    expect(callsOf(LITWARE)).toEqual([]);
    // Meanwhile incidents it had already read (on its one committed page, whatever Graph's order) change.
    expect(readBeforeCrash).toHaveLength(PAGE);
    for (const id of readBeforeCrash.slice(0, 5)) await control(emulator, "PATCH", `/tenants/${LITWARE}/incidents/${id}`, { status: "Resolved" });
    for (const deadline = Date.now() + 60_000; (await syncState(LITWARE)).leaseExpiresAt!.getTime() >= Date.now();) {
      if (Date.now() > deadline) throw new Error("the crashed lease never expired");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // Then it continues the interrupted pass at its stored nextLink instead of starting over...
    await fresh.runOnce();
    const resumedCalls = callsOf(LITWARE);
    expect(resumedCalls[0]?.nextLink).toBe(interrupted.passNextLink);
    expect(resumedCalls.every((c) => c.nextLink !== null)).toBe(true);
    const resumed = await syncState(LITWARE);
    expect(resumed.passStartedAt).toBeNull();
    expect(resumed.passFetched).toBeGreaterThanOrEqual(260);
    // ...and the incidents changed after it read them come at their newest version with the next
    // pass, whose bound is the interrupted pass's start (minus the overlap).
    await untilDue(LITWARE);
    await fresh.runOnce();
    await expectEqualToGraph(LITWARE);

    /** A Graph client that records the ids of the incidents it read. */
    function clientForCrash(read: number[]): Pick<GraphSecurityClient, "listIncidents"> {
      const tokens = new TokenBroker({
        clientId: emulator.clientId,
        credential: { kind: "secret", secret: emulator.clientSecret },
        authorityHost: emulator.authorityHost,
      });
      const client = new GraphSecurityClient({ apiUrl: emulator.graphApiUrl, tokens: tokens.forResource(GRAPH) });
      return {
        async listIncidents(input) {
          const page = await client.listIncidents(input);
          read.push(...page.incidents.map((i) => i.incidentId));
          return page;
        },
      };
    }
  });

  it.each([
    {
      fault: "500",
      tenant: () => MID_500,
      code: "HTTP 500",
      words: /Microsoft Graph did not answer properly \(HTTP 500\).*Microsoft request id [0-9a-f-]{36}\./,
    },
    { fault: "reset", tenant: () => MID_RESET, code: "unavailable", words: /Microsoft Graph did not answer properly \(network error/ },
  ])(
    "fails on a middle page of a walk ($fault, retries exhausted), then resumes at the stored nextLink, losing and duplicating nothing",
    { timeout: 180_000 },
    async ({ fault, tenant, code, words }) => {
      const tenantId = tenant();
      await activate(tenantId);
      // 230 incidents: five Graph pages. Once the second has come, the third fails however often it is asked.
      let pagesUntilFault = 2;
      const sync = engine({
        async afterPage(call) {
          if (call.tenantId === tenantId && --pagesUntilFault === 0) await control(emulator, "POST", "/faults", { tenantId, route: "list", kind: fault });
        },
      });
      await sync.runOnce();
      const pages = callsOf(tenantId).filter((c) => c.outcome === "page");
      expect(pages.map((c) => c.nextLink === null)).toEqual([true, false]);
      expect(callsOf(tenantId).length).toBeGreaterThan(2);
      expect(
        callsOf(tenantId)
          .slice(2)
          .every((c) => c.outcome === "error" && c.nextLink === pages[1]!.nextLinkOut),
      ).toBe(true);
      const failed = await status(tenantId);
      expect(failed).toMatchObject({ state: "failing", backfillCompleted: false, consecutiveFailures: 1, incidentCount: 2 * PAGE, lastError: { code } });
      expect(failed!.lastError!.message).toMatch(words);
      const state = await syncState(tenantId);
      expect([state.passSource, state.passFetched, state.passNextLink]).toEqual(["graph", 2 * PAGE, pages[1]!.nextLinkOut]);
      // A failing API is not a permission problem: tenant health is not told.
      expect(reports).toEqual([]);

      await control(emulator, "DELETE", `/faults?tenantId=${tenantId}`);
      calls.splice(0);
      await untilDue(tenantId);
      await sync.runOnce();
      expect(callsOf(tenantId)[0]?.nextLink).toBe(pages[1]!.nextLinkOut);
      expect(callsOf(tenantId).every((c) => c.nextLink !== null)).toBe(true);
      expect(await status(tenantId)).toMatchObject({ state: "up_to_date", lastError: null, consecutiveFailures: 0, backfillCompleted: true });
      await expectEqualToGraph(tenantId);
    },
  );

  it("honours a 503's Retry-After on a middle page as a 429's: no call before it, then the walk resumes", { timeout: 180_000 }, async () => {
    await activate(OVERLOADED);
    await resetMetrics();
    // 170 incidents: four pages. After the first, Graph is overloaded for ten minutes, and says so.
    let pagesUntilFault = 1;
    const sync = engine({
      async afterPage(call) {
        if (call.tenantId === OVERLOADED && --pagesUntilFault === 0) {
          await control(emulator, "POST", "/faults", { tenantId: OVERLOADED, route: "list", kind: "503", count: 1, retryAfterSeconds: 600 });
        }
      },
    });
    const before = Date.now();
    await sync.runOnce();
    const waiting = await status(OVERLOADED);
    expect(waiting).toMatchObject({ state: "failing", incidentCount: PAGE, consecutiveFailures: 1 });
    expect(waiting!.lastError!.message).toMatch(/resumes at \d\d:\d\d UTC/);
    expect(waiting!.nextRunAt!.getTime()).toBeGreaterThanOrEqual(before + 599_000);
    const stopped = await syncState(OVERLOADED);
    expect(stopped.passNextLink).toMatch(/skiptoken/i);
    // Graph was not asked again, in that run or the next.
    await sync.runOnce();
    expect((await metrics()).apiResponses[OVERLOADED]).toEqual({ "200": 1, "503": 1 });
    expect(reports).toEqual([]);

    // Ten minutes later (the schedule moved by hand), a new process continues the walk.
    await prisma.tenantSyncState.update({ where: { tenantId: OVERLOADED }, data: { nextRunAt: new Date() } });
    calls.splice(0);
    await engine().runOnce();
    expect(callsOf(OVERLOADED)[0]?.nextLink).toBe(stopped.passNextLink);
    expect(await status(OVERLOADED)).toMatchObject({ state: "up_to_date", lastError: null });
    await expectEqualToGraph(OVERLOADED);
  });

  it("stores records changed during a walk at their newest version after the next pass", { timeout: 240_000 }, async () => {
    await activate(MOVING);
    const changedDuringWalk: number[] = [];
    /** Armed: at the next walk's first page, changes a record it read, one it has not reached, and adds new ones (Graph's positions shift). */
    let armed: ((call: ListCall) => Promise<void>) | null = null;
    const changeAfterFirstPage = (extra: () => Promise<unknown>) => async (call: ListCall) => {
      const read = call.incidentIds![0]!;
      // Any incident not on the first page (Graph promises no order; sorted, the oldest is on the last page).
      const notReached = [...(await truthRecords(MOVING))]
        .sort((a, b) => a.incidentId - b.incidentId)
        .find((i) => !call.incidentIds!.includes(i.incidentId))!.incidentId;
      await control(emulator, "PATCH", `/tenants/${MOVING}/incidents/${read}`, {
        status: "InProgress",
        assignedTo: "arjun.analyst@northwindcyber.onmicrosoft.com",
      });
      await control(emulator, "PATCH", `/tenants/${MOVING}/incidents/${notReached}`, { tags: [`changed-mid-walk-${changedDuringWalk.length}`] });
      await control(emulator, "POST", `/tenants/${MOVING}/incidents`, { count: 3 });
      await extra();
      changedDuringWalk.push(read, notReached);
    };
    const sync = engine({
      async afterPage(call) {
        if (call.tenantId !== MOVING || call.nextLink !== null || !armed) return;
        const change = armed;
        armed = null;
        await change(call);
      },
    });

    // 1. During the backfill (every incident).
    armed = changeAfterFirstPage(async () => undefined);
    await sync.runOnce();
    expect(changedDuringWalk).toHaveLength(2);
    expect((await syncState(MOVING)).backfillCompletedAt).not.toBeNull();
    await untilDue(MOVING);
    await sync.runOnce();
    await expectEqualToGraph(MOVING);

    // 2. During an incremental walk (`lastUpdateDateTime ge` the bound): besides the above, the
    // incident changed longest ago changes, and so joins the filtered list while it is walked.
    await control(emulator, "POST", `/tenants/${MOVING}/incidents`, { count: 120 });
    const oldest = [...(await truthRecords(MOVING))].sort((a, b) => a.lastUpdateTime.localeCompare(b.lastUpdateTime))[0]!.incidentId;
    armed = changeAfterFirstPage(() => control(emulator, "PATCH", `/tenants/${MOVING}/incidents/${oldest}`, { severity: "High" }));
    calls.splice(0);
    await untilDue(MOVING);
    await sync.runOnce();
    expect(changedDuringWalk).toHaveLength(4);
    // The walk had several pages (so the changes landed in the middle of it) and finished.
    expect(callsOf(MOVING).filter((c) => c.outcome === "page").length).toBeGreaterThanOrEqual(3);
    expect((await syncState(MOVING)).passStartedAt).toBeNull();
    await untilDue(MOVING);
    await sync.runOnce();
    await expectEqualToGraph(MOVING);
  });

  it("lets no tenant's long walk hold others back: it yields after its pages per run", { timeout: 180_000 }, async () => {
    await activate(BIG, SMALL_A, SMALL_B);
    // One tenant at a time and two pages per run: 290 incidents take BIG three runs (six pages),
    // the small tenants one each.
    const sync = engine({ concurrency: 1, maxPagesPerRun: 2 });
    await sync.runOnce();
    await expectEqualToGraph(SMALL_A);
    await expectEqualToGraph(SMALL_B);
    expect(await status(BIG)).toMatchObject({ state: "backfilling", incidentCount: 2 * PAGE, lastError: null });
    await syncUntilEqual(sync, [BIG, SMALL_A, SMALL_B]);
    expect(await status(BIG)).toMatchObject({ state: "up_to_date", backfillCompleted: true });
  });

  it("marks a tenant consent_revoked when consent is removed mid-sync, and stops syncing it", { timeout: 180_000 }, async () => {
    await activate(ADATUM);
    const sync = engine({ maxPagesPerRun: 1 });
    await sync.runOnce();
    expect(await prisma.incident.count({ where: { tenantId: ADATUM } })).toBe(PAGE);
    await control(emulator, "POST", `/tenants/${ADATUM}/revoke`);
    // The cached token is refused (401); the fresh one cannot be issued.
    await sync.runOnce();

    expect(reports).toEqual([{ kind: "token", tenantId: ADATUM, aadstsCode: "AADSTS7000229" }]);
    const tenant = await prisma.tenant.findUniqueOrThrow({ where: { id: ADATUM } });
    expect([tenant.status, tenant.lastErrorCode]).toEqual(["consent_revoked", "AADSTS7000229"]);
    const revoked = await status(ADATUM);
    expect(revoked).toMatchObject({ state: "paused", tenantStatus: "consent_revoked", lastError: { code: "AADSTS7000229" }, incidentCount: PAGE });
    expect(revoked!.lastError!.message).toMatch(/consent/);

    await resetMetrics();
    await sync.runOnce();
    expect((await metrics()).apiCalls[ADATUM]).toBeUndefined();
    await control(emulator, "POST", `/tenants/${ADATUM}/consent`, { roles: GRAPH_ROLES });
  });

  it(
    "after Graph refuses a token (403), fresh tokens decide: Permission missing naming Microsoft Graph, or Needs re-consent for Graph for a Defender API tenant",
    { timeout: 180_000 },
    async () => {
      await activate(CONTOSO, LEGACY);
      // CONTOSO's permissions were all removed; LEGACY consented long ago to the Defender API only
      // (Incident.Read.All): its Graph token is issued, but carries no roles.
      await control(emulator, "POST", `/tenants/${CONTOSO}/roles`, { roles: [] });
      await control(emulator, "POST", `/tenants/${LEGACY}/roles`, { roles: ["Incident.Read.All"] });
      await resetMetrics();
      await engine().runOnce();

      expect(reports.sort((a, b) => a.tenantId.localeCompare(b.tenantId))).toEqual(
        [CONTOSO, LEGACY].sort().map((tenantId) => ({ kind: "forbidden", tenantId, status: 403, api: "graph" })),
      );
      const seen = await metrics();
      const contoso = await prisma.tenant.findUniqueOrThrow({ where: { id: CONTOSO } });
      expect([contoso.status, contoso.lastErrorCode]).toEqual(["permission_missing", "HTTP 403"]);
      expect(contoso.lastErrorMessage).toMatch(/^Microsoft Graph refused/);
      const refused = await status(CONTOSO);
      expect(refused).toMatchObject({ state: "paused", tenantStatus: "permission_missing", lastError: { code: "HTTP 403" } });
      expect(refused!.lastError!.message).toMatch(/^Microsoft Graph refused the portal's token: .*consent/);
      expect(refused!.lastError!.message).toMatch(/Microsoft request id [0-9a-f-]{36}\./);
      // The Defender API tenant is not told its permissions are gone: it needs re-consent for Graph
      // and reads through the Defender API meanwhile.
      const legacy = await prisma.tenant.findUniqueOrThrow({ where: { id: LEGACY } });
      expect([legacy.status, legacy.incidentSource, legacy.legacyRoles, legacy.lastErrorCode]).toEqual([
        "graph_consent_needed",
        "defender",
        ["Incident.Read.All"],
        null,
      ]);
      for (const tenantId of [CONTOSO, LEGACY]) {
        // The sync's Graph token, refused by Graph; then the health check's fresh Graph and Defender API tokens.
        // Nothing went to the Defender API itself.
        expect(seen.tokenRequestsByResource[tenantId], tenantId).toEqual({ [GRAPH]: 2, [DEFENDER]: 1 });
        expect(seen.apiResponses[tenantId], tenantId).toEqual({ "403": 1 });
      }
      await control(emulator, "POST", `/tenants/${CONTOSO}/consent`, { roles: GRAPH_ROLES });
      // Out of the next tests' syncs (afterEach parks only active tenants).
      await prisma.tenant.update({ where: { id: LEGACY }, data: { status: "unreachable" } });
    },
  );

  it("reports a 401 that a fresh token does not cure (a token for another API) to tenant health", { timeout: 180_000 }, async () => {
    await activate(WRONG_AUDIENCE);
    await resetMetrics();
    // A portal misconfigured to ask for the Defender API's audience: Graph refuses those tokens.
    await engine({ resource: DEFENDER }).runOnce();
    expect(reports).toEqual([{ kind: "forbidden", tenantId: WRONG_AUDIENCE, status: 401, api: "graph" }]);
    const tenant = await prisma.tenant.findUniqueOrThrow({ where: { id: WRONG_AUDIENCE } });
    expect([tenant.status, tenant.lastErrorCode]).toEqual(["permission_missing", "HTTP 401"]);
    expect((await status(WRONG_AUDIENCE))?.lastError).toMatchObject({ code: "HTTP 401", message: expect.stringMatching(/^Microsoft Graph refused/) });
    // One retry with a fresh token, then the failure (and tenant health's own fresh Graph token);
    // the refused calls reached no API.
    const seen = await metrics();
    expect(seen.tokenRequestsByResource[WRONG_AUDIENCE]).toEqual({ [DEFENDER]: 2, [GRAPH]: 1 });
    expect(seen.apiCalls[WRONG_AUDIENCE]).toBeUndefined();
  });
});
