// Pure: an incident's service level as its page shows it: the timeline of its handling and where
// each clock stands, live (business hours and pauses counted) under its tenant's policy.
import type { AcknowledgementKind } from "../../prisma/generated/client/enums";
import { isClosedStatus } from "../../lib/incident-status";
import { serviceLevelState, targetsForSeverity, type PauseInterval, type ServiceLevelBand, type TargetState } from "../../lib/service-levels";
import { businessHoursText } from "../../lib/business-hours";
import { formatDuration } from "../../lib/time";
import type { ServiceLevelSettings } from "./due-times";

export type TimelineEntry = {
  kind: "created" | "first_synced" | "acknowledged" | "paused" | "resumed" | "resolved";
  at: Date;
  /** Words after the time, e.g. "by zoe@… (assigned)". */
  detail: string | null;
};

/** `done`: the step happened (its clock stopped). */
export type ClockView = TargetState & { label: string; done: boolean };

export type IncidentServiceLevel = {
  timeline: TimelineEntry[];
  acknowledge: ClockView;
  resolve: ClockView;
  band: ServiceLevelBand;
  paused: boolean;
  /** The targets and hours the clocks ran on, in words. */
  policyText: string;
  hoursText: string;
};

const HOW: Record<AcknowledgementKind, string> = {
  assigned: "assigned",
  in_progress: "moved to In progress",
  comment: "commented",
  resolved: "resolved without an earlier step",
};

export function incidentServiceLevel(input: {
  incident: {
    severity: string;
    status: string;
    createdTime: Date;
    firstSeenAt: Date;
    acknowledgedAt: Date | null;
    acknowledgedBy: string | null;
    acknowledgedHow: AcknowledgementKind | null;
    resolvedAt: Date | null;
    pauses: PauseInterval[];
  };
  settings: ServiceLevelSettings;
  now: Date;
}): IncidentServiceLevel {
  const { incident, settings, now } = input;
  const state = serviceLevelState({
    incident: { ...incident, createdAt: incident.createdTime },
    policy: settings.policy,
    hours: settings.hours,
    now,
  });
  const timeline: TimelineEntry[] = [
    { kind: "created", at: incident.createdTime, detail: "in Microsoft Defender" },
    { kind: "first_synced", at: incident.firstSeenAt, detail: "by the portal" },
  ];
  if (incident.acknowledgedAt) {
    const who = incident.acknowledgedBy ? `by ${incident.acknowledgedBy}` : null;
    const how = incident.acknowledgedHow ? HOW[incident.acknowledgedHow] : null;
    timeline.push({ kind: "acknowledged", at: incident.acknowledgedAt, detail: [who, how ? `(${how})` : null].filter(Boolean).join(" ") || null });
  }
  for (const pause of incident.pauses) {
    timeline.push({ kind: "paused", at: pause.from, detail: "awaiting the customer: the clock stopped" });
    if (pause.to) timeline.push({ kind: "resumed", at: pause.to, detail: "the clock runs again" });
  }
  if (incident.resolvedAt) timeline.push({ kind: "resolved", at: incident.resolvedAt, detail: incident.status === "Redirected" ? "redirected" : null });
  timeline.sort((a, b) => a.at.getTime() - b.at.getTime());

  const targets = targetsForSeverity(settings.policy, incident.severity);
  const resolved = isClosedStatus(incident.status) && incident.resolvedAt !== null;
  return {
    timeline,
    acknowledge: { ...state.acknowledge, label: "Time to acknowledge", done: incident.acknowledgedAt !== null || resolved },
    resolve: { ...state.resolve, label: "Time to resolve", done: resolved },
    band: state.band,
    paused: state.paused,
    policyText: `${incident.severity}: acknowledge within ${formatDuration(targets.acknowledgeMinutes, { style: "target" })}, resolve within ${formatDuration(targets.resolveMinutes, { style: "target" })}`,
    hoursText: businessHoursText(settings.hours),
  };
}
