// Every action the audit trail records, once, with the words staff read for it. A closed union:
// an action written anywhere else is a type error. Pure (no server imports): pages use the labels.

export const AUDIT_ACTION_LABEL = {
  "auth.sign_in": "Sign-in",
  "auth.sign_out": "Sign-out",
  "staff.sessions_ended": "Sessions ended by an admin",
  "invitation.created": "Consent link created",
  "invitation.revoked": "Consent link revoked",
  "invitation.reissued": "Consent link reissued",
  "consent.started": "Consent started",
  "consent.declined": "Consent declined",
  "consent.refused": "Consent callback refused",
  "consent.link_refused": "Dead consent link opened",
  "consent.signed_in": "Consenting admin signed in",
  "consent.sign_in_failed": "Consenting admin not proven",
  "consent.verification_failed": "Consent not verified",
  "tenant.onboarded": "Tenant onboarded",
  "tenant.reconsented": "Tenant re-consented",
  "tenant.confirmed": "Tenant confirmed",
  "tenant.verified": "Tenant verified",
  "tenant.status_changed": "Tenant status changed",
  "tenant.offboarded": "Tenant offboarded",
  "tenant.sync_requested": "Sync requested",
  "incident.update": "Incident updated",
  "incident.export": "Incidents exported",
  "indicator.export": "Indicators exported",
  "service_level.policy_changed": "Service-level policy changed",
  "notification.channel_changed": "Notification channel changed",
  "notification.rule_changed": "Notification rule changed",
  "notification.test_sent": "Notification test sent",
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof AUDIT_ACTION_LABEL;

export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABEL) as AuditAction[];

/** Words for a stored action (older rows may hold actions no longer written: shown as stored). */
export function auditActionLabel(action: string): string {
  return (AUDIT_ACTION_LABEL as Record<string, string>)[action] ?? action;
}
