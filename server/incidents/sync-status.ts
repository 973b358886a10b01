import "server-only";
import type { IncidentSource } from "../microsoft/source-incident";
import { SYNCED_STATUSES } from "../tenants/tenant-status";
import { sourceForTenant } from "./incident-api";
import type { PrismaClient } from "../../prisma/generated/client/client";
import { getDb } from "../services";

/**
 * Staff-facing read model of the incident sync, for the tenants page and a "Sync now" button.
 *
 *   listTenantSyncStatus({ prisma?, now? })        → TenantSyncStatus[] (every tenant not offboarded)
 *   getTenantSyncStatus({ tenantId, prisma?, now? }) → TenantSyncStatus | null
 *   requestTenantSync({ tenantId, prisma? })        → RequestSyncResult ("Sync now": picked up within ~1 s
 *                                                      by the engine of any process; no Microsoft call here)
 *   listSyncIssues({ tenantId, limit?, prisma? })   → SyncIssueView[] (unreadable records Defender sent)
 *
 * All return plain objects (no rows, no secrets) and take the tenant into the query itself. The
 * caller checks the staff role first (e.g. staffAction): these functions do not know the caller.
 */

/** A tenant whose last completed pass is older than this is shown as stale (the target is 1 minute). */
export const STALE_AFTER_MS = 5 * 60_000;

export type SyncHealthState =
  | "never_synced" // no pass has completed yet and none is running
  | "backfilling" // the first pass is running or interrupted
  | "up_to_date"
  | "stale" // last success older than STALE_AFTER_MS
  | "failing" // the last run failed (see lastError)
  | "paused"; // the tenant is not active (consent, permissions, offboarding): not synced

export type TenantSyncStatus = {
  tenantId: string;
  displayName: string;
  /** Tenant.status: active | permission_missing | consent_revoked | unreachable */
  tenantStatus: string;
  state: SyncHealthState;
  /** End of the last completed pass: the store held everything Defender had then. */
  lastSuccessAt: Date | null;
  /** now − lastSuccessAt, in ms; null when never synced. */
  dataAgeMs: number | null;
  /** The last failure in words for staff; null after a success. */
  lastError: { code: string; message: string; at: Date } | null;
  consecutiveFailures: number;
  incidentCount: number;
  /** When the scheduler runs it next (earlier after a "Sync now"); null before the first schedule. */
  nextRunAt: Date | null;
  syncRequested: boolean;
  /** A process holds the lease and is syncing right now. */
  running: boolean;
  /** Incidents read in the current pass (or the last one, when none runs). */
  passFetched: number;
  backfillCompleted: boolean;
  /** Unreadable records seen so far (details: listSyncIssues). */
  malformedCount: number;
  /** The API the tenant is synced from now; null when none can reach it (old API retired). */
  source: IncidentSource | null;
  /** Graph: the last reconciliation (every incident read again) and what it repaired. */
  lastReconciledAt: Date | null;
  lastReconcileRepaired: number | null;
  nextReconcileAt: Date | null;
  /** Graph: a reconciliation under way (a few pages per run, after each poll), and how far it got. */
  reconcileInProgress: { startedAt: Date; fetched: number; repaired: number } | null;
};

export type RequestSyncResult = { ok: true; requestedAt: Date } | { ok: false; reason: "unknown_tenant" | "not_active"; tenantStatus?: string };

export type SyncIssueView = { id: string; incidentId: string | null; problem: string; sample: string; seenAt: Date };

type Db = {
  prisma?: PrismaClient;
  /** Which API a tenant is synced from (default: incident-api.ts, from configuration), as the engine takes it. */
  sourceFor?: (tenant: { incidentSource: string }, now: Date) => IncidentSource | null;
};

async function db(input: Db): Promise<PrismaClient> {
  return input.prisma ?? (await getDb());
}

export async function listTenantSyncStatus(input: Db & { now?: Date } = {}): Promise<TenantSyncStatus[]> {
  return readStatuses(await db(input), null, input.now ?? new Date(), input.sourceFor ?? sourceForTenant);
}

export async function getTenantSyncStatus(input: Db & { tenantId: string; now?: Date }): Promise<TenantSyncStatus | null> {
  const [status] = await readStatuses(await db(input), input.tenantId, input.now ?? new Date(), input.sourceFor ?? sourceForTenant);
  return status ?? null;
}

