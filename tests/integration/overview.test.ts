import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/prisma/generated/client/client";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import type { OverviewView } from "@/server/overview/overview-view";
import { startTestEmulator } from "../support/test-emulator";
import { usePortalEnvironment } from "../support/portal-environment";
import { testDatabaseKinds } from "../support/test-database";

const A = "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94";
const B = "4f1b3e7c-65a8-4dae-8c9b-1a5d7e3f6ca5";
const C = "5a2c4f8d-76b9-4ebf-9dac-2b6e8f4a7db6"; // visible, no incidents
const GONE = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61"; // offboarded: never counted
// Day 0 of the 7-day period is 2025-06-04 (UTC); "now" is day 6 at noon.
const NOW = new Date("2025-06-10T12:00:00.000Z");
const NOT_RUNNING = new Date("9999-12-31T00:00:00.000Z");
const RANK: Record<string, number> = { High: 4, Medium: 3, Low: 2, Informational: 1 };

const t = (text: string) => new Date(`2025-${text}:00.000Z`); // "06-04T10:00"

type Seed = {
  tenantId: string;
  id: number;
  severity: string;
  status: string;
  created: string;
  ack?: string;
  resolved?: string;
  ackDue: string;
  resolveDue?: string;
  /** The nearest due time of a running clock; none: not running. */
  next?: string;
  raw: unknown;
};

const alert = (category: unknown, mitreTechniques: unknown) => ({ category, mitreTechniques });

/** The alert facets the write path stores with an incident (toIncidentRecord): distinct strings only. */
function facets(raw: unknown): { alertCategories: string[]; mitreTechniques: string[] } {
  const alerts = (raw as { alerts?: unknown }).alerts;
  const list = Array.isArray(alerts) ? alerts.filter((a): a is Record<string, unknown> => typeof a === "object" && a !== null) : [];
  const strings = (values: unknown[]) => [...new Set(values.filter((v): v is string => typeof v === "string" && v !== ""))].sort();
  return {
    alertCategories: strings(list.map((a) => a.category)),
    mitreTechniques: strings(list.flatMap((a) => (Array.isArray(a.mitreTechniques) ? a.mitreTechniques : []))),
  };
}

// Due times follow the default policy (High 15 min / 4 h, Medium 1 h / 24 h, Low 4 h / 72 h, Informational 24 h / none).
const SEEDS: Seed[] = [
  // a1: acknowledged and resolved in time; two alerts of one category count the incident once.
  {
    tenantId: A,
    id: 1,
    severity: "High",
    status: "Resolved",
    created: "06-04T10:00",
    ack: "06-04T10:10",
    resolved: "06-04T13:00",
    ackDue: "06-04T10:15",
    resolveDue: "06-04T14:00",
    raw: { alerts: [alert("InitialAccess", ["T1566", "T1078"]), alert("InitialAccess", ["T1566"])] },
  },
  // a2: both steps late.
  {
    tenantId: A,
    id: 2,
    severity: "Medium",
    status: "Resolved",
    created: "06-05T08:00",
    ack: "06-05T10:00",
    resolved: "06-06T12:00",
    ackDue: "06-05T09:00",
    resolveDue: "06-06T08:00",
    raw: { alerts: [alert("CredentialAccess", ["T1110"])] },
  },
  // a3: created exactly at day 2's start; open, both clocks past due: missed, and overdue now.
  {
    tenantId: A,
    id: 3,
    severity: "Low",
    status: "Active",
    created: "06-06T00:00",
    ackDue: "06-06T04:00",
    resolveDue: "06-09T00:00",
    next: "06-06T04:00",
    raw: { alerts: [alert("InitialAccess", ["T1566"])] },
  },
  // a4: open, not yet due (undecided), no resolve target; malformed alerts are ignored.
  {
    tenantId: A,
    id: 4,
    severity: "Informational",
    status: "Active",
    created: "06-10T11:00",
    ackDue: "06-11T11:00",
    next: "06-11T11:00",
    raw: { alerts: { bogus: true } },
  },
  // a5: created before the period, resolved in it: counts as resolved and in the backlog, not in the SLA table.
  {
    tenantId: A,
    id: 5,
    severity: "High",
    status: "Resolved",
    created: "06-01T00:00",
    ack: "06-01T00:05",
    resolved: "06-05T06:00",
    ackDue: "06-01T00:15",
    resolveDue: "06-01T04:00",
    raw: { alerts: [alert("Discovery", ["T1087"])] },
  },
  // a6: old and still open, overdue since long before the period.
  {
    tenantId: A,
    id: 6,
    severity: "Medium",
    status: "InProgress",
    created: "05-20T00:00",
    ack: "05-20T00:30",
    ackDue: "05-20T01:00",
    resolveDue: "05-21T00:00",
    next: "05-21T00:00",
    raw: { alerts: [alert("Discovery", ["T1087"])] },
  },
  // b1: acknowledged in time, resolution overdue.
  {
    tenantId: B,
    id: 1,
    severity: "High",
    status: "InProgress",
    created: "06-07T09:00",
    ack: "06-07T09:05",
    ackDue: "06-07T09:15",
    resolveDue: "06-07T13:00",
    next: "06-07T13:00",
    raw: { alerts: [alert("InitialAccess", ["T1078"])] },
  },
  // b2: resolved exactly at day 5's end: out of the backlog from then on.
  {
    tenantId: B,
    id: 2,
    severity: "Low",
    status: "Resolved",
    created: "06-08T12:00",
    ack: "06-08T13:00",
    resolved: "06-10T00:00",
    ackDue: "06-08T16:00",
    resolveDue: "06-11T12:00",
    raw: { alerts: [alert("Malware", ["T1204", "T1566"])] },
  },
  // b3: acknowledgement missed (due 11:00, now 12:00), resolution not yet due; odd alert fields ignored.
  {
    tenantId: B,
    id: 3,
    severity: "Medium",
    status: "Active",
    created: "06-10T10:00",
    ackDue: "06-10T11:00",
    resolveDue: "06-11T10:00",
    next: "06-10T11:00",
    raw: { alerts: [alert(42, "T1"), alert(null, [7, null, "", { id: "T9" }]), "not an alert"] },
  },
  // The offboarded tenant: open, overdue, in the period, with its own category; never counted.
  ...[1, 2, 3].map((id): Seed => ({
    tenantId: GONE,
    id,
    severity: "High",
    status: "Active",
    created: `06-0${id + 5}T00:00`,
    ackDue: `06-0${id + 5}T00:15`,
    resolveDue: `06-0${id + 5}T04:00`,
    next: `06-0${id + 5}T00:15`,
    raw: { alerts: [alert("Exfiltration", ["T1041"])] },
  })),
];

