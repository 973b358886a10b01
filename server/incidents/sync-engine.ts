import "server-only";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../../prisma/generated/client/client";
import { getDb, getDefenderClient, getGraphSecurityClient, logger } from "../services";
import type { BackoffPolicy } from "../microsoft/backoff";
import type { DefenderClient } from "../microsoft/defender-client";
import type { GraphSecurityClient } from "../microsoft/graph-security-client";
import type { IncidentSource } from "../microsoft/source-incident";
import { sourceForTenant } from "./incident-api";
import { reportTenantApiForbidden, reportTenantTokenFailure } from "../tenants/tenant-lifecycle";
import { SyncScheduler, type SyncHealthReporter } from "./sync-scheduler";
import { requestTenantSync } from "./sync-status";

export type SyncEngineOptions = {
  /** Defaults to the process database (getDb()). */
  prisma?: PrismaClient;
  /** Defaults to the process's Graph security client (getGraphSecurityClient()). */
  graphClient?: Pick<GraphSecurityClient, "listIncidents">;
  /** Defaults to the process's Defender client (getDefenderClient()), for tenants still on the old API. */
  defenderClient?: Pick<DefenderClient, "listIncidents">;
  /** Which API a tenant is synced from (default: incident-api.ts, from configuration and the tenant). */
  sourceFor?: (tenant: { incidentSource: string }) => IncidentSource | null;
  reconcileEveryMs?: number;
  /** Defaults to the tenant lifecycle's health reports (tenants/tenant-lifecycle.ts: status changes, audit events). */
  health?: SyncHealthReporter;
  /** Tenants synced at once; default adaptiveSyncConcurrency (4, more from 300 tenants on). */
  concurrency?: number;
  pollIntervalMs?: number;
  /** Identifies this process in leases; defaults to host:pid:random. */
  ownerId?: string;
  tickMs?: number;
  leaseMs?: number;
  overlapMs?: number;
  maxPagesPerRun?: number;
  failureBackoff?: BackoffPolicy;
  /** false: no background loop; the caller drives rounds with runOnce() (tests, benchmarks). */
  loop?: boolean;
  /**
   * This process alone can open the store (embedded PGlite, guarded by its folder lock), so any
   * lease found at start was left by a dead process: release it instead of waiting for it to expire.
   */
  exclusiveStore?: boolean;
};

export type SyncEngine = {
  readonly ownerId: string;
  /** Stops picking work, aborts running syncs (their passes resume later) and waits for them. */
  stop(): Promise<void>;
  /** One round: every due tenant synced once; resolves when they all finished. */
  runOnce(): Promise<void>;
  /** "Sync now": marks the tenant requested (picked first, within a tick) and wakes the loop. */
  requestSync(tenantId: string): Promise<void>;
};

/**
 * Starts the incident sync: a plain module with a start/stop lifecycle that runs inside the web
 * process (embedded) or in its own worker process (scripts/worker.mjs), with the same code.
 */
export function startSyncEngine(options: SyncEngineOptions = {}): SyncEngine {
  const ownerId = options.ownerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const health: SyncHealthReporter = options.health ?? { tokenFailure: reportTenantTokenFailure, apiForbidden: reportTenantApiForbidden };
  const scheduler = (async () => {
    const prisma = options.prisma ?? (await getDb());
    if (options.exclusiveStore) {
      const released = await prisma.tenantSyncState.updateMany({
        where: { leaseOwner: { not: null } },
        data: { leaseOwner: null, leaseExpiresAt: null, running: false },
      });
      if (released.count)
        logger().info({ event: "sync.stale_leases_released", count: released.count }, "released leases left by a process that stopped mid-sync");
    }
    // Built lazily: a process that never meets a legacy tenant never makes a Defender client.
    const defender = options.defenderClient ?? {
      listIncidents: (input: Parameters<DefenderClient["listIncidents"]>[0]) => getDefenderClient().listIncidents(input),
    };
    const graph = options.graphClient ?? {
      listIncidents: (input: Parameters<GraphSecurityClient["listIncidents"]>[0]) => getGraphSecurityClient().listIncidents(input),
    };
    const instance = new SyncScheduler(
      { prisma, defender, graph, health, sourceFor: options.sourceFor ?? ((tenant) => sourceForTenant(tenant)) },
      {
        ownerId,
        concurrency: options.concurrency === undefined ? null : Math.max(1, options.concurrency),
        pollIntervalMs: options.pollIntervalMs ?? 30_000,
        tickMs: options.tickMs ?? 1_000,
        leaseMs: options.leaseMs ?? 120_000,
        overlapMs: options.overlapMs,
        maxPagesPerRun: options.maxPagesPerRun ?? 20,
        failureBackoff: options.failureBackoff ?? { baseMs: 15_000, maxMs: 15 * 60_000 },
        reconcileEveryMs: options.reconcileEveryMs,
      },
    );
    if (options.loop !== false) instance.start();
    logger().info({ event: "sync.engine_started", ownerId, loop: options.loop !== false }, "incident sync engine started");
    return { prisma, instance };
  })();
  // Surface a start-up failure in the log even if nobody awaits a method.
  scheduler.catch((error: unknown) => logger().error({ event: "sync.engine_start_failed", err: error }, "incident sync engine could not start"));

  return {
    ownerId,
    async stop() {
      const { instance } = await scheduler;
      await instance.stop();
      logger().info({ event: "sync.engine_stopped", ownerId }, "incident sync engine stopped");
    },
    async runOnce() {
      await (await scheduler).instance.runOnce();
    },
    async requestSync(tenantId: string) {
      const { prisma, instance } = await scheduler;
      await requestTenantSync({ tenantId, prisma });
      instance.wake();
    },
  };
}
