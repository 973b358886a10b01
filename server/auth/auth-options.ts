import "server-only";
import { nextAuthRedirect } from "./safe-return-path";
import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import type { AuthOptions, Session } from "next-auth";
import AzureADProvider from "next-auth/providers/azure-ad";
import { getConfig, getDb, logger } from "../services";
import { recordAuditEvent } from "../audit/audit-event";
import { CLIENT_ASSERTION_TYPE, buildClientAssertion } from "../microsoft/client-assertion";
import { hasErrorTag } from "../../lib/errors";
import { decideSignIn } from "./sign-in-decision";
import { isPortalRole } from "./roles";
import { SESSION_LIFETIME_SECONDS } from "./session-lifetime";
import { encodeSessionToken } from "./session-token";
import { endStaffSessionAtSignOut, startStaffSession, verifyStaffSession, type LiveStaffSession } from "./staff-sessions";

// The session the jwt callback verified, handed to the session callback of the same request.
const verifiedThisRequest = new WeakMap<object, LiveStaffSession>();

type Claims = Record<string, unknown>;

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/**
 * openid-client takes its CA list per request: the system roots plus NODE_EXTRA_CA_CERTS, so a
 * private CA (demo emulator, corporate proxy) is trusted without dropping the public ones.
 */
function trustedCertificates(): string[] | undefined {
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (!extra) return undefined;
  try {
    return [...rootCertificates, readFileSync(extra, "utf8")];
  } catch {
    return undefined;
  }
}

