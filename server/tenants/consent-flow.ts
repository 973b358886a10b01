import "server-only";
import { errorMessage, hasErrorTag } from "../../lib/errors";
import { getConfig, getDb, getEntraDirectory } from "../services";
import { isGuid } from "../../lib/ids";
import { recordAuditEvent } from "../audit/audit-event";
import { hashSecretToken, isWellFormedSecretToken, newSecretToken } from "./consent-secrets";
import { ConsentRefused } from "./consent-errors";
import { COUNTED_REFUSALS, firstRefusalInWindow } from "./consent-rate-limit";
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
  const access = invitation.requestedAccess;
  return {
    customerName: invitation.customerName,
    msspName: getConfig().mssp.name,
    requestedAccess: access,
    accessLabel: ACCESS_LABEL[access],
    expiresAt: invitation.expiresAt,
  };
}

/**
 * Where Microsoft sends the browser back: the admin consent and, after it, the admin's sign-in.
 * One registered redirect URI serves both legs; `state` tells them apart.
 */
function callbackUrl(): string {
  return `${getConfig().auth.url}/consent/callback`;
}

/** A consent trip to Microsoft: its URL, and the nonce the starting browser keeps in a cookie. */
export type ConsentStart = { url: string; browserNonce: string };

async function startAttempt(invitation: { id: string; expectedTenant: string | null }, ipAddress: string | null): Promise<ConsentStart> {
  const db = await getDb();
  const state = newSecretToken();
  // The state is bound to this browser: the callback must bring back the same nonce cookie.
  const browserNonce = newSecretToken();
  const attempt = await db.consentAttempt.create({
    data: {
      invitationId: invitation.id,
      stateHash: hashSecretToken(state),
      browserNonceHash: hashSecretToken(browserNonce),
      expiresAt: new Date(Date.now() + ATTEMPT_TTL_MS),
      ipAddress,
    },
    select: { id: true },
  });
  await recordAuditEvent({
    actor: { type: "customer" },
    action: "consent.started",
    outcome: "success",
    targetId: invitation.id,
    ipAddress,
    reason: `attempt ${attempt.id}`,
  });
  const url = await getEntraDirectory().adminConsentUrl({ tenant: invitation.expectedTenant ?? "organizations", redirectUri: callbackUrl(), state });
  return { url, browserNonce };
}

/** The landing page's button: a fresh single-use state, then Microsoft's v2 admin consent URL. */
export async function beginAdminConsent({ token, ipAddress }: { token: string; ipAddress: string | null }): Promise<ConsentStart> {
  return startAttempt(await liveInvitationByLink(token, ipAddress), ipAddress);
}

/** "Try again" after a decline or failure: same invitation (if still usable), fresh state. */
export async function retryAdminConsent({ attemptId, ipAddress }: { attemptId: string; ipAddress: string | null }): Promise<ConsentStart> {
  const db = await getDb();
  const attempt = isGuid(attemptId)
    ? await db.consentAttempt.findUnique({
        where: { id: attemptId },
        select: { invitation: { select: { id: true, status: true, expiresAt: true, expectedTenant: true } } },
      })
    : null;
  const invitation = attempt?.invitation;
  if (!invitation) throw new ConsentRefused("link-invalid");
  await refuseDeadInvitation(invitation, ipAddress);
  return startAttempt(invitation, ipAddress);
}

export type CallbackOutcome =
  | { kind: "declined"; attemptId: string }
  /** Consent given: the admin now signs in at Microsoft to prove who consented. */
  | { kind: "sign-in"; attemptId: string; url: string }
  /** Signed in as an admin of the consented tenant: the token check runs. */
  | { kind: "verifying"; attemptId: string }
  /** The sign-in after consent did not prove the admin (cancelled, refused, another tenant). */
  | { kind: "sign-in-failed"; attemptId: string };

function text(value: string | null, max = MAX_DESCRIPTION): string | null {
  return value ? value.slice(0, max) : null;
}

