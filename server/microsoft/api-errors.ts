import { TaggedError, tagGuard } from "../../lib/errors";

/**
 * Typed failures of Microsoft's incident APIs (Graph's security API and the legacy Defender XDR
 * API). Each client maps every HTTP answer it does not treat as success to one of these, so
 * callers branch on their tags (the guards at the end of this file), never on status codes, text
 * or `instanceof` (see lib/errors.ts).
 */
export type MicrosoftApi = "graph" | "defender";

/** How staff read the API's name. */
export const API_LABEL: Record<MicrosoftApi, string> = { graph: "Microsoft Graph", defender: "The Defender API" };

export abstract class MicrosoftApiError extends TaggedError {
  constructor(
    readonly tenantId: string,
    readonly api: MicrosoftApi,
    message: string,
    /** Microsoft's id of the failed request (Graph: `innerError.request-id`), for support cases. */
    readonly requestId: string | null = null,
  ) {
    super(message);
  }
}

/** Over the API's rate limit (429) or our own per-tenant budget: nothing was sent after `retryAt`. */
export class ApiThrottled extends MicrosoftApiError {
  readonly tag = "ApiThrottled";
  override readonly name = "ApiThrottled";
  constructor(
    tenantId: string,
    api: MicrosoftApi,
    readonly retryAt: Date,
    readonly source: "api" | "budget",
  ) {
    super(tenantId, api, `${API_LABEL[api]} rate limit reached (${source}); retry at ${retryAt.toISOString()}`);
  }
}

/** 5xx, network error or timeout, still failing after the bounded retries. */
export class ApiUnavailable extends MicrosoftApiError {
  readonly tag = "ApiUnavailable";
  override readonly name = "ApiUnavailable";
  constructor(
    tenantId: string,
    api: MicrosoftApi,
    readonly detail: string,
    readonly status: number | null,
    requestId: string | null = null,
  ) {
    super(tenantId, api, `${API_LABEL[api]} unavailable: ${detail}`, requestId);
  }
}

/** 401 (after one retry with a fresh token) or 403: the token was issued but the API refuses it. */
export class ApiForbidden extends MicrosoftApiError {
  readonly tag = "ApiForbidden";
  override readonly name = "ApiForbidden";
  constructor(
    tenantId: string,
    api: MicrosoftApi,
    readonly status: number,
    readonly apiMessage: string,
    requestId: string | null = null,
  ) {
    super(tenantId, api, `${API_LABEL[api]} refused the token (${status}): ${apiMessage}`, requestId);
  }
}

export class ApiNotFound extends MicrosoftApiError {
  readonly tag = "ApiNotFound";
  override readonly name = "ApiNotFound";
  constructor(
    tenantId: string,
    api: MicrosoftApi,
    readonly apiMessage: string,
    requestId: string | null = null,
  ) {
    super(tenantId, api, `${API_LABEL[api]}: not found: ${apiMessage}`, requestId);
  }
}

/** 400 and other 4xx answers: the request itself was refused; retrying it unchanged will not help. */
export class ApiBadRequest extends MicrosoftApiError {
  readonly tag = "ApiBadRequest";
  override readonly name = "ApiBadRequest";
  constructor(
    tenantId: string,
    api: MicrosoftApi,
    readonly apiMessage: string,
    readonly status = 400,
    requestId: string | null = null,
  ) {
    super(tenantId, api, `${API_LABEL[api]} refused the request (${status}): ${apiMessage}`, requestId);
  }
}

/** A 2xx answer whose body is not the JSON we expect (truncated, HTML, or no `value` array). */
export class ApiMalformedResponse extends MicrosoftApiError {
  readonly tag = "ApiMalformedResponse";
  override readonly name = "ApiMalformedResponse";
  constructor(
    tenantId: string,
    api: MicrosoftApi,
    readonly problem: string,
  ) {
    super(tenantId, api, `${API_LABEL[api]} answered with a malformed body: ${problem}`);
  }
}

export type ApiErrorBody = { message: string; code: string | null; requestId: string | null };

