// Pure: what a customer's admin reads when Microsoft's consent redirect came back with an error.
// The redirect's `error_description` is text anyone can put in a link ("call this number to
// finish"), so it is never shown as Microsoft's words: the portal says it in its own words, chosen
// by the error code, and the raw text stays in the audit trail.

const CANCELLED = "The request was cancelled or declined on Microsoft's consent page, so the permissions were not granted.";
const NOT_COMPLETED = "The consent was not completed at Microsoft: it was cancelled, or it needs an administrator who may grant it.";
const NEEDS_ADMIN = "Microsoft needs a Global Administrator (or Privileged Role Administrator) of your organization to grant this consent.";
const REQUEST_REFUSED = "Microsoft could not process the consent request. Please try again; if it happens again, tell your provider.";
const APP_REFUSED = "Microsoft did not accept the provider's application for this request. Please tell your provider.";
const PERMISSIONS_REFUSED = "Microsoft did not accept the permissions the provider asked for. Please tell your provider.";
const SIGN_IN_NEEDED = "Microsoft needs you to sign in again before you can grant the consent.";
const MICROSOFT_UNAVAILABLE = "Microsoft had a temporary problem. Please try again in a few minutes.";
const BLOCKED = "A policy in your organization (for example Conditional Access) blocked the sign-in or the consent.";
const FOREIGN_ACCOUNT =
  "The account used does not belong to your organization's Microsoft Entra ID tenant. Sign in with an administrator account of your own organization.";

/** OAuth 2.0 and Microsoft identity platform `error` codes of an authorization redirect. */
const BY_ERROR: Readonly<Record<string, string>> = {
  access_denied: CANCELLED,
  permission_denied: CANCELLED, // the v1 endpoint's cancel
  // v2 sends it for a cancelled admin consent (AADSTS65004) and for one that needs an admin (AADSTS90094).
  consent_required: NOT_COMPLETED,
  invalid_request: REQUEST_REFUSED,
  unsupported_response_type: REQUEST_REFUSED,
  unauthorized_client: APP_REFUSED,
  invalid_client: APP_REFUSED,
  invalid_scope: PERMISSIONS_REFUSED,
  invalid_resource: PERMISSIONS_REFUSED,
  interaction_required: SIGN_IN_NEEDED,
  login_required: SIGN_IN_NEEDED,
  server_error: MICROSOFT_UNAVAILABLE,
  temporarily_unavailable: MICROSOFT_UNAVAILABLE,
};

/**
 * Microsoft's own AADSTS codes, read only from the start of its text and only to pick one of the
 * portal's sentences (for a redirect whose `error` code is unknown or generic).
 */
const BY_AADSTS: Readonly<Record<string, string>> = {
  "65004": CANCELLED, // the user declined to consent
  "90094": NEEDS_ADMIN, // admin consent required
  "90099": NEEDS_ADMIN,
  "65001": CANCELLED, // consent not granted
  "50020": FOREIGN_ACCOUNT,
  "53003": BLOCKED,
  "700016": APP_REFUSED,
  "7000112": APP_REFUSED,
  "650056": PERMISSIONS_REFUSED,
};

export const UNKNOWN_CONSENT_ERROR = "Microsoft ended the consent without granting it.";

function own<T>(table: Readonly<Record<string, T>>, key: string | null | undefined): T | undefined {
  return key && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** True for an `error` code the portal has its own words for. */
export function isKnownConsentError(code: string | null | undefined): boolean {
  return own(BY_ERROR, code?.trim().toLowerCase()) !== undefined;
}

/** Codes that say too little alone: Microsoft's AADSTS code, when it has one, says more. */
const VAGUE_ERRORS = new Set(["consent_required"]);

/**
 * The portal's words for a declined consent: by the redirect's `error` code first; by the AADSTS
 * code that starts Microsoft's text when the code is vague or unknown; a generic sentence
 * otherwise. The text itself is never returned. `description` may also be a bare `error` code
 * (what is stored when Microsoft sent no description).
 */
export function consentDeclineWords({ error, description }: { error?: string | null; description?: string | null }): string {
  const code = error?.trim().toLowerCase() ?? (isKnownConsentError(description) ? description!.trim().toLowerCase() : null);
  const byCode = own(BY_ERROR, code);
  if (byCode && !VAGUE_ERRORS.has(code!)) return byCode;
  const aadsts = /^\s*AADSTS(\d{5,7})\b/.exec(description ?? "")?.[1];
  return own(BY_AADSTS, aadsts) ?? byCode ?? UNKNOWN_CONSENT_ERROR;
}
