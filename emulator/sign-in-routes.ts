// The interactive sign-in (authorization endpoint) a person's browser sees: "Pick an account".
// The emulator has no passwords; choosing an account signs it in.
import { randomUUID } from "node:crypto";
import type { AuthorizationCodeStore } from "./authorization-codes";
import { resolveTenantSegment, type EmulatorContext } from "./emulator-context";
import { ENTRA_MESSAGES } from "./entra-errors";
import { escapeHtml, hiddenFields, renderErrorPage, renderPage } from "./html-layout";
import { readForm, redirect, sendHtml, sendRaw, type RequestContext, type Route } from "./http-router";
import type { DirectoryTenant, DirectoryUser } from "./model";
import { isRegisteredRedirectUri } from "./redirect-uris";
import { findUser } from "./seed-directory";

const AUTHORIZE_PARAMS = [
  "client_id",
  "redirect_uri",
  "response_type",
  "response_mode",
  "scope",
  "state",
  "nonce",
  "code_challenge",
  "code_challenge_method",
  "prompt",
  "login_hint",
] as const;

/** Appends parameters to a redirect URI, in the query or the fragment as the response mode asks. */
export function withParams(uri: string, params: Record<string, string | null | undefined>, mode: "query" | "fragment" = "query"): string {
  const url = new URL(uri);
  const target = mode === "fragment" ? new URLSearchParams() : url.searchParams;
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined) target.set(key, value);
  if (mode === "fragment") url.hash = target.toString();
  return url.toString();
}

function userButton(user: DirectoryUser, tenant: DirectoryTenant, isHome: boolean): string {
  const roles = user.appRoles.length > 0 ? user.appRoles.join(", ") : isHome ? "No portal role" : "";
  const extra = [user.jobTitle, roles, user.isGlobalAdmin ? "Global Administrator" : ""].filter(Boolean).join(" · ");
  return `<li><button class="account" type="submit" name="user_id" value="${escapeHtml(user.id)}">
<span class="name">${escapeHtml(user.displayName)}</span>
<span class="meta">${escapeHtml(user.userPrincipalName)}</span>
<span class="meta">${escapeHtml(extra)}${isHome ? "" : ` · ${escapeHtml(tenant.displayName)}`}</span>
</button></li>`;
}

function renderPickAccount(primary: DirectoryTenant, others: DirectoryTenant[], params: Record<string, string | null>, action: string): string {
  const isHome = primary.kind === "mssp";
  return renderPage(
    "Pick an account",
    `<h1>Pick an account</h1>
<form method="post" action="${escapeHtml(action)}">
${hiddenFields(params)}
<h2 id="home-accounts">${escapeHtml(primary.displayName)}</h2>
<ul class="accounts" aria-labelledby="home-accounts">
${primary.users.map((u) => userButton(u, primary, isHome)).join("\n")}
</ul>
<h2 id="other-accounts">Use an account from another organization</h2>
<p class="note">For testing: these people do not belong to ${escapeHtml(primary.displayName)}.</p>
${others
  .map(
    (t) => `<h3 id="tenant-${escapeHtml(t.id)}">${escapeHtml(t.displayName)}</h3>
<ul class="accounts" aria-labelledby="tenant-${escapeHtml(t.id)}">
${t.users.map((u) => userButton(u, t, false)).join("\n")}
</ul>`,
  )
  .join("\n")}
</form>`,
  );
}

