import "server-only";
import type { StaffSession } from "../auth/staff-session";
import { getDb } from "../services";
import { decodeCursor, encodeCursor, orderTerms, type QueueKey } from "./queue-cursor";
import { SEVERITIES, sortOf, STATUSES, timeWindow, type QueueFilters } from "./queue-filters";
import { keysetAfter, orderByOf, queueTextSearch, queueWhere, tenantScopeWhere, tenantsInView, type VisibleTenant } from "./queue-where";
import type { TextSearch } from "./queue-search";
import type { StoredServiceLevel } from "../../lib/service-levels";
import { isPausedNow } from "../service-levels/incident-facts";

export const QUEUE_PAGE_SIZE = 50;

/** One queue row: only the columns the table shows, ids as strings for the client. */
export type QueueRow = {
  tenantId: string;
  tenantName: string;
  incidentId: string;
  incidentName: string;
  severity: string;
  status: string;
  classification: string | null;
  determination: string | null;
  assignedTo: string | null;
  detectionSources: string[];
  alertCount: number;
  firstActivity: Date | null;
  lastActivity: Date | null;
  createdTime: Date;
  lastUpdateTime: Date;
  /** When this tenant last synced successfully: how old the row may be. */
  dataAsOf: Date | null;
  /** Service level: the stored due times and facts the SLA column reads (lib/service-levels serviceLevelCell). */
  serviceLevel: StoredServiceLevel;
};

export type QueuePage = { rows: QueueRow[]; nextCursor: string | null; prevCursor: string | null; tenantCount: number };

export const QUEUE_ROW_SELECT = {
  tenantId: true,
  incidentId: true,
  incidentName: true,
  severity: true,
  severityRank: true,
  status: true,
  classification: true,
  determination: true,
  assignedTo: true,
  detectionSources: true,
  alertCount: true,
  firstActivity: true,
  lastActivity: true,
  createdTime: true,
  lastUpdateTime: true,
  acknowledgedAt: true,
  resolvedAt: true,
  slaAcknowledgeDueAt: true,
  slaResolveDueAt: true,
  slaNextDueAt: true,
  slaPauses: true,
} as const;

/** When each tenant last synced successfully (TenantSyncState.lastSuccessAt). */
export async function dataAgeByTenant(tenantIds: string[]): Promise<Map<string, Date | null>> {
  if (tenantIds.length === 0) return new Map();
  const db = await getDb();
  const states = await db.tenantSyncState.findMany({ where: { tenantId: { in: tenantIds } }, select: { tenantId: true, lastSuccessAt: true } });
  return new Map(states.map((s) => [s.tenantId, s.lastSuccessAt]));
}

/**
 * What every read of one queue request shares: the tenants staff may see and the text search
 * resolved from the indexes. Resolve it once and pass it to the page, its counts and each export batch.
 */
export type QueueScope = { tenants: VisibleTenant[]; hiddenTenantIds: string[]; search: TextSearch | null };

export async function resolveQueueScope(filters: QueueFilters): Promise<QueueScope> {
  const { visible, hiddenIds } = await tenantsInView();
  return {
    tenants: visible,
    hiddenTenantIds: hiddenIds,
    search: await queueTextSearch(
      filters,
      visible.map((t) => t.id),
    ),
  };
}

/**
 * One page of the cross-tenant queue, read from the store only (never from Microsoft). Keyset
 * paging: the cursor is the sort key of the row next to the page, so no OFFSET scans.
 */
