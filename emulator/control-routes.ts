// Control API for tests and demos (/_emulator/...): inspect and change the emulated world.
// Unauthenticated by design, so it answers loopback callers only.
import { z } from "zod";
import type { EmulatorContext } from "./emulator-context";
import { defenderIncident } from "./defender-routes";
import { defaultSettings, RATE_LIMITED_ROUTES, type EmulatorSettings } from "./emulator-settings";
import { FAULT_KINDS, FAULT_ROUTES } from "./faults";
import { graphIncident } from "./graph-shape";
import { HttpError, readJson, sendJson, type RequestContext, type Route } from "./http-router";
import { API_RESOURCES, APP_PERMISSIONS, GRAPH_EXTRA_FIELDS, permissionsOf, type DirectoryTenant, type GraphIncidentExtras, type Incident } from "./model";
import { allTenants, findTenant } from "./seed-directory";
import { emptyGraphExtras } from "./seed-graph-extras";
import type { IncidentOverrides } from "./state-store";

const permissions = z.array(z.enum(APP_PERMISSIONS));
const rateLimit = z.object({ perMinute: z.number().int().positive().optional(), perHour: z.number().int().positive().optional() });

const schemas = {
  consent: z.object({ roles: permissions.optional(), propagate: z.boolean().optional() }),
  roles: z.object({ roles: permissions }),
  status: z.object({
    disabled: z.boolean().optional(),
    blocked: z.boolean().optional(),
    notFound: z.boolean().optional(),
    missingServicePrincipalForm: z.enum(["7000229", "700016"]).optional(),
    grantLimit: permissions.nullable().optional(),
  }),
  addIncidents: z.object({
    count: z.number().int().min(0).max(5_000).optional(),
    incident: z.record(z.string(), z.unknown()).optional(),
    incidents: z.array(z.record(z.string(), z.unknown())).optional(),
    /** Late indexing: stamped this long ago (see StateStore.addIncidents). */
    lateByMs: z
      .number()
      .int()
      .min(1)
      .max(365 * 24 * 3_600_000)
      .optional(),
  }),
  fault: z.object({
    tenantId: z.string().optional(),
    route: z.enum(FAULT_ROUTES),
    kind: z.enum(FAULT_KINDS),
    count: z.number().int().positive().optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
    delayMs: z.number().int().min(0).max(120_000).optional(),
  }),
  rateLimits: z.object({ list: rateLimit.optional(), get: rateLimit.optional(), patch: rateLimit.optional(), graph: rateLimit.optional() }),
  settings: z.object({
    accessTokenLifetimeSeconds: z.number().int().min(1).optional(),
    propagationDelayMs: z.number().int().min(0).optional(),
    propagationMode: z.enum(["no-roles", "65001", "alternate"]).optional(),
    requestedPermissions: permissions.optional(),
    cancelForm: z.enum(["access_denied", "consent_required"]).optional(),
    listOrder: z.enum(["sorted", "shuffled"]).optional(),
    listOrderSeed: z.number().int().optional(),
    addedLatencyMs: z.number().int().min(0).max(60_000).optional(),
  }),
  graphExtras: z.object({
    systemTags: z.array(z.string()).optional(),
    description: z.string().nullable().optional(),
    summary: z.string().nullable().optional(),
    resolvingComment: z.string().nullable().optional(),
    lastModifiedBy: z.string().nullable().optional(),
  }),
};

/**
 * Splits control-API incident fields into Defender fields and Graph-only ones (systemTags,
 * description, summary, resolvingComment, lastModifiedBy, or a nested `graph` object). A status of
 * awaitingAction (any case) is stored as "AwaitingAction": Defender has no such value and shows it as-is.
 */
function splitIncidentFields(fields: Record<string, unknown>): { defender: Record<string, unknown>; graph: Partial<GraphIncidentExtras> } {
  const { graph: nested, ...rest } = fields;
  const graphInput: Record<string, unknown> = typeof nested === "object" && nested !== null ? { ...nested } : {};
  const defender: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if ((GRAPH_EXTRA_FIELDS as readonly string[]).includes(key)) graphInput[key] = value;
    else defender[key] = value;
  }
  if (typeof defender.status === "string" && defender.status.toLowerCase() === "awaitingaction") defender.status = "AwaitingAction";
  const parsed = schemas.graphExtras.strict().safeParse(graphInput);
  if (!parsed.success) throw new HttpError(400, { error: { code: "BadRequest", message: z.prettifyError(parsed.error) } });
  const graph = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as Partial<GraphIncidentExtras>;
  return { defender, graph };
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

async function parseBody<T>(rc: RequestContext, schema: z.ZodType<T>): Promise<T> {
  const result = schema.safeParse(await readJson(rc));
  if (!result.success) throw new HttpError(400, { error: { code: "BadRequest", message: z.prettifyError(result.error) } });
  return result.data;
}

