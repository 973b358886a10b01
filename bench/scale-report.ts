// Markdown of the BENCH_SCALE runs (steady-state polling, scale-out), in the style of report.ts.
import type { BenchOptions } from "./bench-options";
import type { ScaleResults } from "./scale-runs";
import { mb } from "./stats";
import { adaptiveSyncConcurrency } from "../server/incidents/sync-scheduler";

const seconds = (value: number | null) => (value === null ? "–" : `${(value / 1000).toFixed(1)} s`);
const spread = (s: { min: number; mean: number; max: number }) => (s.min === s.max ? String(s.min) : `${s.min}–${s.max} (mean ${s.mean.toFixed(2)})`);
const concurrencyName = (c: number | null, tenants: number, oldSpaceMb: number | null = null) =>
  `${c === null ? `${adaptiveSyncConcurrency(tenants)} (the default at ${tenants.toLocaleString("en-US")} tenants)` : String(c)}${oldSpaceMb === null ? "" : `, worker --max-old-space-size=${oldSpaceMb}`}`;

export function scaleReport(results: ScaleResults, options: BenchOptions): string {
  const s = options.scale;
  const out: string[] = [];
  if (results.steady.length > 0) {
    out.push(
      `### Steady-state polling — PostgreSQL, ${s.tenants.toLocaleString("en-US")} tenants × ${s.incidentsPerTenant} incidents, ${s.latencyMs} ms added to every Microsoft call (token and Graph)`,
      "",
      "One sync worker process (the real engine and loop: poll interval 30 s, lease 2 min). After the backfill, incidents of random tenants are changed through the emulator's control API (one change each, spread over the window) while it polls; data age = the change made → the incident's new value visible in the store (polled every 250 ms). Runs are the leases the worker took (a trigger logs them); list calls and token requests are the emulator's counts.",
      "",
      "| concurrency | backfill wall | changes seen | data age p50 / p95 / max | runs / tenant in the window | list calls / run | Graph token requests / tenant, whole run | RSS at start | peak RSS backfill · polling | peak heapTotal · external (polling) | heap after GC | worker CPU / run (polling) | failed tenants |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const r of results.steady) {
      out.push(
        `| ${concurrencyName(r.concurrency, r.tenants, r.oldSpaceMb)} | ${seconds(r.backfillMs)} | ${r.seen} of ${r.changes} in ${seconds(r.windowMs)} | ${seconds(r.dataAgeMs.p50)} / ${seconds(r.dataAgeMs.p95)} / ${seconds(r.dataAgeMs.max)} | ${spread(r.runsPerTenant)} | ${r.listCallsPerRun.toFixed(3)} (${spread(r.listCallsPerTenant)} / tenant) | ${spread(r.tokenRequests)} (lifetime ${r.tokenLifetimeS} s) | ${mb(r.worker.startRss)} | ${mb(r.worker.backfillPeakRss)} · ${mb(r.worker.peakRss)} | ${mb(r.worker.peakHeapTotal)} · ${mb(r.worker.peakExternal)} | ${mb(r.worker.heapAfterGc)} | ${r.cpuMsPerRun ? `${r.cpuMsPerRun.toFixed(0)} ms` : "–"} | ${r.failedTenants} |`,
      );
    }
  }
  const o = results.scaleOut;
  if (o) {
    const shareCell = (list: { ownerId: string; runs: number; tenants: number; listCalls: number }[]) =>
      list
        .map((w) => `${w.ownerId}: ${w.runs.toLocaleString("en-US")} runs, ${w.tenants} tenants, ${w.listCalls.toLocaleString("en-US")} list calls`)
        .join("; ");
    out.push(
      "",
      `### Scale-out — two sync workers, one PostgreSQL, ${o.tenants.toLocaleString("en-US")} tenants × ${o.incidentsPerTenant} incidents, ${o.latencyMs} ms added per Microsoft call, concurrency ${concurrencyName(o.concurrency, o.tenants)} each, lease ${o.leaseMs / 1000} s`,
      "",
      `Two processes of bench/sync-worker.ts (startSyncEngine with its loop, as \`npm run worker\` runs it, each with its own ownerId; the lease shortened to ${o.leaseMs / 1000} s through the engine's \`leaseMs\`, which the worker's environment does not set). After the backfill and ${seconds(o.pollingMs)} of polling, bench-worker-a is killed with SIGKILL; an incident is added to a random tenant every 2 s throughout. Overlaps are checked on the database's lease log (a trigger on every change of \`lease_owner\`) and on each worker's own log of its Graph list calls.`,
      "",
      "| | measured |",
      "|---|---|",
      `| backfill (both workers) | ${seconds(o.backfillMs)}: ${shareCell(o.backfillShare)} |`,
      `| polling before the kill (${seconds(o.pollingMs)}) | ${shareCell(o.pollingShare)} |`,
      `| leases held by the killed worker | ${o.heldAtKill}; taken over ${seconds(o.heldTakenOverMs)} after the kill |`,
      `| every tenant synced again by the survivor | ${seconds(o.allTenantsSyncedMs)} after the kill |`,
      `| leases handed straight from one owner to another | ${o.handovers.fromKilled} from the killed worker, ${o.handovers.fromLive} from a live one |`,
      `| a tenant synced by both at once | ${o.overlappingLeases} overlapping leases; ${o.overlappingCalls} overlapping Graph calls (of ${o.listCallsChecked.toLocaleString("en-US")} logged) |`,
      `| store vs emulator | ${o.storeCount.toLocaleString("en-US")} stored, ${o.emulatorCount.toLocaleString("en-US")} at the emulator; ${o.added} added during the run, ${o.missingAdded} missing; ${o.duplicates} duplicate (tenant, incident) rows |`,
      `| Graph token requests / tenant (two processes, each its own tokens) | ${spread(o.tokenRequests)} |`,
      `| RSS at start · peak RSS · heap after GC | ${o.workers.map((w) => `${w.ownerId}: ${mb(w.startRss)} · ${mb(w.lifePeakRss)} · ${mb(w.heapAfterGc)}`).join("; ")} |`,
      `| failed tenants at the end | ${o.failedTenants} |`,
    );
  }
  const targets = scaleTargets(results);
  if (targets.length > 0) out.push("", "#### Targets at scale (issue #12 §4)", "", "| target | measured |", "|---|---|", ...targets);
  const violations = [...results.steady.flatMap((r) => r.violations), ...(o?.violations ?? [])];
  if (violations.length > 0) out.push("", `⚠ checks failed: ${violations.join("; ")}`);
  return out.join("\n");
}

