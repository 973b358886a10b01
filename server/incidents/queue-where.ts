import "server-only";
import type { Prisma } from "../../prisma/generated/client/client";
import type { StaffSession } from "../auth/staff-session";
import { getDb } from "../services";
import type { OrderTerm, QueueKey } from "./queue-cursor";
import { timeWindow, type QueueFilters } from "./queue-filters";
import { DUE_SOON_MINUTES } from "../../lib/service-levels";

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

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The WHERE of the queue: tenant scope first, then each filter; no cursor. */
export function queueWhere({
  filters,
  staff,
  tenantIds,
  now,
}: {
  filters: QueueFilters;
  staff: Pick<StaffSession, "username">;
  tenantIds: string[];
  now: Date;
}): Prisma.IncidentWhereInput {
  const scoped = filters.tenant.length ? tenantIds.filter((id) => filters.tenant.includes(id)) : tenantIds;
  const and: Prisma.IncidentWhereInput[] = [{ tenantId: { in: scoped } }];
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
  if (filters.q) {
    const q = filters.q.toLowerCase();
    const or: Prisma.IncidentWhereInput[] = [
      // searchText is the lower-cased name and id; the pattern is a literal, wildcards escaped.
      { searchText: { contains: likeLiteral(q) } },
      { entities: { some: { value: { startsWith: likeLiteral(q) } } } },
    ];
    if (/^\d{1,18}$/.test(q)) or.push({ incidentId: BigInt(q) });
    and.push({ OR: or });
  }
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
