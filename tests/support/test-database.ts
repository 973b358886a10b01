import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { DatabaseConfig } from "@/server/config-schema";
import { openDatabase, type Database } from "@/server/database/open-database";

export type TestDatabaseKind = "pglite" | "postgres";

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export function testDatabaseKinds(): TestDatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

/** Applies the committed migrations with the real Prisma CLI, as `npm start` does. */
export function migrate(env: Record<string, string | undefined>): void {
  const result = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    env: { ...process.env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1", DATABASE_URL: undefined, PORTAL_PGLITE_DIR: undefined, ...env },
    encoding: "utf8",
    // The WebAssembly schema engine is slow on a loaded 2-core machine: minutes, not seconds.
    timeout: 300_000,
  });
  if (result.status !== 0)
    throw new Error(
      `prisma migrate deploy failed (${result.signal ? `killed by ${result.signal}` : `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`,
    );
}

export type TestDatabase = { kind: TestDatabaseKind; config: DatabaseConfig; database: Database; drop: () => Promise<void> };

/** A fresh, migrated database of the given kind; drop() removes every trace. */
export async function createTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  let config: DatabaseConfig;
  let removeStore: () => Promise<void>;
  if (kind === "pglite") {
    const dir = mkdtempSync(path.join(tmpdir(), "portal-db-"));
    config = { kind: "pglite", dataDir: path.join(dir, "pglite") };
    migrate({ PORTAL_PGLITE_DIR: config.dataDir });
    removeStore = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const scratch = await createScratchPostgresDatabase("portal_test");
    config = { kind: "postgres", url: scratch.url };
    migrate({ DATABASE_URL: scratch.url });
    removeStore = scratch.drop;
  }
  const database = await openDatabase(config);
  const test: TestDatabase = {
    kind,
    config,
    database,
    drop: async () => {
      await test.database.close(); // tests may swap in a reopened handle
      await removeStore();
    },
  };
  return test;
}

/** An empty database of its own on the TEST_DATABASE_URL server, dropped (even if in use) by drop(). */
export async function createScratchPostgresDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
