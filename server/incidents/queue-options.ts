import "server-only";
import { getDb } from "../db";
import { visibleTenants } from "./queue-where";

export type QueueFilterOptions = { tenants: { id: string; displayName: string }[]; assignees: string[] };

/** Choices for the filter bar: the visible tenants and the people incidents are assigned to. */
export async function listQueueFilterOptions(): Promise<QueueFilterOptions> {
  const db = await getDb();
  const tenants = await visibleTenants();
  const groups = tenants.length
    ? await db.incident.groupBy({
        by: ["assignedTo"],
        where: { tenantId: { in: tenants.map((t) => t.id) }, assignedTo: { not: null } },
        _count: { _all: true },
        orderBy: { _count: { assignedTo: "desc" } },
        take: 100,
      })
    : [];
  const assignees = groups.map((g) => g.assignedTo).filter((a): a is string => Boolean(a)).sort((a, b) => a.localeCompare(b));
  return { tenants: tenants.map(({ id, displayName }) => ({ id, displayName })), assignees };
}
