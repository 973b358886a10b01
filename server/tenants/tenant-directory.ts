// Reading tenants for pages and the other domains; every write is in tenant-lifecycle.ts.
import "server-only";
import { UserFacingError } from "../../lib/errors";
import { isGuid } from "../../lib/ids";
import { getConfig, getDb } from "../services";
import { sourceForTenant } from "../incidents/incident-api";
import type { IncidentSource } from "../microsoft/source-incident";
import { canUpdateIncidents, DEFENDER_API_RETIREMENT, type RequiredAccess, type TenantStatus } from "./tenant-status";

export type TenantRow = {
  id: string;
  displayName: string;
  status: TenantStatus;
  requiredAccess: RequiredAccess;
  grantedRoles: string[];
  /** Defender XDR API roles (tenants that consented before the portal used Graph). */
  legacyRoles: string[];
  /** The API the tenant's incidents come from now, or null when none can reach them. */
  source: IncidentSource | null;
  canUpdate: boolean;
  onboardedAt: Date;
  onboardedByName: string | null;
  lastVerifiedAt: Date | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  lastErrorAt: Date | null;
  statusChangedAt: Date;
  offboardedAt: Date | null;
  offboardedByName: string | null;
  consentedByName: string | null;
  consentedByUpn: string | null;
  consentedByOid: string | null;
  verifiedDomain: string | null;
  confirmedAt: Date | null;
  confirmedByName: string | null;
};

const TENANT_SELECT = {
  id: true,
  displayName: true,
  status: true,
  requiredAccess: true,
  grantedRoles: true,
  legacyRoles: true,
  incidentSource: true,
  onboardedAt: true,
  onboardedByName: true,
  lastVerifiedAt: true,
  lastErrorCode: true,
  lastErrorMessage: true,
  lastErrorAt: true,
  statusChangedAt: true,
  offboardedAt: true,
  offboardedByName: true,
  consentedByName: true,
  consentedByUpn: true,
  consentedByOid: true,
  verifiedDomain: true,
  confirmedAt: true,
  confirmedByName: true,
} as const;

function toRow<T extends { grantedRoles: string[]; legacyRoles: string[]; incidentSource: IncidentSource }>(
  row: T,
): Omit<T, "incidentSource"> & { canUpdate: boolean; source: IncidentSource | null } {
  const { incidentSource, ...rest } = row;
  const source = sourceForTenant({ incidentSource });
  const canUpdate = source !== null && canUpdateIncidents(source === "graph" ? row.grantedRoles : row.legacyRoles, source);
  return { ...rest, canUpdate, source };
}

/** Every customer tenant, problems first, then by name; offboarded ones last. */
export async function listTenants({ includeOffboarded = true }: { includeOffboarded?: boolean } = {}): Promise<TenantRow[]> {
  const db = await getDb();
  const rows = await db.tenant.findMany({
    where: includeOffboarded ? {} : { status: { not: "offboarded" } },
    select: TENANT_SELECT,
    orderBy: { displayName: "asc" },
  });
  const order: Record<string, number> = {
    pending_confirmation: 0,
    unreachable: 1,
    consent_revoked: 2,
    permission_missing: 3,
    graph_consent_needed: 4,
    active: 5,
    offboarded: 6,
  };
  return rows.map(toRow).sort((a, b) => (order[a.status] ?? 9) - (order[b.status] ?? 9));
}

export async function getTenant({ tenantId }: { tenantId: string }): Promise<TenantRow | null> {
  if (!isGuid(tenantId)) return null;
  const db = await getDb();
  const row = await db.tenant.findUnique({ where: { id: tenantId.toLowerCase() }, select: TENANT_SELECT });
  return row ? toRow(row) : null;
}

export class TenantNotFound extends UserFacingError {
  constructor() {
    super("That tenant is not onboarded.", "TenantNotFound");
  }
}

export class TenantOffboarded extends UserFacingError {
  constructor() {
    super("That tenant is offboarded: the portal makes no calls to it. Send a new consent link to onboard it again.", "TenantOffboarded");
  }
}

export type IncidentSourceSummary = {
  /** The portal's configured source: "defender" is the legacy mode. */
  mode: IncidentSource;
  /** Tenants (not offboarded) that still read through the Defender XDR API, or cannot read at all without re-consent. */
  onOldApi: number;
  retirement: Date;
};

/** How far the move to Microsoft Graph has come, for the banner and the Tenants page. */
export async function getIncidentSourceSummary(): Promise<IncidentSourceSummary> {
  const mode = getConfig().incidentSource;
  const db = await getDb();
  const onOldApi =
    mode === "defender"
      ? await db.tenant.count({ where: { status: { not: "offboarded" } } })
      : await db.tenant.count({ where: { status: { not: "offboarded" }, incidentSource: "defender" } });
  return { mode, onOldApi, retirement: DEFENDER_API_RETIREMENT };
}
