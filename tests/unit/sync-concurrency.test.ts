import { describe, expect, it } from "vitest";
import { adaptiveSyncConcurrency } from "@/server/incidents/sync-scheduler";

// README: at most 4 tenants sync at once up to 300 tenants, then one more per 75, up to 16 (so a
// round of 1,000 tenants fits the 30 s poll interval).
describe("tenants synced at once by default", () => {
  it("is 4 up to 300 tenants, one more per 75 beyond, and never above 16", () => {
    expect([0, 1, 6, 300].map(adaptiveSyncConcurrency)).toEqual([4, 4, 4, 4]);
    expect([301, 375, 376, 600].map(adaptiveSyncConcurrency)).toEqual([5, 5, 6, 8]);
    expect([1_000, 1_125, 5_000].map(adaptiveSyncConcurrency)).toEqual([14, 15, 16]);
  });
});
