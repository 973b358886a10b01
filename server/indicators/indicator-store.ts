// Keeps the three indicator tables exact inside the incident's own transaction (no lag, no drift):
//   incident_indicator  one row per (incident, type, value): replaced with the incident;
//   tenant_indicator    one tenant's view of a value, recomputed from its incident rows for exactly
//                       the values a store touched (before ∪ after);
//   indicator_spread    how many tenants hold a correlated value, moved by +1/−1 only when a
//                       tenant gains or loses it.
// Concurrency: the tenant's write lock (server/database/tenant-write-lock.ts, the one the incident
// write path and the queue counts take) serialises writers of one tenant (a sync page, an analyst's
// action, offboarding), so each recomputation sees the other's committed rows. Rows
// shared across tenants (indicator_spread) are changed by ONE statement per store, in (type, value)
// order, after the tenant lock: every transaction takes its shared row locks in the same order and
// waits for nothing else while holding them, so no cycle (deadlock) can form.
import type { Prisma } from "../../prisma/generated/client/client";
import type { ClassifiedIndicator } from "./incident-indicators";
import { lockTenantIncidentWrites } from "../database/tenant-write-lock";

type Tx = Prisma.TransactionClient;

export type IndicatorKey = { type: string; value: string };

export type IncidentIndicatorRows = {
  incidentId: bigint;
  severityRank: number;
  firstSeen: Date;
  lastSeen: Date;
  indicators: ClassifiedIndicator[];
};

/**
 * First half of a store (before the incidents' rows are replaced): takes the tenant's lock, then
 * removes the incidents' indicator rows and returns their keys, which the second half recomputes.
 */
export async function detachIncidentIndicators(tx: Tx, input: { tenantId: string; incidentIds: bigint[] }): Promise<IndicatorKey[]> {
  await lockTenantIncidentWrites(tx, input.tenantId);
  if (input.incidentIds.length === 0) return [];
  const ids = input.incidentIds.map(String);
  return tx.$queryRaw<IndicatorKey[]>`
    WITH gone AS (
      DELETE FROM incident_indicator
      WHERE tenant_id = ${input.tenantId} AND incident_id = ANY (${ids}::text[]::bigint[])
      RETURNING indicator_type, value
    )
    SELECT DISTINCT indicator_type AS "type", value FROM gone`;
}

/**
 * Second half (after the incidents' rows are written): inserts their indicator rows, recomputes the
 * tenant's view of every touched value and moves the spread of the values the tenant gained or lost.
 */
export async function attachIncidentIndicators(
  tx: Tx,
  input: { tenantId: string; detached: IndicatorKey[]; incidents: IncidentIndicatorRows[] },
): Promise<void> {
  const { tenantId } = input;
  const data = input.incidents.flatMap((incident) =>
    incident.indicators.map((indicator) => ({
      tenantId,
      incidentId: incident.incidentId,
      indicatorType: indicator.type,
      value: indicator.value,
      excludedReason: indicator.excludedReason,
      severityRank: incident.severityRank,
      firstSeen: incident.firstSeen,
      lastSeen: incident.lastSeen,
    })),
  );
  if (data.length > 0) await tx.incidentIndicator.createMany({ data, skipDuplicates: true });
  const touched = new Map<string, IndicatorKey>();
  for (const key of [...input.detached, ...data.map((d) => ({ type: d.indicatorType, value: d.value }))]) touched.set(`${key.type}\u0000${key.value}`, key);
  await refreshTenantIndicators(tx, tenantId, [...touched.values()]);
}

