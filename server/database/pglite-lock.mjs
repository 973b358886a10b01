// One process at a time may open the embedded database folder: PGlite has no cross-process
// locking, and two writers would corrupt the store. Plain ESM so the Prisma migration adapter
// (a plain Node script) and the portal share the same rule.
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from "node:fs";
import path from "node:path";

export class EmbeddedDatabaseLocked extends Error {
  /** @param {string} dataDir @param {number} pid */
  constructor(dataDir, pid) {
    super(
      `The embedded database at ${dataDir} is already open in another process (pid ${pid}). ` +
        "Stop that process first (only one portal or migration may open it at a time), " +
        "or set DATABASE_URL to use a PostgreSQL server.",
    );
    this.name = "EmbeddedDatabaseLocked";
    this.dataDir = dataDir;
    this.pid = pid;
  }
}

/** @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else.
    return /** @type {NodeJS.ErrnoException} */ (error).code === "EPERM";
  }
}

/**
 * Takes the lock file beside the data folder; a lock left by a dead process is taken over.
 * @param {string} dataDir
 * @returns {{ release: () => void }}
 */
export function acquirePgliteLock(dataDir) {
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const lockPath = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(lockPath, { force: true });
        },
      };
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== "EEXIST") throw error;
      let holder = 0;
      try {
        holder = Number(JSON.parse(readFileSync(lockPath, "utf8")).pid) || 0;
      } catch {
        // A half-written lock file: treat it as stale.
      }
      // Held by a live process, this one included: opening the folder twice corrupts it too.
      if (holder && isAlive(holder)) throw new EmbeddedDatabaseLocked(dataDir, holder);
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the embedded database lock at ${lockPath}`);
}
