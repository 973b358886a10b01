import { describe, expect, it } from "vitest";
import { formatDuration } from "@/lib/time";

describe("durations for people", () => {
  it("writes at most two units, rounded to the minute", () => {
    expect(formatDuration(null, { unit: "seconds" })).toBe("—");
    expect(formatDuration(undefined, { unit: "seconds" })).toBe("—");
    expect(formatDuration(Number.NaN, { unit: "seconds" })).toBe("—");
    expect(formatDuration(0, { unit: "seconds" })).toBe("< 1 min");
    expect(formatDuration(29, { unit: "seconds" })).toBe("< 1 min");
    expect(formatDuration(30, { unit: "seconds" })).toBe("1 min");
    expect(formatDuration(42 * 60, { unit: "seconds" })).toBe("42 min");
    expect(formatDuration(3600, { unit: "seconds" })).toBe("1 h");
    expect(formatDuration(3 * 3600 + 5 * 60, { unit: "seconds" })).toBe("3 h 5 min");
    expect(formatDuration(3900, { unit: "seconds" })).toBe("1 h 5 min");
    expect(formatDuration(86_399, { unit: "seconds" })).toBe("1 d");
    expect(formatDuration(2 * 86_400 + 4 * 3600, { unit: "seconds" })).toBe("2 d 4 h");
    expect(formatDuration(129_600, { unit: "seconds" })).toBe("1 d 12 h");
    expect(formatDuration(2 * 86_400 + 4 * 3600 + 29 * 60, { unit: "seconds" })).toBe("2 d 4 h");
    expect(formatDuration(-120, { unit: "seconds" })).toBe("< 1 min");
  });
});
