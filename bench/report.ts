// Markdown tables of the figures, ready to paste into the README's performance section.
import type { BenchOptions } from "./bench-options";
import type { QueueBenchResult, QueueCaseResult } from "./queue-bench";
import { mb, ms, type Timing } from "./stats";
import type { SyncBenchResult, SyncFailures } from "./sync-bench";
import { backfillFloor } from "./sync-floor";

const t3 = (t: Timing | null) => (t ? `${ms(t.p50)} / ${ms(t.p95)} / ${ms(t.max)}` : "–");
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
const spread = (s: { min: number; mean: number; max: number }) => (s.min === s.max ? String(s.min) : `${s.min}–${s.max} (mean ${s.mean.toFixed(2)})`);

function caseRows(cases: QueueCaseResult[]): string[] {
  return cases.map(
    (c) => `| ${c.name} | ${c.rows}${c.total === null ? "" : ` of ${c.total.toLocaleString("en-US")}`} | ${t3(c.list)} | ${t3(c.summary)} | ${t3(c.page)} |`,
  );
}

export function queueReport(results: QueueBenchResult[], samples: number): string {
  const out: string[] = [];
  out.push(
    "### Seeding",
    "",
    "| database | incidents | entity rows | avg `raw` | seed time | rows/s | database size | incident + entity tables |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  );
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
      "`list` = listQueueIncidents (one page of 50), `summary` = summarizeQueue (counts; kept counts for tenant, severity, status and unassigned, a count of the matching incidents otherwise), `page` = loadQueueView (tenants, text search, the page of rows and the filter choices: what the table waits for; the summary streams in after it).",
      "",
      "| case | rows | list | summary | page |",
      "|---|---:|---:|---:|---:|",
      ...caseRows(r.cases),
      ...caseRows(r.deep),
    );
  }
  for (const r of results) {
    if (r.overview.length === 0) continue;
    out.push(
      "",
      `### Overview page server time — ${r.kind}, ${r.tenants} tenants × ${r.incidentsPerTenant.toLocaleString("en-US")} incidents (ms, p50 / p95 / max of ${samples} after 3 warm-ups)`,
      "",
      "`figures` = loadOverview computed for the request (headline counts, opened and resolved per day, backlog per day, service levels per customer, in parallel: the page's first paint); `top lists` = loadOverviewTopLists computed (top alert categories and MITRE techniques from the alert-facet columns, streamed in after); `served` = both as the page gets them: a scope of 50,000 incidents or more from a computation up to a minute old (server/overview/overview-recent.ts), a smaller one computed.",
      "",
      "| case | tenants | opened in period | open now | figures (computed) | top lists (computed) | served | served from a recent computation |",
      "|---|---:|---:|---:|---:|---:|---:|---|",
      ...r.overview.map(
        (c) =>
          `| ${c.name} | ${c.tenants} | ${c.opened.toLocaleString("en-US")} | ${c.open.toLocaleString("en-US")} | ${t3(c.figures)} | ${t3(c.topLists)} | ${c.served ? t3(c.served) : "–"} | ${c.servedRecent ? "yes" : "no"} |`,
      ),
    );
  }
  for (const r of results) {
    if (!r.indicators?.length) continue;
    out.push(
      "",
      `### Cross-tenant indicators — ${r.kind}, ${r.tenants} tenants × ${r.incidentsPerTenant.toLocaleString("en-US")} incidents (ms, p50 / p95 / max of ${samples} after 3 warm-ups)`,
      "",
      "| case | rows | shared values | time |",
      "|---|---:|---:|---:|",
      ...r.indicators.map((c) => `| ${c.name} | ${c.rows} | ${c.total.toLocaleString("en-US")} | ${t3(c.timing)} |`),
    );
  }
  return out.join("\n");
}

const failureCell = (f: SyncFailures, waitMs: number) =>
  f.count === 0
    ? "0"
    : `${f.count}: ${Object.entries(f.byCode)
        .map(([code, n]) => `${code} ${n}`)
        .join(", ")} (${seconds(waitMs)})`;
const perTenantCount = (total: number, tenants: number) => (total % tenants === 0 ? String(total / tenants) : (total / tenants).toFixed(1));
const SOURCE_NAME = { graph: "Microsoft Graph", defender: "the Defender API (legacy)" } as const;
const API_NAME = { graph: "Graph", defender: "Defender" } as const;
const OTHER = { graph: "defender", defender: "graph" } as const;

