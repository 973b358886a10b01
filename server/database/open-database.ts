import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../../prisma/generated/client/client";
import type { DatabaseConfig } from "../config-schema";
import { acquirePgliteLock } from "./pglite-lock.mjs";

export type Database = {
  prisma: PrismaClient;
  kind: DatabaseConfig["kind"];
  close: () => Promise<void>;
};

/**
 * Opens the store: a PostgreSQL server, or the embedded PGlite folder (guarded by a lock file
 * so a second process gets a clear error instead of corrupting it).
 */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === "postgres") {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: config.url, max: 10 }) });
    return { prisma, kind: "postgres", close: () => prisma.$disconnect() };
  }
  const memory = config.dataDir.startsWith("memory://");
  const lock = memory ? { release() {} } : acquirePgliteLock(config.dataDir);
  let pglite: PGlite;
  try {
    // The extensions the migrations create (pg_trgm for text search) are loaded with the cluster;
    // scripts/prisma-schema-engine.mjs loads the same set for migrations.
    pglite = await PGlite.create(config.dataDir, { extensions: { pg_trgm } });
  } catch (error) {
    lock.release();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  let closed: Promise<void> | undefined;
  return {
    prisma,
    kind: "pglite",
    close: () =>
      (closed ??= (async () => {
        await prisma.$disconnect().catch(() => undefined);
        await pglite.close();
        lock.release();
      })()),
  };
}
