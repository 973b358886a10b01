import "server-only";
import { z } from "zod";
import { UserFacingError } from "../../lib/errors";
import { isGuid } from "../config-schema";
import { getDb } from "../db";
import { logger } from "../logger";
import { recordAuditEvent, type AuditActor } from "../audit/audit-event";
import { getTokenBroker } from "../microsoft/app-token-broker";
import { isTenantTokenError } from "../microsoft/token-errors";
import type { StaffSession } from "../auth/staff-session";
import { checkTenantAccess } from "./tenant-access";
import { reportTenantAccess, reportTenantTokenFailure } from "./tenant-health";
import { sourceForTenant } from "../incidents/incident-api";
import type { IncidentSource } from "../microsoft/source-incident";
import { getConfig } from "../config";
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

function toRow<T extends { status: string; requiredAccess: string; grantedRoles: string[]; legacyRoles: string[]; incidentSource: string }>(
  row: T,
): Omit<T, "incidentSource"> & { status: TenantStatus; requiredAccess: RequiredAccess; canUpdate: boolean; source: IncidentSource | null } {
  const { incidentSource, ...rest } = row;
  const source = sourceForTenant({ incidentSource });
  const canUpdate = source !== null && canUpdateIncidents(source === "graph" ? row.grantedRoles : row.legacyRoles, source);
  return { ...rest, status: row.status as TenantStatus, requiredAccess: row.requiredAccess as RequiredAccess, canUpdate, source };
}