/** Recomputes one tenant's rows for these values from its incident rows; moves the spread by the difference. */
async function refreshTenantIndicators(tx: Tx, tenantId: string, keys: IndicatorKey[]): Promise<void> {
  if (keys.length === 0) return;
  const types = keys.map((k) => k.type);
  const values = keys.map((k) => k.value);
  // One statement; its data-modifying CTEs run once whether read or not, and `old` sees the rows as they were before.
  const changes = await tx.$queryRaw<{ type: string; value: string; was: boolean; now: boolean }[]>`
    WITH keys AS (
      SELECT DISTINCT t, v FROM unnest(${types}::text[], ${values}::text[]) AS k(t, v)
    ), fresh AS (
      SELECT ii.indicator_type, ii.value, bool_and(ii.excluded_reason IS NULL) AS correlated, count(*)::int AS incident_count,
             min(ii.first_seen) AS first_seen, max(ii.last_seen) AS last_seen, max(ii.severity_rank) AS severity_rank
      FROM incident_indicator ii JOIN keys ON ii.indicator_type = keys.t AND ii.value = keys.v
      WHERE ii.tenant_id = ${tenantId}
      GROUP BY ii.indicator_type, ii.value
    ), old AS (
      SELECT ti.indicator_type, ti.value, ti.correlated
      FROM tenant_indicator ti JOIN keys ON ti.indicator_type = keys.t AND ti.value = keys.v
      WHERE ti.tenant_id = ${tenantId}
    ), removed AS (
      DELETE FROM tenant_indicator ti USING keys
      WHERE ti.tenant_id = ${tenantId} AND ti.indicator_type = keys.t AND ti.value = keys.v
        AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.indicator_type = keys.t AND f.value = keys.v)
    ), written AS (
      INSERT INTO tenant_indicator (indicator_type, value, tenant_id, correlated, incident_count, first_seen, last_seen, severity_rank)
      SELECT indicator_type, value, ${tenantId}, correlated, incident_count, first_seen, last_seen, severity_rank FROM fresh
      ORDER BY indicator_type, value
      ON CONFLICT (indicator_type, value, tenant_id) DO UPDATE SET
        correlated = EXCLUDED.correlated, incident_count = EXCLUDED.incident_count, first_seen = EXCLUDED.first_seen,
        last_seen = EXCLUDED.last_seen, severity_rank = EXCLUDED.severity_rank
    )
    SELECT keys.t AS "type", keys.v AS "value", coalesce(old.correlated, false) AS "was", coalesce(fresh.correlated, false) AS "now"
    FROM keys
    LEFT JOIN old ON old.indicator_type = keys.t AND old.value = keys.v
    LEFT JOIN fresh ON fresh.indicator_type = keys.t AND fresh.value = keys.v
    WHERE coalesce(old.correlated, false) <> coalesce(fresh.correlated, false)`;
  await moveSpread(
    tx,
    changes.map((c) => ({ type: c.type, value: c.value, delta: c.now ? 1 : -1 })),
  );
}

/** The only statement that writes rows shared across tenants: one per store, in (type, value) order. */
async function moveSpread(tx: Tx, moves: (IndicatorKey & { delta: number })[]): Promise<void> {
  if (moves.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO indicator_spread (indicator_type, value, tenant_count)
    SELECT t, v, d FROM unnest(${moves.map((m) => m.type)}::text[], ${moves.map((m) => m.value)}::text[], ${moves.map((m) => m.delta)}::int[]) AS k(t, v, d)
    ORDER BY t, v
    ON CONFLICT (indicator_type, value) DO UPDATE SET tenant_count = indicator_spread.tenant_count + EXCLUDED.tenant_count`;
}

/**
 * A tenant's stored data deleted (offboarding with deletion): its values leave the spread, in
 * the same transaction that deletes its incidents. Call before deleting the incidents.
 */
export async function removeTenantIndicators(tx: Tx, input: { tenantId: string }): Promise<void> {
  await lockTenantIncidentWrites(tx, input.tenantId);
  const lost = await tx.$queryRaw<IndicatorKey[]>`
    WITH gone AS (DELETE FROM tenant_indicator WHERE tenant_id = ${input.tenantId} RETURNING indicator_type, value, correlated)
    SELECT indicator_type AS "type", value FROM gone WHERE correlated`;
  await moveSpread(
    tx,
    lost.map((k) => ({ ...k, delta: -1 })),
  );
  await tx.incidentIndicator.deleteMany({ where: { tenantId: input.tenantId } });
}
