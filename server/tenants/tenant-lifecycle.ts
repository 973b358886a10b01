// One home for a tenant's lifecycle: every write to a tenant row goes through here. Consent is
// recorded (onboarding, re-consent), health reports change the status (tokens issued, refused,
// roles removed), a person verifies, confirms or offboards, and the next re-verification is
// scheduled. Held statuses (pending confirmation, offboarded) are only left through a person's
// action here; health reports never touch them.
import "server-only";
import { z } from "zod";
import type { Prisma } from "../../prisma/generated/client/client";
import { UserFacingError } from "../../lib/errors";
import { isGuid } from "../../lib/ids";
import { getDb, getTokenBroker, logger } from "../services";
import { recordAuditEvent, type AuditActor } from "../audit/audit-event";
import { API_LABEL, type MicrosoftApi } from "../microsoft/api-errors";
import { isTenantTokenError, TOKEN_FAILURE_MESSAGE, type TenantTokenError, type TokenFailureKind } from "../microsoft/token-errors";
import type { StaffSession } from "../auth/staff-session";
import { checkTenantAccess, type AccessCheck } from "./tenant-access";
import { getTenant, TenantNotFound, TenantOffboarded } from "./tenant-directory";
import { HELD_STATUSES, permissionsNeeded, statusForTokenFailure, type RequiredAccess, type TenantStatus } from "./tenant-status";
import { removeTenantIndicators } from "../indicators/indicator-store";

/** A tenant whose tokens were fine is checked again this long after. */
export const REVERIFY_AFTER_MS = 6 * 60 * 60_000;

/** After a failed token request: sooner when the cause may be passing. */
function retryAfterFailureMs(kind: TokenFailureKind): number {
  return kind === "transient" || kind === "unknown" ? 5 * 60_000 : 60 * 60_000;
}

/** When a tenant verified at `at` is due again. */
export function nextVerification(at: Date): Date {
  return new Date(at.getTime() + REVERIFY_AFTER_MS);
}

/** Who consented, as proven by their sign-in (consent-flow.ts). */
export type ConsentedBy = { consentedByName: string | null; consentedByUpn: string | null; consentedByOid: string | null; verifiedDomain: string | null };

/** What recording a consent did (see recordConsentedTenant). */
export type ConsentRecorded =
  | { kind: "recorded"; reconsent: boolean; pending: boolean }
  /** The tenant is known (or was created meanwhile by another consent) and the link did not name it. */
  | { kind: "known" };

/**
 * Records a verified consent inside the caller's transaction (the invitation is marked used in the
 * same one): a new tenant is created, a known one (re-consent, or onboarding again after
 * offboarding) takes the new status, roles and consenting admin, but only through a link that named
 * it. A tenant consented through a link naming no tenant waits for a person's confirmation and is
 * neither verified nor synced before; a later consent never writes over that waiting status.
 *
 * Safe against concurrent consents for the same tenant without a lock: a new tenant is inserted
 * with ON CONFLICT DO NOTHING (a second insert waits for the first to commit, then finds the row
 * known), and a known one is changed only while it still has the status just read.
 */
