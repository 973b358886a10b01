// Child process: one sync worker, as `npm run worker` runs the sync (startSyncEngine with its own
// background loop, the process's own Graph client and token broker from the portal's configuration),
// with its own ownerId. Apart from the worker's other services (health checks, notifications: they
// would add calls of their own), two things differ: tenant health reports are counted instead of
// changing the tenant (a failure shows in the figures, the tenant keeps syncing), and each Graph list
// call is appended to a file (tenant, start, end) so the bench can check that two workers never
// called Microsoft for one tenant at once, even after one of them was killed mid-call.
// Talks to the bench over IPC: "report" (memory, health reports), "reset-peak", "stop".
import { appendFileSync } from "node:fs";
import type { BenchEmulatorReady } from "./bench-emulator";
import { applyPortalEnv } from "./bench-env";
import { getDb, getGraphSecurityClient } from "../server/services";
import { startSyncEngine } from "../server/incidents/sync-engine";
import type { SyncHealthReporter } from "../server/incidents/sync-scheduler";
import type { GraphListInput } from "../server/microsoft/graph-security-client";
import { startMemorySampler } from "./memory-sampler";

export type WorkerReport = {
  ownerId: string;
  healthReports: number;
  /** Peak since start or the last reset-peak. */
  peakRss: number;
  peakHeapUsed: number;
  /** V8's heap as reserved (used or not) and memory outside it (buffers, WASM), at their peaks. */
  peakHeapTotal: number;
  peakExternal: number;
  /** RSS once the process has loaded its code and opened the database, before the engine started. */
  startRss: number;
  /** The whole life of the process. */
  lifePeakRss: number;
  /** heapUsed right after a forced GC (live data, not garbage). */
  heapAfterGc: number;
  rss: number;
  /** CPU time (user + system) the process has used since it started, in ms. */
  cpuMs: number;
};

export type WorkerMessage = { type: "ready"; ownerId: string } | { type: "report"; report: WorkerReport } | { type: "stopped" };

const emulator = JSON.parse(process.env.BENCH_EMULATOR!) as BenchEmulatorReady;
const ownerId = process.env.BENCH_WORKER_OWNER!;
const callLog = process.env.BENCH_WORKER_CALL_LOG!;
applyPortalEnv(JSON.parse(process.env.BENCH_WORKER_DB_ENV!) as Record<string, string>, emulator, "graph");

let healthReports = 0;
const health: SyncHealthReporter = { tokenFailure: async () => void healthReports++, apiForbidden: async () => void healthReports++ };
let callId = 0;
const graphClient = {
  async listIncidents(input: GraphListInput) {
    const id = ++callId;
    // One line at the start and one at the end: a call cut short by SIGKILL still shows its start.
    appendFileSync(callLog, `s ${id} ${input.tenantId} ${Date.now()}\n`);
    try {
      return await getGraphSecurityClient().listIncidents(input);
    } finally {
      appendFileSync(callLog, `e ${id} ${input.tenantId} ${Date.now()}\n`);
    }
  },
};

// As worker-main.ts: the database first (and the code it loads), then the engine.
await getDb();
global.gc?.();
const startRss = process.memoryUsage().rss;
const memory = startMemorySampler();
let lifePeakRss = 0;
const engine = startSyncEngine({
  ownerId,
  graphClient,
  health,
  ...(process.env.BENCH_WORKER_CONCURRENCY ? { concurrency: Number(process.env.BENCH_WORKER_CONCURRENCY) } : {}),
  ...(process.env.BENCH_LEASE_MS ? { leaseMs: Number(process.env.BENCH_LEASE_MS) } : {}),
});

const send = (message: WorkerMessage) => process.send?.(message);

process.on("message", (message: { type: string }) => {
  if (message.type === "report") {
    const peak = memory.read();
    lifePeakRss = Math.max(lifePeakRss, peak.rss);
    global.gc?.();
    const after = process.memoryUsage();
    send({
      type: "report",
      report: {
        ownerId,
        healthReports,
        peakRss: peak.rss,
        peakHeapUsed: peak.heapUsed,
        peakHeapTotal: peak.heapTotal,
        peakExternal: peak.external,
        startRss,
        lifePeakRss,
        heapAfterGc: after.heapUsed,
        rss: after.rss,
        cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
      },
    });
  } else if (message.type === "reset-peak") {
    lifePeakRss = Math.max(lifePeakRss, memory.read().rss);
    memory.reset();
  } else if (message.type === "stop") {
    void engine.stop().finally(() => {
      send({ type: "stopped" });
      process.exit(0);
    });
  }
});
process.once("disconnect", () => process.exit(1));
send({ type: "ready", ownerId });
