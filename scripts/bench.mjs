#!/usr/bin/env node
// `npm run bench`: figures for the README's performance section; never part of the tests.
// Options (env): BENCH_TENANTS (200), BENCH_INCIDENTS (1000), BENCH_DB ("postgres,pglite"),
// BENCH_DATABASE_URL (server for scratch databases; default postgres://postgres@127.0.0.1:5432/test),
// BENCH_SKIP_SYNC=1, BENCH_SKIP_QUEUE=1, BENCH_FULL=1 (sync at the full size), BENCH_SAMPLES (30),
// BENCH_SOURCE ("graph": Microsoft Graph's security API; "defender": the legacy Defender XDR API),
// BENCH_SYNC_TENANTS (50), BENCH_SYNC_INCIDENTS (400; a run at a fifth of it too),
// BENCH_SYNC_DEEP_TENANTS (8: tenants of the run at BENCH_INCIDENTS when the sync is scaled down),
// BENCH_SYNC_CONCURRENCY (4), BENCH_SYNC_OVERLAP_MS (the sync's overlap; default its own, 2 minutes).
// BENCH_KEEP_DB=<name> (PostgreSQL: keep the queue's seeded database, portal_bench_keep_<name>, and
// reuse it on the next run at the same size instead of seeding again), BENCH_QUEUE_ONLY=1 (the queue's
// cases without the overview and indicators).
// BENCH_SCALE=1: steady-state polling and scale-out on PostgreSQL (issue #12 §4), with
// BENCH_SCALE_PARTS ("steady,scaleout"), BENCH_SCALE_TENANTS (1000), BENCH_SCALE_INCIDENTS (20 a tenant),
// BENCH_LATENCY_MS (100: added by the emulator to every token request and API call),
// BENCH_SCALE_CONCURRENCY (the engine's default, adaptive: 14 at 1,000 tenants; a list such as "4,8"
// repeats the steady run),
// BENCH_SCALE_CHANGES (80 incidents changed while polling), BENCH_SCALE_CHANGE_SPREAD_S (120),
// BENCH_LEASE_MS (20000: the scale-out workers' lease), BENCH_SCALEOUT_POLL_S (60 s of polling before the kill),
// BENCH_WORKER_OLD_SPACE_MB (the steady run's worker --max-old-space-size; default the worker's own cap, 256).
// BENCH_SKIP_LOAD=1 (the HTTP load: two web processes and two workers on PostgreSQL, signed-in staff
// browsing with autocannon on loopback while the sync runs), BENCH_LOAD_TENANTS (1000),
// BENCH_LOAD_INCIDENTS (100 per tenant), BENCH_LOAD_CONNECTIONS (50), BENCH_LOAD_SECONDS (60),
// BENCH_LOAD_MAX_REQUESTS (100000, all connections together), BENCH_LOAD_TIMEOUT_SECONDS (60).
// The queue data is Graph-shaped (what the Graph sync stores) whatever BENCH_SOURCE says.
// The react-server condition makes the "server-only" marker resolve outside Next.js.
import { spawn } from "node:child_process";
import path from "node:path";

const repoRoot = path.resolve(import.meta.dirname, "..");
const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(repoRoot, "bench/main.ts")], {
  cwd: repoRoot,
  stdio: "inherit",
  env: { ...process.env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1", NEXT_TELEMETRY_DISABLED: "1" },
});
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => child.kill(signal));
child.once("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