export function signInRoutes(ctx: EmulatorContext, codes: AuthorizationCodeStore): Route[] {
  /** Validates what Entra ID validates before it will redirect anywhere; answers and returns null otherwise. */
  function validate(rc: RequestContext, params: URLSearchParams) {
    const errorPage = (code: number, message: string) => {
      sendHtml(rc.res, 400, renderErrorPage(code, message));
      return null;
    };
    const segment = resolveTenantSegment(ctx, rc.param("tenant"));
    if (segment.kind === "unknown") return errorPage(90002, ENTRA_MESSAGES.tenantNotFound(rc.param("tenant")));
    const app = ctx.directory.app;
    const clientId = params.get("client_id") ?? "";
    if (clientId !== app.clientId) {
      return errorPage(700016, ENTRA_MESSAGES.appNotFound(clientId, segment.kind === "tenant" ? segment.tenant.displayName : rc.param("tenant")));
    }
    const redirectUri = params.get("redirect_uri");
    if (!redirectUri || !isRegisteredRedirectUri(redirectUri, app.extraRedirectUris)) {
      return errorPage(50011, ENTRA_MESSAGES.redirectMismatch(redirectUri ?? "", app.clientId));
    }
    const mode = params.get("response_mode") === "fragment" ? "fragment" : "query";
    const redirectError = (error: string, description: string) => {
      redirect(rc.res, withParams(redirectUri, { error, error_description: description, state: params.get("state") }, mode));
      return null;
    };
    if (params.get("response_type") !== "code") return redirectError("unsupported_response_type", "AADSTS700054: response_type must be 'code' for this app.");
    const method = params.get("code_challenge_method");
    if (params.get("code_challenge") && method && method !== "S256" && method !== "plain") {
      return redirectError("invalid_request", "AADSTS501491: Invalid size of Code_Challenge parameter or unsupported code_challenge_method.");
    }
    if (params.get("prompt") === "none") return redirectError("login_required", "AADSTS50058: A silent sign-in request was sent but no user is signed in.");
    return { segment, redirectUri, mode } as const;
  }

  const showPicker = (rc: RequestContext) => {
    const checked = validate(rc, rc.url.searchParams);
    if (!checked) return;
    const { segment } = checked;
    const primary = segment.kind === "tenant" ? segment.tenant : ctx.directory.mssp;
    const others = [ctx.directory.mssp, ...ctx.directory.customers].filter((t) => t.id !== primary.id);
    const params = Object.fromEntries(AUTHORIZE_PARAMS.map((name) => [name, rc.url.searchParams.get(name)]));
    sendHtml(rc.res, 200, renderPickAccount(primary, others, params, rc.url.pathname));
  };

  const pickAccount = async (rc: RequestContext) => {
    const form = await readForm(rc);
    const checked = validate(rc, form);
    if (!checked) return;
    const found = findUser(ctx.directory, form.get("user_id") ?? "");
    if (!found) return sendHtml(rc.res, 400, renderErrorPage(50034, "The user account does not exist in the directory."));
    const method = form.get("code_challenge_method");
    const code = codes.issue({
      clientId: ctx.directory.app.clientId,
      redirectUri: checked.redirectUri,
      userId: found.user.id,
      requestedTenantId: checked.segment.kind === "tenant" ? checked.segment.tenant.id : null,
      scope: form.get("scope") ?? "openid",
      nonce: form.get("nonce"),
      codeChallenge: form.get("code_challenge"),
      codeChallengeMethod: form.get("code_challenge") ? (method === "S256" ? "S256" : "plain") : null,
    });
    const result = { code, state: form.get("state"), session_state: randomUUID() };
    if (form.get("response_mode") === "form_post") {
      // Microsoft auto-submits with script; the emulator's CSP forbids scripts, so the person clicks.
      return sendHtml(
        rc.res,
        200,
        renderPage(
          "Continue",
          `<h1>Continue to the application</h1><form method="post" action="${escapeHtml(checked.redirectUri)}">${hiddenFields(result)}<div class="actions"><button class="primary" type="submit">Continue</button></div></form>`,
        ),
      );
    }
    redirect(rc.res, withParams(checked.redirectUri, result, checked.mode));
  };

  const logout = (rc: RequestContext) => {
    const target = rc.url.searchParams.get("post_logout_redirect_uri");
    let loopback = false;
    try {
      loopback = target !== null && ["localhost", "127.0.0.1", "[::1]"].includes(new URL(target).hostname);
    } catch {
      loopback = false;
    }
    if (target && loopback) return redirect(rc.res, target);
    sendRaw(
      rc.res,
      200,
      "text/html; charset=utf-8",
      renderPage("Signed out", "<h1>You signed out of your account</h1><p>It’s a good idea to close all browser windows.</p>"),
    );
  };

  return [
    { method: "GET", path: "/:tenant/oauth2/v2.0/authorize", handler: showPicker },
    { method: "POST", path: "/:tenant/oauth2/v2.0/authorize", handler: pickAccount },
    { method: "GET", path: "/:tenant/oauth2/v2.0/logout", handler: logout },
  ];
}
