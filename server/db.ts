import "server-only";
import { getConfig } from "./config";
import { openDatabase, type Database } from "./database/open-database";
import type { PrismaClient } from "../prisma/generated/client/client";

// One store per process, kept on globalThis so dev-mode reloads do not open the folder twice.
const holder = globalThis as unknown as { portalDatabase?: Promise<Database> };

function database(): Promise<Database> {
  holder.portalDatabase ??= openDatabase(getConfig().database).then((db) => {
    registerShutdown(db);
    return db;
  });
  return holder.portalDatabase;
}

/** The one Prisma client of this process. */
export async function getDb(): Promise<PrismaClient> {
  return (await database()).prisma;
}

let shutdownRegistered = false;
function registerShutdown(db: Database): void {
  if (shutdownRegistered) return;
  shutdownRegistered = true;
  // PGlite keeps the event loop alive and must flush to disk: close it before the process ends.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void db.close().finally(() => process.exit(0));
    });
  }
}

export async function closeDb(): Promise<void> {
  const pending = holder.portalDatabase;
  holder.portalDatabase = undefined;
  if (pending) await (await pending).close();
}
