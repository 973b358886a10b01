// Child process: backfills N tenants from the bench emulator with the real sync engine into a
// scratch database, then runs one idle poll; counts calls through the emulator's /metrics.
import type { BenchEmulatorReady } from "./bench-emulator";
import { closeDb, getDb } from "../server/db";
import { startSyncEngine } from "../server/incidents/sync-engine";
import type { SyncHealthReporter } from "../server/incidents/sync-scheduler";
import { DefenderClient } from "../server/microsoft/defender-client";
import { TokenBroker } from "../server/microsoft/token-broker";
import { applyPortalEnv } from "./bench-env";
import { benchTenants } from "./bench-tenants";
import { progress, writeChildResult } from "./child-result";
import { control, perTenant, statusCount, type EmulatorMetrics } from "./emulator-control";
import { startMemorySampler } from "./memory-sampler";
import { createScratchDatabase, type BenchDbKind } from "./scratch-database";

type Spread = ReturnType<typeof perTenant>;
export type SyncBenchResult = {
  kind: BenchDbKind;
  tenants: number;
  incidentsPerTenant: number;
  concurrency: number;
  stored: number;
  backfill: { wallMs: number; rounds: number; listCalls: Spread; tokenRequests: Spread; throttled: number; failures: number };
  idle: { wallMs: number; listCalls: Spread; tokenRequests: Spread };
  /** retainedHeap: heapUsed after a forced GC at the end of the backfill (live data, not garbage). */
  memory: { baselineRss: number; peakRss: number; peakHeapUsed: number; retainedHeap: number; idlePeakRss: number };
};

const MAX_ROUNDS = 100;

async function main(): Promise<void> {
  const kind = process.env.BENCH_CHILD_DB as BenchDbKind;
  const emulator = JSON.parse(process.env.BENCH_EMULATOR!) as BenchEmulatorReady;
  const perTenantCount = Number(process.env.BENCH_INCIDENTS);
  const concurrency = Number(process.env.BENCH_SYNC_CONCURRENCY || 4);
  const tenants = benchTenants(emulator.tenantIds.length);
  const tenantIds = tenants.map((t) => t.id);
  const scratch = await createScratchDatabase(kind);
  try {
    applyPortalEnv(scratch.env, emulator);
    const prisma = await getDb();
    for (let i = 0; i < tenantIds.length; i += 20) {
      await Promise.all(tenantIds.slice(i, i + 20).map((id) => control(emulator.controlUrl, "POST", `/tenants/${id}/consent`, {})));
    }
    await prisma.tenant.createMany({
      data: tenants.map((t) => ({ id: t.id, displayName: t.displayName, requiredAccess: "read_write", status: "active", grantedRoles: ["Incident.Read.All", "Incident.ReadWrite.All"] })),
    });

    let failures = 0;
    // Health reports mean a tenant failed: counted, and the figures say so.
    const health: SyncHealthReporter = { tokenFailure: async () => void failures++, apiForbidden: async () => void failures++ };
    const tokens = new TokenBroker({ clientId: emulator.clientId, credential: { kind: "secret", secret: emulator.clientSecret }, authorityHost: emulator.authorityHost, resource: "https://api.security.microsoft.com" });
    const defenderClient = new DefenderClient({ apiUrl: emulator.defenderApiUrl, tokens });
    // pollIntervalMs 0: every tenant is due again at once, so the next runOnce() is the idle poll.
    const engine = startSyncEngine({ prisma, defenderClient, health, loop: false, pollIntervalMs: 0, concurrency });
    global.gc?.();
    const memory = startMemorySampler();
    const baselineRss = process.memoryUsage().rss;
    await control(emulator.controlUrl, "DELETE", "/metrics");

    const t0 = performance.now();
    let rounds = 0;
    for (; rounds < MAX_ROUNDS; rounds++) {
      const pending = await prisma.tenantSyncState.count({ where: { backfillCompletedAt: null } });
      if (rounds > 0 && pending === 0) break;
      await engine.runOnce();
      progress(`sync ${perTenantCount}/tenant: round ${rounds + 1} done at ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    const wallMs = performance.now() - t0;
    const backfillMetrics = await control<EmulatorMetrics>(emulator.controlUrl, "GET", "/metrics");
    const afterBackfill = memory.read();
    global.gc?.();
    const retainedHeap = process.memoryUsage().heapUsed;
    const stored = await prisma.incident.count();

    await control(emulator.controlUrl, "DELETE", "/metrics");
    memory.reset();
    const t1 = performance.now();
    await engine.runOnce();
    const idleMs = performance.now() - t1;
    const idleMetrics = await control<EmulatorMetrics>(emulator.controlUrl, "GET", "/metrics");
    const idlePeak = memory.read();
    memory.stop();
    await engine.stop();

    const result: SyncBenchResult = {
      kind,
      tenants: tenantIds.length,
      incidentsPerTenant: perTenantCount,
      concurrency,
      stored,
      backfill: {
        wallMs,
        rounds,
        listCalls: perTenant(backfillMetrics.apiCalls, tenantIds, "list"),
        tokenRequests: perTenant(backfillMetrics.tokenRequests, tenantIds, "client_credentials"),
        throttled: statusCount(backfillMetrics, 429),
        failures,
      },
      idle: { wallMs: idleMs, listCalls: perTenant(idleMetrics.apiCalls, tenantIds, "list"), tokenRequests: perTenant(idleMetrics.tokenRequests, tenantIds, "client_credentials") },
      memory: { baselineRss, peakRss: afterBackfill.rss, peakHeapUsed: afterBackfill.heapUsed, retainedHeap, idlePeakRss: idlePeak.rss },
    };
    writeChildResult(result);
  } finally {
    await closeDb();
    await scratch.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`sync bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
