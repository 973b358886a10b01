import { describe, expect, it } from "vitest";
import { axisTicks, bandOf, categoryLabel, formatPercent, labelIndexes, linearScale, linePath, niceMax, shortDay } from "@/components/overview/chart-scale";

describe("overview chart scales", () => {
  it("rounds an axis up to 1, 2 or 5 × 10ⁿ", () => {
    expect([0, -3, Number.NaN, 0.3, 1, 3, 7, 10, 11, 130, 1234, 5000, 5001].map(niceMax)).toEqual([1, 1, 1, 0.5, 1, 5, 10, 10, 20, 200, 2000, 5000, 10000]);
  });

  it("gives whole-number ticks from 0 that reach the maximum", () => {
    expect(axisTicks(0)).toEqual([0, 1]);
    expect(axisTicks(3)).toEqual([0, 2, 4, 6]);
    expect(axisTicks(7)).toEqual([0, 5, 10]);
    expect(axisTicks(130)).toEqual([0, 50, 100, 150, 200]);
    expect(axisTicks(1234)).toEqual([0, 500, 1000, 1500, 2000]);
    for (const max of [1, 2, 9, 19, 99, 101, 4321]) {
      const ticks = axisTicks(max);
      expect(ticks[0]).toBe(0);
      expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max);
      expect(ticks.every((t) => Number.isInteger(t))).toBe(true);
      expect(ticks.length).toBeLessThanOrEqual(6);
    }
  });

  it("maps values onto SVG coordinates, y growing downwards, clamped to the axis", () => {
    const y = linearScale(100, 200, 10);
    expect([0, 50, 100, 150, -5].map(y)).toEqual([200, 105, 10, 10, 200]);
    expect(linearScale(0, 200, 10)(0)).toBe(200);
  });

  it("lays bars side by side with a gap, centred in their band", () => {
    expect(bandOf(0, 4, 40, 400)).toEqual({ x: 52.5, width: 75, center: 90 });
    expect(bandOf(3, 4, 40, 400)).toEqual({ x: 352.5, width: 75, center: 390 });
    expect(bandOf(0, 0, 0, 100).width).toBe(75);
    expect(bandOf(1, 30, 40, 668)).toEqual({ x: 65.05, width: 16.7, center: 73.4 });
    expect(linearScale(3, 100, 0)(1)).toBe(66.67);
  });

  it("labels the first and last day and a few between", () => {
    expect(labelIndexes(0)).toEqual([]);
    expect(labelIndexes(7)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(labelIndexes(30)).toEqual([0, 5, 10, 15, 20, 25, 29]);
    expect(labelIndexes(90)).toEqual([0, 15, 30, 45, 60, 75, 89]);
    for (const count of [8, 12, 31, 45, 89]) {
      const labels = labelIndexes(count);
      expect(labels[0]).toBe(0);
      expect(labels.at(-1)).toBe(count - 1);
      expect(labels.length).toBeLessThanOrEqual(7);
    }
  });

  it("draws a path through points", () => {
    expect(linePath([])).toBe("");
    expect(
      linePath([
        { x: 1, y: 2 },
        { x: 3.14159, y: 4.06 },
      ]),
    ).toBe("M1 2 L3.1 4.1");
  });

  it("writes days, categories and percentages for people", () => {
    expect(shortDay("2026-12-02")).toBe("Dec 2");
    expect(categoryLabel("InitialAccess")).toBe("Initial access");
    expect(categoryLabel("CommandAndControl")).toBe("Command and control");
    expect(categoryLabel("SuspiciousActivity")).toBe("Suspicious activity");
    expect(categoryLabel("malware")).toBe("Malware");
    expect(categoryLabel("DLP_policy")).toBe("DLP policy");
    expect(formatPercent(null)).toBe("—");
    expect(formatPercent(100)).toBe("100%");
    expect(formatPercent(500 / 11)).toBe("45.5%");
    expect(formatPercent(99.96)).toBe("100%");
    expect(formatPercent(0)).toBe("0.0%");
  });
});
