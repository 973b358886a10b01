// Microsoft Graph security API (v1.0) over the same incident state as the Defender XDR API:
// list / get / update incidents and add comments, with Graph's auth errors, error shape, headers,
// throttling, evolvable enums, opaque skip-token paging and the shared fault injection.
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from "node:crypto";
import type { JWTPayload } from "jose";
import type { EmulatorContext } from "./emulator-context";
import { addedLatency, respondWithFault } from "./fault-responses";
import type { FaultRoute } from "./faults";
import { parseGraphIncidentFilter } from "./graph-filter";
import { applyGraphIncidentPatch, validateGraphComment, validateGraphIncidentPatch } from "./graph-incident-update";
import { graphComment, graphIncident, malformedGraphIncident, type GraphViewOptions } from "./graph-shape";
import { HttpError, readJson, sendJson, type RequestContext, type Route } from "./http-router";
import { orderIncidents } from "./list-order";
import { GRAPH_APP_ID, GRAPH_RESOURCE, type Incident } from "./model";
import { ODataFilterError } from "./odata-filter";
import { findTenant } from "./seed-directory";
import { emptyGraphExtras } from "./seed-graph-extras";

/** Microsoft refuses $top above 50 for incidents; without $top a page holds 50 as well. */
export const GRAPH_MAX_TOP = 50;
const LIST_OPTIONS = new Set(["$filter", "$top", "$skip", "$count", "$expand", "$skiptoken"]);
const GET_OPTIONS = new Set(["$expand"]);
const PREFER_UNKNOWN_ENUMS = "include-unknown-enum-members";

const INCIDENT_READ = ["SecurityIncident.Read.All", "SecurityIncident.ReadWrite.All"];
const INCIDENT_WRITE = ["SecurityIncident.ReadWrite.All"];
const ALERT_READ = ["SecurityAlert.Read.All", "SecurityAlert.ReadWrite.All"];

type GraphCallKind = "list" | "get" | "patch" | "comment";
type Caller = { tenantId: string; appId: string; appName: string; roles: string[] };
/** What every Graph answer carries: its request id, the caller's (or a new) client-request-id. */
type Exchange = { requestId: string; clientRequestId: string; headers: Record<string, string> };

class GraphRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const badRequest = (message: string) => new GraphRequestError(400, "BadRequest", message);

function graphErrorBody(x: Exchange, code: string, message: string) {
  return {
    error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), "request-id": x.requestId, "client-request-id": x.clientRequestId } },
  };
}

/** The query of a list call, minus paging: a skip token is only valid for the query it was made for. */
type ListQuery = { filter: string | null; expand: string | null; count: string | null; top: string | null };

/** Position in a walk: tenant, a digest of the query, and the offset of the next page. */
type SkipTokenPayload = { t: string; h: string; o: number };

const queryDigest = (query: ListQuery) => createHash("sha256").update(JSON.stringify(query)).digest("base64url").slice(0, 22);

/**
 * Skip tokens: AES-GCM over {tenant, query digest, offset} with a key that lives as long as the
 * process, so a token is opaque, cannot be forged or edited, and is refused for another query or tenant.
 */
function createSkipTokens() {
  const key = randomBytes(32);
  return {
    seal(payload: SkipTokenPayload): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const data = Buffer.concat([cipher.update(JSON.stringify(payload), "utf8"), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), data]).toString("base64url");
    },
    open(token: string): SkipTokenPayload | null {
      try {
        const raw = Buffer.from(token, "base64url");
        if (raw.length < 29) return null;
        const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
        const parsed = JSON.parse(text) as SkipTokenPayload;
        return Number.isSafeInteger(parsed.o) && parsed.o >= 0 ? parsed : null;
      } catch {
        return null;
      }
    },
  };
}

/** The "sorted" list order: newest created first, ties by id (newest first), as the portal shows them (Microsoft documents no order). */
export function compareGraphIncidents(a: Incident, b: Incident): number {
  if (a.createdTime !== b.createdTime) return a.createdTime > b.createdTime ? -1 : 1;
  return b.incidentId - a.incidentId;
}

function parseCount(value: string | null): boolean {
  if (value === null) return false;
  const lower = value.toLowerCase();
  if (lower !== "true" && lower !== "false") throw badRequest(`The value '${value}' for $count is not valid; use true or false.`);
  return lower === "true";
}

function parseExpand(value: string | null): boolean {
  if (value === null) return false;
  if (value.trim() === "alerts") return true;
  throw badRequest(`Could not find a property named '${value}' on type 'microsoft.graph.security.incident' to $expand. Only 'alerts' can be expanded.`);
}

