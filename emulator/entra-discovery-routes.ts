// OpenID Connect discovery, JWKS and the instance discovery msal calls before anything else.
import { resolveTenantSegment, type EmulatorContext } from "./emulator-context";
import { ENTRA_MESSAGES, entraError } from "./entra-errors";
import { sendJson, type RequestContext, type Route } from "./http-router";

/** The tenant id used in discovery URLs: a GUID for real tenants, a placeholder for the aliases. */
function discoveryTenant(ctx: EmulatorContext, rc: RequestContext): { pathTenant: string; issuerTenant: string } | null {
  const resolved = resolveTenantSegment(ctx, rc.param("tenant"));
  if (resolved.kind === "tenant") return { pathTenant: resolved.tenant.id, issuerTenant: resolved.tenant.id };
  if (resolved.kind === "unknown") {
    const e = entraError({
      authorityHost: ctx.authorityHost,
      error: "invalid_tenant",
      code: 90002,
      message: ENTRA_MESSAGES.tenantNotFound(rc.param("tenant")),
    });
    sendJson(rc.res, e.status, e.body);
    return null;
  }
  // Like Microsoft: the multi-tenant documents keep the alias in endpoints and a placeholder in the issuer.
  return { pathTenant: resolved.kind, issuerTenant: "{tenantid}" };
}

export function openIdConfigurationV2(ctx: EmulatorContext, pathTenant: string, issuerTenant: string) {
  const { authorityHost: https, browserUrl: browser } = ctx;
  return {
    token_endpoint: `${https}/${pathTenant}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${https}/${pathTenant}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${https}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${https}/oidc/userinfo`,
    // Pages a person sees are served over plain HTTP on loopback so browsers need not trust the local CA.
    authorization_endpoint: `${browser}/${pathTenant}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${https}/${pathTenant}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${browser}/${pathTenant}/oauth2/v2.0/logout`,
    claims_supported: [
      "sub",
      "iss",
      "cloud_instance_name",
      "cloud_instance_host_name",
      "cloud_graph_host_name",
      "msgraph_host",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "acr",
      "nonce",
      "preferred_username",
      "name",
      "tid",
      "ver",
      "at_hash",
      "c_hash",
      "email",
    ],
    kerberos_endpoint: `${https}/${pathTenant}/kerberos`,
    tenant_region_scope: "EU",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  };
}

function openIdConfigurationV1(ctx: EmulatorContext, pathTenant: string, issuerTenant: string) {
  const { authorityHost: https, browserUrl: browser } = ctx;
  return {
    token_endpoint: `${https}/${pathTenant}/oauth2/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${https}/${pathTenant}/discovery/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "token id_token", "token"],
    scopes_supported: ["openid"],
    issuer: `https://sts.windows.net/${issuerTenant}/`,
    microsoft_multi_refresh_token: true,
    authorization_endpoint: `${browser}/${pathTenant}/oauth2/authorize`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${browser}/${pathTenant}/oauth2/v2.0/logout`,
    claims_supported: [
      "sub",
      "iss",
      "cloud_instance_name",
      "cloud_instance_host_name",
      "cloud_graph_host_name",
      "msgraph_host",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "acr",
      "amr",
      "nonce",
      "email",
      "given_name",
      "family_name",
      "nickname",
    ],
    tenant_region_scope: "EU",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  };
}

export function discoveryRoutes(ctx: EmulatorContext): Route[] {
  const keys = async (rc: RequestContext) => {
    const t = discoveryTenant(ctx, rc);
    if (t) sendJson(rc.res, 200, await ctx.signer.jwks(`${ctx.authorityHost}/${t.issuerTenant}/v2.0`));
  };
  return [
    {
      method: "GET",
      path: "/:tenant/v2.0/.well-known/openid-configuration",
      handler: (rc) => {
        const t = discoveryTenant(ctx, rc);
        if (t) sendJson(rc.res, 200, openIdConfigurationV2(ctx, t.pathTenant, t.issuerTenant));
      },
    },
    {
      method: "GET",
      path: "/:tenant/.well-known/openid-configuration",
      handler: (rc) => {
        const t = discoveryTenant(ctx, rc);
        if (t) sendJson(rc.res, 200, openIdConfigurationV1(ctx, t.pathTenant, t.issuerTenant));
      },
    },
    { method: "GET", path: "/:tenant/discovery/v2.0/keys", handler: keys },
    { method: "GET", path: "/:tenant/discovery/keys", handler: keys },
    {
      method: "GET",
      path: "/common/discovery/instance",
      handler: (rc) => {
        const host = new URL(ctx.authorityHost).host;
        // authorization_endpoint is ".../{tenant}/oauth2/v2.0/authorize"; keep the caller's tenant.
        let tenant = "common";
        try {
          const endpoint = new URL(rc.url.searchParams.get("authorization_endpoint") ?? "");
          tenant = endpoint.pathname.split("/").filter(Boolean)[0] ?? "common";
        } catch {
          // No or malformed authorization_endpoint: Microsoft answers with the common document.
        }
        sendJson(rc.res, 200, {
          tenant_discovery_endpoint: `${ctx.authorityHost}/${tenant}/v2.0/.well-known/openid-configuration`,
          "api-version": "1.1",
          metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
        });
      },
    },
  ];
}
