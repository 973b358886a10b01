// Shapes shared by the emulator's modules: the directory (Entra ID) and the Defender XDR records.

export const DEFENDER_RESOURCE = "https://api.security.microsoft.com";
export const DEFENDER_DEFAULT_SCOPE = `${DEFENDER_RESOURCE}/.default`;
export const GRAPH_RESOURCE = "https://graph.microsoft.com";
/** Microsoft Graph's well-known application id: `{GRAPH_APP_ID}/.default` is the same scope. */
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
export const GRAPH_DEFAULT_SCOPE = `${GRAPH_RESOURCE}/.default`;

/** The APIs an application permission can belong to (each permission belongs to exactly one). */
export type ApiResource = typeof DEFENDER_RESOURCE | typeof GRAPH_RESOURCE;
export const API_RESOURCES: readonly ApiResource[] = [DEFENDER_RESOURCE, GRAPH_RESOURCE];

/** Application permissions of the Defender XDR API (Microsoft Threat Protection). */
export const DEFENDER_PERMISSIONS = ["Incident.Read.All", "Incident.ReadWrite.All"] as const;
/** Application permissions of Microsoft Graph's security API. */
export const GRAPH_PERMISSIONS = [
  "SecurityIncident.Read.All",
  "SecurityIncident.ReadWrite.All",
  "SecurityAlert.Read.All",
  "SecurityAlert.ReadWrite.All",
] as const;
export const APP_PERMISSIONS = [...DEFENDER_PERMISSIONS, ...GRAPH_PERMISSIONS] as const;
export type AppPermission = (typeof APP_PERMISSIONS)[number];

/** What the app registration lists by default (admin consent grants all of it, for every API). */
export const DEFAULT_REQUESTED_PERMISSIONS: AppPermission[] = [
  "Incident.Read.All",
  "Incident.ReadWrite.All",
  "SecurityIncident.Read.All",
  "SecurityIncident.ReadWrite.All",
  "SecurityAlert.Read.All",
];

/** The API a permission belongs to. */
export function permissionResource(permission: AppPermission): ApiResource {
  return (DEFENDER_PERMISSIONS as readonly string[]).includes(permission) ? DEFENDER_RESOURCE : GRAPH_RESOURCE;
}

/** The permissions among `permissions` that belong to `resource` (order kept): a token's `roles`. */
export function permissionsOf(resource: ApiResource, permissions: readonly AppPermission[]): AppPermission[] {
  return permissions.filter((p) => permissionResource(p) === resource);
}

/**
 * The API a client-credentials scope names (`{resource}/.default`, Graph also by its app id),
 * or null when the emulator serves no such API. Case-insensitive, like Entra ID.
 */
export function resourceOfScope(scope: string): ApiResource | null {
  const lower = scope.toLowerCase();
  if (lower === `${DEFENDER_RESOURCE}/.default`) return DEFENDER_RESOURCE;
  if (lower === `${GRAPH_RESOURCE}/.default` || lower === `${GRAPH_APP_ID}/.default`) return GRAPH_RESOURCE;
  return null;
}

export const PORTAL_ROLES = ["Portal.Admin", "Portal.Analyst", "Portal.Reader"] as const;
export type PortalRole = (typeof PORTAL_ROLES)[number];

export type DirectoryUser = {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  jobTitle: string;
  isGlobalAdmin: boolean;
  /** App roles of the MSSP portal app assigned to this user (only meaningful in the MSSP tenant). */
  appRoles: PortalRole[];
};

export type DirectoryTenant = {
  id: string;
  displayName: string;
  /** Verified domains; the first is the initial `*.onmicrosoft.com` domain. */
  domains: string[];
  kind: "mssp" | "customer";
  users: DirectoryUser[];
};

export type ClientSecret = { id: string; hint: string; value: string; expiresAt: string };

export type AppRegistration = {
  clientId: string;
  displayName: string;
  publisherName: string;
  homeTenantId: string;
  secrets: ClientSecret[];
  /** Extra redirect URIs registered on the app (besides the built-in localhost patterns). */
  extraRedirectUris: string[];
};

export type Directory = {
  mssp: DirectoryTenant;
  customers: DirectoryTenant[];
  app: AppRegistration;
};

/** What Microsoft would answer when the app has no service principal in a tenant. */
export type MissingServicePrincipalForm = "7000229" | "700016";

/** The mutable, per-tenant consent and health state (persisted). */
export type TenantRuntimeState = {
  servicePrincipalId: string | null;
  /** Granted application permissions of every API; each token carries only its own API's share. */
  grantedPermissions: AppPermission[];
  /** When consent was last granted; tokens during the propagation window lack roles. */
  consentedAtMs: number | null;
  /** When set, consent in this tenant grants at most these permissions (an admin who grants fewer). */
  grantLimit: AppPermission[] | null;
  disabled: boolean;
  blocked: boolean;
  notFound: boolean;
  missingServicePrincipalForm: MissingServicePrincipalForm;
};

// ---- Defender XDR records (field names exactly as the API returns them) ----

export type IncidentComment = { comment: string; createdBy: string; createdTime: string };

/** Entities are open-ended: every type carries different fields and new types appear. */
export type AlertEntity = { entityType: string } & Record<string, unknown>;

export type AlertDevice = Record<string, unknown> & { mdatpDeviceId: string };

export type Alert = {
  alertId: string;
  incidentId: number;
  serviceSource: string;
  creationTime: string;
  lastUpdatedTime: string;
  resolvedTime: string | null;
  firstActivity: string;
  lastActivity: string;
  title: string;
  description: string | null;
  category: string;
  status: string;
  severity: string;
  investigationId: number | null;
  investigationState: string;
  classification: string | null;
  determination: string | null;
  detectionSource: string;
  assignedTo: string | null;
  actorName: string | null;
  threatFamilyName: string | null;
  mitreTechniques: string[];
  devices: AlertDevice[];
  entities: AlertEntity[];
};

/**
 * Incident fields only Microsoft Graph shows (the Defender XDR API has no such fields). Stored with the
 * incident so both views agree and changes persist; the Defender view leaves them out.
 */
export type GraphIncidentExtras = {
  systemTags: string[];
  description: string | null;
  summary: string | null;
  resolvingComment: string | null;
  /** The last updater: a person's UPN, or the app's display name after a change through an API. */
  lastModifiedBy: string | null;
};

export const GRAPH_EXTRA_FIELDS = [
  "systemTags",
  "description",
  "summary",
  "resolvingComment",
  "lastModifiedBy",
] as const satisfies readonly (keyof GraphIncidentExtras)[];

export type Incident = {
  incidentId: number;
  incidentUri: string;
  redirectIncidentId: number | null;
  incidentName: string;
  createdTime: string;
  lastUpdateTime: string;
  assignedTo: string | null;
  classification: string;
  determination: string;
  detectionSource: string;
  status: string;
  severity: string;
  tags: string[];
  comments: IncidentComment[];
  alerts: Alert[];
  /** Graph-only fields (absent on records persisted before they existed: Graph then shows defaults). */
  graph?: GraphIncidentExtras;
};
