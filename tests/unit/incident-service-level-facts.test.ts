import { describe, expect, it } from "vitest";
import { DEFAULT_SERVICE_LEVEL_POLICY, serviceLevelCell, type BusinessHours, type StoredServiceLevel } from "@/lib/service-levels";
import { serviceLevelColumns, SLA_NOT_RUNNING } from "@/server/service-levels/due-times";
import { advanceFacts, isPausedNow, parsePauses, serializePauses, type IncidentFacts, type IncidentVersion } from "@/server/service-levels/incident-facts";
import { incidentServiceLevel } from "@/server/service-levels/incident-service-level";
import { durationInputText, parseDuration, readPolicyForm } from "@/server/service-levels/policy-input";

const t = (iso: string) => new Date(iso);
const CREATED = t("2026-05-04T10:00:00Z");
const NOW = t("2026-05-04T10:01:00Z");

function version(over: Partial<IncidentVersion>): IncidentVersion {
  return { status: "Active", assignedTo: null, createdTime: CREATED, lastUpdateTime: CREATED, firstComment: null, ...over };
}

/** Feeds versions one after the other, as the sync would, and returns the facts after each. */
function walk(...versions: IncidentVersion[]): IncidentFacts[] {
  const out: IncidentFacts[] = [];
  let previous: (IncidentFacts & { status: string }) | null = null;
  for (const v of versions) {
    const facts = advanceFacts(previous, v, NOW);
    out.push(facts);
    previous = { ...facts, status: v.status };
  }
  return out;
}

