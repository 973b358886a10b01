// Child process: scale-out (issue #12 §4). Two sync worker processes (bench/sync-worker.ts, the real
// engine and loop, each with its own ownerId) share one PostgreSQL database with N tenants (1,000).
// After the backfill and a spell of polling, one worker is killed with SIGKILL; the other must take
// its tenants over once their leases expire. New incidents are added to random tenants throughout.
// Checked (counts, never timings): no tenant synced by both workers at once (the database's lease
// log and the workers' own logs of their Graph calls), every lease handed over directly came from the
// killed worker, the store holds exactly the emulator's incidents, no (tenant, incident) twice.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BenchEmulatorReady } from "./bench-emulator";
import { applyPortalEnv } from "./bench-env";
import { closeDb, getDb } from "../server/services";
import { progress, writeChildResult } from "./child-result";
import { control, perTenant, type EmulatorMetrics, type Spread } from "./emulator-control";
import {
  duplicateIncidents,
  emulatorIncidentCount,
  overlappingCalls,
  prepareTenants,
  readCallLog,
  readLeaseIntervals,
  sleep,
  startWorker,
  waitUntil,
  type LeaseInterval,
} from "./fleet";
import { createScratchDatabase } from "./scratch-database";
import { createSeededRandom } from "../emulator/seeded-random";
import type { WorkerReport } from "./sync-worker";

export type WorkerShare = { ownerId: string; runs: number; tenants: number; listCalls: number };

export type ScaleOutBenchResult = {
  tenants: number;
  incidentsPerTenant: number;
  latencyMs: number;
  concurrency: number | null;
  leaseMs: number;
  backfillMs: number;
  backfillComplete: boolean;
  /** Runs (leases taken) and distinct tenants per worker: in the backfill, then in the polling before the kill. */
  backfillShare: WorkerShare[];
  pollingShare: WorkerShare[];
  pollingMs: number;
  /** Tenants whose lease the killed worker held when it died. */
  heldAtKill: number;
  /** Kill → the survivor took the last of those leases (they expire first). */
  heldTakenOverMs: number | null;
  /** Kill → every tenant has finished a run by the survivor. */
  allTenantsSyncedMs: number | null;
  /** Leases that passed straight from one owner to another (a lease expired and was taken). */
  handovers: { fromKilled: number; fromLive: number };
  /** Pairs of overlapping leases / overlapping Graph list calls of different workers for one tenant. */
  overlappingLeases: number;
  overlappingCalls: number;
  listCallsChecked: number;
  added: number;
  storeCount: number;
  emulatorCount: number;
  missingAdded: number;
  duplicates: number;
  /** Token requests per tenant over the run (each worker process holds its own tokens). */
  tokenRequests: Spread;
  failedTenants: number;
  workers: WorkerReport[];
  violations: string[];
};

const OWNERS = ["bench-worker-a", "bench-worker-b"] as const;

function share(intervals: LeaseInterval[], from: number, to: number): WorkerShare[] {
  return OWNERS.map((ownerId) => {
    const mine = intervals.filter((i) => i.owner === ownerId && i.from >= from && i.from < to);
    return { ownerId, runs: mine.length, tenants: new Set(mine.map((i) => i.tenantId)).size, listCalls: 0 };
  });
}

function overlappingLeases(intervals: LeaseInterval[]): number {
  const byTenant = new Map<string, LeaseInterval[]>();
  for (const i of intervals) byTenant.set(i.tenantId, [...(byTenant.get(i.tenantId) ?? []), i]);
  let overlaps = 0;
  for (const list of byTenant.values()) {
    list.sort((a, b) => a.from - b.from);
    for (let i = 0; i < list.length; i++) {
      const end = list[i]!.to ?? Number.POSITIVE_INFINITY;
      for (let j = i + 1; j < list.length && list[j]!.from < end; j++) if (list[j]!.owner !== list[i]!.owner) overlaps++;
    }
  }
  return overlaps;
}

