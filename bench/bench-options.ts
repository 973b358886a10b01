// What `npm run bench` measures, from the environment (see scripts/bench.mjs for the list).
import type { IncidentSource } from "../server/microsoft/source-incident";
import type { BenchDbKind } from "./scratch-database";

export type SyncRunSize = { tenants: number; incidentsPerTenant: number };

export type BenchOptions = {
  tenants: number;
  incidentsPerTenant: number;
  databases: BenchDbKind[];
  samples: number;
  skipQueue: boolean;
  skipSync: boolean;
  sync: {
    /** The API the sync reads: Microsoft Graph (the portal's default) or the legacy Defender XDR API. */
    source: IncidentSource;
    /** The runs: `small` and `large` incidents per tenant at the same tenant count (is memory flat?), then `deep`. */
    runs: SyncRunSize[];
    concurrency: number;
    /** The sync's overlap (null: its default, DEFAULT_OVERLAP_MS, 2 minutes). */
    overlapMs: number | null;
    scaledDown: boolean;
    db: BenchDbKind;
  };
  /**
   * Steady-state polling and scale-out at many tenants (BENCH_SCALE=1; PostgreSQL): a small backfill
   * per tenant, every Microsoft call delayed by `latencyMs`, the real engine in worker processes.
   */
  scale: {
    enabled: boolean;
    steady: boolean;
    scaleOut: boolean;
    tenants: number;
    incidentsPerTenant: number;
    latencyMs: number;
    /** The steady run is repeated at each; null: the engine's default (adaptiveSyncConcurrency). Scale-out uses the first. */
    concurrencies: (number | null)[];
    changes: number;
    changeSpreadS: number;
    leaseMs: number;
    pollBeforeKillS: number;
    /** The steady run's worker heap cap (--max-old-space-size), to see what RSS it buys; null: Node's default. */
    workerOldSpaceMb: number | null;
  };
  /** The HTTP load (load-bench.ts): two web processes and two workers on PostgreSQL; BENCH_SKIP_LOAD=1 leaves it out. */
  load: {
    skip: boolean;
    tenants: number;
    incidentsPerTenant: number;
    /** Concurrent connections, one signed-in staff session each. */
    connections: number;
    durationSeconds: number;
    /** All connections together never send more than this. */
    maxRequests: number;
    /** A request without an answer after this long counts as failed (60 s: a reverse proxy's usual read timeout). */
    timeoutSeconds: number;
  };
};

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return value;
}

function nonNegativeInt(name: string): number | null {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return null;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of milliseconds, got '${raw}'`);
  return value;
}

/**
 * The sync part defaults to 50 tenants × 400 (and × 80 for the memory comparison): the full
 * 200 × 1,000 takes longer than ~10 minutes on a 2-core machine. When that is scaled down, a third
 * run backfills a few tenants (BENCH_SYNC_DEEP_TENANTS, 8) at the full incidents per tenant, so the
 * figure of a 1,000-incident tenant is always there. BENCH_FULL=1 runs the full size instead.
 */
export function readBenchOptions(): BenchOptions {
  const tenants = positiveInt("BENCH_TENANTS", 200);
  const incidentsPerTenant = positiveInt("BENCH_INCIDENTS", 1000);
  const databases = (process.env.BENCH_DB || "postgres,pglite")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const db of databases) if (db !== "postgres" && db !== "pglite") throw new Error(`BENCH_DB: unknown database '${db}' (postgres, pglite)`);
  const source = process.env.BENCH_SOURCE || "graph";
  if (source !== "graph" && source !== "defender") throw new Error(`BENCH_SOURCE: unknown source '${source}' (graph, defender)`);
  const full = process.env.BENCH_FULL === "1";
  const syncTenants = positiveInt("BENCH_SYNC_TENANTS", full ? tenants : Math.min(tenants, 50));
  const large = positiveInt("BENCH_SYNC_INCIDENTS", full ? incidentsPerTenant : Math.min(incidentsPerTenant, 400));
  const small = Math.max(1, Math.round(large / 5));
  const runs: SyncRunSize[] = [
    { tenants: syncTenants, incidentsPerTenant: small },
    { tenants: syncTenants, incidentsPerTenant: large },
  ];
  if (large < incidentsPerTenant) runs.push({ tenants: Math.min(syncTenants, positiveInt("BENCH_SYNC_DEEP_TENANTS", 8)), incidentsPerTenant });
  const kinds = databases as BenchDbKind[];
  const scaleParts = (process.env.BENCH_SCALE_PARTS || "steady,scaleout").split(",").map((s) => s.trim());
  for (const part of scaleParts) if (part !== "steady" && part !== "scaleout") throw new Error(`BENCH_SCALE_PARTS: unknown part '${part}' (steady, scaleout)`);
  const concurrencies = (process.env.BENCH_SCALE_CONCURRENCY || "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const value = Number(s);
      if (!Number.isInteger(value) || value < 1) throw new Error(`BENCH_SCALE_CONCURRENCY must list positive integers, got '${s}'`);
      return value;
    });
  return {
    tenants,
    incidentsPerTenant,
    databases: kinds,
    samples: positiveInt("BENCH_SAMPLES", 30),
    skipQueue: process.env.BENCH_SKIP_QUEUE === "1",
    skipSync: process.env.BENCH_SKIP_SYNC === "1",
    sync: {
      source,
      runs,
      concurrency: positiveInt("BENCH_SYNC_CONCURRENCY", 4),
      overlapMs: nonNegativeInt("BENCH_SYNC_OVERLAP_MS"),
      scaledDown: syncTenants < tenants || large < incidentsPerTenant,
      // The design targets are stated for PostgreSQL; PGlite when it is the only database asked for.
      db: kinds.includes("postgres") ? "postgres" : "pglite",
    },
    scale: {
      enabled: process.env.BENCH_SCALE === "1",
      steady: scaleParts.includes("steady"),
      scaleOut: scaleParts.includes("scaleout"),
      tenants: positiveInt("BENCH_SCALE_TENANTS", 1000),
      incidentsPerTenant: positiveInt("BENCH_SCALE_INCIDENTS", 20),
      latencyMs: nonNegativeInt("BENCH_LATENCY_MS") ?? 100,
      concurrencies: concurrencies.length > 0 ? concurrencies : [null],
      changes: positiveInt("BENCH_SCALE_CHANGES", 80),
      changeSpreadS: positiveInt("BENCH_SCALE_CHANGE_SPREAD_S", 120),
      leaseMs: positiveInt("BENCH_LEASE_MS", 20_000),
      pollBeforeKillS: positiveInt("BENCH_SCALEOUT_POLL_S", 60),
      workerOldSpaceMb: process.env.BENCH_WORKER_OLD_SPACE_MB ? positiveInt("BENCH_WORKER_OLD_SPACE_MB", 0) : null,
    },
    // Always PostgreSQL (BENCH_DATABASE_URL's server): the embedded database serves one process only.
    load: {
      skip: process.env.BENCH_SKIP_LOAD === "1",
      tenants: positiveInt("BENCH_LOAD_TENANTS", 1000),
      incidentsPerTenant: positiveInt("BENCH_LOAD_INCIDENTS", 100),
      connections: positiveInt("BENCH_LOAD_CONNECTIONS", 50),
      durationSeconds: positiveInt("BENCH_LOAD_SECONDS", 60),
      maxRequests: positiveInt("BENCH_LOAD_MAX_REQUESTS", 100_000),
      timeoutSeconds: positiveInt("BENCH_LOAD_TIMEOUT_SECONDS", 60),
    },
  };
}
