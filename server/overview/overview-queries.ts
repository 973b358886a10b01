import "server-only";
import type { PrismaClient } from "../../prisma/generated/client/client";
import type { OverviewPeriod } from "./overview-filters";

// The overview's figures, each one SQL statement over the local store (never Microsoft). Every
// statement is scoped by `tenant_id = ANY(tenantIds)` (the caller passes visible tenants only)
// and, where it is about the period, by an indexed time range. Volumes, backlog and service
// levels read only columns of the overview's covering index (schema.prisma), never the wide rows;
// the top lists must read `raw`. Day `k` of the period is [start + k days, start + k + 1 days),
// computed in SQL so the buckets are UTC days whatever the session's time zone (the times are
// `timestamp` columns holding UTC).

type Scope = { db: PrismaClient; tenantIds: string[]; period: OverviewPeriod };

/**
 * Incidents still open, and those past the nearest due time of a running clock: the queue's
 * "Overdue" filter. sla_next_due_at is 9999-12-31 while no clock runs (closed or paused), so the
 * due time alone decides, from the index on (sla_next_due_at, tenant_id) without reading rows.
 */
export async function countOpenAndOverdue({ db, tenantIds, period }: Scope): Promise<{ open: number; overdue: number }> {
  const [row] = await db.$queryRaw<{ open: number; overdue: number }[]>`
    SELECT
      (SELECT count(*)::int FROM incident
        WHERE tenant_id = ANY(${tenantIds}::text[]) AND status NOT IN ('Resolved', 'Redirected')) AS open,
      (SELECT count(*)::int FROM incident
        WHERE sla_next_due_at < ${period.now}::timestamp AND tenant_id = ANY(${tenantIds}::text[])) AS overdue`;
  return { open: row?.open ?? 0, overdue: row?.overdue ?? 0 };
}

/** Incidents created in the period, per day and severity. */
export async function countOpenedPerDay({ db, tenantIds, period }: Scope): Promise<{ day: number; severity: string; count: number }[]> {
  return db.$queryRaw`
    SELECT floor(extract(epoch FROM created_time - ${period.start}::timestamp) / 86400)::int AS day, severity, count(*)::int AS count
    FROM incident
    WHERE tenant_id = ANY(${tenantIds}::text[]) AND created_time >= ${period.start}::timestamp AND created_time < ${period.end}::timestamp
    GROUP BY 1, 2`;
}

/** Incidents resolved in the period (whenever they were created), per day. */
export async function countResolvedPerDay({ db, tenantIds, period }: Scope): Promise<{ day: number; count: number }[]> {
  return db.$queryRaw`
    SELECT floor(extract(epoch FROM resolved_at - ${period.start}::timestamp) / 86400)::int AS day, count(*)::int AS count
    FROM incident
    WHERE resolved_at >= ${period.start}::timestamp AND resolved_at < ${period.end}::timestamp AND tenant_id = ANY(${tenantIds}::text[])
    GROUP BY 1`;
}

/**
 * Changes of the open backlog per day (overview-buckets.ts backlogSeries adds them up). One pass
 * over the incidents open at some time in the period instead of one count per day: an incident
 * counts at day k's end (start + k + 1 days) when it was created before and not resolved by then,
 * that is for a ≤ k < b with a = floor((created − start) / 1 day) and b = ceil((resolved − start) / 1 day) − 1.
 */
export async function backlogChanges({ db, tenantIds, period }: Scope): Promise<{ day: number; delta: number }[]> {
  return db.$queryRaw`
    WITH spans AS (
      SELECT
        GREATEST(0, floor(extract(epoch FROM created_time - ${period.start}::timestamp) / 86400))::int AS a,
        CASE WHEN resolved_at IS NULL THEN ${period.days}::int
          ELSE LEAST(${period.days}::int, GREATEST(0, ceil(extract(epoch FROM resolved_at - ${period.start}::timestamp) / 86400)::int - 1)) END AS b
      FROM incident
      WHERE tenant_id = ANY(${tenantIds}::text[]) AND created_time < ${period.end}::timestamp
        AND (resolved_at IS NULL OR resolved_at > ${period.start}::timestamp)
    )
    SELECT a AS day, count(*)::int AS delta FROM spans WHERE b > a GROUP BY a
    UNION ALL
    SELECT b AS day, -count(*)::int AS delta FROM spans WHERE b > a AND b < ${period.days}::int GROUP BY b`;
}

