// Shared parts of the steady-state and scale-out benches: a scratch PostgreSQL database with N active
// tenants, sync workers in child processes (bench/sync-worker.ts), a database-side log of every
// lease change (a trigger on tenant_sync_state), and the checks read from it.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { BenchEmulatorReady } from "./bench-emulator";
import { activeTenantRow, benchTenants } from "./bench-tenants";
import { control } from "./emulator-control";
import type { ScratchDatabase } from "./scratch-database";
import type { WorkerMessage, WorkerReport } from "./sync-worker";
import type { PrismaClient } from "../prisma/generated/client/client";
import { bundleServerEntry, serverProcessArgs, WORKER_HEAP_MB } from "../scripts/lib/server-bundle.mjs";

const repoRoot = path.resolve(import.meta.dirname, "..");

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Consents every tenant at the emulator and stores them as active Graph tenants; installs the lease log. */
export async function prepareTenants(prisma: PrismaClient, scratch: ScratchDatabase, emulator: BenchEmulatorReady): Promise<string[]> {
  const tenants = benchTenants(emulator.tenantIds.length);
  for (let i = 0; i < tenants.length; i += 20) {
    await Promise.all(tenants.slice(i, i + 20).map((t) => control(emulator.controlUrl, "POST", `/tenants/${t.id}/consent`, {})));
  }
  await prisma.tenant.createMany({ data: tenants.map((t) => activeTenantRow(t, "graph")) });
  await sql(scratch, [
    "CREATE TABLE bench_lease_log (id bigserial PRIMARY KEY, tenant_id text NOT NULL, old_owner text, new_owner text, at timestamptz NOT NULL DEFAULT clock_timestamp())",
    `CREATE FUNCTION bench_log_lease() RETURNS trigger AS $$ BEGIN
       INSERT INTO bench_lease_log (tenant_id, old_owner, new_owner) VALUES (NEW.tenant_id, OLD.lease_owner, NEW.lease_owner);
       RETURN NEW; END $$ LANGUAGE plpgsql`,
    `CREATE TRIGGER bench_lease_log AFTER UPDATE OF lease_owner ON tenant_sync_state FOR EACH ROW
       WHEN (OLD.lease_owner IS DISTINCT FROM NEW.lease_owner) EXECUTE FUNCTION bench_log_lease()`,
  ]);
  return tenants.map((t) => t.id);
}

async function sql(scratch: ScratchDatabase, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: scratch.env.DATABASE_URL });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** One lease held: from its acquisition to its release (or to the next owner taking it over). */
export type LeaseInterval = { tenantId: string; owner: string; from: number; to: number | null; takenOverBy: string | null };

export async function readLeaseIntervals(prisma: PrismaClient): Promise<LeaseInterval[]> {
  const rows = await prisma.$queryRawUnsafe<{ tenant_id: string; old_owner: string | null; new_owner: string | null; at: Date }[]>(
    "SELECT tenant_id, old_owner, new_owner, at FROM bench_lease_log ORDER BY id",
  );
  const open = new Map<string, LeaseInterval>();
  const intervals: LeaseInterval[] = [];
  for (const row of rows) {
    const at = row.at.getTime();
    const current = open.get(row.tenant_id);
    if (current && row.old_owner !== null) {
      current.to = at;
      if (row.new_owner !== null) current.takenOverBy = row.new_owner;
      open.delete(row.tenant_id);
    }
    if (row.new_owner !== null) {
      const interval: LeaseInterval = { tenantId: row.tenant_id, owner: row.new_owner, from: at, to: null, takenOverBy: null };
      intervals.push(interval);
      open.set(row.tenant_id, interval);
    }
  }
  return intervals;
}

/** A Graph list call as a worker logged it; `end` null: the worker died during the call. */
export type CallInterval = { owner: string; tenantId: string; start: number; end: number | null };

export function readCallLog(file: string, owner: string): CallInterval[] {
  if (!existsSync(file)) return [];
  const calls = new Map<string, CallInterval>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const [kind, id, tenantId, at] = line.split(" ");
    if (!kind || !id || !tenantId || !at) continue;
    if (kind === "s") calls.set(id, { owner, tenantId, start: Number(at), end: null });
    else if (kind === "e") {
      const call = calls.get(id);
      if (call) call.end = Number(at);
    }
  }
  return [...calls.values()];
}

