import { describe, expect, it } from "vitest";
import { attainment, backlogSeries, dailyVolumes, pooledAttainment, severityBucket } from "@/server/overview/overview-buckets";

describe("overview buckets", () => {
  it("puts severities in the chart's buckets, any case, unknown ones as Unspecified", () => {
    expect(severityBucket("High")).toBe("High");
    expect(severityBucket("medium")).toBe("Medium");
    expect(severityBucket("INFORMATIONAL")).toBe("Informational");
    expect(severityBucket("unknownFutureValue")).toBe("UnSpecified");
    expect(severityBucket("")).toBe("UnSpecified");
  });

  it("fills every day of the period, adds severities up and ignores rows outside it", () => {
    const daily = dailyVolumes({
      dayKeys: ["2025-06-04", "2025-06-05", "2025-06-06"],
      opened: [
        { day: 0, severity: "High", count: 2 },
        { day: 0, severity: "low", count: 1 },
        { day: 2, severity: "Future", count: 4 },
        { day: 2, severity: "UnSpecified", count: 1 },
        { day: 3, severity: "High", count: 9 },
        { day: -1, severity: "High", count: 9 },
      ],
      resolved: [
        { day: 1, count: 5 },
        { day: 7, count: 1 },
      ],
    });
    expect(daily.map((d) => d.day)).toEqual(["2025-06-04", "2025-06-05", "2025-06-06"]);
    expect(daily.map((d) => d.openedTotal)).toEqual([3, 0, 5]);
    expect(daily[0]!.opened).toEqual({ High: 2, Medium: 0, Low: 1, Informational: 0, UnSpecified: 0 });
    expect(daily[2]!.opened.UnSpecified).toBe(5);
    expect(daily.map((d) => d.resolved)).toEqual([0, 5, 0]);
  });

  it("adds backlog changes up day by day", () => {
    expect(
      backlogSeries(
        [
          { day: 0, delta: 4 },
          { day: 2, delta: 1 },
          { day: 2, delta: -3 },
          { day: 4, delta: 2 },
          { day: 9, delta: 100 },
        ],
        5,
      ),
    ).toEqual([4, 4, 2, 2, 4]);
    expect(backlogSeries([], 3)).toEqual([0, 0, 0]);
  });

  it("gives the share of decided targets that were met, none when nothing was decided", () => {
    expect(attainment(3, 4)).toEqual({ met: 3, decided: 4, percent: 75 });
    expect(attainment(0, 0)).toEqual({ met: 0, decided: 0, percent: null });
    expect(pooledAttainment([attainment(3, 6), attainment(2, 5), attainment(0, 0)])).toEqual({ met: 5, decided: 11, percent: 500 / 11 });
    expect(pooledAttainment([])).toEqual({ met: 0, decided: 0, percent: null });
  });
});
