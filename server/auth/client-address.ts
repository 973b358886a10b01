import { CLIENT_ADDRESS_HEADER } from "../../scripts/lib/client-chain.mjs";

/**
 * The client address for audit and rate limits, as the portal's own server worked it out from the
 * socket (and TRUSTED_PROXY_HOPS proxies): never X-Forwarded-For as a client sent it. Null when the
 * portal runs without that server (`next dev`).
 */
export function clientAddress(headers: Headers): string | null {
  return headers.get(CLIENT_ADDRESS_HEADER)?.trim() || null;
}
