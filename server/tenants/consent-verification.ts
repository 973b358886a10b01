import "server-only";
import { isGuid } from "../../lib/ids";
import { getDb, logger, services } from "../services";
import { recordAuditEvent } from "../audit/audit-event";
import { isTenantTokenError, TOKEN_FAILURE_MESSAGE, type TokenFailureKind } from "../microsoft/token-errors";
import { checkTenantAccess, type AccessCheck } from "./tenant-access";
import { recordConsentedTenant } from "./tenant-lifecycle";
import type { RequiredAccess } from "./tenant-status";

/** Microsoft may take a while to propagate a fresh consent; keep trying for about a minute. */
export const VERIFY_WINDOW_MS = 75_000;
/**
 * Short and flat on purpose: the customer waits on a "finishing up" page, so a check should follow
 * the end of propagation within a couple of seconds, not after a long exponential step. At most
 * about 40 token requests per consent, far inside Microsoft's token endpoint limits.
 */
const RETRY_DELAYS_MS = [500, 1_000, 1_500, 2_000];
/** A claimed check that never finished (process died) is taken over after this. */
const CLAIM_MS = 30_000;
/** After an unexpected failure (database, bug) the claim is released and retried after this. */
const AFTER_CRASH_MS = 2_000;

type Verdict =
  | { kind: "verified"; check: AccessCheck }
  | { kind: "permission_missing"; check: AccessCheck }
  | { kind: "retry"; why: string }
  | { kind: "failed"; why: string };

/**
 * Answers that may be Microsoft still propagating a fresh consent (65001, the documented one) or a
 * passing outage. No service principal (7000229 / 700016) is final: Microsoft creates it before it
 * redirects back, so its absence means no consent (a forged callback), not propagation.
 */
const MAY_PASS: ReadonlySet<TokenFailureKind> = new Set(["consent_missing", "transient", "unknown"]);

/** One token request decides; only propagation-like answers (no roles yet, MAY_PASS) are retried. */
async function judge(tenantId: string, access: RequiredAccess, beforeDeadline: boolean): Promise<Verdict> {
  try {
    const check = await checkTenantAccess({ tenantId, access });
    if (check.tokenTenantId !== tenantId)
      return { kind: "failed", why: "Microsoft issued the token for a different tenant than the one named in the redirect." };
    if (check.status === "active") return { kind: "verified", check };
    // A fresh consent grants every permission the app lists: missing roles are propagation, for a while.
    return beforeDeadline ? { kind: "retry", why: "token has no roles yet" } : { kind: "permission_missing", check };
  } catch (error) {
    if (!isTenantTokenError(error)) throw error;
    if (MAY_PASS.has(error.kind) && beforeDeadline) return { kind: "retry", why: error.kind };
    return { kind: "failed", why: TOKEN_FAILURE_MESSAGE[error.kind] + (error.aadstsCode ? ` (AADSTS${error.aadstsCode})` : "") };
  }
}

/**
 * One verification step for a pending attempt, if it is due and nobody else holds it. Safe to call
 * from the callback, the status page and a background loop at once.
 */
export async function verifyConsentAttempt({ attemptId }: { attemptId: string }): Promise<void> {
  if (!isGuid(attemptId)) return;
  const db = await getDb();
  const now = new Date();
  const claim = await db.consentAttempt.updateMany({
    where: { id: attemptId, verification: "pending", nextVerifyAt: { lte: now } },
    data: { nextVerifyAt: new Date(now.getTime() + CLAIM_MS), verifyTries: { increment: 1 } },
  });
  if (claim.count !== 1) return;
  try {
    await verifyClaimedAttempt(attemptId, now);
  } catch (error) {
    // The holder failed: release the claim so the next check runs in seconds, not after CLAIM_MS.
    // Callers (callback, status page, background loop) carry on; the attempt stays pending.
    logger().error({ event: "consent.verify_failed_unexpectedly", attemptId, err: error }, "consent check failed; it will be retried");
    await db.consentAttempt
      .updateMany({ where: { id: attemptId, verification: "pending" }, data: { nextVerifyAt: new Date(Date.now() + AFTER_CRASH_MS) } })
      .catch(() => undefined);
  }
}

