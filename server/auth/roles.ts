/** The portal's app roles, as assigned in the MSSP's Entra ID tenant (id token `roles` claim). */
export const PORTAL_ROLES = ["Portal.Admin", "Portal.Analyst", "Portal.Reader"] as const;
export type PortalRole = (typeof PORTAL_ROLES)[number];

/** Short names used in code: the role a capability needs (capabilities.ts). */
export type RoleName = "Admin" | "Analyst" | "Reader";

const RANK: Record<PortalRole, number> = { "Portal.Reader": 1, "Portal.Analyst": 2, "Portal.Admin": 3 };

export const ROLE_LABEL: Record<PortalRole, string> = {
  "Portal.Admin": "Admin",
  "Portal.Analyst": "Analyst",
  "Portal.Reader": "Reader",
};

export function isPortalRole(value: unknown): value is PortalRole {
  return typeof value === "string" && (PORTAL_ROLES as readonly string[]).includes(value);
}

/** The strongest portal role in a `roles` claim, or null when the member has none. */
export function highestRole(roles: readonly unknown[] | undefined | null): PortalRole | null {
  let best: PortalRole | null = null;
  for (const role of roles ?? []) {
    if (isPortalRole(role) && (!best || RANK[role] > RANK[best])) best = role;
  }
  return best;
}

/** Admin can do what Analysts can, Analysts what Readers can. */
export function roleAllows(role: PortalRole | null, needed: RoleName): boolean {
  if (!role) return false;
  return RANK[role] >= RANK[`Portal.${needed}`];
}
