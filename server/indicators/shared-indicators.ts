import "server-only";
import { Prisma } from "../../prisma/generated/client/client";
import { getDb } from "../services";
import { INDICATOR_PAGE_SIZE, indicatorSortOf, periodDays, type IndicatorFilters } from "./indicator-filters";
import type { IndicatorType } from "./indicator-normalise";

// The Indicators page: values seen in two or more customers within a period. It starts from the
// small rollup (indicator_spread, tenant_count >= 2: values ever shared) and reads each candidate's
// per-tenant rows by primary key, so its cost follows the shared values and the customers holding
// them, never the number of incidents (a customer's incident count is kept on its row).

export type SharedIndicator = {
  type: IndicatorType;
  value: string;
  tenantCount: number;
  /** The tenants' names, most recently seen first (the page shows a few, the CSV all). */
  tenantNames: string[];
  /** Incidents with the value at those customers (each customer's count, kept with its row). */
  incidentCount: number;
  firstSeen: Date;
  lastSeen: Date;
  severityRank: number;
};

export type SharedIndicatorPage = { rows: SharedIndicator[]; total: number; page: number; pageCount: number; days: number; since: Date };

const ORDER_COLUMN = {
  last_seen: Prisma.sql`last_seen`,
  first_seen: Prisma.sql`first_seen`,
  tenants: Prisma.sql`tenant_count`,
  severity: Prisma.sql`severity_rank`,
  value: Prisma.sql`value`,
} as const;

function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

type Row = {
  type: IndicatorType;
  value: string;
  tenant_count: number;
  tenant_names: string[];
  incident_count: number;
  first_seen: Date;
  last_seen: Date;
  severity_rank: number;
  total: number;
};

/**
 * One page of indicators seen in two or more (not offboarded) customers within the period, sorted
 * and filtered as the URL says. `limit`/`offset` and `tenantNames` let the CSV read more at once.
 */
export async function listSharedIndicators(input: {
  filters: IndicatorFilters;
  now: Date;
  limit?: number;
  offset?: number;
  tenantNames?: number;
}): Promise<SharedIndicatorPage> {
  const db = await getDb();
  const days = periodDays(input.filters);
  const since = new Date(input.now.getTime() - days * 86_400_000);
  const { sort, dir } = indicatorSortOf(input.filters);
  const page = input.filters.page ?? 1;
  const limit = input.limit ?? INDICATOR_PAGE_SIZE;
  const offset = input.offset ?? (page - 1) * INDICATOR_PAGE_SIZE;
  const names = input.tenantNames ?? 5;
  const direction = dir === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const typeFilter = input.filters.type ? Prisma.sql`AND s.indicator_type = ${input.filters.type}` : Prisma.empty;
  const textFilter = input.filters.q ? Prisma.sql`AND s.value LIKE ${likePattern(input.filters.q)}` : Prisma.empty;
  const rows = await db.$queryRaw<Row[]>`
    WITH shared AS (
      SELECT s.indicator_type, s.value FROM indicator_spread s
      WHERE s.tenant_count >= 2 ${typeFilter} ${textFilter}
    ), agg AS (
      SELECT t.indicator_type, t.value, count(*)::int AS tenant_count,
             (array_agg(tn.display_name ORDER BY t.last_seen DESC, tn.display_name))[1:${names}::int] AS tenant_names,
             sum(t.incident_count)::int AS incident_count, min(t.first_seen) AS first_seen, max(t.last_seen) AS last_seen, max(t.severity_rank)::int AS severity_rank
      FROM shared s
      JOIN tenant_indicator t ON t.indicator_type = s.indicator_type AND t.value = s.value
      JOIN tenant tn ON tn.id = t.tenant_id
      WHERE t.correlated AND t.last_seen >= ${since} AND tn.status <> 'offboarded'
      GROUP BY t.indicator_type, t.value
      HAVING count(*) >= 2
    )
    SELECT indicator_type AS "type", value, tenant_count, tenant_names, incident_count, first_seen, last_seen, severity_rank, (count(*) OVER ())::int AS total
    FROM agg
    ORDER BY ${ORDER_COLUMN[sort]} ${direction}, indicator_type ASC, value ASC
    LIMIT ${limit}::int OFFSET ${offset}::int`;
  const total = rows[0]?.total ?? (offset > 0 ? await countSharedIndicators(input.filters, since) : 0);
  return {
    rows: rows.map((r) => ({
      type: r.type,
      value: r.value,
      tenantCount: r.tenant_count,
      tenantNames: r.tenant_names,
      incidentCount: r.incident_count,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      severityRank: r.severity_rank,
    })),
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / INDICATOR_PAGE_SIZE)),
    days,
    since,
  };
}

/** The total when a page past the end was asked for (its window function saw no row). */
async function countSharedIndicators(filters: IndicatorFilters, since: Date): Promise<number> {
  const db = await getDb();
  const typeFilter = filters.type ? Prisma.sql`AND s.indicator_type = ${filters.type}` : Prisma.empty;
  const textFilter = filters.q ? Prisma.sql`AND s.value LIKE ${likePattern(filters.q)}` : Prisma.empty;
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (
      SELECT 1 FROM indicator_spread s
      JOIN tenant_indicator t ON t.indicator_type = s.indicator_type AND t.value = s.value
      JOIN tenant tn ON tn.id = t.tenant_id
      WHERE s.tenant_count >= 2 ${typeFilter} ${textFilter} AND t.correlated AND t.last_seen >= ${since} AND tn.status <> 'offboarded'
      GROUP BY s.indicator_type, s.value
      HAVING count(*) >= 2
    ) x`;
  return row?.n ?? 0;
}
