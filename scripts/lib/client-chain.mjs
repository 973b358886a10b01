// Which address a request really came from. Next.js does not expose the socket to route
// handlers and keeps any X-Forwarded-For a client sends, so a client could name any address it
// likes. The portal's own HTTP server (portal-server.mjs) works it out from the socket instead and
// passes it on in a header that it always overwrites.

/** The header the portal's server sets on every request (never taken from the client). */
export const CLIENT_ADDRESS_HEADER = "x-portal-client-address";

/**
 * The client address: the socket's peer, unless `trustedHops` proxies in front of the portal each
 * append the address they saw to X-Forwarded-For; then the rightmost hop they did not add is the
 * client. Entries further left were written by the client itself and are ignored.
 * @param {string | null | undefined} socketAddress
 * @param {string | string[] | null | undefined} forwardedFor
 * @param {number} trustedHops
 * @returns {string | null}
 */
export function clientAddressFrom(socketAddress, forwardedFor, trustedHops) {
  const peer = normalize(socketAddress);
  if (trustedHops <= 0) return peer;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? "");
  const hops = header
    .split(",")
    .map((h) => normalize(h.trim()))
    .filter((h) => h !== null);
  // The chain as the portal sees it: what the proxies wrote, then the last proxy itself.
  const chain = [...hops, peer].filter((h) => h !== null);
  const index = chain.length - 1 - trustedHops;
  return chain[Math.max(0, index)] ?? null;
}

/** "::ffff:127.0.0.1" → "127.0.0.1"; anything that is not an address → null. */
function normalize(value) {
  if (!value) return null;
  const text = String(value)
    .trim()
    .replace(/^\[|\]$/g, "");
  const v4 = text.replace(/^::ffff:/i, "");
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(v4)) return v4;
  if (/^[0-9a-f:]+$/i.test(text) && text.includes(":")) return text.toLowerCase();
  return null;
}

/**
 * TRUSTED_PROXY_HOPS: how many proxies in front of the portal append to X-Forwarded-For (0: none,
 * the default; the socket's peer is the client).
 * @param {string | undefined} raw
 */
export function trustedHopsFrom(raw) {
  if (raw === undefined || raw.trim() === "") return 0;
  const hops = Number(raw);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10)
    throw new Error(`Configuration error: TRUSTED_PROXY_HOPS is invalid: must be a whole number from 0 to 10, got '${raw}'`);
  return hops;
}
