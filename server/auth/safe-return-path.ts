// Pure: where a person may be sent after signing in. A return URL comes from the query string, so
// anyone can write one; only a path on the portal's own origin is followed. No server-only import:
// the proxy, the sign-in page and next-auth's redirect callback share it.

const MAX_LENGTH = 2048;

/**
 * Backslashes and control characters (C0, DEL, C1): browsers read "/\evil" as "//evil" and drop
 * tabs and line breaks ("/\t/evil" becomes "//evil"), so a path holding one may leave the origin.
 */
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\\]/;

/** The value and what it becomes after each round of percent-decoding (a later layer may decode). */
function decodedForms(value: string): string[] {
  const forms = [value];
  let current = value;
  for (let round = 0; round < 3; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      break; // a lone "%" is not an escape; what was decoded so far is checked
    }
    if (next === current) break;
    forms.push(next);
    current = next;
  }
  return forms;
}

function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === "null" ? null : origin;
  } catch {
    return null;
  }
}

/**
 * The path (with query and fragment) that `value` names on `portalOrigin`, or null when it is not
 * a same-origin path: protocol-relative ("//host"), another origin, another scheme, a backslash or
 * a control character (raw or percent-encoded), or a path that normalises to "//host".
 */
export function safeReturnPath(value: unknown, portalOrigin: string): string | null {
  if (typeof value !== "string" || value === "" || value.length > MAX_LENGTH) return null;
  const origin = originOf(portalOrigin);
  if (!origin) return null;
  for (const form of decodedForms(value)) {
    if (UNSAFE_CHARACTER.test(form) || form.startsWith("//")) return null;
  }
  // A path, or an absolute http(s) URL that must then be on the portal's origin.
  if (!value.startsWith("/") && !/^https?:\/\//i.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, `${origin}/`);
  } catch {
    return null;
  }
  if (url.origin !== origin || url.username || url.password) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "/a/..//evil.example" resolves to "//evil.example": check what the browser would be sent.
  if (!path.startsWith("/") || path.startsWith("//")) return null;
  return path;
}

/** Like safeReturnPath, with a fallback (the queue) for anything refused. */
export function safeReturnPathOr(value: unknown, portalOrigin: string, fallback = "/"): string {
  return safeReturnPath(value, portalOrigin) ?? fallback;
}

/**
 * next-auth's `redirect` callback: an absolute URL on the portal's origin (`baseUrl` is the
 * portal's public URL), never elsewhere.
 */
export function nextAuthRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  const origin = originOf(baseUrl) ?? baseUrl;
  return `${origin}${safeReturnPathOr(url, baseUrl)}`;
}