describe("acknowledgement facts from the versions the store sees", () => {
  it("a new Active, unassigned incident is not acknowledged; first seen is when the portal stored it", () => {
    const [facts] = walk(version({}));
    expect(facts).toEqual({ firstSeenAt: NOW, acknowledgedAt: null, acknowledgedBy: null, acknowledgedHow: null, resolvedAt: null, pauses: [] });
  });

  it("the first assignment acknowledges it, at the version's update time, by the assignee; later changes keep it", () => {
    const facts = walk(
      version({}),
      version({ assignedTo: "zoe@northwind.example", lastUpdateTime: t("2026-05-04T10:12:00Z") }),
      version({ assignedTo: "arjun@northwind.example", status: "InProgress", lastUpdateTime: t("2026-05-04T11:00:00Z") }),
    );
    expect(facts[1]).toMatchObject({ acknowledgedAt: t("2026-05-04T10:12:00Z"), acknowledgedBy: "zoe@northwind.example", acknowledgedHow: "assigned" });
    expect(facts[2]).toMatchObject({ acknowledgedAt: t("2026-05-04T10:12:00Z"), acknowledgedBy: "zoe@northwind.example", acknowledgedHow: "assigned" });
    expect(facts[2]!.firstSeenAt).toEqual(NOW);
  });

  it("a comment acknowledges it at the comment's own time, even when a later version reveals it", () => {
    const facts = walk(
      version({ status: "InProgress", lastUpdateTime: t("2026-05-04T10:30:00Z") }),
      version({ status: "InProgress", lastUpdateTime: t("2026-05-04T10:40:00Z"), firstComment: { at: t("2026-05-04T10:05:00Z"), by: "Zoë" } }),
    );
    expect(facts[0]).toMatchObject({ acknowledgedAt: t("2026-05-04T10:30:00Z"), acknowledgedHow: "in_progress" });
    expect(facts[1]).toMatchObject({ acknowledgedAt: t("2026-05-04T10:05:00Z"), acknowledgedBy: "Zoë", acknowledgedHow: "comment" });
  });

  it("never before creation (clock skew between systems), and resolving acknowledges when nothing did", () => {
    const [early] = walk(version({ firstComment: { at: t("2026-05-04T09:59:00Z"), by: "x" } }));
    expect(early!.acknowledgedAt).toEqual(CREATED);
    const [resolved] = walk(version({ status: "Resolved", lastUpdateTime: t("2026-05-04T12:00:00Z") }));
    expect(resolved).toMatchObject({ acknowledgedHow: "resolved", acknowledgedAt: t("2026-05-04T12:00:00Z"), resolvedAt: t("2026-05-04T12:00:00Z") });
  });

  it("resolution time is the first version seen closed; reopening clears it, closing again sets it anew", () => {
    const facts = walk(
      version({ status: "Resolved", lastUpdateTime: t("2026-05-04T12:00:00Z") }),
      version({ status: "Resolved", lastUpdateTime: t("2026-05-04T13:00:00Z"), assignedTo: "z" }),
      version({ status: "Active", lastUpdateTime: t("2026-05-05T08:00:00Z") }),
      version({ status: "Redirected", lastUpdateTime: t("2026-05-05T09:00:00Z") }),
    );
    expect(facts.map((f) => f.resolvedAt)).toEqual([t("2026-05-04T12:00:00Z"), t("2026-05-04T12:00:00Z"), null, t("2026-05-05T09:00:00Z")]);
  });

  it("awaiting the customer opens a pause, leaving it closes the pause; the stored form reads back", () => {
    const facts = walk(
      version({ status: "AwaitingAction", lastUpdateTime: t("2026-05-04T10:10:00Z") }),
      version({ status: "AwaitingAction", lastUpdateTime: t("2026-05-04T10:20:00Z") }),
      version({ status: "Active", lastUpdateTime: t("2026-05-04T11:10:00Z") }),
    );
    expect(facts[0]!.pauses).toEqual([{ from: t("2026-05-04T10:10:00Z"), to: null }]);
    expect(facts[1]!.pauses).toEqual([{ from: t("2026-05-04T10:10:00Z"), to: null }]);
    expect(facts[2]!.pauses).toEqual([{ from: t("2026-05-04T10:10:00Z"), to: t("2026-05-04T11:10:00Z") }]);
    expect(parsePauses(serializePauses(facts[0]!.pauses))).toEqual(facts[0]!.pauses);
    expect(isPausedNow(serializePauses(facts[0]!.pauses))).toBe(true);
    expect(isPausedNow(serializePauses(facts[2]!.pauses))).toBe(false);
    expect(parsePauses([{ from: "not a date" }, 42, null, { from: "2026-05-04T10:00:00Z", to: null }])).toEqual([{ from: CREATED, to: null }]);
    expect(parsePauses("nonsense")).toEqual([]);
  });
});

