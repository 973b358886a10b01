import "server-only";
import { getConfig, getDefenderClient, getGraphSecurityClient } from "../services";
import type { IncidentPatch, IncidentSource, SourceIncident } from "../microsoft/source-incident";
import { DEFENDER_API_RETIREMENT, defenderApiRetired } from "../tenants/tenant-status";

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
  return sourceFor(getConfig().incidentSource, tenant, now);
}

/**
 * The rule itself, from the configured mode. Legacy mode past the retirement date: Microsoft no
 * longer answers the Defender API, and the portal does not quietly switch an operator who chose
 * it to Graph (their app registration may lack Graph's permissions, and failed calls would mark
 * healthy tenants as broken). The safe reading is null for every tenant: no calls, no writes, the
 * stored incidents stay readable, the banner and the start-up log say to remove INCIDENT_SOURCE.
 * Refusing to start was rejected: it would take the stored incidents and audit from staff too.
 */
export function sourceFor(mode: "graph" | "defender", tenant: { incidentSource: string }, now: Date): IncidentSource | null {
  const retired = defenderApiRetired(now);
  if (mode === "defender") return retired ? null : "defender";
  if (tenant.incidentSource === "defender") return retired ? null : "defender";
  return "graph";
}

/** What start-up logs about INCIDENT_SOURCE=defender: a warning before the date, an error after it. */
export function legacyModeWarning(mode: "graph" | "defender", now: Date): { level: "warn" | "error"; message: string } | null {
  if (mode !== "defender") return null;
  const date = DEFENDER_API_RETIREMENT.toISOString().slice(0, 10);
  return defenderApiRetired(now)
    ? {
        level: "error",
        message: `INCIDENT_SOURCE=defender, but Microsoft retired the Defender XDR API on ${date}: no incident is synced or updated until INCIDENT_SOURCE is removed (Microsoft Graph, after each customer's Graph consent).`,
      }
    : {
        level: "warn",
        message: `INCIDENT_SOURCE=defender (legacy mode): incidents are read through the Defender XDR API, which Microsoft retires on ${date}. Move to Microsoft Graph before then.`,
      };
}

export function incidentApi(source: IncidentSource): IncidentApi {
  if (source === "graph") {
    const graph = getGraphSecurityClient();
    return { source, getIncident: (input) => graph.getIncident(input), updateIncident: (input) => graph.updateIncident(input) };
  }
  const defender = getDefenderClient();
  return { source, getIncident: (input) => defender.getIncident(input), updateIncident: (input) => defender.updateIncident(input) };
}