/** Rows for the design-targets table. */
export function scaleTargets(results: ScaleResults): string[] {
  const rows: string[] = [];
  for (const r of results.steady) {
    const at = `${r.tenants.toLocaleString("en-US")} tenants, +${r.latencyMs} ms a call, concurrency ${concurrencyName(r.concurrency, r.tenants, r.oldSpaceMb)}`;
    rows.push(`| data age p95 ≤ 60 s | ${seconds(r.dataAgeMs.p95)} (p50 ${seconds(r.dataAgeMs.p50)}, max ${seconds(r.dataAgeMs.max)}; ${at}) |`);
    rows.push(`| one list call per tenant per idle poll (${at}) | ${r.listCallsPerRun.toFixed(3)} list calls per run |`);
    rows.push(`| one token request per tenant per token lifetime (${at}) | ${spread(r.tokenRequests)} |`);
    rows.push(
      `| syncing process ≤ 300 MB RSS (${at}) | peak ${mb(Math.max(r.worker.backfillPeakRss, r.worker.peakRss))}; heap after GC ${mb(r.worker.heapAfterGc)} |`,
    );
  }
  const o = results.scaleOut;
  if (o)
    rows.push(
      `| a second worker takes over a dead one's tenants within the lease | held leases ${seconds(o.heldTakenOverMs)}, every tenant ${seconds(o.allTenantsSyncedMs)} after SIGKILL (lease ${o.leaseMs / 1000} s); ${o.overlappingLeases + o.overlappingCalls} overlaps, ${o.missingAdded} lost, ${o.duplicates} duplicated |`,
    );
  return rows;
}