function parseInteger(value: string | null, name: string): number | null {
  if (value === null) return null;
  if (!/^\d+$/.test(value.trim())) throw badRequest(`Invalid value '${value}' for ${name}: a non-negative integer is required.`);
  return Number(value.trim());
}

function rejectUnknownOptions(params: URLSearchParams, allowed: Set<string>): void {
  for (const name of params.keys()) {
    if (name.startsWith("$") && !allowed.has(name.toLowerCase())) {
      throw badRequest(`Query option '${name}' is not allowed. Allowed query options: ${[...allowed].join(", ")}.`);
    }
  }
}

/** Query options are case-insensitive in Graph ($TOP = $top); the lower-cased name wins. */
function normalisedParams(url: URL): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of url.searchParams) params.append(name.startsWith("$") ? name.toLowerCase() : name, value);
  return params;
}

export function graphRoutes(ctx: EmulatorContext): Route[] {
  const origin = ctx.authorityHost;
  const skipTokens = createSkipTokens();
  const metadata = (suffix: string) => `${origin}/v1.0/$metadata#${suffix}`;

  const viewOptions = (rc: RequestContext, expandAlerts: boolean): GraphViewOptions => ({
    includeUnknownEnumMembers: String(rc.req.headers.prefer ?? "")
      .split(",")
      .some((p) => p.trim().toLowerCase() === PREFER_UNKNOWN_ENUMS),
    expandAlerts,
  });
  /** Response headers for a body rendered with these options (Preference-Applied when honoured). */
  const viewHeaders = (x: Exchange, view: GraphViewOptions) =>
    view.includeUnknownEnumMembers ? { ...x.headers, "preference-applied": PREFER_UNKNOWN_ENUMS } : x.headers;

  /** Runs Graph's pipeline (auth, faults, roles, throttling) and then the handler. */
  const guarded =
    (
      kind: GraphCallKind,
      faultRoute: Exclude<FaultRoute, "*" | "token">,
      requiredRoles: (rc: RequestContext) => string[][],
      handler: (rc: RequestContext, caller: Caller, x: Exchange, malformedRecord: boolean) => Promise<void> | void,
    ) =>
    async (rc: RequestContext) => {
      const header = rc.req.headers["client-request-id"];
      const clientRequestId = typeof header === "string" && header.trim() !== "" ? header.trim() : randomUUID();
      const requestId = randomUUID();
      const x: Exchange = { requestId, clientRequestId, headers: { "request-id": requestId, "client-request-id": clientRequestId } };
      let tenantKnown = false;
      const fail = (tenantId: string, status: number, code: string, message: string, headers: Record<string, string> = {}) => {
        if (!tenantKnown) ctx.metrics.apiResponse(tenantId, status);
        sendJson(rc.res, status, graphErrorBody(x, code, message), { ...x.headers, ...headers });
      };
      const unauthorized = `Bearer realm="", authorization_uri="${origin}/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`;

      const token = /^Bearer\s+(.+)$/i.exec(rc.req.headers.authorization ?? "")?.[1];
      if (!token) return fail("anonymous", 401, "InvalidAuthenticationToken", "Access token is empty.", { "www-authenticate": unauthorized });
      let claims: JWTPayload;
      try {
        // A Defender-audience token is refused here, as Graph refuses tokens for other resources.
        claims = await ctx.signer.verify(token, [GRAPH_RESOURCE, GRAPH_APP_ID]);
      } catch (error) {
        const code = error instanceof Error && "code" in error ? String(error.code) : "";
        const claim = error instanceof Error && "claim" in error ? String(error.claim) : "";
        const message =
          code === "ERR_JWT_EXPIRED"
            ? "Lifetime validation failed, the token is expired."
            : claim === "aud"
              ? "Access token validation failure. Invalid audience."
              : "Access token validation failure.";
        return fail("anonymous", 401, "InvalidAuthenticationToken", message, { "www-authenticate": unauthorized });
      }
      const tenantId = String(claims.tid ?? "");
      const tenant = findTenant(ctx.directory, tenantId);
      const state = tenant ? ctx.store.tenantState(tenant.id) : null;
      if (!tenant || !state || !state.servicePrincipalId || state.disabled || state.notFound) {
        return fail(
          tenantId,
          401,
          "InvalidAuthenticationToken",
          "The application is not authorized in this tenant (consent was removed or the app is disabled).",
          {
            "www-authenticate": unauthorized,
          },
        );
      }
      const caller: Caller = {
        tenantId: tenant.id,
        appId: String(claims.appid ?? claims.azp ?? ""),
        appName: String(claims.app_displayname ?? claims.appid ?? "API app"),
        roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
      };
      ctx.metrics.apiCall(tenant.id, `graph.${kind}`);
      tenantKnown = true;
      rc.res.once("finish", () => ctx.metrics.apiResponse(tenant.id, rc.res.statusCode));

      await addedLatency(ctx.settings.addedLatencyMs);
      const outcome = await respondWithFault(
        rc,
        ctx.faults.take(faultRoute, tenant.id),
        (status, message) => graphErrorBody(x, status === 429 ? "TooManyRequests" : status === 503 ? "ServiceUnavailable" : "InternalServerError", message),
        { headers: x.headers, truncatedJson: `{"@odata.context":"${metadata("security/incidents")}","value":[{"id":"1",` },
      );
      if (outcome === "handled") return;

      for (const group of requiredRoles(rc)) {
        if (!group.some((role) => caller.roles.includes(role))) {
          return fail(
            tenant.id,
            403,
            "Forbidden",
            `Missing application roles. API required roles: ${group.join(", ")}. Application roles: ${caller.roles.join(", ") || "none"}.`,
          );
        }
      }
      const decision = ctx.rateLimiter.check(`${caller.appId}|${tenant.id}`, "graph");
      if (!decision.allowed) {
        return fail(
          tenant.id,
          429,
          "TooManyRequests",
          `Too many requests: at most ${decision.limit} calls per ${decision.window} for this application in this tenant. Retry after ${decision.retryAfterSeconds} seconds.`,
          {
            "retry-after": String(decision.retryAfterSeconds),
          },
        );
      }
      try {
        await handler(rc, caller, x, outcome === "malformed-record");
      } catch (error) {
        if (error instanceof GraphRequestError) return fail(tenant.id, error.status, error.code, error.message);
        if (error instanceof HttpError) {
          const body = error.body as { error?: { code?: string; message?: string } };
          return fail(tenant.id, error.status, body.error?.code ?? "BadRequest", body.error?.message ?? "The request is invalid.");
        }
        throw error;
      }
    };

  const readRoles = (rc: RequestContext) => {
    // Incidents with their alerts need both: reading incidents, and reading alerts (alerts_v2).
    const expand = normalisedParams(rc.url).get("$expand");
    return expand !== null ? [INCIDENT_READ, ALERT_READ] : [INCIDENT_READ];
  };
  const tenantIncidents = (tenantId: string) => (ctx.directory.customers.some((t) => t.id === tenantId) ? ctx.store.listIncidents(tenantId) : []);

  const list = guarded("list", "list", readRoles, (rc, caller, x, malformedRecord) => {
    const params = normalisedParams(rc.url);
    rejectUnknownOptions(params, LIST_OPTIONS);
    const query: ListQuery = { filter: params.get("$filter"), expand: params.get("$expand"), count: params.get("$count"), top: params.get("$top") };
    const expand = parseExpand(query.expand);
    const count = parseCount(query.count);
    const top = parseInteger(query.top, "$top");
    if (top !== null && (top < 1 || top > GRAPH_MAX_TOP)) {
      throw badRequest(`Invalid $top value '${top}': the value must be between 1 and ${GRAPH_MAX_TOP} for security incidents.`);
    }
    let offset = parseInteger(params.get("$skip"), "$skip") ?? 0;
    const skipToken = params.get("$skiptoken");
    if (skipToken !== null) {
      if (params.has("$skip")) throw badRequest("$skip cannot be combined with $skiptoken: follow @odata.nextLink as it is.");
      const opened = skipTokens.open(skipToken);
      if (!opened || opened.t !== caller.tenantId || opened.h !== queryDigest(query)) {
        throw badRequest("The $skiptoken is invalid or does not belong to this query. Follow @odata.nextLink exactly as returned.");
      }
      offset = opened.o;
    }

    let incidents = tenantIncidents(caller.tenantId);
    if (query.filter !== null && query.filter.trim() !== "") {
      try {
        incidents = incidents.filter(parseGraphIncidentFilter(query.filter));
      } catch (error) {
        if (error instanceof ODataFilterError) throw badRequest(`Invalid filter clause: ${error.message}`);
        throw error;
      }
    }
    // Offsets over the live, ordered list: changes during a walk may shift records, as on Microsoft's.
    incidents = orderIncidents(incidents, ctx.settings, caller.tenantId, compareGraphIncidents);
    const pageSize = top ?? GRAPH_MAX_TOP;
    const view = viewOptions(rc, expand);
    const page = incidents.slice(offset, offset + pageSize).map((i) => graphIncident(i, caller.tenantId, view));
    if (malformedRecord && page.length > 0) {
      const middle = Math.floor(page.length / 2);
      page[middle] = malformedGraphIncident(page[middle]!);
    }
    let nextLink: string | undefined;
    if (offset + pageSize < incidents.length) {
      const token = skipTokens.seal({ t: caller.tenantId, h: queryDigest(query), o: offset + pageSize });
      // The same query travels on, the position only inside the opaque token.
      const carried: string[] = [];
      for (const name of ["filter", "expand", "count", "top"] as const) {
        const value = query[name];
        if (value !== null) carried.push(`$${name}=${encodeURIComponent(value)}`);
      }
      nextLink = `${origin}/v1.0/security/incidents?${[...carried, `$skiptoken=${token}`].join("&")}`;
    }
    sendJson(
      rc.res,
      200,
      {
        "@odata.context": metadata(expand ? "security/incidents(alerts())" : "security/incidents"),
        ...(count ? { "@odata.count": incidents.length } : {}),
        ...(nextLink ? { "@odata.nextLink": nextLink } : {}),
        value: page,
      },
      viewHeaders(x, view),
    );
  });

  const findIncident = (rc: RequestContext, caller: Caller): Incident => {
    const raw = rc.param("id");
    const id = /^\d+$/.test(raw) ? Number(raw) : NaN;
    const incident =
      Number.isSafeInteger(id) && ctx.directory.customers.some((t) => t.id === caller.tenantId) ? ctx.store.getIncident(caller.tenantId, id) : undefined;
    if (!incident) throw new GraphRequestError(404, "NotFound", `The incident '${raw}' was not found.`);
    return incident;
  };

  const get = guarded("get", "get", readRoles, (rc, caller, x, malformedRecord) => {
    const params = normalisedParams(rc.url);
    rejectUnknownOptions(params, GET_OPTIONS);
    const expand = parseExpand(params.get("$expand"));
    const incident = findIncident(rc, caller);
    const view = viewOptions(rc, expand);
    const body = graphIncident(incident, caller.tenantId, view);
    sendJson(
      rc.res,
      200,
      {
        "@odata.context": metadata(expand ? "security/incidents(alerts())/$entity" : "security/incidents/$entity"),
        ...(malformedRecord ? malformedGraphIncident(body) : body),
      },
      viewHeaders(x, view),
    );
  });

  const patch = guarded(
    "patch",
    "patch",
    () => [INCIDENT_WRITE],
    async (rc, caller, x) => {
      rejectUnknownOptions(normalisedParams(rc.url), new Set());
      const incident = findIncident(rc, caller);
      const validation = validateGraphIncidentPatch(await readJson(rc), incident);
      if (!validation.ok) throw badRequest(validation.message);
      const updated = ctx.store.updateIncident(caller.tenantId, incident.incidentId, (draft) =>
        applyGraphIncidentPatch(draft, validation.patch, caller.appName),
      )!;
      const view = viewOptions(rc, false);
      sendJson(
        rc.res,
        200,
        { "@odata.context": metadata("security/incidents/$entity"), ...graphIncident(updated, caller.tenantId, view) },
        viewHeaders(x, view),
      );
    },
  );

  const comment = guarded(
    "comment",
    "patch",
    () => [INCIDENT_WRITE],
    async (rc, caller, x) => {
      rejectUnknownOptions(normalisedParams(rc.url), new Set());
      const incident = findIncident(rc, caller);
      const validation = validateGraphComment(await readJson(rc));
      if (!validation.ok) throw badRequest(validation.message);
      // Stored as the Defender API stores comments, so both views list it; an app-only caller is the app.
      const updated = ctx.store.updateIncident(caller.tenantId, incident.incidentId, (draft, stamp) => {
        draft.comments.push({ comment: validation.comment, createdBy: caller.appName, createdTime: stamp });
        draft.graph = { ...(draft.graph ?? emptyGraphExtras()), lastModifiedBy: caller.appName };
      })!;
      sendJson(
        rc.res,
        200,
        { "@odata.context": metadata("Collection(microsoft.graph.security.alertComment)"), value: updated.comments.map(graphComment) },
        x.headers,
      );
    },
  );

  return [
    { method: "GET", path: "/v1.0/security/incidents", handler: list },
    { method: "GET", path: "/v1.0/security/incidents/:id", handler: get },
    { method: "PATCH", path: "/v1.0/security/incidents/:id", handler: patch },
    { method: "POST", path: "/v1.0/security/incidents/:id/comments", handler: comment },
  ];
}
