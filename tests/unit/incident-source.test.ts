import { describe, expect, it } from "vitest";
import { legacyModeWarning, sourceFor } from "@/server/incidents/incident-api";

const BEFORE = new Date("2027-01-31T23:59:59Z");
const AFTER = new Date("2027-02-01T00:00:00Z");
const LATER = new Date("2027-06-01T12:00:00Z");
const onGraph = { incidentSource: "graph" };
const onOldApi = { incidentSource: "defender" };

describe("which API a tenant's incidents come from, around the Defender API's retirement (2027-02-01)", () => {
  it("default mode: Graph, and an old-consent tenant on the Defender API until the date, then nothing", () => {
    expect([sourceFor("graph", onGraph, BEFORE), sourceFor("graph", onOldApi, BEFORE)]).toEqual(["graph", "defender"]);
    for (const now of [AFTER, LATER]) expect([sourceFor("graph", onGraph, now), sourceFor("graph", onOldApi, now)]).toEqual(["graph", null]);
  });

  it("legacy mode: every tenant on the Defender API until the date; after it nothing is called at all", () => {
    expect([sourceFor("defender", onGraph, BEFORE), sourceFor("defender", onOldApi, BEFORE)]).toEqual(["defender", "defender"]);
    for (const now of [AFTER, LATER]) expect([sourceFor("defender", onGraph, now), sourceFor("defender", onOldApi, now)]).toEqual([null, null]);
  });

  it("start-up warns in legacy mode before the date, and says after it that nothing is synced", () => {
    expect(legacyModeWarning("graph", LATER)).toBeNull();
    expect(legacyModeWarning("defender", BEFORE)).toEqual({ level: "warn", message: expect.stringContaining("retires on 2027-02-01") });
    const after = legacyModeWarning("defender", AFTER)!;
    expect(after.level).toBe("error");
    expect(after.message).toMatch(/retired the Defender XDR API on 2027-02-01: no incident is synced or updated until INCIDENT_SOURCE is removed/);
  });
});
