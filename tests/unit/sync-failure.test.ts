import { describe, expect, it } from "vitest";
import { ApiForbidden, ApiMalformedResponse, ApiThrottled, ApiUnavailable } from "@/server/microsoft/api-errors";
import { TenantTokenError } from "@/server/microsoft/token-errors";
import { SyncLeaseLost } from "@/server/incidents/sync-errors";
import { describeSyncFailure, nextRunAfterFailure } from "@/server/incidents/sync-failure";

describe("sync failures in words", () => {
  it("sends token and permission failures to tenant health, with words a person can act on", () => {
    const token = describeSyncFailure(new TenantTokenError("t", "not_consented", 7000229));
    expect(token).toMatchObject({ code: "AADSTS7000229", report: { kind: "token" }, benign: false });
    expect(token.message).toMatch(/new consent link/);
    expect(describeSyncFailure(new TenantTokenError("t", "transient", null)).code).toBe("token_transient");
    expect(describeSyncFailure(new ApiForbidden("t", "graph", 403, "Missing application permission", "req-1"))).toMatchObject({
      code: "HTTP 403",
      report: { kind: "forbidden", status: 403, api: "graph" },
      message: expect.stringMatching(/Microsoft Graph refused.*req-1/),
    });
  });

  it("keeps the time to retry of a throttled tenant, and marks passing API trouble as retried", () => {
    const retryAt = new Date("2026-01-01T10:15:00Z");
    expect(describeSyncFailure(new ApiThrottled("t", "graph", retryAt, "api"))).toMatchObject({
      code: "throttled",
      retryAt,
      message: expect.stringMatching(/10:15 UTC/),
    });
    expect(describeSyncFailure(new ApiUnavailable("t", "defender", "HTTP 503", 503))).toMatchObject({
      code: "HTTP 503",
      message: expect.stringMatching(/retries automatically/),
    });
    expect(describeSyncFailure(new ApiMalformedResponse("t", "graph", "x")).code).toBe("malformed_response");
    expect(describeSyncFailure(new SyncLeaseLost("t")).benign).toBe(true);
    expect(describeSyncFailure(new Error("boom"))).toMatchObject({ code: "internal", report: null });
    // A page commit that could not start or finish in time: the store was busy, not broken.
    expect(
      describeSyncFailure(Object.assign(new Error("Transaction API error: Unable to start a transaction in the given time."), { code: "P2028" })),
    ).toMatchObject({ code: "store_busy", report: null, benign: false });
  });

  it("backs off exponentially up to the cap, never before Retry-After", () => {
    const now = new Date(0);
    const policy = { baseMs: 1_000, maxMs: 8_000 };
    const at = (consecutiveFailures: number, retryAt: Date | null = null) =>
      nextRunAfterFailure({ now, consecutiveFailures, retryAt, policy, random: () => 0.999999 }).getTime();
    expect([1, 2, 3, 4, 5].map((n) => at(n))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(at(1, new Date(60_000))).toBe(60_000);
  });
});
