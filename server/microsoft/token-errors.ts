import { UserFacingError, tagGuard } from "../../lib/errors";

/**
 * What a failed app-only token request means for a customer tenant. We branch on Microsoft's
 * `error_codes` (AADSTS numbers), never on `error_description` text.
 */
export type TokenFailureKind =
  | "not_consented" // 7000229 / 700016: no service principal: never consented, or the enterprise app was deleted
  | "consent_missing" // 65001: consent missing (also briefly right after consent)
  | "tenant_not_found" // 90002: bad tenant id, or the wrong national cloud
  | "app_disabled" // 7000112: the customer disabled the app
  | "blocked" // 53003: Conditional Access blocked the app
  | "bad_credential" // 7000215 / 7000222 / 700027: our own secret or certificate is wrong or expired
  | "transient" // network error, timeout, 5xx, throttling
  | "unknown";

const BY_CODE: Record<number, TokenFailureKind> = {
  7000229: "not_consented",
  700016: "not_consented",
  65001: "consent_missing",
  90002: "tenant_not_found",
  7000112: "app_disabled",
  53003: "blocked",
  7000215: "bad_credential",
  7000222: "bad_credential",
  700027: "bad_credential",
  // Microsoft's own passing troubles: a transient service error, and throttling of the tenant.
  90033: "transient",
  90055: "transient",
};

export function classifyAadstsCode(code: number | null | undefined): TokenFailureKind {
  return code != null && code in BY_CODE ? BY_CODE[code]! : "unknown";
}

/** Words for staff: what happened and what fixes it. */
export const TOKEN_FAILURE_MESSAGE: Record<TokenFailureKind, string> = {
  not_consented:
    "The portal's app is not present in this tenant: consent was never granted or the customer removed the enterprise app. Send the customer a new consent link.",
  consent_missing: "The tenant has not (or no longer) granted consent to the portal's app. Send the customer a new consent link.",
  tenant_not_found: "Microsoft does not know this tenant: the tenant ID is wrong, the tenant was deleted, or it lives in another national cloud.",
  app_disabled: "The customer disabled the portal's enterprise app in their tenant. Ask their admin to enable it again.",
  blocked: "A Conditional Access policy in the customer's tenant blocks the portal's app. Ask their admin to exclude it.",
  bad_credential:
    "The portal's own client secret or certificate was refused (invalid or expired). An MSSP admin must renew it in the app registration and in the portal's configuration.",
  transient: "Microsoft's sign-in service could not be reached or answered with a temporary error. The portal will retry.",
  unknown: "Microsoft refused the token request for an unrecognised reason. The portal will retry; check the audit trail for the error code.",
};

/** A token request for one customer tenant failed; carries the AADSTS code when Microsoft sent one. */
export class TenantTokenError extends UserFacingError {
  constructor(
    readonly tenantId: string,
    readonly kind: TokenFailureKind,
    readonly aadstsCode: number | null,
  ) {
    super(`${TOKEN_FAILURE_MESSAGE[kind]}${aadstsCode ? ` (AADSTS${aadstsCode})` : ""}`, "TenantTokenError");
  }

  get staffMessage(): string {
    return TOKEN_FAILURE_MESSAGE[this.kind];
  }
}

/** Recognises a token failure made by any bundle's copy of this module (see lib/errors.ts). */
export const isTenantTokenError = tagGuard<TenantTokenError>("TenantTokenError");
