import "server-only";
import { getConfig } from "../config";
import { isGuid } from "../config-schema";
import { getDb } from "../db";
import { recordAuditEvent } from "../audit/audit-event";
import { getEntraDirectory } from "../microsoft/app-entra-directory";
import { hashSecretToken, isWellFormedSecretToken, newSecretToken } from "./consent-secrets";
import { ConsentRefused } from "./consent-errors";
import { ACCESS_LABEL } from "./consent-invitations";
import { verifyConsentAttempt, VERIFY_WINDOW_MS } from "./consent-verification";
import type { RequiredAccess } from "./tenant-status";

/** A trip to Microsoft's consent page must come back within this time. */
const ATTEMPT_TTL_MS = 30 * 60_000;
const MAX_DESCRIPTION = 500;

export type ConsentLanding = {
  customerName: string;
  msspName: string;
  requestedAccess: RequiredAccess;
  accessLabel: string;
  expiresAt: Date;
};

/**
 * A known invitation that can no longer be used (consented, revoked or expired): the refusal is
 * audited against the invitation, so staff see a used link being opened again. Unknown link
 * tokens name no invitation and are not audited one by one (anyone can make up a token).
 */
async function refuseDeadInvitation(invitation: { id: string; status: string; expiresAt: Date }, ipAddress: string | null): Promise<void> {
  const now = new Date();
  if (invitation.status === "waiting" && invitation.expiresAt > now) return;
  const why = invitation.status === "consented" ? "link-used" : invitation.status === "revoked" ? "link-revoked" : "link-expired";
  await recordAuditEvent({ actor: { type: "customer" }, action: "consent.link_refused", outcome: "refused", reason: why, targetId: invitation.id, ipAddress });
  throw new ConsentRefused(why === "link-expired" ? "link-expired" : "link-invalid");
}

async function liveInvitationByLink(token: string, ipAddress: string | null) {
  if (!isWellFormedSecretToken(token)) throw new ConsentRefused("link-invalid");
  const db = await getDb();
  const invitation = await db.consentInvitation.findUnique({
    where: { linkTokenHash: hashSecretToken(token) },
    select: { id: true, customerName: true, requestedAccess: true, expiresAt: true, status: true, expectedTenant: true },
  });
  if (!invitation) throw new ConsentRefused("link-invalid");
  await refuseDeadInvitation(invitation, ipAddress);
  return invitation;
}

/** What the landing page shows for a link; throws ConsentRefused for a dead link (audited). */
export async function getConsentLanding({ token, ipAddress }: { token: string; ipAddress: string | null }): Promise<ConsentLanding> {
  const invitation = await liveInvitationByLink(token, ipAddress);
  const access = invitation.requestedAccess as RequiredAccess;
  return {
    customerName: invitation.customerName,
    msspName: getConfig().mssp.name,
    requestedAccess: access,
    accessLabel: ACCESS_LABEL[access],
    expiresAt: invitation.expiresAt,
  };
}

async function startAttempt(invitation: { id: string; expectedTenant: string | null }, ipAddress: string | null): Promise<string> {
  const db = await getDb();
  const state = newSecretToken();
  const attempt = await db.consentAttempt.create({
    data: { invitationId: invitation.id, stateHash: hashSecretToken(state), expiresAt: new Date(Date.now() + ATTEMPT_TTL_MS), ipAddress },
    select: { id: true },
  });
  await recordAuditEvent({ actor: { type: "customer" }, action: "consent.started", outcome: "success", targetId: invitation.id, ipAddress, reason: `attempt ${attempt.id}` });
  const config = getConfig();
  return getEntraDirectory().adminConsentUrl({
    tenant: invitation.expectedTenant ?? "organizations",
    redirectUri: `${config.auth.url}/consent/callback`,
    state,
  });
}

/** The landing page's button: a fresh single-use state, then Microsoft's v2 admin consent URL. */
export async function beginAdminConsent({ token, ipAddress }: { token: string; ipAddress: string | null }): Promise<string> {
  return startAttempt(await liveInvitationByLink(token, ipAddress), ipAddress);
}

