import type { Prisma } from "../../prisma/generated/client/client";

/**
 * One writer of a tenant's incidents at a time: a transaction-scoped advisory lock (released at
 * commit or rollback) that every writer takes before it reads what it will change. The incident
 * write path (server/incidents/incident-store.ts), the indicator upkeep (server/indicators/) and the
 * kept queue counts' triggers (migration 20261202115000_queue_counts, same key) all take this one
 * lock first, so two writers of one tenant (a sync page, an analyst's action, offboarding) never
 * hold each other's locks in opposite orders. Different tenants never wait for each other here.
 */
export async function lockTenantIncidentWrites(tx: Prisma.TransactionClient, tenantId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`incident_write:${tenantId}`}, 0))`;
}
