// Pure: is a request from the portal's own pages (or typed by the person), or sent by another
// site? A GET that exports data carries the session cookie on a top-level navigation from any
// site (SameSite=Lax), so such a route answers only requests that a browser marks as its own.

function originOf(url: string | null): string | null {
  if (!url) return null;
  try {
    const origin = new URL(url).origin;
    return origin === "null" ? null : origin;
  } catch {
    return null;
  }
}

export type CrossSiteCheck = { allowed: true } | { allowed: false; reason: string };

/**
 * Fetch Metadata first: `Sec-Fetch-Site: same-origin`, or `none` (a typed URL or bookmark).
 * Browsers without it (before 2023) fall back on Origin, then Referer: when either names another
 * origin, refused. A request with none of the three is no browser's cross-site request (curl, a
 * script holding its own session): allowed.
 */
export function checkCrossSiteRequest(headers: Headers, portalUrl: string): CrossSiteCheck {
  const site = headers.get("sec-fetch-site")?.trim().toLowerCase();
  if (site) return site === "same-origin" || site === "none" ? { allowed: true } : { allowed: false, reason: `Sec-Fetch-Site: ${site.slice(0, 20)}` };
  const portal = originOf(portalUrl);
  for (const name of ["origin", "referer"] as const) {
    const value = headers.get(name);
    if (value === null) continue;
    return originOf(value) === portal ? { allowed: true } : { allowed: false, reason: `${name} is another origin` };
  }
  return { allowed: true };
}
