// Which notification events a stored change is, and what a message about one says. Pure: the
// enqueue (in the sync's transaction), the SLA scan, the formatters and the unit tests share it.
import { isClosedStatus } from "../../lib/incident-status";
import type { IncidentChange, IncidentChangeSnapshot } from "../incidents/incident-change";

export const NOTIFICATION_EVENT_KINDS = ["new_incident", "severity_raised", "sla_due_soon", "sla_breached", "reopened", "changed_outside"] as const;
export type IncidentEventKind = (typeof NOTIFICATION_EVENT_KINDS)[number];
/** "test" is the Send test button's message, never a rule's event. */
export type NotificationEventKind = IncidentEventKind | "test";

export const EVENT_LABEL: Record<NotificationEventKind, string> = {
  new_incident: "New incident",
  severity_raised: "Severity raised",
  sla_due_soon: "SLA due within the hour",
  sla_breached: "SLA breached",
  reopened: "Incident reopened",
  changed_outside: "Changed in Microsoft Defender outside the portal",
  test: "Test message",
};

/** The webhook's `event` field: stable names for receivers. */
export const EVENT_WIRE_NAME: Record<NotificationEventKind, string> = {
  new_incident: "incident.created",
  severity_raised: "incident.severity_raised",
  sla_due_soon: "incident.sla_due_soon",
  sla_breached: "incident.sla_breached",
  reopened: "incident.reopened",
  changed_outside: "incident.changed_outside",
  test: "test",
};

export const SEVERITY_BY_RANK = ["UnSpecified", "Informational", "Low", "Medium", "High"] as const;

/** The fields whose change by someone outside the portal is worth a message. */
const WATCHED_FIELDS = ["status", "assignedTo", "classification", "determination", "severity"] as const;

export type DetectedEvent = {
  kind: IncidentEventKind;
  /** Tells occurrences of one kind apart in the outbox's unique key (see NotificationOutbox.occurrence). */
  occurrence: string;
  change: IncidentChange;
  changedFields: string[];
};

/**
 * The events in a batch of stored changes. A new incident seen during the tenant's first backfill
 * is history, not news (a newly onboarded customer must not flood the channels). "Changed outside
 * the portal" is the sync's to say: a portal action stores Microsoft's answer first, so the sync
 * then sees no newer version for it.
 */
export function detectIncidentEvents(input: { changes: readonly IncidentChange[]; origin: "sync" | "portal"; backfillRunning: boolean }): DetectedEvent[] {
  const events: DetectedEvent[] = [];
  for (const change of input.changes) {
    const { before, after } = change;
    const version = after.lastUpdateTime.toISOString();
    if (!before) {
      if (!input.backfillRunning) events.push({ kind: "new_incident", occurrence: "", change, changedFields: [] });
      continue;
    }
    if (after.severityRank > before.severityRank) events.push({ kind: "severity_raised", occurrence: after.severity, change, changedFields: ["severity"] });
    if (isClosedStatus(before.status) && !isClosedStatus(after.status))
      events.push({ kind: "reopened", occurrence: version, change, changedFields: ["status"] });
    if (input.origin === "sync") {
      const changedFields = WATCHED_FIELDS.filter((field) => before[field] !== after[field]);
      if (changedFields.length > 0) events.push({ kind: "changed_outside", occurrence: version, change, changedFields });
    }
  }
  return events;
}

export type RuleScope = { tenantIds: readonly string[]; minSeverityRank: number; events: readonly string[] };

/** Does the rule want this event of this tenant's incident? Empty tenantIds: every tenant. */
export function ruleWants(rule: RuleScope, event: { tenantId: string; severityRank: number; kind: IncidentEventKind }): boolean {
  return (
    (rule.tenantIds.length === 0 || rule.tenantIds.includes(event.tenantId)) && event.severityRank >= rule.minSeverityRank && rule.events.includes(event.kind)
  );
}

/** What one message says, captured when the event is detected (stored in the outbox row). */
export type NotificationPayload = {
  kind: NotificationEventKind;
  tenantId: string;
  tenantName: string;
  incidentId: string;
  incidentName: string;
  severity: string;
  status: string;
  assignedTo: string | null;
  classification: string | null;
  determination: string | null;
  lastUpdateTime: string;
  previous: { severity: string; status: string; assignedTo: string | null; classification: string | null; determination: string | null } | null;
  changedFields: string[];
  /** SLA kinds: the due time that is near or past. */
  dueAt: string | null;
  detectedAt: string;
  ruleName: string | null;
};

export function payloadFor(input: {
  kind: NotificationEventKind;
  tenantId: string;
  tenantName: string;
  incidentId: bigint;
  after: IncidentChangeSnapshot;
  before: IncidentChangeSnapshot | null;
  changedFields: string[];
  dueAt: Date | null;
  now: Date;
  ruleName: string | null;
}): NotificationPayload {
  const { after, before } = input;
  return {
    kind: input.kind,
    tenantId: input.tenantId,
    tenantName: input.tenantName,
    incidentId: input.incidentId.toString(),
    incidentName: after.incidentName,
    severity: after.severity,
    status: after.status,
    assignedTo: after.assignedTo,
    classification: after.classification,
    determination: after.determination,
    lastUpdateTime: after.lastUpdateTime.toISOString(),
    previous: before
      ? {
          severity: before.severity,
          status: before.status,
          assignedTo: before.assignedTo,
          classification: before.classification,
          determination: before.determination,
        }
      : null,
    changedFields: input.changedFields,
    dueAt: input.dueAt ? input.dueAt.toISOString() : null,
    detectedAt: input.now.toISOString(),
    ruleName: input.ruleName,
  };
}

/** The portal page of an incident, the link every message carries. */
export function incidentUrl(portalUrl: string, payload: Pick<NotificationPayload, "tenantId" | "incidentId">): string {
  return `${portalUrl.replace(/\/+$/, "")}/incidents/${encodeURIComponent(payload.tenantId)}/${encodeURIComponent(payload.incidentId)}`;
}
