// Markdown tables of the figures, ready to paste into the README's performance section.
import type { BenchOptions } from "./bench-options";
import type { QueueBenchResult, QueueCaseResult } from "./queue-bench";
import { mb, ms, type Timing } from "./stats";
import type { SyncBenchResult } from "./sync-bench";
import { backfillFloor } from "./sync-floor";

const t3 = (t: Timing | null) => (t ? `${ms(t.p50)} / ${ms(t.p95)} / ${ms(t.max)}` : "–");
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
const spread = (s: { min: number; mean: number; max: number }) => (s.min === s.max ? String(s.min) : `${s.min}–${s.max} (mean ${s.mean.toFixed(2)})`);

function caseRows(cases: QueueCaseResult[]): string[] {
  return cases.map((c) => `| ${c.name} | ${c.rows}${c.total === null ? "" : ` of ${c.total.toLocaleString("en-US")}`} | ${t3(c.list)} | ${t3(c.summary)} | ${t3(c.page)} |`);
}

export function queueReport(results: QueueBenchResult[], samples: number): string {
  const out: string[] = [];
  out.push("### Seeding", "", "| database | incidents | entity rows | avg `raw` | seed time | rows/s | database size | incident + entity tables |", "|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of results) {
    const s = r.seed;
    out.push(
      `| ${r.kind} | ${s.incidents.toLocaleString("en-US")} | ${s.entities.toLocaleString("en-US")} | ${(s.rawBytes / s.incidents / 1024).toFixed(1)} KB | ${seconds(s.seedMs)} (generate ${seconds(s.generateMs)}, insert ${seconds(s.insertMs)}, VACUUM ANALYZE ${seconds(s.analyzeMs)}) | ${Math.round(s.incidents / (s.insertMs / 1000)).toLocaleString("en-US")} | ${mb(s.databaseBytes)}${s.folderBytes ? ` (folder ${mb(s.folderBytes)})` : ""} | ${mb(s.incidentTableBytes)} + ${mb(s.entityTableBytes)} |`,
    );
  }
  for (const r of results) {
    out.push(
      "",
      `### Queue page server time — ${r.kind}, ${r.tenants} tenants × ${r.incidentsPerTenant.toLocaleString("en-US")} incidents (ms, p50 / p95 / max of ${samples} after 3 warm-ups)`,
      "",
      "`list` = listQueueIncidents (one page of 50), `summary` = summarizeQueue (counts), `page` = loadQueueView (both plus the filter options, in parallel, as the page calls it).",
      "",
      "| case | rows | list | summary | page |",
      "|---|---:|---:|---:|---:|",
      ...caseRows(r.cases),
      ...caseRows(r.deep),
    );
  }
  return out.join("\n");
}

export function syncReport(results: SyncBenchResult[], options: BenchOptions): string {
  const out: string[] = [];
  const scale = options.sync.scaledDown ? ` (scaled down from ${options.tenants} × ${options.incidentsPerTenant}; BENCH_FULL=1 for the full size)` : "";
  out.push(
    `### Sync from the emulator — ${results[0]?.kind ?? options.sync.db}, concurrency ${options.sync.concurrency}${scale}`,
    "",
    "| tenants × incidents | backfill wall | list calls / tenant | rate-limit floor (steady 50/min · burst) | wall / steady floor | token requests / tenant | 429s | idle poll: list calls / tenant | idle poll wall | peak RSS (backfill) | peak heapUsed | heap after GC | RSS at start |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const r of results) {
    const floor = backfillFloor({ tenants: r.tenants, listCallsPerTenant: r.backfill.listCalls.mean, concurrency: r.concurrency });
    out.push(
      `| ${r.tenants} × ${r.incidentsPerTenant.toLocaleString("en-US")} (${r.stored.toLocaleString("en-US")} stored) | ${seconds(r.backfill.wallMs)} | ${spread(r.backfill.listCalls)} | ${seconds(floor.steadyMs)} · ${seconds(floor.burstMs)} | ${(r.backfill.wallMs / floor.steadyMs).toFixed(2)} | ${spread(r.backfill.tokenRequests)} | ${r.backfill.throttled} | ${spread(r.idle.listCalls)} | ${seconds(r.idle.wallMs)} | ${mb(r.memory.peakRss)} | ${mb(r.memory.peakHeapUsed)} | ${mb(r.memory.retainedHeap)} | ${mb(r.memory.baselineRss)} |`,
    );
  }
  out.push(
    "",
    `Floor: list calls per tenant ÷ 50 per minute, ${options.sync.concurrency} tenants at a time ("steady"); the API's sliding window lets a tenant's first 50 calls in a minute go at once, so a tenant needing ≤ 50 calls has no rate-limit wait at all ("burst") and the backfill is bound by latency and the database instead.`,
  );
  const failed = results.filter((r) => r.backfill.failures > 0);
  if (failed.length > 0) out.push("", `⚠ tenant failures reported to health during: ${failed.map((r) => `${r.tenants} × ${r.incidentsPerTenant} (${r.backfill.failures})`).join(", ")}`);
  return out.join("\n");
}

/** The design targets, each with the figure that answers it. */
export function targetsReport(queue: QueueBenchResult[], sync: SyncBenchResult[]): string {
  const out = ["### Design targets (2-core machine, PostgreSQL)", "", "| target | measured |", "|---|---|"];
  const pg = queue.find((q) => q.kind === "postgres");
  if (pg) {
    const all = [...pg.cases, ...pg.deep];
    const worstList = all.reduce((a, b) => (b.list.p95 > a.list.p95 ? b : a));
    const worstPage = all.reduce((a, b) => (b.page.p95 > a.page.p95 ? b : a));
    out.push(`| queue page p95 < 100 ms at any depth | worst list p95 ${ms(worstList.list.p95)} ms (${worstList.name}); worst full page p95 ${ms(worstPage.page.p95)} ms (${worstPage.name}) |`);
  }
  if (sync.length > 0) {
    out.push(`| one list call per tenant per idle poll | ${sync.map((s) => `${spread(s.idle.listCalls)} at ${s.incidentsPerTenant}/tenant`).join("; ")} |`);
    const sorted = [...sync].sort((a, b) => a.incidentsPerTenant - b.incidentsPerTenant);
    const first = sorted[0]!;
    const last = sorted.at(-1)!;
    if (sorted.length > 1) {
      out.push(`| memory flat in the number of incidents | peak RSS ${mb(first.memory.peakRss)} at ${first.incidentsPerTenant}/tenant vs ${mb(last.memory.peakRss)} at ${last.incidentsPerTenant}/tenant (peak heapUsed ${mb(first.memory.peakHeapUsed)} vs ${mb(last.memory.peakHeapUsed)}; heap after GC ${mb(first.memory.retainedHeap)} vs ${mb(last.memory.retainedHeap)}) |`);
    }
  }
  return out.join("\n");
}
