// Child process: the HTTP load benchmark (issue #12 §4, "scale-out" and "load"). One PostgreSQL
// scratch database seeded with N tenants, TWO web processes (the production build, each on its own
// loopback port) and TWO `npm run worker` processes syncing from the bench emulator (started by
// bench/main.ts, which hands it over in BENCH_EMULATOR) while signed-in staff browse the queue,
// incident pages and search with autocannon. Figures only; failed requests are counted as
// violations, never timings. Session cookies stay in memory: nothing here prints them.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { loadavg } from "node:os";
import path from "node:path";
import autocannon, { type AutocannonResult } from "autocannon";
import { buildPortalIfStale, buildIsStale, startPortalProcess } from "../scripts/lib/portal-process.mjs";
import { createSeededRandom } from "../emulator/seeded-random";
import { closeDb, getDb } from "../server/services";
import type { BenchEmulatorReady } from "./bench-emulator";
import { applyPortalEnv } from "./bench-env";
import { BENCH_SEED, benchTenants } from "./bench-tenants";
import { progress, writeChildResult } from "./child-result";
import { control, keyTotal, type EmulatorMetrics } from "./emulator-control";
import { loadStaff, signInOverHttp, type LoadStaff } from "./load-sign-in";
import { queueCases } from "./queue-cases";
import { createScratchDatabase } from "./scratch-database";
import { seedStore } from "./seed-store";
import { REQUEST_KINDS, type LatencySummary, type LoadBenchResult, type RequestKind } from "./load-bench-types";
import { percentile } from "./stats";

const repoRoot = path.resolve(import.meta.dirname, "..");

/** How often each kind is asked for: the queue most, then incident pages, then searches. */
const KIND_WEIGHTS: Record<RequestKind, number> = { queue: 40, incident: 35, search: 25 };

type Target = { kind: RequestKind; path: string };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function summarize(samples: number[], failed: number): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    failed,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** `npm run worker`, exactly as production starts it, against the bench database and emulator. */
function startWorker(env: Record<string, string>): { child: ChildProcess; stop: () => Promise<void> } {
  const child = spawn(process.execPath, [path.join(repoRoot, "scripts/worker.mjs")], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode) return resolve();
      const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      child.once("exit", () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  return { child, stop };
}

/** The URLs the load asks for, from the seeded data: queue filters and sorts, real incidents, searches. */
async function loadTargets(firstTenantId: string, tenantIds: string[]): Promise<Target[]> {
  const prisma = await getDb();
  const cases = await queueCases(prisma, firstTenantId);
  const random = createSeededRandom(BENCH_SEED + 12);
  const asPath = (query: Record<string, string>) => {
    const qs = new URLSearchParams(query).toString();
    return qs ? `/?${qs}` : "/";
  };
  const targets: Target[] = [];
  for (const c of cases) targets.push({ kind: c.query.q === undefined ? "queue" : "search", path: asPath(c.query) });
  // More queue views: other tenants alone, combined filters and sorts.
  for (const tenantId of random.sample(tenantIds, 20)) targets.push({ kind: "queue", path: asPath({ tenant: tenantId }) });
  targets.push(
    { kind: "queue", path: asPath({ severity: "High", status: "Active", sort: "severity" }) },
    { kind: "queue", path: asPath({ range: "30d", sort: "created" }) },
    { kind: "queue", path: asPath({ status: "InProgress", assigned: "unassigned" }) },
  );
  // Real incidents, spread over every tenant: their pages, and searches for their ids and name words.
  const sample = await prisma.$queryRawUnsafe<{ tenant_id: string; incident_id: bigint; incident_name: string }[]>(
    `SELECT tenant_id, incident_id, incident_name FROM incident ORDER BY md5(tenant_id || incident_id::text) LIMIT 600`,
  );
  for (const row of sample.slice(0, 500)) targets.push({ kind: "incident", path: `/incidents/${row.tenant_id}/${row.incident_id}` });
  for (const row of sample.slice(500, 540)) targets.push({ kind: "search", path: asPath({ q: String(row.incident_id) }) });
  const words = new Set(
    sample
      .slice(540)
      .flatMap((row) => row.incident_name.split(/[^A-Za-z]+/))
      .filter((w) => w.length >= 5)
      .map((w) => w.toLowerCase()),
  );
  for (const word of [...words].slice(0, 30)) targets.push({ kind: "search", path: asPath({ q: word }) });
  return targets;
}

type Recorder = {
  latencies: Map<string, number[]>;
  failures: Map<string, number>;
  statusCounts: Map<string, number>;
};

function record(recorder: Recorder, keys: string[], latencyMs: number | null): void {
  for (const key of keys) {
    if (latencyMs === null) recorder.failures.set(key, (recorder.failures.get(key) ?? 0) + 1);
    else {
      const list = recorder.latencies.get(key) ?? [];
      list.push(latencyMs);
      recorder.latencies.set(key, list);
    }
  }
}

/**
 * One autocannon instance per connection (its own session cookie and its own request mix, seeded),
 * so each response can be told apart by kind and by web process. Requests are sent one at a time
 * per connection (no pipelining), as a browser tab does.
 */
function runConnection(input: {
  index: number;
  origin: string;
  web: string;
  cookie: string;
  targets: Record<RequestKind, Target[]>;
  durationSeconds: number;
  maxRequests: number;
  timeoutSeconds: number;
  recorder: Recorder;
}): Promise<AutocannonResult> {
  const random = createSeededRandom(BENCH_SEED * 1000 + input.index);
  const kinds = [...REQUEST_KINDS];
  const weights = kinds.map((k) => KIND_WEIGHTS[k]);
  // In flight, oldest first: a response (or a timeout) settles the oldest.
  const inFlight: RequestKind[] = [];
  const instance = autocannon({
    url: input.origin,
    connections: 1,
    pipelining: 1,
    duration: input.durationSeconds,
    maxConnectionRequests: input.maxRequests,
    timeout: input.timeoutSeconds,
    headers: { cookie: input.cookie, accept: "text/html" },
    requests: [
      {
        method: "GET",
        setupRequest: (request) => {
          const kind = random.weighted(kinds, weights);
          inFlight.push(kind);
          return { ...request, path: random.pick(input.targets[kind]).path };
        },
      },
    ],
  });
  const { recorder } = input;
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    const kind = inFlight.shift() ?? "queue";
    const status = String(statusCode);
    recorder.statusCounts.set(status, (recorder.statusCounts.get(status) ?? 0) + 1);
    const ok = statusCode >= 200 && statusCode < 300;
    record(recorder, ["all", `kind:${kind}`, `web:${input.web}`], ok ? responseTime : null);
  });
  // A connection error or a timeout (autocannon reports both as reqError): the oldest request failed.
  instance.on("reqError", () => {
    const kind = inFlight.shift() ?? "queue";
    record(recorder, ["all", `kind:${kind}`, `web:${input.web}`], null);
  });
  return Promise.resolve(instance);
}