export async function recordConsentedTenant(
  tx: Prisma.TransactionClient,
  input: {
    tenantId: string;
    displayName: string;
    requiredAccess: RequiredAccess;
    check: AccessCheck;
    consentedBy: ConsentedBy;
    onboardedBy: { id: string; name: string | null };
    /** The invitation named this tenant: it may change a tenant the portal already knows. */
    tenantNamed: boolean;
    at: Date;
  },
): Promise<ConsentRecorded> {
  const { check, at } = input;
  const roles = { grantedRoles: check.graphRoles, legacyRoles: check.legacyRoles, incidentSource: check.source };
  for (let tries = 0; ; tries++) {
    const existing = await tx.tenant.findUnique({ where: { id: input.tenantId }, select: { status: true } });
    // Only a link made for this tenant may touch a tenant the portal already knows (active, waiting
    // or offboarded): a link for "any tenant" cannot re-activate or re-bind another customer.
    if (existing && !input.tenantNamed) return { kind: "known" };
    if (!existing) {
      const pending = !input.tenantNamed;
      const created = await tx.tenant.createMany({
        data: [
          {
            id: input.tenantId,
            displayName: input.displayName,
            requiredAccess: input.requiredAccess,
            status: pending ? "pending_confirmation" : check.status,
            ...roles,
            ...input.consentedBy,
            onboardedById: input.onboardedBy.id,
            onboardedByName: input.onboardedBy.name,
            lastVerifiedAt: at,
            nextVerifyAt: pending ? null : nextVerification(at),
          },
        ],
        skipDuplicates: true,
      });
      if (created.count === 1) return { kind: "recorded", reconsent: false, pending };
    } else {
      // A tenant waiting for confirmation keeps waiting: only a Portal.Admin's confirmation ends it.
      const pending = existing.status === "pending_confirmation";
      const updated = await tx.tenant.updateMany({
        where: { id: input.tenantId, status: existing.status },
        data: {
          ...input.consentedBy,
          requiredAccess: input.requiredAccess,
          ...(pending ? {} : { status: check.status, statusChangedAt: at, nextVerifyAt: nextVerification(at) }),
          ...roles,
          lastVerifiedAt: at,
          lastErrorCode: null,
          lastErrorMessage: null,
          lastErrorAt: null,
          offboardedAt: null,
          offboardedByName: null,
          ...(existing.status === "offboarded" ? { onboardedAt: at, onboardedById: input.onboardedBy.id, onboardedByName: input.onboardedBy.name } : {}),
        },
      });
      if (updated.count === 1) {
        // A fresh consent is a fresh start for the sync too: due at once, its failures (and their
        // backoff, hours after a revoked consent) forgotten. A tenant onboarded again after
        // offboarding with its data kept continues from its stored cursor; one whose data was
        // deleted backfills.
        if (!pending) {
          await tx.tenantSyncState.updateMany({
            where: { tenantId: input.tenantId },
            data: { nextRunAt: at, consecutiveFailures: 0, lastErrorCode: null, lastErrorMessage: null, lastErrorAt: null },
          });
        }
        return { kind: "recorded", reconsent: true, pending };
      }
    }
    // Created or changed by someone else between the read and the write: read it again.
    if (tries >= 3) throw new Error(`tenant ${input.tenantId} kept changing while a consent was recorded`);
  }
}

/** Returns the status the tenant has afterwards (a held or concurrently changed one stays as it is). */
async function changeStatus(tenantId: string, next: TenantStatus, data: Record<string, unknown>, reason: string): Promise<TenantStatus | null> {
  const db = await getDb();
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { status: true } });
  // Offboarded tenants are never touched again; a pending one waits for a person's confirmation.
  if (!tenant || HELD_STATUSES.includes(tenant.status)) return tenant?.status ?? null;
  const changed = tenant.status !== next;
  // Conditional on the status just read: a concurrent offboarding (or another health update) wins.
  const written = await db.tenant.updateMany({
    where: { id: tenantId, status: tenant.status },
    data: { ...data, status: next, ...(changed ? { statusChangedAt: new Date() } : {}) },
  });
  if (written.count !== 1) return (await db.tenant.findUnique({ where: { id: tenantId }, select: { status: true } }))?.status ?? null;
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
      nextVerifyAt: nextVerification(now),
      ...(next === "permission_missing"
        ? { lastErrorCode: "roles", lastErrorMessage: missing, lastErrorAt: now }
        : { lastErrorCode: null, lastErrorMessage: null, lastErrorAt: null }),
    },
    next === "active"
      ? `token verified (${check.source === "graph" ? "Microsoft Graph" : "Defender API"})`
      : next === "graph_consent_needed"
        ? "Defender API roles only; Microsoft Graph not consented"
        : "token without the required roles",
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
    nextVerifyAt: new Date(now.getTime() + retryAfterFailureMs(error.kind)),
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

/**
 * Microsoft's API refused a token that was issued (401/403): an app-role grant was removed. Fresh
 * tokens then say what is left, like a verification: a tenant whose Defender API roles still
 * cover it (it consented before the portal asked for Graph) needs re-consent for Graph, not a new
 * consent; otherwise its permissions are missing.
 */