async function verifyClaimedAttempt(attemptId: string, now: Date): Promise<void> {
  const db = await getDb();
  const attempt = await db.consentAttempt.findUniqueOrThrow({
    where: { id: attemptId },
    select: {
      tenantId: true,
      verifyTries: true,
      verifyDeadline: true,
      ipAddress: true,
      tenantNamed: true,
      adminName: true,
      adminUpn: true,
      adminOid: true,
      invitation: { select: { id: true, customerName: true, requestedAccess: true, createdById: true, createdByName: true } },
    },
  });
  const tenantId = attempt.tenantId!;
  const access = attempt.invitation.requestedAccess;
  const verdict = await judge(tenantId, access, (attempt.verifyDeadline ?? now) > new Date());
  const audit = { actor: { type: "customer" as const }, tenantId, targetId: attempt.invitation.id, ipAddress: attempt.ipAddress };

  if (verdict.kind === "retry") {
    const delay = RETRY_DELAYS_MS[Math.min(attempt.verifyTries - 1, RETRY_DELAYS_MS.length - 1)]!;
    await db.consentAttempt.update({ where: { id: attemptId }, data: { nextVerifyAt: new Date(Date.now() + delay) } });
    logger().info({ event: "consent.verify_retry", tenantId, why: verdict.why, tries: attempt.verifyTries }, "consent not visible yet; retrying");
    return;
  }
  if (verdict.kind === "failed") {
    await db.consentAttempt.update({ where: { id: attemptId }, data: { verification: "failed", failureReason: verdict.why, nextVerifyAt: null } });
    await recordAuditEvent({ ...audit, action: "consent.verification_failed", outcome: "refused", reason: verdict.why });
    return;
  }

  // Verified (or consented without the needed roles): only now is anything recorded.
  const { check } = verdict;
  // After the window, roles of the old API only still let the tenant sync (until 2027-02-01).
  const status = check.status;
  const consentedBy = {
    consentedByName: attempt.adminName,
    consentedByUpn: attempt.adminUpn,
    consentedByOid: attempt.adminOid,
    // A UPN's suffix is a domain verified in the admin's tenant (the one that consented).
    verifiedDomain: attempt.adminUpn?.includes("@") ? attempt.adminUpn.split("@").pop()!.toLowerCase() : null,
  };
  const recorded = await db
    .$transaction(async (tx) => {
      const at = new Date();
      // A link naming no tenant: a new tenant waits for a Portal.Admin's confirmation, a known one is refused.
      const recorded = await recordConsentedTenant(tx, {
        tenantId,
        displayName: attempt.invitation.customerName,
        requiredAccess: access,
        check,
        consentedBy,
        onboardedBy: { id: attempt.invitation.createdById, name: attempt.invitation.createdByName },
        tenantNamed: attempt.tenantNamed,
        at,
      });
      if (recorded.kind === "known") return { refused: "already_known" as const };
      const used = await tx.consentInvitation.updateMany({
        where: { id: attempt.invitation.id, status: "waiting" },
        data: { status: "consented", consentedAt: at, tenantId },
      });
      if (used.count !== 1) throw new RolledBack(); // revoked or used meanwhile: record nothing
      await tx.consentAttempt.update({ where: { id: attemptId }, data: { verification: verdict.kind, nextVerifyAt: null } });
      return recorded;
    })
    .catch((error: unknown) => (error instanceof RolledBack ? null : Promise.reject(error)));
  if (recorded && "refused" in recorded) {
    const why =
      "This organisation is already connected to your provider, and this link was not made for it. Ask your provider for a link made for your organisation.";
    await db.consentAttempt.update({ where: { id: attemptId }, data: { verification: "failed", failureReason: why, nextVerifyAt: null } });
    await recordAuditEvent({
      ...audit,
      action: "consent.verification_failed",
      outcome: "refused",
      reason: "tenant already known; the link named no tenant",
      details: { adminUpn: attempt.adminUpn },
    });
    return;
  }
  if (!recorded) {
    await db.consentAttempt.update({
      where: { id: attemptId },
      data: { verification: "failed", failureReason: "The consent link was withdrawn or used while this consent was being checked.", nextVerifyAt: null },
    });
    await recordAuditEvent({ ...audit, action: "consent.verification_failed", outcome: "refused", reason: "link withdrawn or used meanwhile" });
    return;
  }
  await recordAuditEvent({
    ...audit,
    action: recorded.reconsent ? "tenant.reconsented" : "tenant.onboarded",
    outcome: status === "active" ? "success" : "failure",
    reason: `${attempt.invitation.customerName}: ${recorded.pending ? "waiting for confirmation" : status === "active" ? "verified" : status === "graph_consent_needed" ? "consented for the Defender API only" : "consented without the required permissions"}; consented by ${attempt.adminName ?? "?"} (${attempt.adminUpn ?? attempt.adminOid ?? "?"}); roles ${[...check.graphRoles, ...check.legacyRoles].join(", ") || "none"}`,
    details: { adminName: attempt.adminName, adminUpn: attempt.adminUpn, adminOid: attempt.adminOid },
  });
}