async function syncFigures(since: Date): Promise<{ tenantsSynced: number; rowsWritten: number }> {
  const prisma = await getDb();
  const [row] = await prisma.$queryRawUnsafe<{ tenants: bigint; rows: bigint }[]>(
    `SELECT (SELECT count(*) FROM tenant_sync_state WHERE last_success_at >= $1) AS tenants,
            (SELECT count(*) FROM incident WHERE synced_at >= $1) AS rows`,
    since,
  );
  return { tenantsSynced: Number(row?.tenants ?? 0), rowsWritten: Number(row?.rows ?? 0) };
}

async function countStored(added: { tenantId: string; incidentId: number }[]): Promise<number> {
  if (added.length === 0) return 0;
  const prisma = await getDb();
  const [row] = await prisma.$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT count(*) AS n FROM incident i JOIN jsonb_to_recordset($1::jsonb) AS a(tenant_id text, incident_id bigint)
       ON i.tenant_id = a.tenant_id AND i.incident_id = a.incident_id`,
    JSON.stringify(added.map((a) => ({ tenant_id: a.tenantId, incident_id: a.incidentId }))),
  );
  return Number(row?.n ?? 0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const emulator = JSON.parse(process.env.BENCH_EMULATOR!) as BenchEmulatorReady;
  const tenantCount = Number(process.env.BENCH_LOAD_TENANTS);
  const perTenant = Number(process.env.BENCH_LOAD_INCIDENTS);
  const connections = Number(process.env.BENCH_LOAD_CONNECTIONS);
  const durationSeconds = Number(process.env.BENCH_LOAD_SECONDS);
  const maxRequests = Number(process.env.BENCH_LOAD_MAX_REQUESTS);
  const timeoutSeconds = Number(process.env.BENCH_LOAD_TIMEOUT_SECONDS);
  const graceSeconds = 60;
  const stops: (() => Promise<unknown>)[] = [];
  const scratch = await createScratchDatabase("postgres");
  try {
    applyPortalEnv(scratch.env, emulator, "graph");
    const prisma = await getDb();
    const tenants = benchTenants(tenantCount);
    const t0 = performance.now();
    const seeded = await seedStore(prisma, {
      tenants,
      incidentsPerTenant: perTenant,
      onTenant: (done) => done % 100 === 0 && progress(`seeded ${done}/${tenantCount} tenants (${((performance.now() - t0) / 1000).toFixed(0)} s)`),
    });
    const seedMs = performance.now() - t0;
    await prisma.$executeRawUnsafe("VACUUM ANALYZE");
    progress(`${seeded.incidents} incidents seeded in ${(seedMs / 1000).toFixed(0)} s`);
    const targetList = await loadTargets(
      tenants[0]!.id,
      tenants.map((t) => t.id),
    );
    const targets = Object.fromEntries(REQUEST_KINDS.map((k) => [k, targetList.filter((t) => t.kind === k)])) as Record<RequestKind, Target[]>;

    if (buildIsStale()) progress("building the portal (next build)…");
    await buildPortalIfStale();

    // Two web processes (the sync runs in the workers only) and two workers, all on one database.
    const ports = [await freePort(), await freePort()];
    const webs = ports.map((port, i) => ({ name: `web ${i + 1}`, origin: `http://127.0.0.1:${port}`, port }));
    progress(`starting ${webs.length} web processes and 2 workers`);
    const started = await Promise.all(
      webs.map((web) => startPortalProcess({ port: web.port, host: "127.0.0.1", env: { NEXTAUTH_URL: web.origin, PORTAL_SYNC_MODE: "worker" } })),
    );
    for (const s of started) stops.push(s.stop);
    // The emulator's tenants consent to the app (the store already has them as active Graph tenants).
    for (let i = 0; i < tenants.length; i += 20) {
      await Promise.all(tenants.slice(i, i + 20).map((t) => control(emulator.controlUrl, "POST", `/tenants/${t.id}/consent`, {})));
    }
    const workers = [0, 1].map(() => startWorker({ PORTAL_SYNC_MODE: "worker" }));
    for (const w of workers) stops.push(w.stop);

    // One staff session per connection, signed in through the real flow at the OTHER web process
    // than the one it browses: sessions live in the database, so either process accepts them.
    const staff = loadStaff();
    const signInStarted = performance.now();
    const sessions: { cookie: string; staff: LoadStaff; web: (typeof webs)[number] }[] = [];
    for (let i = 0; i < connections; i += 5) {
      const batch = Array.from({ length: Math.min(5, connections - i) }, (_, j) => i + j);
      sessions.push(
        ...(await Promise.all(
          batch.map(async (index) => {
            const member = staff[index % staff.length]!;
            const cookie = await signInOverHttp(webs[(index + 1) % webs.length]!.origin, member);
            return { cookie, staff: member, web: webs[index % webs.length]! };
          }),
        )),
      );
    }
    const signInMs = performance.now() - signInStarted;
    progress(`${sessions.length} staff sessions signed in (${staff.length} staff) in ${(signInMs / 1000).toFixed(1)} s`);

    // Warm-up: every kind once on each web process, unmeasured (a failure here stops the bench); then
    // the same pages one request at a time (nothing else asking), the baseline the load compares with.
    const alone: Record<RequestKind, number[]> = { queue: [], incident: [], search: [] };
    for (const measured of [false, true]) {
      for (const web of webs) {
        for (const kind of REQUEST_KINDS) {
          for (const target of measured ? targets[kind].slice(1, 3) : targets[kind].slice(0, 1)) {
            const t = performance.now();
            const response = await fetch(`${web.origin}${target.path}`, { headers: { cookie: sessions[0]!.cookie }, redirect: "manual" });
            await response.arrayBuffer();
            if (response.status !== 200) throw new Error(`warm-up: ${web.name} answered ${response.status} for a ${kind} page`);
            if (measured) alone[kind].push(performance.now() - t);
          }
        }
      }
    }

    // The load, while the workers sync and new incidents keep arriving at the emulator.
    const loadBefore = loadavg()[0]!;
    const metricsBefore = await control<EmulatorMetrics>(emulator.controlUrl, "GET", "/metrics");
    const since = new Date();
    const added: { tenantId: string; incidentId: number }[] = [];
    let adding = true;
    const random = createSeededRandom(BENCH_SEED + 99);
    const activity = (async () => {
      while (adding) {
        const tenantId = random.pick(tenants).id;
        const created = await control<{ incidentId: number }[]>(emulator.controlUrl, "POST", `/tenants/${tenantId}/incidents`, { count: 1 });
        for (const incident of created) added.push({ tenantId, incidentId: incident.incidentId });
        await sleep(1_000);
      }
    })();
    const recorder: Recorder = { latencies: new Map(), failures: new Map(), statusCounts: new Map() };
    const perConnection = Math.max(1, Math.ceil(maxRequests / connections));
    progress(`load: ${connections} connections for ${durationSeconds} s (at most ${perConnection} requests each) on ${webs.map((w) => w.origin).join(", ")}`);
    const ticker = setInterval(() => {
      const done = recorder.latencies.get("all")?.length ?? 0;
      const failed = recorder.failures.get("all") ?? 0;
      void syncFigures(since).then((s) =>
        progress(
          `  ${done} answered, ${failed} failed; sync: ${s.tenantsSynced} tenants synced, ${s.rowsWritten} incident rows written, ${added.length} incidents added`,
        ),
      );
    }, 10_000);
    const loadStarted = performance.now();
    const results = await Promise.all(
      sessions.map((session, index) =>
        runConnection({
          index,
          origin: session.web.origin,
          web: session.web.name,
          cookie: session.cookie,
          targets,
          durationSeconds,
          maxRequests: perConnection,
          timeoutSeconds,
          recorder,
        }),
      ),
    );
    const elapsedSeconds = (performance.now() - loadStarted) / 1000;
    clearInterval(ticker);
    adding = false;
    await activity;
    const loadAfter = loadavg()[0]!;
    const metricsAfter = await control<EmulatorMetrics>(emulator.controlUrl, "GET", "/metrics");
    const atEnd = await syncFigures(since);
    const storedAtEnd = await countStored(added);
    let storedAfterGrace = storedAtEnd;
    const graceEnd = Date.now() + graceSeconds * 1000;
    while (storedAfterGrace < added.length && Date.now() < graceEnd) {
      await sleep(2_000);
      storedAfterGrace = await countStored(added);
    }

    const sum = (pick: (r: AutocannonResult) => number) => results.reduce((total, r) => total + pick(r), 0);
    const answered = (recorder.latencies.get("all")?.length ?? 0) + (recorder.failures.get("all") ?? 0);
    const totals = {
      requests: answered,
      perSecond: answered / elapsedSeconds,
      non2xx: sum((r) => r.non2xx),
      // autocannon's errors include its timeouts: connection errors alone here.
      errors: sum((r) => r.errors - r.timeouts),
      timeouts: sum((r) => r.timeouts),
      statusCounts: Object.fromEntries([...recorder.statusCounts].sort()),
    };
    const summaryOf = (key: string) => summarize(recorder.latencies.get(key) ?? [], recorder.failures.get(key) ?? 0);
    const violations: string[] = [];
    if (totals.non2xx > 0) violations.push(`${totals.non2xx} responses were not 2xx (${JSON.stringify(totals.statusCounts)})`);
    if (totals.errors > 0) violations.push(`${totals.errors} requests failed on the connection`);
    if (totals.timeouts > 0) violations.push(`${totals.timeouts} requests timed out (${timeoutSeconds} s)`);
    const metricsDelta = (key: "apiCalls" | "tokenRequests", inner: string[]) => keyTotal(metricsAfter[key], inner) - keyTotal(metricsBefore[key], inner);
    const byRole: Record<string, number> = {};
    for (const s of sessions) byRole[s.staff.role] = (byRole[s.staff.role] ?? 0) + 1;

    const result: LoadBenchResult = {
      tenants: tenantCount,
      incidentsPerTenant: perTenant,
      seed: { incidents: seeded.incidents, seedMs },
      webProcesses: webs.length,
      workers: workers.length,
      connections,
      sessions: { count: sessions.length, byRole, staff: staff.length, signInMs },
      targets: { queue: targets.queue.length, incident: targets.incident.length, search: targets.search.length },
      durationSeconds: elapsedSeconds,
      maxRequests,
      timeoutSeconds,
      totals,
      alone: Object.fromEntries(REQUEST_KINDS.map((k) => [k, summarize(alone[k], 0)])) as Record<RequestKind, LatencySummary>,
      overall: summaryOf("all"),
      byKind: Object.fromEntries(REQUEST_KINDS.map((k) => [k, summaryOf(`kind:${k}`)])) as Record<RequestKind, LatencySummary>,
      byWeb: Object.fromEntries(webs.map((w) => [w.name, summaryOf(`web:${w.name}`)])),
      sync: {
        listCalls: metricsDelta("apiCalls", ["graph.list"]),
        tokenRequests: metricsDelta("tokenRequests", ["client_credentials"]),
        tenantsSynced: atEnd.tenantsSynced,
        rowsWritten: atEnd.rowsWritten,
        added: added.length,
        storedAtEnd,
        storedAfterGrace,
        graceSeconds,
      },
      machine: { loadBefore, loadAfter },
      violations,
    };
    writeChildResult(result);
  } finally {
    progress("stopping the web processes and workers");
    await Promise.all(stops.map((stop) => stop().catch(() => undefined)));
    await closeDb();
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  console.error(`load bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
