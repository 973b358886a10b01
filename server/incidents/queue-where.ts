import "server-only";
import type { Prisma } from "../../prisma/generated/client/client";
import type { StaffSession } from "../auth/staff-session";
import { getDb } from "../services";
import type { OrderTerm, QueueKey } from "./queue-cursor";
import { timeWindow, type QueueFilters } from "./queue-filters";
import { DUE_SOON_MINUTES } from "../../lib/service-levels";
import { resolveTextSearch, textSearchWhere, type TextSearch } from "./queue-search";

export type VisibleTenant = { id: string; displayName: string; grantedRoles: string[] };

/**
 * The tenants whose incidents staff may see: every tenant that is not offboarded. Every portal
 * role reads every customer; the list goes into each query as `tenantId IN (...)`.
 */
export async function visibleTenants(): Promise<VisibleTenant[]> {
  const db = await getDb();
  return db.tenant.findMany({
    where: { status: { not: "offboarded" } },
    select: { id: true, displayName: true, grantedRoles: true },
    orderBy: { displayName: "asc" },
  });
}

/** Visible tenants and the ids of those that are not (offboarded, their data kept), from one read. */
export async function tenantsInView(): Promise<{ visible: VisibleTenant[]; hiddenIds: string[] }> {
  const db = await getDb();
  const all = await db.tenant.findMany({
    select: { id: true, displayName: true, grantedRoles: true, status: true },
    orderBy: { displayName: "asc" },
  });
  return {
    visible: all.filter((t) => t.status !== "offboarded").map(({ id, displayName, grantedRoles }) => ({ id, displayName, grantedRoles })),
    hiddenIds: all.filter((t) => t.status === "offboarded").map((t) => t.id),
  };
}

/** The tenants a queue request reads: the visible ones, narrowed by its tenant filter. */
export function scopedTenantIds(filters: QueueFilters, tenantIds: string[]): string[] {
  return filters.tenant.length ? tenantIds.filter((id) => filters.tenant.includes(id)) : tenantIds;
}

/**
 * The tenant condition of a queue read (incidents or their kept counts). A tenant filter names its
 * few tenants. Without one, the scope is every visible tenant: said as "not an offboarded one" when
 * the offboarded ids are known (`hiddenTenantIds`), usually no condition at all, because a list of a
 * thousand visible ids costs Prisma and PostgreSQL about 40 ms a query (measured at 1,000 tenants).
 * Every incident belongs to a tenant, so both say the same.
 */
export function tenantScopeWhere(
  filters: QueueFilters,
  tenantIds: string[],
  hiddenTenantIds?: string[],
): { tenantId?: { in: string[] } | { notIn: string[] } } {
  if (filters.tenant.length || !hiddenTenantIds) return { tenantId: { in: scopedTenantIds(filters, tenantIds) } };
  return hiddenTenantIds.length ? { tenantId: { notIn: hiddenTenantIds } } : {};
}

/** The text search of a queue request, resolved once from the indexes (null when it has none). */
export async function queueTextSearch(filters: QueueFilters, tenantIds: string[]): Promise<TextSearch | null> {
  return filters.q ? resolveTextSearch({ q: filters.q, tenantIds: scopedTenantIds(filters, tenantIds) }) : null;
}

/** The WHERE of the queue: tenant scope first, then each filter; no cursor. */
export function queueWhere({
  filters,
  staff,
  tenantIds,
  hiddenTenantIds,
  now,
  search,
}: {
  filters: QueueFilters;
  staff: Pick<StaffSession, "username">;
  tenantIds: string[];
  /** The offboarded tenants' ids: given, an unfiltered scope excludes them instead of listing every visible one. */
  hiddenTenantIds?: string[];
  now: Date;
  /** From queueTextSearch for these filters and tenants; without it a text search is a scan. */
  search?: TextSearch | null;
}): Prisma.IncidentWhereInput {
  const and: Prisma.IncidentWhereInput[] = [tenantScopeWhere(filters, tenantIds, hiddenTenantIds)];
  if (filters.severity.length) and.push({ severity: { in: filters.severity } });
  if (filters.status.length) and.push({ status: { in: filters.status } });
  if (filters.assigned === "unassigned") and.push({ OR: [{ assignedTo: null }, { assignedTo: "" }] });
  else if (filters.assigned === "me") and.push({ assignedTo: { in: [...new Set([staff.username, staff.username.toLowerCase()])] } });
  else if (filters.assigned) and.push({ assignedTo: filters.assigned });
  if (filters.classification === "Unknown") and.push({ OR: [{ classification: null }, { classification: "Unknown" }] });
  else if (filters.classification) and.push({ classification: filters.classification });
  // sla_next_due_at holds 9999-12-31 when no clock runs (closed, paused), so neither range takes those.
  if (filters.sla === "overdue") and.push({ slaNextDueAt: { lt: now } });
  else if (filters.sla === "due_soon") and.push({ slaNextDueAt: { gte: now, lt: new Date(now.getTime() + DUE_SOON_MINUTES * 60_000) } });
  const window = timeWindow(filters, now);
  if (window) {
    const range = { ...(window.from ? { gte: window.from } : {}), ...(window.to ? { lt: window.to } : {}) };
    and.push(window.field === "createdTime" ? { createdTime: range } : { lastUpdateTime: range });
  }
  if (filters.indicator) {
    // "Incidents with indicator X": `type:value`, normalised by queue-filters.ts (server/indicators/).
    const colon = filters.indicator.indexOf(":");
    and.push({ indicators: { some: { indicatorType: filters.indicator.slice(0, colon), value: filters.indicator.slice(colon + 1) } } });
  }
  if (filters.q) and.push(textSearchWhere(filters.q, search ?? { kind: "scan" }));
  return { AND: and };
}

function compare(term: OrderTerm, key: QueueKey, op: "lt" | "gt" | "equals"): Prisma.IncidentWhereInput {
  switch (term.field) {
    case "lastUpdateTime":
      return { lastUpdateTime: { [op]: key.lastUpdateTime } };
    case "createdTime":
      return { createdTime: { [op]: key.createdTime } };
    case "slaNextDueAt":
      return { slaNextDueAt: { [op]: key.slaNextDueAt } };
    case "severityRank":
      return { severityRank: { [op]: key.severityRank } };
    case "tenantId":
      return { tenantId: { [op]: key.tenantId } };
    case "incidentId":
      return { incidentId: { [op]: key.incidentId } };
  }
}

/** Rows strictly after `key` in the given order: (a > x) OR (a = x AND b > y) OR …, per direction. */
export function keysetAfter(terms: OrderTerm[], key: QueueKey): Prisma.IncidentWhereInput {
  return {
    OR: terms.map((term, index) => ({
      AND: [...terms.slice(0, index).map((prior) => compare(prior, key, "equals")), compare(term, key, term.dir === "desc" ? "lt" : "gt")],
    })),
  };
}

export function orderByOf(terms: OrderTerm[]): Prisma.IncidentOrderByWithRelationInput[] {
  return terms.map((term) => ({ [term.field]: term.dir }) as Prisma.IncidentOrderByWithRelationInput);
}