/** "Sync now" for an active tenant: the engine picks it before every scheduled tenant. */
export async function requestTenantSync(input: Db & { tenantId: string }): Promise<RequestSyncResult> {
  const prisma = await db(input);
  const tenant = await prisma.tenant.findUnique({ where: { id: input.tenantId }, select: { status: true } });
  if (!tenant) return { ok: false, reason: "unknown_tenant" };
  if (!SYNCED_STATUSES.includes(tenant.status)) return { ok: false, reason: "not_active", tenantStatus: tenant.status };
  await prisma.tenantSyncState.createMany({ data: [{ tenantId: input.tenantId, nextRunAt: new Date() }], skipDuplicates: true });
  // Keep the earliest pending request: repeated clicks do not push the tenant back in the queue.
  await prisma.tenantSyncState.updateMany({ where: { tenantId: input.tenantId, requestedAt: null }, data: { requestedAt: new Date() } });
  const state = await prisma.tenantSyncState.findUniqueOrThrow({ where: { tenantId: input.tenantId }, select: { requestedAt: true } });
  return { ok: true, requestedAt: state.requestedAt ?? new Date() };
}

export async function listSyncIssues(input: Db & { tenantId: string; limit?: number }): Promise<SyncIssueView[]> {
  const prisma = await db(input);
  const rows = await prisma.syncIssue.findMany({
    where: { tenantId: input.tenantId },
    orderBy: { seenAt: "desc" },
    take: Math.min(Math.max(1, input.limit ?? 50), 500),
    select: { id: true, incidentId: true, problem: true, sample: true, seenAt: true },
  });
  return rows.map((r) => ({ ...r, id: String(r.id) }));
}

async function readStatuses(prisma: PrismaClient, tenantId: string | null, now: Date, sourceFor: NonNullable<Db["sourceFor"]>): Promise<TenantSyncStatus[]> {
  const tenants = await prisma.tenant.findMany({
    where: { status: { not: "offboarded" }, ...(tenantId ? { id: tenantId } : {}) },
    select: { id: true, displayName: true, status: true, incidentSource: true },
    orderBy: { displayName: "asc" },
  });
  if (tenants.length === 0) return [];
  const ids = tenants.map((t) => t.id);
  const [states, counts] = await Promise.all([
    prisma.tenantSyncState.findMany({ where: { tenantId: { in: ids } } }),
    prisma.incident.groupBy({ by: ["tenantId"], where: { tenantId: { in: ids } }, _count: { _all: true } }),
  ]);
  const stateOf = new Map(states.map((s) => [s.tenantId, s]));
  const countOf = new Map(counts.map((c) => [c.tenantId, c._count._all]));
  return tenants.map((tenant) => {
    const s = stateOf.get(tenant.id);
    const running = !!s?.running && !!s.leaseExpiresAt && s.leaseExpiresAt > now;
    const lastSuccessAt = s?.lastSuccessAt ?? null;
    const dataAgeMs = lastSuccessAt ? Math.max(0, now.getTime() - lastSuccessAt.getTime()) : null;
    const lastError = s?.lastErrorCode && s.lastErrorAt ? { code: s.lastErrorCode, message: s.lastErrorMessage ?? s.lastErrorCode, at: s.lastErrorAt } : null;
    let state: SyncHealthState;
    const source = sourceFor(tenant, now);
    if (!SYNCED_STATUSES.includes(tenant.status) || !source) state = "paused";
    else if (lastError && (s?.consecutiveFailures ?? 0) > 0) state = "failing";
    else if (!s?.backfillCompletedAt) state = running || s?.passStartedFrom ? "backfilling" : "never_synced";
    else state = dataAgeMs !== null && dataAgeMs > STALE_AFTER_MS ? "stale" : "up_to_date";
    return {
      tenantId: tenant.id,
      displayName: tenant.displayName,
      tenantStatus: tenant.status,
      state,
      lastSuccessAt,
      dataAgeMs,
      lastError,
      consecutiveFailures: s?.consecutiveFailures ?? 0,
      incidentCount: countOf.get(tenant.id) ?? 0,
      nextRunAt: s?.nextRunAt ?? null,
      syncRequested: !!s?.requestedAt,
      running,
      passFetched: s?.passFetched ?? 0,
      backfillCompleted: !!s?.backfillCompletedAt,
      malformedCount: s?.malformedCount ?? 0,
      source,
      lastReconciledAt: s?.lastReconciledAt ?? null,
      lastReconcileRepaired: s?.lastReconcileRepaired ?? null,
      nextReconcileAt: s?.nextReconcileAt ?? null,
      reconcileInProgress: s?.reconcileStartedAt ? { startedAt: s.reconcileStartedAt, fetched: s.reconcileFetched, repaired: s.reconcileRepaired } : null,
    };
  });
}
