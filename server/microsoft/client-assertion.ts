import { createPrivateKey } from "node:crypto";
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";

export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

function hexToBase64Url(hex: string): string {
  return Buffer.from(hex, "hex").toString("base64url");
}

/**
 * A certificate client assertion as Entra ID expects it: RS256, the certificate's thumbprints in
 * `x5t` / `x5t#S256`, audience = the token endpoint, short lifetime.
 */
export async function buildClientAssertion(input: {
  clientId: string;
  tokenEndpoint: string;
  privateKeyPem: string;
  thumbprintSha1: string;
  thumbprintSha256: string;
}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({
      alg: "RS256",
      typ: "JWT",
      x5t: hexToBase64Url(input.thumbprintSha1),
      "x5t#S256": hexToBase64Url(input.thumbprintSha256),
    })
    .setIssuer(input.clientId)
    .setSubject(input.clientId)
    .setAudience(input.tokenEndpoint)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 300)
    .sign(createPrivateKey(input.privateKeyPem));
}
