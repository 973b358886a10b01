import type { PortalRole } from "./roles";

/** What the portal knows about a signed-in staff member; no tokens, ever. */
export type StaffSession = {
  oid: string;
  tenantId: string;
  name: string;
  username: string;
  role: PortalRole;
};
