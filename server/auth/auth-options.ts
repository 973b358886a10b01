import "server-only";
import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import type { AuthOptions } from "next-auth";
import AzureADProvider from "next-auth/providers/azure-ad";
import { getConfig } from "../config";
import { getDb } from "../db";
import { logger } from "../logger";
import { recordAuditEvent } from "../audit/audit-event";
import { CLIENT_ASSERTION_TYPE, buildClientAssertion } from "../microsoft/client-assertion";
import { decideSignIn } from "./sign-in-decision";
import { highestRole, isPortalRole } from "./roles";

const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

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
export function buildAuthOptions(context: { ipAddress?: string | null } = {}): AuthOptions {
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
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    callbacks: {
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
      async jwt({ token, profile }) {
        // Only on sign-in: keep identity and role, never Microsoft's tokens.
        if (profile) {
          const claims = profile as Claims;
          token.oid = str(claims.oid);
          token.tid = str(claims.tid);
          token.name = str(claims.name) || str(claims.preferred_username);
          token.username = str(claims.preferred_username);
          token.role = highestRole(Array.isArray(claims.roles) ? claims.roles : []);
        }
        return token;
      },
      async session({ session, token }) {
        return {
          expires: session.expires,
          user: {
            oid: str(token.oid),
            tenantId: str(token.tid),
            name: str(token.name),
            username: str(token.username),
            role: isPortalRole(token.role) ? token.role : null,
          },
        } as unknown as typeof session; // our own session shape; see server/auth/staff-session.ts
      },
    },
    events: {
      async signOut({ token }) {
        if (token?.oid) {
          await recordAuditEvent({
            actor: { type: "staff", id: str(token.oid), name: str(token.name) },
            action: "auth.sign_out",
            outcome: "success",
            ipAddress: context.ipAddress,
          });
        }
      },
    },
    logger: {
      error(code, metadata) {
        logger().error({ event: "auth.error", code, message: metadata instanceof Error ? metadata.message : undefined }, "next-auth error");
      },
      warn(code) {
        logger().warn({ event: "auth.warn", code }, "next-auth warning");
      },
      debug() {},
    },
  };
}
