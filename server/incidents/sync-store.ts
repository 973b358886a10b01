import type { PrismaClient } from "../../prisma/generated/client/client";
import type { IncidentSource, MalformedIncident } from "../microsoft/source-incident";
import type { IncidentRecord } from "./incident-record";
import { SYNCED_STATUSES } from "../tenants/tenant-status";
import { storeIncidentRecords } from "./incident-store";
import { enqueueIncidentEvents } from "../notifications/enqueue-incident-events";
import { SyncLeaseLost } from "./sync-errors";

/** TenantSyncState fields a page commit moves forward, together with the page itself. */
export type SyncProgress = {
  passStartedFrom?: Date | null;
  passSkip?: number;
  passFetched?: number;
  cursor?: Date | null;
  backfillCompletedAt?: Date;
  lastSuccessAt?: Date;
  passSource?: IncidentSource | null;
  passNextLink?: string | null;
  passStartedAt?: Date | null;
  passNewest?: Date | null;
  nextFrom?: Date | null;
  reconcileStartedAt?: Date | null;
  reconcileNextLink?: string | null;
  reconcileFetched?: number;
  lastReconciledAt?: Date;
  nextReconcileAt?: Date | null;
};

export type SyncPageCommit = {
  tenantId: string;
  /** The lease holder; the commit fails (and writes nothing) if the lease moved to someone else. */
  ownerId: string;
  leaseMs: number;
  records: IncidentRecord[];
  malformed: MalformedIncident[];
  progress: SyncProgress;
  now: Date;
  /**
   * A reconciliation page: counts as repaired each incident the page stored that was missing or
   * older in the store AND whose version Graph stamped before `repairsBefore` (the bound the
   * incremental polls have already covered). A newer version stamped after that bound is an
   * ordinary change the next poll would have read anyway, not drift. The count is kept in the same
   * transaction; `finish` moves the total into lastReconcileRepaired.
   */
  reconcile?: { repairsBefore: Date; finish: boolean };
};

/**
 * Prisma's defaults (2 s to start, 5 s to run) are too short for a 50-incident page on a busy
 * machine: the commit then failed as an "internal" error and the page was fetched again. A page
 * commit may wait and run longer; the lease (minutes) still bounds it.
 */
const PAGE_COMMIT_OPTIONS = { maxWait: 15_000, timeout: 60_000 };

/**
 * Stores one page and the pass progress in ONE transaction: after a crash either both are there or
 * neither, so a restart resumes exactly after the last committed page. Upserts are idempotent by
 * (tenantId, incidentId) and replace the incident's entity rows; a record older than the stored
 * one (e.g. a page fetched before an analyst's update was stored) never overwrites it.
 */
export async function commitSyncPage(prisma: PrismaClient, commit: SyncPageCommit): Promise<{ stored: number; changed: number; repaired: number }> {
  const { tenantId, now } = commit;
  return prisma.$transaction(async (tx) => {
    // First statement: checks and renews the lease, and locks the state row until commit.
    const claimed = await tx.tenantSyncState.updateMany({
      where: { tenantId, leaseOwner: commit.ownerId },
      data: {
        ...commit.progress,
        leaseExpiresAt: new Date(now.getTime() + commit.leaseMs),
        ...(commit.malformed.length > 0 ? { malformedCount: { increment: commit.malformed.length } } : {}),
      },
    });
    if (claimed.count !== 1) throw new SyncLeaseLost(tenantId);
    // An offboarding meanwhile (which also takes the lease) makes the page worthless: store nothing.
    if ((await tx.tenant.count({ where: { id: tenantId, status: { in: [...SYNCED_STATUSES] } } })) !== 1) throw new SyncLeaseLost(tenantId);

    const written = await storeIncidentRecords(tx, { tenantId, records: commit.records, now });
    // Notifications for what this page changed, in the same transaction: committed with the page or not at all.
    // A commit that completes the first backfill still belongs to it (its incidents are history, not news).
    await enqueueIncidentEvents(tx, {
      tenantId,
      changes: written.changes,
      origin: "sync",
      now,
      backfillRunning: commit.progress.backfillCompletedAt !== undefined ? true : undefined,
    });
    if (commit.malformed.length > 0) {
      await tx.syncIssue.createMany({
        data: commit.malformed.map((m) => ({ tenantId, incidentId: m.incidentId ?? null, problem: m.problem, sample: m.sample, seenAt: now })),
      });
    }
    let repaired = 0;
    if (commit.reconcile) {
      const bound = commit.reconcile.repairsBefore.getTime();
      repaired = written.changes.filter((change) => change.after.lastUpdateTime.getTime() < bound).length;
      if (commit.reconcile.finish) {
        const { reconcileRepaired } = await tx.tenantSyncState.findUniqueOrThrow({ where: { tenantId }, select: { reconcileRepaired: true } });
        await tx.tenantSyncState.update({ where: { tenantId }, data: { lastReconcileRepaired: reconcileRepaired + repaired, reconcileRepaired: 0 } });
      } else if (repaired > 0) {
        await tx.tenantSyncState.update({ where: { tenantId }, data: { reconcileRepaired: { increment: repaired } } });
      }
    }
    return { stored: written.stored, changed: written.changed, repaired };
  }, PAGE_COMMIT_OPTIONS);
}
