import { encode, type JWTEncodeParams } from "next-auth/jwt";
import { readSessionClaims, remainingLifetimeSeconds } from "./session-lifetime";

/**
 * next-auth's encode reads the clock again (after deriving its key) and sets exp = that second +
 * maxAge; asking for a few seconds less keeps exp at or before the session's end even when that
 * second is later than ours. The server's record ends the session at the exact second anyway.
 */
const CLOCK_MARGIN_SECONDS = 5;

/**
 * next-auth re-encodes the session JWT on every session read with `exp` = now + maxAge, which
 * would slide the session forever. Every token we issue instead expires by its sign-in + 8 hours;
 * a token without our claims gets no lifetime at all.
 */
export async function encodeSessionToken(params: JWTEncodeParams, now = new Date()): Promise<string> {
  const claims = readSessionClaims(params.token);
  return encode({ ...params, maxAge: Math.max(0, remainingLifetimeSeconds(claims, now) - CLOCK_MARGIN_SECONDS) });
}
