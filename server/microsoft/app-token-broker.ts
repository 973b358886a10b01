import "server-only";
import { getConfig } from "../config";
import { TokenBroker } from "./token-broker";

const holder = globalThis as unknown as { portalTokenBroker?: TokenBroker };

/** The process's one token broker: one confidential client, one token cache. */
export function getTokenBroker(): TokenBroker {
  if (!holder.portalTokenBroker) {
    const config = getConfig();
    holder.portalTokenBroker = new TokenBroker({ ...config.azure, resource: config.defender.resource });
  }
  return holder.portalTokenBroker;
}
