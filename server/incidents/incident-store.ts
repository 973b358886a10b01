// The one write path of incidents: the sync's pages and an action's fresh copy both store through
// storeIncidentRecords, so "an older version never overwrites a newer one" holds everywhere, and
// the service-level facts (first seen, acknowledged, resolved, pauses) and due times move with it.
import type { Prisma, PrismaClient } from "../../prisma/generated/client/client";
import type { SourceIncident } from "../microsoft/source-incident";
import { serviceLevelColumns } from "../service-levels/due-times";
import { advanceFacts, parsePauses, serializePauses, type IncidentFacts } from "../service-levels/incident-facts";
import { loadTenantServiceLevelSettings } from "../service-levels/service-level-settings";
import { toIncidentRecord, type IncidentRecord } from "./incident-record";
import type { IncidentChange, IncidentChangeSnapshot } from "./incident-change";
import { enqueueIncidentEvents } from "../notifications/enqueue-incident-events";
import { lockTenantIncidentWrites } from "../database/tenant-write-lock";
import { classifyIndicators } from "../indicators/incident-indicators";
import { attachIncidentIndicators, detachIncidentIndicators } from "../indicators/indicator-store";

const STORED_SELECT = {
  incidentId: true,
  incidentName: true,
  status: true,
  severity: true,
  severityRank: true,
  assignedTo: true,
  classification: true,
  determination: true,
  lastUpdateTime: true,
  firstSeenAt: true,
  acknowledgedAt: true,
  acknowledgedBy: true,
  acknowledgedHow: true,
  resolvedAt: true,
  slaPauses: true,
  slaAcknowledgeDueAt: true,
  slaResolveDueAt: true,
  slaNextDueAt: true,
} as const;

function snapshotOf(row: IncidentChangeSnapshot): IncidentChangeSnapshot {
  return {
    incidentName: row.incidentName,
    status: row.status,
    severity: row.severity,
    severityRank: row.severityRank,
    assignedTo: row.assignedTo,
    classification: row.classification,
    determination: row.determination,
    lastUpdateTime: row.lastUpdateTime,
    slaAcknowledgeDueAt: row.slaAcknowledgeDueAt,
    slaResolveDueAt: row.slaResolveDueAt,
    slaNextDueAt: row.slaNextDueAt,
  };
}

/**
 * The one write path of incidents (the sync's pages and an action's fresh copy alike): upserts
 * by (tenantId, incidentId) and replaces the incident's entity rows. A version older than the
 * stored one never overwrites it (e.g. a page fetched before an analyst's update was stored), and
 * a record the API repeated within one batch is stored once, the newest winning. Returns how many
 * were written, how many of those were new or newer than the store (a reconciliation's repairs),
 * and those changes with the version before, for notifications to compare.
 */