/** Pairs of calls by different workers for one tenant whose times overlap (open calls end at `deadAt`). */
export function overlappingCalls(calls: CallInterval[], deadAt: Record<string, number>): number {
  const byTenant = new Map<string, CallInterval[]>();
  for (const call of calls) byTenant.set(call.tenantId, [...(byTenant.get(call.tenantId) ?? []), call]);
  let overlaps = 0;
  for (const list of byTenant.values()) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      const aEnd = a.end ?? deadAt[a.owner] ?? Number.POSITIVE_INFINITY;
      for (let j = i + 1; j < list.length && list[j]!.start < aEnd; j++) if (list[j]!.owner !== a.owner) overlaps++;
    }
  }
  return overlaps;
}

export type WorkerHandle = {
  ownerId: string;
  pid: number;
  callLog: string;
  report(): Promise<WorkerReport>;
  resetPeak(): void;
  stop(): Promise<void>;
  kill(): Promise<void>;
};

/** Starts bench/sync-worker.ts, bundled, in its own process (with --expose-gc) and waits for its ready message. */
export async function startWorker(opts: {
  ownerId: string;
  emulator: BenchEmulatorReady;
  scratch: ScratchDatabase;
  callLog: string;
  concurrency?: number;
  leaseMs?: number;
  /** --max-old-space-size of the worker (null or absent: the worker's own cap, WORKER_HEAP_MB). */
  oldSpaceMb?: number | null;
}): Promise<WorkerHandle> {
  // Run as `npm run worker` runs: one precompiled bundle, with the worker's heap cap unless overridden.
  const bundle = await bundleServerEntry("bench/sync-worker.ts", "bench-sync-worker");
  const child: ChildProcess = spawn(process.execPath, serverProcessArgs(bundle, { heapMb: opts.oldSpaceMb ?? WORKER_HEAP_MB, extra: ["--expose-gc"] }), {
    cwd: repoRoot,
    env: {
      ...process.env,
      BENCH_EMULATOR: JSON.stringify(opts.emulator),
      BENCH_WORKER_OWNER: opts.ownerId,
      BENCH_WORKER_CALL_LOG: opts.callLog,
      BENCH_WORKER_DB_ENV: JSON.stringify(opts.scratch.env),
      ...(opts.concurrency ? { BENCH_WORKER_CONCURRENCY: String(opts.concurrency) } : {}),
      ...(opts.leaseMs ? { BENCH_LEASE_MS: String(opts.leaseMs) } : {}),
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const next = <T extends WorkerMessage["type"]>(type: T) =>
    new Promise<Extract<WorkerMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (message: WorkerMessage) => {
        if (message.type !== type) return;
        child.off("message", onMessage);
        resolve(message as Extract<WorkerMessage, { type: T }>);
      };
      child.on("message", onMessage);
      void exited.then(() => reject(new Error(`sync worker ${opts.ownerId} exited`)));
    });
  await next("ready");
  return {
    ownerId: opts.ownerId,
    pid: child.pid!,
    callLog: opts.callLog,
    async report() {
      const reply = next("report");
      child.send({ type: "report" });
      return (await reply).report;
    },
    resetPeak: () => void child.send({ type: "reset-peak" }),
    async stop() {
      if (child.exitCode !== null || child.signalCode) return;
      const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      child.send({ type: "stop" });
      await exited;
      clearTimeout(killer);
    },
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Polls `check` every `everyMs` until it returns true or `timeoutMs` passes; false on timeout. */
export async function waitUntil(check: () => Promise<boolean>, opts: { everyMs: number; timeoutMs: number }): Promise<boolean> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(opts.everyMs);
  }
}

/** Duplicate (tenant, incident) rows in the store (the primary key forbids them: this checks it). */
export async function duplicateIncidents(prisma: PrismaClient): Promise<number> {
  const [row] = await prisma.$queryRawUnsafe<{ n: bigint }[]>(
    "SELECT count(*) AS n FROM (SELECT tenant_id, incident_id FROM incident GROUP BY 1, 2 HAVING count(*) > 1) d",
  );
  return Number(row?.n ?? 0);
}

/** Every incident the emulator holds for these tenants (its truth). */
export async function emulatorIncidentCount(emulator: BenchEmulatorReady, tenantIds: string[]): Promise<number> {
  const tenants = await control<{ id: string; incidentCount: number }[]>(emulator.controlUrl, "GET", "/tenants");
  const ours = new Set(tenantIds);
  return tenants.filter((t) => ours.has(t.id)).reduce((sum, t) => sum + t.incidentCount, 0);
}
