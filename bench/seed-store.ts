// Fast bulk seeding of the incident store: each batch is ONE statement with ONE jsonb parameter
// expanded by jsonb_populate_recordset (same on PostgreSQL and PGlite, no parameter-count limit).
import type { PrismaClient } from "../prisma/generated/client/client";
import type { DirectoryTenant } from "../emulator/model";
import type { IncidentRecord } from "../server/incidents/incident-record";
import { indicatorRows, rollUpIndicators } from "./indicator-cases";
import { DEFAULT_SERVICE_LEVEL_POLICY, targetsForSeverity } from "../lib/service-levels";
import { activeTenantRow } from "./bench-tenants";
import { tenantIncidentRecords } from "./incident-fixtures";

const BATCH = 250;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json } | object;
const iso = (d: Date | string | null | undefined): string | null => (d == null ? null : new Date(d).toISOString());

/** The row as jsonb_populate_recordset reads it: column names, timestamps as UTC ISO text. */
function incidentRow(r: IncidentRecord["incident"]): Record<string, Json> {
  return {
    tenant_id: r.tenantId,
    incident_id: String(r.incidentId),
    incident_name: r.incidentName,
    incident_uri: r.incidentUri ?? null,
    redirect_incident_id: r.redirectIncidentId == null ? null : String(r.redirectIncidentId),
    status: r.status,
    severity: r.severity,
    severity_rank: r.severityRank,
    classification: r.classification ?? null,
    determination: r.determination ?? null,
    assigned_to: r.assignedTo ?? null,
    detection_sources: (r.detectionSources ?? []) as string[],
    tags: (r.tags ?? []) as string[],
    system_tags: (r.systemTags ?? []) as string[],
    source: r.source ?? "graph",
    alert_count: r.alertCount,
    comment_count: r.commentCount,
    created_time: iso(r.createdTime),
    last_update_time: iso(r.lastUpdateTime),
    first_activity: iso(r.firstActivity),
    last_activity: iso(r.lastActivity),
    alert_categories: (r.alertCategories ?? []) as string[],
    mitre_techniques: (r.mitreTechniques ?? []) as string[],
    search_text: r.searchText,
    raw: r.raw as object,
    synced_at: iso(r.syncedAt),
    ...serviceLevelColumns(r),
  };
}

const MINUTE_MS = 60_000;
const SLA_NOT_RUNNING = "9999-12-31T00:00:00.000Z";
const CLOSED = new Set(["resolved", "redirected"]);

/**
 * Plausible, deterministic service-level columns, as the sync would derive them under the default
 * policy around the clock: an assigned or handled incident was acknowledged 0–6 hours after its
 * creation (spread by its id, never after its last update), a closed one resolved at its last
 * update; due times are the policy's targets from creation.
 */
function serviceLevelColumns(r: IncidentRecord["incident"]): Record<string, Json> {
  const created = new Date(r.createdTime).getTime();
  const updated = Math.max(created, new Date(r.lastUpdateTime).getTime());
  const closed = CLOSED.has(r.status.toLowerCase());
  const handled = Boolean(r.assignedTo) || r.status.toLowerCase() !== "active";
  const acknowledged = handled ? Math.min(updated, created + Number((BigInt(r.incidentId) * 7919n) % 360n) * MINUTE_MS) : null;
  const targets = targetsForSeverity(DEFAULT_SERVICE_LEVEL_POLICY, r.severity);
  const ackDue = targets.acknowledgeMinutes === null ? null : created + targets.acknowledgeMinutes * MINUTE_MS;
  const resolveDue = targets.resolveMinutes === null ? null : created + targets.resolveMinutes * MINUTE_MS;
  const running = closed ? [] : [acknowledged === null ? ackDue : null, resolveDue].filter((t): t is number => t !== null);
  return {
    first_seen_at: iso(r.syncedAt),
    acknowledged_at: acknowledged === null ? null : iso(new Date(acknowledged)),
    acknowledged_by: acknowledged === null ? null : (r.assignedTo ?? null),
    acknowledged_how: acknowledged === null ? null : r.assignedTo ? "assigned" : closed ? "resolved" : "in_progress",
    resolved_at: closed ? iso(new Date(updated)) : null,
    sla_pauses: [],
    sla_acknowledge_due_at: ackDue === null ? null : iso(new Date(ackDue)),
    sla_resolve_due_at: resolveDue === null ? null : iso(new Date(resolveDue)),
    sla_next_due_at: running.length ? iso(new Date(Math.min(...running))) : SLA_NOT_RUNNING,
  };
}

