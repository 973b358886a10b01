import { describe, expect, it } from "vitest";
import { findGuid, isGuid, isIncidentId, isTenantId, tenantIdOf } from "@/lib/ids";
import { compactUtc, fileStamp, formatAge, formatDuration, longDay, longDayTime, timeAgo, utcClock, utcMinute, utcSecond, utcTime } from "@/lib/time";

describe("ids (lib/ids.ts, the one rule for each)", () => {
  const guid = "2D9F1C5A-43E6-4B8C-8A7F-9E3B5C1D4A83";

  it("a GUID in either case; a stored tenant id only in lower case", () => {
    expect(isGuid(guid)).toBe(true);
    expect(isGuid(guid.toLowerCase())).toBe(true);
    expect(isTenantId(guid.toLowerCase())).toBe(true);
    expect(isTenantId(guid)).toBe(false);
    for (const bad of [
      "",
      "2d9f1c5a-43e6-4b8c-8a7f-9e3b5c1d4a8",
      `${guid.toLowerCase()} `,
      "2d9f1c5a43e64b8c8a7f9e3b5c1d4a83",
      "contoso.onmicrosoft.com",
      "g".repeat(8) + guid.slice(8).toLowerCase(),
    ]) {
      expect(isGuid(bad), bad).toBe(false);
      expect(isTenantId(bad), bad).toBe(false);
    }
  });

  it("reads what people paste as a tenant id: trimmed, lower case, or null", () => {
    expect(tenantIdOf(`  ${guid}\n`)).toBe(guid.toLowerCase());
    expect(tenantIdOf("contoso.onmicrosoft.com")).toBeNull();
  });

  it("finds the GUID inside a longer text (an issuer URL), in lower case", () => {
    expect(findGuid(`https://login.microsoftonline.com/${guid}/v2.0`)).toBe(guid.toLowerCase());
    expect(findGuid("https://login.microsoftonline.com/common/v2.0")).toBeNull();
  });

  it("an incident id is 1 to 15 digits (what the database's bigint and Graph's ids hold)", () => {
    expect(isIncidentId("1")).toBe(true);
    expect(isIncidentId("999999999999999")).toBe(true);
    for (const bad of ["", "0x1", "-1", "1.5", " 1", "1234567890123456", "１２"]) expect(isIncidentId(bad), bad).toBe(false);
  });
});

describe("times (lib/time.ts, all UTC whatever the machine's zone)", () => {
  const at = new Date("2027-02-01T09:05:07.123Z");

  it("writes each form the portal shows", () => {
    expect(utcMinute(at)).toBe("2027-02-01 09:05 UTC");
    expect(utcSecond(at)).toBe("2027-02-01 09:05:07 UTC");
    expect(utcTime(at)).toBe("09:05 UTC");
    expect(utcClock(at)).toBe("09:05:07 UTC");
    expect(compactUtc(at)).toBe("Feb 01 09:05");
    expect(longDay(at)).toBe("1 February 2027");
    expect(longDayTime(at)).toBe("1 February 2027 at 09:05 UTC");
    expect(fileStamp(at)).toBe("2027-02-01-09-05");
  });

  it("writes a service-level target exactly, and time left or late without rounding up", () => {
    expect(formatDuration(15, { style: "target" })).toBe("15 min");
    expect(formatDuration(240, { style: "target" })).toBe("4 h");
    expect(formatDuration(90, { style: "target" })).toBe("1 h 30 min");
    expect(formatDuration(36 * 60, { style: "target" })).toBe("36 h");
    expect(formatDuration(2 * 1440, { style: "target" })).toBe("2 d");
    expect(formatDuration(null, { style: "target" })).toBe("no target");
    expect(formatDuration(0, { style: "span" })).toBe("0 min");
    expect(formatDuration(2 * 1440 + 5 * 60 + 59, { style: "span" })).toBe("2 d 5 h");
    expect(formatDuration(2 * 1440 + 5 * 60 + 59)).toBe("2 d 6 h");
  });

  it("says how old something is, in the unit a person reads fastest", () => {
    expect(formatAge(null)).toBe("never");
    expect(formatAge(42_000)).toBe("42 s");
    expect(formatAge(3 * 60_000)).toBe("3 min");
    expect(formatAge(2 * 3_600_000)).toBe("2 h");
    expect(formatAge(5 * 86_400_000)).toBe("5 d");
  });

  it("says when something happened, relative to now (never in the future)", () => {
    const now = new Date("2027-02-01T12:00:00Z");
    expect(timeAgo(new Date("2027-02-01T12:00:20Z"), now)).toBe("just now");
    expect(timeAgo(new Date("2027-02-01T11:55:00Z"), now)).toBe("5 min ago");
    expect(timeAgo(new Date("2027-02-01T09:00:00Z"), now)).toBe("3 h ago");
    expect(timeAgo(new Date("2027-01-30T12:00:00Z"), now)).toBe("2 d ago");
  });
});
