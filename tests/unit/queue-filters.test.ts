import { describe, expect, it } from "vitest";
import { hasActiveFilters, parseQueueFilters, queueQueryString, timeWindow } from "@/server/incidents/queue-filters";
import { decodeCursor, encodeCursor, orderTerms } from "@/server/incidents/queue-cursor";
import { incidentChangeSchema, bulkUpdateSchema } from "@/server/incidents/update-incident-input";

const A = "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94";
const B = "4f1b3e7c-65a8-4dae-8c9b-1a5d7e3f6ca5";

describe("queue filters from the URL", () => {
  it("reads repeated and comma-separated multi-values, keeping only known ones", () => {
    const f = parseQueueFilters(
      new URLSearchParams(`tenant=${A.toUpperCase()}&tenant=${B},not-a-guid&severity=High,Bogus&severity=Low&status=Active&status=Active`),
    );
    expect(f.tenant).toEqual([A, B]);
    expect(f.severity).toEqual(["High", "Low"]);
    expect(f.status).toEqual(["Active"]);
  });

  it("drops malformed values instead of trusting them", () => {
    const f = parseQueueFilters({
      classification: "DROP TABLE",
      range: "1y",
      from: "2025-13-45",
      sort: "name",
      dir: "sideways",
      after: "a b",
      q: "x".repeat(500),
      time: "later",
    });
    expect(f).toMatchObject({
      classification: undefined,
      range: undefined,
      from: undefined,
      sort: undefined,
      dir: undefined,
      after: undefined,
      q: undefined,
      time: undefined,
    });
    expect(hasActiveFilters(f)).toBe(false);
  });

  it("keeps valid single values and trims the search", () => {
    const f = parseQueueFilters({
      assigned: "me",
      classification: "TruePositive",
      q: "  10.0.0.1 ",
      sort: "severity",
      dir: "asc",
      range: "7d",
      time: "created",
    });
    expect(f).toMatchObject({ assigned: "me", classification: "TruePositive", q: "10.0.0.1", sort: "severity", dir: "asc", range: "7d", time: "created" });
    expect(hasActiveFilters(f)).toBe(true);
  });

  it("uses one paging direction at a time", () => {
    const f = parseQueueFilters({ after: "abc", before: "def" });
    expect(f.after).toBe("abc");
    expect(f.before).toBeUndefined();
  });

  it("turns ranges into time windows; dates alone mean a custom window with an inclusive end day", () => {
    const now = new Date("2025-06-01T12:00:00Z");
    expect(timeWindow(parseQueueFilters({ range: "24h" }), now)).toEqual({ field: "lastUpdateTime", from: new Date("2025-05-31T12:00:00Z"), to: null });
    expect(timeWindow(parseQueueFilters({ from: "2025-05-01", to: "2025-05-02", time: "created" }), now)).toEqual({
      field: "createdTime",
      from: new Date("2025-05-01T00:00:00Z"),
      to: new Date("2025-05-03T00:00:00Z"),
    });
    expect(timeWindow(parseQueueFilters({ range: "custom" }), now)).toBeNull();
    expect(timeWindow(parseQueueFilters({}), now)).toBeNull();
  });

  it("writes filters back to a stable query string, with overrides", () => {
    const f = parseQueueFilters({ severity: ["High", "Low"], q: "a&b", after: "cur" });
    expect(queueQueryString(f)).toBe("?severity=High&severity=Low&q=a%26b&after=cur");
    expect(queueQueryString(f, { after: null, tenant: [A] })).toBe(`?tenant=${A}&severity=High&severity=Low&q=a%26b`);
    expect(parseQueueFilters(new URLSearchParams(queueQueryString(f).slice(1)))).toEqual(f);
  });
});

describe("queue cursor", () => {
  const key = {
    severityRank: 3,
    lastUpdateTime: new Date("2025-05-01T10:00:00.123Z"),
    createdTime: new Date("2025-04-30T00:00:00Z"),
    slaNextDueAt: new Date("2025-04-30T04:00:00Z"),
    tenantId: A,
    incidentId: 123456789012n,
  };

  it("round-trips and refuses a cursor of another sort or a forged one", () => {
    const token = encodeCursor("severity", "desc", key);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(token, "severity", "desc")).toEqual(key);
    expect(decodeCursor(token, "updated", "desc")).toBeNull();
    expect(decodeCursor(token, "severity", "asc")).toBeNull();
    expect(decodeCursor("bm90LWpzb24", "updated", "desc")).toBeNull();
    // The "due" sort has its own cursor, which needs the due time.
    expect(decodeCursor(encodeCursor("due", "asc", key), "due", "asc")).toEqual(key);
    expect(decodeCursor(encodeCursor("due", "asc", key), "updated", "asc")).toBeNull();
    expect(
      decodeCursor(Buffer.from(JSON.stringify({ s: "updated", d: "desc", r: 1, u: "x", c: "y", t: A, i: "1" })).toString("base64url"), "updated", "desc"),
    ).toBeNull();
  });

  it("orders ascending as the exact reverse of descending, and flips again for the previous page", () => {
    expect(orderTerms("updated", "desc")).toEqual([
      { field: "lastUpdateTime", dir: "desc" },
      { field: "tenantId", dir: "asc" },
      { field: "incidentId", dir: "asc" },
    ]);
    expect(orderTerms("updated", "asc")).toEqual([
      { field: "lastUpdateTime", dir: "asc" },
      { field: "tenantId", dir: "desc" },
      { field: "incidentId", dir: "desc" },
    ]);
    expect(orderTerms("severity", "desc", true)).toEqual(orderTerms("severity", "asc"));
  });
});

describe("incident change input", () => {
  it("accepts only determinations that match the classification", () => {
    expect(incidentChangeSchema.safeParse({ op: "classify", classification: "TruePositive", determination: "Malware" }).success).toBe(true);
    expect(incidentChangeSchema.safeParse({ op: "classify", classification: "FalsePositive", determination: "Malware" }).success).toBe(false);
    expect(incidentChangeSchema.safeParse({ op: "classify", classification: "InformationalExpectedActivity", determination: "SecurityTesting" }).success).toBe(
      true,
    );
  });

  it("refuses statuses a person cannot set and assignees that are not addresses", () => {
    expect(incidentChangeSchema.safeParse({ op: "status", status: "Redirected" }).success).toBe(false);
    expect(incidentChangeSchema.safeParse({ op: "assign", assignedTo: "<script>" }).success).toBe(false);
    expect(incidentChangeSchema.safeParse({ op: "assign", assignedTo: "me" }).success).toBe(true);
  });

  it("reads tags from a list or comma-separated text, without duplicates", () => {
    const parsed = incidentChangeSchema.parse({ op: "tags", tags: " VIP, ransomware ,VIP,," });
    expect(parsed).toEqual({ op: "tags", tags: ["VIP", "ransomware"] });
  });

  it("splits bulk keys into tenant and incident, refusing malformed ones", () => {
    expect(bulkUpdateSchema.parse({ incidents: [`${A}:12`, `${A}:12`, `${B}:7`], change: { op: "status", status: "Resolved" } }).incidents).toEqual([
      { tenantId: A, incidentId: "12" },
      { tenantId: B, incidentId: "7" },
    ]);
    expect(bulkUpdateSchema.safeParse({ incidents: ["x:1"], change: { op: "status", status: "Resolved" } }).success).toBe(false);
    expect(bulkUpdateSchema.safeParse({ incidents: [], change: { op: "status", status: "Resolved" } }).success).toBe(false);
  });
});
