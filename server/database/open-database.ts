import { PGlite } from "@electric-sql/pglite";
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
    pglite = await PGlite.create(config.dataDir);
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
