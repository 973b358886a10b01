// The redirect URIs registered on the MSSP app. Entra ID requires an exact match; localhost ports
// vary between developers and test runs, so any loopback port is accepted (Entra ID does the same
// for http://localhost redirect URIs).

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
const REGISTERED_PATHS = new Set(["/api/auth/callback/azure-ad", "/consent/callback", "/api/consent/callback"]);

export function isRegisteredRedirectUri(uri: string | null | undefined, extraRegistered: readonly string[] = []): boolean {
  if (!uri) return false;
  if (extraRegistered.includes(uri)) return true;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  if (url.username || url.password || url.search || url.hash) return false;
  return LOOPBACK_HOSTS.has(url.hostname) && REGISTERED_PATHS.has(url.pathname);
}

/** Extra registered redirect URIs from EMULATOR_REDIRECT_URIS (comma-separated). */
export function parseRedirectUriList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}
