import "server-only";
import { getConfig } from "../config";
import { getTokenBroker } from "./app-token-broker";
import { DefenderClient } from "./defender-client";
import { GraphSecurityClient } from "./graph-security-client";
import { GRAPH_SECURITY_RATE_LIMITS, RateBudget } from "./rate-budget";

const holder = globalThis as unknown as { portalDefenderClient?: DefenderClient; portalGraphSecurityClient?: GraphSecurityClient };

/** The process's one Defender XDR API client (legacy): one rate budget per tenant across every caller. */
export function getDefenderClient(): DefenderClient {
  holder.portalDefenderClient ??= new DefenderClient({
    apiUrl: getConfig().defender.apiUrl,
    tokens: getTokenBroker().forResource(getConfig().defender.resource),
    budget: new RateBudget({ api: "defender" }),
  });
  return holder.portalDefenderClient;
}

/** The process's one Microsoft Graph security client: one rate budget per tenant across every caller. */
export function getGraphSecurityClient(): GraphSecurityClient {
  holder.portalGraphSecurityClient ??= new GraphSecurityClient({
    apiUrl: getConfig().graph.apiUrl,
    resource: getConfig().graph.resource,
    tokens: getTokenBroker().forResource(getConfig().graph.resource),
    budget: new RateBudget({ api: "graph", routes: GRAPH_SECURITY_RATE_LIMITS, limits: { security: { perMinute: getConfig().graph.callsPerMinute } } }),
  });
  return holder.portalGraphSecurityClient;
}
