// Words for an audit event's reason codes and outcomes (the actions' own words are declared with
// the actions, in server/audit/audit-actions.ts).
import type { BadgeTone } from "../ui/badge";

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
