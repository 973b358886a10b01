import type { TokenSource } from "./token-broker";
import type { BackoffPolicy } from "./backoff";
import { ApiMalformedResponse } from "./api-errors";
import { MicrosoftApiCaller } from "./api-caller";
import { parseDefenderIncident } from "./defender-incident";
import { RateBudget } from "./rate-budget";
import type { IncidentPatch, MalformedIncident, SourceIncident } from "./source-incident";

/** What the client needs from the token broker (its tokens for the Defender API). */
export type DefenderTokenSource = TokenSource;

export type DefenderClientOptions = {
  /** Base URL, e.g. https://api.security.microsoft.com (config `defender.apiUrl`). */
  apiUrl: string;
  tokens: TokenSource;
  /** Shared per process so every caller of a tenant draws from one budget. */
  budget?: RateBudget;
  /** Per HTTP call (default 30 s). */
  timeoutMs?: number;
  /** Attempts per call for 5xx, network errors, timeouts and short 429 waits (default 4). */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** Longest wait for the budget or a Retry-After before giving up with ApiThrottled (default 20 s). */
  maxThrottleWaitMs?: number;
  fetch?: typeof fetch;
};

export const INCIDENT_PAGE_MAX = 100;

export type ListIncidentsInput = {
  tenantId: string;
  filter?: { lastUpdateTimeGe?: Date };
  /** At most 100 (the API's limit). */
  top: number;
  skip: number;
  signal?: AbortSignal;
};

export type IncidentPage = {
  incidents: SourceIncident[];
  malformed: MalformedIncident[];
  /** Records in the answer, readable or not: a page shorter than `top` is the last one. */
  received: number;
};

/**
 * The client of the legacy Defender XDR incidents API (retired by Microsoft on 2027-02-01; the
 * portal reads through Microsoft Graph by default, see graph-security-client.ts). The shared
 * caller owns tokens, the per-tenant budget, retries, timeouts and typed errors.
 */
export class DefenderClient {
  private readonly caller: MicrosoftApiCaller;

  constructor(options: DefenderClientOptions) {
    this.caller = new MicrosoftApiCaller({
      ...options,
      api: "defender",
      baseUrl: options.apiUrl,
      budget: options.budget ?? new RateBudget({ api: "defender" }),
    });
  }

  /** One page of incidents, oldest change first (as documented; callers still verify the order). */
  async listIncidents(input: ListIncidentsInput): Promise<IncidentPage> {
    const top = Math.min(INCIDENT_PAGE_MAX, Math.max(1, Math.floor(input.top)));
    const params: [string, string][] = [
      ["$top", String(top)],
      ["$skip", String(Math.max(0, Math.floor(input.skip)))],
    ];
    if (input.filter?.lastUpdateTimeGe) params.push(["$filter", `lastUpdateTime ge ${input.filter.lastUpdateTimeGe.toISOString()}`]);
    // %20, not "+", for spaces: OData servers differ in whether "+" means a space.
    const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
    const body = await this.caller.send({ tenantId: input.tenantId, route: "list", method: "GET", target: `/api/incidents?${query}`, signal: input.signal });
    const value = (body as { value?: unknown } | null)?.value;
    if (!Array.isArray(value)) throw new ApiMalformedResponse(input.tenantId, "defender", "the answer has no `value` array");
    const page: IncidentPage = { incidents: [], malformed: [], received: value.length };
    for (const record of value) {
      const parsed = parseDefenderIncident(record);
      if (parsed.ok) page.incidents.push(parsed.incident);
      else page.malformed.push(parsed.malformed);
    }
    return page;
  }

  /** One incident; ApiNotFound when it does not exist, ApiMalformedResponse when unreadable. */
  async getIncident(input: { tenantId: string; incidentId: number; signal?: AbortSignal }): Promise<SourceIncident> {
    const body = await this.caller.send({
      tenantId: input.tenantId,
      route: "get",
      method: "GET",
      target: `/api/incidents/${encodeId(input.incidentId)}`,
      signal: input.signal,
    });
    return this.readOne(input.tenantId, body);
  }

  /** Updates an incident and returns it as Defender now has it. Only the given fields are sent. */
  async updateIncident(input: { tenantId: string; incidentId: number; patch: IncidentPatch; signal?: AbortSignal }): Promise<SourceIncident> {
    const { customTags, ...rest } = input.patch;
    const body = Object.fromEntries(Object.entries({ ...rest, tags: customTags }).filter(([, v]) => v !== undefined));
    const answer = await this.caller.send({
      tenantId: input.tenantId,
      route: "update",
      method: "PATCH",
      target: `/api/incidents/${encodeId(input.incidentId)}`,
      body,
      signal: input.signal,
    });
    return this.readOne(input.tenantId, answer);
  }

  private readOne(tenantId: string, body: unknown): SourceIncident {
    const parsed = parseDefenderIncident(body);
    if (!parsed.ok) throw new ApiMalformedResponse(tenantId, "defender", parsed.malformed.problem);
    return parsed.incident;
  }
}

export function encodeId(incidentId: number): string {
  if (!Number.isSafeInteger(incidentId) || incidentId < 0) throw new TypeError(`invalid incident id ${incidentId}`);
  return String(incidentId);
}
