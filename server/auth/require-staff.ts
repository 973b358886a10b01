import "server-only";
import { actionRefusal, may, type CapabilityName } from "./capabilities";
import { getServerSession } from "next-auth";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { buildAuthOptions } from "./auth-options";
import { isPortalRole } from "./roles";
import type { StaffSession } from "./staff-session";

/**
 * The signed-in staff member, or null. Re-checks the session on the server every time: next-auth's
 * jwt callback (auth-options.ts) refuses a session whose record is missing, ended or past its
 * absolute end, whatever the cookie's own expiry says.
 */
export async function getStaffSession(): Promise<StaffSession | null> {
  await connection(); // per request, never prerendered
  const session = (await getServerSession(buildAuthOptions())) as { user?: Partial<StaffSession> & { role?: unknown } } | null;
  const user = session?.user;
  if (!user?.oid || !user.tenantId || !isPortalRole(user.role)) return null;
  return { oid: user.oid, tenantId: user.tenantId, name: user.name ?? "", username: user.username ?? "", role: user.role };
}

const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

/** A session cookie came with the request: without a session, that session has ended (or was never valid). */
async function sessionCookiePresented(): Promise<boolean> {
  return (await cookies()).getAll().some((cookie) => SESSION_COOKIE.test(cookie.name));
}

export const SESSION_ENDED_MESSAGE = "Your session has ended. Sign in again.";

/** Where a request without a session goes: sign-in, saying so when its session has ended. */
function signInPath(returnTo: string | undefined, ended: boolean): string {
  const params = new URLSearchParams();
  if (returnTo) params.set("callbackUrl", returnTo);
  if (ended) params.set("session", "ended");
  const query = params.toString();
  return query ? `/signin?${query}` : "/signin";
}

/**
 * For pages: the staff session, or a redirect to sign-in (no session, or one that has ended). What the
 * person may do is the capability catalogue's (capabilities.ts): pages ask `refusalFor`, actions and
 * routes check through staffAction / staffRoute.
 */
export async function requireStaff(options: { returnTo?: string } = {}): Promise<StaffSession> {
  const staff = await getStaffSession();
  if (!staff) redirect(signInPath(options.returnTo, await sessionCookiePresented()));
  return staff;
}

/**
 * For route handlers: wraps a handler with the session and capability check, answering 401/403 JSON.
 * `capability: null` is a read every portal role may make (a signed-in staff member is enough).
 */
export function staffRoute<Ctx>(
  options: { capability: CapabilityName | null },
  handler: (request: Request, context: Ctx, staff: StaffSession) => Promise<Response>,
): (request: Request, context: Ctx) => Promise<Response> {
  return async (request, context) => {
    const staff = await getStaffSession();
    if (!staff) {
      const message = (await sessionCookiePresented()) ? SESSION_ENDED_MESSAGE : "Sign in to the portal first.";
      return Response.json({ error: "unauthenticated", message }, { status: 401 });
    }
    if (options.capability && !may(staff.role, options.capability)) {
      return Response.json({ error: "forbidden", message: actionRefusal(options.capability).message }, { status: 403 });
    }
    return handler(request, context, staff);
  };
}
