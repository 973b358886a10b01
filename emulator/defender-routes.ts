// Defender XDR incidents API: list (OData subset), get and update, with bearer-token auth,
// per-app per-tenant rate limits and injectable faults. Graph-audience tokens are refused (401).
import { randomUUID } from "node:crypto";
import type { JWTPayload } from "jose";
import type { ApiRoute } from "./emulator-settings";
import type { EmulatorContext } from "./emulator-context";
import { addedLatency, respondWithFault } from "./fault-responses";
import { readJson, sendJson, type RequestContext, type Route } from "./http-router";
import { applyIncidentPatch, validateIncidentPatch } from "./incident-update";
import { DEFENDER_RESOURCE, type AppPermission, type Incident } from "./model";
import { orderIncidents } from "./list-order";
import { ODataFilterError, parseIncidentFilter } from "./odata-filter";
import { findTenant } from "./seed-directory";
import { emptyGraphExtras } from "./seed-graph-extras";

const MAX_TOP = 100;
const SUPPORTED_QUERY_OPTIONS = new Set(["$filter", "$top", "$skip"]);

type Caller = { tenantId: string; appId: string; appName: string; roles: string[] };

function apiError(code: string, message: string) {
  return { error: { code, message, target: randomUUID() } };
}

/** The "sorted" list order: oldest change first, ties by id (Microsoft documents no order). */
export function compareIncidents(a: Incident, b: Incident): number {
  if (a.lastUpdateTime !== b.lastUpdateTime) return a.lastUpdateTime < b.lastUpdateTime ? -1 : 1;
  return a.incidentId - b.incidentId;
}

/** The Defender XDR API's view of a stored incident: everything but the Graph-only fields. */
export function defenderIncident(incident: Incident): Omit<Incident, "graph"> {
  const { graph: _graphOnly, ...defender } = incident;
  return defender;
}

/** A record with wrong types, for clients that must survive one bad incident in a page. */
function malformed(incident: Incident): Record<string, unknown> {
  return { ...defenderIncident(incident), incidentId: "abc", createdTime: "not-a-date", comments: "none" };
}

function parseNonNegativeInt(value: string | null, name: string): number | ODataFilterError | null {
  if (value === null) return null;
  if (!/^\d+$/.test(value)) return new ODataFilterError(`The value '${value}' for ${name} is not a valid non-negative integer.`);
  return Number(value);
}

