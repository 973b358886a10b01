// Turns an injected fault into the response a flaky cloud service would give.
import type { FaultRule } from "./faults";
import { sendJson, sendRaw, type RequestContext } from "./http-router";

export type FaultOutcome = "handled" | "continue" | "malformed-record";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The fixed latency every token and API response gets (settings.addedLatencyMs; none when 0). */
export async function addedLatency(ms: number): Promise<void> {
  if (ms > 0) await sleep(ms);
}

const DEFAULT_TRUNCATED_JSON = '{"@odata.context":"truncated","value":[{"incidentId":1,';

/**
 * Applies the fault; "continue" means the normal handler should still run (after any delay).
 * `headers` go on every faulted response (Graph's request-id); `truncatedJson` is the broken body.
 */
export async function respondWithFault(
  rc: RequestContext,
  fault: FaultRule | undefined,
  errorBody: (status: number, message: string) => unknown,
  opts: { headers?: Record<string, string>; truncatedJson?: string } = {},
): Promise<FaultOutcome> {
  if (!fault) return "continue";
  const headers = opts.headers ?? {};
  switch (fault.kind) {
    case "slow":
      await sleep(fault.delayMs);
      return "continue";
    case "reset":
      // Drop the connection without an answer, like a load balancer resetting it.
      rc.req.socket.destroy();
      return "handled";
    case "429":
      sendJson(rc.res, 429, errorBody(429, "Rate limit is exceeded. Try again later."), { ...headers, "retry-after": String(fault.retryAfterSeconds) });
      return "handled";
    case "500":
      sendJson(rc.res, 500, errorBody(500, "An unexpected error occurred."), headers);
      return "handled";
    case "503":
      sendJson(rc.res, 503, errorBody(503, "The service is temporarily unavailable."), { ...headers, "retry-after": String(fault.retryAfterSeconds) });
      return "handled";
    case "malformed-json":
      sendRaw(rc.res, 200, "application/json; charset=utf-8", opts.truncatedJson ?? DEFAULT_TRUNCATED_JSON, headers);
      return "handled";
    case "malformed-record":
      return "malformed-record";
  }
}
