import type { TokenFailureKind } from "../microsoft/token-errors";
import type { IncidentSource } from "../microsoft/source-incident";
import type { RequiredAccess, TenantStatus } from "../../prisma/generated/client/enums";

// The values themselves are declared once, as enums in prisma/schema.prisma.
export type { RequiredAccess, TenantStatus } from "../../prisma/generated/client/enums";

/** Tenants whose incidents are synced (a tenant that still needs Graph consent syncs through the old API). */
export const SYNCED_STATUSES: readonly TenantStatus[] = ["active", "graph_consent_needed"];

/**
 * Microsoft turns the Defender XDR API off on this date (Message Center MC1220762). Until then a
 * tenant that consented before the portal asked for Graph permissions keeps syncing through it.
 */
export const DEFENDER_API_RETIREMENT = new Date("2027-02-01T00:00:00Z");

export function defenderApiRetired(now = new Date()): boolean {
  return now >= DEFENDER_API_RETIREMENT;
}

/**
 * Application permissions per API. Graph: incidents (read or read/write) and, for the alerts and
 * their evidence that `$expand=alerts` returns, SecurityAlert.Read.All (or .ReadWrite.All).
 */
export const PERMISSIONS = {
  graph: {
    readIncidents: ["SecurityIncident.Read.All", "SecurityIncident.ReadWrite.All"],
    writeIncidents: "SecurityIncident.ReadWrite.All",
    readAlerts: ["SecurityAlert.Read.All", "SecurityAlert.ReadWrite.All"],
  },
  defender: {
    readIncidents: ["Incident.Read.All", "Incident.ReadWrite.All"],
    writeIncidents: "Incident.ReadWrite.All",
    readAlerts: null,
  },
} as const satisfies Record<IncidentSource, { readIncidents: readonly string[]; writeIncidents: string; readAlerts: readonly string[] | null }>;

/** The permissions an app registration lists for one kind of access, in words for README and pages. */
export function permissionsNeeded(access: RequiredAccess, api: IncidentSource = "graph"): string[] {
  const p = PERMISSIONS[api];
  return [access === "read_write" ? p.writeIncidents : p.readIncidents[0], ...(p.readAlerts ? [p.readAlerts[0]] : [])];
}

/** Does a token's `roles` claim (of that API) cover what the portal needs in that tenant? */
export function rolesCover(roles: readonly string[], access: RequiredAccess, api: IncidentSource = "graph"): boolean {
  const p = PERMISSIONS[api];
  const incidents = access === "read_write" ? roles.includes(p.writeIncidents) : roles.some((role) => (p.readIncidents as readonly string[]).includes(role));
  const alerts = p.readAlerts === null || roles.some((role) => (p.readAlerts as readonly string[]).includes(role));
  return incidents && alerts;
}

/** May the portal update incidents in a tenant, with the roles of the API the tenant is on? */
export function canUpdateIncidents(roles: readonly string[], api: IncidentSource = "graph"): boolean {
  return roles.includes(PERMISSIONS[api].writeIncidents);
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

/** Statuses a health check never changes: only a person moves a tenant out of them. */
export const HELD_STATUSES: readonly TenantStatus[] = ["pending_confirmation", "offboarded"];

/** Problems first, then active, then offboarded: the Tenants page's order and its status line's. */
export const TENANT_STATUS_ORDER: readonly TenantStatus[] = [
  "pending_confirmation",
  "unreachable",
  "consent_revoked",
  "permission_missing",
  "graph_consent_needed",
  "active",
  "offboarded",
];

export const TENANT_STATUS_LABEL: Record<TenantStatus, string> = {
  pending_confirmation: "Pending confirmation",
  active: "Active",
  graph_consent_needed: "Needs re-consent for Microsoft Graph",
  permission_missing: "Permission missing",
  consent_revoked: "Consent revoked",
  unreachable: "Unreachable",
  offboarded: "Offboarded",
};

/** The fix a person can apply, per status. */
export const TENANT_STATUS_FIX: Record<TenantStatus, string | null> = {
  pending_confirmation:
    "Consent came through a link that named no tenant. Check the consenting admin, the tenant ID and its domain, then confirm this customer; nothing is synced until then. If it is not your customer, offboard it.",
  active: null,
  graph_consent_needed:
    "This customer consented before the portal used Microsoft Graph, so Graph's permissions were never granted. Send a new consent link before 1 February 2027: until then the portal reads through the retiring Defender XDR API, afterwards it cannot.",
  permission_missing: "Consent was given without the permissions the portal needs. Send the customer a new consent link.",
  consent_revoked: "The customer removed the portal's access. Send the customer a new consent link.",
  unreachable: "Microsoft refuses this tenant (not found, app disabled or blocked). Check the tenant ID and ask the customer's admin.",
  offboarded: null,
};
