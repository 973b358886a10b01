import { encode, type JWTEncodeParams } from "next-auth/jwt";
import { readSessionClaims, remainingLifetimeSeconds } from "./session-lifetime";

/**
 * next-auth re-encodes the session JWT on every session read with `exp` = now + maxAge, which
 * would slide the session forever. Every token we issue instead expires at its sign-in + 8 hours;
 * a token without our claims gets no lifetime at all.
 */
export async function encodeSessionToken(params: JWTEncodeParams, now = new Date()): Promise<string> {
  const claims = readSessionClaims(params.token);
  return encode({ ...params, maxAge: remainingLifetimeSeconds(claims, now) });
}
