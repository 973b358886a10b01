import "server-only";
import { getConfig, getDefenderClient, getGraphSecurityClient } from "../services";
import type { IncidentPatch, IncidentSource, SourceIncident } from "../microsoft/source-incident";
import { defenderApiRetired } from "../tenants/tenant-status";

/** What actions need of an incident API, whichever it is. */
export type IncidentApi = {
  source: IncidentSource;
  getIncident(input: { tenantId: string; incidentId: number; signal?: AbortSignal }): Promise<SourceIncident>;
  updateIncident(input: { tenantId: string; incidentId: number; patch: IncidentPatch; signal?: AbortSignal }): Promise<SourceIncident>;
};

/**
 * The API a tenant's incidents are read and written through: Graph, unless the portal runs in
 * legacy mode (INCIDENT_SOURCE=defender) or the tenant only consented to the Defender API, which
 * then serves until Microsoft turns it off. Null: nothing can reach the tenant's incidents now.
 */
export function sourceForTenant(tenant: { incidentSource: string }, now = new Date()): IncidentSource | null {
  if (getConfig().incidentSource === "defender") return "defender";
  if (tenant.incidentSource === "defender") return defenderApiRetired(now) ? null : "defender";
  return "graph";
}

export function incidentApi(source: IncidentSource): IncidentApi {
  if (source === "graph") {
    const graph = getGraphSecurityClient();
    return { source, getIncident: (input) => graph.getIncident(input), updateIncident: (input) => graph.updateIncident(input) };
  }
  const defender = getDefenderClient();
  return { source, getIncident: (input) => defender.getIncident(input), updateIncident: (input) => defender.updateIncident(input) };
}
