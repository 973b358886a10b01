// Authenticates the confidential client at the token endpoint: a client secret (form or HTTP Basic)
// or a certificate-signed client assertion (private_key_jwt), as Entra ID accepts them.
import { decodeProtectedHeader, jwtVerify } from "jose";
import { ENTRA_MESSAGES } from "./entra-errors";
import type { KeyMaterial } from "./key-material";
import type { AppRegistration } from "./model";

export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export type ClientAuthMethod = "client_secret_post" | "client_secret_basic" | "private_key_jwt";
export type ClientAuthFailure = { error: "invalid_client" | "invalid_request"; code: number; message: string };
export type ClientAuthResult = { ok: true; method: ClientAuthMethod } | ({ ok: false } & ClientAuthFailure);

/** client_id and secret from an HTTP Basic header (each part is form-url-encoded per RFC 6749). */
export function parseBasicCredentials(header: string | undefined): { clientId: string; secret: string } | null {
  if (!header?.toLowerCase().startsWith("basic ")) return null;
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  const formDecode = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
  try {
    return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

export async function authenticateClient(opts: {
  form: URLSearchParams;
  basic: { clientId: string; secret: string } | null;
  app: AppRegistration;
  appCertificate: KeyMaterial["app"];
  /** Every URL Microsoft accepts as the assertion's audience for this request. */
  acceptedAudiences: string[];
  nowMs: number;
}): Promise<ClientAuthResult> {
  const { form, basic, app } = opts;
  const assertion = form.get("client_assertion");
  const secret = basic?.secret ?? form.get("client_secret");

  if (assertion) {
    if (form.get("client_assertion_type") !== JWT_BEARER_ASSERTION_TYPE) {
      return { ok: false, error: "invalid_request", code: 700024, message: `Client assertion type must be '${JWT_BEARER_ASSERTION_TYPE}'.` };
    }
    return verifyAssertion(assertion, opts);
  }
  if (!secret) return { ok: false, error: "invalid_client", code: 7000218, message: ENTRA_MESSAGES.missingCredential() };
  const match = app.secrets.find((s) => s.value === secret);
  if (!match) return { ok: false, error: "invalid_client", code: 7000215, message: ENTRA_MESSAGES.invalidSecret(app.clientId) };
  if (Date.parse(match.expiresAt) <= opts.nowMs)
    return { ok: false, error: "invalid_client", code: 7000222, message: ENTRA_MESSAGES.expiredSecret(app.clientId) };
  return { ok: true, method: basic ? "client_secret_basic" : "client_secret_post" };
}

async function verifyAssertion(
  assertion: string,
  opts: { app: AppRegistration; appCertificate: KeyMaterial["app"]; acceptedAudiences: string[] },
): Promise<ClientAuthResult> {
  const fail = (reason: string): ClientAuthResult => ({ ok: false, error: "invalid_client", code: 700027, message: ENTRA_MESSAGES.invalidAssertion(reason) });
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    return fail("The client assertion is not a valid JWT.");
  }
  const cert = opts.appCertificate;
  const sha1 = Buffer.from(cert.sha1Hex, "hex").toString("base64url");
  const sha256 = Buffer.from(cert.sha256Hex, "hex").toString("base64url");
  const presented = typeof header["x5t#S256"] === "string" ? header["x5t#S256"] : header.x5t;
  if (presented !== sha1 && presented !== sha256) {
    return fail(`[Reason - The key was not found., Thumbprint of key used by client: '${String(presented ?? "")}']`);
  }
  try {
    const { payload } = await jwtVerify(assertion, cert.publicKey, {
      algorithms: ["RS256", "PS256"],
      audience: opts.acceptedAudiences,
      issuer: opts.app.clientId,
      subject: opts.app.clientId,
      requiredClaims: ["exp"],
      // Entra ID tolerates five minutes of clock skew; msal rounds nbf up to the next second.
      clockTolerance: 300,
    });
    if (payload.iss !== opts.app.clientId) return fail("[Reason - iss must be the client id.]");
    return { ok: true, method: "private_key_jwt" };
  } catch (error) {
    return fail(`[Reason - ${error instanceof Error ? error.message : "invalid assertion"}.]`);
  }
}
