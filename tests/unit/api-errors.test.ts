import { describe, expect, it } from "vitest";
import { backoffDelayMs } from "@/server/microsoft/backoff";
import { ApiBadRequest, ApiForbidden, ApiNotFound, classifyApiResponse, parseRetryAfter, readApiErrorBody } from "@/server/microsoft/api-errors";

const now = Date.UTC(2026, 0, 1);
const classify = (status: number, extra: Partial<Parameters<typeof classifyApiResponse>[0]> = {}) =>
  classifyApiResponse({
    tenantId: "t",
    api: "defender",
    status,
    body: JSON.stringify({ error: { code: "X", message: "why" } }),
    retryAfter: null,
    nowMs: now,
    alreadyRetriedAuth: false,
    ...extra,
  });

describe("mapping Microsoft API answers", () => {
  it("reads Graph's error body: code, message and innerError request-id (or the request-id header)", () => {
    const body = JSON.stringify({
      error: {
        code: "Forbidden",
        message: "Missing application roles.",
        innerError: { date: "2026-12-01T00:00:00", "request-id": "5c1d-r1", "client-request-id": "c-1" },
      },
    });
    const forbidden = classifyApiResponse({ tenantId: "t", api: "graph", status: 403, body, retryAfter: null, nowMs: now, alreadyRetriedAuth: false });
    expect(forbidden.kind === "fatal" && [forbidden.error.api, forbidden.error.requestId, (forbidden.error as ApiForbidden).apiMessage]).toEqual([
      "graph",
      "5c1d-r1",
      "Missing application roles.",
    ]);
    expect(readApiErrorBody("<html>", "hdr-7")).toEqual({ message: "<html>", code: null, requestId: "hdr-7" });
    expect(readApiErrorBody(body).code).toBe("Forbidden");
  });

  it("retries a first 401 with a fresh token, and turns the second (or a 403) into ApiForbidden", () => {
    expect(classify(401)).toEqual({ kind: "retry-auth" });
    const second = classify(401, { alreadyRetriedAuth: true });
    expect(second.kind === "fatal" && second.error).toBeInstanceOf(ApiForbidden);
    const forbidden = classify(403);
    expect(forbidden.kind === "fatal" && forbidden.error instanceof ApiForbidden && [forbidden.error.status, forbidden.error.apiMessage]).toEqual([403, "why"]);
  });

  it("honours Retry-After on 429, and waits a minute when it is missing", () => {
    expect(classify(429, { retryAfter: "7" })).toEqual({ kind: "throttled", retryAt: new Date(now + 7_000) });
    expect(classify(429)).toEqual({ kind: "throttled", retryAt: new Date(now + 60_000) });
  });

  it("treats 5xx and 408 as transient, 404 and other 4xx as final", () => {
    expect(classify(503, { retryAfter: "2" })).toEqual({ kind: "transient", status: 503, retryAt: new Date(now + 2_000), requestId: null });
    expect(classify(500)).toMatchObject({ kind: "transient", status: 500 });
    expect(classify(408)).toMatchObject({ kind: "transient" });
    const notFound = classify(404);
    expect(notFound.kind === "fatal" && notFound.error).toBeInstanceOf(ApiNotFound);
    const bad = classify(400, { body: "<html>not json</html>" });
    expect(bad.kind === "fatal" && bad.error instanceof ApiBadRequest && bad.error.apiMessage).toBe("<html>not json</html>");
  });

  it("reads Retry-After as seconds or an HTTP date, ignoring nonsense", () => {
    expect(parseRetryAfter("1.5", now)).toEqual(new Date(now + 1_500));
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toEqual(new Date(now + 30_000));
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe("jittered exponential backoff", () => {
  it("doubles the ceiling per attempt up to the cap, and never retries at once", () => {
    const policy = { baseMs: 100, maxMs: 1_000 };
    expect([1, 2, 3, 4, 5, 10].map((attempt) => backoffDelayMs(attempt, policy, () => 0.999999))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(40);
  });
});
