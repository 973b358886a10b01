// The one write path of incidents: the sync's pages and an action's fresh copy both store through
// storeIncidentRecords, so "an older version never overwrites a newer one" holds everywhere.
import type { Prisma, PrismaClient } from "../../prisma/generated/client/client";
import type { SourceIncident } from "../microsoft/source-incident";
import { toIncidentRecord, type IncidentRecord } from "./incident-record";

/**
 * The one write path of incidents (the sync's pages and an action's fresh copy alike): upserts
 * by (tenantId, incidentId) and replaces the incident's entity rows. A version older than the
 * stored one never overwrites it (e.g. a page fetched before an analyst's update was stored), and
 * a record the API repeated within one batch is stored once, the newest winning. Returns how many
 * were written and how many of those were new or newer than the store (a reconciliation's repairs).
 */
export async function storeIncidentRecords(
  tx: Prisma.TransactionClient,
  input: { tenantId: string; records: IncidentRecord[] },
): Promise<{ stored: number; changed: number }> {
  const { tenantId } = input;
  const newest = new Map<bigint, IncidentRecord>();
  for (const record of input.records) {
    const id = BigInt(record.incident.incidentId);
    const seen = newest.get(id);
    if (!seen || new Date(seen.incident.lastUpdateTime) <= new Date(record.incident.lastUpdateTime)) newest.set(id, record);
  }
  const ids = [...newest.keys()];
  const stored =
    ids.length === 0 ? [] : await tx.incident.findMany({ where: { tenantId, incidentId: { in: ids } }, select: { incidentId: true, lastUpdateTime: true } });
  const storedAt = new Map(stored.map((row) => [row.incidentId, row.lastUpdateTime.getTime()]));
  let changed = 0;
  for (const [id, incoming] of [...newest]) {
    const at = storedAt.get(id);
    const incomingAt = new Date(incoming.incident.lastUpdateTime).getTime();
    if (at !== undefined && incomingAt < at) newest.delete(id);
    else if (at === undefined || incomingAt > at) changed += 1;
  }
  const fresh = [...newest.values()];
  if (fresh.length > 0) {
    const freshIds = [...newest.keys()];
    await tx.incidentEntity.deleteMany({ where: { tenantId, incidentId: { in: freshIds } } });
    await tx.incident.deleteMany({ where: { tenantId, incidentId: { in: freshIds } } });
    await tx.incident.createMany({ data: fresh.map((r) => r.incident) });
    const entities = fresh.flatMap((r) =>
      r.entities.map((e) => ({ tenantId, incidentId: BigInt(r.incident.incidentId), entityType: e.entityType, value: e.value })),
    );
    if (entities.length > 0) await tx.incidentEntity.createMany({ data: entities, skipDuplicates: true });
  }
  return { stored: fresh.length, changed };
}

/**
 * Writes Microsoft's answer for one incident into the store at once (after an update or a fresh
 * GET), so the queue shows it without waiting for the next sync. The same write path as the sync's
 * pages, so the same rule holds: a version older than the stored one never overwrites it.
 */
export async function storeIncidentNow(prisma: PrismaClient, input: { tenantId: string; incident: SourceIncident; now: Date }): Promise<boolean> {
  const record = toIncidentRecord({ tenantId: input.tenantId, incident: input.incident, syncedAt: input.now });
  const { stored } = await prisma.$transaction((tx) => storeIncidentRecords(tx, { tenantId: input.tenantId, records: [record] }));
  return stored > 0;
}
