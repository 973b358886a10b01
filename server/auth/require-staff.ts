import "server-only";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { buildAuthOptions } from "./auth-options";
import { isPortalRole, roleAllows, type RoleName } from "./roles";
import type { StaffSession } from "./staff-session";

/** The signed-in staff member, or null. Re-checks the session on the server every time. */
export async function getStaffSession(): Promise<StaffSession | null> {
  await connection(); // per request, never prerendered
  const session = (await getServerSession(buildAuthOptions())) as { user?: Partial<StaffSession> & { role?: unknown } } | null;
  const user = session?.user;
  if (!user?.oid || !user.tenantId || !isPortalRole(user.role)) return null;
  return { oid: user.oid, tenantId: user.tenantId, name: user.name ?? "", username: user.username ?? "", role: user.role };
}

/**
 * For pages and server actions: a staff session holding at least `role`, or a redirect to sign-in
 * (no session) or to the access-denied page (role too weak).
 */
export async function requireStaff(options: { role?: RoleName; returnTo?: string } = {}): Promise<StaffSession> {
  const staff = await getStaffSession();
  if (!staff) redirect(options.returnTo ? `/signin?callbackUrl=${encodeURIComponent(options.returnTo)}` : "/signin");
  if (options.role && !roleAllows(staff.role, options.role)) redirect(`/access-denied?reason=role&needed=${options.role}`);
  return staff;
}

export class StaffUnauthorized extends Error {
  constructor(readonly status: 401 | 403, message: string) {
    super(message);
    this.name = "StaffUnauthorized";
  }
}

/** For route handlers: wraps a handler with the session and role check, answering 401/403 JSON. */
export function staffRoute<Ctx>(
  options: { role?: RoleName },
  handler: (request: Request, context: Ctx, staff: StaffSession) => Promise<Response>,
): (request: Request, context: Ctx) => Promise<Response> {
  return async (request, context) => {
    const staff = await getStaffSession();
    if (!staff) return Response.json({ error: "unauthenticated", message: "Sign in to the portal first." }, { status: 401 });
    if (options.role && !roleAllows(staff.role, options.role)) {
      return Response.json({ error: "forbidden", message: `This needs the Portal.${options.role} role.` }, { status: 403 });
    }
    return handler(request, context, staff);
  };
}