/** "Try again" after a decline or failure: same invitation (if still usable), fresh state. */
export async function retryAdminConsent({ attemptId, ipAddress }: { attemptId: string; ipAddress: string | null }): Promise<string> {
  const db = await getDb();
  const attempt = isGuid(attemptId)
    ? await db.consentAttempt.findUnique({ where: { id: attemptId }, select: { invitation: { select: { id: true, status: true, expiresAt: true, expectedTenant: true } } } })
    : null;
  const invitation = attempt?.invitation;
  if (!invitation) throw new ConsentRefused("link-invalid");
  await refuseDeadInvitation(invitation, ipAddress);
  return startAttempt(invitation, ipAddress);
}

export type CallbackOutcome = { kind: "declined"; attemptId: string } | { kind: "verifying"; attemptId: string };

function text(value: string | null, max = MAX_DESCRIPTION): string | null {
  return value ? value.slice(0, max) : null;
}

async function refuse(reason: ConsentRefused["reason"], context: { ipAddress: string | null; claimedTenant: string | null; invitationId?: string }): Promise<never> {
  await recordAuditEvent({
    actor: { type: "customer" },
    action: "consent.refused",
    outcome: "refused",
    reason,
    targetId: context.invitationId ?? null,
    ipAddress: context.ipAddress,
    details: { claimedTenant: text(context.claimedTenant, 100) },
  });
  throw new ConsentRefused(reason);
}

/**
 * Microsoft's redirect back. Never trusted by itself: the state must be a live single-use request,
 * the tenant a GUID (and the expected one), and then a token must prove the consent.
 */
export async function handleConsentCallback({ params, ipAddress }: { params: URLSearchParams; ipAddress: string | null }): Promise<CallbackOutcome> {
  const state = params.get("state");
  const claimedTenant = params.get("tenant");
  const error = params.get("error");
  const context = { ipAddress, claimedTenant };
  if (!state) return refuse("state-missing", context);
  if (!isWellFormedSecretToken(state)) return refuse("state-unknown", context);

  const db = await getDb();
  const now = new Date();
  const attempt = await db.consentAttempt.findUnique({
    where: { stateHash: hashSecretToken(state) },
    select: { id: true, usedAt: true, expiresAt: true, invitation: { select: { id: true, status: true, expiresAt: true, expectedTenant: true } } },
  });
  if (!attempt) return refuse("state-unknown", context);
  const invitationContext = { ...context, invitationId: attempt.invitation.id };
  if (attempt.usedAt) return refuse("state-reused", invitationContext);
  if (attempt.expiresAt <= now) return refuse("state-expired", invitationContext);
  if (attempt.invitation.status !== "waiting") return refuse("link-invalid", invitationContext);
  if (attempt.invitation.expiresAt <= now) return refuse("link-expired", invitationContext);

  // Single use: whoever flips usedAt first owns this state.
  const claimed = await db.consentAttempt.updateMany({ where: { id: attempt.id, usedAt: null }, data: { usedAt: now } });
  if (claimed.count !== 1) return refuse("state-reused", invitationContext);

  // Check `error` before `admin_consent`: Microsoft may send both.
  if (error) {
    const description = text(params.get("error_description")) ?? error;
    await db.consentAttempt.update({ where: { id: attempt.id }, data: { verification: "declined", failureReason: description } });
    await recordAuditEvent({
      actor: { type: "customer" },
      action: "consent.declined",
      outcome: "refused",
      targetId: attempt.invitation.id,
      reason: description,
      ipAddress,
      details: { error: text(error, 100), claimedTenant: text(claimedTenant, 100) },
    });
    return { kind: "declined", attemptId: attempt.id };
  }

  if (!claimedTenant || !isGuid(claimedTenant)) return refuse("tenant-invalid", invitationContext);
  const tenantId = claimedTenant.toLowerCase();
  const expected = attempt.invitation.expectedTenant;
  if (expected) {
    const expectedId = await getEntraDirectory().resolveTenantId(expected);
    if (expectedId !== tenantId) return refuse("tenant-mismatch", invitationContext);
  }

  await db.consentAttempt.update({
    where: { id: attempt.id },
    data: { tenantId, verification: "pending", verifyDeadline: new Date(now.getTime() + VERIFY_WINDOW_MS), nextVerifyAt: now },
  });
  // First check right away; the status page carries on while Microsoft propagates the consent.
  await verifyConsentAttempt({ attemptId: attempt.id });
  return { kind: "verifying", attemptId: attempt.id };
}
