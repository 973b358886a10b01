// `npm run bench`: seeds scratch databases and an emulator, measures the queue page and the sync,
// and the portal under HTTP load (two web processes, two workers; load-bench.ts), prints Markdown
// tables and writes them to .data/bench/results.md. Figures only: no timing is asserted; a few
// counts are (the sync never touches the API it does not use; no request of the load fails), after
// the figures.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { writeCaBundle } from "../scripts/lib/ca-bundle.mjs";
import type { BenchEmulatorReady } from "./bench-emulator";
import { readBenchOptions, type BenchOptions, type SyncRunSize } from "./bench-options";
import { runChild, startServiceChild } from "./child-runner";
import type { QueueBenchResult } from "./queue-bench";
import { queueReport, syncReport, targetsReport } from "./report";
import type { SyncBenchResult } from "./sync-bench";
import type { NotificationBenchResult } from "./notification-bench";
import { notificationReport } from "./notification-report";
import { runScale, scaleViolations } from "./scale-runs";
import { scaleReport } from "./scale-report";
import type { LoadBenchResult } from "./load-bench-types";
import { loadReport } from "./load-report";

const repoRoot = path.resolve(import.meta.dirname, "..");

async function runQueue(options: BenchOptions): Promise<QueueBenchResult[]> {
  const results: QueueBenchResult[] = [];
  for (const kind of options.databases) {
    console.log(`\n▶ queue: ${kind}, ${options.tenants} tenants × ${options.incidentsPerTenant} incidents`);
    results.push(
      await runChild<QueueBenchResult>("queue-bench.ts", {
        BENCH_CHILD_DB: kind,
        BENCH_TENANTS: String(options.tenants),
        BENCH_INCIDENTS: String(options.incidentsPerTenant),
        BENCH_SAMPLES: String(options.samples),
      }),
    );
  }
  return results;
}

