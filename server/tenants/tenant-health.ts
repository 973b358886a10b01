import "server-only";
import { getDb } from "../db";
import { logger } from "../logger";
import { recordAuditEvent } from "../audit/audit-event";
import { TOKEN_FAILURE_MESSAGE, type TenantTokenError } from "../microsoft/token-errors";
import { rolesCover, statusForTokenFailure, type RequiredAccess, type TenantStatus } from "./tenant-status";

const REVERIFY_AFTER_MS = 6 * 60 * 60_000;

async function changeStatus(tenantId: string, next: TenantStatus, data: Record<string, unknown>, reason: string): Promise<void> {
  const db = await getDb();
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { status: true } });
  if (!tenant || tenant.status === "offboarded") return; // offboarded tenants are never touched again
  const changed = tenant.status !== next;
  await db.tenant.update({
    where: { id: tenantId },
    data: { ...data, status: next, ...(changed ? { statusChangedAt: new Date() } : {}) },
  });
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
}

/** A token for the tenant was issued: its roles decide between Active and Permission missing. */
export async function reportTenantTokenSuccess(input: { tenantId: string; roles: string[]; requiredAccess: RequiredAccess }): Promise<TenantStatus> {
  const next: TenantStatus = rolesCover(input.roles, input.requiredAccess) ? "active" : "permission_missing";
  const now = new Date();
  await changeStatus(
    input.tenantId,
    next,
    {
      grantedRoles: input.roles,
      lastVerifiedAt: now,
      nextVerifyAt: new Date(now.getTime() + REVERIFY_AFTER_MS),
      ...(next === "active" ? { lastErrorCode: null, lastErrorMessage: null, lastErrorAt: null } : { lastErrorCode: "roles", lastErrorMessage: "The token holds none of the permissions the portal needs.", lastErrorAt: now }),
    },
    next === "active" ? "token verified" : "token without the required roles",
  );
  return next;
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
    await db.tenant.updateMany({ where: { id: tenantId, status: { not: "offboarded" } }, data });
  }
  logger().warn({ event: "tenant.token_failed", tenantId, kind: error.kind, aadsts: error.aadstsCode }, "token request failed");
}

/** The Defender API refused a token that was issued (401/403): the app-role grant was removed. */
export async function reportTenantApiForbidden(input: { tenantId: string; status: number }): Promise<void> {
  await changeStatus(
    input.tenantId,
    "permission_missing",
    { lastErrorCode: `HTTP ${input.status}`, lastErrorMessage: "The Defender API refused the portal's token: the permissions were removed in the customer's tenant.", lastErrorAt: new Date() },
    `Defender API answered ${input.status}`,
  );
}