/** next-auth options, built per request so sign-in audit events carry the client address. */
export function buildAuthOptions(context: { ipAddress?: string | null; userAgent?: string | null } = {}): AuthOptions {
  const config = getConfig();
  const { azure } = config;
  const credential = azure.credential;
  const ca = trustedCertificates();

  const provider = AzureADProvider({
    clientId: azure.clientId,
    clientSecret: credential.kind === "secret" ? credential.secret : "",
    tenantId: azure.tenantId,
    // Deep-merged over the defaults: discovery comes from the configured authority host.
    wellKnown: `${azure.authorityHost}/${azure.tenantId}/v2.0/.well-known/openid-configuration`,
    authorization: { params: { scope: "openid profile email" } },
    checks: ["pkce", "state", "nonce"],
    httpOptions: { timeout: 10_000, ...(ca ? { ca } : {}) },
    // The default profile() calls Microsoft Graph for a photo; the id token holds all we need.
    profile(profile: Claims) {
      return {
        id: str(profile.oid) || str(profile.sub),
        name: str(profile.name) || str(profile.preferred_username),
        email: str(profile.preferred_username) || str(profile.email),
      };
    },
    ...(credential.kind === "certificate"
      ? {
          client: { token_endpoint_auth_method: "none" },
          token: {
            // Entra ID wants the certificate thumbprint in the assertion header, which
            // openid-client does not send: build the assertion ourselves.
            async request({ client, params, checks, provider: p }) {
              const tokenEndpoint = String(client.issuer.metadata.token_endpoint);
              const assertion = await buildClientAssertion({
                clientId: azure.clientId,
                tokenEndpoint,
                privateKeyPem: credential.privateKeyPem,
                thumbprintSha1: credential.thumbprintSha1,
                thumbprintSha256: credential.thumbprintSha256,
              });
              const tokens = await client.callback(p.callbackUrl, params, checks, {
                exchangeBody: { client_assertion: assertion, client_assertion_type: CLIENT_ASSERTION_TYPE },
              });
              return { tokens };
            },
          },
        }
      : {}),
  });

  return {
    secret: config.auth.secret,
    providers: [provider],
    // Cookies and tokens die with the session: 8 hours from sign-in, however often it is read.
    session: { strategy: "jwt", maxAge: SESSION_LIFETIME_SECONDS },
    jwt: { maxAge: SESSION_LIFETIME_SECONDS, encode: (params) => encodeSessionToken(params) },
    pages: { signIn: "/signin", error: "/signin" },
    callbacks: {
      // Only same-origin paths: a return URL never sends a signed-in person to another host.
      redirect: nextAuthRedirect,
      async signIn({ profile }) {
        const claims = profile as Claims | undefined;
        const decision = decideSignIn(claims, azure.tenantId);
        const oid = str(claims?.oid);
        const name = str(claims?.name) || str(claims?.preferred_username) || "unknown";
        if (!decision.allowed) {
          await recordAuditEvent({
            actor: { type: "staff", id: oid || "unknown", name },
            action: "auth.sign_in",
            outcome: "refused",
            tenantId: str(claims?.tid) || null,
            reason: decision.reason,
            ipAddress: context.ipAddress,
          });
          logger().warn({ event: "auth.sign_in.refused", reason: decision.reason }, "sign-in refused");
          return `/access-denied?reason=${decision.reason}`;
        }
        const db = await getDb();
        const roles = (Array.isArray(claims?.roles) ? claims.roles : []).filter(isPortalRole);
        const now = new Date();
        await db.staffMember.upsert({
          where: { id: oid },
          create: { id: oid, tenantId: azure.tenantId, name, username: str(claims?.preferred_username), roles, lastSignInAt: now },
          update: { name, username: str(claims?.preferred_username), roles, lastSignInAt: now },
        });
        await recordAuditEvent({
          actor: { type: "staff", id: oid, name },
          action: "auth.sign_in",
          outcome: "success",
          reason: decision.role,
          ipAddress: context.ipAddress,
        });
        return true;
      },
      async jwt({ token, profile, trigger }) {
        // Sign-in records a server-side session; the token carries only its id and the sign-in
        // time (never Microsoft's tokens, never the role: that is read from the server).
        if (trigger === "signIn" || trigger === "signUp") {
          const oid = str((profile as Claims | undefined)?.oid);
          if (!oid) throw new Error("sign-in without an account id");
          const { sid, signedInAt } = await startStaffSession({ staffOid: oid, ipAddress: context.ipAddress, userAgent: context.userAgent });
          return { sid, signedInAt };
        }
        // Every later read: refuse (throw) unless the server still accepts this sign-in, so
        // next-auth neither renews the token nor answers with a session, and clears the cookie.
        const live = await verifyStaffSession(token);
        const renewed = { sid: live.sessionId, signedInAt: live.signedInAt.getTime() / 1000 };
        verifiedThisRequest.set(renewed, live);
        return renewed;
      },
      async session({ token }) {
        const live = verifiedThisRequest.get(token) ?? (await verifyStaffSession(token));
        return {
          expires: live.expiresAt.toISOString(),
          user: { oid: live.oid, tenantId: live.tenantId, name: live.name, username: live.username, role: live.role },
        } as unknown as Session; // our own session shape; see server/auth/staff-session.ts
      },
    },
    events: {
      async signOut({ token }) {
        // Ends the session on the server: a copy of the cookie is refused from now on.
        await endStaffSessionAtSignOut({ token, ipAddress: context.ipAddress });
      },
    },
    logger: {
      error(code, metadata) {
        if (hasErrorTag(metadata, "StaffSessionEnded") || (metadata as { code?: unknown } | undefined)?.code === "ERR_JWT_EXPIRED") {
          // An ended session presented again: expected (old tab, copied cookie), not a fault.
          const reason = hasErrorTag(metadata, "StaffSessionEnded") ? (metadata as { reason?: string }).reason : "token-expired";
          logger().warn({ event: "auth.session_refused", reason }, "session refused");
          return;
        }
        // Unexpected: logged whole (pino's `err`, with the stack), whether next-auth passes the Error
        // itself or wraps it as { error, message }.
        const wrapped = (metadata as { error?: unknown } | undefined)?.error;
        const err = metadata instanceof Error ? metadata : wrapped instanceof Error ? wrapped : undefined;
        logger().error({ event: "auth.error", code, message: err?.message, err }, "next-auth error");
      },
      warn(code) {
        logger().warn({ event: "auth.warn", code }, "next-auth warning");
      },
      debug() {},
    },
  };
}