export function controlRoutes(ctx: EmulatorContext, initialSettings: EmulatorSettings): Route[] {
  const tenantOr404 = (rc: RequestContext): DirectoryTenant => {
    const tenant = findTenant(ctx.directory, rc.param("id"));
    if (!tenant) throw new HttpError(404, { error: { code: "NotFound", message: `No tenant '${rc.param("id")}'.` } });
    return tenant;
  };
  const customerOr404 = (rc: RequestContext): DirectoryTenant => {
    const tenant = tenantOr404(rc);
    if (tenant.kind !== "customer") throw new HttpError(404, { error: { code: "NotFound", message: "Only customer tenants have incidents." } });
    return tenant;
  };

  const tenantSummary = (t: DirectoryTenant) => {
    const state = ctx.store.tenantState(t.id);
    return {
      id: t.id,
      displayName: t.displayName,
      domains: t.domains,
      kind: t.kind,
      consented: state.servicePrincipalId !== null,
      ...state,
      /** What each API's token carries as `roles` (outside the propagation window). */
      rolesByResource: Object.fromEntries(API_RESOURCES.map((r) => [r, permissionsOf(r, state.grantedPermissions)])),
      incidentCount: t.kind === "customer" ? ctx.store.listIncidents(t.id).length : 0,
    };
  };

  /** Wraps a handler: loopback only, and JSON errors for bad input. */
  const control =
    (handler: (rc: RequestContext) => Promise<unknown> | unknown, status = 200) =>
    async (rc: RequestContext) => {
      if (!LOOPBACK.has(rc.req.socket.remoteAddress ?? "")) {
        return sendJson(rc.res, 403, { error: { code: "Forbidden", message: "The control API answers loopback callers only." } });
      }
      sendJson(rc.res, status, await handler(rc));
    };

  return [
    {
      method: "GET",
      path: "/_emulator/state",
      handler: control(() => ({
        app: { clientId: ctx.directory.app.clientId, displayName: ctx.directory.app.displayName, requestedPermissions: ctx.settings.requestedPermissions },
        settings: ctx.settings,
        tenants: allTenants(ctx.directory).map(tenantSummary),
        faults: ctx.faults.list(),
      })),
    },
    {
      method: "GET",
      path: "/_emulator/tenants",
      handler: control(() =>
        allTenants(ctx.directory).map((t) => ({
          ...tenantSummary(t),
          users: t.users.map((u) => ({
            id: u.id,
            displayName: u.displayName,
            userPrincipalName: u.userPrincipalName,
            isGlobalAdmin: u.isGlobalAdmin,
            appRoles: u.appRoles,
          })),
        })),
      ),
    },
    {
      method: "POST",
      path: "/_emulator/tenants/:id/consent",
      handler: control(async (rc) => {
        const tenant = tenantOr404(rc);
        const body = await parseBody(rc, schemas.consent);
        // Direct grants skip the propagation delay unless a test asks for it.
        ctx.store.grantConsent(tenant.id, body.roles ?? ctx.settings.requestedPermissions, { propagate: body.propagate ?? false });
        return tenantSummary(tenant);
      }),
    },
    {
      method: "POST",
      path: "/_emulator/tenants/:id/revoke",
      handler: control((rc) => {
        const tenant = tenantOr404(rc);
        ctx.store.revokeConsent(tenant.id);
        return tenantSummary(tenant);
      }),
    },
    {
      method: "POST",
      path: "/_emulator/tenants/:id/roles",
      handler: control(async (rc) => {
        const tenant = tenantOr404(rc);
        const body = await parseBody(rc, schemas.roles);
        if (!ctx.store.tenantState(tenant.id).servicePrincipalId) {
          throw new HttpError(409, { error: { code: "Conflict", message: "The app has no service principal in this tenant; consent first." } });
        }
        ctx.store.updateTenantState(tenant.id, { grantedPermissions: body.roles, consentedAtMs: null });
        return tenantSummary(tenant);
      }),
    },
    {
      method: "POST",
      path: "/_emulator/tenants/:id/status",
      handler: control(async (rc) => {
        const tenant = tenantOr404(rc);
        const body = await parseBody(rc, schemas.status);
        ctx.store.updateTenantState(tenant.id, Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)));
        return tenantSummary(tenant);
      }),
    },
    {
      method: "GET",
      path: "/_emulator/tenants/:id/incidents",
      // ?view=defender (default: the Defender API's records), graph (Graph's shape, alerts expanded,
      // real enum values) or stored (Defender records with their Graph-only fields under `graph`).
      handler: control((rc) => {
        const tenant = customerOr404(rc);
        const incidents = ctx.store.listIncidents(tenant.id);
        const view = rc.url.searchParams.get("view") ?? "defender";
        if (view === "defender") return incidents.map(defenderIncident);
        if (view === "graph") return incidents.map((i) => graphIncident(i, tenant.id, { includeUnknownEnumMembers: true, expandAlerts: true }));
        if (view === "stored") return incidents.map((i) => ({ ...i, graph: i.graph ?? emptyGraphExtras() }));
        throw new HttpError(400, { error: { code: "BadRequest", message: "view must be defender, graph or stored." } });
      }),
    },
    {
      method: "POST",
      path: "/_emulator/tenants/:id/incidents",
      handler: control(async (rc) => {
        const tenant = customerOr404(rc);
        const body = await parseBody(rc, schemas.addIncidents);
        const overrides: IncidentOverrides[] = (body.incidents ?? (body.incident ? [body.incident] : [])).map((fields) => {
          const { defender, graph } = splitIncidentFields(fields);
          return { ...(defender as Partial<Incident>), graph };
        });
        return ctx.store.addIncidents(tenant.id, body.count ?? (overrides.length > 0 ? 0 : 1), overrides, { lateByMs: body.lateByMs }).map(defenderIncident);
      }, 201),
    },
    {
      method: "PATCH",
      path: "/_emulator/tenants/:id/incidents/:incidentId",
      handler: control(async (rc) => {
        const tenant = customerOr404(rc);
        const changes = await parseBody(rc, z.record(z.string(), z.unknown()));
        const { incidentId: _ignored, lastUpdateTime: _alsoIgnored, ...fields } = changes;
        const { defender, graph } = splitIncidentFields(fields);
        const updated = ctx.store.updateIncident(tenant.id, Number(rc.param("incidentId")), (draft) => {
          Object.assign(draft, defender);
          if (Object.keys(graph).length > 0) draft.graph = { ...(draft.graph ?? emptyGraphExtras()), ...graph };
        });
        if (!updated) throw new HttpError(404, { error: { code: "NotFound", message: `Incident '${rc.param("incidentId")}' was not found.` } });
        return defenderIncident(updated);
      }),
    },
    {
      method: "POST",
      path: "/_emulator/faults",
      handler: control(async (rc) => {
        const body = await parseBody(rc, schemas.fault);
        const tenant = body.tenantId ? findTenant(ctx.directory, body.tenantId) : null;
        if (body.tenantId && !tenant) throw new HttpError(404, { error: { code: "NotFound", message: `No tenant '${body.tenantId}'.` } });
        return ctx.faults.add({
          tenantId: tenant?.id ?? null,
          route: body.route,
          kind: body.kind,
          remaining: body.count ?? Number.POSITIVE_INFINITY,
          retryAfterSeconds: body.retryAfterSeconds ?? 1,
          delayMs: body.delayMs ?? 5_000,
        });
      }, 201),
    },
    { method: "GET", path: "/_emulator/faults", handler: control(() => ctx.faults.list()) },
    {
      method: "DELETE",
      path: "/_emulator/faults",
      handler: control((rc) => {
        const tenantId = rc.url.searchParams.get("tenantId");
        const tenant = tenantId ? findTenant(ctx.directory, tenantId) : null;
        if (tenantId && !tenant) throw new HttpError(404, { error: { code: "NotFound", message: `No tenant '${tenantId}'.` } });
        ctx.faults.clear(tenant?.id);
        return { cleared: true };
      }),
    },
    {
      method: "POST",
      path: "/_emulator/rate-limits",
      handler: control(async (rc) => {
        const body = await parseBody(rc, schemas.rateLimits);
        for (const route of RATE_LIMITED_ROUTES) {
          ctx.settings.rateLimits[route] = { ...ctx.settings.rateLimits[route], ...body[route] };
        }
        ctx.rateLimiter.reset();
        return ctx.settings.rateLimits;
      }),
    },
    {
      method: "POST",
      path: "/_emulator/settings",
      handler: control(async (rc) => {
        const body = await parseBody(rc, schemas.settings);
        Object.assign(ctx.settings, Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)));
        return ctx.settings;
      }),
    },
    {
      method: "POST",
      path: "/_emulator/reset",
      handler: control(() => {
        ctx.store.reset();
        ctx.faults.clear();
        ctx.rateLimiter.reset();
        ctx.metrics.reset();
        Object.assign(ctx.settings, defaultSettings(), structuredClone(initialSettings));
        return { reset: true };
      }),
    },
    { method: "GET", path: "/_emulator/metrics", handler: control(() => ctx.metrics.snapshot()) },
    {
      method: "DELETE",
      path: "/_emulator/metrics",
      // ?tenantId= (GUID or domain) clears only that tenant's counters.
      handler: control((rc) => {
        const tenantId = rc.url.searchParams.get("tenantId");
        const tenant = tenantId ? findTenant(ctx.directory, tenantId) : null;
        if (tenantId && !tenant) throw new HttpError(404, { error: { code: "NotFound", message: `No tenant '${tenantId}'.` } });
        ctx.metrics.reset(tenant?.id);
        return { cleared: true };
      }),
    },
  ];
}
