import { createHash } from "node:crypto";
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { ClientCredential } from "../config-schema";
import { findGuid, isGuid } from "../../lib/ids";
import { buildClientAssertion, CLIENT_ASSERTION_TYPE } from "./client-assertion";
import { TaggedError } from "../../lib/errors";

/** Who signed in, from a verified id token. */
export type SignedInAdmin = { tenantId: string; oid: string; name: string | null; upn: string | null };

/** Why a sign-in could not be proven; the words are for the audit, the code for the page. */
export class AdminSignInFailed extends TaggedError {
  readonly tag = "AdminSignInFailed";
  constructor(
    readonly code: "token_refused" | "id_token_invalid",
    detail: string,
  ) {
    super(detail);
    this.name = "AdminSignInFailed";
  }
}

/**
 * Entra ID's public endpoints that need no token: OpenID discovery (to learn the browser-facing
 * sign-in host and to resolve a verified domain to its tenant GUID) and the admin consent URL.
 */
export class EntraDirectory {
  private browserOrigin: Promise<string> | undefined;

  private readonly keySets = new Map<string, JWTVerifyGetKey>();

  constructor(private readonly options: { authorityHost: string; clientId: string; resource: string; credential?: ClientCredential; timeoutMs?: number }) {}

  private async discover(tenant: string): Promise<{ issuer: string; authorization_endpoint: string; token_endpoint: string; jwks_uri: string } | null> {
    const url = `${this.options.authorityHost}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
    if (response.status === 400 || response.status === 404) return null;
    if (!response.ok) throw new Error(`OpenID discovery for ${tenant} answered ${response.status}`);
    return (await response.json()) as { issuer: string; authorization_endpoint: string; token_endpoint: string; jwks_uri: string };
  }

  /**
   * The origin a person's browser is sent to. It is the authority host itself at Microsoft; taking
   * it from discovery keeps the portal unaware of where the pages are served. Public for the
   * Content-Security-Policy, whose form-action must allow the redirect to it.
   */
  browserHost(): Promise<string> {
    this.browserOrigin ??= this.discover("organizations")
      .then((doc) => (doc ? new URL(doc.authorization_endpoint).origin : this.options.authorityHost))
      .catch((error: unknown) => {
        this.browserOrigin = undefined; // try again next time
        throw error;
      });
    return this.browserOrigin;
  }

  /** v2 admin consent for application permissions: scope = {resource}/.default. */
  async adminConsentUrl(input: { tenant: string; redirectUri: string; state: string }): Promise<string> {
    const origin = await this.browserHost();
    const url = new URL(`${origin}/${encodeURIComponent(input.tenant)}/v2.0/adminconsent`);
    url.searchParams.set("client_id", this.options.clientId);
    url.searchParams.set("scope", `${this.options.resource}/.default`);
    url.searchParams.set("redirect_uri", input.redirectUri);
    url.searchParams.set("state", input.state);
    return url.toString();
  }

  /** A tenant GUID for a GUID or verified domain; null when Microsoft does not know it. */
  async resolveTenantId(tenant: string): Promise<string | null> {
    if (isGuid(tenant)) return tenant.toLowerCase();
    const doc = await this.discover(tenant);
    return doc ? findGuid(doc.issuer) : null;
  }

  /**
   * After admin consent, the admin signs in to prove who consented (OpenID Connect authorization
   * code with PKCE against the consented tenant, scope `openid profile`). Only the id token is used.
   */
  async adminSignInUrl(input: {
    tenant: string;
    redirectUri: string;
    state: string;
    nonce: string;
    codeVerifier: string;
    loginHint?: string | null;
  }): Promise<string> {
    const origin = await this.browserHost();
    const url = new URL(`${origin}/${encodeURIComponent(input.tenant)}/oauth2/v2.0/authorize`);
    url.searchParams.set("client_id", this.options.clientId);
    url.searchParams.set("response_type", "code");
    url.searchParams.set("redirect_uri", input.redirectUri);
    url.searchParams.set("response_mode", "query");
    url.searchParams.set("scope", "openid profile");
    url.searchParams.set("state", input.state);
    url.searchParams.set("nonce", input.nonce);
    url.searchParams.set("code_challenge", createHash("sha256").update(input.codeVerifier).digest("base64url"));
    url.searchParams.set("code_challenge_method", "S256");
    if (input.loginHint) url.searchParams.set("login_hint", input.loginHint);
    return url.toString();
  }

  /**
   * Redeems the sign-in code (with the app's own credential and the PKCE verifier) and verifies the
   * id token: signature (the tenant's published keys), issuer (that tenant), audience (this app),
   * expiry and nonce. Returns who signed in; the caller compares their `tid` with the tenant.
   */
  async redeemAdminSignIn(input: { tenant: string; code: string; redirectUri: string; codeVerifier: string; nonce: string }): Promise<SignedInAdmin> {
    const credential = this.options.credential;
    if (!credential) throw new Error("EntraDirectory needs the app's credential to redeem a sign-in code");
    const doc = await this.discover(input.tenant);
    if (!doc) throw new AdminSignInFailed("token_refused", `Microsoft does not know tenant ${input.tenant}`);
    const form = new URLSearchParams({
      grant_type: "authorization_code",
      client_id: this.options.clientId,
      code: input.code,
      redirect_uri: input.redirectUri,
      code_verifier: input.codeVerifier,
      scope: "openid profile",
    });
    if (credential.kind === "secret") form.set("client_secret", credential.secret);
    else {
      form.set("client_assertion_type", CLIENT_ASSERTION_TYPE);
      form.set(
        "client_assertion",
        await buildClientAssertion({
          clientId: this.options.clientId,
          tokenEndpoint: doc.token_endpoint,
          privateKeyPem: credential.privateKeyPem,
          thumbprintSha1: credential.thumbprintSha1,
          thumbprintSha256: credential.thumbprintSha256,
        }),
      );
    }
    const response = await fetch(doc.token_endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const body = (await response.json().catch(() => ({}))) as { id_token?: unknown; error?: unknown; error_codes?: unknown };
    if (!response.ok || typeof body.id_token !== "string") {
      const codes = Array.isArray(body.error_codes) ? ` (AADSTS${body.error_codes.join(", AADSTS")})` : "";
      throw new AdminSignInFailed("token_refused", `the sign-in code was refused: ${typeof body.error === "string" ? body.error : response.status}${codes}`);
    }
    let keys = this.keySets.get(doc.jwks_uri);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(doc.jwks_uri));
      this.keySets.set(doc.jwks_uri, keys);
    }
    try {
      const { payload } = await jwtVerify(body.id_token, keys, { issuer: doc.issuer, audience: this.options.clientId, algorithms: ["RS256"] });
      if (payload.nonce !== input.nonce) throw new Error("nonce does not match");
      if (typeof payload.tid !== "string" || typeof payload.oid !== "string") throw new Error("tid or oid missing");
      const text = (v: unknown) => (typeof v === "string" && v ? v.slice(0, 256) : null);
      return { tenantId: payload.tid.toLowerCase(), oid: payload.oid, name: text(payload.name), upn: text(payload.preferred_username) ?? text(payload.upn) };
    } catch (error) {
      throw new AdminSignInFailed("id_token_invalid", `the id token could not be verified: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
