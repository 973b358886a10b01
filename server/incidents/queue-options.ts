import "server-only";
import { getDb, services } from "../services";
import { visibleTenants, type VisibleTenant } from "./queue-where";

export type QueueFilterOptions = { tenants: { id: string; displayName: string }[]; assignees: string[] };

/**
 * Who incidents are assigned to changes slowly; scanning every incident per page view does not pay.
 * Kept in the services slot, so resetServices forgets it with the database it was read from.
 */
const ASSIGNEES_TTL_MS = 60_000;

/**
 * Choices for the filter bar: the visible tenants (the queue's scope has read them already: pass
 * them) and the people incidents are assigned to.
 */
export async function listQueueFilterOptions(known?: VisibleTenant[]): Promise<QueueFilterOptions> {
  const tenants = known ?? (await visibleTenants());
  const key = tenants.map((t) => t.id).join(",");
  const slot = services();
  let cached = slot.queueAssignees;
  if (!cached || cached.key !== key || Date.now() - cached.at > ASSIGNEES_TTL_MS) {
    const value = loadAssignees(tenants.map((t) => t.id));
    const entry = (cached = { key, at: Date.now(), value });
    slot.queueAssignees = entry;
    // A failed read is not kept: the next page view tries again.
    value.catch(() => {
      if (slot.queueAssignees === entry) slot.queueAssignees = undefined;
    });
  }
  return { tenants: tenants.map(({ id, displayName }) => ({ id, displayName })), assignees: await cached.value };
}

async function loadAssignees(tenantIds: string[]): Promise<string[]> {
  const db = await getDb();
  const groups = tenantIds.length
    ? await db.incident.groupBy({
        by: ["assignedTo"],
        where: { tenantId: { in: tenantIds }, assignedTo: { not: null } },
        _count: { _all: true },
        orderBy: { _count: { assignedTo: "desc" } },
        take: 100,
      })
    : [];
  return groups
    .map((g) => g.assignedTo)
    .filter((a): a is string => Boolean(a))
    .sort((a, b) => a.localeCompare(b));
}
