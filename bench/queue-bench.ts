// Child process: one database kind. Seeds a scratch database, then times the queue page's own
// server functions (listQueueIncidents, summarizeQueue, loadQueueView) and the overview page's
// (loadOverview, loadOverviewTopLists) through getDb().
import type { StaffSession } from "../server/auth/staff-session";
import { closeDb, getDb } from "../server/services";
import { parseQueueFilters } from "../server/incidents/queue-filters";
import { listQueueIncidents, summarizeQueue } from "../server/incidents/queue-query";
import { loadQueueView } from "../server/incidents/queue-view";
import { parseOverviewFilters } from "../server/overview/overview-filters";
import { loadOverview, loadOverviewTopLists } from "../server/overview/overview-view";
import { applyPortalEnv } from "./bench-env";
import { benchTenants } from "./bench-tenants";
import { progress, writeChildResult } from "./child-result";
import { DEEP_CASES, queueCases } from "./queue-cases";
import { createScratchDatabase, type BenchDbKind } from "./scratch-database";
import { seedStore, type SeedResult } from "./seed-store";
import { measure, type Timing } from "./stats";
import { measureIndicatorCases, type IndicatorCaseResult } from "./indicator-cases";

export type QueueCaseResult = { name: string; rows: number; total: number | null; list: Timing; summary: Timing | null; page: Timing };
/** One overview view: its headline figures (to show what was read), the figures' time and the top lists' time. */
export type OverviewCaseResult = {
  name: string;
  tenants: number;
  opened: number;
  open: number;
  /** Computed for the request. */
  figures: Timing;
  topLists: Timing;
  /** Both as the page gets them: a large store's from a computation up to a minute old (`servedRecent`). */
  served: Timing;
  servedRecent: boolean;
};
export type QueueBenchResult = {
  kind: BenchDbKind;
  tenants: number;
  incidentsPerTenant: number;
  seed: SeedResult & {
    seedMs: number;
    analyzeMs: number;
    databaseBytes: number;
    incidentTableBytes: number;
    entityTableBytes: number;
    folderBytes: number | null;
  };
  cases: QueueCaseResult[];
  deep: QueueCaseResult[];
  overview: OverviewCaseResult[];
  indicators: IndicatorCaseResult[];
};

const staff: StaffSession = {
  oid: "bench",
  tenantId: "bench",
  name: "Bench Admin",
  username: "bench.admin@northwindcyber.onmicrosoft.com",
  role: "Portal.Admin",
};

/**
 * A database kept with BENCH_KEEP_DB that already holds the store: its counts, without seeding again
 * (generate and insert times 0). An empty one is seeded; a partly seeded one (a run cut off) is refused.
 */
async function keptSeed(prisma: Awaited<ReturnType<typeof getDb>>, expected: number): Promise<SeedResult | null> {
  if (!process.env.BENCH_KEEP_DB) return null;
  // The records' size from a sample: summing every `raw` would read gigabytes.
  const [row] = await prisma.$queryRawUnsafe<{ incidents: bigint; entities: bigint; raw: number | null }[]>(
    `SELECT (SELECT count(*) FROM incident) AS incidents, (SELECT count(*) FROM incident_entity) AS entities,
            (SELECT avg(octet_length(raw::text))::float8 FROM (SELECT raw FROM incident LIMIT 1000) s) AS raw`,
  );
  const incidents = Number(row!.incidents);
  if (incidents === 0) return null;
  if (incidents !== expected)
    throw new Error(
      `BENCH_KEEP_DB: the kept database holds ${incidents} incidents, not ${expected}; drop it (DROP DATABASE portal_bench_keep_${process.env.BENCH_KEEP_DB}) and run again`,
    );
  progress(`kept database: ${incidents} incidents already seeded`);
  return { incidents, entities: Number(row!.entities), rawBytes: Math.round((row!.raw ?? 0) * incidents), generateMs: 0, insertMs: 0 };
}

