import type { TokenSource } from "./token-broker";
import type { BackoffPolicy } from "./backoff";
import { ApiMalformedResponse } from "./api-errors";
import { MicrosoftApiCaller } from "./api-caller";
import { encodeId } from "./defender-client";
import { graphEnum, parseGraphIncident } from "./graph-incident";
import { GRAPH_SECURITY_RATE_LIMITS, RateBudget } from "./rate-budget";
import type { IncidentPatch, MalformedIncident, SourceIncident } from "./source-incident";

export type GraphSecurityClientOptions = {
  /** Graph's base URL without a version, e.g. https://graph.microsoft.com (config `graph.apiUrl`). */
  apiUrl: string;
  /**
   * Graph's own host for the token's cloud (config `graph.resource`): a nextLink may point there
   * even when `apiUrl` is a forward proxy. Defaults to `apiUrl`'s origin.
   */
  resource?: string;
  tokens: TokenSource;
  budget?: RateBudget;
  timeoutMs?: number;
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  maxThrottleWaitMs?: number;
  fetch?: typeof fetch;
};

/** Graph refuses `$top` above 50 for incidents. */
export const GRAPH_INCIDENT_PAGE_MAX = 50;

export type GraphIncidentPage = {
  incidents: SourceIncident[];
  malformed: MalformedIncident[];
  received: number;
  /** Graph's `@odata.nextLink`, to be followed verbatim; null ends the walk. */
  nextLink: string | null;
};

export type GraphListInput = {
  tenantId: string;
  /** The first page: records changed at or after this time (none: every incident). */
  lastUpdateGe?: Date;
  top?: number;
  /** A later page: the nextLink of the previous one (then the other inputs are ignored). */
  nextLink?: string;
  signal?: AbortSignal;
};

const ROUTE = "security";

/**
 * The client of Microsoft Graph's security API for incidents (`/v1.0/security/incidents`), the
 * replacement of the Defender XDR API. Every call asks for unknown enum members (`Prefer:
 * include-unknown-enum-members`), so values such as `awaitingAction` arrive as they are instead of
 * `unknownFutureValue`. Lists expand alerts (alerts_v2 with their evidence) and page by the
 * opaque `@odata.nextLink`, which is followed verbatim and never rebuilt.
 */
export class GraphSecurityClient {
  private readonly caller: MicrosoftApiCaller;
  private readonly origin: string;
  private readonly nextLinkOrigins: Set<string>;

  constructor(options: GraphSecurityClientOptions) {
    this.origin = new URL(options.apiUrl).origin;
    this.nextLinkOrigins = new Set([this.origin, ...(options.resource ? [new URL(options.resource).origin] : [])].map((o) => o.toLowerCase()));
    this.caller = new MicrosoftApiCaller({
      ...options,
      api: "graph",
      baseUrl: this.origin,
      budget: options.budget ?? new RateBudget({ api: "graph", routes: GRAPH_SECURITY_RATE_LIMITS }),
      headers: { prefer: "include-unknown-enum-members" },
    });
  }

  async listIncidents(input: GraphListInput): Promise<GraphIncidentPage> {
    let target: string;
    if (input.nextLink) {
      target = this.checkedNextLink(input.tenantId, input.nextLink);
    } else {
      const top = Math.min(GRAPH_INCIDENT_PAGE_MAX, Math.max(1, Math.floor(input.top ?? GRAPH_INCIDENT_PAGE_MAX)));
      const params: [string, string][] = [
        ["$expand", "alerts"],
        ["$top", String(top)],
      ];
      if (input.lastUpdateGe) params.push(["$filter", `lastUpdateDateTime ge ${input.lastUpdateGe.toISOString()}`]);
      target = `/v1.0/security/incidents?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&")}`;
    }
    const body = await this.caller.send({ tenantId: input.tenantId, route: ROUTE, method: "GET", target, signal: input.signal });
    const answer = (body ?? {}) as { value?: unknown; "@odata.nextLink"?: unknown };
    if (!Array.isArray(answer.value)) throw new ApiMalformedResponse(input.tenantId, "graph", "the answer has no `value` array");
    const nextLink = answer["@odata.nextLink"];
    if (nextLink !== undefined && nextLink !== null && typeof nextLink !== "string")
      throw new ApiMalformedResponse(input.tenantId, "graph", "`@odata.nextLink` is not a string");
    const page: GraphIncidentPage = { incidents: [], malformed: [], received: answer.value.length, nextLink: nextLink || null };
    for (const record of answer.value) {
      const parsed = parseGraphIncident(record);
      if (parsed.ok) page.incidents.push(parsed.incident);
      else page.malformed.push(parsed.malformed);
    }
    return page;
  }

