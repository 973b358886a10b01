// Pure: the due-time columns of one incident under a policy, from its facts (issue #11). The
// columns serve sorting and the overdue filters; pages compute the live state from the same facts.
import { serviceLevelState, type BusinessHours, type ServiceLevelPolicy } from "../../lib/service-levels";
import type { IncidentFacts } from "./incident-facts";

/** Stored in sla_next_due_at when no clock runs (closed, paused, nothing left with a target). */
export const SLA_NOT_RUNNING = new Date("9999-12-31T00:00:00.000Z");

export type ServiceLevelColumns = {
  slaAcknowledgeDueAt: Date | null;
  slaResolveDueAt: Date | null;
  slaNextDueAt: Date;
};

export type ServiceLevelSettings = { policy: ServiceLevelPolicy; hours: BusinessHours | null };

export function serviceLevelColumns(
  incident: { severity: string; status: string; createdTime: Date },
  facts: Pick<IncidentFacts, "acknowledgedAt" | "resolvedAt" | "pauses">,
  settings: ServiceLevelSettings,
  now: Date,
): ServiceLevelColumns {
  const openPause = facts.pauses.find((p) => p.to === null) ?? null;
  // While paused the due times would move with the clock; store them as they stood when the pause began.
  const state = serviceLevelState({
    incident: { ...incident, createdAt: incident.createdTime, acknowledgedAt: facts.acknowledgedAt, resolvedAt: facts.resolvedAt, pauses: facts.pauses },
    policy: settings.policy,
    hours: settings.hours,
    now: openPause ? openPause.from : now,
  });
  return {
    slaAcknowledgeDueAt: state.acknowledge.dueAt,
    slaResolveDueAt: state.resolve.dueAt,
    slaNextDueAt: state.paused || !state.next ? SLA_NOT_RUNNING : state.next,
  };
}