async function refuse(
  reason: ConsentRefused["reason"],
  context: { ipAddress: string | null; claimedTenant: string | null; invitationId?: string },
): Promise<never> {
  // Refusals anyone can cause without a secret are audited once per address and window, then counted.
  if (COUNTED_REFUSALS.has(reason) && !(await firstRefusalInWindow(await getDb(), { reason, address: context.ipAddress }))) throw new ConsentRefused(reason);
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

/** The nonce cookie must be the one set when this attempt started, in this browser. */
function sameBrowser(attempt: { browserNonceHash: string | null }, browserNonce: string | null): boolean {
  return Boolean(attempt.browserNonceHash && isWellFormedSecretToken(browserNonce) && hashSecretToken(browserNonce) === attempt.browserNonceHash);
}

/**
 * Microsoft's redirect back. Never trusted by itself: the state must be a live single-use request
 * started in this browser (its nonce cookie), `error` is read first, `admin_consent=True` is
 * required, the tenant must be a GUID (and the expected one); then the admin signs in so that an
 * id token proves who consented in that tenant; only then does a token check prove the consent.
 */
export async function handleConsentCallback({
  params,
  ipAddress,
  browserNonce,
}: {
  params: URLSearchParams;
  ipAddress: string | null;
  browserNonce: string | null;
}): Promise<CallbackOutcome> {
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
    select: {
      id: true,
      usedAt: true,
      expiresAt: true,
      browserNonceHash: true,
      invitation: { select: { id: true, status: true, expiresAt: true, expectedTenant: true } },
    },
  });
  // The second leg: the admin's sign-in after consent carries its own state.
  if (!attempt) return completeAdminSignIn({ state, params, ipAddress, browserNonce });
  const invitationContext = { ...context, invitationId: attempt.invitation.id };
  if (!sameBrowser(attempt, browserNonce)) return refuse("state-other-browser", invitationContext);
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
    // Microsoft's text is kept for the audit only: anyone can put words in a redirect. The attempt
    // keeps its codes (the AADSTS code that starts the text says more than `error` alone).
    const aadsts = /^\s*(AADSTS\d{5,7})\b/.exec(description)?.[1];
    await db.consentAttempt.update({
      where: { id: attempt.id },
      data: { verification: "declined", errorCode: text(error, 100)!.toLowerCase(), failureReason: aadsts ?? text(error, 100) },
    });
    await recordAuditEvent({
      actor: { type: "customer" },
      action: "consent.declined",
      outcome: "refused",
      targetId: attempt.invitation.id,
      reason: text(error, 100),
      ipAddress,
      details: { errorDescription: description, claimedTenant: text(claimedTenant, 100) },
    });
    return { kind: "declined", attemptId: attempt.id };
  }

  // Without `error`, Microsoft's success redirect says admin_consent=True; anything else is no consent.
  if ((params.get("admin_consent") ?? "").toLowerCase() !== "true") return refuse("consent-not-confirmed", invitationContext);
  if (!claimedTenant || !isGuid(claimedTenant)) return refuse("tenant-invalid", invitationContext);
  const tenantId = claimedTenant.toLowerCase();
  const expected = attempt.invitation.expectedTenant;
  if (expected) {
    const expectedId = await getEntraDirectory().resolveTenantId(expected);
    if (expectedId !== tenantId) return refuse("tenant-mismatch", invitationContext);
  }

  // Who consented? The admin signs in to the consented tenant (OpenID Connect, PKCE).
  const signInState = newSecretToken();
  const nonce = newSecretToken();
  const codeVerifier = newSecretToken();
  await db.consentAttempt.update({
    where: { id: attempt.id },
    data: {
      tenantId,
      tenantNamed: Boolean(expected),
      verification: "signing_in",
      signInStateHash: hashSecretToken(signInState),
      signInNonce: nonce,
      signInVerifier: codeVerifier,
    },
  });
  const url = await getEntraDirectory().adminSignInUrl({ tenant: tenantId, redirectUri: callbackUrl(), state: signInState, nonce, codeVerifier });
  return { kind: "sign-in", attemptId: attempt.id, url };
}

