// Reading tenants for pages and the other domains; every write is in tenant-lifecycle.ts.
import "server-only";
import { UserFacingError } from "../../lib/errors";
import { isGuid } from "../../lib/ids";
import { getConfig, getDb } from "../services";
import { sourceForTenant } from "../incidents/incident-api";
import type { IncidentSource } from "../microsoft/source-incident";
import { canUpdateIncidents, DEFENDER_API_RETIREMENT, TENANT_STATUS_LABEL, TENANT_STATUS_ORDER, type RequiredAccess, type TenantStatus } from "./tenant-status";
import { TENANTS_PAGE_SIZE, type TenantListFilters } from "./tenant-list-filters";

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
  const rank = (status: TenantStatus) => TENANT_STATUS_ORDER.indexOf(status);
  return rows.map(toRow).sort((a, b) => rank(a.status) - rank(b.status));
}

export type TenantListPage = {
  rows: TenantRow[];
  /** Tenants matching the filters, and all tenants. */
  matching: number;
  total: number;
  /** Every tenant by status (whatever the filters), for the page's health line. */
  byStatus: Record<TenantStatus, number>;
  page: number;
  pageCount: number;
};

/** Still on the retiring Defender XDR API, or unable to read at all until the customer consents to Graph. */
export function onOldApi(tenant: Pick<TenantRow, "source" | "status">): boolean {
  return tenant.source === "defender" || tenant.status === "graph_consent_needed";
}

/**
 * One page of the Tenants page: problems first, then by name (listTenants' order), narrowed by
 * status, name, id or verified domain, and the Defender XDR API view. A page past the end shows the last.
 */
export async function listTenantPage(filters: TenantListFilters): Promise<TenantListPage> {
  const all = await listTenants();
  const byStatus = Object.fromEntries(Object.keys(TENANT_STATUS_LABEL).map((status) => [status, 0])) as Record<TenantStatus, number>;
  for (const tenant of all) byStatus[tenant.status] += 1;
  const needle = filters.q?.toLocaleLowerCase();
  const matching = all.filter(
    (t) =>
      (!filters.status || t.status === filters.status) &&
      (!filters.source || onOldApi(t)) &&
      (!needle || t.displayName.toLocaleLowerCase().includes(needle) || t.id.includes(needle) || (t.verifiedDomain ?? "").toLocaleLowerCase().includes(needle)),
  );
  const pageCount = Math.max(1, Math.ceil(matching.length / TENANTS_PAGE_SIZE));
  const page = Math.min(filters.page ?? 1, pageCount);
  return {
    rows: matching.slice((page - 1) * TENANTS_PAGE_SIZE, page * TENANTS_PAGE_SIZE),
    matching: matching.length,
    total: all.length,
    byStatus,
    page,
    pageCount,
  };
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