describe("due-time columns", () => {
  const settings = { policy: DEFAULT_SERVICE_LEVEL_POLICY, hours: null };

  it("an open High incident falls due for acknowledgement 15 minutes after creation, then for resolution at 4 hours", () => {
    const open = serviceLevelColumns(
      { severity: "High", status: "Active", createdTime: CREATED },
      { acknowledgedAt: null, resolvedAt: null, pauses: [] },
      settings,
      NOW,
    );
    expect(open).toEqual({
      slaAcknowledgeDueAt: t("2026-05-04T10:15:00Z"),
      slaResolveDueAt: t("2026-05-04T14:00:00Z"),
      slaNextDueAt: t("2026-05-04T10:15:00Z"),
    });
    const acked = serviceLevelColumns(
      { severity: "High", status: "InProgress", createdTime: CREATED },
      { acknowledgedAt: t("2026-05-04T10:05:00Z"), resolvedAt: null, pauses: [] },
      settings,
      NOW,
    );
    expect(acked.slaNextDueAt).toEqual(t("2026-05-04T14:00:00Z"));
  });

  it("no clock runs on a closed or paused incident; a closed pause moves the due time later by its length", () => {
    const closed = serviceLevelColumns(
      { severity: "High", status: "Resolved", createdTime: CREATED },
      { acknowledgedAt: CREATED, resolvedAt: t("2026-05-04T11:00:00Z"), pauses: [] },
      settings,
      NOW,
    );
    expect(closed.slaNextDueAt).toEqual(SLA_NOT_RUNNING);
    const paused = serviceLevelColumns(
      { severity: "High", status: "AwaitingAction", createdTime: CREATED },
      { acknowledgedAt: null, resolvedAt: null, pauses: [{ from: t("2026-05-04T10:05:00Z"), to: null }] },
      settings,
      t("2026-05-04T18:00:00Z"),
    );
    expect(paused).toEqual({ slaAcknowledgeDueAt: t("2026-05-04T10:15:00Z"), slaResolveDueAt: t("2026-05-04T14:00:00Z"), slaNextDueAt: SLA_NOT_RUNNING });
    const resumed = serviceLevelColumns(
      { severity: "High", status: "Active", createdTime: CREATED },
      { acknowledgedAt: null, resolvedAt: null, pauses: [{ from: t("2026-05-04T10:05:00Z"), to: t("2026-05-04T11:05:00Z") }] },
      settings,
      t("2026-05-04T18:00:00Z"),
    );
    expect(resumed.slaNextDueAt).toEqual(t("2026-05-04T11:15:00Z"));
  });

  it("business hours: a Friday-evening High incident in Berlin falls due on Monday morning", () => {
    const berlin: BusinessHours = { timeZone: "Europe/Berlin", weekdays: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" };
    const friday = t("2026-05-08T18:30:00+02:00");
    const cols = serviceLevelColumns(
      { severity: "High", status: "Active", createdTime: friday },
      { acknowledgedAt: null, resolvedAt: null, pauses: [] },
      { policy: DEFAULT_SERVICE_LEVEL_POLICY, hours: berlin },
      friday,
    );
    expect(cols.slaNextDueAt).toEqual(t("2026-05-11T09:15:00+02:00"));
  });
});

describe("the queue's SLA cell", () => {
  const base: StoredServiceLevel = {
    status: "Active",
    acknowledgedAt: null,
    resolvedAt: null,
    slaAcknowledgeDueAt: t("2026-05-04T10:15:00Z"),
    slaResolveDueAt: t("2026-05-04T14:00:00Z"),
    slaNextDueAt: t("2026-05-04T10:15:00Z"),
    paused: false,
  };
  it("names the running clock and the time left, coloured by band", () => {
    expect(serviceLevelCell(base, t("2026-05-04T10:01:00Z"))).toMatchObject({ band: "due_soon", step: "acknowledge", text: "Acknowledge due in 14 min" });
    expect(serviceLevelCell(base, t("2026-05-04T12:15:00Z"))).toMatchObject({ band: "overdue", text: "Acknowledge overdue by 2 h" });
    const acked = { ...base, acknowledgedAt: t("2026-05-04T10:05:00Z"), slaNextDueAt: t("2026-05-04T14:00:00Z") };
    expect(serviceLevelCell(acked, t("2026-05-04T10:30:00Z"))).toMatchObject({ band: "ok", step: "resolve", text: "Resolve due in 3 h 30 min" });
  });
  it("paused, met, missed and no target", () => {
    expect(serviceLevelCell({ ...base, paused: true, slaNextDueAt: SLA_NOT_RUNNING }, NOW)).toMatchObject({ band: "paused" });
    const closed = { ...base, status: "Resolved", slaNextDueAt: SLA_NOT_RUNNING };
    expect(serviceLevelCell({ ...closed, acknowledgedAt: t("2026-05-04T10:10:00Z"), resolvedAt: t("2026-05-04T13:00:00Z") }, NOW).band).toBe("met");
    expect(serviceLevelCell({ ...closed, acknowledgedAt: t("2026-05-04T10:20:00Z"), resolvedAt: t("2026-05-04T13:00:00Z") }, NOW).band).toBe("missed");
    expect(serviceLevelCell({ ...closed, slaAcknowledgeDueAt: null, slaResolveDueAt: null }, NOW)).toMatchObject({ band: "none", text: "No target" });
  });
});

describe("the incident page's timeline", () => {
  it("lists creation, first sync, acknowledgement, pauses and resolution in time order with the clocks' outcome", () => {
    const view = incidentServiceLevel({
      incident: {
        severity: "High",
        status: "Resolved",
        createdTime: CREATED,
        firstSeenAt: t("2026-05-04T10:02:00Z"),
        acknowledgedAt: t("2026-05-04T10:10:00Z"),
        acknowledgedBy: "zoe@northwind.example",
        acknowledgedHow: "assigned",
        resolvedAt: t("2026-05-04T15:00:00Z"),
        pauses: [{ from: t("2026-05-04T11:00:00Z"), to: t("2026-05-04T12:00:00Z") }],
      },
      settings: { policy: DEFAULT_SERVICE_LEVEL_POLICY, hours: null },
      now: t("2026-05-05T00:00:00Z"),
    });
    expect(view.timeline.map((e) => e.kind)).toEqual(["created", "first_synced", "acknowledged", "paused", "resumed", "resolved"]);
    expect(view.timeline[2]!.detail).toBe("by zoe@northwind.example (assigned)");
    expect(view.acknowledge).toMatchObject({ met: true, done: true, elapsedWorkingMinutes: 10 });
    // 5 hours from creation, one of them paused: 4 working hours, within the 4-hour target.
    expect(view.resolve).toMatchObject({ met: true, done: true, elapsedWorkingMinutes: 240 });
    expect(view.policyText).toBe("High: acknowledge within 15 min, resolve within 4 h");
    expect(view.hoursText).toBe("24×7");
  });
});

describe("the policy form", () => {
  it("reads times people write, and refuses what it cannot read", () => {
    expect(parseDuration("15")).toBe(15);
    expect(parseDuration("15m")).toBe(15);
    expect(parseDuration("4h")).toBe(240);
    expect(parseDuration("1h 30m")).toBe(90);
    expect(parseDuration("3 days")).toBe(4320);
    expect(parseDuration("none")).toBeNull();
    expect(parseDuration("  ")).toBeUndefined();
    for (const bad of ["0", "-5", "4x", "1.5h", "h", "400d", "4h tomorrow"]) expect(parseDuration(bad)).toBeNaN();
    expect([15, 240, 90, 4320, null, undefined].map(durationInputText)).toEqual(["15m", "4h", "1h 30m", "3d", "none", ""]);
  });

  it("default: empty means no target; a customer: empty means as the default, none means no target, with hours", () => {
    const defaults = readPolicyForm({ scope: "default", "High.acknowledge": "30m", "High.resolve": "" });
    expect(defaults).toMatchObject({ ok: true, targets: { High: { acknowledgeMinutes: 30, resolveMinutes: null } }, businessHours: null });
    const tenant = "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94";
    const custom = readPolicyForm({
      scope: tenant,
      "High.acknowledge": "",
      "Low.resolve": "none",
      hoursMode: "business",
      timeZone: "Europe/Berlin",
      weekday: ["1", "2", "3", "4", "5", "9"],
      start: "08:00",
      end: "18:00",
    });
    expect(custom).toEqual({
      ok: true,
      scope: tenant,
      targets: { Low: { resolveMinutes: null } },
      businessHours: { timeZone: "Europe/Berlin", weekdays: [1, 2, 3, 4, 5], start: "08:00", end: "18:00" },
    });
  });

  it("names each field it refuses", () => {
    const result = readPolicyForm({
      scope: "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94",
      "Medium.resolve": "soon",
      hoursMode: "business",
      timeZone: "Mars/Olympus",
      weekday: "1",
      start: "09:00",
      end: "17:00",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors).sort()).toEqual(["Medium.resolve", "businessHours"]);
    expect(result.fieldErrors.businessHours).toMatch(/Mars\/Olympus/);
    expect(readPolicyForm({ scope: "not-a-tenant" })).toEqual({ ok: false, fieldErrors: { scope: "Unknown customer" } });
  });
});
