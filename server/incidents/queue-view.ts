import "server-only";
import { refusalFor } from "../auth/capabilities";
import type { StaffSession } from "../auth/staff-session";
import type { QueueFilters } from "./queue-filters";
import { listQueueFilterOptions, type QueueFilterOptions } from "./queue-options";
import { listQueueIncidents, resolveQueueScope, summarizeQueue, type QueuePage, type QueueSummary } from "./queue-query";

export type QueueView = {
  page: QueuePage;
  /** Not awaited: the page streams the summary in after the table, which never waits for it. */
  summary: Promise<QueueSummary>;
  options: QueueFilterOptions;
  /** Why this person cannot update incidents, or null when they can. */
  actionsDisabledReason: string | null;
  now: Date;
};

/** Everything the queue page shows, read from the store in parallel; the summary streams in after. */
export async function loadQueueView({ filters, staff }: { filters: QueueFilters; staff: StaffSession }): Promise<QueueView> {
  const now = new Date();
  const scope = await resolveQueueScope(filters);
  const options = await listQueueFilterOptions(scope.tenants);
  const summary = summarizeQueue({ filters, staff, now, scope });
  // A page that never renders the summary (no tenants) must not leave its failure unhandled.
  summary.catch(() => undefined);
  const page = await listQueueIncidents({ filters, staff, now, scope });
  const actionsDisabledReason = refusalFor(staff.role, "incident.update");
  return { page, summary, options, actionsDisabledReason, now };
}