/** One sync run: its own emulator process (holding the incidents) and its own measured process. */
async function runSync(options: BenchOptions, size: SyncRunSize): Promise<SyncBenchResult> {
  const { source, concurrency, db, overlapMs } = options.sync;
  const { tenants, incidentsPerTenant } = size;
  console.log(
    `\n▶ sync from ${source === "graph" ? "Microsoft Graph" : "the Defender API (legacy)"}: ${tenants} tenants × ${incidentsPerTenant} incidents into ${db}, concurrency ${concurrency}`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), "portal-bench-emulator-"));
  // The emulator keeps every generated incident in memory: give it room at the full size.
  const emulator = await startServiceChild<BenchEmulatorReady>(
    "emulator-main.ts",
    { BENCH_EMULATOR_DIR: dir, BENCH_TENANTS: String(tenants), BENCH_INCIDENTS: String(incidentsPerTenant) },
    ["--max-old-space-size=8192"],
  );
  try {
    console.log(`  emulator ready (${emulator.ready.tenantIds.length} tenants, generated in ${(emulator.ready.generateMs / 1000).toFixed(1)} s)`);
    return await runChild<SyncBenchResult>(
      "sync-bench.ts",
      {
        BENCH_CHILD_DB: db,
        BENCH_INCIDENTS: String(incidentsPerTenant),
        BENCH_SYNC_CONCURRENCY: String(concurrency),
        BENCH_SOURCE: source,
        ...(overlapMs === null ? {} : { BENCH_SYNC_OVERLAP_MS: String(overlapMs) }),
        BENCH_EMULATOR: JSON.stringify(emulator.ready),
        // Read at process start only: the measured process must trust the emulator's CA from birth.
        NODE_EXTRA_CA_CERTS: writeCaBundle(dir, emulator.ready.caCertPath),
      },
      ["--expose-gc"],
    );
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The HTTP load: the emulator serves the load's tenants in its own process (as for the sync), and
 * load-bench.ts seeds the database, starts two web processes and two workers, and drives the load.
 */
async function runLoad(options: BenchOptions): Promise<LoadBenchResult> {
  const { tenants, incidentsPerTenant, connections, durationSeconds, maxRequests, timeoutSeconds } = options.load;
  console.log(
    `\n▶ load: ${connections} signed-in staff for ${durationSeconds} s on 2 web processes, 2 workers syncing ${tenants} tenants × ${incidentsPerTenant} incidents (PostgreSQL)`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), "portal-bench-load-"));
  const emulator = await startServiceChild<BenchEmulatorReady>(
    "emulator-main.ts",
    { BENCH_EMULATOR_DIR: dir, BENCH_TENANTS: String(tenants), BENCH_INCIDENTS: String(incidentsPerTenant) },
    ["--max-old-space-size=8192"],
  );
  try {
    console.log(`  emulator ready (${emulator.ready.tenantIds.length} tenants, generated in ${(emulator.ready.generateMs / 1000).toFixed(1)} s)`);
    return await runChild<LoadBenchResult>("load-bench.ts", {
      BENCH_EMULATOR: JSON.stringify(emulator.ready),
      BENCH_LOAD_TENANTS: String(tenants),
      BENCH_LOAD_INCIDENTS: String(incidentsPerTenant),
      BENCH_LOAD_CONNECTIONS: String(connections),
      BENCH_LOAD_SECONDS: String(durationSeconds),
      BENCH_LOAD_MAX_REQUESTS: String(maxRequests),
      BENCH_LOAD_TIMEOUT_SECONDS: String(timeoutSeconds),
      // Read at process start only: the bench, its web processes and workers trust the emulator's CA from birth.
      NODE_EXTRA_CA_CERTS: writeCaBundle(dir, emulator.ready.caCertPath),
    });
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const options = readBenchOptions();
  const started = Date.now();
  // The machine may be shared: the load during the run says how much the timings can be trusted.
  const load: number[] = [loadavg()[0]!];
  const loadSampler = setInterval(() => load.push(loadavg()[0]!), 10_000);
  loadSampler.unref();
  const header = [
    `## Performance (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.versions.node})`,
    "",
    "Measured with `npm run bench` (bench/). Incidents come from the emulator's generator in Microsoft Graph's shape (`source` graph, alerts with their evidence); the queue data has one alert per incident (`raw` ≈ 4.6 KB), the sync serves the emulator's full records.",
  ].join("\n");
  const queue = options.skipQueue ? [] : await runQueue(options);
  const sync: SyncBenchResult[] = [];
  if (!options.skipSync) {
    for (const size of options.sync.runs) sync.push(await runSync(options, size));
  }
  // Notifications: sync commit → delivery (BENCH_SKIP_NOTIFY=1 leaves it out).
  const notify: NotificationBenchResult[] = [];
  if (process.env.BENCH_SKIP_NOTIFY !== "1") {
    for (const kind of options.databases) {
      console.log(`\n▶ notifications: sync commit → webhook delivery, ${kind}`);
      notify.push(await runChild<NotificationBenchResult>("notification-bench.ts", { BENCH_CHILD_DB: kind, BENCH_SAMPLES: String(options.samples) }));
    }
  }
  // Steady polling and scale-out at many tenants (BENCH_SCALE=1).
  const scale = options.scale.enabled ? await runScale(options) : null;
  const httpLoad = options.load.skip ? null : await runLoad(options);
  const sections = [header];
  if (queue.length > 0) sections.push(queueReport(queue, options.samples));
  if (sync.length > 0) sections.push(syncReport(sync, options));
  if (notify.length > 0) sections.push(notificationReport(notify));
  if (scale) sections.push(scaleReport(scale, options));
  if (httpLoad) sections.push(loadReport(httpLoad));
  clearInterval(loadSampler);
  load.push(loadavg()[0]!);
  const meanLoad = load.reduce((a, b) => a + b, 0) / load.length;
  // The design targets are figures of the queue and sync parts: none when both were skipped.
  if (queue.length > 0 || sync.length > 0) sections.push(targetsReport(queue, sync));
  sections.push(
    `_Total bench time ${((Date.now() - started) / 60_000).toFixed(1)} min; machine load (1-minute load average, sampled every 10 s) mean ${meanLoad.toFixed(1)}, max ${Math.max(...load).toFixed(1)} on ${cpus().length} cores._`,
  );
  const markdown = `${sections.join("\n\n")}\n`;
  const outDir = path.join(repoRoot, ".data", "bench");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "results.md"), markdown);
  console.log(`\n${markdown}\nWritten to .data/bench/results.md`);
  // Counts that must hold (never timings): the figures are written first, then the run fails.
  const violations = [
    ...sync.flatMap((r) => r.violations.map((v) => `${r.tenants} × ${r.incidentsPerTenant}: ${v}`)),
    ...(scale ? scaleViolations(scale) : []),
    ...(httpLoad?.violations.map((v) => `load: ${v}`) ?? []),
  ];
  if (violations.length > 0) {
    console.error(`\nbench checks failed:\n${violations.map((v) => `  - ${v}`).join("\n")}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
