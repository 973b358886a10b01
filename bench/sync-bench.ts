// Child process: backfills N tenants from the bench emulator with the real sync engine into a
// scratch database (through Microsoft Graph, or the legacy Defender API with BENCH_SOURCE=defender),
// then polls while nothing changes; counts calls and token requests through the emulator's /metrics.
import type { BenchEmulatorReady } from "./bench-emulator";
import { closeDb, getDb } from "../server/services";
import { startSyncEngine } from "../server/incidents/sync-engine";
import type { SyncHealthReporter } from "../server/incidents/sync-scheduler";
import { DEFAULT_OVERLAP_MS } from "../server/incidents/sync-tenant";
import { DefenderClient } from "../server/microsoft/defender-client";
import { GraphSecurityClient } from "../server/microsoft/graph-security-client";
import type { IncidentSource } from "../server/microsoft/source-incident";
import { TokenBroker } from "../server/microsoft/token-broker";
import { applyPortalEnv } from "./bench-env";
import { activeTenantRow, benchTenants } from "./bench-tenants";
import { progress, writeChildResult } from "./child-result";
import { control, keyTotal, perTenant, statusCount, sumMetrics, type EmulatorMetrics, type Spread } from "./emulator-control";
import { startMemorySampler } from "./memory-sampler";
import { createScratchDatabase, type BenchDbKind } from "./scratch-database";
import { LIST_PER_MINUTE, PAGE_SIZE } from "./sync-floor";

/** Each API's token resource and the emulator's metric keys of its calls. */
const API: Record<IncidentSource, { resource: string; calls: string[]; list: string }> = {
  graph: { resource: "https://graph.microsoft.com", calls: ["graph.list", "graph.get", "graph.patch", "graph.comment"], list: "graph.list" },
  defender: { resource: "https://api.security.microsoft.com", calls: ["list", "get", "patch"], list: "list" },
};

/** Runs that failed (the scheduler records them and retries the tenant after its backoff). */
export type SyncFailures = { count: number; byCode: Record<string, number>; samples: string[] };

export type PollResult = {
  wallMs: number;
  /** How long after the newest change in the store the poll started (its bound is the previous pass's start minus the overlap). */
  startedAfterNewestMs: number;
  listCalls: Spread;
  tokenRequests: Spread;
  /** Incidents read again (and rewritten) by the poll: changes within the overlap of its bound. */
  reread: number;
  failures: SyncFailures;
};

export type SyncBenchResult = {
  kind: BenchDbKind;
  source: IncidentSource;
  tenants: number;
  incidentsPerTenant: number;
  concurrency: number;
  overlapMs: number;
  pageSize: number;
  listPerMinute: number;
  stored: number;
  /**
   * `failures`: runs that failed and were retried after the scheduler's backoff (the wait is in the
   * wall time); `healthReports`: failures reported against a tenant's health (token, 403).
   */
  backfill: {
    wallMs: number;
    rounds: number;
    listCalls: Spread;
    tokenRequests: Spread;
    throttled: number;
    failures: SyncFailures;
    backoffWaitMs: number;
    healthReports: number;
  };
  /** The poll right after the backfill: its bound is the backfill's start minus the overlap. */
  firstPoll: PollResult;
  /** Polls run (unmeasured) until the previous pass started more than the overlap after the newest change. */
  settlePolls: number;
  waitedMs: number;
  /** The measured idle poll: nothing changed since the previous pass's bound. */
  idle: PollResult;
  /** The whole run (backfill and every poll). */
  run: {
    tokenRequests: Spread;
    /** Token requests for the other API's resource, as the emulator and the broker counted them. */
    otherApiTokenRequests: { emulator: number; broker: number };
    /** Calls that reached the other API (every route, every tenant). */
    otherApiCalls: number;
  };
  /** Checks of counts (never timings); the bench exits non-zero after writing the figures if any failed. */
  violations: string[];
  /** retainedHeap: heapUsed after a forced GC at the end of the backfill (live data, not garbage). */
  memory: { baselineRss: number; peakRss: number; peakHeapUsed: number; retainedHeap: number; idlePeakRss: number };
};

