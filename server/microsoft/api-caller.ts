import type { TokenSource } from "./token-broker";
import { backoffDelayMs, sleep, type BackoffPolicy } from "./backoff";
import { ApiMalformedResponse, ApiThrottled, ApiUnavailable, classifyApiResponse, type MicrosoftApi, type MicrosoftApiError } from "./api-errors";
import { RateBudget } from "./rate-budget";

export type ApiCallerOptions = {
  api: MicrosoftApi;
  /** Base URL for relative paths, e.g. https://graph.microsoft.com. */
  baseUrl: string;
  tokens: TokenSource;
  /** Shared per process so every caller of a tenant draws from one budget. */
  budget: RateBudget;
  /** Per HTTP call (default 30 s). */
  timeoutMs?: number;
  /** Attempts per call for 5xx, network errors, timeouts and short 429 waits (default 4). */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** Longest wait for the budget or a Retry-After before giving up with ApiThrottled (default 20 s). */
  maxThrottleWaitMs?: number;
  /** Headers sent on every call (e.g. Graph's Prefer). */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
};

export type ApiCall = {
  tenantId: string;
  /** The budget's route this call draws from. */
  route: string;
  method: "GET" | "PATCH" | "POST";
  /** A path below `baseUrl`, or an absolute URL the API gave us (a nextLink), followed verbatim. */
  target: string;
  body?: unknown;
  signal?: AbortSignal;
};

/**
 * One HTTP call to a Microsoft API with everything the portal promises around it: the tenant's
 * app-only token, the per-tenant rate budget, Retry-After, retries with jittered backoff for 5xx
 * and network errors, timeouts, one retry with a fresh token after a 401, and the mapping of
 * answers to typed errors (api-errors.ts). Token failures surface as TenantTokenError, untouched.
 */
export class MicrosoftApiCaller {
  readonly api: MicrosoftApi;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly maxThrottleWaitMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ApiCallerOptions) {
    this.api = options.api;
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.backoff = options.backoff ?? { baseMs: 500, maxMs: 8_000 };
    this.maxThrottleWaitMs = options.maxThrottleWaitMs ?? 20_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  get budget(): RateBudget {
    return this.options.budget;
  }

  /** The parsed JSON body of a 2xx answer (null when empty), or a typed error. */
  async send(call: ApiCall): Promise<unknown> {
    const url = /^https:\/\//i.test(call.target) ? call.target : `${this.baseUrl}${call.target}`;
    let retriedAuth = false;
    let lastFailure: MicrosoftApiError | null = null;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      call.signal?.throwIfAborted();
      // Token first: a token failure then costs no slot of the tenant's budget.
      const token = await this.options.tokens.getAppToken(call.tenantId);
      await this.options.budget.acquire({ tenantId: call.tenantId, route: call.route, maxWaitMs: this.maxThrottleWaitMs, signal: call.signal });

      let response: Response;
      let text: string;
      try {
        const timeout = AbortSignal.timeout(this.timeoutMs);
        response = await this.fetchImpl(url, {
          method: call.method,
          headers: {
            authorization: `Bearer ${token.accessToken}`,
            accept: "application/json",
            ...this.options.headers,
            ...(call.body !== undefined ? { "content-type": "application/json" } : {}),
          },
          body: call.body !== undefined ? JSON.stringify(call.body) : undefined,
          signal: call.signal ? AbortSignal.any([timeout, call.signal]) : timeout,
        });
        text = await response.text();
      } catch (error) {
        if (call.signal?.aborted) throw call.signal.reason;
        // Network error, reset connection or our timeout: all worth another try.
        lastFailure = new ApiUnavailable(call.tenantId, this.api, describeNetworkError(error), null);
        await this.pauseBeforeRetry(attempt, null, call.signal);
        continue;
      }

      if (response.ok) {
        if (!text) return null;
        try {
          return JSON.parse(text, withoutNul) as unknown;
        } catch {
          throw new ApiMalformedResponse(call.tenantId, this.api, `the body is not JSON (${text.length} characters)`);
        }
      }

      const failure = classifyApiResponse({
        tenantId: call.tenantId,
        api: this.api,
        status: response.status,
        body: text,
        retryAfter: response.headers.get("retry-after"),
        requestIdHeader: response.headers.get("request-id"),
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
          this.options.budget.pause(call.tenantId, call.route, failure.retryAt);
          lastFailure = new ApiThrottled(call.tenantId, this.api, failure.retryAt, "api");
          // A long Retry-After ends the call now; the budget then refuses callers until retryAt.
          if (failure.retryAt.getTime() - Date.now() > this.maxThrottleWaitMs) throw lastFailure;
          continue;
        case "transient":
          lastFailure = new ApiUnavailable(call.tenantId, this.api, `HTTP ${failure.status}`, failure.status, failure.requestId);
          if (failure.retryAt) {
            // A 5xx's Retry-After (Graph sends one with 503) binds like a 429's: nobody in this
            // process calls the route before it, and a long one ends the call with the time to return.
            this.options.budget.pause(call.tenantId, call.route, failure.retryAt);
            if (failure.retryAt.getTime() - Date.now() > this.maxThrottleWaitMs) throw new ApiThrottled(call.tenantId, this.api, failure.retryAt, "api");
          }
          await this.pauseBeforeRetry(attempt, failure.retryAt, call.signal);
          continue;
      }
    }
    throw lastFailure ?? new ApiUnavailable(call.tenantId, this.api, "no attempt was made", null);
  }

  private async pauseBeforeRetry(attempt: number, retryAt: Date | null, signal?: AbortSignal): Promise<void> {
    if (attempt >= this.maxAttempts) return;
    const backoff = backoffDelayMs(attempt, this.backoff);
    const hinted = retryAt ? Math.min(retryAt.getTime() - Date.now(), this.maxThrottleWaitMs) : 0;
    await sleep(Math.max(backoff, hinted), signal);
  }
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
