// The order of list pages. Microsoft documents none for either incidents API, so besides a sorted
// order (the default: predictable for demos) the emulator can return a seeded shuffle, which makes a
// client's "pages are ordered by last update" assumption fail the way Microsoft's service may.
import type { ListOrder } from "./emulator-settings";
import type { Incident } from "./model";
import { deriveSeed } from "./seeded-random";

/**
 * Orders a tenant's (filtered) incidents for paging. "shuffled" keys each incident by a hash of the
 * seed, the tenant and its id: by neither time nor id, and stable for each incident (a change does
 * not move it; a new incident lands anywhere), so position paging skips nothing, as with the sorted
 * orders. (An order in which a change moved an incident could make a walk in progress skip an
 * unchanged one, which no documented Microsoft behaviour suggests.)
 */
export function orderIncidents(
  incidents: Incident[],
  order: { listOrder: ListOrder; listOrderSeed: number },
  tenantId: string,
  sorted: (a: Incident, b: Incident) => number,
): Incident[] {
  if (order.listOrder === "sorted") return incidents.sort(sorted);
  const keyed = incidents.map((incident) => ({
    incident,
    key: deriveSeed(order.listOrderSeed, `${tenantId}|${incident.incidentId}`),
  }));
  keyed.sort((a, b) => a.key - b.key || a.incident.incidentId - b.incident.incidentId);
  return keyed.map((k) => k.incident);
}
