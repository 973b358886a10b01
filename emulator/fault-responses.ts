// Turns an injected fault into the response a flaky cloud service would give.
import type { FaultRule } from "./faults";
import { sendJson, sendRaw, type RequestContext } from "./http-router";

export type FaultOutcome = "handled" | "continue" | "malformed-record";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Applies the fault; "continue" means the normal handler should still run (after any delay). */
export async function respondWithFault(
  rc: RequestContext,
  fault: FaultRule | undefined,
  errorBody: (status: number, message: string) => unknown,
): Promise<FaultOutcome> {
  if (!fault) return "continue";
  switch (fault.kind) {
    case "slow":
      await sleep(fault.delayMs);
      return "continue";
    case "reset":
      // Drop the connection without an answer, like a load balancer resetting it.
      rc.req.socket.destroy();
      return "handled";
    case "429":
      sendJson(rc.res, 429, errorBody(429, "Rate limit is exceeded. Try again later."), { "retry-after": String(fault.retryAfterSeconds) });
      return "handled";
    case "500":
      sendJson(rc.res, 500, errorBody(500, "An unexpected error occurred."));
      return "handled";
    case "503":
      sendJson(rc.res, 503, errorBody(503, "The service is temporarily unavailable."), { "retry-after": String(fault.retryAfterSeconds) });
      return "handled";
    case "malformed-json":
      sendRaw(rc.res, 200, "application/json; charset=utf-8", '{"@odata.context":"truncated","value":[{"incidentId":1,');
      return "handled";
    case "malformed-record":
      return "malformed-record";
  }
}
