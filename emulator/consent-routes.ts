// Admin consent (v1 and v2 endpoints): a customer's admin signs in, reviews the application
// permissions and accepts or cancels; the browser then returns to the app's redirect URI.
import { resolveTenantSegment, type EmulatorContext, type TenantSegment } from "./emulator-context";
import { ENTRA_MESSAGES } from "./entra-errors";
import { escapeHtml, hiddenFields, renderErrorPage, renderPage } from "./html-layout";
import { readForm, redirect, sendHtml, type RequestContext, type Route } from "./http-router";
import {
  API_RESOURCES,
  DEFENDER_RESOURCE,
  GRAPH_RESOURCE,
  permissionsOf,
  type ApiResource,
  type AppPermission,
  type DirectoryTenant,
  type DirectoryUser,
} from "./model";
import { isRegisteredRedirectUri } from "./redirect-uris";
import { findUser } from "./seed-directory";
import { withParams } from "./sign-in-routes";

type ConsentVersion = "v1" | "v2";
type ConsentRequest = {
  version: ConsentVersion;
  segment: Exclude<TenantSegment, { kind: "unknown" }>;
  clientId: string;
  redirectUri: string;
  state: string | null;
  scope: string | null;
};

export const PERMISSION_WORDING: Record<AppPermission, { title: string; detail: string }> = {
  "Incident.Read.All": { title: "Read all incidents", detail: "Allows the app to read all incidents, without a signed-in user." },
  "Incident.ReadWrite.All": {
    title: "Read and write all incidents",
    detail: "Allows the app to read and update all incidents (status, assignment, classification, comments), without a signed-in user.",
  },
  "SecurityIncident.Read.All": { title: "Read all security incidents", detail: "Allows the app to read all security incidents, without a signed-in user." },
  "SecurityIncident.ReadWrite.All": {
    title: "Read and write to all security incidents",
    detail: "Allows the app to read and write to all security incidents, without a signed-in user.",
  },
  "SecurityAlert.Read.All": { title: "Read all security alerts", detail: "Allows the app to read all security alerts, without a signed-in user." },
  "SecurityAlert.ReadWrite.All": {
    title: "Read and write to all security alerts",
    detail: "Allows the app to read and write to all security alerts, without a signed-in user.",
  },
};

/** How the consent page names each API (as the Entra admin centre lists them). */
export const API_DISPLAY_NAMES: Record<ApiResource, string> = {
  [DEFENDER_RESOURCE]: "Microsoft Threat Protection",
  [GRAPH_RESOURCE]: "Microsoft Graph",
};

