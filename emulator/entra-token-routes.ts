// The token endpoint: client credentials for the Defender XDR API and Microsoft Graph, and the
// authorization-code exchange for staff sign-in, with Entra ID's error responses.
import { createHash } from "node:crypto";
import type { AuthorizationCodeStore } from "./authorization-codes";
import { authenticateClient, parseBasicCredentials } from "./client-authentication";
import { resolveTenantSegment, type EmulatorContext, type TenantSegment } from "./emulator-context";
import { ENTRA_MESSAGES, entraError } from "./entra-errors";
import { addedLatency, respondWithFault } from "./fault-responses";
import { readForm, sendJson, type RequestContext, type Route } from "./http-router";
import { GRAPH_APP_ID, permissionsOf, resourceOfScope, type AppPermission, type DirectoryTenant } from "./model";
import { findUser } from "./seed-directory";
import { clientCredentialsClaims, idTokenClaims, pairwiseSubject, userAccessTokenClaims } from "./tokens";

type Fail = (error: string, code: number, message: string, status?: number) => void;

export function tokenRoutes(ctx: EmulatorContext, codes: AuthorizationCodeStore): Route[] {
  // Alternates between "no roles" and AADSTS65001 per tenant while consent propagates.
  const propagationTurn = new Map<string, number>();

  async function handleToken(rc: RequestContext): Promise<void> {
    const form = await readForm(rc);
    // The v1 endpoint takes `resource` instead of `scope`.
    if (!form.get("scope") && form.get("resource")) form.set("scope", `${form.get("resource")}/.default`);
    const segment = resolveTenantSegment(ctx, rc.param("tenant"));
    const tenantKey = segment.kind === "tenant" ? segment.tenant.id : rc.param("tenant").toLowerCase();
    const grantType = form.get("grant_type") ?? "";
    ctx.metrics.tokenRequest(tenantKey, grantType || "missing");
    if (grantType === "client_credentials") ctx.metrics.tokenRequestForResource(tenantKey, resourceOfScope((form.get("scope") ?? "").trim()) ?? "unknown");

    const correlationId = rc.req.headers["client-request-id"];
    const fail: Fail = (error, code, message, status) => {
      const e = entraError({
        authorityHost: ctx.authorityHost,
        error,
        code,
        message,
        status,
        correlationId: typeof correlationId === "string" ? correlationId : undefined,
      });
      sendJson(rc.res, e.status, e.body);
    };

    await addedLatency(ctx.settings.addedLatencyMs);
    const fault = ctx.faults.take("token", segment.kind === "tenant" ? segment.tenant.id : null);
    const outcome = await respondWithFault(
      rc,
      fault,
      (status, message) =>
        entraError({
          authorityHost: ctx.authorityHost,
          error: status === 429 ? "temporarily_unavailable" : "server_error",
          code: status === 429 ? 90055 : 90033,
          message,
          status,
        }).body,
    );
    if (outcome === "handled") return;

    if (segment.kind === "unknown") return fail("invalid_request", 90002, ENTRA_MESSAGES.tenantNotFound(rc.param("tenant")));
    if (!grantType) return fail("invalid_request", 900144, ENTRA_MESSAGES.missingParameter("grant_type"));
    const basic = parseBasicCredentials(rc.req.headers.authorization);
    const clientId = form.get("client_id") ?? basic?.clientId;
    if (!clientId) return fail("invalid_request", 900144, ENTRA_MESSAGES.missingParameter("client_id"));
    const app = ctx.directory.app;
    if (clientId !== app.clientId) {
      const name = segment.kind === "tenant" ? segment.tenant.displayName : rc.param("tenant");
      return fail("unauthorized_client", 700016, ENTRA_MESSAGES.appNotFound(clientId, name));
    }

    if (grantType !== "client_credentials" && grantType !== "authorization_code") {
      return fail("unsupported_grant_type", 70003, ENTRA_MESSAGES.unsupportedGrant(grantType));
    }
    const pathTenant = segment.kind === "tenant" ? segment.tenant.id : segment.kind;
    const auth = await authenticateClient({
      form,
      basic,
      app,
      appCertificate: ctx.keys.app,
      acceptedAudiences: [...new Set([rc.param("tenant"), pathTenant])].flatMap((t) => [
        `${ctx.authorityHost}/${t}/oauth2/v2.0/token`,
        `${ctx.authorityHost}/${t}/oauth2/token`,
        `${ctx.authorityHost}/${t}/v2.0`,
      ]),
      nowMs: Date.now(),
    });
    if (!auth.ok) return fail(auth.error, auth.code, auth.message);

    if (grantType === "client_credentials") return clientCredentials(rc, form, segment, fail, tenantKey);
    return authorizationCode(rc, form, segment, fail, tenantKey);
  }

  async function clientCredentials(rc: RequestContext, form: URLSearchParams, segment: TenantSegment, fail: Fail, tenantKey: string): Promise<void> {
    if (segment.kind !== "tenant") return fail("invalid_request", 50059, ENTRA_MESSAGES.noTenantInfo());
    const scope = form.get("scope");
    if (!scope) return fail("invalid_request", 900144, ENTRA_MESSAGES.missingParameter("scope"));
    const scopes = scope.trim().split(/\s+/);
    const [only = ""] = scopes;
    if (scopes.length !== 1 || !only.endsWith("/.default")) return fail("invalid_scope", 1002012, ENTRA_MESSAGES.scopeNotDefault(scope));
    const resource = resourceOfScope(only);
    if (!resource) return fail("invalid_scope", 70011, ENTRA_MESSAGES.invalidScope(scope));

    const tenant: DirectoryTenant = segment.tenant;
    const state = ctx.store.tenantState(tenant.id);
    const app = ctx.directory.app;
    if (!state.servicePrincipalId) {
      return state.missingServicePrincipalForm === "700016"
        ? fail("unauthorized_client", 700016, ENTRA_MESSAGES.appNotFound(app.clientId, tenant.displayName))
        : fail("unauthorized_client", 7000229, ENTRA_MESSAGES.missingServicePrincipal(app.clientId, tenant.id));
    }
    if (state.disabled) return fail("unauthorized_client", 7000112, ENTRA_MESSAGES.appDisabled(app.clientId, app.displayName));
    if (state.blocked) return fail("invalid_grant", 53003, ENTRA_MESSAGES.blockedByConditionalAccess());

    // Each API's token carries only that API's granted permissions (none → no `roles` claim).
    let roles: AppPermission[] = permissionsOf(resource, state.grantedPermissions);
    const propagating = state.consentedAtMs !== null && Date.now() - state.consentedAtMs < ctx.settings.propagationDelayMs;
    if (propagating) {
      const turn = propagationTurn.get(tenant.id) ?? 0;
      propagationTurn.set(tenant.id, turn + 1);
      const mode = ctx.settings.propagationMode;
      if (mode === "65001" || (mode === "alternate" && turn % 2 === 1)) {
        return fail("invalid_grant", 65001, ENTRA_MESSAGES.consentMissing(app.clientId, app.displayName));
      }
      roles = [];
    }

    const lifetime = ctx.settings.accessTokenLifetimeSeconds;
    const accessToken = await ctx.signer.sign(
      clientCredentialsClaims({
        tenantId: tenant.id,
        clientId: app.clientId,
        servicePrincipalId: state.servicePrincipalId,
        audience: resource,
        roles,
        lifetimeSeconds: lifetime,
      }),
    );
    ctx.metrics.tokenIssued(tenantKey, "client_credentials");
    ctx.metrics.tokenIssuedForResource(tenantKey, resource);
    sendJson(rc.res, 200, { token_type: "Bearer", expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken });
  }

  async function authorizationCode(rc: RequestContext, form: URLSearchParams, segment: TenantSegment, fail: Fail, tenantKey: string): Promise<void> {
    const code = form.get("code");
    if (!code) return fail("invalid_request", 900144, ENTRA_MESSAGES.missingParameter("code"));
    const redeemed = codes.redeem(code);
    if (!redeemed.ok) {
      return redeemed.reason === "redeemed"
        ? fail("invalid_grant", 54005, ENTRA_MESSAGES.codeRedeemed())
        : fail("invalid_grant", 70008, ENTRA_MESSAGES.invalidCode());
    }
    const record = redeemed.record;
    const app = ctx.directory.app;
    if (record.clientId !== app.clientId) return fail("invalid_grant", 70008, ENTRA_MESSAGES.invalidCode());
    const redirectUri = form.get("redirect_uri");
    if (redirectUri !== record.redirectUri) return fail("invalid_grant", 50011, ENTRA_MESSAGES.redirectMismatch(redirectUri ?? "", app.clientId));
    if (record.codeChallenge) {
      const verifier = form.get("code_verifier");
      if (!verifier) return fail("invalid_grant", 50148, ENTRA_MESSAGES.pkceMismatch());
      const computed = record.codeChallengeMethod === "plain" ? verifier : createHash("sha256").update(verifier).digest("base64url");
      if (computed !== record.codeChallenge) return fail("invalid_grant", 501481, ENTRA_MESSAGES.pkceMismatch());
    }
    if (segment.kind === "tenant" && record.requestedTenantId && segment.tenant.id !== record.requestedTenantId) {
      return fail("invalid_grant", 70008, ENTRA_MESSAGES.invalidCode());
    }
    const found = findUser(ctx.directory, record.userId);
    if (!found) return fail("invalid_grant", 70008, ENTRA_MESSAGES.invalidCode());
    const { user, tenant: home } = found;
    // A tenant-specific authority issues tokens as that tenant even for a foreign (guest-like) user;
    // tid still names the user's home tenant, which is what a relying party must check.
    const issuerTenant = record.requestedTenantId ?? home.id;
    const roles = home.id === app.homeTenantId ? user.appRoles : [];
    const idToken = await ctx.signer.sign(
      idTokenClaims({ issuer: `${ctx.authorityHost}/${issuerTenant}/v2.0`, clientId: app.clientId, homeTenantId: home.id, user, nonce: record.nonce, roles }),
    );
    const scope = "User.Read profile openid email";
    const accessToken = await ctx.signer.sign(userAccessTokenClaims({ tenantId: home.id, clientId: app.clientId, user, scope }));
    ctx.metrics.tokenIssued(tenantKey, "authorization_code");
    sendJson(rc.res, 200, { token_type: "Bearer", scope, expires_in: 3599, ext_expires_in: 3599, access_token: accessToken, id_token: idToken });
  }

  return [
    { method: "POST", path: "/:tenant/oauth2/v2.0/token", handler: handleToken },
    { method: "POST", path: "/:tenant/oauth2/token", handler: handleToken },
    {
      method: "GET",
      path: "/oidc/userinfo",
      handler: async (rc) => {
        const token = /^Bearer (.+)$/i.exec(rc.req.headers.authorization ?? "")?.[1];
        try {
          const claims = await ctx.signer.verify(token ?? "", GRAPH_APP_ID);
          const found = findUser(ctx.directory, String(claims.oid));
          if (!found) throw new Error("unknown user");
          sendJson(rc.res, 200, {
            sub: pairwiseSubject(found.user.id, ctx.directory.app.clientId),
            name: found.user.displayName,
            email: found.user.mail,
            preferred_username: found.user.userPrincipalName,
          });
        } catch {
          sendJson(rc.res, 401, { error: { code: "InvalidAuthenticationToken", message: "Access token is empty or invalid." } });
        }
      },
    },
  ];
}
