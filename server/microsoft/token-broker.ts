import { ConfidentialClientApplication, type Configuration } from "@azure/msal-node";
import type { ClientCredential } from "../config-schema";
import { TenantTokenError, classifyAadstsCode } from "./token-errors";

export type AppToken = {
  accessToken: string;
  tenantId: string;
  /** The API the token is for (its `.default` scope), e.g. https://graph.microsoft.com. */
  resource: string;
  /** The `roles` claim: application permissions granted in that tenant. */
  roles: string[];
  expiresOn: Date;
};

export type TokenBrokerOptions = {
  clientId: string;
  credential: ClientCredential;
  authorityHost: string;
  /** Counts real token requests (a cache hit does not call it); used by health and tests. */
  onTokenRequest?: (tenantId: string, resource: string) => void;
};

/** What an API client needs: tokens of one tenant for one API. */
export type TokenSource = {
  getAppToken(tenantId: string, options?: { forceRefresh?: boolean }): Promise<AppToken>;
  forget(tenantId: string): void;
};

function decodeClaims(jwt: string): Record<string, unknown> {
  // The token came straight from the authority over TLS: we read it, the API validates it.
  const payload = jwt.split(".")[1];
  if (!payload) return {};
  try {
    return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * App-only tokens per customer tenant and API (client credentials through msal-node). One token per
 * tenant and resource is kept until 5 minutes before it expires, and concurrent callers share one
 * in-flight request, so a tenant costs at most one token request per token lifetime per API in
 * this process.
 */
export class TokenBroker {
  private readonly app: ConfidentialClientApplication;
  private readonly inFlight = new Map<string, Promise<AppToken>>();
  private readonly cached = new Map<string, AppToken>();

  constructor(private readonly options: TokenBrokerOptions) {
    const { credential } = options;
    const auth: Configuration["auth"] = {
      clientId: options.clientId,
      authority: `${options.authorityHost}/organizations`,
      knownAuthorities: [new URL(options.authorityHost).host],
      ...(credential.kind === "secret"
        ? { clientSecret: credential.secret }
        : { clientCertificate: { thumbprintSha256: credential.thumbprintSha256, privateKey: credential.privateKeyPem, x5c: credential.certificatePem } }),
    };
    this.app = new ConfidentialClientApplication({
      auth,
      system: { loggerOptions: { piiLoggingEnabled: false, logLevel: 0, loggerCallback: () => undefined } },
    });
  }

  /** A valid app-only token for the tenant and API, from cache when it has more than 5 minutes left. */
  async getAppToken(tenantId: string, options: { resource: string; forceRefresh?: boolean }): Promise<AppToken> {
    const tenant = tenantId.toLowerCase();
    const key = cacheKey(tenant, options.resource);
    const hit = this.cached.get(key);
    if (!options.forceRefresh && hit && hit.expiresOn.getTime() - Date.now() > 5 * 60_000) return hit;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const request = this.requestToken(tenant, options.resource).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, request);
    return request;
  }

  /** Forget a tenant's tokens, of one API or all (after a 401 from the API, or when consent changes). */
  forget(tenantId: string, resource?: string): void {
    const tenant = tenantId.toLowerCase();
    if (resource) {
      this.cached.delete(cacheKey(tenant, resource));
      return;
    }
    for (const key of this.cached.keys()) if (key.startsWith(`${tenant}|`)) this.cached.delete(key);
  }

  /** This broker's tokens for one API, as its client needs them. */
  forResource(resource: string): TokenSource {
    return {
      getAppToken: (tenantId, options = {}) => this.getAppToken(tenantId, { ...options, resource }),
      forget: (tenantId) => this.forget(tenantId, resource),
    };
  }

  private async requestToken(tenantId: string, resource: string): Promise<AppToken> {
    this.options.onTokenRequest?.(tenantId, resource);
    let result;
    try {
      result = await this.app.acquireTokenByClientCredential({
        scopes: [`${resource}/.default`],
        authority: `${this.options.authorityHost}/${tenantId}`,
        // This class is the cache (so forget() really forgets); msal's would hide a revoked consent.
        skipCache: true,
      });
    } catch (error) {
      throw toTenantTokenError(tenantId, error);
    }
    if (!result?.accessToken) throw new TenantTokenError(tenantId, "unknown", null);
    const claims = decodeClaims(result.accessToken);
    const token: AppToken = {
      accessToken: result.accessToken,
      tenantId: typeof claims.tid === "string" ? claims.tid.toLowerCase() : "",
      resource,
      roles: Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === "string") : [],
      expiresOn: result.expiresOn ?? new Date(Date.now() + 30 * 60_000),
    };
    this.cached.set(cacheKey(tenantId, resource), token);
    return token;
  }
}

function cacheKey(tenantId: string, resource: string): string {
  return `${tenantId}|${resource.toLowerCase()}`;
}

/** What msal-node threw for one tenant's token request, as the portal's typed error. */
function toTenantTokenError(tenantId: string, error: unknown): TenantTokenError {
  const shape = error as { errorNo?: string | number; errorCode?: string; status?: number } | null;
  const numeric = (value: unknown) => (value != null && /^\d+$/.test(String(value)) ? Number(value) : null);
  // Microsoft's answer carries the AADSTS code in errorNo. After a 429 or 5xx, msal-node holds the
  // tenant's requests back (Retry-After, else 60 s) and replays that answer with its codes joined
  // in errorCode instead: the same cause, so the same code.
  const code = numeric(shape?.errorNo) ?? numeric(String(shape?.errorCode ?? "").split(" ")[0]);
  if (code != null) return new TenantTokenError(tenantId, classifyAadstsCode(code), code);
  // No AADSTS code: the request never got a Microsoft answer (network, timeout, 5xx, throttling).
  return new TenantTokenError(tenantId, "transient", null);
}