describe.each(testDatabaseKinds())("overview on %s", (kind) => {
  let emulator: EmulatorHandle;
  let env: { cleanup: () => Promise<void> };
  let db: PrismaClient;
  let loadOverview: typeof import("@/server/overview/overview-view").loadOverview;
  let loadOverviewTopLists: typeof import("@/server/overview/overview-view").loadOverviewTopLists;
  let parse: typeof import("@/server/overview/overview-filters").parseOverviewFilters;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    env = await usePortalEnvironment(emulator, kind);
    vi.resetModules();
    db = await (await import("@/server/services")).getDb();
    ({ loadOverview, loadOverviewTopLists } = await import("@/server/overview/overview-view"));
    ({ parseOverviewFilters: parse } = await import("@/server/overview/overview-filters"));
    await db.tenant.createMany({
      data: [
        { id: A, displayName: "Tailspin Toys", requiredAccess: "read_write", status: "active", grantedRoles: ["Incident.ReadWrite.All"] },
        { id: B, displayName: "Litware Legal", requiredAccess: "read", status: "permission_missing", grantedRoles: [] },
        { id: C, displayName: "Adatum Energy", requiredAccess: "read", status: "active", grantedRoles: [] },
        { id: GONE, displayName: "Contoso (gone)", requiredAccess: "read", status: "offboarded", grantedRoles: [] },
      ],
    });
    await db.incident.createMany({
      data: SEEDS.map((s) => ({
        tenantId: s.tenantId,
        incidentId: BigInt(s.id),
        incidentName: `Incident ${s.id}`,
        status: s.status,
        severity: s.severity,
        severityRank: RANK[s.severity] ?? 0,
        detectionSources: [],
        tags: [],
        source: "graph" as const,
        alertCount: 1,
        commentCount: 0,
        createdTime: t(s.created),
        lastUpdateTime: t(s.resolved ?? s.ack ?? s.created),
        searchText: `incident ${s.id}`,
        raw: { id: String(s.id), ...(s.raw as object) },
        ...facets(s.raw),
        syncedAt: NOW,
        firstSeenAt: t(s.created),
        acknowledgedAt: s.ack ? t(s.ack) : null,
        acknowledgedHow: s.ack ? ("assigned" as const) : null,
        resolvedAt: s.resolved ? t(s.resolved) : null,
        slaAcknowledgeDueAt: t(s.ackDue),
        slaResolveDueAt: s.resolveDue ? t(s.resolveDue) : null,
        slaNextDueAt: s.next ? t(s.next) : NOT_RUNNING,
      })),
    });
  });
  afterAll(async () => {
    await env?.cleanup();
    await emulator?.stop();
  });

  const view = (query: string): Promise<OverviewView> => loadOverview({ filters: parse(new URLSearchParams(query)), now: NOW });
  const topLists = (query: string) => loadOverviewTopLists({ filters: parse(new URLSearchParams(query)), now: NOW });
  const opened = (v: OverviewView) => v.daily.map((d) => d.openedTotal);
  const resolved = (v: OverviewView) => v.daily.map((d) => d.resolved);
  const backlog = (v: OverviewView) => v.backlog.map((d) => d.open);
  const ms = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 1000) / 1000);

  it("counts incidents opened and resolved per UTC day, by severity, without the offboarded tenant", async () => {
    const v = await view("days=7");
    expect(v.daily.map((d) => d.day)).toEqual(["2025-06-04", "2025-06-05", "2025-06-06", "2025-06-07", "2025-06-08", "2025-06-09", "2025-06-10"]);
    expect(opened(v)).toEqual([1, 1, 1, 1, 1, 0, 2]);
    expect(v.daily.map((d) => d.opened.High)).toEqual([1, 0, 0, 1, 0, 0, 0]);
    expect(v.daily.map((d) => d.opened.Medium)).toEqual([0, 1, 0, 0, 0, 0, 1]);
    expect(v.daily.map((d) => d.opened.Low)).toEqual([0, 0, 1, 0, 1, 0, 0]);
    expect(v.daily.map((d) => d.opened.Informational)).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(resolved(v)).toEqual([1, 1, 1, 0, 0, 0, 1]);
    expect(v.headline).toMatchObject({ open: 5, overdue: 4, openedInPeriod: 7, resolvedInPeriod: 4 });
  });

  it("gives the open backlog at each day's end", async () => {
    const v = await view("days=7");
    expect(backlog(v)).toEqual([2, 2, 2, 3, 4, 3, 5]);
    expect(backlog(v).at(-1)).toBe(v.headline.open);
  });

  it("gives each customer's times to acknowledge and resolve and the targets met", async () => {
    const v = await view("days=7");
    expect(v.tenants.map((x) => x.displayName)).toEqual(["Adatum Energy", "Litware Legal", "Tailspin Toys"]);
    expect(v.customers.map((c) => [c.displayName, c.incidents])).toEqual([
      ["Tailspin Toys", 4],
      ["Litware Legal", 3],
      ["Adatum Energy", 0],
    ]);
    // percentile_cont interpolates in floating point: compare to the millisecond.
    const [a, b, c] = v.customers.map((x) => ({
      acknowledge: { ...x.acknowledge, median: ms(x.acknowledge.median), p90: ms(x.acknowledge.p90) },
      resolve: { ...x.resolve, median: ms(x.resolve.median), p90: ms(x.resolve.p90) },
    }));
    // A: acknowledged after 10 min and 2 h; resolved after 3 h and 28 h.
    expect(a!.acknowledge).toEqual({ median: 3900, p90: 6540, sla: { met: 1, decided: 3, percent: 100 / 3 } });
    expect(a!.resolve).toEqual({ median: 55_800, p90: 91_800, sla: { met: 1, decided: 3, percent: 100 / 3 } });
    // B: acknowledged after 5 min and 1 h; resolved after 36 h.
    expect(b!.acknowledge).toEqual({ median: 1950, p90: 3270, sla: { met: 2, decided: 3, percent: 200 / 3 } });
    expect(b!.resolve).toEqual({ median: 129_600, p90: 129_600, sla: { met: 1, decided: 2, percent: 50 } });
    expect(c!.acknowledge).toEqual({ median: null, p90: null, sla: { met: 0, decided: 0, percent: null } });
    expect(v.headline.acknowledgeSla).toEqual({ met: 3, decided: 6, percent: 50 });
    expect(v.headline.resolveSla).toEqual({ met: 2, decided: 5, percent: 40 });
    expect(v.headline.sla).toEqual({ met: 5, decided: 11, percent: 500 / 11 });
  });

  it("lists the top alert categories and MITRE techniques with incident and tenant counts", async () => {
    const v = await topLists("days=7");
    expect(v.categories).toEqual([
      { name: "InitialAccess", incidents: 3, tenants: 2 },
      { name: "CredentialAccess", incidents: 1, tenants: 1 },
      { name: "Malware", incidents: 1, tenants: 1 },
    ]);
    expect(v.techniques).toEqual([
      { name: "T1566", incidents: 3, tenants: 2 },
      { name: "T1078", incidents: 2, tenants: 2 },
      { name: "T1110", incidents: 1, tenants: 1 },
      { name: "T1204", incidents: 1, tenants: 1 },
    ]);
  });

  it("narrows every figure to the chosen tenants, and never to an offboarded one", async () => {
    const v = await view(`days=7&tenant=${B}&tenant=${GONE}`);
    expect(v.scopedTenantCount).toBe(1);
    expect(opened(v)).toEqual([0, 0, 0, 1, 1, 0, 1]);
    expect(resolved(v)).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(backlog(v)).toEqual([0, 0, 0, 1, 2, 1, 2]);
    expect(v.headline).toMatchObject({ open: 2, overdue: 2, openedInPeriod: 3, resolvedInPeriod: 1 });
    expect(v.customers.map((c) => c.tenantId)).toEqual([B]);
    const top = await topLists(`days=7&tenant=${B}&tenant=${GONE}`);
    expect(top.categories.map((c) => c.name)).toEqual(["InitialAccess", "Malware"]);
    expect(top.techniques.map((c) => c.name)).toEqual(["T1078", "T1204", "T1566"]);

    const gone = await view(`days=7&tenant=${GONE}`);
    expect(gone.scopedTenantCount).toBe(0);
    expect(gone.headline).toMatchObject({ open: 0, overdue: 0, openedInPeriod: 0, resolvedInPeriod: 0 });
    expect(backlog(gone)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(gone.customers).toEqual([]);
    expect(await topLists(`days=7&tenant=${GONE}`)).toEqual({ categories: [], techniques: [] });
  });

  it("takes the period from the URL (30 days by default) and ignores a malformed one", async () => {
    const v = await view("");
    expect(v.period.days).toBe(30);
    expect(v.daily).toHaveLength(30);
    expect(v.headline).toMatchObject({ openedInPeriod: 9, resolvedInPeriod: 4, open: 5, overdue: 4 });
    expect((await topLists("")).categories.map((c) => [c.name, c.incidents])).toEqual([
      ["InitialAccess", 3],
      ["Discovery", 2],
      ["CredentialAccess", 1],
      ["Malware", 1],
    ]);
    expect((await view("days=365")).period.days).toBe(30);
    expect((await view("days=90")).daily).toHaveLength(90);
  });

  it("serves a large store's figures from a computation up to a minute old, and always computes a small one", async () => {
    const recent = await import("@/server/overview/overview-recent");
    const mine = parse(new URLSearchParams(`tenant=${A}`));
    // Small (these tests' stores): computed for every request.
    expect((await loadOverview({ filters: mine })).recent).toBe(false);
    expect((await loadOverview({ filters: mine })).recent).toBe(false);
    // Large: the kept counts say the scope holds LARGE_SCOPE_INCIDENTS incidents.
    await db.incidentCount.create({
      data: { tenantId: A, severity: "Medium", status: "Resolved", unassigned: false, incidents: BigInt(recent.LARGE_SCOPE_INCIDENTS) },
    });
    try {
      let calls = 0;
      let clock = 1_000_000;
      const compute = async () => ({ computation: ++calls });
      const ask = () => recent.recentOverview(recent.overviewKey("test", 30, [A]), [A], compute, () => clock);
      // Two first requests at once: one computation.
      const [x, y] = await Promise.all([ask(), ask()]);
      expect(calls).toBe(1);
      expect(x).toEqual({ value: { computation: 1 }, recent: false });
      expect(y.value).toEqual({ computation: 1 });
      clock += recent.FRESH_MS - 1;
      expect(await ask()).toEqual({ value: { computation: 1 }, recent: true });
      expect(calls).toBe(1);
      // Older than a minute: the last figures while one refresh runs, then the refreshed ones.
      clock += 2;
      expect(await ask()).toEqual({ value: { computation: 1 }, recent: true });
      await ask();
      await vi.waitFor(async () => expect((await ask()).value).toEqual({ computation: 2 }));
      expect(calls).toBe(2);
      // Another set of tenants (an offboarding changes the scope) is another key.
      expect(recent.overviewKey("test", 30, [A, B])).not.toBe(recent.overviewKey("test", 30, [A]));
      expect(recent.overviewKey("test", 30, [B, A])).toBe(recent.overviewKey("test", 30, [A, B]));

      // The page's loaders: the second request is served the first one's figures, said so.
      const other = parse(new URLSearchParams(`tenant=${A}&days=7`));
      const first = await loadOverview({ filters: other });
      expect(first.recent).toBe(false);
      const second = await loadOverview({ filters: other });
      expect(second.recent).toBe(true);
      expect(second.period.now).toEqual(first.period.now);
      expect(second.headline).toEqual(first.headline);
      expect(await loadOverviewTopLists({ filters: other })).toEqual(await loadOverviewTopLists({ filters: other }));
      // With an explicit time (these tests), always computed.
      expect((await loadOverview({ filters: other, now: NOW })).recent).toBe(false);
    } finally {
      await db.incidentCount.deleteMany({ where: { tenantId: A, severity: "Medium", status: "Resolved", unassigned: false } });
    }
  });
});
