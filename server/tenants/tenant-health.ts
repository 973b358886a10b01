import "server-only";
import { getDb } from "../db";
import { logger } from "../logger";
import { recordAuditEvent } from "../audit/audit-event";
import { API_LABEL, type MicrosoftApi } from "../microsoft/api-errors";
import { TOKEN_FAILURE_MESSAGE, type TenantTokenError } from "../microsoft/token-errors";
import type { AccessCheck } from "./tenant-access";
import { HELD_STATUSES, permissionsNeeded, statusForTokenFailure, type RequiredAccess, type TenantStatus } from "./tenant-status";

const REVERIFY_AFTER_MS = 6 * 60 * 60_000;

/** Returns the status the tenant has afterwards (a held or concurrently changed one stays as it is). */
async function changeStatus(tenantId: string, next: TenantStatus, data: Record<string, unknown>, reason: string): Promise<TenantStatus | null> {
  const db = await getDb();
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { status: true } });
  // Offboarded tenants are never touched again; a pending one waits for a person's confirmation.
  if (!tenant || HELD_STATUSES.includes(tenant.status as TenantStatus)) return (tenant?.status as TenantStatus | undefined) ?? null;
  const changed = tenant.status !== next;
  // Conditional on the status just read: a concurrent offboarding (or another health update) wins.
  const written = await db.tenant.updateMany({
    where: { id: tenantId, status: tenant.status },
    data: { ...data, status: next, ...(changed ? { statusChangedAt: new Date() } : {}) },
  });
  if (written.count !== 1) return ((await db.tenant.findUnique({ where: { id: tenantId }, select: { status: true } }))?.status as TenantStatus | undefined) ?? null;
  if (changed) {
    await recordAuditEvent({
      actor: { type: "system", name: "health check" },
      action: "tenant.status_changed",
      outcome: next === "active" ? "success" : "failure",
      tenantId,
      reason: `${tenant.status} → ${next}: ${reason}`,
    });
    logger().info({ event: "tenant.status_changed", tenantId, from: tenant.status, to: next }, "tenant status changed");
  }
  return next;
}

/** Tokens for the tenant were issued: their roles decide the status and the API it is read through. */
export async function reportTenantAccess(input: { tenantId: string; check: AccessCheck; requiredAccess: RequiredAccess }): Promise<TenantStatus> {
  const { check } = input;
  const next: TenantStatus = check.status;
  const now = new Date();
  const missing = `The tokens hold none of the permissions the portal needs (${permissionsNeeded(input.requiredAccess).join(", ")}).`;
  const after = await changeStatus(
    input.tenantId,
    next,
    {
      grantedRoles: check.graphRoles,
      legacyRoles: check.legacyRoles,
      incidentSource: check.source,
      lastVerifiedAt: now,
      nextVerifyAt: new Date(now.getTime() + REVERIFY_AFTER_MS),
      ...(next === "permission_missing" ? { lastErrorCode: "roles", lastErrorMessage: missing, lastErrorAt: now } : { lastErrorCode: null, lastErrorMessage: null, lastErrorAt: null }),
    },
    next === "active" ? `token verified (${check.source === "graph" ? "Microsoft Graph" : "Defender API"})` : next === "graph_consent_needed" ? "Defender API roles only; Microsoft Graph not consented" : "token without the required roles",
  );
  return after ?? next;
}

/** A token request for the tenant failed: record it in words, and change status when the code says so. */
export async function reportTenantTokenFailure(input: { tenantId: string; error: TenantTokenError }): Promise<void> {
  const { error, tenantId } = input;
  const now = new Date();
  const data = {
    lastErrorCode: error.aadstsCode ? `AADSTS${error.aadstsCode}` : error.kind,
    lastErrorMessage: TOKEN_FAILURE_MESSAGE[error.kind],
    lastErrorAt: now,
    // Retry sooner when the cause may be passing.
    nextVerifyAt: new Date(now.getTime() + (error.kind === "transient" || error.kind === "unknown" ? 5 * 60_000 : 60 * 60_000)),
  };
  const next = statusForTokenFailure(error.kind);
  if (next) {
    await changeStatus(tenantId, next, data, data.lastErrorCode);
  } else {
    const db = await getDb();
    await db.tenant.updateMany({ where: { id: tenantId, status: { notIn: [...HELD_STATUSES] } }, data });
  }
  logger().warn({ event: "tenant.token_failed", tenantId, kind: error.kind, aadsts: error.aadstsCode }, "token request failed");
}

/** Microsoft's API refused a token that was issued (401/403): the app-role grant was removed. */
export async function reportTenantApiForbidden(input: { tenantId: string; status: number; api: MicrosoftApi }): Promise<void> {
  await changeStatus(
    input.tenantId,
    "permission_missing",
    { lastErrorCode: `HTTP ${input.status}`, lastErrorMessage: `${API_LABEL[input.api]} refused the portal's token: the permissions were removed in the customer's tenant.`, lastErrorAt: new Date() },
    `${API_LABEL[input.api]} answered ${input.status}`,
  );
}
