import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/prisma/generated/client/client";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import type { QueueFilters } from "@/server/incidents/queue-filters";
import type { QueueRow } from "@/server/incidents/queue-query";
import { startTestEmulator } from "../support/test-emulator";
import { usePortalEnvironment } from "../support/portal-environment";
import { testDatabaseKinds } from "../support/test-database";

const A = "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94";
const B = "4f1b3e7c-65a8-4dae-8c9b-1a5d7e3f6ca5";
const C = "5a2c4f8d-76b9-4ebf-9dac-2b6e8f4a7db6";
const GONE = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61"; // offboarded: never visible
const ME = "arjun.analyst@northwindcyber.onmicrosoft.com";
const staff = { username: ME };
const NOW = new Date("2025-06-01T12:00:00.000Z");
const HOUR = 3_600_000;

const SEVERITIES = ["High", "Medium", "Low", "Informational", "UnSpecified"];
const RANK: Record<string, number> = { High: 4, Medium: 3, Low: 2, Informational: 1, UnSpecified: 0 };
const STATUSES = ["Active", "InProgress", "Resolved", "Redirected"];

type Seed = {
  tenantId: string;
  incidentId: number;
  name: string;
  severity: string;
  status: string;
  assignedTo: string | null;
  classification: string | null;
  created: Date;
  updated: Date;
  entities: [string, string][];
};

/** Deterministic incidents: every filter value appears, and lastUpdateTime ties across tenants. */
function seeds(): Seed[] {
  const out: Seed[] = [];
  for (const [t, tenantId] of [A, B, C, GONE].entries()) {
    for (let i = 0; i < 40; i++) {
      const n = t * 100 + i;
      out.push({
        tenantId,
        incidentId: 1000 + i, // the same ids in every tenant: (tenant, id) is the key
        name:
          i === 3 ? `=HYPERLINK("x","y"), "quoted"` : i === 4 ? "Discount 50% off_sale" : `Incident ${["phish", "ransomware", "travel", "spray"][i % 4]} ${n}`,
        severity: SEVERITIES[n % 5]!,
        status: STATUSES[n % 4]!,
        assignedTo: n % 3 === 0 ? null : n % 3 === 1 ? ME : "zoe.angstrom@northwindcyber.onmicrosoft.com",
        classification: n % 7 === 0 ? "TruePositive" : n % 7 === 1 ? "FalsePositive" : null,
        created: new Date(NOW.getTime() - (i * 20 + t) * HOUR),
        // Every fifth pair of rows shares one timestamp, to exercise the tie-breakers.
        updated: new Date(NOW.getTime() - Math.floor(i / 2) * 5 * HOUR - (i % 5 === 0 ? 0 : t * 1000)),
        entities: [
          ["User", `user${i}@${tenantId.slice(0, 4)}.example`],
          ["Ip", `10.${t}.0.${i}`],
          ["File", `${(n * 7919).toString(16).padStart(8, "0")}deadbeef`],
        ],
      });
    }
  }
  return out;
}

