import "server-only";
import { isGuid } from "../config-schema";
import { getDb } from "../db";
import { logger } from "../logger";
import { recordAuditEvent } from "../audit/audit-event";
import { getTokenBroker } from "../microsoft/app-token-broker";
import { TenantTokenError, TOKEN_FAILURE_MESSAGE } from "../microsoft/token-errors";
import { rolesCover, type RequiredAccess } from "./tenant-status";

/** Microsoft may take a while to propagate a fresh consent; keep trying for about a minute. */
export const VERIFY_WINDOW_MS = 75_000;
const BACKOFF_MS = [1_000, 2_000, 3_000, 5_000, 8_000, 10_000];
/** A claimed check that never finished (process died) is taken over after this. */
const CLAIM_MS = 30_000;

type Verdict =
  | { kind: "verified"; roles: string[] }
  | { kind: "permission_missing"; roles: string[] }
  | { kind: "retry"; why: string }
  | { kind: "failed"; why: string };

/** One token request decides; only propagation-like answers (65001, no roles yet, transient) are retried. */
async function judge(tenantId: string, access: RequiredAccess, beforeDeadline: boolean): Promise<Verdict> {
  const broker = getTokenBroker();
  broker.forget(tenantId);
  try {
    const token = await broker.getAppToken(tenantId);
    if (token.tenantId !== tenantId) return { kind: "failed", why: "Microsoft issued the token for a different tenant than the one named in the redirect." };
    if (rolesCover(token.roles, access)) return { kind: "verified", roles: token.roles };
    return beforeDeadline ? { kind: "retry", why: "token has no roles yet" } : { kind: "permission_missing", roles: token.roles };
  } catch (error) {
    if (!(error instanceof TenantTokenError)) throw error;
    const passing = error.kind === "consent_missing" || error.kind === "transient" || error.kind === "unknown";
    if (passing && beforeDeadline) return { kind: "retry", why: error.kind };
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
  const attempt = await db.consentAttempt.findUniqueOrThrow({
    where: { id: attemptId },
    select: { tenantId: true, verifyTries: true, verifyDeadline: true, ipAddress: true, invitation: { select: { id: true, customerName: true, requestedAccess: true, createdById: true, createdByName: true } } },
  });
  const tenantId = attempt.tenantId!;
  const access = attempt.invitation.requestedAccess as RequiredAccess;
  const verdict = await judge(tenantId, access, (attempt.verifyDeadline ?? now) > new Date());
  const audit = { actor: { type: "customer" as const }, tenantId, targetId: attempt.invitation.id, ipAddress: attempt.ipAddress };

  if (verdict.kind === "retry") {
    const delay = BACKOFF_MS[Math.min(attempt.verifyTries - 1, BACKOFF_MS.length - 1)]!;
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
  const status = verdict.kind === "verified" ? "active" : "permission_missing";
  const recorded = await db.$transaction(async (tx) => {
    const existing = await tx.tenant.findUnique({ where: { id: tenantId }, select: { status: true } });
    const at = new Date();
    await tx.tenant.upsert({
      where: { id: tenantId },
      create: {
        id: tenantId,
        displayName: attempt.invitation.customerName,
        requiredAccess: access,
        status,
        grantedRoles: verdict.roles,
        onboardedById: attempt.invitation.createdById,
        onboardedByName: attempt.invitation.createdByName,
        lastVerifiedAt: at,
        nextVerifyAt: new Date(at.getTime() + 6 * 60 * 60_000),
      },
      update: {
        requiredAccess: access,
        status,
        statusChangedAt: at,
        grantedRoles: verdict.roles,
        lastVerifiedAt: at,
        lastErrorCode: null,
        lastErrorMessage: null,
        lastErrorAt: null,
        offboardedAt: null,
        offboardedByName: null,
        nextVerifyAt: new Date(at.getTime() + 6 * 60 * 60_000),
        ...(existing?.status === "offboarded" ? { onboardedAt: at, onboardedById: attempt.invitation.createdById, onboardedByName: attempt.invitation.createdByName } : {}),
      },
    });
    const used = await tx.consentInvitation.updateMany({
      where: { id: attempt.invitation.id, status: "waiting" },
      data: { status: "consented", consentedAt: at, tenantId },
    });
    if (used.count !== 1) return null; // revoked or used meanwhile: record nothing
    await tx.consentAttempt.update({ where: { id: attemptId }, data: { verification: verdict.kind, nextVerifyAt: null } });
    return { reconsent: Boolean(existing) };
  });
  if (!recorded) {
    await db.consentAttempt.update({ where: { id: attemptId }, data: { verification: "failed", failureReason: "The consent link was withdrawn or used while this consent was being checked.", nextVerifyAt: null } });
    await recordAuditEvent({ ...audit, action: "consent.verification_failed", outcome: "refused", reason: "link withdrawn or used meanwhile" });
    return;
  }
  await recordAuditEvent({
    ...audit,
    action: recorded.reconsent ? "tenant.reconsented" : "tenant.onboarded",
    outcome: status === "active" ? "success" : "failure",
    reason: `${attempt.invitation.customerName}: ${status === "active" ? "verified" : "consented without the required permissions"}; roles ${verdict.roles.join(", ") || "none"}`,
  });
}

const holder = globalThis as unknown as { consentLoops?: Set<string> };

/** Keeps checking in the background until the attempt settles, even if the admin closes the tab. */
export function continueConsentVerification({ attemptId }: { attemptId: string }): void {
  holder.consentLoops ??= new Set();
  const loops = holder.consentLoops;
  if (loops.has(attemptId)) return;
  loops.add(attemptId);
  void (async () => {
    try {
      const db = await getDb();
      for (;;) {
        const attempt = await db.consentAttempt.findUnique({ where: { id: attemptId }, select: { verification: true, nextVerifyAt: true } });
        if (!attempt || attempt.verification !== "pending") return;
        const wait = Math.max(250, (attempt.nextVerifyAt?.getTime() ?? Date.now()) - Date.now());
        await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 5_000)));
        await verifyConsentAttempt({ attemptId });
      }
    } catch (error) {
      logger().error({ event: "consent.verify_loop_failed", attemptId, message: error instanceof Error ? error.message : String(error) }, "consent verification loop stopped");
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
};

/** What the customer's status page shows for an attempt; null for an unknown id. */
export async function getConsentAttemptView({ attemptId }: { attemptId: string }): Promise<ConsentAttemptView | null> {
  if (!isGuid(attemptId)) return null;
  const db = await getDb();
  const attempt = await db.consentAttempt.findUnique({
    where: { id: attemptId },
    select: { verification: true, tenantId: true, failureReason: true, verifyTries: true, invitation: { select: { customerName: true, status: true, expiresAt: true, requestedAccess: true } } },
  });
  if (!attempt?.verification) return null;
  const usable = attempt.invitation.status === "waiting" && attempt.invitation.expiresAt > new Date();
  return {
    state: attempt.verification as ConsentAttemptView["state"],
    customerName: attempt.invitation.customerName,
    tenantId: attempt.tenantId,
    reason: attempt.failureReason,
    canRetry: usable && (attempt.verification === "failed" || attempt.verification === "declined"),
    requestedAccess: attempt.invitation.requestedAccess as RequiredAccess,
    tries: attempt.verifyTries,
  };
}
