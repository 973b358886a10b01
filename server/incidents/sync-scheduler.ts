import "server-only";
import type { PrismaClient } from "../../prisma/generated/client/client";
import type { BackoffPolicy } from "../microsoft/backoff";
import type { MicrosoftApi } from "../microsoft/api-errors";
import type { DefenderClient } from "../microsoft/defender-client";
import type { GraphSecurityClient } from "../microsoft/graph-security-client";
import type { IncidentSource } from "../microsoft/source-incident";
import type { TenantTokenError } from "../microsoft/token-errors";
import { SYNCED_STATUSES } from "../tenants/tenant-status";
import { logger } from "../services";
import { isSyncLeaseLost, SyncLeaseLost } from "./sync-errors";
import { describeSyncFailure, nextRunAfterFailure } from "./sync-failure";
import { acquireSyncLease, ensureSyncStates, releaseSyncLease, renewSyncLease } from "./sync-lease";
import { syncTenantFromGraph } from "./sync-graph";
import { syncTenantOnce } from "./sync-tenant";

/** Where failures that say something about a tenant's health go (tenants/tenant-lifecycle.ts in production). */
export type SyncHealthReporter = {
  tokenFailure(input: { tenantId: string; error: TenantTokenError }): Promise<void>;
  apiForbidden(input: { tenantId: string; status: number; api: MicrosoftApi }): Promise<void>;
};

export type SyncSchedulerDeps = {
  prisma: PrismaClient;
  graph: Pick<GraphSecurityClient, "listIncidents">;
  defender: Pick<DefenderClient, "listIncidents">;
  health: SyncHealthReporter;
  /** The API a tenant is synced from now (incident-api.ts), or null when none can reach it. */
  sourceFor: (tenant: { incidentSource: string }) => IncidentSource | null;
};

export type SyncSchedulerSettings = {
  ownerId: string;
  /** Tenants synced at the same time; null: adaptiveSyncConcurrency of the tenants this process has seen. */
  concurrency: number | null;
  /** Gap between two polls of a healthy tenant (default 30 s: each tenant at least once a minute). */
  pollIntervalMs: number;
  /** How often the loop looks for due tenants and "Sync now" requests (default 1 s). */
  tickMs: number;
  leaseMs: number;
  overlapMs?: number;
  maxPagesPerRun: number;
  failureBackoff: BackoffPolicy;
  /** Graph: how often every incident is read again to repair drift (default daily). */
  reconcileEveryMs?: number;
};

/**
 * Tenants synced at once by default: 4, and one more for every 75 tenants beyond 300, up to 16.
 * A poll takes about 0.3 s (Microsoft's round trip and the store's), so at 4 a round of 1,000
 * tenants took 76 s and the newest change was up to 70 s old (p95) where the target is a minute;
 * at 16 the round fits the 30 s poll interval (bench: BENCH_SCALE=1). Most of a run waits on
 * Microsoft, not on the database pool.
 */
export function adaptiveSyncConcurrency(tenants: number): number {
  return Math.min(16, Math.max(4, Math.ceil(tenants / 75)));
}

/**
 * Runs tenants' syncs fairly: the oldest-due tenant first ("Sync now" requests before all), at most
 * `concurrency` at once, each under a database lease. A failing or throttled tenant only moves its
 * own nextRunAt back (exponential, capped, never before Retry-After); the others keep their turns.
 * A huge backfill yields its slot after `maxPagesPerRun` pages and queues again behind due tenants.
 */
export class SyncScheduler {
  private readonly running = new Map<string, { done: Promise<void>; abort: AbortController }>();
  private readonly known = new Set<string>();
  private filling: Promise<string[]> | null = null;
  private stopped = false;
  private wakeUp: (() => void) | null = null;
  private loopDone: Promise<void> | null = null;

  constructor(
    private readonly deps: SyncSchedulerDeps,
    private readonly settings: SyncSchedulerSettings,
  ) {}