/** The admin's sign-in after consent: the id token must come from the tenant that consented. */
async function completeAdminSignIn({
  state,
  params,
  ipAddress,
  browserNonce,
}: {
  state: string;
  params: URLSearchParams;
  ipAddress: string | null;
  browserNonce: string | null;
}): Promise<CallbackOutcome> {
  const db = await getDb();
  const context = { ipAddress, claimedTenant: params.get("tenant") };
  const attempt = await db.consentAttempt.findUnique({
    where: { signInStateHash: hashSecretToken(state) },
    select: {
      id: true,
      expiresAt: true,
      verification: true,
      tenantId: true,
      browserNonceHash: true,
      signInNonce: true,
      signInVerifier: true,
      invitation: { select: { id: true, status: true, expiresAt: true } },
    },
  });
  if (!attempt || attempt.verification !== "signing_in" || !attempt.tenantId) return refuse("state-unknown", context);
  const invitationContext = { ...context, invitationId: attempt.invitation.id };
  if (!sameBrowser(attempt, browserNonce)) return refuse("state-other-browser", invitationContext);
  // Single use: whoever clears the sign-in state first owns it.
  const claimed = await db.consentAttempt.updateMany({
    where: { id: attempt.id, signInStateHash: hashSecretToken(state) },
    data: { signInStateHash: null, signInVerifier: null, signInNonce: null },
  });
  if (claimed.count !== 1) return refuse("state-reused", invitationContext);
  const now = new Date();
  if (attempt.expiresAt <= now) return refuse("state-expired", invitationContext);
  if (attempt.invitation.status !== "waiting") return refuse("link-invalid", invitationContext);
  if (attempt.invitation.expiresAt <= now) return refuse("link-expired", invitationContext);

  const audit = { actor: { type: "customer" as const }, targetId: attempt.invitation.id, tenantId: null, ipAddress };
  const fail = async (reason: string, auditReason: string): Promise<CallbackOutcome> => {
    await db.consentAttempt.update({ where: { id: attempt.id }, data: { verification: "failed", failureReason: reason } });
    await recordAuditEvent({
      ...audit,
      action: "consent.sign_in_failed",
      outcome: "refused",
      reason: auditReason,
      details: { consentedTenant: attempt.tenantId },
    });
    return { kind: "sign-in-failed", attemptId: attempt.id };
  };
  const code = params.get("code");
  if (params.get("error") || !code) {
    return fail(
      "The sign-in after the consent was cancelled or refused, so the portal cannot tell who consented. Nothing was recorded.",
      `sign-in ${text(params.get("error"), 100) ?? "without a code"}`,
    );
  }
  let admin;
  try {
    admin = await getEntraDirectory().redeemAdminSignIn({
      tenant: attempt.tenantId,
      code,
      redirectUri: callbackUrl(),
      codeVerifier: attempt.signInVerifier!,
      nonce: attempt.signInNonce!,
    });
  } catch (error) {
    if (!hasErrorTag(error, "AdminSignInFailed")) throw error;
    return fail("Microsoft did not confirm the sign-in after the consent. Nothing was recorded.", errorMessage(error).slice(0, 300));
  }
  if (admin.tenantId !== attempt.tenantId) {
    // Consent in one tenant, sign-in with an account of another: not proof of that tenant's admin.
    return fail(
      "You signed in with an account of another organisation than the one that consented. Sign in with an administrator of the consenting organisation.",
      `signed in from tenant ${admin.tenantId}`,
    );
  }
  await db.consentAttempt.update({
    where: { id: attempt.id },
    data: {
      adminName: admin.name,
      adminUpn: admin.upn,
      adminOid: admin.oid,
      verification: "pending",
      verifyDeadline: new Date(now.getTime() + VERIFY_WINDOW_MS),
      nextVerifyAt: now,
    },
  });
  await recordAuditEvent({
    ...audit,
    tenantId: attempt.tenantId,
    action: "consent.signed_in",
    outcome: "success",
    reason: `${admin.name ?? "?"} (${admin.upn ?? admin.oid})`,
    details: { adminOid: admin.oid },
  });
  // First check right away; the status page carries on while Microsoft propagates the consent.
  await verifyConsentAttempt({ attemptId: attempt.id });
  return { kind: "verifying", attemptId: attempt.id };
}
