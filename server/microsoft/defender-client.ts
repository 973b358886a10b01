import type { AppToken } from "./token-broker";
import { backoffDelayMs, sleep, type BackoffPolicy } from "./defender-backoff";
import {
  DefenderError,
  DefenderMalformedResponse,
  DefenderThrottled,
  DefenderUnavailable,
  classifyDefenderResponse,
} from "./defender-errors";
import { parseDefenderIncident, type DefenderIncident, type MalformedIncident } from "./defender-incident";
import { DefenderRateBudget, type DefenderRoute } from "./defender-rate-budget";

/** What the client needs from the token broker (an interface, so tests can pass their own). */
export type DefenderTokenSource = {
  getAppToken(tenantId: string, options?: { forceRefresh?: boolean }): Promise<AppToken>;
  forget(tenantId: string): void;
};

export type DefenderClientOptions = {
  /** Base URL, e.g. https://api.security.microsoft.com (config `defender.apiUrl`). */
  apiUrl: string;
  tokens: DefenderTokenSource;
  /** Shared per process so every caller of a tenant draws from one budget. */
  budget?: DefenderRateBudget;
  /** Per HTTP call (default 30 s). */
  timeoutMs?: number;
  /** Attempts per call for 5xx, network errors, timeouts and short 429 waits (default 4). */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** Longest wait for the budget or a Retry-After before giving up with DefenderThrottled (default 20 s). */
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
  incidents: DefenderIncident[];
  malformed: MalformedIncident[];
  /** Records in the answer, readable or not: a page shorter than `top` is the last one. */
  received: number;
};

export type IncidentPatch = {
  status?: string;
  assignedTo?: string | null;
  classification?: string;
  determination?: string;
  tags?: string[];
  comment?: string;
};

type Call = { tenantId: string; route: DefenderRoute; method: "GET" | "PATCH"; path: string; body?: unknown; signal?: AbortSignal };

/**
 * The one client of the Defender XDR incidents API: it owns authentication, the per-tenant rate
 * budget, Retry-After, retries with jittered backoff, timeouts, and the mapping of answers to
 * typed errors (defender-errors.ts). Token failures surface as TenantTokenError, untouched.
 */