export function defenderRoutes(ctx: EmulatorContext): Route[] {
  const metadata = (suffix: string) => `${ctx.authorityHost}/api/$metadata#${suffix}`;

  /** Runs the shared pipeline (auth, faults, permission, throttling) and then the handler. */
  const guarded =
    (route: ApiRoute, required: AppPermission[], handler: (rc: RequestContext, caller: Caller, malformedRecord: boolean) => Promise<void> | void) =>
    async (rc: RequestContext) => {
      const respond = (tenantId: string, status: number, body: unknown, headers?: Record<string, string>) => {
        if (!tenantKnown) ctx.metrics.apiResponse(tenantId, status);
        sendJson(rc.res, status, body, headers);
      };
      let tenantKnown = false;
      const token = /^Bearer\s+(.+)$/i.exec(rc.req.headers.authorization ?? "")?.[1];
      if (!token)
        return respond("anonymous", 401, apiError("Unauthorized", "Authorization header is missing or is not a bearer token."), {
          "www-authenticate": "Bearer",
        });
      let claims: JWTPayload;
      try {
        claims = await ctx.signer.verify(token, DEFENDER_RESOURCE);
      } catch (error) {
        const reason =
          error instanceof Error && "code" in error && error.code === "ERR_JWT_EXPIRED" ? "The access token has expired." : "The access token is invalid.";
        return respond("anonymous", 401, apiError("Unauthorized", reason), { "www-authenticate": 'Bearer error="invalid_token"' });
      }
      const tenantId = String(claims.tid ?? "");
      const tenant = findTenant(ctx.directory, tenantId);
      const state = tenant ? ctx.store.tenantState(tenant.id) : null;
      if (!tenant || !state || !state.servicePrincipalId || state.disabled || state.notFound) {
        return respond(
          tenantId,
          401,
          apiError("Unauthorized", "The application is not authorized in this tenant (consent was removed or the app is disabled)."),
        );
      }
      const caller: Caller = {
        tenantId: tenant.id,
        appId: String(claims.appid ?? claims.azp ?? ""),
        appName: String(claims.app_displayname ?? claims.appid ?? "API app"),
        roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
      };
      ctx.metrics.apiCall(tenant.id, route);
      tenantKnown = true;
      rc.res.once("finish", () => ctx.metrics.apiResponse(tenant.id, rc.res.statusCode));

      await addedLatency(ctx.settings.addedLatencyMs);
      const outcome = await respondWithFault(rc, ctx.faults.take(route, tenant.id), (status, message) =>
        apiError(status === 429 ? "TooManyRequests" : status === 503 ? "ServiceUnavailable" : "InternalServerError", message),
      );
      if (outcome === "handled") return;

      if (!required.some((role) => caller.roles.includes(role))) {
        return respond(
          tenant.id,
          403,
          apiError("Forbidden", `Missing application permission: ${required.join(" or ")}. The token has roles: ${caller.roles.join(", ") || "none"}.`),
        );
      }
      const decision = ctx.rateLimiter.check(`${caller.appId}|${tenant.id}`, route);
      if (!decision.allowed) {
        return respond(
          tenant.id,
          429,
          apiError(
            "TooManyRequests",
            `API calls quota exceeded! Maximum allowed ${decision.limit} per ${decision.window}. Try again in ${decision.retryAfterSeconds} seconds.`,
          ),
          { "retry-after": String(decision.retryAfterSeconds) },
        );
      }
      await handler(rc, caller, outcome === "malformed-record");
    };

  const list = guarded("list", ["Incident.Read.All", "Incident.ReadWrite.All"], (rc, caller, malformedRecord) => {
    const q = rc.url.searchParams;
    const unsupported = [...q.keys()].filter((k) => k.startsWith("$") && !SUPPORTED_QUERY_OPTIONS.has(k));
    if (unsupported.length > 0) return sendJson(rc.res, 400, apiError("InvalidRequest", `Query option '${unsupported[0]}' is not supported.`));
    const top = parseNonNegativeInt(q.get("$top"), "$top");
    const skip = parseNonNegativeInt(q.get("$skip"), "$skip");
    if (top instanceof Error) return sendJson(rc.res, 400, apiError("InvalidRequest", top.message));
    if (skip instanceof Error) return sendJson(rc.res, 400, apiError("InvalidRequest", skip.message));
    if (top !== null && top > MAX_TOP) {
      return sendJson(
        rc.res,
        400,
        apiError("InvalidRequest", `The limit of '${MAX_TOP}' for Top query has been exceeded. The value from the incoming request is '${top}'.`),
      );
    }
    let incidents = ctx.directory.customers.some((t) => t.id === caller.tenantId) ? ctx.store.listIncidents(caller.tenantId) : [];
    const filter = q.get("$filter");
    if (filter !== null && filter.trim() !== "") {
      try {
        const predicate = parseIncidentFilter(filter);
        incidents = incidents.filter(predicate);
      } catch (error) {
        if (error instanceof ODataFilterError) return sendJson(rc.res, 400, apiError("InvalidRequest", error.message));
        throw error;
      }
    }
    const page: unknown[] = orderIncidents(incidents, ctx.settings, caller.tenantId, compareIncidents)
      .slice(skip ?? 0, (skip ?? 0) + (top ?? MAX_TOP))
      .map(defenderIncident);
    if (malformedRecord && page.length > 0) page[Math.floor(page.length / 2)] = malformed(page[Math.floor(page.length / 2)] as Incident);
    // No @odata.nextLink: Microsoft documents none for this API; clients page with $top/$skip.
    sendJson(rc.res, 200, { "@odata.context": metadata("Incidents"), value: page });
  });

  const findIncident = (rc: RequestContext, caller: Caller): Incident | null => {
    const raw = rc.param("id");
    const id = /^\d+$/.test(raw) ? Number(raw) : NaN;
    const incident =
      Number.isSafeInteger(id) && ctx.directory.customers.some((t) => t.id === caller.tenantId) ? ctx.store.getIncident(caller.tenantId, id) : undefined;
    if (!incident) {
      sendJson(rc.res, 404, apiError("NotFound", `Incident '${raw}' was not found.`));
      return null;
    }
    return incident;
  };

  const get = guarded("get", ["Incident.Read.All", "Incident.ReadWrite.All"], (rc, caller, malformedRecord) => {
    const incident = findIncident(rc, caller);
    if (!incident) return;
    sendJson(rc.res, 200, { "@odata.context": metadata("Incidents/$entity"), ...(malformedRecord ? malformed(incident) : defenderIncident(incident)) });
  });

  const patch = guarded("patch", ["Incident.ReadWrite.All"], async (rc, caller) => {
    const incident = findIncident(rc, caller);
    if (!incident) return;
    const body = await readJson(rc);
    const validation = validateIncidentPatch(body, incident);
    if (!validation.ok) return sendJson(rc.res, 400, apiError("InvalidRequest", validation.message));
    const updated = ctx.store.updateIncident(caller.tenantId, incident.incidentId, (draft, stamp) => {
      applyIncidentPatch(draft, validation.patch, { stamp, commentAuthor: caller.appName });
      // Graph shows who changed the incident last: the same app, whichever API it used.
      draft.graph = { ...(draft.graph ?? emptyGraphExtras()), lastModifiedBy: caller.appName };
    });
    sendJson(rc.res, 200, { "@odata.context": metadata("Incidents/$entity"), ...defenderIncident(updated!) });
  });

  return [
    { method: "GET", path: "/api/incidents", handler: list },
    { method: "GET", path: "/api/incidents/:id", handler: get },
    { method: "PATCH", path: "/api/incidents/:id", handler: patch },
  ];
}
