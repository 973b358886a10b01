import { TaggedError, tagGuard } from "../../lib/errors";

/**
 * Typed failures of the Defender XDR incidents API. The client maps every HTTP answer it does not
 * treat as success to one of these, so callers branch on their tags (the guards at the end of
 * this file), never on status codes, text or `instanceof` (see lib/errors.ts).
 */
export abstract class DefenderError extends TaggedError {
  constructor(
    readonly tenantId: string,
    message: string,
  ) {
    super(message);
  }
}

/** Over the API's rate limit (429) or our own per-tenant budget: nothing was sent after `retryAt`. */
export class DefenderThrottled extends DefenderError {
  readonly tag = "DefenderThrottled";
  override readonly name = "DefenderThrottled";
  constructor(
    tenantId: string,
    readonly retryAt: Date,
    readonly source: "api" | "budget",
  ) {
    super(tenantId, `Defender API rate limit reached (${source}); retry at ${retryAt.toISOString()}`);
  }
}

/** 5xx, network error or timeout, still failing after the bounded retries. */
export class DefenderUnavailable extends DefenderError {
  readonly tag = "DefenderUnavailable";
  override readonly name = "DefenderUnavailable";
  constructor(
    tenantId: string,
    readonly detail: string,
    readonly status: number | null,
  ) {
    super(tenantId, `Defender API unavailable: ${detail}`);
  }
}

/** 401 (after one retry with a fresh token) or 403: the token was issued but the API refuses it. */
export class DefenderForbidden extends DefenderError {
  readonly tag = "DefenderForbidden";
  override readonly name = "DefenderForbidden";
  constructor(
    tenantId: string,
    readonly status: number,
    readonly apiMessage: string,
  ) {
    super(tenantId, `Defender API refused the token (${status}): ${apiMessage}`);
  }
}

export class DefenderNotFound extends DefenderError {
  readonly tag = "DefenderNotFound";
  override readonly name = "DefenderNotFound";
  constructor(tenantId: string, readonly apiMessage: string) {
    super(tenantId, `Defender API: not found: ${apiMessage}`);
  }
}

/** 400 and other 4xx answers: the request itself was refused; retrying it unchanged will not help. */
export class DefenderBadRequest extends DefenderError {
  readonly tag = "DefenderBadRequest";
  override readonly name = "DefenderBadRequest";
  constructor(
    tenantId: string,
    readonly apiMessage: string,
    readonly status = 400,
  ) {
    super(tenantId, `Defender API refused the request (${status}): ${apiMessage}`);
  }
}

/** A 2xx answer whose body is not the JSON we expect (truncated, HTML, or no `value` array). */
export class DefenderMalformedResponse extends DefenderError {
  readonly tag = "DefenderMalformedResponse";
  override readonly name = "DefenderMalformedResponse";
  constructor(tenantId: string, readonly problem: string) {
    super(tenantId, `Defender API answered with a malformed body: ${problem}`);
  }
}

/** Reads `{ error: { message } }` from an API error body, without trusting its shape. */
export function apiErrorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown; code?: unknown } };
    const message = parsed?.error?.message;
    if (typeof message === "string" && message) return message.slice(0, 500);
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.slice(0, 200) || "no details";
}

/** Seconds or HTTP-date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): Date | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return new Date(nowMs + Math.ceil(Number(trimmed) * 1000));
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : new Date(Math.max(at, nowMs));
}

export type DefenderFailure =
  | { kind: "retry-auth" }
  | { kind: "throttled"; retryAt: Date }
  | { kind: "transient"; status: number; retryAt: Date | null }
  | { kind: "fatal"; error: DefenderError };

/**
 * Pure mapping of a non-2xx answer to what the client does next. A 401 first asks for a fresh
 * token (the cached one may predate a consent change); the second 401 is final.
 */
export function classifyDefenderResponse(input: {
  tenantId: string;
  status: number;
  body: string;
  retryAfter: string | null;
  nowMs: number;
  alreadyRetriedAuth: boolean;
}): DefenderFailure {
  const { tenantId, status, body, nowMs } = input;
  const retryAt = parseRetryAfter(input.retryAfter, nowMs);
  if (status === 401 && !input.alreadyRetriedAuth) return { kind: "retry-auth" };
  if (status === 401 || status === 403) return { kind: "fatal", error: new DefenderForbidden(tenantId, status, apiErrorMessage(body)) };
  // Without Retry-After Microsoft's windows are a minute long: wait that rather than hammer it.
  if (status === 429) return { kind: "throttled", retryAt: retryAt ?? new Date(nowMs + 60_000) };
  if (status >= 500 || status === 408) return { kind: "transient", status, retryAt };
  if (status === 404) return { kind: "fatal", error: new DefenderNotFound(tenantId, apiErrorMessage(body)) };
  return { kind: "fatal", error: new DefenderBadRequest(tenantId, apiErrorMessage(body), status) };
}

export const isDefenderThrottled = tagGuard<DefenderThrottled>("DefenderThrottled");
export const isDefenderUnavailable = tagGuard<DefenderUnavailable>("DefenderUnavailable");
export const isDefenderForbidden = tagGuard<DefenderForbidden>("DefenderForbidden");
export const isDefenderNotFound = tagGuard<DefenderNotFound>("DefenderNotFound");
export const isDefenderBadRequest = tagGuard<DefenderBadRequest>("DefenderBadRequest");
export const isDefenderMalformedResponse = tagGuard<DefenderMalformedResponse>("DefenderMalformedResponse");