async function main(): Promise<void> {
  const kind = process.env.BENCH_CHILD_DB as BenchDbKind;
  const tenantCount = Number(process.env.BENCH_TENANTS);
  const perTenant = Number(process.env.BENCH_INCIDENTS);
  const opts = { warmup: 3, samples: Number(process.env.BENCH_SAMPLES || 30) };
  const scratch = await createScratchDatabase(kind);
  try {
    applyPortalEnv(scratch.env);
    const prisma = await getDb();
    const tenants = benchTenants(tenantCount);
    const t0 = performance.now();
    const seeded =
      (await keptSeed(prisma, tenantCount * perTenant)) ??
      (await seedStore(prisma, {
        tenants,
        incidentsPerTenant: perTenant,
        onTenant: (done) => done % 25 === 0 && progress(`${kind}: seeded ${done}/${tenantCount} tenants (${((performance.now() - t0) / 1000).toFixed(0)} s)`),
      }));
    const seedMs = performance.now() - t0;
    const t1 = performance.now();
    // What autovacuum keeps up to date on a live database: statistics and the visibility map.
    await prisma.$executeRawUnsafe("VACUUM ANALYZE");
    const analyzeMs = performance.now() - t1;
    const [sizes] = await prisma.$queryRawUnsafe<{ db: bigint; inc: bigint; ent: bigint }[]>(
      `SELECT pg_database_size(current_database()) AS db, pg_total_relation_size('incident') AS inc, pg_total_relation_size('incident_entity') AS ent`,
    );
    progress(`${kind}: ${seeded.incidents} incidents seeded in ${(seedMs / 1000).toFixed(0)} s; measuring the queue`);

    const cases: QueueCaseResult[] = [];
    for (const c of await queueCases(prisma, tenants[0]!.id)) {
      const filters = parseQueueFilters(new URLSearchParams(c.query));
      const sample = await listQueueIncidents({ filters, staff });
      const summarySample = await summarizeQueue({ filters, staff });
      cases.push({
        name: c.name,
        rows: sample.rows.length,
        total: summarySample.total,
        list: await measure(() => listQueueIncidents({ filters, staff }), opts),
        summary: await measure(() => summarizeQueue({ filters, staff }), opts),
        page: await measure(
          () => loadQueueView({ filters, staff }),
          opts,
          (view) => view.summary,
        ),
      });
      progress(`${kind}: ${c.name}: list p95 ${cases.at(-1)!.list.p95.toFixed(1)} ms, page p95 ${cases.at(-1)!.page.p95.toFixed(1)} ms`);
    }

    const deep: QueueCaseResult[] = [];
    for (const c of DEEP_CASES) {
      // Follow nextCursor as a person clicking "Next" would, then time the deep page itself.
      let cursor: string | null = null;
      for (let page = 1; page < c.depth; page++) {
        const result = await listQueueIncidents({
          filters: parseQueueFilters(new URLSearchParams({ ...c.query, ...(cursor ? { after: cursor } : {}) })),
          staff,
        });
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      if (!cursor) {
        progress(`${kind}: ${c.name}: fewer than ${c.depth} pages, skipped`);
        continue;
      }
      const filters = parseQueueFilters(new URLSearchParams({ ...c.query, after: cursor }));
      const rows = (await listQueueIncidents({ filters, staff })).rows.length;
      deep.push({
        name: `${c.name}, page ${c.depth}`,
        rows,
        total: null,
        list: await measure(() => listQueueIncidents({ filters, staff }), opts),
        summary: null,
        page: await measure(
          () => loadQueueView({ filters, staff }),
          opts,
          (view) => view.summary,
        ),
      });
      progress(`${kind}: ${c.name} page ${c.depth}: list p95 ${deep.at(-1)!.list.p95.toFixed(1)} ms`);
    }

    const overview: OverviewCaseResult[] = [];
    // BENCH_QUEUE_ONLY=1: the queue's cases alone (a quick second run on a kept database).
    const queueOnly = process.env.BENCH_QUEUE_ONLY === "1";
    for (const c of queueOnly
      ? []
      : [
          { name: "30 days, all tenants", query: "days=30" },
          { name: "30 days, one tenant", query: `days=30&tenant=${tenants[0]!.id}` },
          { name: "90 days, all tenants", query: "days=90" },
        ]) {
      const filters = parseOverviewFilters(new URLSearchParams(c.query));
      const sample = await loadOverview({ filters });
      overview.push({
        name: c.name,
        tenants: sample.scopedTenantCount,
        opened: sample.headline.openedInPeriod,
        open: sample.headline.open,
        // Computed (an explicit time bypasses overview-recent.ts), then as the page is served.
        figures: await measure(() => loadOverview({ filters, now: new Date() }), opts),
        topLists: await measure(() => loadOverviewTopLists({ filters, now: new Date() }), opts),
        served: await measure(async () => {
          await Promise.all([loadOverview({ filters }), loadOverviewTopLists({ filters })]);
        }, opts),
        servedRecent: (await loadOverview({ filters })).recent,
      });
      const last = overview.at(-1)!;
      progress(`${kind}: overview, ${c.name}: figures p95 ${last.figures.p95.toFixed(1)} ms, top lists p95 ${last.topLists.p95.toFixed(1)} ms`);
    }

    const indicators = queueOnly ? [] : await measureIndicatorCases(prisma, opts, (line) => progress(`${kind}: ${line}`));

    const result: QueueBenchResult = {
      kind,
      tenants: tenantCount,
      incidentsPerTenant: perTenant,
      seed: {
        ...seeded,
        seedMs,
        analyzeMs,
        databaseBytes: Number(sizes!.db),
        incidentTableBytes: Number(sizes!.inc),
        entityTableBytes: Number(sizes!.ent),
        folderBytes: null,
      },
      cases,
      deep,
      overview,
      indicators,
    };
    await closeDb();
    result.seed.folderBytes = scratch.folderBytes();
    writeChildResult(result);
  } finally {
    await closeDb();
    await scratch.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`queue bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