export type TenantServiceRow = {
  tenantId: string;
  incidents: number;
  ackMedian: number | null;
  ackP90: number | null;
  resolveMedian: number | null;
  resolveP90: number | null;
  ackDecided: number;
  ackMet: number;
  resolveDecided: number;
  resolveMet: number;
};

/**
 * Per customer, over incidents created in the period: times to acknowledge and resolve (seconds;
 * percentile_cont ignores the nulls of steps not done) and their targets met out of decided. A
 * clock without a target does not count; one not done yet counts as missed once it is past due,
 * and is not decided before.
 */
export async function tenantServiceLevels({ db, tenantIds, period }: Scope): Promise<TenantServiceRow[]> {
  return db.$queryRaw`
    SELECT
      tenant_id AS "tenantId",
      count(*)::int AS incidents,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds_to_ack) AS "ackMedian",
      percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds_to_ack) AS "ackP90",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds_to_resolve) AS "resolveMedian",
      percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds_to_resolve) AS "resolveP90",
      count(*) FILTER (WHERE sla_acknowledge_due_at IS NOT NULL
        AND (acknowledged_at IS NOT NULL OR sla_acknowledge_due_at < ${period.now}::timestamp))::int AS "ackDecided",
      count(*) FILTER (WHERE acknowledged_at <= sla_acknowledge_due_at)::int AS "ackMet",
      count(*) FILTER (WHERE sla_resolve_due_at IS NOT NULL
        AND (resolved_at IS NOT NULL OR sla_resolve_due_at < ${period.now}::timestamp))::int AS "resolveDecided",
      count(*) FILTER (WHERE resolved_at <= sla_resolve_due_at)::int AS "resolveMet"
    FROM incident,
      -- GREATEST ignores nulls: a step not taken must stay null, not become 0 s.
      LATERAL (SELECT
        CASE WHEN acknowledged_at IS NOT NULL THEN GREATEST(0, extract(epoch FROM acknowledged_at - created_time))::float8 END AS seconds_to_ack,
        CASE WHEN resolved_at IS NOT NULL THEN GREATEST(0, extract(epoch FROM resolved_at - created_time))::float8 END AS seconds_to_resolve) AS step
    WHERE tenant_id = ANY(${tenantIds}::text[]) AND created_time >= ${period.start}::timestamp AND created_time < ${period.end}::timestamp
    GROUP BY tenant_id`;
}

export type TopRow = { kind: "category" | "technique"; name: string; incidents: number; tenants: number };

/**
 * The ten alert categories and MITRE techniques met in the most incidents created in the period,
 * from the two columns the write path keeps with each incident (its alerts' distinct categories
 * and techniques, from Graph or the Defender API alike): no record is parsed here.
 */
export async function topCategoriesAndTechniques({ db, tenantIds, period }: Scope): Promise<TopRow[]> {
  return db.$queryRaw`
    WITH scoped AS MATERIALIZED (
      SELECT tenant_id, alert_categories, mitre_techniques FROM incident
      WHERE tenant_id = ANY(${tenantIds}::text[]) AND created_time >= ${period.start}::timestamp AND created_time < ${period.end}::timestamp
    )
    (SELECT 'category' AS kind, name, count(*)::int AS incidents, count(DISTINCT tenant_id)::int AS tenants
      FROM scoped CROSS JOIN LATERAL unnest(alert_categories) AS name GROUP BY name ORDER BY incidents DESC, name LIMIT 10)
    UNION ALL
    (SELECT 'technique' AS kind, name, count(*)::int AS incidents, count(DISTINCT tenant_id)::int AS tenants
      FROM scoped CROSS JOIN LATERAL unnest(mitre_techniques) AS name GROUP BY name ORDER BY incidents DESC, name LIMIT 10)`;
}
