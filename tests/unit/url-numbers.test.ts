import { describe, expect, it } from "vitest";
import { parseAuditFilters } from "@/server/audit/audit-filters";
import { INT8_MAX, isInt8Id, isStorableDate } from "@/server/database/column-ranges";
import { decodeCursor, encodeCursor } from "@/server/incidents/queue-cursor";
import { parseQueueFilters } from "@/server/incidents/queue-filters";

const A = "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94";

function token(fields: Record<string, unknown>): string {
  const base = { s: "updated", d: "desc", r: 3, u: "2025-05-01T10:00:00.000Z", c: "2025-04-30T00:00:00.000Z", t: A, i: "1001" };
  return Buffer.from(JSON.stringify({ ...base, ...fields }), "utf8").toString("base64url");
}

describe("numbers the database cannot hold are absent", () => {
  it("knows the bigint range", () => {
    expect(isInt8Id(INT8_MAX.toString())).toBe(true);
    expect(isInt8Id("1")).toBe(true);
    for (const bad of ["9223372036854775808", "99999999999999999999", "-1", "1.5", "NaN", "Infinity", "1e3", "0x10", "", " 1"])
      expect(isInt8Id(bad)).toBe(false);
    expect(isStorableDate(new Date("2025-06-01T00:00:00Z"))).toBe(true);
    for (const bad of [new Date(NaN), new Date("0000-01-01T00:00:00Z"), new Date(Date.UTC(10000, 0, 1)), new Date(8.64e15)])
      expect(isStorableDate(bad)).toBe(false);
  });

  it("reads a cursor with an out-of-range field as no cursor", () => {
    expect(decodeCursor(token({}), "updated", "desc")).not.toBeNull();
    expect(decodeCursor(token({ i: INT8_MAX.toString() }), "updated", "desc")?.incidentId).toBe(INT8_MAX);
    const forged = [
      { i: "9223372036854775808" },
      { i: "99999999999999999999" },
      { i: "-1" },
      { i: "1.5" },
      { i: "NaN" },
      { i: 1001 },
      { r: 1e308 },
      { r: -1e308 },
      { r: 2.5 },
      { r: "NaN" },
      { u: "0000-01-01T00:00:00.000Z" },
      { c: "+275760-09-13T00:00:00.000Z" },
      { u: "2025-13-01T00:00:00.000Z" },
      { t: "\u0000" },
      { t: "not-a-tenant" },
    ];
    for (const fields of forged) expect(decodeCursor(token(fields), "updated", "desc"), JSON.stringify(fields)).toBeNull();
    // JSON with a number too large for a double: Infinity after parsing.
    const huge = Buffer.from(
      '{"s":"updated","d":"desc","r":1e400,"u":"2025-05-01T10:00:00.000Z","c":"2025-04-30T00:00:00.000Z","t":"' + A + '","i":"1"}',
    ).toString("base64url");
    expect(decodeCursor(huge, "updated", "desc")).toBeNull();
  });

  it("still round-trips real cursors", () => {
    const key = {
      severityRank: 4,
      lastUpdateTime: new Date("2025-05-01T10:00:00.123Z"),
      createdTime: new Date("2025-04-30T00:00:00Z"),
      slaNextDueAt: new Date("2025-04-30T04:00:00Z"),
      tenantId: A,
      incidentId: 42n,
    };
    expect(decodeCursor(encodeCursor("severity", "asc", key), "severity", "asc")).toEqual(key);
  });

  it("drops queue dates that do not exist or that the database cannot compare with", () => {
    for (const [from, to] of [
      ["0000-01-01", "0999-12-31"],
      ["2025-02-30", "2025-02-31"],
      ["2025-13-01", "2025-00-10"],
      ["99999-01-01", "-2025-01-01"],
    ] as const) {
      const f = parseQueueFilters({ from, to });
      expect(f.from, from).toBeUndefined();
      expect(f.to, to).toBeUndefined();
    }
    expect(parseQueueFilters({ from: "2024-02-29", to: "9999-12-31" })).toMatchObject({ from: "2024-02-29", to: "9999-12-31" });
  });

  it("drops queue text with control characters (a NUL fails the query)", () => {
    expect(parseQueueFilters({ q: "a\u0000b", assigned: "x\u0000@y" })).toMatchObject({ q: undefined, assigned: undefined });
    expect(parseQueueFilters({ q: "10.0.0.1", assigned: "me" })).toMatchObject({ q: "10.0.0.1", assigned: "me" });
  });

  it("drops an audit 'before' id a bigint cannot hold, and NaN, floats and negatives", () => {
    for (const before of ["99999999999999999999", "9223372036854775808", "18446744073709551616", "-1", "1.5", "1e30", "NaN", "Infinity", "0x10", ""]) {
      expect(parseAuditFilters({ before }).before, before).toBeUndefined();
    }
    expect(parseAuditFilters({ before: "9223372036854775807" }).before).toBe("9223372036854775807");
    expect(parseAuditFilters({ before: "120" }).before).toBe("120");
    expect(parseAuditFilters({ q: "a\u0000", tenant: "\u0000" })).toMatchObject({ q: undefined, tenant: undefined });
  });
});
