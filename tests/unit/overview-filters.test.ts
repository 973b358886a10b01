import { describe, expect, it } from "vitest";
import { overviewPeriod, overviewQueryString, parseOverviewFilters, periodDayKeys, widerPeriod } from "@/server/overview/overview-filters";

const A = "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94";
const B = "4f1b3e7c-65a8-4dae-8c9b-1a5d7e3f6ca5";

describe("overview filters from the URL", () => {
  it("defaults to the last 30 days of every tenant", () => {
    expect(parseOverviewFilters({})).toEqual({ days: 30, tenant: [] });
    expect(parseOverviewFilters(new URLSearchParams(""))).toEqual({ days: 30, tenant: [] });
  });

  it("reads the period and repeated or comma-separated tenants, normalising case and duplicates", () => {
    expect(parseOverviewFilters(new URLSearchParams(`days=7&tenant=${A.toUpperCase()}&tenant=${B},${A}`))).toEqual({ days: 7, tenant: [A, B] });
    expect(parseOverviewFilters({ days: ["90", "7"], tenant: A })).toEqual({ days: 90, tenant: [A] });
  });

  it("drops malformed values instead of trusting them", () => {
    for (const days of ["365", "0", "-7", "7.5", "seven", "", " 30x", "1e1", "007"]) {
      expect(parseOverviewFilters({ days }).days).toBe(days === "007" ? 7 : 30);
    }
    expect(parseOverviewFilters({ tenant: ["not-a-guid", "'; DROP TABLE incident; --", `${A}x`] }).tenant).toEqual([]);
    expect(parseOverviewFilters(new URLSearchParams(`tenant=${A}&tenant=%00&days=%00`))).toEqual({ days: 30, tenant: [A] });
  });

  it("writes filters back to a stable URL, leaving the default period out", () => {
    expect(overviewQueryString({ days: 30, tenant: [] })).toBe("");
    expect(overviewQueryString({ days: 7, tenant: [A, B] })).toBe(`?days=7&tenant=${A}&tenant=${B}`);
    expect(overviewQueryString({ days: 7, tenant: [A] }, { days: 30 })).toBe(`?tenant=${A}`);
    const round = parseOverviewFilters(new URLSearchParams(overviewQueryString({ days: 90, tenant: [B] }).slice(1)));
    expect(round).toEqual({ days: 90, tenant: [B] });
  });

  it("offers the next longer period, none after 90 days", () => {
    expect(widerPeriod(7)).toBe(30);
    expect(widerPeriod(30)).toBe(90);
    expect(widerPeriod(90)).toBeNull();
  });
});

describe("overview period", () => {
  it("is whole UTC days ending with today", () => {
    const period = overviewPeriod(7, new Date("2025-06-10T12:34:56.789Z"));
    expect(period.start.toISOString()).toBe("2025-06-04T00:00:00.000Z");
    expect(period.end.toISOString()).toBe("2025-06-11T00:00:00.000Z");
    expect(periodDayKeys(period)).toEqual(["2025-06-04", "2025-06-05", "2025-06-06", "2025-06-07", "2025-06-08", "2025-06-09", "2025-06-10"]);
  });

  it("starts today at midnight exactly and crosses month and year ends", () => {
    const midnight = overviewPeriod(30, new Date("2026-01-01T00:00:00.000Z"));
    expect(midnight.start.toISOString()).toBe("2025-12-03T00:00:00.000Z");
    expect(midnight.end.toISOString()).toBe("2026-01-02T00:00:00.000Z");
    const keys = periodDayKeys(midnight);
    expect(keys).toHaveLength(30);
    expect(keys.slice(-2)).toEqual(["2025-12-31", "2026-01-01"]);
    expect(periodDayKeys(overviewPeriod(90, new Date("2024-03-01T08:00:00Z")))).toContain("2024-02-29");
  });
});
