// Child process: steady-state polling at scale (issue #12 §4). N tenants (1,000) with a small backfill
// each, an emulator that adds a fixed latency to every Microsoft call, and one sync worker process
// (bench/sync-worker.ts: the real engine and its loop, default poll interval and concurrency unless
// given). After the backfill, incidents of random tenants are changed through the emulator's control
// API while the worker polls; each change's data age is the time until it is visible in the store.
import type { BenchEmulatorReady } from "./bench-emulator";
import { applyPortalEnv } from "./bench-env";
import { closeDb, getDb } from "../server/services";
import { progress, writeChildResult } from "./child-result";
import { control, perTenant, sumMetrics, type EmulatorMetrics, type Spread } from "./emulator-control";
import { prepareTenants, readLeaseIntervals, sleep, startWorker, waitUntil } from "./fleet";
import { createScratchDatabase } from "./scratch-database";
import { createSeededRandom } from "../emulator/seeded-random";
import { timingOf, type Timing } from "./stats";
import type { WorkerReport } from "./sync-worker";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export type SteadyBenchResult = {
  tenants: number;
  incidentsPerTenant: number;
  latencyMs: number;
  /** null: the engine's default. */
  concurrency: number | null;
  /** The worker's --max-old-space-size (null: Node's default). */
  oldSpaceMb: number | null;
  backfillMs: number;
  backfillComplete: boolean;
  /** The measured window: from the end of the backfill to the last change seen (or the timeout). */
  windowMs: number;
  changes: number;
  seen: number;
  /** Change made (the emulator answered the PATCH) → visible in the store (polled every 250 ms). */
  dataAgeMs: Timing;
  /** Runs (leases taken) and Graph list calls per tenant within the window. */
  runsPerTenant: Spread;
  listCallsPerTenant: Spread;
  listCallsPerRun: number;
  /** Tenants whose list calls in the window exceed their runs by more than one (a run in flight at an edge). */
  tenantsWithExtraCalls: number;
  /** Token requests per tenant over the whole run (backfill and polling). */
  tokenRequests: Spread;
  tokenLifetimeS: number;
  failedTenants: number;
  worker: WorkerReport & { backfillPeakRss: number };
  /** The worker's CPU time per run while polling (ms): how much of a core the idle polls cost. */
  cpuMsPerRun: number;
  violations: string[];
};

const POLL_EVERY_MS = 250;

