import "server-only";
import { getConfig } from "./config";
import { openDatabase, type Database } from "./database/open-database";
import type { PrismaClient } from "../prisma/generated/client/client";

// One store per process, kept on globalThis so dev-mode reloads do not open the folder twice.
const holder = globalThis as unknown as { portalDatabase?: Promise<Database> };

function database(): Promise<Database> {
  // Closed on shutdown by server/process-lifecycle.ts (after background work stops).
  holder.portalDatabase ??= openDatabase(getConfig().database);
  return holder.portalDatabase;
}

/** The one Prisma client of this process. */
export async function getDb(): Promise<PrismaClient> {
  return (await database()).prisma;
}

export async function closeDb(): Promise<void> {
  const pending = holder.portalDatabase;
  holder.portalDatabase = undefined;
  if (pending) await (await pending).close();
}
