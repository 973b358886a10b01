import { describe, expect, it } from "vitest";
import { ApiThrottled } from "@/server/microsoft/api-errors";
import { RateBudget, nextSlotAt } from "@/server/microsoft/rate-budget";

function fakeClock(start = 1_000_000) {
  let now = start;
  const waits: number[] = [];
  return {
    now: () => now,
    wait: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    advance: (ms: number) => (now += ms),
    waits,
  };
}

describe("nextSlotAt", () => {
  it("admits a call while both windows have room, and otherwise names when the oldest call leaves", () => {
    expect(nextSlotAt([1, 2], 10, { perMinute: 3, perHour: 10 })).toBe(10);
    // Three calls in the minute: the first of them frees its slot 60 s (+ margin) after it was sent.
    expect(nextSlotAt([1_000, 2_000, 3_000], 4_000, { perMinute: 3, perHour: 10 })).toBe(61_500);
    // The hour window counts too, even when the minute is quiet.
    expect(nextSlotAt([0, 100_000], 200_000, { perMinute: 50, perHour: 2 })).toBe(3_600_500);
    // A 429 pause wins when it is later.
    expect(nextSlotAt([], 10, { perMinute: 3, perHour: 10 }, 5_000)).toBe(5_000);
  });
});

describe("RateBudget", () => {
  it("waits for a slot when it comes soon enough, per tenant and per route", async () => {
    const clock = fakeClock();
    const budget = new RateBudget({ limits: { list: { perMinute: 2 } }, now: clock.now, wait: clock.wait });
    const acquire = (tenantId: string, route: "list" | "get" = "list") => budget.acquire({ tenantId, route, maxWaitMs: 120_000 });
    await acquire("a");
    await acquire("a");
    await acquire("b"); // another tenant has its own budget
    await acquire("a", "get"); // and so has another route
    expect(clock.waits).toEqual([]);
    await acquire("a");
    expect(clock.waits).toEqual([60_500]);
    // 60.5 s later the first two calls have left the minute window, not the hour window.
    expect(budget.usage("a", "list")).toEqual({ lastMinute: 1, lastHour: 3 });
  });

  it("reports 'exhausted, retry at T' instead of sending when the wait is too long", async () => {
    const clock = fakeClock();
    const budget = new RateBudget({ limits: { update: { perMinute: 1 } }, now: clock.now, wait: clock.wait });
    await budget.acquire({ tenantId: "a", route: "update", maxWaitMs: 1_000 });
    const refused = await budget.acquire({ tenantId: "a", route: "update", maxWaitMs: 1_000 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiThrottled);
    expect((refused as ApiThrottled).retryAt.getTime()).toBe(clock.now() + 60_500);
    expect((refused as ApiThrottled).source).toBe("budget");
  });

  it("holds every caller of a tenant's route until a Retry-After has passed", async () => {
    const clock = fakeClock();
    const budget = new RateBudget({ now: clock.now, wait: clock.wait });
    budget.pause("a", "list", new Date(clock.now() + 5_000));
    await budget.acquire({ tenantId: "a", route: "list", maxWaitMs: 10_000 });
    expect(clock.waits).toEqual([5_000]);
    await budget.acquire({ tenantId: "b", route: "list", maxWaitMs: 0 });
  });
});