async function main(): Promise<void> {
  const emulator = JSON.parse(process.env.BENCH_EMULATOR!) as BenchEmulatorReady;
  const incidentsPerTenant = Number(process.env.BENCH_INCIDENTS);
  const latencyMs = Number(process.env.BENCH_LATENCY_MS || 0);
  const concurrency = process.env.BENCH_SCALE_CONCURRENCY ? Number(process.env.BENCH_SCALE_CONCURRENCY) : null;
  const oldSpaceMb = process.env.BENCH_WORKER_OLD_SPACE_MB ? Number(process.env.BENCH_WORKER_OLD_SPACE_MB) : null;
  const changeCount = Number(process.env.BENCH_SCALE_CHANGES || 80);
  const spreadMs = Number(process.env.BENCH_SCALE_CHANGE_SPREAD_S || 120) * 1000;
  const scratch = await createScratchDatabase("postgres");
  const logDir = mkdtempSync(path.join(tmpdir(), "portal-bench-steady-"));
  try {
    applyPortalEnv(scratch.env, emulator, "graph");
    const prisma = await getDb();
    const tenantIds = await prepareTenants(prisma, scratch, emulator);
    await control(emulator.controlUrl, "DELETE", "/metrics");
    const t0 = performance.now();
    const worker = await startWorker({
      ownerId: "bench-steady",
      emulator,
      scratch,
      callLog: path.join(logDir, "calls.log"),
      oldSpaceMb,
      ...(concurrency ? { concurrency } : {}),
    });
    try {
      let lastProgress = 0;
      const backfillComplete = await waitUntil(
        async () => {
          const done = await prisma.tenantSyncState.count({ where: { backfillCompletedAt: { not: null } } });
          if (performance.now() - lastProgress > 15_000) {
            lastProgress = performance.now();
            progress(`steady ${tenantIds.length} tenants: backfill ${done}/${tenantIds.length} at ${((performance.now() - t0) / 1000).toFixed(0)} s`);
          }
          return done === tenantIds.length;
        },
        { everyMs: 1_000, timeoutMs: 30 * 60_000 },
      );
      const backfillMs = performance.now() - t0;
      const backfillReport = await worker.report();
      worker.resetPeak();
      const atBackfill = await control<EmulatorMetrics>(emulator.controlUrl, "GET", "/metrics");
      const windowStart = Date.now();
      progress(
        `steady: backfill ${backfillComplete ? "done" : "NOT done"} in ${(backfillMs / 1000).toFixed(0)} s; changing ${changeCount} incidents over ${spreadMs / 1000} s`,
      );

      // Distinct incidents in random tenants (one change each, so a later change cannot hide an earlier one).
      const random = createSeededRandom(12);
      const stored = await prisma.incident.findMany({ select: { tenantId: true, incidentId: true } });
      const picks = new Map<string, { tenantId: string; incidentId: bigint }>();
      while (picks.size < Math.min(changeCount, stored.length)) {
        const pick = random.pick(stored);
        picks.set(`${pick.tenantId}|${pick.incidentId}`, pick);
      }
      type Change = { tenantId: string; incidentId: bigint; marker: string; madeAt: number; seenAt: number | null };
      const changes: Change[] = [];
      let changing = true;
      const maker = (async () => {
        for (const [i, pick] of [...picks.values()].entries()) {
          const due = windowStart + (i * spreadMs) / picks.size;
          if (due > Date.now()) await sleep(due - Date.now());
          const marker = `bench-change-${i}@bench.example`;
          await control(emulator.controlUrl, "PATCH", `/tenants/${pick.tenantId}/incidents/${pick.incidentId}`, { assignedTo: marker });
          changes.push({ ...pick, marker, madeAt: Date.now(), seenAt: null });
        }
        changing = false;
      })();
      const deadline = windowStart + spreadMs + 5 * 60_000;
      while (Date.now() < deadline) {
        const pending = changes.filter((c) => c.seenAt === null);
        if (!changing && pending.length === 0) break;
        if (pending.length > 0) {
          const rows = await prisma.incident.findMany({
            where: { OR: pending.map((c) => ({ tenantId: c.tenantId, incidentId: c.incidentId })) },
            select: { tenantId: true, incidentId: true, assignedTo: true },
          });
          const now = Date.now();
          const current = new Map(rows.map((r) => [`${r.tenantId}|${r.incidentId}`, r.assignedTo]));
          for (const c of pending) if (current.get(`${c.tenantId}|${c.incidentId}`) === c.marker) c.seenAt = now;
        }
        await sleep(POLL_EVERY_MS);
      }
      await maker;
      const atEnd = await control<EmulatorMetrics>(emulator.controlUrl, "GET", "/metrics");
      const windowEnd = Date.now();
      const report = await worker.report();
      const intervals = (await readLeaseIntervals(prisma)).filter((i) => i.from >= windowStart && i.from < windowEnd);
      const failedTenants = await prisma.tenantSyncState.count({ where: { consecutiveFailures: { gt: 0 } } });
      await worker.stop();

      // List calls in the window: the end's counters minus the backfill's.
      const windowCalls = sumMetrics([atEnd, { ...atBackfill, apiCalls: negate(atBackfill.apiCalls) }]).apiCalls;
      const runs: Record<string, Record<string, number>> = {};
      for (const i of intervals) (runs[i.tenantId] ??= { run: 0 }).run! += 1;
      const runsPerTenant = perTenant(runs, tenantIds, "run");
      const listCallsPerTenant = perTenant(windowCalls, tenantIds, "graph.list");
      const tenantsWithExtraCalls = tenantIds.filter((id) => (windowCalls[id]?.["graph.list"] ?? 0) > (runs[id]?.run ?? 0) + 1).length;
      const tokenRequests = perTenant(atEnd.tokenRequestsByResource, tenantIds, "https://graph.microsoft.com");
      const state = await control<{ settings: { accessTokenLifetimeSeconds: number } }>(emulator.controlUrl, "GET", "/state");
      const seen = changes.filter((c) => c.seenAt !== null);
      const violations: string[] = [];
      if (!backfillComplete) violations.push("the backfill did not complete within 30 minutes");
      if (seen.length < changes.length) violations.push(`${changes.length - seen.length} of ${changes.length} changes never reached the store`);
      if (tenantsWithExtraCalls > 0) violations.push(`${tenantsWithExtraCalls} tenants made more than one list call per poll`);
      if (tokenRequests.max > 1 && (windowEnd - windowStart + backfillMs) / 1000 < state.settings.accessTokenLifetimeSeconds)
        violations.push(`a tenant made ${tokenRequests.max} token requests within one token lifetime`);
      const result: SteadyBenchResult = {
        tenants: tenantIds.length,
        incidentsPerTenant,
        latencyMs,
        concurrency,
        oldSpaceMb,
        backfillMs,
        backfillComplete,
        windowMs: windowEnd - windowStart,
        changes: changes.length,
        seen: seen.length,
        dataAgeMs: timingOf(seen.map((c) => c.seenAt! - c.madeAt)),
        runsPerTenant,
        listCallsPerTenant,
        listCallsPerRun: listCallsPerTenant.total / Math.max(1, runsPerTenant.total),
        tenantsWithExtraCalls,
        tokenRequests,
        tokenLifetimeS: state.settings.accessTokenLifetimeSeconds,
        failedTenants,
        worker: { ...report, backfillPeakRss: backfillReport.peakRss },
        cpuMsPerRun: (report.cpuMs - backfillReport.cpuMs) / Math.max(1, runsPerTenant.total),
        violations,
      };
      progress(
        `steady: data age p50 ${(result.dataAgeMs.p50 / 1000).toFixed(1)} s, p95 ${(result.dataAgeMs.p95 / 1000).toFixed(1)} s (${seen.length}/${changes.length} seen); ${result.listCallsPerRun.toFixed(3)} list calls per run; peak RSS ${(report.peakRss / 1_048_576).toFixed(0)} MB`,
      );
      writeChildResult(result);
    } finally {
      await worker.stop();
    }
  } finally {
    await closeDb();
    await scratch.drop();
    rmSync(logDir, { recursive: true, force: true });
  }
}

function negate(counter: Record<string, Record<string, number>>): Record<string, Record<string, number>> {
  return Object.fromEntries(Object.entries(counter).map(([tenant, row]) => [tenant, Object.fromEntries(Object.entries(row).map(([k, v]) => [k, -v]))]));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`steady bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