async function insertBatch(prisma: PrismaClient, records: IncidentRecord[]): Promise<void> {
  const incidents = records.map((r) => incidentRow(r.incident));
  const entities = records.flatMap((r) =>
    r.entities.map((e) => ({ tenant_id: r.incident.tenantId, incident_id: String(r.incident.incidentId), entity_type: e.entityType, value: e.value })),
  );
  await prisma.$executeRawUnsafe(`INSERT INTO incident SELECT * FROM jsonb_populate_recordset(NULL::incident, $1::jsonb)`, JSON.stringify(incidents));
  if (entities.length > 0)
    await prisma.$executeRawUnsafe(
      `INSERT INTO incident_entity SELECT * FROM jsonb_populate_recordset(NULL::incident_entity, $1::jsonb) ON CONFLICT DO NOTHING`,
      JSON.stringify(entities),
    );
  const indicators = indicatorRows(records);
  if (indicators.length > 0)
    await prisma.$executeRawUnsafe(
      `INSERT INTO incident_indicator SELECT * FROM jsonb_populate_recordset(NULL::incident_indicator, $1::jsonb) ON CONFLICT DO NOTHING`,
      JSON.stringify(indicators),
    );
}

export type SeedResult = { incidents: number; entities: number; rawBytes: number; generateMs: number; insertMs: number };

/** Tenants (active on Graph, synced a minute ago) and their incidents; one tenant's records in memory at a time. */
export async function seedStore(
  prisma: PrismaClient,
  input: { tenants: DirectoryTenant[]; incidentsPerTenant: number; onTenant?: (done: number) => void },
): Promise<SeedResult> {
  const now = new Date();
  const epochMs = now.getTime();
  await prisma.tenant.createMany({ data: input.tenants.map((t) => activeTenantRow(t, "graph")) });
  const synced = new Date(epochMs - 60_000);
  // As a finished Graph pass leaves it: the next bound is the pass's start minus the 2-minute overlap.
  await prisma.tenantSyncState.createMany({
    data: input.tenants.map((t) => ({
      tenantId: t.id,
      cursor: synced,
      nextFrom: new Date(synced.getTime() - 120_000),
      backfillCompletedAt: synced,
      lastRunAt: synced,
      lastSuccessAt: synced,
      nextRunAt: new Date(epochMs + 30_000),
      nextReconcileAt: new Date(synced.getTime() + 86_400_000),
    })),
  });
  const result: SeedResult = { incidents: 0, entities: 0, rawBytes: 0, generateMs: 0, insertMs: 0 };
  for (const [index, tenant] of input.tenants.entries()) {
    const t0 = performance.now();
    const { records, rawBytes } = tenantIncidentRecords({ tenant, count: input.incidentsPerTenant, epochMs, syncedAt: synced });
    const t1 = performance.now();
    for (let i = 0; i < records.length; i += BATCH) await insertBatch(prisma, records.slice(i, i + BATCH));
    result.generateMs += t1 - t0;
    result.insertMs += performance.now() - t1;
    result.incidents += records.length;
    result.entities += records.reduce((sum, r) => sum + r.entities.length, 0);
    result.rawBytes += rawBytes;
    input.onTenant?.(index + 1);
  }
  await rollUpIndicators(prisma);
  return result;
}
