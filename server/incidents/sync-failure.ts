import { backoffDelayMs, type BackoffPolicy } from "../microsoft/backoff";
import { errorMessage } from "../../lib/errors";
import {
  API_LABEL,
  type MicrosoftApi,
  isApiBadRequest,
  isApiForbidden,
  isApiMalformedResponse,
  isApiNotFound,
  isApiThrottled,
  isApiUnavailable,
} from "../microsoft/api-errors";
import { isTenantTokenError, type TenantTokenError } from "../microsoft/token-errors";
import { isSyncLeaseLost } from "./sync-errors";
import { utcTime } from "../../lib/time";

/** What a failed sync run means: words for staff, who else must hear of it, and when to retry. */
export type SyncFailure = {
  code: string;
  /** Plain words for the staff-facing status page. */
  message: string;
  /** Tenant health must learn of it (status may change). */
  report: { kind: "token"; error: TenantTokenError } | { kind: "forbidden"; status: number; api: MicrosoftApi } | null;
  /** Earliest retry the API asked for. */
  retryAt: Date | null;
  /** Not the tenant's fault (another process took over): no failure is counted. */
  benign: boolean;
};

/** Pure mapping of whatever a sync run threw. */
export function describeSyncFailure(error: unknown): SyncFailure {
  const base = { report: null, retryAt: null, benign: false };
  if (isTenantTokenError(error)) {
    return {
      ...base,
      code: error.aadstsCode ? `AADSTS${error.aadstsCode}` : `token_${error.kind}`,
      message: error.staffMessage,
      report: { kind: "token", error },
    };
  }
  const ref = (id: string | null) => (id ? ` Microsoft request id ${id}.` : "");
  if (isApiForbidden(error)) {
    return {
      ...base,
      code: `HTTP ${error.status}`,
      message: `${API_LABEL[error.api]} refused the portal's token: the permissions were removed in the customer's tenant. Send the customer a new consent link.${ref(error.requestId)}`,
      report: { kind: "forbidden", status: error.status, api: error.api },
    };
  }
  if (isApiThrottled(error)) {
    return {
      ...base,
      code: "throttled",
      message: `Microsoft's rate limit for this tenant was reached; sync resumes at ${utcTime(error.retryAt)}.`,
      retryAt: error.retryAt,
    };
  }
  if (isApiUnavailable(error)) {
    return {
      ...base,
      code: error.status ? `HTTP ${error.status}` : "unavailable",
      message: `${API_LABEL[error.api]} did not answer properly (${error.detail}); the portal retries automatically.${ref(error.requestId)}`,
    };
  }
  if (isApiMalformedResponse(error)) {
    return { ...base, code: "malformed_response", message: `${API_LABEL[error.api]} sent an answer that could not be read; the portal retries automatically.` };
  }
  if (isApiBadRequest(error) || isApiNotFound(error)) {
    return { ...base, code: "rejected", message: `${API_LABEL[error.api]} refused the sync request: ${error.apiMessage}${ref(error.requestId)}` };
  }
  if (isSyncLeaseLost(error)) {
    return { ...base, code: "lease_lost", message: "Another portal process took over this tenant's sync.", benign: true };
  }
  // Prisma's transaction API errors (P2028: could not start in time, or expired): the store was busy.
  if (typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2028") {
    return { ...base, code: "store_busy", message: "The portal's database was too busy to store a page in time; the sync retries automatically." };
  }
  const detail = errorMessage(error);
  return { ...base, code: "internal", message: `An unexpected error stopped the sync: ${detail.slice(0, 300)}` };
}

/** When a tenant that failed `consecutiveFailures` times in a row is due again (never before retryAt). */
export function nextRunAfterFailure(input: {
  now: Date;
  consecutiveFailures: number;
  retryAt: Date | null;
  policy: BackoffPolicy;
  random?: () => number;
}): Date {
  const delay = backoffDelayMs(input.consecutiveFailures, input.policy, input.random);
  return new Date(Math.max(input.now.getTime() + delay, input.retryAt?.getTime() ?? 0));
}