export async function storeIncidentRecords(
  tx: Prisma.TransactionClient,
  input: { tenantId: string; records: IncidentRecord[]; now?: Date },
): Promise<{ stored: number; changed: number; changes: IncidentChange[] }> {
  const { tenantId } = input;
  const now = input.now ?? new Date();
  const newest = new Map<bigint, IncidentRecord>();
  for (const record of input.records) {
    const id = BigInt(record.incident.incidentId);
    const seen = newest.get(id);
    if (!seen || new Date(seen.incident.lastUpdateTime) <= new Date(record.incident.lastUpdateTime)) newest.set(id, record);
  }
  const ids = [...newest.keys()];
  // One writer per tenant at a time (held to commit): two writers of one tenant (a sync page and an
  // analyst's action) would otherwise both read "not stored" or an old version, then both write.
  if (ids.length > 0) await lockTenantIncidentWrites(tx, tenantId);
  const stored = ids.length === 0 ? [] : await tx.incident.findMany({ where: { tenantId, incidentId: { in: ids } }, select: STORED_SELECT });
  const storedById = new Map(stored.map((row) => [row.incidentId, row]));
  let changed = 0;
  for (const [id, incoming] of [...newest]) {
    const at = storedById.get(id)?.lastUpdateTime.getTime();
    const incomingAt = new Date(incoming.incident.lastUpdateTime).getTime();
    if (at !== undefined && incomingAt < at) newest.delete(id);
    else if (at === undefined || incomingAt > at) changed += 1;
  }
  if (newest.size === 0) return { stored: 0, changed, changes: [] };

  const settings = await loadTenantServiceLevelSettings(tx, tenantId);
  const changes: IncidentChange[] = [];
  const rows = [...newest].map(([id, record]) => {
    const row = record.incident;
    const before = storedById.get(id);
    const version = {
      status: row.status,
      assignedTo: row.assignedTo ?? null,
      createdTime: new Date(row.createdTime),
      lastUpdateTime: new Date(row.lastUpdateTime),
      firstComment: record.firstComment,
    };
    const previous: (IncidentFacts & { status: string }) | null = before
      ? {
          status: before.status,
          firstSeenAt: before.firstSeenAt,
          acknowledgedAt: before.acknowledgedAt,
          acknowledgedBy: before.acknowledgedBy,
          acknowledgedHow: before.acknowledgedHow,
          resolvedAt: before.resolvedAt,
          pauses: parsePauses(before.slaPauses),
        }
      : null;
    const facts = advanceFacts(previous, version, now);
    const columns = serviceLevelColumns({ severity: row.severity, status: row.status, createdTime: version.createdTime }, facts, settings, now);
    const full: Prisma.IncidentCreateManyInput = {
      ...row,
      firstSeenAt: facts.firstSeenAt,
      acknowledgedAt: facts.acknowledgedAt,
      acknowledgedBy: facts.acknowledgedBy,
      acknowledgedHow: facts.acknowledgedHow,
      resolvedAt: facts.resolvedAt,
      slaPauses: serializePauses(facts.pauses),
      ...columns,
    };
    if (!before || version.lastUpdateTime.getTime() > before.lastUpdateTime.getTime()) {
      changes.push({
        tenantId,
        incidentId: id,
        before: before ? snapshotOf(before) : null,
        after: snapshotOf({
          incidentName: row.incidentName,
          status: row.status,
          severity: row.severity,
          severityRank: row.severityRank,
          assignedTo: row.assignedTo ?? null,
          classification: row.classification ?? null,
          determination: row.determination ?? null,
          lastUpdateTime: version.lastUpdateTime,
          ...columns,
        }),
      });
    }
    return { id, full, entities: record.entities, indicators: record.indicators };
  });

  const freshIds = rows.map((r) => r.id);
  // Indicators move with the incident, in this transaction (server/indicators/indicator-store.ts).
  const detached = await detachIncidentIndicators(tx, { tenantId, incidentIds: freshIds });
  await tx.incidentEntity.deleteMany({ where: { tenantId, incidentId: { in: freshIds } } });
  await tx.incident.deleteMany({ where: { tenantId, incidentId: { in: freshIds } } });
  await tx.incident.createMany({ data: rows.map((r) => r.full) });
  const entities = rows.flatMap((r) => r.entities.map((e) => ({ tenantId, incidentId: r.id, entityType: e.entityType, value: e.value })));
  if (entities.length > 0) await tx.incidentEntity.createMany({ data: entities, skipDuplicates: true });
  const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { verifiedDomain: true } });
  await attachIncidentIndicators(tx, {
    tenantId,
    detached,
    // "Seen" is the evidence's activity (the incident's creation when its alerts carry none).
    incidents: rows.map((r) => ({
      incidentId: r.id,
      severityRank: r.full.severityRank,
      firstSeen: new Date(r.full.firstActivity ?? r.full.createdTime),
      lastSeen: new Date(r.full.lastActivity ?? r.full.createdTime),
      indicators: classifyIndicators(r.indicators, tenant?.verifiedDomain ?? null),
    })),
  });
  return { stored: rows.length, changed, changes };
}

/**
 * Writes Microsoft's answer for one incident into the store at once (after an update or a fresh
 * GET), so the queue shows it without waiting for the next sync. The same write path as the sync's
 * pages, so the same rule holds: a version older than the stored one never overwrites it.
 */
export async function storeIncidentNow(prisma: PrismaClient, input: { tenantId: string; incident: SourceIncident; now: Date }): Promise<boolean> {
  const record = toIncidentRecord({ tenantId: input.tenantId, incident: input.incident, syncedAt: input.now });
  const { stored } = await prisma.$transaction(async (tx) => {
    const written = await storeIncidentRecords(tx, { tenantId: input.tenantId, records: [record], now: input.now });
    // A change made in the portal can raise notifications too (a reopened or re-rated incident), in the same transaction.
    await enqueueIncidentEvents(tx, { tenantId: input.tenantId, changes: written.changes, origin: "portal", now: input.now });
    return written;
  });
  return stored > 0;
}