  async getIncident(input: { tenantId: string; incidentId: number; signal?: AbortSignal }): Promise<SourceIncident> {
    const body = await this.caller.send({
      tenantId: input.tenantId,
      route: ROUTE,
      method: "GET",
      target: `/v1.0/security/incidents/${encodeId(input.incidentId)}?$expand=alerts`,
      signal: input.signal,
    });
    const parsed = parseGraphIncident(body);
    if (!parsed.ok) throw new ApiMalformedResponse(input.tenantId, "graph", parsed.malformed.problem);
    return parsed.incident;
  }

  /**
   * Sends the change (PATCH for fields, the comments endpoint for a comment) and returns the
   * incident as Graph now has it, alerts included: a PATCH answer carries no alerts, and the store
   * keeps whole records.
   */
  async updateIncident(input: { tenantId: string; incidentId: number; patch: IncidentPatch; signal?: AbortSignal }): Promise<SourceIncident> {
    const { comment, ...fields } = input.patch;
    // Only the properties v1.0's "Update incident" page (security-incident-update.md) lists as
    // updatable: assignedTo, classification, determination, status and customTags. resolvingComment
    // is readable on the incident resource but is not among them in v1.0, so it is never sent (Graph
    // could refuse the whole PATCH or drop it silently; neither is safe). A note on resolving goes
    // through the comments endpoint below, which v1.0 documents.
    const body: Record<string, unknown> = {};
    if (fields.status !== undefined) body.status = graphEnum(fields.status);
    if (fields.assignedTo !== undefined) body.assignedTo = fields.assignedTo;
    if (fields.classification !== undefined) body.classification = graphEnum(fields.classification);
    if (fields.determination !== undefined) body.determination = graphEnum(fields.determination);
    if (fields.customTags !== undefined) body.customTags = fields.customTags;
    const path = `/v1.0/security/incidents/${encodeId(input.incidentId)}`;
    if (Object.keys(body).length > 0)
      await this.caller.send({ tenantId: input.tenantId, route: ROUTE, method: "PATCH", target: path, body, signal: input.signal });
    if (comment !== undefined) {
      await this.caller.send({
        tenantId: input.tenantId,
        route: ROUTE,
        method: "POST",
        target: `${path}/comments`,
        body: { "@odata.type": "microsoft.graph.security.alertComment", comment },
        signal: input.signal,
      });
    }
    return this.getIncident(input);
  }

  /**
   * A nextLink is opaque: we never build or edit it, and it need not be on the host string we sent
   * (letter case, or Graph's own host behind a configured proxy). We do check where it points,
   * since the tenant's token goes with it: only https, to the configured Graph origin or Graph's
   * own host for the token's cloud.
   */
  private checkedNextLink(tenantId: string, link: string): string {
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      throw new ApiMalformedResponse(tenantId, "graph", "`@odata.nextLink` is not a URL");
    }
    if (url.protocol !== "https:" || !this.nextLinkOrigins.has(url.origin.toLowerCase())) {
      throw new ApiMalformedResponse(tenantId, "graph", `\`@odata.nextLink\` points outside Microsoft Graph (${url.origin})`);
    }
    return link;
  }
}
