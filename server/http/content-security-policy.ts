// Pure: the portal's Content-Security-Policy and Strict-Transport-Security values. No server-only
// import and no Node API: the proxy builds them for every request.

/** A fresh, unguessable nonce (128 bits, base64) for one response. */
export function newCspNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** The origin of an http(s) URL, or null for anything else. */
function httpOrigin(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.origin : null;
  } catch {
    return null;
  }
}

export type CspInput = {
  nonce: string;
  /** The portal's public URL (NEXTAUTH_URL). */
  portalUrl: string;
  /**
   * Where a form on a portal page may lead, redirects included: Microsoft's sign-in host
   * (AZURE_AUTHORITY_HOST) and the host Microsoft's discovery names for browser pages (the
   * emulator's in demo mode). The consent landing and "Try again" forms post to the portal,
   * which answers 303 to Microsoft's admin consent page; browsers check that redirect too.
   */
  formTargets: readonly string[];
  /** `next dev` needs eval for React's debugging and inline styles for its overlay. */
  development?: boolean;
};

/**
 * Scripts run only from the portal's origin or with this response's nonce (Next.js puts it on its
 * inline bootstrap and its own tags; the layout on the theme script); no plugins, no <base>, no
 * framing, and forms only to the portal and Microsoft's sign-in pages.
 */
export function contentSecurityPolicy(input: CspInput): string {
  const nonce = `'nonce-${input.nonce}'`;
  const portal = httpOrigin(input.portalUrl);
  const formTargets = [...new Set([portal, ...input.formTargets.map(httpOrigin)].filter((origin): origin is string => origin !== null))];
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", nonce, ...(input.development ? ["'unsafe-eval'"] : [])],
    ["style-src", "'self'", ...(input.development ? ["'unsafe-inline'"] : [nonce])],
    ["img-src", "'self'", "data:"],
    ["font-src", "'self'"],
    ["connect-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'none'"],
    ["form-action", "'self'", ...formTargets],
    ["frame-ancestors", "'none'"],
  ];
  if (portal?.startsWith("https:")) directives.push(["upgrade-insecure-requests"]);
  return directives.map((directive) => directive.join(" ")).join("; ");
}

/** Two years, the usual HSTS lifetime. */
const HSTS_MAX_AGE_SECONDS = 63_072_000;

/** HSTS only when the portal is served over HTTPS (browsers ignore it over HTTP anyway). */
export function strictTransportSecurity(portalUrl: string): string | null {
  return httpOrigin(portalUrl)?.startsWith("https:") ? `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains` : null;
}
