import type { PrismaClient } from "../../prisma/generated/client/client";
import { SyncLeaseLost } from "./sync-errors";

/**
 * The per-tenant lease in TenantSyncState: taken with one conditional UPDATE (free, expired, or
 * already ours), so two processes never sync one tenant at once. PostgreSQL re-checks the WHERE
 * clause after waiting for a concurrent writer's row lock, so exactly one claimant wins.
 */

/** Creates the sync state rows of tenants seen for the first time (due at once: backfill). */
export async function ensureSyncStates(prisma: PrismaClient, tenantIds: readonly string[]): Promise<void> {
  if (tenantIds.length === 0) return;
  // Due now by this process's clock (the database's now() may differ from ours).
  const now = new Date();
  await prisma.tenantSyncState.createMany({ data: tenantIds.map((tenantId) => ({ tenantId, nextRunAt: now })), skipDuplicates: true });
}

/**
 * Takes the lease of a tenant that is due (its time has come, or "Sync now" was asked). Due is
 * checked in the same statement: two processes that both listed the tenant as due cannot sync it
 * one after the other, since the first run's release moves its next run on.
 */
export async function acquireSyncLease(prisma: PrismaClient, input: { tenantId: string; ownerId: string; leaseMs: number; now: Date }): Promise<boolean> {
  const { tenantId, ownerId, now } = input;
  const result = await prisma.tenantSyncState.updateMany({
    where: {
      tenantId,
      AND: [
        { OR: [{ leaseOwner: null }, { leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }, { leaseOwner: ownerId }] },
        { OR: [{ nextRunAt: { lte: now } }, { requestedAt: { not: null } }] },
      ],
    },
    // A "Sync now" that arrives while this run goes sets requestedAt again and earns another run.
    data: { leaseOwner: ownerId, leaseExpiresAt: new Date(now.getTime() + input.leaseMs), running: true, lastRunAt: now, requestedAt: null },
  });
  return result.count === 1;
}

/** Extends our lease; false when it is no longer ours (the run must stop). */
export async function renewSyncLease(prisma: PrismaClient, input: { tenantId: string; ownerId: string; leaseMs: number }): Promise<boolean> {
  const result = await prisma.tenantSyncState.updateMany({
    where: { tenantId: input.tenantId, leaseOwner: input.ownerId },
    data: { leaseExpiresAt: new Date(Date.now() + input.leaseMs) },
  });
  return result.count === 1;
}

export type SyncOutcomeFields = {
  nextRunAt: Date;
  consecutiveFailures: number;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  lastErrorAt: Date | null;
};

/** Gives the lease back and records when the tenant is due next, only if it is still ours. */
export async function releaseSyncLease(prisma: PrismaClient, input: { tenantId: string; ownerId: string; outcome: Partial<SyncOutcomeFields> }): Promise<void> {
  await prisma.tenantSyncState.updateMany({
    where: { tenantId: input.tenantId, leaseOwner: input.ownerId },
    data: { ...input.outcome, leaseOwner: null, leaseExpiresAt: null, running: false },
  });
}

/**
 * Before each call to Microsoft: the lease is still ours and the tenant may still be synced. An
 * offboarding (which takes the lease away) or a lost lease stops the pass before another call.
 */
export async function assertStillSyncing(prisma: PrismaClient, input: { tenantId: string; ownerId: string }): Promise<void> {
  const held = await prisma.tenantSyncState.count({ where: { tenantId: input.tenantId, leaseOwner: input.ownerId } });
  if (held !== 1) throw new SyncLeaseLost(input.tenantId);
}
