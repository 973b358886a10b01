import "server-only";
import { getDb } from "../services";
import type { ExclusionReason } from "./indicator-exclusions";
import type { IndicatorType } from "./indicator-normalise";

// The incident page's "also seen in N other customers": for each indicator of one incident, how
// many other (not offboarded) customers hold it and their newest incidents with it. Only values
// the rollup says are shared look further, each by its index: a few small reads per incident.

/** How many of the other customers' incidents the page lists per indicator, newest first. */
export const CORRELATED_INCIDENTS_SHOWN = 5;

export type CorrelatedIncident = { tenantId: string; tenantName: string; incidentId: string; incidentName: string; severity: string; lastSeen: Date };

export type IncidentIndicator = {
  type: IndicatorType;
  value: string;
  excludedReason: ExclusionReason | null;
  otherTenantCount: number;
  otherIncidents: CorrelatedIncident[];
};

type Row = {
  type: IndicatorType;
  value: string;
  excluded_reason: ExclusionReason | null;
  other_tenants: number;
  others: { tenant_id: string; tenant_name: string; incident_id: string; incident_name: string; severity: string; last_seen: string }[] | null;
};

/** Timestamps in JSON come without a zone; the store keeps UTC. */
function utc(text: string): Date {
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
}

export async function listIncidentIndicators(input: { tenantId: string; incidentId: bigint }): Promise<IncidentIndicator[]> {
  const db = await getDb();
  const rows = await db.$queryRaw<Row[]>`
    SELECT ii.indicator_type AS "type", ii.value, ii.excluded_reason,
      CASE WHEN ii.excluded_reason IS NULL AND coalesce(s.tenant_count, 0) >= 2 THEN (
        SELECT count(*)::int FROM tenant_indicator t JOIN tenant tn ON tn.id = t.tenant_id
        WHERE t.indicator_type = ii.indicator_type AND t.value = ii.value AND t.correlated AND t.tenant_id <> ii.tenant_id AND tn.status <> 'offboarded'
      ) ELSE 0 END AS other_tenants,
      CASE WHEN ii.excluded_reason IS NULL AND coalesce(s.tenant_count, 0) >= 2 THEN (
        SELECT json_agg(o ORDER BY o.last_seen DESC) FROM (
          SELECT o.tenant_id, tn.display_name AS tenant_name, o.incident_id::text AS incident_id, i.incident_name, i.severity, o.last_seen
          FROM incident_indicator o
          JOIN tenant tn ON tn.id = o.tenant_id
          JOIN incident i ON i.tenant_id = o.tenant_id AND i.incident_id = o.incident_id
          WHERE o.indicator_type = ii.indicator_type AND o.value = ii.value AND o.tenant_id <> ii.tenant_id
            AND o.excluded_reason IS NULL AND tn.status <> 'offboarded'
          ORDER BY o.last_seen DESC, o.tenant_id, o.incident_id DESC
          LIMIT ${CORRELATED_INCIDENTS_SHOWN}::int
        ) o
      ) END AS others
    FROM incident_indicator ii
    LEFT JOIN indicator_spread s ON s.indicator_type = ii.indicator_type AND s.value = ii.value
    WHERE ii.tenant_id = ${input.tenantId} AND ii.incident_id = ${input.incidentId}
    ORDER BY (ii.excluded_reason IS NOT NULL), other_tenants DESC, ii.indicator_type, ii.value`;
  return rows.map((r) => ({
    type: r.type,
    value: r.value,
    excludedReason: r.excluded_reason,
    otherTenantCount: r.other_tenants,
    otherIncidents: (r.others ?? []).map((o) => ({
      tenantId: o.tenant_id,
      tenantName: o.tenant_name,
      incidentId: o.incident_id,
      incidentName: o.incident_name,
      severity: o.severity,
      lastSeen: utc(o.last_seen),
    })),
  }));
}
