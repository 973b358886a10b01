import "server-only";
import { getConfig } from "../config";
import { TokenBroker } from "./token-broker";

const holder = globalThis as unknown as { portalTokenBroker?: TokenBroker };

/** The process's one token broker: one confidential client, one token cache per tenant and API. */
export function getTokenBroker(): TokenBroker {
  if (!holder.portalTokenBroker) {
    holder.portalTokenBroker = new TokenBroker({ ...getConfig().azure });
  }
  return holder.portalTokenBroker;
}
