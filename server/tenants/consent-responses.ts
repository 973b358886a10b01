import { getConfig } from "../services";

/** 303 to an absolute URL or a portal path (resolved against the portal's public URL, not the Host header). */
export function seeOther(_request: Request, target: string, headers: Record<string, string> = {}): Response {
  const location = target.startsWith("/") ? `${getConfig().auth.url}${target}` : target;
  return new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store", ...headers } });
}

/** A consent trip lasts at most this long (the attempt's own lifetime). */
const NONCE_MAX_AGE_S = 30 * 60;

/**
 * The cookie that binds a consent attempt to the browser that started it. `__Host-` (Secure, no
 * Domain, Path=/) when the portal is served over HTTPS; demo mode on plain http cannot set Secure.
 * SameSite=Lax: Microsoft's redirect back is a top-level navigation, which Lax cookies accompany.
 */
function nonceCookieName(): string {
  return getConfig().auth.url.startsWith("https://") ? "__Host-consent-nonce" : "consent-nonce";
}

export function consentNonceCookie(value: string | null): string {
  const secure = getConfig().auth.url.startsWith("https://") ? "; Secure" : "";
  return value === null
    ? `${nonceCookieName()}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure}`
    : `${nonceCookieName()}=${value}; Path=/; Max-Age=${NONCE_MAX_AGE_S}; HttpOnly; SameSite=Lax${secure}`;
}

/** The nonce the browser brought back, if any. */
export function readConsentNonce(request: Request): string | null {
  const name = nonceCookieName();
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=") || null;
  }
  return null;
}
