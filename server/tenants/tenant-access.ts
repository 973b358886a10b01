import "server-only";
import { getConfig, getTokenBroker } from "../services";
import { isTenantTokenError } from "../microsoft/token-errors";
import type { IncidentSource } from "../microsoft/source-incident";
import { defenderApiRetired, rolesCover, type RequiredAccess, type TenantStatus } from "./tenant-status";

export type AccessCheck = {
  /** active: the tenant's API covers what it needs; graph_consent_needed: only the old API does. */
  status: Extract<TenantStatus, "active" | "graph_consent_needed" | "permission_missing">;
  /** Where the tenant's incidents are read and written from now on. */
  source: IncidentSource;
  /** The `roles` of the Graph token (empty in legacy mode). */
  graphRoles: string[];
  /** The `roles` of the Defender API token, when it was asked for. */
  legacyRoles: string[];
  /** The `tid` Microsoft put in the token (lower case); must equal the tenant asked for. */
  tokenTenantId: string;
};

/**
 * Asks Microsoft for fresh app-only tokens and says what the tenant granted. With Graph as the
 * source (the default), a Graph token decides; when it lacks the roles, a Defender API token tells
 * whether the tenant consented before the portal asked for Graph (it still syncs through the old
 * API until Microsoft turns it off). In legacy mode only the Defender API is asked. Token failures
 * are thrown as TenantTokenError (the service principal is shared, so they concern the tenant).
 */
export async function checkTenantAccess({ tenantId, access }: { tenantId: string; access: RequiredAccess }): Promise<AccessCheck> {
  const config = getConfig();
  const broker = getTokenBroker();
  broker.forget(tenantId);
  if (config.incidentSource === "defender") {
    const token = await broker.getAppToken(tenantId, { resource: config.defender.resource });
    return {
      status: rolesCover(token.roles, access, "defender") ? "active" : "permission_missing",
      source: "defender",
      graphRoles: [],
      legacyRoles: token.roles,
      tokenTenantId: token.tenantId,
    };
  }
  const graph = await broker.getAppToken(tenantId, { resource: config.graph.resource });
  if (rolesCover(graph.roles, access, "graph"))
    return { status: "active", source: "graph", graphRoles: graph.roles, legacyRoles: [], tokenTenantId: graph.tenantId };
  let legacyRoles: string[] = [];
  if (!defenderApiRetired()) {
    try {
      legacyRoles = (await broker.getAppToken(tenantId, { resource: config.defender.resource })).roles;
    } catch (error) {
      // The Graph token was issued, so the tenant is reachable; the old API just cannot help.
      if (!isTenantTokenError(error)) throw error;
    }
  }
  const legacy = rolesCover(legacyRoles, access, "defender");
  return {
    status: legacy ? "graph_consent_needed" : "permission_missing",
    source: legacy ? "defender" : "graph",
    graphRoles: graph.roles,
    legacyRoles,
    tokenTenantId: graph.tenantId,
  };
}
