// Entra ID token-endpoint errors, shaped like Microsoft's: clients must branch on error_codes.
import { randomUUID } from "node:crypto";

export type EntraError = { status: number; body: EntraErrorBody };
export type EntraErrorBody = {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
};

/** Microsoft's timestamp style: "2024-05-01 12:34:56Z". */
function entraTimestamp(date = new Date()): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")}Z`;
}

export function entraError(opts: { authorityHost: string; error: string; code: number; message: string; status?: number; correlationId?: string }): EntraError {
  const traceId = randomUUID();
  const correlationId = opts.correlationId ?? randomUUID();
  const timestamp = entraTimestamp();
  return {
    status: opts.status ?? (opts.error === "invalid_client" ? 401 : 400),
    body: {
      error: opts.error,
      error_description: `AADSTS${opts.code}: ${opts.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [opts.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${opts.authorityHost}/error?code=${opts.code}`,
    },
  };
}

/** The messages Microsoft returns for the codes the portal handles. */
export const ENTRA_MESSAGES = {
  tenantNotFound: (tenant: string) =>
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  noTenantInfo: () => "No tenant-identifying information found in either the request or implied by any provided credentials.",
  missingServicePrincipal: (clientId: string, tenantId: string) =>
    `The client application ${clientId} is missing service principal in the tenant ${tenantId}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119`,
  appNotFound: (clientId: string, tenantName: string) =>
    `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  consentMissing: (clientId: string, appName: string) =>
    `The user or administrator has not consented to use the application with ID '${clientId}' named '${appName}'. Send an interactive authorization request for this user and resource.`,
  appDisabled: (clientId: string, appName: string) => `Application '${clientId}'(${appName}) is disabled.`,
  invalidSecret: (clientId: string) =>
    `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  expiredSecret: (clientId: string) =>
    `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
  missingCredential: () => "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  invalidAssertion: (reason: string) => `Client assertion failed signature validation. ${reason}`,
  blockedByConditionalAccess: () => "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
  scopeNotDefault: (scope: string) =>
    `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
  invalidScope: (scope: string) => `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
  missingParameter: (name: string) => `The request body must contain the following parameter: '${name}'.`,
  unsupportedGrant: (grant: string) =>
    `The provided value for the input parameter 'grant_type' is not valid. Expected values are the following: 'authorization_code', 'client_credentials'. Got '${grant}'.`,
  invalidCode: () =>
    "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
  codeRedeemed: () => "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
  pkceMismatch: () => "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.",
  redirectMismatch: (uri: string, clientId: string) =>
    `The redirect URI '${uri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
} as const;