export function syncReport(results: SyncBenchResult[], options: BenchOptions): string {
  const out: string[] = [];
  const source = options.sync.source;
  const first = results[0];
  const scale = options.sync.scaledDown
    ? ` (scaled down from ${options.tenants} × ${options.incidentsPerTenant.toLocaleString("en-US")}; BENCH_FULL=1 for the full size)`
    : "";
  const perMinute = first?.listPerMinute ?? 0;
  const overlap = first
    ? `${(first.overlapMs / 1000).toFixed(0)} s${options.sync.overlapMs === null ? " (the sync's default)" : " (BENCH_SYNC_OVERLAP_MS)"}`
    : "–";
  out.push(
    `### Sync from ${SOURCE_NAME[source]} — ${first?.kind ?? options.sync.db}, concurrency ${options.sync.concurrency}, ${first?.pageSize ?? "–"} incidents a page, overlap ${overlap}${scale}`,
    "",
    `| tenants × incidents | backfill wall | incidents/s | list calls / tenant | rate-limit floor (steady ${perMinute}/min · burst) | wall / steady floor | 429s | failed runs, retried (backoff wait) | peak RSS (backfill) | peak heapUsed | heap after GC | RSS at start |`,
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const r of results) {
    const floor = backfillFloor({ tenants: r.tenants, listCallsPerTenant: r.backfill.listCalls.mean, concurrency: r.concurrency, perMinute: r.listPerMinute });
    out.push(
      `| ${r.tenants} × ${r.incidentsPerTenant.toLocaleString("en-US")} (${r.stored.toLocaleString("en-US")} stored) | ${seconds(r.backfill.wallMs)} | ${Math.round(r.stored / (r.backfill.wallMs / 1000)).toLocaleString("en-US")} | ${spread(r.backfill.listCalls)} | ${seconds(floor.steadyMs)} · ${seconds(floor.burstMs)} | ${(r.backfill.wallMs / floor.steadyMs).toFixed(2)} | ${r.backfill.throttled} | ${failureCell(r.backfill.failures, r.backfill.backoffWaitMs)} | ${mb(r.memory.peakRss)} | ${mb(r.memory.peakHeapUsed)} | ${mb(r.memory.retainedHeap)} | ${mb(r.memory.baselineRss)} |`,
    );
  }
  const api = API_NAME[source];
  const otherApi = API_NAME[OTHER[source]];
  out.push(
    "",
    `| tenants × incidents | first poll after the backfill: list calls / tenant (incidents read again / tenant) | idle poll: list calls / tenant (read again / tenant) | idle poll wall | waited for the overlap | ${api} token requests / tenant, whole run | ${otherApi} token requests | ${otherApi} API calls |`,
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const r of results) {
    out.push(
      `| ${r.tenants} × ${r.incidentsPerTenant.toLocaleString("en-US")} | ${spread(r.firstPoll.listCalls)} (${perTenantCount(r.firstPoll.reread, r.tenants)}) | ${spread(r.idle.listCalls)} (${perTenantCount(r.idle.reread, r.tenants)}) | ${seconds(r.idle.wallMs)} | ${r.settlePolls > 0 ? `${seconds(r.waitedMs)}, ${r.settlePolls} poll${r.settlePolls > 1 ? "s" : ""}` : "–"} | ${spread(r.run.tokenRequests)} | ${r.run.otherApiTokenRequests.emulator} | ${r.run.otherApiCalls} |`,
    );
  }
  out.push(
    "",
    `Floor: list calls per tenant ÷ ${perMinute} per minute, ${options.sync.concurrency} tenants at a time ("steady"); the API's sliding window lets a tenant's first ${perMinute} calls in a minute go at once, so a tenant needing ≤ ${perMinute} calls has no rate-limit wait at all ("burst") and the backfill is bound by latency, parsing and the database instead.`,
    source === "graph"
      ? "Polls: a Graph pass's bound is the previous pass's start minus the overlap. The first poll after the backfill re-reads what changed within the overlap before the backfill began; the idle poll runs once a pass has started more than the overlap after the newest change (the bench waits for that, with unmeasured polls), so it reads nothing again. Token requests and API calls are the emulator's counts (`tokenRequestsByResource`, `apiCalls`) over the backfill and every poll."
      : "Polls: a Defender pass's bound is the newest change seen minus the overlap, so every poll reads the incidents changed in the overlap before the newest change again (within its one page of 100). Token requests and API calls are the emulator's counts over the backfill and every poll.",
  );
  const reported = results.filter((r) => r.backfill.healthReports > 0);
  if (reported.length > 0)
    out.push(
      "",
      `⚠ tenant failures reported to health during: ${reported.map((r) => `${r.tenants} × ${r.incidentsPerTenant} (${r.backfill.healthReports})`).join(", ")}`,
    );
  const failedRuns = results.flatMap((r) =>
    [r.backfill.failures, r.firstPoll.failures, r.idle.failures].flatMap((f) => f.samples.map((sample) => `${r.tenants} × ${r.incidentsPerTenant}: ${sample}`)),
  );
  const pollFailures = results.reduce((sum, r) => sum + r.firstPoll.failures.count + r.idle.failures.count, 0);
  if (failedRuns.length > 0) {
    out.push(
      "",
      `⚠ failed sync runs (the scheduler retried them after its backoff; ${pollFailures} of them in the measured polls), for example:`,
      "",
      ...failedRuns.slice(0, 6).map((m) => `- ${m.replaceAll("|", "\\|").replaceAll("\n", " ")}`),
    );
  }
  const violations = results.flatMap((r) => r.violations.map((v) => `${r.tenants} × ${r.incidentsPerTenant}: ${v}`));
  if (violations.length > 0) out.push("", `⚠ checks failed: ${violations.join("; ")}`);
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
    const summarized = all.filter((c) => c.summary !== null);
    const worstSummary = summarized.length ? summarized.reduce((a, b) => (b.summary!.p95 > a.summary!.p95 ? b : a)) : null;
    out.push(
      `| queue page p95 ≤ 50 ms for every filter and sort (text search ≤ 100 ms) | worst list p95 ${ms(worstList.list.p95)} ms (${worstList.name}); worst page p95 ${ms(worstPage.page.p95)} ms (${worstPage.name})${worstSummary ? `; worst streamed summary p95 ${ms(worstSummary.summary!.p95)} ms (${worstSummary.name})` : ""} |`,
    );
    const overview = pg.overview.find((c) => c.name.startsWith("30 days, all"));
    if (overview)
      out.push(
        `| overview page, 30 days, all tenants | computed: figures p50 / p95 ${ms(overview.figures.p50)} / ${ms(overview.figures.p95)} ms, top lists ${ms(overview.topLists.p50)} / ${ms(overview.topLists.p95)} ms; served ${ms(overview.served.p50)} / ${ms(overview.served.p95)} ms${overview.servedRecent ? " (from a recent computation)" : ""} |`,
      );
  }
  if (sync.length > 0) {
    const source = sync[0]!.source;
    const api = API_NAME[source];
    const otherApi = API_NAME[OTHER[source]];
    out.push(
      `| one list call per tenant per idle poll (${api}) | ${sync.map((s) => `${spread(s.idle.listCalls)} at ${s.tenants} × ${s.incidentsPerTenant}`).join("; ")} |`,
    );
    out.push(
      `| one token request per tenant per token lifetime per API | ${api}: ${sync.map((s) => `${spread(s.run.tokenRequests)} at ${s.tenants} × ${s.incidentsPerTenant}`).join("; ")}; ${otherApi}: ${sync.reduce((sum, s) => sum + s.run.otherApiTokenRequests.emulator, 0)} in all runs |`,
    );
    out.push(`| no call reaches the ${otherApi} API | ${sync.reduce((sum, s) => sum + s.run.otherApiCalls, 0)} calls in all runs |`);
    const deepest = sync.reduce((a, b) => (b.incidentsPerTenant > a.incidentsPerTenant ? b : a));
    out.push(
      `| backfill of a ${deepest.incidentsPerTenant.toLocaleString("en-US")}-incident tenant | ${deepest.tenants} tenants in ${seconds(deepest.backfill.wallMs)} (${spread(deepest.backfill.listCalls)} list calls each, concurrency ${deepest.concurrency}) |`,
    );
    // Memory flatness compares runs of the same tenant count.
    const sameTenants = sync.filter((s) => s.tenants === sync[0]!.tenants).sort((a, b) => a.incidentsPerTenant - b.incidentsPerTenant);
    if (sameTenants.length > 1) {
      const lo = sameTenants[0]!;
      const hi = sameTenants.at(-1)!;
      out.push(
        `| memory flat in the number of incidents | peak RSS ${mb(lo.memory.peakRss)} at ${lo.incidentsPerTenant}/tenant vs ${mb(hi.memory.peakRss)} at ${hi.incidentsPerTenant}/tenant (peak heapUsed ${mb(lo.memory.peakHeapUsed)} vs ${mb(hi.memory.peakHeapUsed)}; heap after GC ${mb(lo.memory.retainedHeap)} vs ${mb(hi.memory.retainedHeap)}) |`,
      );
    }
  }
  return out.join("\n");
}