export async function listQueueIncidents({
  filters,
  staff,
  cursor,
  pageSize = QUEUE_PAGE_SIZE,
  now = new Date(),
  scope,
}: {
  filters: QueueFilters;
  staff: Pick<StaffSession, "username">;
  cursor?: { after?: string; before?: string };
  pageSize?: number;
  now?: Date;
  /** From resolveQueueScope(filters); resolved here when absent. */
  scope?: QueueScope;
}): Promise<QueuePage> {
  const db = await getDb();
  const { tenants, hiddenTenantIds, search } = scope ?? (await resolveQueueScope(filters));
  const { sort, dir } = sortOf(filters);
  const afterKey = decodeCursor(cursor?.after ?? filters.after, sort, dir);
  const beforeKey = afterKey ? null : decodeCursor(cursor?.before ?? filters.before, sort, dir);
  const backwards = beforeKey !== null;
  const terms = orderTerms(sort, dir, backwards);
  const base = queueWhere({ filters, staff, tenantIds: tenants.map((t) => t.id), hiddenTenantIds, now, search });
  const key = afterKey ?? beforeKey;
  const found = await db.incident.findMany({
    where: key ? { AND: [base, keysetAfter(terms, key)] } : base,
    orderBy: orderByOf(terms),
    take: pageSize + 1,
    select: QUEUE_ROW_SELECT,
  });
  const more = found.length > pageSize;
  const page = found.slice(0, pageSize);
  if (backwards) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  // Reading forwards, a cursor means a page exists before; reading backwards, one exists after.
  const hasNext = backwards ? true : more;
  const hasPrev = backwards ? more : afterKey !== null;
  const names = new Map(tenants.map((t) => [t.id, t.displayName]));
  const ages = await dataAgeByTenant([...new Set(page.map((row) => row.tenantId))]);
  return {
    rows: page.map(
      ({ severityRank: _rank, incidentId, acknowledgedAt, resolvedAt, slaAcknowledgeDueAt, slaResolveDueAt, slaNextDueAt, slaPauses, ...row }) => ({
        ...row,
        incidentId: incidentId.toString(),
        serviceLevel: {
          status: row.status,
          acknowledgedAt,
          resolvedAt,
          slaAcknowledgeDueAt,
          slaResolveDueAt,
          slaNextDueAt,
          paused: isPausedNow(slaPauses),
        },
        tenantName: names.get(row.tenantId) ?? row.tenantId,
        dataAsOf: ages.get(row.tenantId) ?? null,
      }),
    ),
    nextCursor: hasNext && last ? encodeCursor(sort, dir, last satisfies QueueKey) : null,
    prevCursor: hasPrev && first ? encodeCursor(sort, dir, first satisfies QueueKey) : null,
    tenantCount: tenants.length,
  };
}

export type QueueSummary = { total: number; bySeverity: Record<string, number>; byStatus: Record<string, number> };

/**
 * Whether a filter's summary can be read from the counts kept with the data (incident_count:
 * tenant, severity, status, unassigned): the common views. Text, indicator, classification,
 * service-level, assignee and time filters are counted over the matching incidents instead.
 */
export function summaryFromKeptCounts(filters: QueueFilters, now: Date): boolean {
  return (
    !filters.q &&
    !filters.indicator &&
    !filters.classification &&
    !filters.sla &&
    (!filters.assigned || filters.assigned === "unassigned") &&
    timeWindow(filters, now) === null
  );
}

/** Counts by severity and status for the current filter (the whole result, not one page). */
export async function summarizeQueue({
  filters,
  staff,
  now = new Date(),
  scope,
}: {
  filters: QueueFilters;
  staff: Pick<StaffSession, "username">;
  now?: Date;
  /** From resolveQueueScope(filters); resolved here when absent. */
  scope?: QueueScope;
}): Promise<QueueSummary> {
  const db = await getDb();
  const { tenants, hiddenTenantIds, search } = scope ?? (await resolveQueueScope(filters));
  const tenantIds = tenants.map((t) => t.id);
  let groups: { severity: string; status: string; count: number }[];
  if (summaryFromKeptCounts(filters, now)) {
    // At most tenants × severities × statuses × 2 rows, whatever the number of incidents.
    const kept = await db.incidentCount.groupBy({
      by: ["severity", "status"],
      where: {
        ...tenantScopeWhere(filters, tenantIds, hiddenTenantIds),
        ...(filters.severity.length ? { severity: { in: filters.severity } } : {}),
        ...(filters.status.length ? { status: { in: filters.status } } : {}),
        ...(filters.assigned === "unassigned" ? { unassigned: true } : {}),
      },
      _sum: { incidents: true },
    });
    groups = kept.map((g) => ({ severity: g.severity, status: g.status, count: Number(g._sum.incidents ?? 0) }));
  } else {
    const where = queueWhere({ filters, staff, tenantIds, hiddenTenantIds, now, search });
    // One pass over the matching rows, grouped both ways at once (an index-only scan where vacuumed).
    const counted = await db.incident.groupBy({ by: ["severity", "status"], where, _count: { _all: true } });
    groups = counted.map((g) => ({ severity: g.severity, status: g.status, count: g._count._all }));
  }
  const bySeverity: Record<string, number> = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  const byStatus: Record<string, number> = Object.fromEntries(STATUSES.map((s) => [s, 0]));
  for (const group of groups) {
    bySeverity[group.severity] = (bySeverity[group.severity] ?? 0) + group.count;
    byStatus[group.status] = (byStatus[group.status] ?? 0) + group.count;
  }
  return { total: groups.reduce((sum, group) => sum + group.count, 0), bySeverity, byStatus };
}
