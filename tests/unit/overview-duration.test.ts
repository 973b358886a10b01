import { describe, expect, it } from "vitest";
import { formatDuration } from "@/lib/duration";

describe("durations for people", () => {
  it("writes at most two units, rounded to the minute", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(undefined)).toBe("—");
    expect(formatDuration(Number.NaN)).toBe("—");
    expect(formatDuration(0)).toBe("< 1 min");
    expect(formatDuration(29)).toBe("< 1 min");
    expect(formatDuration(30)).toBe("1 min");
    expect(formatDuration(42 * 60)).toBe("42 min");
    expect(formatDuration(3600)).toBe("1 h");
    expect(formatDuration(3 * 3600 + 5 * 60)).toBe("3 h 5 min");
    expect(formatDuration(3900)).toBe("1 h 5 min");
    expect(formatDuration(86_399)).toBe("1 d");
    expect(formatDuration(2 * 86_400 + 4 * 3600)).toBe("2 d 4 h");
    expect(formatDuration(129_600)).toBe("1 d 12 h");
    expect(formatDuration(2 * 86_400 + 4 * 3600 + 29 * 60)).toBe("2 d 4 h");
    expect(formatDuration(-120)).toBe("< 1 min");
  });
});