/** Ends the recording transaction without writing (link used or revoked meanwhile). */
class RolledBack extends Error {}

/** The background loop gives up this long after the verification window if checks keep crashing. */
const LOOP_GRACE_MS = 60_000;

/**
 * Keeps checking in the background until the attempt settles, even if the admin closes the tab.
 * Token failures settle or retry inside each check; an unexpected failure (database, bug) is
 * logged and the loop carries on until the attempt settles or the window plus a grace has passed.
 */
export function continueConsentVerification({ attemptId }: { attemptId: string }): void {
  const loops = (services().consentLoops ??= new Set());
  if (loops.has(attemptId)) return;
  loops.add(attemptId);
  void (async () => {
    try {
      for (;;) {
        try {
          const db = await getDb();
          const attempt = await db.consentAttempt.findUnique({
            where: { id: attemptId },
            select: { verification: true, nextVerifyAt: true, verifyDeadline: true },
          });
          if (!attempt || attempt.verification !== "pending") return;
          if ((attempt.verifyDeadline?.getTime() ?? 0) + LOOP_GRACE_MS < Date.now()) {
            logger().error(
              { event: "consent.verify_loop_gave_up", attemptId },
              "consent verification still pending long after its window; the status page retries when opened",
            );
            return;
          }
          const wait = Math.max(100, (attempt.nextVerifyAt?.getTime() ?? Date.now()) - Date.now());
          await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 2_000)));
          await verifyConsentAttempt({ attemptId });
        } catch (error) {
          logger().error({ event: "consent.verify_check_failed", attemptId, err: error }, "consent verification check failed; retrying");
          await new Promise((resolve) => setTimeout(resolve, AFTER_CRASH_MS));
        }
      }
    } finally {
      loops.delete(attemptId);
    }
  })();
}

export type ConsentAttemptView = {
  state: "pending" | "verified" | "permission_missing" | "failed" | "declined";
  customerName: string;
  msspName?: string;
  tenantId: string | null;
  reason: string | null;
  canRetry: boolean;
  requestedAccess: RequiredAccess;
  tries: number;
  /** Recorded, but the provider confirms the new connection before using it (the link named no tenant). */
  awaitingConfirmation: boolean;
  /** Microsoft's `error` code of a declined consent (the page says why in the portal's words). */
  errorCode: string | null;
};

/** What the customer's status page shows for an attempt; null for an unknown id. */
export async function getConsentAttemptView({ attemptId }: { attemptId: string }): Promise<ConsentAttemptView | null> {
  if (!isGuid(attemptId)) return null;
  const db = await getDb();
  const attempt = await db.consentAttempt.findUnique({
    where: { id: attemptId },
    select: {
      verification: true,
      tenantId: true,
      failureReason: true,
      verifyTries: true,
      tenantNamed: true,
      errorCode: true,
      invitation: { select: { customerName: true, status: true, expiresAt: true, requestedAccess: true } },
    },
  });
  // Before consent (or while signing in) there is nothing to show yet.
  if (!attempt?.verification || attempt.verification === "signing_in") return null;
  const usable = attempt.invitation.status === "waiting" && attempt.invitation.expiresAt > new Date();
  return {
    state: attempt.verification,
    customerName: attempt.invitation.customerName,
    tenantId: attempt.tenantId,
    reason: attempt.failureReason,
    canRetry: usable && (attempt.verification === "failed" || attempt.verification === "declined"),
    requestedAccess: attempt.invitation.requestedAccess,
    tries: attempt.verifyTries,
    awaitingConfirmation: attempt.verification === "verified" && !attempt.tenantNamed,
    errorCode: attempt.errorCode,
  };
}