async function main(): Promise<void> {
  const emulator = JSON.parse(process.env.BENCH_EMULATOR!) as BenchEmulatorReady;
  const incidentsPerTenant = Number(process.env.BENCH_INCIDENTS);
  const latencyMs = Number(process.env.BENCH_LATENCY_MS || 0);
  const concurrency = process.env.BENCH_SCALE_CONCURRENCY ? Number(process.env.BENCH_SCALE_CONCURRENCY) : null;
  const leaseMs = Number(process.env.BENCH_LEASE_MS || 20_000);
  const pollingMs = Number(process.env.BENCH_SCALEOUT_POLL_S || 60) * 1000;
  const scratch = await createScratchDatabase("postgres");
  const logDir = mkdtempSync(path.join(tmpdir(), "portal-bench-scaleout-"));
  const [ownerA, ownerB] = OWNERS;
  try {
    applyPortalEnv(scratch.env, emulator, "graph");
    const prisma = await getDb();
    const tenantIds = await prepareTenants(prisma, scratch, emulator);
    await control(emulator.controlUrl, "DELETE", "/metrics");
    const workerOptions = { emulator, scratch, leaseMs, ...(concurrency ? { concurrency } : {}) };
    const start = Date.now();
    const [a, b] = await Promise.all([
      startWorker({ ...workerOptions, ownerId: ownerA, callLog: path.join(logDir, `${ownerA}.log`) }),
      startWorker({ ...workerOptions, ownerId: ownerB, callLog: path.join(logDir, `${ownerB}.log`) }),
    ]);
    try {
      let lastProgress = 0;
      const backfillComplete = await waitUntil(
        async () => {
          const done = await prisma.tenantSyncState.count({ where: { backfillCompletedAt: { not: null } } });
          if (Date.now() - lastProgress > 15_000) {
            lastProgress = Date.now();
            progress(`scale-out ${tenantIds.length} tenants, 2 workers: backfill ${done}/${tenantIds.length} at ${((Date.now() - start) / 1000).toFixed(0)} s`);
          }
          return done === tenantIds.length;
        },
        { everyMs: 1_000, timeoutMs: 30 * 60_000 },
      );
      const backfillEnd = Date.now();
      progress(
        `scale-out: backfill ${backfillComplete ? "done" : "NOT done"} in ${((backfillEnd - start) / 1000).toFixed(0)} s; polling ${pollingMs / 1000} s, then SIGKILL ${ownerA}`,
      );

      // New incidents in random tenants, one every 2 s, from now until the survivor has taken over.
      const random = createSeededRandom(21);
      const added: { tenantId: string; incidentId: number }[] = [];
      let adding = true;
      const adder = (async () => {
        while (adding) {
          const tenantId = random.pick(tenantIds);
          const [incident] = await control<{ incidentId: number }[]>(emulator.controlUrl, "POST", `/tenants/${tenantId}/incidents`, { count: 1 });
          if (incident) added.push({ tenantId, incidentId: incident.incidentId });
          await sleep(2_000);
        }
      })();

      await sleep(pollingMs);
      const reportA = await a.report();
      const killedAt = Date.now();
      await a.kill();
      const held = await prisma.tenantSyncState.findMany({ where: { leaseOwner: ownerA }, select: { tenantId: true } });
      progress(`scale-out: killed ${ownerA} holding ${held.length} leases; waiting for ${ownerB} to take over (lease ${leaseMs / 1000} s)`);
      let heldTakenOverMs: number | null = null;
      let allTenantsSyncedMs: number | null = null;
      await waitUntil(
        async () => {
          const after = (await readLeaseIntervals(prisma)).filter((i) => i.owner === ownerB && i.from >= killedAt);
          const firstTake = new Map<string, number>();
          const firstDone = new Map<string, number>();
          for (const i of after) {
            if (!firstTake.has(i.tenantId)) firstTake.set(i.tenantId, i.from);
            if (i.to !== null && !firstDone.has(i.tenantId)) firstDone.set(i.tenantId, i.to);
          }
          if (heldTakenOverMs === null && held.every((h) => firstTake.has(h.tenantId)))
            heldTakenOverMs = Math.max(0, ...held.map((h) => firstTake.get(h.tenantId)! - killedAt));
          if (tenantIds.every((id) => firstDone.has(id))) allTenantsSyncedMs = Math.max(...tenantIds.map((id) => firstDone.get(id)! - killedAt));
          return heldTakenOverMs !== null && allTenantsSyncedMs !== null;
        },
        { everyMs: 1_000, timeoutMs: leaseMs + 5 * 60_000 },
      );
      progress(
        `scale-out: held leases taken over after ${heldTakenOverMs === null ? "–" : `${(heldTakenOverMs / 1000).toFixed(1)} s`}, every tenant synced by ${ownerB} after ${allTenantsSyncedMs === null ? "–" : `${(allTenantsSyncedMs / 1000).toFixed(1)} s`}`,
      );
      await sleep(10_000);
      adding = false;
      await adder;

      // Nothing lost, nothing twice: wait for the survivor's next polls to bring in the last additions.
      const emulatorCount = await emulatorIncidentCount(emulator, tenantIds);
      let storeCount = 0;
      await waitUntil(
        async () => {
          storeCount = await prisma.incident.count();
          return storeCount >= emulatorCount;
        },
        { everyMs: 1_000, timeoutMs: 3 * 60_000 },
      );
      const present = await prisma.incident.findMany({
        where: { OR: added.map((x) => ({ tenantId: x.tenantId, incidentId: BigInt(x.incidentId) })) },
        select: { tenantId: true },
      });
      const duplicates = await duplicateIncidents(prisma);
      const reportB = await b.report();
      const failedTenants = await prisma.tenantSyncState.count({ where: { consecutiveFailures: { gt: 0 } } });
      await b.stop();

      const intervals = await readLeaseIntervals(prisma);
      const calls = [...readCallLog(a.callLog, ownerA), ...readCallLog(b.callLog, ownerB)];
      const overlapCalls = overlappingCalls(calls, { [ownerA]: killedAt });
      const overlapLeases = overlappingLeases(intervals);
      const handed = intervals.filter((i) => i.takenOverBy !== null);
      const handovers = { fromKilled: handed.filter((i) => i.owner === ownerA).length, fromLive: handed.filter((i) => i.owner !== ownerA).length };
      const metrics = await control<EmulatorMetrics>(emulator.controlUrl, "GET", "/metrics");
      const tokenRequests = perTenant(metrics.tokenRequestsByResource, tenantIds, "https://graph.microsoft.com");
      const pollingShare = share(intervals, backfillEnd, killedAt).map((s) => ({
        ...s,
        listCalls: calls.filter((c) => c.owner === s.ownerId && c.start >= backfillEnd && c.start < killedAt).length,
      }));
      const backfillShare = share(intervals, 0, backfillEnd).map((s) => ({
        ...s,
        listCalls: calls.filter((c) => c.owner === s.ownerId && c.start < backfillEnd).length,
      }));

      const violations: string[] = [];
      if (!backfillComplete) violations.push("the backfill did not complete within 30 minutes");
      if (overlapLeases > 0) violations.push(`${overlapLeases} overlapping leases of two workers on one tenant`);
      if (overlapCalls > 0) violations.push(`${overlapCalls} Graph calls of two workers for one tenant overlapped in time`);
      if (handovers.fromLive > 0) violations.push(`${handovers.fromLive} leases were taken from a live worker`);
      if (heldTakenOverMs === null) violations.push(`the survivor did not take over the ${held.length} leases of the killed worker`);
      if (allTenantsSyncedMs === null) violations.push("not every tenant was synced by the survivor after the kill");
      if (storeCount !== emulatorCount) violations.push(`${storeCount} incidents stored, the emulator holds ${emulatorCount}`);
      if (present.length !== added.length) violations.push(`${added.length - present.length} of ${added.length} added incidents missing from the store`);
      if (duplicates > 0) violations.push(`${duplicates} (tenant, incident) pairs stored twice`);
      if (tokenRequests.max > OWNERS.length) violations.push(`a tenant made ${tokenRequests.max} token requests (at most one per worker expected)`);

      const result: ScaleOutBenchResult = {
        tenants: tenantIds.length,
        incidentsPerTenant,
        latencyMs,
        concurrency,
        leaseMs,
        backfillMs: backfillEnd - start,
        backfillComplete,
        backfillShare,
        pollingShare,
        pollingMs: killedAt - backfillEnd,
        heldAtKill: held.length,
        heldTakenOverMs,
        allTenantsSyncedMs,
        handovers,
        overlappingLeases: overlapLeases,
        overlappingCalls: overlapCalls,
        listCallsChecked: calls.length,
        added: added.length,
        storeCount,
        emulatorCount,
        missingAdded: added.length - present.length,
        duplicates,
        tokenRequests,
        failedTenants,
        workers: [reportA, reportB],
        violations,
      };
      writeChildResult(result);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  } finally {
    await closeDb();
    await scratch.drop();
    rmSync(logDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`scale-out bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
