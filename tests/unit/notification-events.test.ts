import { describe, expect, it } from "vitest";
import type { IncidentChange, IncidentChangeSnapshot } from "@/server/incidents/incident-change";
import { checkEmailSettings, checkWebhookUrl, maskWebhookUrl } from "@/server/notifications/channel-target";
import { detectIncidentEvents, ruleWants } from "@/server/notifications/notification-event";
import { retryDelayMs } from "@/server/notifications/notification-delivery";

const T = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";
const at = (minute: number) => new Date(Date.UTC(2026, 11, 2, 7, minute));
const snapshot = (fields: Partial<IncidentChangeSnapshot> = {}): IncidentChangeSnapshot => ({
  incidentName: "Ransomware",
  status: "Active",
  severity: "Medium",
  severityRank: 3,
  assignedTo: null,
  classification: null,
  determination: null,
  lastUpdateTime: at(0),
  slaAcknowledgeDueAt: null,
  slaResolveDueAt: null,
  slaNextDueAt: new Date("9999-12-31T00:00:00Z"),
  ...fields,
});
const change = (before: Partial<IncidentChangeSnapshot> | null, after: Partial<IncidentChangeSnapshot>): IncidentChange => ({
  tenantId: T,
  incidentId: 7n,
  before: before ? snapshot(before) : null,
  after: snapshot({ lastUpdateTime: at(5), ...after }),
});
const kinds = (changes: IncidentChange[], origin: "sync" | "portal" = "sync", backfillRunning = false) =>
  detectIncidentEvents({ changes, origin, backfillRunning }).map((e) => `${e.kind}:${e.occurrence}`);

describe("events in stored changes", () => {
  it("a new incident is news, except during the tenant's first backfill", () => {
    expect(kinds([change(null, {})])).toEqual(["new_incident:"]);
    expect(kinds([change(null, {})], "sync", true)).toEqual([]);
  });

  it("a raised severity fires once per severity reached; a lowered one does not", () => {
    expect(kinds([change({ severity: "Low", severityRank: 2 }, { severity: "High", severityRank: 4 })], "portal")).toEqual(["severity_raised:High"]);
    expect(kinds([change({ severity: "High", severityRank: 4 }, { severity: "Low", severityRank: 2 })], "portal")).toEqual([]);
  });

  it("reopened: from Resolved or Redirected to anything open", () => {
    expect(kinds([change({ status: "Resolved" }, { status: "Active" })], "portal")).toEqual([`reopened:${at(5).toISOString()}`]);
    expect(kinds([change({ status: "Redirected" }, { status: "InProgress" })], "portal")).toEqual([`reopened:${at(5).toISOString()}`]);
    expect(kinds([change({ status: "Active" }, { status: "InProgress" })], "portal")).toEqual([]);
  });

  it("changed outside the portal: the sync sees status, assignee, classification, determination or severity move", () => {
    expect(kinds([change({}, { assignedTo: "someone" })])).toEqual([`changed_outside:${at(5).toISOString()}`]);
    expect(
      detectIncidentEvents({ changes: [change({}, { classification: "TruePositive", determination: "Malware" })], origin: "sync", backfillRunning: false })[0]!
        .changedFields,
    ).toEqual(["classification", "determination"]);
    // A portal action's own answer is stored by the portal: never "outside".
    expect(kinds([change({}, { assignedTo: "someone" })], "portal")).toEqual([]);
    // A new version that changed nothing watched (a comment, a tag) is no event.
    expect(kinds([change({}, {})])).toEqual([]);
  });

  it("rules filter by tenant (none: all), minimum severity and event kind", () => {
    const rule = { tenantIds: [] as string[], minSeverityRank: 3, events: ["new_incident"] };
    expect(ruleWants(rule, { tenantId: T, severityRank: 4, kind: "new_incident" })).toBe(true);
    expect(ruleWants(rule, { tenantId: T, severityRank: 2, kind: "new_incident" })).toBe(false);
    expect(ruleWants(rule, { tenantId: T, severityRank: 4, kind: "reopened" })).toBe(false);
    expect(ruleWants({ ...rule, tenantIds: ["other"] }, { tenantId: T, severityRank: 4, kind: "new_incident" })).toBe(false);
  });
});

describe("where channels may send", () => {
  it("webhooks: https only in production; http to this machine only in demo mode", () => {
    const production = { allowLoopbackHttp: false };
    const demo = { allowLoopbackHttp: true };
    expect(checkWebhookUrl("https://hooks.slack.com/services/T/B/x", production).host).toBe("hooks.slack.com");
    for (const refused of [
      "http://hooks.example.com/x",
      "http://127.0.0.1:8080/x",
      "https://localhost/x",
      "ftp://x/y",
      "https://user:pw@host/x",
      "not a url",
    ]) {
      expect(() => checkWebhookUrl(refused, production), refused).toThrow();
    }
    expect(checkWebhookUrl("http://127.0.0.1:44301/sink/webhook", demo).port).toBe("44301");
    expect(() => checkWebhookUrl("http://hooks.example.com/x", demo)).toThrow();
  });

  it("email: TLS or STARTTLS, unencrypted only to demo mode's local sink", () => {
    const settings = { host: "smtp.example.com", port: 587, security: "none" as const, username: null, from: "a@b.c", to: ["d@e.f"] };
    expect(() => checkEmailSettings(settings, { allowLoopbackHttp: false })).toThrow();
    expect(() => checkEmailSettings(settings, { allowLoopbackHttp: true })).toThrow();
    expect(checkEmailSettings({ ...settings, host: "127.0.0.1" }, { allowLoopbackHttp: true }).host).toBe("127.0.0.1");
    expect(checkEmailSettings({ ...settings, security: "starttls" }, { allowLoopbackHttp: false }).security).toBe("starttls");
  });

  it("shows a webhook URL masked: host and last four characters", () => {
    expect(maskWebhookUrl(new URL("https://hooks.slack.com/services/T000/B000/abcdefghWXYZ"))).toBe("https://hooks.slack.com/…WXYZ");
  });
});

describe("retries", () => {
  it("back off exponentially with jitter, capped", () => {
    const backoff = { baseMs: 15_000, maxMs: 1_800_000 };
    expect(retryDelayMs(1, backoff, () => 0.5)).toBe(15_000);
    expect(retryDelayMs(3, backoff, () => 0.5)).toBe(60_000);
    expect(retryDelayMs(20, backoff, () => 0.5)).toBe(1_800_000);
    expect(retryDelayMs(1, backoff, () => 0)).toBe(12_000);
  });
});