  /** Starts the background loop. */
  start(): void {
    this.loopDone ??= this.loop();
  }

  /** One round: every due tenant (requested or nextRunAt passed) is synced once; resolves when all finished. */
  async runOnce(): Promise<void> {
    const done = new Set<string>();
    for (;;) {
      const started = this.stopped ? [] : await this.fill(done);
      for (const id of started) done.add(id);
      if (this.running.size === 0 && started.length === 0) return;
      if (this.running.size > 0) await Promise.race([...this.running.values()].map((r) => r.done));
    }
  }

  /** Look for work now (after "Sync now", or when a slot frees up). */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    for (const run of this.running.values()) run.abort.abort(new Error("sync engine stopping"));
    await this.loopDone;
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.fill(new Set());
      } catch (error) {
        logger().error({ event: "sync.schedule_failed", err: error }, "sync scheduling round failed");
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.settings.tickMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  /** Serialised: the loop and runOnce never pick the same tenant twice. */
  private fill(exclude: Set<string>): Promise<string[]> {
    const next = (this.filling ?? Promise.resolve([])).catch(() => []).then(() => this.startDueRuns(exclude));
    this.filling = next;
    return next;
  }

  private async startDueRuns(exclude: Set<string>): Promise<string[]> {
    const limit = this.settings.concurrency ?? adaptiveSyncConcurrency(this.known.size);
    const free = limit - this.running.size;
    if (free <= 0 || this.stopped) return [];
    const { prisma } = this.deps;
    // Only healthy tenants are synced (one that still needs Graph consent through the old API);
    // the others wait for consent or a health check to fix them.
    const tenants = await prisma.tenant.findMany({ where: { status: { in: [...SYNCED_STATUSES] } }, select: { id: true, incidentSource: true } });
    const sources = new Map(
      tenants.flatMap((t) => {
        const source = this.deps.sourceFor(t);
        return source ? [[t.id, source] as const] : [];
      }),
    );
    const active = [...sources.keys()];
    const unseen = active.filter((id) => !this.known.has(id));
    if (unseen.length > 0) {
      await ensureSyncStates(prisma, unseen);
      for (const id of unseen) this.known.add(id);
    }
    const now = new Date();
    const candidates = active.filter((id) => !this.running.has(id) && !exclude.has(id));
    if (candidates.length === 0) return [];
    const due = await prisma.tenantSyncState.findMany({
      where: {
        tenantId: { in: candidates },
        OR: [{ nextRunAt: { lte: now } }, { requestedAt: { not: null } }],
        AND: [{ OR: [{ leaseOwner: null }, { leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }] }],
      },
      select: { tenantId: true, nextRunAt: true, requestedAt: true },
      orderBy: { nextRunAt: "asc" },
      take: Math.max(free * 4, 16),
    });
    // "Sync now" first (oldest request first), then the tenant that has waited longest.
    due.sort((a, b) => rank(a) - rank(b));
    const started: string[] = [];
    for (const { tenantId } of due) {
      if (started.length >= free || this.stopped) break;
      if (!(await acquireSyncLease(prisma, { tenantId, ownerId: this.settings.ownerId, leaseMs: this.settings.leaseMs, now: new Date() }))) continue;
      const abort = new AbortController();
      const done = this.runTenant(tenantId, sources.get(tenantId)!, abort)
        .catch((error: unknown) => logger().error({ event: "sync.run_crashed", tenantId, err: error }, "sync run failed to record its outcome"))
        .finally(() => {
          this.running.delete(tenantId);
          this.wake();
        });
      this.running.set(tenantId, { done, abort });
      started.push(tenantId);
    }
    return started;
  }

  private async runTenant(tenantId: string, source: IncidentSource, abort: AbortController): Promise<void> {
    const { prisma, defender, graph } = this.deps;
    const { ownerId, leaseMs } = this.settings;
    const log = logger().child({ tenantId });
    // Renew the lease while slow calls or budget waits run; losing it stops the run at once.
    const renewal = setInterval(
      () => {
        renewSyncLease(prisma, { tenantId, ownerId, leaseMs })
          .then((held) => held || abort.abort(new SyncLeaseLost(tenantId)))
          .catch((error: unknown) => log.warn({ event: "sync.lease_renew_failed", err: error }, "lease renewal failed"));
      },
      Math.max(1_000, Math.floor(leaseMs / 3)),
    );
    try {
      const common = { tenantId, ownerId, leaseMs, overlapMs: this.settings.overlapMs, maxPages: this.settings.maxPagesPerRun, signal: abort.signal };
      const result =
        source === "graph"
          ? await syncTenantFromGraph({ prisma, graph }, { ...common, reconcileEveryMs: this.settings.reconcileEveryMs })
          : await syncTenantOnce({ prisma, defender }, common);
      const now = Date.now();
      await releaseSyncLease(prisma, {
        tenantId,
        ownerId,
        outcome: {
          // An unfinished pass (page cap) queues again at once, behind tenants that are already due.
          nextRunAt: new Date(result.passCompleted ? now + this.settings.pollIntervalMs : now),
          consecutiveFailures: 0,
          lastErrorCode: null,
          lastErrorMessage: null,
          lastErrorAt: null,
        },
      });
    } catch (error) {
      const reason: unknown = abort.signal.aborted ? abort.signal.reason : error;
      await this.recordFailure(tenantId, this.stopped && !isSyncLeaseLost(reason) ? null : reason);
    } finally {
      clearInterval(renewal);
    }
  }

  /** `error` null: stopped on purpose; the pass resumes in the next run, nothing counts as failure. */
  private async recordFailure(tenantId: string, error: unknown): Promise<void> {
    const { prisma, health } = this.deps;
    const { ownerId } = this.settings;
    const log = logger().child({ tenantId });
    if (error === null) {
      await releaseSyncLease(prisma, { tenantId, ownerId, outcome: { nextRunAt: new Date() } }).catch(() => undefined);
      return;
    }
    const failure = describeSyncFailure(error);
    if (failure.benign) {
      log.info({ event: "sync.lease_lost", code: failure.code }, failure.message);
      return;
    }
    try {
      if (failure.report?.kind === "token") await health.tokenFailure({ tenantId, error: failure.report.error });
      if (failure.report?.kind === "forbidden") await health.apiForbidden({ tenantId, status: failure.report.status, api: failure.report.api });
    } catch (reportError) {
      // Unexpected: logged whole (its stack), as the other unexpected failures are.
      log.error({ event: "sync.health_report_failed", err: reportError }, "could not update tenant health");
    }
    const state = await prisma.tenantSyncState.findUnique({ where: { tenantId }, select: { consecutiveFailures: true } });
    const consecutiveFailures = (state?.consecutiveFailures ?? 0) + 1;
    const now = new Date();
    const nextRunAt = nextRunAfterFailure({ now, consecutiveFailures, retryAt: failure.retryAt, policy: this.settings.failureBackoff });
    // An expected failure is described in words; an unexpected one is logged whole (its stack).
    if (failure.code === "internal")
      log.error({ event: "sync.failed", code: failure.code, consecutiveFailures, nextRunAt: nextRunAt.toISOString(), err: error }, failure.message);
    else log.warn({ event: "sync.failed", code: failure.code, consecutiveFailures, nextRunAt: nextRunAt.toISOString() }, failure.message);
    await releaseSyncLease(prisma, {
      tenantId,
      ownerId,
      outcome: { nextRunAt, consecutiveFailures, lastErrorCode: failure.code, lastErrorMessage: failure.message, lastErrorAt: now },
    });
  }
}

function rank(row: { nextRunAt: Date; requestedAt: Date | null }): number {
  // Requests sort a long way before any schedule, in the order they were made.
  return row.requestedAt ? row.requestedAt.getTime() - 1e13 : row.nextRunAt.getTime();
}