export class DefenderClient {
  private readonly apiUrl: string;
  private readonly budget: DefenderRateBudget;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly maxThrottleWaitMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: DefenderClientOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, "");
    this.budget = options.budget ?? new DefenderRateBudget();
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.backoff = options.backoff ?? { baseMs: 500, maxMs: 8_000 };
    this.maxThrottleWaitMs = options.maxThrottleWaitMs ?? 20_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** One page of incidents, oldest change first (as documented; callers still verify the order). */
  async listIncidents(input: ListIncidentsInput): Promise<IncidentPage> {
    const top = Math.min(INCIDENT_PAGE_MAX, Math.max(1, Math.floor(input.top)));
    const params: [string, string][] = [["$top", String(top)], ["$skip", String(Math.max(0, Math.floor(input.skip)))]];
    if (input.filter?.lastUpdateTimeGe) params.push(["$filter", `lastUpdateTime ge ${input.filter.lastUpdateTimeGe.toISOString()}`]);
    // %20, not "+", for spaces: OData servers differ in whether "+" means a space.
    const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
    const body = await this.send({ tenantId: input.tenantId, route: "list", method: "GET", path: `/api/incidents?${query}`, signal: input.signal });
    const value = (body as { value?: unknown } | null)?.value;
    if (!Array.isArray(value)) throw new DefenderMalformedResponse(input.tenantId, "the answer has no `value` array");
    const page: IncidentPage = { incidents: [], malformed: [], received: value.length };
    for (const record of value) {
      const parsed = parseDefenderIncident(record);
      if (parsed.ok) page.incidents.push(parsed.incident);
      else page.malformed.push(parsed.malformed);
    }
    return page;
  }

  /** One incident; DefenderNotFound when it does not exist, DefenderMalformedResponse when unreadable. */
  async getIncident(input: { tenantId: string; incidentId: number; signal?: AbortSignal }): Promise<DefenderIncident> {
    const body = await this.send({ tenantId: input.tenantId, route: "get", method: "GET", path: `/api/incidents/${encodeId(input.incidentId)}`, signal: input.signal });
    return this.readOne(input.tenantId, body);
  }

  /** Updates an incident and returns it as Defender now has it. Only the given fields are sent. */
  async updateIncident(input: { tenantId: string; incidentId: number; patch: IncidentPatch; signal?: AbortSignal }): Promise<DefenderIncident> {
    const body = Object.fromEntries(Object.entries(input.patch).filter(([, v]) => v !== undefined));
    const answer = await this.send({ tenantId: input.tenantId, route: "update", method: "PATCH", path: `/api/incidents/${encodeId(input.incidentId)}`, body, signal: input.signal });
    return this.readOne(input.tenantId, answer);
  }

  private readOne(tenantId: string, body: unknown): DefenderIncident {
    const parsed = parseDefenderIncident(body);
    if (!parsed.ok) throw new DefenderMalformedResponse(tenantId, parsed.malformed.problem);
    return parsed.incident;
  }

  private async send(call: Call): Promise<unknown> {
    let retriedAuth = false;
    let lastFailure: DefenderError | null = null;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      call.signal?.throwIfAborted();
      // Token first: a token failure then costs no slot of the tenant's budget.
      const token = await this.options.tokens.getAppToken(call.tenantId);
      await this.budget.acquire({ tenantId: call.tenantId, route: call.route, maxWaitMs: this.maxThrottleWaitMs, signal: call.signal });

      let response: Response;
      let text: string;
      try {
        const timeout = AbortSignal.timeout(this.timeoutMs);
        response = await this.fetchImpl(`${this.apiUrl}${call.path}`, {
          method: call.method,
          headers: {
            authorization: `Bearer ${token.accessToken}`,
            accept: "application/json",
            ...(call.body !== undefined ? { "content-type": "application/json" } : {}),
          },
          body: call.body !== undefined ? JSON.stringify(call.body) : undefined,
          signal: call.signal ? AbortSignal.any([timeout, call.signal]) : timeout,
        });
        text = await response.text();
      } catch (error) {
        if (call.signal?.aborted) throw call.signal.reason;
        // Network error, reset connection or our timeout: all worth another try.
        lastFailure = new DefenderUnavailable(call.tenantId, describeNetworkError(error), null);
        await this.pauseBeforeRetry(attempt, null, call.signal);
        continue;
      }

      if (response.ok) {
        if (!text) return null;
        try {
          return JSON.parse(text, withoutNul) as unknown;
        } catch {
          throw new DefenderMalformedResponse(call.tenantId, `the body is not JSON (${text.length} characters)`);
        }
      }

      const failure = classifyDefenderResponse({
        tenantId: call.tenantId,
        status: response.status,
        body: text,
        retryAfter: response.headers.get("retry-after"),
        nowMs: Date.now(),
        alreadyRetriedAuth: retriedAuth,
      });
      switch (failure.kind) {
        case "retry-auth":
          // The cached token may predate a consent change: one retry with a fresh one, not counted.
          retriedAuth = true;
          this.options.tokens.forget(call.tenantId);
          attempt--;
          continue;
        case "fatal":
          throw failure.error;
        case "throttled":
          this.budget.pause(call.tenantId, call.route, failure.retryAt);
          lastFailure = new DefenderThrottled(call.tenantId, failure.retryAt, "api");
          // A long Retry-After ends the call now; the budget then refuses callers until retryAt.
          if (failure.retryAt.getTime() - Date.now() > this.maxThrottleWaitMs) throw lastFailure;
          continue;
        case "transient":
          lastFailure = new DefenderUnavailable(call.tenantId, `HTTP ${failure.status}`, failure.status);
          await this.pauseBeforeRetry(attempt, failure.retryAt, call.signal);
          continue;
      }
    }
    throw lastFailure ?? new DefenderUnavailable(call.tenantId, "no attempt was made", null);
  }

  private async pauseBeforeRetry(attempt: number, retryAt: Date | null, signal?: AbortSignal): Promise<void> {
    if (attempt >= this.maxAttempts) return;
    const backoff = backoffDelayMs(attempt, this.backoff);
    const hinted = retryAt ? Math.min(retryAt.getTime() - Date.now(), this.maxThrottleWaitMs) : 0;
    await sleep(Math.max(backoff, hinted), signal);
  }
}

function encodeId(incidentId: number): string {
  if (!Number.isSafeInteger(incidentId) || incidentId < 0) throw new TypeError(`invalid incident id ${incidentId}`);
  return String(incidentId);
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError") return "the call timed out";
    const cause = (error as { cause?: { code?: unknown } }).cause;
    return typeof cause?.code === "string" ? `network error (${cause.code})` : `network error (${error.message})`;
  }
  return "network error";
}

/** PostgreSQL cannot store U+0000 in text or jsonb: one such character would stall a tenant's sync forever. */
function withoutNul(_key: string, value: unknown): unknown {
  return typeof value === "string" && value.includes("\u0000") ? value.replaceAll("\u0000", "\uFFFD") : value;
}
