import { highestRole, type PortalRole } from "./roles";

export type SignInDecision = { allowed: true; role: PortalRole } | { allowed: false; reason: "foreign-tenant" | "no-role" | "malformed-token" };

/**
 * The app registration is multi-tenant, so anyone from any tenant can finish a Microsoft sign-in:
 * only members of the MSSP's own tenant holding a portal role get in.
 */
export function decideSignIn(claims: Record<string, unknown> | undefined, mspTenantId: string): SignInDecision {
  if (!claims || typeof claims.tid !== "string" || typeof claims.oid !== "string") {
    return { allowed: false, reason: "malformed-token" };
  }
  if (claims.tid.toLowerCase() !== mspTenantId.toLowerCase()) return { allowed: false, reason: "foreign-tenant" };
  const role = highestRole(Array.isArray(claims.roles) ? claims.roles : []);
  if (!role) return { allowed: false, reason: "no-role" };
  return { allowed: true, role };
}