describe.each(testDatabaseKinds())("incident queue on %s", (kind) => {
  let emulator: EmulatorHandle;
  let env: { cleanup: () => Promise<void> };
  let db: PrismaClient;
  let queue: typeof import("@/server/incidents/queue-query");
  let parse: typeof import("@/server/incidents/queue-filters").parseQueueFilters;
  let streamQueueCsv: typeof import("@/server/incidents/export-incidents").streamQueueCsv;
  const all = seeds();
  const visible = all.filter((s) => s.tenantId !== GONE);

  beforeAll(async () => {
    emulator = await startTestEmulator();
    env = await usePortalEnvironment(emulator, kind);
    vi.resetModules();
    db = await (await import("@/server/services")).getDb();
    queue = await import("@/server/incidents/queue-query");
    ({ parseQueueFilters: parse } = await import("@/server/incidents/queue-filters"));
    ({ streamQueueCsv } = await import("@/server/incidents/export-incidents"));
    await db.tenant.createMany({
      data: [
        { id: A, displayName: "Tailspin Toys", requiredAccess: "read_write", status: "active", grantedRoles: ["Incident.ReadWrite.All"] },
        { id: B, displayName: "Litware Legal", requiredAccess: "read", status: "permission_missing", grantedRoles: [] },
        { id: C, displayName: "Adatum Energy", requiredAccess: "read", status: "active", grantedRoles: ["Incident.Read.All"] },
        { id: GONE, displayName: "Contoso (gone)", requiredAccess: "read", status: "offboarded", grantedRoles: [] },
      ],
    });
    await db.tenantSyncState.create({ data: { tenantId: A, lastSuccessAt: new Date(NOW.getTime() - 5 * 60_000) } });
    await db.incident.createMany({
      data: all.map((s) => ({
        tenantId: s.tenantId,
        incidentId: BigInt(s.incidentId),
        incidentName: s.name,
        status: s.status,
        severity: s.severity,
        severityRank: RANK[s.severity]!,
        classification: s.classification,
        assignedTo: s.assignedTo,
        detectionSources: ["EDR"],
        tags: [],
        alertCount: 1,
        commentCount: 0,
        createdTime: s.created,
        lastUpdateTime: s.updated,
        searchText: `${s.name.toLowerCase()} ${s.incidentId}`,
        raw: { incidentId: s.incidentId },
        syncedAt: NOW,
        // Due times with many ties (and some clocks not running), for the "next due" order's tie-breakers.
        ...(s.incidentId % 4 === 0 ? {} : { slaNextDueAt: new Date(NOW.getTime() + ((s.incidentId * 7) % 5) * HOUR) }),
      })),
    });
    await db.incidentEntity.createMany({
      data: all.flatMap((s) => s.entities.map(([entityType, value]) => ({ tenantId: s.tenantId, incidentId: BigInt(s.incidentId), entityType, value }))),
    });
  });
  afterAll(async () => {
    await env?.cleanup();
    await emulator?.stop();
  });

  const keyOf = (r: { tenantId: string; incidentId: string | number }) => `${r.tenantId}:${r.incidentId}`;

  async function everything(filters: QueueFilters, pageSize = 500): Promise<QueueRow[]> {
    return (await queue.listQueueIncidents({ filters, staff, pageSize, now: NOW })).rows;
  }
  async function keys(query: string): Promise<string[]> {
    return (await everything(parse(new URLSearchParams(query)))).map(keyOf).sort();
  }
  const expected = (pick: (s: Seed) => boolean) => visible.filter(pick).map(keyOf).sort();

  it("shows every tenant except offboarded ones, with tenant names and data age", async () => {
    const rows = await everything(parse({}));
    expect(rows.map(keyOf).sort()).toEqual(expected(() => true));
    const row = rows.find((r) => r.tenantId === A)!;
    expect(row.tenantName).toBe("Tailspin Toys");
    expect(row.dataAsOf?.toISOString()).toBe(new Date(NOW.getTime() - 5 * 60_000).toISOString());
    expect(rows.find((r) => r.tenantId === B)!.dataAsOf).toBeNull();
    // The counts too, kept (no filter) and counted (an assignee): the offboarded tenant's incidents are in neither.
    expect((await queue.summarizeQueue({ filters: parse({}), staff, now: NOW })).total).toBe(visible.length);
    expect((await queue.summarizeQueue({ filters: parse({ assigned: "me" }), staff, now: NOW })).total).toBe(expected((s) => s.assignedTo === ME).length);
  });

  it("narrows by each filter", async () => {
    expect(await keys(`tenant=${A}&tenant=${C}`)).toEqual(expected((s) => s.tenantId === A || s.tenantId === C));
    expect(await keys(`tenant=${GONE}`)).toEqual([]); // an offboarded tenant cannot be asked for
    expect(await keys("severity=High&severity=Low")).toEqual(expected((s) => s.severity === "High" || s.severity === "Low"));
    expect(await keys("status=Resolved")).toEqual(expected((s) => s.status === "Resolved"));
    expect(await keys("assigned=unassigned")).toEqual(expected((s) => s.assignedTo === null));
    expect(await keys("assigned=me")).toEqual(expected((s) => s.assignedTo === ME));
    expect(await keys("assigned=zoe.angstrom%40northwindcyber.onmicrosoft.com")).toEqual(expected((s) => s.assignedTo?.startsWith("zoe") === true));
    expect(await keys("classification=FalsePositive")).toEqual(expected((s) => s.classification === "FalsePositive"));
    expect(await keys("classification=Unknown")).toEqual(expected((s) => s.classification === null));
    expect(await keys("range=24h&time=created")).toEqual(expected((s) => s.created.getTime() >= NOW.getTime() - 24 * HOUR));
    expect(await keys("range=7d")).toEqual(expected((s) => s.updated.getTime() >= NOW.getTime() - 7 * 24 * HOUR));
    expect(await keys("time=created&from=2025-05-25&to=2025-05-27")).toEqual(
      expected((s) => s.created >= new Date("2025-05-25T00:00:00Z") && s.created < new Date("2025-05-28T00:00:00Z")),
    );
    // Combined filters intersect.
    expect(await keys(`tenant=${A}&status=Active&severity=High`)).toEqual(expected((s) => s.tenantId === A && s.status === "Active" && s.severity === "High"));
  });

  it("searches names, ids and entity values (exact or prefix, any case)", async () => {
    expect(await keys("q=RANSOMWARE")).toEqual(expected((s) => s.name.toLowerCase().includes("ransomware")));
    expect(await keys("q=1007")).toEqual(expected((s) => s.incidentId === 1007));
    expect(await keys(`q=USER5@${A.slice(0, 4)}`)).toEqual(expected((s) => s.entities.some(([, v]) => v.startsWith(`user5@${A.slice(0, 4)}`))));
    expect(await keys("q=10.2.0.17")).toEqual(expected((s) => s.tenantId === C && s.incidentId === 1017));
    // LIKE wildcards are literal text, not patterns.
    expect(await keys("q=50%25 off_")).toEqual(expected((s) => s.name.includes("50% off_")));
    expect(await keys("q=%25")).toEqual(expected((s) => s.name.includes("%")));
  });

  it("looks a whole IP or hash up exactly, from the indicator index and entity values, in any spelling", async () => {
    const SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    await db.incidentIndicator.createMany({
      data: [
        // Evidence the indicator extraction read (no entity row holds these values).
        { tenantId: A, incidentId: 1005n, indicatorType: "ip", value: "192.0.2.5", severityRank: 3, firstSeen: NOW, lastSeen: NOW },
        { tenantId: B, incidentId: 1002n, indicatorType: "sha256", value: SHA256, severityRank: 2, firstSeen: NOW, lastSeen: NOW },
      ],
    });
    try {
      const search = await import("@/server/incidents/queue-search");
      expect(search.indicatorShapedSearch("::FFFF:192.0.2.5")).toEqual({ type: "ip", value: "192.0.2.5" });
      expect(search.indicatorShapedSearch("10.2.0.")).toBeNull(); // not a whole address: a prefix search
      expect(search.indicatorShapedSearch("1007")).toBeNull(); // an incident number
      expect(await keys("q=192.0.2.5")).toEqual([`${A}:1005`]);
      expect(await keys("q=%3A%3Affff%3A192.0.2.5")).toEqual([`${A}:1005`]); // ::ffff:192.0.2.5, the same address
      expect(await keys(`q=${SHA256.toUpperCase()}`)).toEqual([`${B}:1002`]);
      // A whole address is not a prefix: 10.2.0.1 is not 10.2.0.10 … 10.2.0.19 (entity values, equal).
      expect(await keys("q=10.2.0.1")).toEqual(expected((s) => s.entities.some(([, v]) => v === "10.2.0.1")));
      expect(await keys("q=10.2.0.1").then((k) => k.length)).toBe(1);
      // The scan form of the WHERE (when a key list would be too long) matches the same rows.
      const filters = parse({ q: "192.0.2.5" });
      const scanned = await db.incident.findMany({
        where: { AND: [{ tenantId: { in: [A, B, C] } }, search.textSearchWhere(filters.q!, { kind: "scan" })] },
        select: { tenantId: true, incidentId: true },
      });
      expect(scanned.map((r) => `${r.tenantId}:${r.incidentId}`)).toEqual([`${A}:1005`]);
    } finally {
      await db.incidentIndicator.deleteMany({
        where: {
          OR: [
            { tenantId: A, incidentId: 1005n },
            { tenantId: B, incidentId: 1002n },
          ],
        },
      });
    }
  });

  it("answers a search from the trigram indexes, and a too-short text by a scan, with the same rows, pages and counts", async () => {
    const search = await import("@/server/incidents/queue-search");
    const tenantIds = [A, B, C];
    const prefix = "USER1"; // user1@…, user10@… … user19@…
    const found = await search.resolveTextSearch({ q: prefix, tenantIds });
    expect(found.kind).toBe("entities");
    const keyed = found.kind === "entities" ? [...found.byTenant].flatMap(([t, ids]) => ids.map((id) => `${t}:${id}`)).sort() : [];
    expect(keyed).toEqual(expected((s) => s.entities.some(([, v]) => v.startsWith(prefix.toLowerCase()))));
    expect(keyed.length).toBe(33);
    // Only the tenants asked for: a tenant filter (or offboarding) narrows the lookup itself.
    const ips = await search.resolveTextSearch({ q: "10.1.0.", tenantIds: [B] });
    expect(ips.kind === "entities" ? [...ips.byTenant.keys()] : null).toEqual([B]);
    expect(await search.resolveTextSearch({ q: "us", tenantIds })).toEqual({ kind: "scan" });
    expect(await search.resolveTextSearch({ q: "no such text anywhere", tenantIds })).toEqual({ kind: "entities", byTenant: new Map() });
    expect(await keys("q=no such text anywhere")).toEqual([]);
    // Names and entities together: a word of names, and the start of values, in one search.
    expect(await keys("q=ransom")).toEqual(expected((s) => s.name.toLowerCase().includes("ransom")));

    // A two-letter text is matched by a scan; its rows are those the indexes give for the same text.
    expect(await keys("q=sp")).toEqual(expected((s) => s.name.toLowerCase().includes("sp") || s.entities.some(([, v]) => v.startsWith("sp"))));
    expect(await keys("q=deadbeef")).toEqual([]); // entity values match from their start only
    expect(await keys("q=0000")).toEqual(
      expected((s) => `${s.name.toLowerCase()} ${s.incidentId}`.includes("0000") || s.entities.some(([, v]) => v.startsWith("0000"))),
    );

    // Keyset paging and the summary read the same matches.
    const filters = parse({ q: "incident" });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof queue.listQueueIncidents>> = await queue.listQueueIncidents({
        filters,
        staff,
        cursor: cursor ? { after: cursor } : {},
        pageSize: 9,
        now: NOW,
      });
      seen.push(...page.rows.map(keyOf));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 1000);
    expect(seen.length).toBe(new Set(seen).size);
    expect([...seen].sort()).toEqual(expected((s) => s.name.toLowerCase().includes("incident")));
    const summary = await queue.summarizeQueue({ filters, staff, now: NOW });
    expect(summary.total).toBe(seen.length);
  });

  it.each([
    ["updated", "desc"],
    ["updated", "asc"],
    ["severity", "desc"],
    ["severity", "asc"],
    ["created", "desc"],
    ["created", "asc"],
    ["due", "asc"],
    ["due", "desc"],
  ] as const)("pages by keyset through every row exactly once, sorted by %s %s", async (sort, dir) => {
    const filters = parse({ sort, dir });
    const pages: { rows: QueueRow[]; prevCursor: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const page = await queue.listQueueIncidents({ filters, staff, cursor: cursor ? { after: cursor } : {}, pageSize: 7, now: NOW });
      pages.push(page);
      expect(page.prevCursor === null).toBe(pages.length === 1);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 100);
    const rows = pages.flatMap((p) => p.rows);
    const seen = rows.map(keyOf);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(expected(() => true));

    const value = (r: QueueRow) =>
      sort === "updated"
        ? r.lastUpdateTime.getTime()
        : sort === "created"
          ? r.createdTime.getTime()
          : sort === "due"
            ? r.serviceLevel.slaNextDueAt.getTime()
            : RANK[r.severity]!;
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [value(rows[i - 1]!), value(rows[i]!)];
      expect(dir === "desc" ? a >= b : a <= b).toBe(true);
    }

    // Walking back from the last page with "previous" returns the same pages, down to the first.
    let back = pages.length - 1;
    let before = pages[back]!.prevCursor;
    while (before) {
      back--;
      const page = await queue.listQueueIncidents({ filters, staff, cursor: { before }, pageSize: 7, now: NOW });
      expect(page.rows.map(keyOf)).toEqual(pages[back]!.rows.map(keyOf));
      expect(page.nextCursor).not.toBeNull();
      before = page.prevCursor;
    }
    expect(back).toBe(0);
  });

  it("summarises counts by severity and status for the current filter", async () => {
    const summary = await queue.summarizeQueue({ filters: parse({ tenant: [A, B] }), staff, now: NOW });
    const scope = visible.filter((s) => s.tenantId === A || s.tenantId === B);
    expect(summary.total).toBe(scope.length);
    for (const severity of SEVERITIES) expect(summary.bySeverity[severity]).toBe(scope.filter((s) => s.severity === severity).length);
    for (const status of STATUSES) expect(summary.byStatus[status]).toBe(scope.filter((s) => s.status === status).length);
  });

  it("ignores a malformed or foreign cursor instead of failing", async () => {
    const first = await queue.listQueueIncidents({ filters: parse({}), staff, pageSize: 5, now: NOW });
    const forged = await queue.listQueueIncidents({ filters: parse({ after: "bm90LWpzb24" }), staff, pageSize: 5, now: NOW });
    expect(forged.rows.map(keyOf)).toEqual(first.rows.map(keyOf));
    const otherSort = await queue.listQueueIncidents({ filters: parse({ sort: "created", after: first.nextCursor! }), staff, pageSize: 5, now: NOW });
    expect(otherSort.prevCursor).toBeNull();
  });

  it("streams the whole filter as CSV in batches, escaped and guarded against formulas", async () => {
    const stream = streamQueueCsv({ filters: parse({ tenant: A, after: "ignored" }), staff, batchSize: 7 });
    const text = await new Response(stream).text();
    const lines = text
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toMatch(/^Tenant,Tenant ID,Incident ID,Incident name,Severity/);
    expect(lines.length - 1).toBe(visible.filter((s) => s.tenantId === A).length);
    expect(text).toContain(`"'=HYPERLINK(""x"",""y""), ""quoted"""`);
    expect(new Set(lines.slice(1).map((l) => l.split(",")[2])).size).toBe(lines.length - 1);
  });

  it("exports more than one batch at the default batch size: every row once, in queue order", async () => {
    const { EXPORT_BATCH_SIZE } = await import("@/server/incidents/export-incidents");
    const BIG = "7b3d5e9f-87ca-4fd0-aebd-3c7f9a5b8ec7";
    const count = EXPORT_BATCH_SIZE + 137;
    await db.tenant.create({ data: { id: BIG, displayName: "Big Export Co", requiredAccess: "read", status: "active", grantedRoles: ["Incident.Read.All"] } });
    try {
      await db.incident.createMany({
        data: Array.from({ length: count }, (_, i) => ({
          tenantId: BIG,
          incidentId: BigInt(5000 + i),
          incidentName: `Bulk incident ${i}`,
          status: "Active",
          severity: "Medium",
          severityRank: RANK.Medium!,
          detectionSources: [],
          tags: [],
          alertCount: 0,
          commentCount: 0,
          createdTime: new Date(NOW.getTime() - i * 60_000),
          // Runs of equal times across the batch boundary: the keyset must not skip or repeat one.
          lastUpdateTime: new Date(NOW.getTime() - Math.floor(i / 10) * 60_000),
          searchText: `bulk incident ${i}`,
          raw: {},
          syncedAt: NOW,
        })),
      });
      const text = await new Response(streamQueueCsv({ filters: parse({ tenant: BIG }), staff })).text();
      const ids = text
        .trimEnd()
        .split("\r\n")
        .slice(1)
        .map((line) => line.split(",")[2]);
      expect(ids).toHaveLength(count);
      expect(new Set(ids).size).toBe(count);
      expect(ids).toEqual((await everything(parse({ tenant: BIG }), count + 10)).map((row) => String(row.incidentId)));
    } finally {
      await db.incident.deleteMany({ where: { tenantId: BIG } });
      await db.tenant.delete({ where: { id: BIG } });
    }
  });
});
