// A throwaway, migrated database per benchmark run: a scratch database on a PostgreSQL server
// (CREATE/DROP portal_bench_<random>) or a PGlite folder in a temp dir. drop() removes every trace
// (except a database kept with BENCH_KEEP_DB).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { du } from "./disk-usage";

export type BenchDbKind = "postgres" | "pglite";

export type ScratchDatabase = {
  kind: BenchDbKind;
  /** The environment that points the portal's configuration (server/config-schema.ts) at this database. */
  env: Record<string, string>;
  /** Bytes on disk of the PGlite folder (PostgreSQL reports its own size in SQL). */
  folderBytes(): number | null;
  drop(): Promise<void>;
};

const repoRoot = path.resolve(import.meta.dirname, "..");

export function benchServerUrl(): string {
  return process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
}

/** `prisma migrate deploy` with the real CLI, exactly as `npm start` migrates. */
function migrate(env: Record<string, string>): void {
  const result = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
    cwd: repoRoot,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1", DATABASE_URL: undefined, PORTAL_PGLITE_DIR: undefined, ...env },
    encoding: "utf8",
    timeout: 180_000,
  });
  if (result.status !== 0) throw new Error(`prisma migrate deploy failed:\n${result.stdout}\n${result.stderr}`);
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: benchServerUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: benchServerUrl() });
  await client.connect();
  try {
    return (await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

export async function createScratchDatabase(kind: BenchDbKind): Promise<ScratchDatabase> {
  if (kind === "pglite") {
    const dir = mkdtempSync(path.join(tmpdir(), "portal-bench-"));
    const dataDir = path.join(dir, "pglite");
    try {
      migrate({ PORTAL_PGLITE_DIR: dataDir });
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return {
      kind,
      env: { PORTAL_PGLITE_DIR: dataDir, PORTAL_DATA_DIR: dir },
      folderBytes: () => du(dataDir),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  // BENCH_KEEP_DB=<name>: a database kept between runs (portal_bench_keep_<name>), created and
  // migrated when missing, so a 1,000 × 1,000 store is seeded once and measured again after changes.
  const keep = process.env.BENCH_KEEP_DB;
  if (keep !== undefined && !/^[a-z0-9_]{1,30}$/.test(keep)) throw new Error(`BENCH_KEEP_DB must be 1-30 of a-z, 0-9 and _, got '${keep}'`);
  const name = keep ? `portal_bench_keep_${keep}` : `portal_bench_${randomBytes(6).toString("hex")}`;
  if (!keep || !(await databaseExists(name))) await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(benchServerUrl());
  url.pathname = `/${name}`;
  const drop = keep ? async () => undefined : () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  try {
    migrate({ DATABASE_URL: url.toString() });
  } catch (error) {
    await drop();
    throw error;
  }
  const dir = mkdtempSync(path.join(tmpdir(), "portal-bench-"));
  return {
    kind,
    env: { DATABASE_URL: url.toString(), PORTAL_DATA_DIR: dir },
    folderBytes: () => null,
    drop: async () => {
      await drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
