import { describe, expect, it } from "vitest";
import { isUserFacingError } from "@/lib/errors";
import { formatDuration } from "@/lib/time";
import {
  acknowledgedAt,
  addWorkingMinutes,
  DEFAULT_SERVICE_LEVEL_POLICY,
  mergeServiceLevelPolicy,
  serviceLevelState,
  targetsForSeverity,
  validateBusinessHours,
  workingMinutesBetween,
  type BusinessHours,
  type PauseInterval,
  type ServiceLevelIncident,
} from "@/lib/service-levels";

// Times are written with their local offset (+01:00 CET, +02:00 CEST, -05:00 EST, -04:00 EDT) so
// each reads as the customer's wall clock; the results do not depend on the machine's zone.
const t = (iso: string) => new Date(iso);
const berlin: BusinessHours = { timeZone: "Europe/Berlin", weekdays: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" };
const newYork: BusinessHours = { ...berlin, timeZone: "America/New_York" };
const everyDay = (timeZone: string, start: string, end: string): BusinessHours => ({ timeZone, weekdays: [0, 1, 2, 3, 4, 5, 6], start, end });

describe("working time, 24×7 (no business hours)", () => {
  it("counts every minute", () => {
    expect(addWorkingMinutes(t("2026-05-04T10:00:00Z"), 90, null)).toEqual(t("2026-05-04T11:30:00Z"));
    expect(addWorkingMinutes(t("2026-05-09T23:50:00Z"), 20, null)).toEqual(t("2026-05-10T00:10:00Z"));
    expect(workingMinutesBetween(t("2026-05-04T10:00:00Z"), t("2026-05-04T12:30:00Z"), null)).toBe(150);
  });

  it("counts nothing backwards, and adding 0 minutes stays put", () => {
    expect(workingMinutesBetween(t("2026-05-04T12:00:00Z"), t("2026-05-04T10:00:00Z"), null)).toBe(0);
    expect(addWorkingMinutes(t("2026-05-04T10:00:00Z"), 0, null)).toEqual(t("2026-05-04T10:00:00Z"));
  });

  it("refuses a negative or endless number of minutes", () => {
    expect(() => addWorkingMinutes(t("2026-05-04T10:00:00Z"), -1, null)).toThrow(/minutes/);
    expect(() => addWorkingMinutes(t("2026-05-04T10:00:00Z"), Number.NaN, berlin)).toThrow(/minutes/);
  });
});

describe("working time within business hours (Berlin, Mon–Fri 09:00–17:00)", () => {
  it("Friday 16:55 plus 15 minutes is Monday 09:10", () => {
    expect(addWorkingMinutes(t("2026-01-16T16:55:00+01:00"), 15, berlin)).toEqual(t("2026-01-19T09:10:00+01:00"));
    expect(workingMinutesBetween(t("2026-01-16T16:55:00+01:00"), t("2026-01-19T09:10:00+01:00"), berlin)).toBe(15);
  });

  it("a count that runs out exactly at closing ends at closing, not at the next opening", () => {
    expect(addWorkingMinutes(t("2026-01-16T16:45:00+01:00"), 15, berlin)).toEqual(t("2026-01-16T17:00:00+01:00"));
    expect(addWorkingMinutes(t("2026-01-19T09:00:00+01:00"), 3 * 480, berlin)).toEqual(t("2026-01-21T17:00:00+01:00"));
    expect(addWorkingMinutes(t("2026-01-19T09:00:00+01:00"), 3 * 480 + 1, berlin)).toEqual(t("2026-01-22T09:01:00+01:00"));
  });

  it("a start before opening, after closing or at the weekend waits for the next opening", () => {
    expect(addWorkingMinutes(t("2026-01-19T07:30:00+01:00"), 30, berlin)).toEqual(t("2026-01-19T09:30:00+01:00"));
    expect(addWorkingMinutes(t("2026-01-19T18:00:00+01:00"), 30, berlin)).toEqual(t("2026-01-20T09:30:00+01:00"));
    expect(addWorkingMinutes(t("2026-01-17T12:00:00+01:00"), 60, berlin)).toEqual(t("2026-01-19T10:00:00+01:00"));
    expect(addWorkingMinutes(t("2026-01-16T17:00:00+01:00"), 1, berlin)).toEqual(t("2026-01-19T09:01:00+01:00"));
  });

  it("counts only opening hours between two moments", () => {
    expect(workingMinutesBetween(t("2026-01-19T00:00:00+01:00"), t("2026-01-26T00:00:00+01:00"), berlin)).toBe(5 * 480);
    expect(workingMinutesBetween(t("2026-01-17T08:00:00+01:00"), t("2026-01-18T20:00:00+01:00"), berlin)).toBe(0);
    expect(workingMinutesBetween(t("2026-01-19T12:00:00+01:00"), t("2026-01-19T12:30:00+01:00"), berlin)).toBe(30);
    expect(workingMinutesBetween(t("2026-01-19T16:30:00+01:00"), t("2026-01-20T09:30:00+01:00"), berlin)).toBe(60);
  });

  it("follows the weekdays given (a Saturday shift, a closed Monday)", () => {
    const tuesdayToSaturday: BusinessHours = { ...berlin, weekdays: [2, 3, 4, 5, 6] };
    expect(addWorkingMinutes(t("2026-01-16T16:55:00+01:00"), 15, tuesdayToSaturday)).toEqual(t("2026-01-17T09:10:00+01:00"));
    expect(addWorkingMinutes(t("2026-01-17T16:55:00+01:00"), 15, tuesdayToSaturday)).toEqual(t("2026-01-20T09:10:00+01:00"));
  });

  it("reads 24:00 as the end of the day", () => {
    const allWeekdays: BusinessHours = { ...berlin, start: "00:00", end: "24:00" };
    expect(addWorkingMinutes(t("2026-01-16T23:30:00+01:00"), 60, allWeekdays)).toEqual(t("2026-01-19T00:30:00+01:00"));
  });
});

describe("working time across daylight-saving changes", () => {
  it("Berlin, spring forward (Sunday 2026-03-29): Friday's last hour then Monday 09:00 CEST", () => {
    expect(addWorkingMinutes(t("2026-03-27T16:00:00+01:00"), 120, berlin)).toEqual(t("2026-03-30T10:00:00+02:00"));
    expect(workingMinutesBetween(t("2026-03-27T16:00:00+01:00"), t("2026-03-30T10:00:00+02:00"), berlin)).toBe(120);
  });

  it("Berlin, fall back (Sunday 2026-10-25): Friday's last hour then Monday 09:00 CET", () => {
    expect(addWorkingMinutes(t("2026-10-23T16:00:00+02:00"), 120, berlin)).toEqual(t("2026-10-26T10:00:00+01:00"));
    expect(workingMinutesBetween(t("2026-10-23T16:00:00+02:00"), t("2026-10-26T10:00:00+01:00"), berlin)).toBe(120);
  });

  it("New York, spring forward (2026-03-08) and fall back (2026-11-01)", () => {
    expect(addWorkingMinutes(t("2026-03-06T16:00:00-05:00"), 120, newYork)).toEqual(t("2026-03-09T10:00:00-04:00"));
    expect(addWorkingMinutes(t("2026-10-30T16:00:00-04:00"), 120, newYork)).toEqual(t("2026-11-02T10:00:00-05:00"));
    expect(workingMinutesBetween(t("2026-03-02T00:00:00-05:00"), t("2026-03-16T00:00:00-04:00"), newYork)).toBe(10 * 480);
  });

  it("a 24-hour day that holds the change has 23 hours in spring and 25 in autumn", () => {
    const berlinAllDay = everyDay("Europe/Berlin", "00:00", "24:00");
    expect(workingMinutesBetween(t("2026-03-29T00:00:00+01:00"), t("2026-03-30T00:00:00+02:00"), berlinAllDay)).toBe(23 * 60);
    expect(workingMinutesBetween(t("2026-10-25T00:00:00+02:00"), t("2026-10-26T00:00:00+01:00"), berlinAllDay)).toBe(25 * 60);
    expect(addWorkingMinutes(t("2026-03-28T23:00:00+01:00"), 5 * 60, berlinAllDay)).toEqual(t("2026-03-29T05:00:00+02:00"));
  });

  it("hours spanning the change count the hours that really pass", () => {
    const night = everyDay("Europe/Berlin", "01:00", "05:00");
    expect(workingMinutesBetween(t("2026-03-29T00:00:00+01:00"), t("2026-03-29T12:00:00+02:00"), night)).toBe(180);
    expect(workingMinutesBetween(t("2026-10-25T00:00:00+02:00"), t("2026-10-25T12:00:00+01:00"), night)).toBe(300);
    expect(addWorkingMinutes(t("2026-03-29T01:00:00+01:00"), 180, night)).toEqual(t("2026-03-29T05:00:00+02:00"));
    // An opening the spring change skips (02:30) moves forward by the change; a repeated one is its first occurrence.
    expect(addWorkingMinutes(t("2026-03-29T00:00:00+01:00"), 1, everyDay("Europe/Berlin", "02:30", "05:00"))).toEqual(t("2026-03-29T03:31:00+02:00"));
    expect(addWorkingMinutes(t("2026-10-25T00:00:00+02:00"), 1, everyDay("Europe/Berlin", "02:30", "05:00"))).toEqual(t("2026-10-25T02:31:00+02:00"));
  });

  it("adding then counting gives back the same minutes, whatever the start (weeks around each change)", () => {
    for (const [hours, from] of [
      [berlin, "2026-03-23T00:00:00+01:00"],
      [berlin, "2026-10-19T00:00:00+02:00"],
      [newYork, "2026-03-02T00:00:00-05:00"],
      [newYork, "2026-10-26T00:00:00-04:00"],
    ] as const) {
      for (let step = 0; step < 60; step++) {
        const start = new Date(t(from).getTime() + step * 3 * 3_600_000 + step * 7 * 60_000);
        const minutes = 1 + ((step * 97) % 2000);
        const end = addWorkingMinutes(start, minutes, hours);
        expect(workingMinutesBetween(start, end, hours), `${hours.timeZone} ${start.toISOString()} + ${minutes}`).toBeCloseTo(minutes, 9);
        expect(workingMinutesBetween(start, new Date(end.getTime() - 60_000), hours)).toBeLessThan(minutes);
      }
    }
  });
});

describe("business hours that cannot be used are refused, naming the field", () => {
  it.each([
    [{ ...berlin, timeZone: "Mars/Olympus" }, /businessHours\.timeZone .*Mars\/Olympus/],
    [{ ...berlin, timeZone: "" }, /businessHours\.timeZone/],
    [{ ...berlin, weekdays: [] }, /businessHours\.weekdays/],
    [{ ...berlin, weekdays: [1, 7] }, /businessHours\.weekdays holds 7/],
    [{ ...berlin, weekdays: [1.5] }, /businessHours\.weekdays/],
    [{ ...berlin, start: "17:00", end: "09:00" }, /businessHours\.start \(17:00\) must be before businessHours\.end \(09:00\)/],
    [{ ...berlin, start: "09:00", end: "09:00" }, /businessHours\.start .* before businessHours\.end/],
    [{ ...berlin, start: "9:00" }, /businessHours\.start must be a time "HH:MM"/],
    [{ ...berlin, end: "25:00" }, /businessHours\.end must be a time/],
    [{ ...berlin, start: "24:00" }, /businessHours\.start must be a time/],
  ])("%o", (hours, message) => {
    expect(() => validateBusinessHours(hours)).toThrow(message);
    expect(() => addWorkingMinutes(t("2026-01-19T10:00:00Z"), 5, hours)).toThrow(message);
    expect(() => workingMinutesBetween(t("2026-01-19T10:00:00Z"), t("2026-01-19T11:00:00Z"), hours)).toThrow(message);
  });

  it("the error is one an admin may be shown; good hours and 24×7 pass", () => {
    let caught: unknown;
    try {
      validateBusinessHours({ ...berlin, weekdays: [] });
    } catch (error) {
      caught = error;
    }
    expect(isUserFacingError(caught)).toBe(true);
    expect(() => validateBusinessHours(berlin)).not.toThrow();
    expect(() => validateBusinessHours(null)).not.toThrow();
  });
});

describe("policy", () => {
  it("the default targets", () => {
    expect(DEFAULT_SERVICE_LEVEL_POLICY).toEqual({
      High: { acknowledgeMinutes: 15, resolveMinutes: 240 },
      Medium: { acknowledgeMinutes: 60, resolveMinutes: 1440 },
      Low: { acknowledgeMinutes: 240, resolveMinutes: 4320 },
      Informational: { acknowledgeMinutes: 1440, resolveMinutes: null },
    });
  });

  it("a customer's override replaces only what it gives; null clears a target", () => {
    const merged = mergeServiceLevelPolicy(DEFAULT_SERVICE_LEVEL_POLICY, { High: { acknowledgeMinutes: 30 }, Low: { resolveMinutes: null } });
    expect(merged.High).toEqual({ acknowledgeMinutes: 30, resolveMinutes: 240 });
    expect(merged.Low).toEqual({ acknowledgeMinutes: 240, resolveMinutes: null });
    expect(merged.Medium).toEqual(DEFAULT_SERVICE_LEVEL_POLICY.Medium);
    expect(DEFAULT_SERVICE_LEVEL_POLICY.High.acknowledgeMinutes).toBe(15);
    expect(mergeServiceLevelPolicy(DEFAULT_SERVICE_LEVEL_POLICY, null)).toEqual(DEFAULT_SERVICE_LEVEL_POLICY);
    expect(mergeServiceLevelPolicy(DEFAULT_SERVICE_LEVEL_POLICY, { Informational: { resolveMinutes: 7 * 1440 } }).Informational.resolveMinutes).toBe(7 * 1440);
  });

  it("refuses an override that is not a number of minutes, naming the field", () => {
    expect(() => mergeServiceLevelPolicy(DEFAULT_SERVICE_LEVEL_POLICY, { High: { acknowledgeMinutes: -5 } })).toThrow(
      /High\.acknowledgeMinutes must be a number/,
    );
    expect(() => mergeServiceLevelPolicy(DEFAULT_SERVICE_LEVEL_POLICY, { Medium: { resolveMinutes: 0 } })).toThrow(/Medium\.resolveMinutes/);
    expect(() => mergeServiceLevelPolicy(DEFAULT_SERVICE_LEVEL_POLICY, { Low: { resolveMinutes: Number.POSITIVE_INFINITY } })).toThrow(/Low\.resolveMinutes/);
  });

  it("an unknown severity gets the Low targets; known ones match in any case", () => {
    for (const severity of ["UnSpecified", "unknownFutureValue", "Critical", ""]) {
      expect(targetsForSeverity(DEFAULT_SERVICE_LEVEL_POLICY, severity), severity).toEqual(DEFAULT_SERVICE_LEVEL_POLICY.Low);
    }
    expect(targetsForSeverity(DEFAULT_SERVICE_LEVEL_POLICY, "high")).toEqual(DEFAULT_SERVICE_LEVEL_POLICY.High);
    expect(targetsForSeverity(DEFAULT_SERVICE_LEVEL_POLICY, "informational")).toEqual(DEFAULT_SERVICE_LEVEL_POLICY.Informational);
  });
});

describe("acknowledgement", () => {
  const createdAt = t("2026-05-04T10:00:00Z");

  it("is the earliest of assignment, InProgress and a staff comment", () => {
    const facts = {
      createdAt,
      firstAssignedAt: t("2026-05-04T10:20:00Z"),
      firstInProgressAt: t("2026-05-04T10:12:00Z"),
      firstStaffCommentAt: t("2026-05-04T10:30:00Z"),
    };
    expect(acknowledgedAt(facts)).toEqual(t("2026-05-04T10:12:00Z"));
    expect(acknowledgedAt({ ...facts, firstInProgressAt: null, firstAssignedAt: null })).toEqual(t("2026-05-04T10:30:00Z"));
    expect(acknowledgedAt({ ...facts, firstStaffCommentAt: t("2026-05-04T10:01:00Z") })).toEqual(t("2026-05-04T10:01:00Z"));
  });

  it("is null while nothing happened, and never before creation in Microsoft", () => {
    expect(acknowledgedAt({ createdAt, firstAssignedAt: null, firstInProgressAt: null, firstStaffCommentAt: null })).toBeNull();
    expect(acknowledgedAt({ createdAt, firstAssignedAt: t("2026-05-04T09:59:00Z"), firstInProgressAt: null, firstStaffCommentAt: null })).toEqual(createdAt);
  });
});

describe("service-level state", () => {
  const created = t("2026-05-04T10:00:00Z"); // a Monday
  const incident = (over: Partial<ServiceLevelIncident> = {}): ServiceLevelIncident => ({
    severity: "High",
    createdAt: created,
    status: "Active",
    acknowledgedAt: null,
    resolvedAt: null,
    pauses: [],
    ...over,
  });
  const state = (over: Partial<ServiceLevelIncident>, now: string, hours: BusinessHours | null = null, policy = DEFAULT_SERVICE_LEVEL_POLICY) =>
    serviceLevelState({ incident: incident(over), policy, hours, now: t(now) });

  it("a new High incident: acknowledgement due in 15 minutes, resolution in 4 hours, due soon", () => {
    const s = state({}, "2026-05-04T10:05:00Z");
    expect(s.acknowledge).toEqual({
      targetMinutes: 15,
      dueAt: t("2026-05-04T10:15:00Z"),
      met: null,
      breached: false,
      remainingMinutes: 10,
      elapsedWorkingMinutes: 5,
    });
    expect(s.resolve).toMatchObject({ dueAt: t("2026-05-04T14:00:00Z"), met: null, breached: false, remainingMinutes: 235 });
    expect(s.next).toEqual(t("2026-05-04T10:15:00Z"));
    expect(s.band).toBe("due_soon");
    expect(s.paused).toBe(false);
  });

  it("a Low incident far from its due time is ok", () => {
    const s = state({ severity: "Low" }, "2026-05-04T10:05:00Z");
    expect(s.acknowledge.dueAt).toEqual(t("2026-05-04T14:00:00Z"));
    expect(s.band).toBe("ok");
  });

  it("past the acknowledgement time and not acknowledged: breached, overdue, negative remaining", () => {
    const s = state({}, "2026-05-04T10:20:00Z");
    expect(s.acknowledge).toMatchObject({ met: false, breached: true, remainingMinutes: -5, elapsedWorkingMinutes: 20 });
    expect(s.band).toBe("overdue");
    expect(s.next).toEqual(t("2026-05-04T10:15:00Z"));
  });

  it("exactly at the due time it is not yet breached", () => {
    const s = state({}, "2026-05-04T10:15:00Z");
    expect(s.acknowledge).toMatchObject({ met: null, breached: false, remainingMinutes: 0 });
    expect(s.band).toBe("due_soon");
  });

  it("acknowledged in time: met with its margin, and the next due time is the resolution's", () => {
    const s = state({ acknowledgedAt: t("2026-05-04T10:10:00Z") }, "2026-05-04T10:40:00Z");
    expect(s.acknowledge).toMatchObject({ met: true, breached: false, remainingMinutes: 5, elapsedWorkingMinutes: 10 });
    expect(s.next).toEqual(t("2026-05-04T14:00:00Z"));
    expect(s.band).toBe("ok");
  });

  it("acknowledged late: that target stays breached while the band follows the clock still running", () => {
    const s = state({ acknowledgedAt: t("2026-05-04T10:30:00Z") }, "2026-05-04T13:30:00Z");
    expect(s.acknowledge).toMatchObject({ met: false, breached: true, remainingMinutes: -15 });
    expect(s.resolve).toMatchObject({ met: null, breached: false, remainingMinutes: 30 });
    expect(s.band).toBe("due_soon");
  });

  it("resolved before the due time: met; after: breached and shown as missed, not overdue", () => {
    const onTime = state({ status: "Resolved", acknowledgedAt: t("2026-05-04T10:10:00Z"), resolvedAt: t("2026-05-04T12:00:00Z") }, "2026-05-05T09:00:00Z");
    expect(onTime.resolve).toMatchObject({ met: true, breached: false, remainingMinutes: 120, elapsedWorkingMinutes: 120 });
    expect(onTime.band).toBe("met");
    expect(onTime.next).toBeNull();
    const late = state({ status: "Resolved", acknowledgedAt: t("2026-05-04T10:10:00Z"), resolvedAt: t("2026-05-04T15:00:00Z") }, "2026-05-05T09:00:00Z");
    expect(late.resolve).toMatchObject({ met: false, breached: true, remainingMinutes: -60, elapsedWorkingMinutes: 300 });
    expect(late.band).toBe("missed");
    expect(late.next).toBeNull();
  });

  it("resolving without any other step also acknowledges", () => {
    const s = state({ status: "resolved", resolvedAt: t("2026-05-04T10:12:00Z") }, "2026-05-04T11:00:00Z");
    expect(s.acknowledge).toMatchObject({ met: true, breached: false, elapsedWorkingMinutes: 12 });
    expect(s.band).toBe("met");
  });

  it("a reopened incident's old resolution does not stop its clock", () => {
    const s = state({ status: "Active", acknowledgedAt: t("2026-05-04T10:10:00Z"), resolvedAt: t("2026-05-04T11:00:00Z") }, "2026-05-04T14:30:00Z");
    expect(s.resolve).toMatchObject({ met: false, breached: true, remainingMinutes: -30 });
    expect(s.band).toBe("overdue");
  });

  it("a closed incident without a resolution time is neither met nor breached", () => {
    const s = state({ status: "Redirected" }, "2026-05-05T10:00:00Z");
    expect(s.resolve).toMatchObject({ met: null, breached: false, remainingMinutes: null });
    expect(s.acknowledge).toMatchObject({ met: null, breached: false });
    expect(s.next).toBeNull();
    expect(s.band).toBe("none");
  });

  it("an Informational incident has no resolution target", () => {
    const open = state({ severity: "Informational" }, "2026-05-04T11:00:00Z");
    expect(open.resolve).toMatchObject({ targetMinutes: null, dueAt: null, met: null, breached: false, remainingMinutes: null, elapsedWorkingMinutes: 60 });
    expect(open.acknowledge.dueAt).toEqual(t("2026-05-05T10:00:00Z"));
    expect(open.next).toEqual(t("2026-05-05T10:00:00Z"));
    const acknowledged = state({ severity: "Informational", acknowledgedAt: t("2026-05-04T10:30:00Z") }, "2026-05-04T11:00:00Z");
    expect(acknowledged.next).toBeNull();
    expect(acknowledged.band).toBe("met");
  });

  it("no targets at all: band none", () => {
    const none = mergeServiceLevelPolicy(DEFAULT_SERVICE_LEVEL_POLICY, { High: { acknowledgeMinutes: null, resolveMinutes: null } });
    const s = state({}, "2026-05-04T11:00:00Z", null, none);
    expect(s).toMatchObject({ next: null, band: "none" });
    expect(s.acknowledge.dueAt).toBeNull();
  });

  it("an unknown severity runs on the Low targets", () => {
    const s = state({ severity: "UnSpecified" }, "2026-05-04T10:05:00Z");
    expect(s.acknowledge.dueAt).toEqual(t("2026-05-04T14:00:00Z"));
    expect(s.resolve.dueAt).toEqual(t("2026-05-07T10:00:00Z"));
  });

  it("a customer's override sets the due time", () => {
    const policy = mergeServiceLevelPolicy(DEFAULT_SERVICE_LEVEL_POLICY, { High: { acknowledgeMinutes: 30 } });
    expect(state({}, "2026-05-04T10:05:00Z", null, policy).acknowledge.dueAt).toEqual(t("2026-05-04T10:30:00Z"));
  });

  it("business hours: a High incident created Friday 16:55 (Mon–Fri 9–17) is due Monday 09:10 local", () => {
    const s = state({ createdAt: t("2026-01-16T16:55:00+01:00") }, "2026-01-16T17:30:00+01:00", berlin);
    expect(s.acknowledge).toMatchObject({ dueAt: t("2026-01-19T09:10:00+01:00"), met: null, breached: false, elapsedWorkingMinutes: 5 });
    expect(s.acknowledge.remainingMinutes).toBe(63 * 60 + 40);
    expect(s.resolve.dueAt).toEqual(t("2026-01-19T12:55:00+01:00"));
    expect(s.band).toBe("ok");
    expect(state({ createdAt: t("2026-01-16T16:55:00+01:00") }, "2026-01-19T09:05:00+01:00", berlin).band).toBe("due_soon");
  });

  describe("pauses (awaiting the customer)", () => {
    it("a past pause pushes the due times later by its length and is not counted as elapsed", () => {
      const s = state({ pauses: [{ from: t("2026-05-04T10:05:00Z"), to: t("2026-05-04T10:35:00Z") }] }, "2026-05-04T11:00:00Z");
      expect(s.acknowledge).toMatchObject({ dueAt: t("2026-05-04T10:45:00Z"), breached: true, remainingMinutes: -15, elapsedWorkingMinutes: 30 });
      expect(s.resolve.dueAt).toEqual(t("2026-05-04T14:30:00Z"));
      expect(s.paused).toBe(false);
    });

    it("a pause after a target was already due does not rescue it", () => {
      const s = state({ pauses: [{ from: t("2026-05-04T10:20:00Z"), to: t("2026-05-04T10:50:00Z") }] }, "2026-05-04T11:00:00Z");
      expect(s.acknowledge).toMatchObject({ dueAt: t("2026-05-04T10:15:00Z"), breached: true });
      expect(s.resolve.dueAt).toEqual(t("2026-05-04T14:30:00Z"));
    });

    it("overlapping pauses count once; a pause from before creation counts from creation", () => {
      const pauses: PauseInterval[] = [
        { from: t("2026-05-04T10:20:00Z"), to: t("2026-05-04T10:40:00Z") },
        { from: t("2026-05-04T10:05:00Z"), to: t("2026-05-04T10:35:00Z") },
        { from: t("2026-05-04T09:00:00Z"), to: t("2026-05-04T10:01:00Z") },
      ];
      const s = state({ acknowledgedAt: t("2026-05-04T10:02:00Z"), pauses }, "2026-05-04T12:00:00Z");
      expect(s.resolve.dueAt).toEqual(t("2026-05-04T14:36:00Z"));
      expect(s.resolve.elapsedWorkingMinutes).toBe(120 - 36);
      expect(s.acknowledge.elapsedWorkingMinutes).toBe(1);
    });

    it("while paused: the clock stands still and due times are as if it resumed now", () => {
      const pauses = [{ from: t("2026-05-04T10:05:00Z"), to: null }];
      const s = state({ status: "AwaitingAction", pauses }, "2026-05-04T10:30:00Z");
      expect(s.paused).toBe(true);
      expect(s.acknowledge).toMatchObject({ dueAt: t("2026-05-04T10:40:00Z"), met: null, breached: false, elapsedWorkingMinutes: 5 });
      expect(state({ status: "AwaitingAction", pauses }, "2026-05-04T11:30:00Z").acknowledge.dueAt).toEqual(t("2026-05-04T11:40:00Z"));
      expect(s.band).toBe("due_soon");
    });

    it("paused after the target was due: still overdue", () => {
      const s = state({ status: "AwaitingAction", pauses: [{ from: t("2026-05-04T10:20:00Z"), to: null }] }, "2026-05-04T11:00:00Z");
      expect(s).toMatchObject({ paused: true, band: "overdue" });
      expect(s.acknowledge).toMatchObject({ dueAt: t("2026-05-04T10:15:00Z"), breached: true, elapsedWorkingMinutes: 20 });
    });

    it("Graph's status awaitingAction alone says paused; a resolved incident is never paused", () => {
      expect(state({ status: "awaitingAction" }, "2026-05-04T10:05:00Z").paused).toBe(true);
      const resolved = state(
        { status: "Resolved", resolvedAt: t("2026-05-04T10:10:00Z"), pauses: [{ from: t("2026-05-04T10:05:00Z"), to: null }] },
        "2026-05-04T11:00:00Z",
      );
      expect(resolved.paused).toBe(false);
      expect(resolved.resolve.elapsedWorkingMinutes).toBe(5);
    });

    it("only a pause's working minutes count: an overnight pause moves the due time by its hours within opening", () => {
      // Medium (60 min) created Monday 16:30; paused Monday 16:45 to Tuesday 10:00 (15 + 60 working minutes).
      const over = {
        severity: "Medium",
        createdAt: t("2026-01-19T16:30:00+01:00"),
        pauses: [{ from: t("2026-01-19T16:45:00+01:00"), to: t("2026-01-20T10:00:00+01:00") }],
      };
      const s = state(over, "2026-01-20T10:15:00+01:00", berlin);
      expect(s.acknowledge).toMatchObject({ dueAt: t("2026-01-20T10:45:00+01:00"), remainingMinutes: 30, elapsedWorkingMinutes: 30 });
      expect(state({ ...over, pauses: [] }, "2026-01-20T10:15:00+01:00", berlin).acknowledge.dueAt).toEqual(t("2026-01-20T09:30:00+01:00"));
    });
  });
});

describe("formatDuration, counting down to a deadline", () => {
  it.each([
    [42, "due in 42 min"],
    [185, "due in 3 h 5 min"],
    [60, "due in 1 h"],
    [1500, "due in 1 d 1 h"],
    [0, "due now"],
    [-1, "overdue by 1 min"],
    [-120, "overdue by 2 h"],
    [-3 * 1440, "overdue by 3 d"],
    [-(2 * 1440 + 5 * 60 + 7), "overdue by 2 d 5 h"],
    [null, "no target"],
  ])("%s minutes: %s", (minutes, text) => {
    expect(formatDuration(minutes, { style: "countdown" })).toBe(text);
  });
});

describe("business hours as text (the incident page and the service-level settings)", () => {
  it("names the days Monday first, then the hours and the zone; none is 24×7", async () => {
    const { businessHoursText } = await import("@/lib/business-hours");
    expect(businessHoursText(berlin)).toBe("Mon, Tue, Wed, Thu, Fri 09:00–17:00 (Europe/Berlin)");
    expect(businessHoursText({ ...berlin, weekdays: [0, 6, 1] })).toBe("Mon, Sat, Sun 09:00–17:00 (Europe/Berlin)");
    expect(businessHoursText(null)).toBe("24×7");
  });
});
