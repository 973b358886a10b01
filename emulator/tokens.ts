// Signs and verifies the emulator's JWTs (RS256 with the key published in JWKS) and builds the
// claim sets Entra ID puts in access tokens and id tokens.
import { createHash, randomUUID } from "node:crypto";
import { exportJWK, jwtVerify, SignJWT, type JWTPayload } from "jose";
import type { KeyMaterial } from "./key-material";
import { GRAPH_APP_ID, type ApiResource, type AppPermission, type DirectoryUser } from "./model";

export type TokenSigner = {
  sign(claims: JWTPayload): Promise<string>;
  /** Verifies signature, audience (any of several) and expiry; throws on any failure. */
  verify(token: string, audience: string | string[]): Promise<JWTPayload>;
  jwks(issuer: string): Promise<{ keys: Record<string, unknown>[] }>;
};

export function createTokenSigner(signing: KeyMaterial["signing"]): TokenSigner {
  return {
    sign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "JWT", kid: signing.kid, x5t: signing.kid }).sign(signing.privateKey),
    verify: async (token, audience) => (await jwtVerify(token, signing.publicKey, { audience, algorithms: ["RS256"] })).payload,
    jwks: async (issuer) => {
      const jwk = await exportJWK(signing.publicKey);
      return {
        keys: [
          {
            kty: jwk.kty,
            use: "sig",
            kid: signing.kid,
            x5t: signing.kid,
            n: jwk.n,
            e: jwk.e,
            x5c: [signing.x5c],
            issuer,
            cloud_instance_name: "microsoftonline.com",
          },
        ],
      };
    },
  };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The app-only access token for one API (v1.0 format, as both resources issue): `aud` is the API
 * (Defender XDR or Microsoft Graph), `roles` only that API's granted permissions.
 */
export function clientCredentialsClaims(opts: {
  tenantId: string;
  clientId: string;
  servicePrincipalId: string;
  audience: ApiResource;
  roles: AppPermission[];
  lifetimeSeconds: number;
}): JWTPayload {
  const iat = nowSeconds();
  return {
    aud: opts.audience,
    iss: `https://sts.windows.net/${opts.tenantId}/`,
    iat,
    nbf: iat,
    exp: iat + opts.lifetimeSeconds,
    aio: randomUUID(),
    app_displayname: "Northwind MSSP Portal",
    appid: opts.clientId,
    appidacr: "1",
    azp: opts.clientId,
    idp: `https://sts.windows.net/${opts.tenantId}/`,
    idtyp: "app",
    oid: opts.servicePrincipalId,
    rh: "0.emulator.",
    // Microsoft omits the claim entirely when nothing is granted.
    ...(opts.roles.length > 0 ? { roles: opts.roles } : {}),
    sub: opts.servicePrincipalId,
    tid: opts.tenantId,
    uti: randomUUID().replace(/-/g, "").slice(0, 22),
    ver: "1.0",
  };
}

/** A pairwise subject: stable per user and app, different across apps (as Entra ID does). */
export function pairwiseSubject(userId: string, clientId: string): string {
  return createHash("sha256").update(`${userId}|${clientId}`).digest("base64url").slice(0, 43);
}

export function idTokenClaims(opts: {
  issuer: string;
  clientId: string;
  homeTenantId: string;
  user: DirectoryUser;
  nonce: string | null;
  roles: string[];
}): JWTPayload {
  const iat = nowSeconds();
  return {
    aud: opts.clientId,
    iss: opts.issuer,
    iat,
    nbf: iat,
    exp: iat + 3600,
    ...(opts.user.mail ? { email: opts.user.mail } : {}),
    name: opts.user.displayName,
    ...(opts.nonce ? { nonce: opts.nonce } : {}),
    oid: opts.user.id,
    preferred_username: opts.user.userPrincipalName,
    rh: "0.emulator.",
    ...(opts.roles.length > 0 ? { roles: opts.roles } : {}),
    sub: pairwiseSubject(opts.user.id, opts.clientId),
    tid: opts.homeTenantId,
    uti: randomUUID().replace(/-/g, "").slice(0, 22),
    ver: "2.0",
  };
}

/** A delegated Microsoft Graph token for the signed-in user (the portal never calls Graph with it). */
export function userAccessTokenClaims(opts: { tenantId: string; clientId: string; user: DirectoryUser; scope: string }): JWTPayload {
  const iat = nowSeconds();
  return {
    aud: GRAPH_APP_ID,
    iss: `https://sts.windows.net/${opts.tenantId}/`,
    iat,
    nbf: iat,
    exp: iat + 3600,
    app_displayname: "Northwind MSSP Portal",
    appid: opts.clientId,
    name: opts.user.displayName,
    oid: opts.user.id,
    scp: opts.scope,
    sub: pairwiseSubject(opts.user.id, "graph"),
    tid: opts.tenantId,
    upn: opts.user.userPrincipalName,
    ver: "1.0",
  };
}