/**
 * Reads `{ error: { code, message, innerError: { "request-id" } } }` from an error body without
 * trusting its shape (Graph's form; the Defender API sends the same minus innerError). The
 * `request-id` response header is the fallback for the request id.
 */
export function readApiErrorBody(body: string, requestIdHeader: string | null = null): ApiErrorBody {
  let message: string | null = null;
  let code: string | null = null;
  let requestId: string | null = null;
  try {
    const parsed = JSON.parse(body) as {
      error?: { message?: unknown; code?: unknown; innerError?: Record<string, unknown>; innererror?: Record<string, unknown> };
    };
    const error = parsed?.error;
    if (typeof error?.message === "string" && error.message) message = error.message.slice(0, 500);
    if (typeof error?.code === "string" && error.code) code = error.code.slice(0, 100);
    const inner = error?.innerError ?? error?.innererror;
    const id = inner?.["request-id"] ?? inner?.requestId;
    if (typeof id === "string" && id) requestId = id.slice(0, 100);
  } catch {
    // not JSON: fall through to the raw text
  }
  return {
    message: message ?? (body.slice(0, 200) || "no details"),
    code,
    requestId: requestId ?? (requestIdHeader ? requestIdHeader.slice(0, 100) : null),
  };
}

/** The message alone, for callers that need no more. */
export function apiErrorMessage(body: string): string {
  return readApiErrorBody(body).message;
}

/** Seconds or HTTP-date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): Date | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return new Date(nowMs + Math.ceil(Number(trimmed) * 1000));
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : new Date(Math.max(at, nowMs));
}

export type ApiFailure =
  | { kind: "retry-auth" }
  | { kind: "throttled"; retryAt: Date }
  | { kind: "transient"; status: number; retryAt: Date | null; requestId: string | null }
  | { kind: "fatal"; error: MicrosoftApiError };

/**
 * Pure mapping of a non-2xx answer to what the client does next. A 401 first asks for a fresh
 * token (the cached one may predate a consent change); the second 401 is final.
 */
export function classifyApiResponse(input: {
  tenantId: string;
  api: MicrosoftApi;
  status: number;
  body: string;
  retryAfter: string | null;
  requestIdHeader?: string | null;
  nowMs: number;
  alreadyRetriedAuth: boolean;
}): ApiFailure {
  const { tenantId, api, status, body, nowMs } = input;
  const retryAt = parseRetryAfter(input.retryAfter, nowMs);
  const error = readApiErrorBody(body, input.requestIdHeader ?? null);
  if (status === 401 && !input.alreadyRetriedAuth) return { kind: "retry-auth" };
  if (status === 401 || status === 403) return { kind: "fatal", error: new ApiForbidden(tenantId, api, status, error.message, error.requestId) };
  // Without Retry-After Microsoft's windows are a minute long: wait that rather than hammer it.
  if (status === 429) return { kind: "throttled", retryAt: retryAt ?? new Date(nowMs + 60_000) };
  if (status >= 500 || status === 408) return { kind: "transient", status, retryAt, requestId: error.requestId };
  if (status === 404) return { kind: "fatal", error: new ApiNotFound(tenantId, api, error.message, error.requestId) };
  return { kind: "fatal", error: new ApiBadRequest(tenantId, api, error.message, status, error.requestId) };
}

export const isMicrosoftApiError = tagGuard<MicrosoftApiError>(
  "ApiThrottled",
  "ApiUnavailable",
  "ApiForbidden",
  "ApiNotFound",
  "ApiBadRequest",
  "ApiMalformedResponse",
);
export const isApiThrottled = tagGuard<ApiThrottled>("ApiThrottled");
export const isApiUnavailable = tagGuard<ApiUnavailable>("ApiUnavailable");
export const isApiForbidden = tagGuard<ApiForbidden>("ApiForbidden");
export const isApiNotFound = tagGuard<ApiNotFound>("ApiNotFound");
export const isApiBadRequest = tagGuard<ApiBadRequest>("ApiBadRequest");
export const isApiMalformedResponse = tagGuard<ApiMalformedResponse>("ApiMalformedResponse");