/** Every customer tenant, problems first, then by name; offboarded ones last. */
export async function listTenants({ includeOffboarded = true }: { includeOffboarded?: boolean } = {}): Promise<TenantRow[]> {
  const db = await getDb();
  const rows = await db.tenant.findMany({
    where: includeOffboarded ? {} : { status: { not: "offboarded" } },
    select: TENANT_SELECT,
    orderBy: { displayName: "asc" },
  });
  const order: Record<string, number> = { pending_confirmation: 0, unreachable: 1, consent_revoked: 2, permission_missing: 3, graph_consent_needed: 4, active: 5, offboarded: 6 };
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

export type VerificationResult = {
  status: TenantStatus;
  /** Words for staff when the check itself failed (the status may then be unchanged). */
  problem: string | null;
};

/** Asks Microsoft for a fresh token now and updates the tenant's health from the answer. */
export async function verifyTenant({ tenantId, actor, ipAddress }: { tenantId: string; actor: AuditActor; ipAddress?: string | null }): Promise<VerificationResult> {
  const tenant = await getTenant({ tenantId });
  if (!tenant) throw new TenantNotFound();
  if (tenant.status === "offboarded") throw new TenantOffboarded();
  let status: TenantStatus;
  let detail: string;
  let problem: string | null = null;
  try {
    const check = await checkTenantAccess({ tenantId: tenant.id, access: tenant.requiredAccess });
    const sameTenant = check.tokenTenantId === tenant.id;
    status = await reportTenantAccess({
      tenantId: tenant.id,
      check: sameTenant ? check : { ...check, status: "permission_missing", graphRoles: [], legacyRoles: [] },
      requiredAccess: tenant.requiredAccess,
    });
    detail = `${check.source === "graph" ? "Graph" : "Defender API"} roles ${(check.source === "graph" ? check.graphRoles : check.legacyRoles).join(", ") || "none"}`;
  } catch (error) {
    if (!isTenantTokenError(error)) throw error;
    await reportTenantTokenFailure({ tenantId: tenant.id, error });
    status = (await getTenant({ tenantId }))?.status ?? tenant.status;
    detail = error.aadstsCode ? `AADSTS${error.aadstsCode}` : error.kind;
    problem = error.message;
  }
  await recordAuditEvent({ actor, action: "tenant.verified", outcome: status === "active" && !problem ? "success" : "failure", tenantId: tenant.id, reason: `${status}: ${detail}`, ipAddress });
  return { status, problem };
}

export class TenantNotPending extends UserFacingError {
  constructor() {
    super("Only a tenant waiting for confirmation can be confirmed.", "TenantNotPending");
  }
}

/**
 * A Portal.Admin confirms a customer that consented through a link naming no tenant: from then on
 * it is verified and synced like any other. Conditional, so two admins cannot both confirm.
 */
export async function confirmPendingTenant({ staff, tenantId, ipAddress }: { staff: StaffSession; tenantId: string; ipAddress?: string | null }): Promise<void> {
  const tenant = await getTenant({ tenantId });
  if (!tenant) throw new TenantNotFound();
  const db = await getDb();
  const now = new Date();
  // Active for now; the verification that follows at once sets the status the tokens say.
  const changed = await db.tenant.updateMany({
    where: { id: tenant.id, status: "pending_confirmation" },
    data: { status: "active", statusChangedAt: now, confirmedAt: now, confirmedByName: staff.name, nextVerifyAt: now },
  });
  if (changed.count !== 1) throw new TenantNotPending();
  await recordAuditEvent({
    actor: { type: "staff", id: staff.oid, name: staff.name },
    action: "tenant.confirmed",
    outcome: "success",
    tenantId: tenant.id,
    reason: `${tenant.displayName}: consented by ${tenant.consentedByName ?? "?"} (${tenant.consentedByUpn ?? "?"}), domain ${tenant.verifiedDomain ?? "?"}`,
    ipAddress,
  });
  await verifyTenant({ tenantId: tenant.id, actor: { type: "staff", id: staff.oid, name: staff.name }, ipAddress });
}

export const offboardInputSchema = z.object({
  tenantId: z.string().refine(isGuid, "Unknown tenant"),
  dataChoice: z.enum(["keep", "delete"], { error: "Choose whether to keep or delete the stored incidents" }),
  confirmName: z.string().trim(),
});

/**
 * Stops every call to the tenant (sync and health skip offboarded tenants) and keeps or deletes
 * its stored incidents. The customer removes our enterprise app on their side.
 */
export async function offboardTenant({ staff, input, ipAddress }: { staff: StaffSession; input: z.infer<typeof offboardInputSchema>; ipAddress?: string | null }): Promise<{ deletedIncidents: number }> {
  const tenant = await getTenant({ tenantId: input.tenantId });
  if (!tenant) throw new TenantNotFound();
  if (input.confirmName !== tenant.displayName) {
    throw new UserFacingError(`Type the tenant's name exactly (${tenant.displayName}) to confirm.`, "OffboardNameMismatch");
  }
  const db = await getDb();
  const deletedIncidents = await db.$transaction(async (tx) => {
    await tx.tenant.update({ where: { id: tenant.id }, data: { status: "offboarded", statusChangedAt: new Date(), offboardedAt: new Date(), offboardedByName: staff.name, nextVerifyAt: null } });
    // A pass running now (here or in another process) loses its lease: it stores nothing more and
    // makes no further call to Microsoft for this tenant.
    await tx.tenantSyncState.updateMany({ where: { tenantId: tenant.id }, data: { leaseOwner: null, leaseExpiresAt: null, running: false, passSource: null, passStartedFrom: null, passNextLink: null } });
    await tx.consentInvitation.updateMany({ where: { OR: [{ tenantId: tenant.id }, { expectedTenant: tenant.id }], status: "waiting" }, data: { status: "revoked", revokedAt: new Date(), revokedByName: staff.name } });
    if (input.dataChoice !== "delete") return 0;
    await tx.incidentEntity.deleteMany({ where: { tenantId: tenant.id } });
    const removed = await tx.incident.deleteMany({ where: { tenantId: tenant.id } });
    await tx.tenantSyncState.deleteMany({ where: { tenantId: tenant.id } });
    await tx.syncIssue.deleteMany({ where: { tenantId: tenant.id } });
    return removed.count;
  });
  getTokenBroker().forget(tenant.id);
  await recordAuditEvent({
    actor: { type: "staff", id: staff.oid, name: staff.name },
    action: "tenant.offboarded",
    outcome: "success",
    tenantId: tenant.id,
    reason: input.dataChoice === "delete" ? `stored data deleted (${deletedIncidents} incidents)` : "stored data kept",
    ipAddress,
  });
  logger().info({ event: "tenant.offboarded", tenantId: tenant.id, deleted: deletedIncidents }, "tenant offboarded");
  return { deletedIncidents };
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
  const onOldApi = mode === "defender" ? await db.tenant.count({ where: { status: { not: "offboarded" } } }) : await db.tenant.count({ where: { status: { not: "offboarded" }, incidentSource: "defender" } });
  return { mode, onOldApi, retirement: DEFENDER_API_RETIREMENT };
}
