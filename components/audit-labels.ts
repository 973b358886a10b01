import type { BadgeTone } from "./badge";

/** Words a person reads for each audit action; unknown actions show their code. */
export const AUDIT_ACTION_LABEL: Record<string, string> = {
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
  "consent.verification_failed": "Consent not verified",
  "tenant.onboarded": "Tenant onboarded",
  "tenant.reconsented": "Tenant re-consented",
  "tenant.verified": "Tenant verified",
  "tenant.status_changed": "Tenant status changed",
  "tenant.offboarded": "Tenant offboarded",
  "tenant.confirmed": "Tenant confirmed",
  "consent.signed_in": "Consenting admin signed in",
  "consent.sign_in_failed": "Consenting admin not proven",
  "incident.update": "Incident updated",
  "tenant.sync_requested": "Sync requested",
  "incident.export": "Incidents exported",
};

export const AUDIT_REASON_LABEL: Record<string, string> = {
  "foreign-tenant": "Account belongs to another organization",
  "no-role": "No portal role assigned",
  "malformed-token": "Sign-in token was incomplete",
  "state-missing": "No state in Microsoft's redirect",
  "state-unknown": "Unknown or forged state",
  "state-reused": "State already used (replay)",
  "state-expired": "Consent request expired",
  "link-invalid": "Link unknown, revoked or used",
  "link-expired": "Link expired",
  "link-used": "Link already used",
  "link-revoked": "Link revoked",
  "tenant-invalid": "Tenant in redirect is not a GUID",
  "tenant-mismatch": "Consent came from another tenant than expected",
  "state-other-browser": "Callback from another browser than the one that started",
  "consent-not-confirmed": "Redirect without admin_consent=True",
};

export const OUTCOME_TONE: Record<string, BadgeTone> = { success: "good", refused: "warn", failure: "bad" };
