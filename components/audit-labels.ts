import type { BadgeTone } from "./badge";

/** Words a person reads for each audit action; unknown actions show their code. */
export const AUDIT_ACTION_LABEL: Record<string, string> = {
  "auth.sign_in": "Sign-in",
  "auth.sign_out": "Sign-out",
};

export const AUDIT_REASON_LABEL: Record<string, string> = {
  "foreign-tenant": "Account belongs to another organization",
  "no-role": "No portal role assigned",
  "malformed-token": "Sign-in token was incomplete",
};

export const OUTCOME_TONE: Record<string, BadgeTone> = { success: "good", refused: "warn", failure: "bad" };
