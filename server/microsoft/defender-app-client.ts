import "server-only";
import { getConfig } from "../config";
import { getTokenBroker } from "./app-token-broker";
import { DefenderClient } from "./defender-client";
import { DefenderRateBudget } from "./defender-rate-budget";

const holder = globalThis as unknown as { portalDefenderClient?: DefenderClient };

/** The process's one Defender client: one rate budget per tenant across every caller. */
export function getDefenderClient(): DefenderClient {
  holder.portalDefenderClient ??= new DefenderClient({
    apiUrl: getConfig().defender.apiUrl,
    tokens: getTokenBroker(),
    budget: new DefenderRateBudget(),
  });
  return holder.portalDefenderClient;
}