export async function reportTenantApiForbidden(input: { tenantId: string; status: number; api: MicrosoftApi }): Promise<void> {
  const db = await getDb();
  const tenant = await db.tenant.findUnique({ where: { id: input.tenantId }, select: { status: true, requiredAccess: true } });
  if (!tenant || HELD_STATUSES.includes(tenant.status)) return;
  let check: AccessCheck;
  try {
    check = await checkTenantAccess({ tenantId: input.tenantId, access: tenant.requiredAccess });
  } catch (error) {
    if (!isTenantTokenError(error)) throw error;
    await reportTenantTokenFailure({ tenantId: input.tenantId, error });
    return;
  }
  if (check.tokenTenantId === input.tenantId && check.status === "graph_consent_needed") {
    await reportTenantAccess({ tenantId: input.tenantId, check, requiredAccess: tenant.requiredAccess });
    return;
  }
  await changeStatus(
    input.tenantId,
    "permission_missing",
    {
      lastErrorCode: `HTTP ${input.status}`,
      lastErrorMessage: `${API_LABEL[input.api]} refused the portal's token: the permissions were removed in the customer's tenant.`,
      lastErrorAt: new Date(),
    },
    `${API_LABEL[input.api]} answered ${input.status}`,
  );
}

export type VerificationResult = {
  status: TenantStatus;
  /** Words for staff when the check itself failed (the status may then be unchanged). */
  problem: string | null;
};

/** Asks Microsoft for a fresh token now and updates the tenant's health from the answer. */
export async function verifyTenant({
  tenantId,
  actor,
  ipAddress,
}: {
  tenantId: string;
  actor: AuditActor;
  ipAddress?: string | null;
}): Promise<VerificationResult> {
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
  await recordAuditEvent({
    actor,
    action: "tenant.verified",
    outcome: status === "active" && !problem ? "success" : "failure",
    tenantId: tenant.id,
    reason: `${status}: ${detail}`,
    ipAddress,
  });
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
export async function confirmPendingTenant({
  staff,
  tenantId,
  ipAddress,
}: {
  staff: StaffSession;
  tenantId: string;
  ipAddress?: string | null;
}): Promise<void> {
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
export async function offboardTenant({
  staff,
  input,
  ipAddress,
}: {
  staff: StaffSession;
  input: z.infer<typeof offboardInputSchema>;
  ipAddress?: string | null;
}): Promise<{ deletedIncidents: number }> {
  const tenant = await getTenant({ tenantId: input.tenantId });
  if (!tenant) throw new TenantNotFound();
  if (input.confirmName !== tenant.displayName) {
    throw new UserFacingError(`Type the tenant's name exactly (${tenant.displayName}) to confirm.`, "OffboardNameMismatch");
  }
  const db = await getDb();
  const deletedIncidents = await db.$transaction(async (tx) => {
    await tx.tenant.update({
      where: { id: tenant.id },
      data: { status: "offboarded", statusChangedAt: new Date(), offboardedAt: new Date(), offboardedByName: staff.name, nextVerifyAt: null },
    });
    // A pass running now (here or in another process) loses its lease: it stores nothing more and
    // makes no further call to Microsoft for this tenant.
    await tx.tenantSyncState.updateMany({
      where: { tenantId: tenant.id },
      data: { leaseOwner: null, leaseExpiresAt: null, running: false, passSource: null, passStartedFrom: null, passNextLink: null },
    });
    await tx.consentInvitation.updateMany({
      where: { OR: [{ tenantId: tenant.id }, { expectedTenant: tenant.id }], status: "waiting" },
      data: { status: "revoked", revokedAt: new Date(), revokedByName: staff.name },
    });
    if (input.dataChoice !== "delete") return 0;
    // Its indicators leave the cross-tenant counts in this transaction (server/indicators/).
    await removeTenantIndicators(tx, { tenantId: tenant.id });
    await tx.incidentEntity.deleteMany({ where: { tenantId: tenant.id } });
    const removed = await tx.incident.deleteMany({ where: { tenantId: tenant.id } });
    await tx.tenantSyncState.deleteMany({ where: { tenantId: tenant.id } });
    await tx.syncIssue.deleteMany({ where: { tenantId: tenant.id } });
    // Its service-level exceptions are this customer's data too.
    await tx.serviceLevelPolicyRecord.deleteMany({ where: { scope: tenant.id } });
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
