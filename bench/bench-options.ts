// What `npm run bench` measures, from the environment (see scripts/bench.mjs for the list).
import type { BenchDbKind } from "./scratch-database";

export type BenchOptions = {
  tenants: number;
  incidentsPerTenant: number;
  databases: BenchDbKind[];
  samples: number;
  skipQueue: boolean;
  skipSync: boolean;
  /** The sync's two sizes: memory at `small` vs `large` incidents per tenant shows whether it is flat. */
  sync: { tenants: number; small: number; large: number; concurrency: number; scaledDown: boolean; db: BenchDbKind };
};

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return value;
}

/**
 * The sync part defaults to 50 tenants × 400 (and × 80 for the memory comparison): the full
 * 200 × 1,000 takes longer than ~10 minutes on a 2-core machine. BENCH_FULL=1 runs the full size.
 */
export function readBenchOptions(): BenchOptions {
  const tenants = positiveInt("BENCH_TENANTS", 200);
  const incidentsPerTenant = positiveInt("BENCH_INCIDENTS", 1000);
  const databases = (process.env.BENCH_DB || "postgres,pglite").split(",").map((s) => s.trim()).filter(Boolean);
  for (const db of databases) if (db !== "postgres" && db !== "pglite") throw new Error(`BENCH_DB: unknown database '${db}' (postgres, pglite)`);
  const full = process.env.BENCH_FULL === "1";
  const syncTenants = positiveInt("BENCH_SYNC_TENANTS", full ? tenants : Math.min(tenants, 50));
  const large = positiveInt("BENCH_SYNC_INCIDENTS", full ? incidentsPerTenant : Math.min(incidentsPerTenant, 400));
  const kinds = databases as BenchDbKind[];
  return {
    tenants,
    incidentsPerTenant,
    databases: kinds,
    samples: positiveInt("BENCH_SAMPLES", 30),
    skipQueue: process.env.BENCH_SKIP_QUEUE === "1",
    skipSync: process.env.BENCH_SKIP_SYNC === "1",
    sync: {
      tenants: syncTenants,
      large,
      small: Math.max(1, Math.round(large / 5)),
      concurrency: positiveInt("BENCH_SYNC_CONCURRENCY", 4),
      scaledDown: syncTenants < tenants || large < incidentsPerTenant,
      // The design targets are stated for PostgreSQL; PGlite when it is the only database asked for.
      db: kinds.includes("postgres") ? "postgres" : "pglite",
    },
  };
}
