// Staff sign-in for the load benchmark, over plain HTTP and without a browser: the portal's real
// flow (next-auth → the emulator's "Pick an account" → callback), as tests/e2e's signInAs clicks it.
// The session cookie it returns is a secret: it is never printed.
import { buildDirectory } from "../emulator/seed-directory";
import type { PortalRole } from "../server/auth/roles";

export type LoadStaff = { id: string; name: string; role: PortalRole };

/** The emulator's MSSP staff who hold a portal role (Admin, Analysts, Readers), in its own order. */
export function loadStaff(): LoadStaff[] {
  return buildDirectory()
    .mssp.users.filter((u) => u.appRoles.length > 0)
    .map((u) => ({ id: u.id, name: u.displayName, role: u.appRoles[0]! }));
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Only loopback: the bench never sends a request (or a cookie) off this machine. */
function loopbackUrl(raw: string, base?: string): URL {
  const url = new URL(raw, base);
  if (!LOOPBACK.has(url.hostname)) throw new Error(`sign-in: refusing a non-loopback address (${url.origin})`);
  return url;
}

/** A cookie jar for one sign-in: name → value, from Set-Cookie headers (deletions drop the name). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

async function send(jar: CookieJar, url: URL, init: { method?: string; form?: URLSearchParams } = {}): Promise<Response> {
  const response = await fetch(url, {
    method: init.method ?? "GET",
    redirect: "manual",
    headers: {
      cookie: jar.header(),
      ...(init.form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    },
    body: init.form?.toString(),
  });
  jar.take(response);
  return response;
}

function redirectTarget(response: Response, step: string, base: string): URL {
  const location = response.headers.get("location");
  if (response.status < 300 || response.status >= 400 || !location) throw new Error(`sign-in: ${step} answered ${response.status} without a redirect`);
  return loopbackUrl(location, base);
}

export const SESSION_COOKIE = "next-auth.session-token";

/**
 * Signs `staff` in at `portalOrigin` (http://127.0.0.1:port) and returns the Cookie header value
 * that carries the session (only the session cookie). Checks that the portal then reports the
 * session with the staff member's role.
 */
export async function signInOverHttp(portalOrigin: string, staff: LoadStaff): Promise<string> {
  const portal = loopbackUrl(portalOrigin);
  const jar = new CookieJar();
  // 1. next-auth's CSRF token (double-submit: a cookie and the form field).
  const csrfResponse = await send(jar, new URL("/api/auth/csrf", portal));
  if (!csrfResponse.ok) throw new Error(`sign-in: /api/auth/csrf answered ${csrfResponse.status}`);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  // 2. "Sign in with Microsoft": next-auth redirects to the authorization endpoint (PKCE, state, nonce in cookies).
  const start = await send(jar, new URL("/api/auth/signin/azure-ad", portal), {
    method: "POST",
    form: new URLSearchParams({ csrfToken, callbackUrl: new URL("/", portal).toString() }),
  });
  await start.body?.cancel();
  const authorize = redirectTarget(start, "the portal's sign-in", portal.origin);
  // 3. "Pick an account": the emulator's form posts the authorize parameters back with the account chosen.
  const form = new URLSearchParams(authorize.searchParams);
  form.set("user_id", staff.id);
  const picked = await fetch(new URL(authorize.pathname, authorize.origin), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  await picked.body?.cancel();
  const callback = redirectTarget(picked, "the emulator's account picker", authorize.origin);
  if (callback.origin !== portal.origin) throw new Error(`sign-in: the emulator sent the code to ${callback.origin}, not to ${portal.origin}`);
  // 4. The callback: the portal redeems the code and records a server-side staff session.
  const done = await send(jar, callback);
  await done.body?.cancel();
  redirectTarget(done, "the portal's callback", portal.origin);
  const session = jar.get(SESSION_COOKIE);
  if (!session) throw new Error(`sign-in of ${staff.name}: the callback set no session cookie`);
  const cookie = `${SESSION_COOKIE}=${session}`;
  // The portal must now know who this is, with the role from the server (not from the token).
  const check = await fetch(new URL("/api/auth/session", portal), { headers: { cookie } });
  const body = (await check.json()) as { user?: { role?: string } };
  if (body.user?.role !== staff.role) throw new Error(`sign-in of ${staff.name}: the portal reports role ${body.user?.role ?? "none"}, expected ${staff.role}`);
  return cookie;
}
