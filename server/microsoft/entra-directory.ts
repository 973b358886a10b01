import { isGuid } from "../config-schema";

/**
 * Entra ID's public endpoints that need no token: OpenID discovery (to learn the browser-facing
 * sign-in host and to resolve a verified domain to its tenant GUID) and the admin consent URL.
 */
export class EntraDirectory {
  private browserOrigin: Promise<string> | undefined;

  constructor(private readonly options: { authorityHost: string; clientId: string; resource: string; timeoutMs?: number }) {}

  private async discover(tenant: string): Promise<{ issuer: string; authorization_endpoint: string } | null> {
    const url = `${this.options.authorityHost}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
    if (response.status === 400 || response.status === 404) return null;
    if (!response.ok) throw new Error(`OpenID discovery for ${tenant} answered ${response.status}`);
    return (await response.json()) as { issuer: string; authorization_endpoint: string };
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
    const match = doc?.issuer.match(/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i);
    return match ? match[1]!.toLowerCase() : null;
  }
}