const MAX_ROUNDS = 100;
/** Between polls a tenant is never due by itself: the bench decides when every tenant polls. */
const POLL_INTERVAL_MS = 24 * 3_600_000;
/** Our stored times are cut to milliseconds and the clocks are one: a second covers the border. */
const SETTLE_MARGIN_MS = 1_000;

async function main(): Promise<void> {
  const kind = process.env.BENCH_CHILD_DB as BenchDbKind;
  const source = (process.env.BENCH_SOURCE || "graph") as IncidentSource;
  const emulator = JSON.parse(process.env.BENCH_EMULATOR!) as BenchEmulatorReady;
  const perTenantCount = Number(process.env.BENCH_INCIDENTS);
  const concurrency = Number(process.env.BENCH_SYNC_CONCURRENCY || 4);
  const overlapMs = process.env.BENCH_SYNC_OVERLAP_MS ? Number(process.env.BENCH_SYNC_OVERLAP_MS) : DEFAULT_OVERLAP_MS;
  const api = API[source];
  const other = API[source === "graph" ? "defender" : "graph"];
  const tenants = benchTenants(emulator.tenantIds.length);
  const tenantIds = tenants.map((t) => t.id);
  const scratch = await createScratchDatabase(kind);
  try {
    applyPortalEnv(scratch.env, emulator, source);
    const prisma = await getDb();
    // Consent grants everything the app lists, for both APIs: the sync alone decides which it calls.
    for (let i = 0; i < tenantIds.length; i += 20) {
      await Promise.all(tenantIds.slice(i, i + 20).map((id) => control(emulator.controlUrl, "POST", `/tenants/${id}/consent`, {})));
    }
    await prisma.tenant.createMany({ data: tenants.map((t) => activeTenantRow(t, source)) });

    let healthReports = 0;
    // Health reports mean a tenant failed: counted, and the figures say so.
    const health: SyncHealthReporter = { tokenFailure: async () => void healthReports++, apiForbidden: async () => void healthReports++ };
    const brokerRequests = new Map<string, number>();
    const broker = new TokenBroker({
      clientId: emulator.clientId,
      credential: { kind: "secret", secret: emulator.clientSecret },
      authorityHost: emulator.authorityHost,
      onTokenRequest: (_tenantId, resource) => brokerRequests.set(resource, (brokerRequests.get(resource) ?? 0) + 1),
    });
    // Both clients, as in the portal: the engine picks one per tenant (server/incidents/incident-api.ts,
    // from INCIDENT_SOURCE and the tenant's row), so a wrong pick shows in the other API's counts.
    const graphClient = new GraphSecurityClient({ apiUrl: emulator.graphApiUrl, tokens: broker.forResource(API.graph.resource) });
    const defenderClient = new DefenderClient({ apiUrl: emulator.defenderApiUrl, tokens: broker.forResource(API.defender.resource) });
    // The backfill's rounds run the tenants whose pass is unfinished (page cap, or a failure once its
    // backoff has passed); a poll makes every tenant due at once, as its poll interval would.
    const engine = startSyncEngine({ prisma, graphClient, defenderClient, health, loop: false, pollIntervalMs: POLL_INTERVAL_MS, concurrency, overlapMs });
    /** Runs one round and returns the runs of it that failed (a tenant runs at most once a round). */
    const round = async (): Promise<SyncFailures> => {
      const startedAt = new Date();
      await engine.runOnce();
      const failed = await prisma.tenantSyncState.findMany({
        where: { lastErrorAt: { gte: startedAt } },
        select: { lastErrorCode: true, lastErrorMessage: true },
      });
      return failuresOf(failed);
    };
    global.gc?.();
    const memory = startMemorySampler();
    const baselineRss = process.memoryUsage().rss;
    const snapshots: EmulatorMetrics[] = [];
    const resetMetrics = () => control(emulator.controlUrl, "DELETE", "/metrics");
    const readMetrics = async () => {
      const snapshot = await control<EmulatorMetrics>(emulator.controlUrl, "GET", "/metrics");
      snapshots.push(snapshot);
      return snapshot;
    };
    await resetMetrics();

    const t0 = performance.now();
    let rounds = 0;
    const backfillFailures: SyncFailures[] = [];
    let backoffWaitMs = 0;
    for (; rounds < MAX_ROUNDS; rounds++) {
      if (rounds > 0) {
        const pending = await prisma.tenantSyncState.findMany({ where: { backfillCompletedAt: null }, select: { nextRunAt: true } });
        if (pending.length === 0) break;
        // Failed tenants are due after their backoff: wait for the first, as the engine's loop would.
        const dueInMs = Math.min(...pending.map((p) => p.nextRunAt.getTime())) - Date.now();
        if (dueInMs > 0) {
          backoffWaitMs += dueInMs + 10;
          await new Promise((resolve) => setTimeout(resolve, dueInMs + 10));
        }
      }
      const failed = await round();
      backfillFailures.push(failed);
      progress(
        `sync ${source} ${tenantIds.length} × ${perTenantCount}: round ${rounds + 1} done at ${((performance.now() - t0) / 1000).toFixed(0)} s${
          failed.count > 0
            ? `, ${failed.count} failed runs (${Object.entries(failed.byCode)
                .map(([code, n]) => `${code} ${n}`)
                .join(", ")})`
            : ""
        }`,
      );
    }
    const wallMs = performance.now() - t0;
    const backfillMetrics = await readMetrics();
    const afterBackfill = memory.read();
    global.gc?.();
    const retainedHeap = process.memoryUsage().heapUsed;
    const stored = await prisma.incident.count();
    const newest = (await prisma.incident.aggregate({ _max: { lastUpdateTime: true } }))._max.lastUpdateTime?.getTime() ?? 0;

    let lastPollStart = 0;
    const poll = async (): Promise<PollResult> => {
      await prisma.tenantSyncState.updateMany({ data: { nextRunAt: new Date() } });
      await resetMetrics();
      const startedAt = new Date();
      lastPollStart = startedAt.getTime();
      const t = performance.now();
      const failures = await round();
      const pollMs = performance.now() - t;
      const metrics = await readMetrics();
      return {
        wallMs: pollMs,
        startedAfterNewestMs: startedAt.getTime() - newest,
        listCalls: perTenant(metrics.apiCalls, tenantIds, api.list),
        tokenRequests: perTenant(metrics.tokenRequestsByResource, tenantIds, api.resource),
        reread: await prisma.incident.count({ where: { syncedAt: { gte: startedAt } } }),
        failures,
      };
    };

    const firstPoll = await poll();
    progress(`first poll after the backfill: ${firstPoll.listCalls.total} list calls, ${firstPoll.reread} incidents read again`);
    // Graph: the idle poll's bound is the previous pass's start minus the overlap, so once a pass
    // started more than the overlap after the newest change, the next one has nothing to read again.
    // (The Defender pass's bound is the newest change seen minus the overlap: no wait helps it.)
    const t2 = performance.now();
    let settlePolls = 0;
    while (source === "graph" && lastPollStart - overlapMs <= newest + SETTLE_MARGIN_MS) {
      const waitMs = newest + SETTLE_MARGIN_MS + overlapMs - Date.now() + 1;
      if (waitMs > 0) {
        progress(`waiting ${(waitMs / 1000).toFixed(0)} s for the ${(overlapMs / 1000).toFixed(0)} s overlap to pass the newest change`);
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
      await poll();
      settlePolls++;
    }
    const waitedMs = performance.now() - t2;
    memory.reset();
    const idle = await poll();
    const idlePeak = memory.read();
    memory.stop();
    await engine.stop();
    progress(`idle poll: ${idle.listCalls.total} list calls for ${tenantIds.length} tenants, ${idle.reread} incidents read again`);

    const run = sumMetrics(snapshots);
    const otherApiTokenRequests = { emulator: keyTotal(run.tokenRequestsByResource, [other.resource]), broker: brokerRequests.get(other.resource) ?? 0 };
    const otherApiCalls = keyTotal(run.apiCalls, other.calls);
    const violations: string[] = [];
    if (otherApiTokenRequests.emulator + otherApiTokenRequests.broker > 0)
      violations.push(`${otherApiTokenRequests.emulator} token requests (broker: ${otherApiTokenRequests.broker}) went to ${other.resource} in ${source} mode`);
    if (otherApiCalls > 0) violations.push(`${otherApiCalls} calls reached the ${source === "graph" ? "Defender" : "Graph"} API in ${source} mode`);
    const runTokens = perTenant(run.tokenRequestsByResource, tenantIds, api.resource);
    if (runTokens.max > 1) violations.push(`a tenant made ${runTokens.max} token requests for ${api.resource} within one token lifetime`);
    if (stored !== tenantIds.length * perTenantCount) violations.push(`${stored} incidents stored, ${tenantIds.length * perTenantCount} expected`);

    const result: SyncBenchResult = {
      kind,
      source,
      tenants: tenantIds.length,
      incidentsPerTenant: perTenantCount,
      concurrency,
      overlapMs,
      pageSize: PAGE_SIZE[source],
      listPerMinute: LIST_PER_MINUTE[source],
      stored,
      backfill: {
        wallMs,
        rounds,
        listCalls: perTenant(backfillMetrics.apiCalls, tenantIds, api.list),
        tokenRequests: perTenant(backfillMetrics.tokenRequestsByResource, tenantIds, api.resource),
        throttled: statusCount(backfillMetrics, 429),
        failures: mergeFailures(backfillFailures),
        backoffWaitMs,
        healthReports,
      },
      firstPoll,
      settlePolls,
      waitedMs,
      idle,
      run: { tokenRequests: runTokens, otherApiTokenRequests, otherApiCalls },
      violations,
      memory: { baselineRss, peakRss: afterBackfill.rss, peakHeapUsed: afterBackfill.heapUsed, retainedHeap, idlePeakRss: idlePeak.rss },
    };
    writeChildResult(result);
  } finally {
    await closeDb();
    await scratch.drop();
  }
}

function failuresOf(rows: { lastErrorCode: string | null; lastErrorMessage: string | null }[]): SyncFailures {
  const byCode: Record<string, number> = {};
  for (const row of rows) byCode[row.lastErrorCode ?? "unknown"] = (byCode[row.lastErrorCode ?? "unknown"] ?? 0) + 1;
  return { count: rows.length, byCode, samples: distinctSamples(rows.map((r) => r.lastErrorMessage ?? "")) };
}

function mergeFailures(list: SyncFailures[]): SyncFailures {
  const byCode: Record<string, number> = {};
  for (const f of list) for (const [code, n] of Object.entries(f.byCode)) byCode[code] = (byCode[code] ?? 0) + n;
  return { count: list.reduce((sum, f) => sum + f.count, 0), byCode, samples: distinctSamples(list.flatMap((f) => f.samples)) };
}

/** A few different messages, cut short (the tenant-specific numbers make most of them unique). */
function distinctSamples(messages: string[]): string[] {
  const seen = new Map<string, string>();
  for (const message of messages) {
    const key = message.replace(/\d+/g, "#").slice(0, 120);
    if (message && !seen.has(key)) seen.set(key, message.slice(0, 240));
  }
  return [...seen.values()].slice(0, 4);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`sync bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
