import "server-only";
import { getConfig, getEntraDirectory, services } from "../services";
import { contentSecurityPolicy, newCspNonce, strictTransportSecurity } from "./content-security-policy";

/** How long a page whose forms lead to Microsoft waits for discovery before falling back. */
const DISCOVERY_WAIT_MS = 3_000;

/** Starts (once at a time) learning Microsoft's browser-facing sign-in origin from discovery. */
function lookUpBrowserSignInOrigin(): Promise<void> {
  const slot = services();
  const lookup = (slot.browserSignInLookup ??= getEntraDirectory()
    .browserHost()
    .then((origin) => {
      slot.browserSignInOrigin = origin;
    })
    .catch(() => undefined) // tried again by the next request; the authority host stands in meanwhile
    .finally(() => {
      slot.browserSignInLookup = undefined;
    }));
  return lookup;
}

/**
 * Microsoft's browser-facing sign-in origin (the emulator's pages in demo mode; the authority host
 * itself at Microsoft). Only a page whose forms lead there waits, briefly, for a first discovery:
 * no other page (nor the health check) is held up by an unreachable authority.
 */
async function browserSignInOrigin(authorityHost: string, wait: boolean): Promise<string> {
  const known = services().browserSignInOrigin;
  if (known) return known;
  const lookup = lookUpBrowserSignInOrigin();
  if (!wait) return authorityHost;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([lookup, new Promise<void>((resolve) => (timer = setTimeout(resolve, DISCOVERY_WAIT_MS)))]);
  clearTimeout(timer);
  return services().browserSignInOrigin ?? authorityHost;
}

export type SecurityHeaders = { nonce: string; contentSecurityPolicy: string; strictTransportSecurity: string | null };

/**
 * The security headers of one response, with a fresh nonce. `formsLeadToMicrosoft`: the page's
 * forms post to the portal, which redirects to Microsoft (consent pages).
 */
export async function securityHeadersForRequest({ formsLeadToMicrosoft }: { formsLeadToMicrosoft: boolean }): Promise<SecurityHeaders> {
  const config = getConfig();
  const nonce = newCspNonce();
  const formTargets = [config.azure.authorityHost, await browserSignInOrigin(config.azure.authorityHost, formsLeadToMicrosoft)];
  return {
    nonce,
    // NODE_ENV is fixed by Next.js at build time, not configuration.
    contentSecurityPolicy: contentSecurityPolicy({ nonce, portalUrl: config.auth.url, formTargets, development: process.env.NODE_ENV === "development" }),
    strictTransportSecurity: strictTransportSecurity(config.auth.url),
  };
}