export function consentRoutes(ctx: EmulatorContext): Route[] {
  /** Checks Entra ID makes before it will redirect; renders an error page and returns null otherwise. */
  function parseRequest(rc: RequestContext, version: ConsentVersion, params: URLSearchParams): ConsentRequest | null {
    const errorPage = (code: number, message: string) => {
      sendHtml(rc.res, 400, renderErrorPage(code, message));
      return null;
    };
    const segment = resolveTenantSegment(ctx, rc.param("tenant"));
    if (segment.kind === "unknown") return errorPage(90002, ENTRA_MESSAGES.tenantNotFound(rc.param("tenant")));
    if (segment.kind === "consumers" || (version === "v2" && segment.kind === "common")) {
      return errorPage(
        90009,
        "Admin consent cannot be requested with the 'common' or 'consumers' endpoint. Use a tenant ID, a verified domain or 'organizations'.",
      );
    }
    const app = ctx.directory.app;
    const clientId = params.get("client_id") ?? "";
    if (clientId !== app.clientId) {
      return errorPage(700016, ENTRA_MESSAGES.appNotFound(clientId, segment.kind === "tenant" ? segment.tenant.displayName : rc.param("tenant")));
    }
    const redirectUri = params.get("redirect_uri");
    if (!redirectUri || !isRegisteredRedirectUri(redirectUri, app.extraRedirectUris)) {
      return errorPage(50011, ENTRA_MESSAGES.redirectMismatch(redirectUri ?? "", app.clientId));
    }
    const scope = params.get("scope");
    if (version === "v2" && !scope) return errorPage(900144, ENTRA_MESSAGES.missingParameter("scope"));
    return { version, segment, clientId, redirectUri, state: params.get("state"), scope: version === "v2" ? scope : null };
  }

  function originalParams(req: ConsentRequest): Record<string, string | null> {
    return { client_id: req.clientId, redirect_uri: req.redirectUri, state: req.state, scope: req.scope };
  }

  function eligibleAdmins(segment: ConsentRequest["segment"]): { tenant: DirectoryTenant; user: DirectoryUser }[] {
    const tenants = segment.kind === "tenant" ? [segment.tenant] : ctx.directory.customers;
    return tenants.flatMap((tenant) => tenant.users.filter((u) => u.isGlobalAdmin).map((user) => ({ tenant, user })));
  }

  function renderSignIn(rc: RequestContext, req: ConsentRequest): void {
    const admins = eligibleAdmins(req.segment);
    const items = admins
      .map(
        ({ tenant, user }) => `<li><button class="account" type="submit" name="user_id" value="${escapeHtml(user.id)}">
<span class="name">${escapeHtml(user.displayName)}</span>
<span class="meta">${escapeHtml(user.userPrincipalName)}</span>
<span class="meta">Global Administrator · ${escapeHtml(tenant.displayName)}</span>
</button></li>`,
      )
      .join("\n");
    sendHtml(
      rc.res,
      200,
      renderPage(
        "Sign in to your account",
        `<h1 id="pick">Pick an account</h1>
<p>to continue to ${escapeHtml(ctx.directory.app.displayName)}</p>
<form method="post" action="${escapeHtml(rc.url.pathname)}">
${hiddenFields({ ...originalParams(req), step: "consent" })}
<ul class="accounts" aria-labelledby="pick">
${items || "<li>No administrator accounts are available for this organization.</li>"}
</ul>
</form>`,
      ),
    );
  }

  function renderConsent(rc: RequestContext, req: ConsentRequest, admin: { tenant: DirectoryTenant; user: DirectoryUser }): void {
    const app = ctx.directory.app;
    // Grouped by API, as Microsoft lists them: one heading per API with its permissions below.
    const permissions = API_RESOURCES.map((resource) => {
      const listed = permissionsOf(resource, ctx.settings.requestedPermissions);
      if (listed.length === 0) return "";
      const headingId = `api-${resource === GRAPH_RESOURCE ? "graph" : "defender"}`;
      const items = listed
        .map(
          (p) =>
            `<li><strong>${escapeHtml(PERMISSION_WORDING[p].title)}</strong> <span class="meta">${escapeHtml(PERMISSION_WORDING[p].detail)} (Application permission: ${escapeHtml(p)})</span></li>`,
        )
        .join("\n");
      return `<h3 id="${headingId}">${escapeHtml(API_DISPLAY_NAMES[resource])} (${listed.length})</h3>
<p class="meta">${escapeHtml(resource)}</p>
<ul aria-labelledby="${headingId}">
${items}
</ul>`;
    }).join("\n");
    sendHtml(
      rc.res,
      200,
      renderPage(
        "Permissions requested",
        `<p class="meta">${escapeHtml(admin.user.userPrincipalName)}</p>
<h1>Permissions requested</h1>
<p><strong>${escapeHtml(app.displayName)}</strong><br><span class="meta">Publisher: ${escapeHtml(app.publisherName)} (unverified)</span></p>
<h2 id="perm-heading">This app would like to:</h2>
${permissions}
<p class="note">Accepting grants these permissions for everyone in ${escapeHtml(admin.tenant.displayName)}. The app will be able to use them without anyone signing in. You can remove the app later under Enterprise applications.</p>
<form method="post" action="${escapeHtml(rc.url.pathname)}">
${hiddenFields({ ...originalParams(req), step: "decide", user_id: admin.user.id })}
<div class="actions">
<button type="submit" name="decision" value="cancel">Cancel</button>
<button class="primary" type="submit" name="decision" value="accept">Accept</button>
</div>
</form>`,
      ),
    );
  }

  function decide(rc: RequestContext, req: ConsentRequest, admin: { tenant: DirectoryTenant }, decision: string): void {
    const tenantId = admin.tenant.id;
    if (decision === "accept") {
      ctx.store.grantConsent(tenantId, ctx.settings.requestedPermissions, { propagate: true });
      const params =
        req.version === "v2"
          ? { admin_consent: "True", tenant: tenantId, scope: req.scope, state: req.state }
          : { admin_consent: "True", tenant: tenantId, state: req.state };
      return redirect(rc.res, withParams(req.redirectUri, params));
    }
    if (req.version === "v2" && ctx.settings.cancelForm === "consent_required") {
      // The other form Microsoft's v2 endpoint uses for a declined consent (still with admin_consent=True).
      return redirect(
        rc.res,
        withParams(req.redirectUri, {
          error: "consent_required",
          error_description: "AADSTS65004: User declined to consent to access the app.",
          admin_consent: "True",
          state: req.state,
        }),
      );
    }
    if (req.version === "v2") {
      // Microsoft's v2 endpoint sends admin_consent=True even alongside an error: check `error` first.
      return redirect(
        rc.res,
        withParams(req.redirectUri, {
          error: "access_denied",
          error_subcodes: "cancel",
          error_description: "AADSTS65004: User declined to consent to access the app.",
          state: req.state,
          admin_consent: "True",
          tenant: tenantId,
        }),
      );
    }
    redirect(
      rc.res,
      withParams(req.redirectUri, {
        error: "permission_denied",
        error_description: "AADSTS65004: The resource owner or authorization server denied the request.",
        state: req.state,
      }),
    );
  }

  const start = (version: ConsentVersion) => (rc: RequestContext) => {
    const req = parseRequest(rc, version, rc.url.searchParams);
    if (req) renderSignIn(rc, req);
  };

  const step = (version: ConsentVersion) => async (rc: RequestContext) => {
    const form = await readForm(rc);
    const req = parseRequest(rc, version, form);
    if (!req) return;
    // Never trust the posted account: it must be an administrator the sign-in step could offer.
    const found = findUser(ctx.directory, form.get("user_id") ?? "");
    const eligible = found && eligibleAdmins(req.segment).some((a) => a.user.id === found.user.id);
    if (!found || !eligible) {
      return sendHtml(rc.res, 400, renderErrorPage(50020, "The selected account cannot grant admin consent for this organization."));
    }
    if (form.get("step") === "decide") return decide(rc, req, found, form.get("decision") ?? "");
    renderConsent(rc, req, found);
  };

  return [
    { method: "GET", path: "/:tenant/adminconsent", handler: start("v1") },
    { method: "POST", path: "/:tenant/adminconsent", handler: step("v1") },
    { method: "GET", path: "/:tenant/v2.0/adminconsent", handler: start("v2") },
    { method: "POST", path: "/:tenant/v2.0/adminconsent", handler: step("v2") },
  ];
}
