import type { TokenFailureKind } from "../microsoft/token-errors";

export const TENANT_STATUSES = ["active", "permission_missing", "consent_revoked", "unreachable", "offboarded"] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export type RequiredAccess = "read" | "read_write";

export const READ_ROLES = ["Incident.Read.All", "Incident.ReadWrite.All"];
export const WRITE_ROLE = "Incident.ReadWrite.All";

/** Does a token's `roles` claim cover what the portal needs in that tenant? */
export function rolesCover(roles: readonly string[], access: RequiredAccess): boolean {
  if (access === "read_write") return roles.includes(WRITE_ROLE);
  return roles.some((role) => READ_ROLES.includes(role));
}

export function canUpdateIncidents(roles: readonly string[]): boolean {
  return roles.includes(WRITE_ROLE);
}

/** The status a failed token request implies; null when it says nothing about the tenant itself. */
export function statusForTokenFailure(kind: TokenFailureKind): TenantStatus | null {
  switch (kind) {
    case "not_consented":
    case "consent_missing":
      return "consent_revoked";
    case "tenant_not_found":
    case "app_disabled":
    case "blocked":
      return "unreachable";
    default:
      return null; // our credential, the network, or something unknown: keep the last known status
  }
}

export const TENANT_STATUS_LABEL: Record<TenantStatus, string> = {
  active: "Active",
  permission_missing: "Permission missing",
  consent_revoked: "Consent revoked",
  unreachable: "Unreachable",
  offboarded: "Offboarded",
};

/** The fix a person can apply, per status. */
export const TENANT_STATUS_FIX: Record<TenantStatus, string | null> = {
  active: null,
  permission_missing: "Consent was given without the permissions the portal needs. Send the customer a new consent link.",
  consent_revoked: "The customer removed the portal's access. Send the customer a new consent link.",
  unreachable: "Microsoft refuses this tenant (not found, app disabled or blocked). Check the tenant ID and ask the customer's admin.",
  offboarded: null,
};
