import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/prisma/generated/client/client";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import { toIncidentRecord } from "@/server/incidents/incident-record";
import { graphIncidentFixture } from "../support/graph-incident-fixture";
import { startTestEmulator } from "../support/test-emulator";
import { usePortalEnvironment } from "../support/portal-environment";
import { testDatabaseKinds } from "../support/test-database";

// The queue's kept counts (incident_count, maintained by triggers on `incident` in the writing
// transaction) must equal a count of the incidents after every kind of write, and the summary of
// a common view must read the same numbers from them as a count of the matching incidents gives.

const A = "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94";
const B = "4f1b3e7c-65a8-4dae-8c9b-1a5d7e3f6ca5";
const NOW = new Date("2026-11-30T12:00:00.000Z");
const staff = { username: "arjun.analyst@northwindcyber.onmicrosoft.com" };
const SEVERITIES = ["high", "medium", "low", "informational"];
const STATUSES = ["active", "inProgress", "resolved"];

const incident = (id: number, v: { severity: string; status: string; assignedTo: string | null; updated: Date }) =>
  graphIncidentFixture(id, { ...v, created: new Date(NOW.getTime() - 86_400_000) });

describe.each(testDatabaseKinds())("queue counts kept with the data on %s", (kind) => {
  let emulator: EmulatorHandle;
  let env: { cleanup: () => Promise<void> };
  let db: PrismaClient;
  let store: typeof import("@/server/incidents/incident-store");
  let queue: typeof import("@/server/incidents/queue-query");
  let parse: typeof import("@/server/incidents/queue-filters").parseQueueFilters;

  async function put(tenantId: string, versions: ReturnType<typeof incident>[], client: PrismaClient = db) {
    const records = versions.map((v) => toIncidentRecord({ tenantId, incident: v, syncedAt: NOW }));
    return client.$transaction((tx) => store.storeIncidentRecords(tx, { tenantId, records, now: NOW }), { timeout: 60_000 });
  }

  /** The kept counts and a fresh count of the incidents, in one comparable shape. */
  async function keptAndCounted() {
    const kept = await db.incidentCount.findMany();
    const counted = await db.$queryRaw<{ tenant_id: string; severity: string; status: string; unassigned: boolean; n: bigint }[]>`
      SELECT tenant_id, severity, status, (assigned_to IS NULL OR assigned_to = '') AS unassigned, count(*) AS n FROM incident GROUP BY 1, 2, 3, 4`;
    const shape = (rows: { tenantId: string; severity: string; status: string; unassigned: boolean; n: bigint }[]) =>
      rows.map((r) => `${r.tenantId}|${r.severity}|${r.status}|${r.unassigned}|${r.n}`).sort();
    return {
      kept: shape(kept.map((k) => ({ ...k, n: k.incidents }))),
      counted: shape(counted.map((c) => ({ tenantId: c.tenant_id, severity: c.severity, status: c.status, unassigned: c.unassigned, n: BigInt(c.n) }))),
    };
  }
  async function expectExact() {
    const { kept, counted } = await keptAndCounted();
    expect(kept).toEqual(counted);
    return kept;
  }

  beforeAll(async () => {
    emulator = await startTestEmulator();
    env = await usePortalEnvironment(emulator, kind);
    vi.resetModules();
    db = await (await import("@/server/services")).getDb();
    store = await import("@/server/incidents/incident-store");
    queue = await import("@/server/incidents/queue-query");
    ({ parseQueueFilters: parse } = await import("@/server/incidents/queue-filters"));
    await db.tenant.createMany({
      data: [
        { id: A, displayName: "Tailspin Toys", requiredAccess: "read_write", status: "active", grantedRoles: [] },
        { id: B, displayName: "Litware Legal", requiredAccess: "read", status: "active", grantedRoles: [] },
      ],
    });
  });
  afterAll(async () => {
    await env?.cleanup();
    await emulator?.stop();
  });

  it("follow the sync's pages, newer versions, an update and a tenant's deletion exactly", async () => {
    const version = (id: number, round: number) =>
      incident(id, {
        severity: SEVERITIES[(id + round) % SEVERITIES.length]!,
        status: STATUSES[(id * 7 + round) % STATUSES.length]!,
        assignedTo: (id + round) % 3 === 0 ? null : `analyst${id % 2}@northwindcyber.onmicrosoft.com`,
        updated: new Date(NOW.getTime() - 3_600_000 + round * 60_000),
      });
    await put(
      A,
      Array.from({ length: 60 }, (_, i) => version(i + 1, 0)),
    );
    await put(
      B,
      Array.from({ length: 25 }, (_, i) => version(i + 1, 0)),
    );
    expect((await expectExact()).length).toBeGreaterThan(10);

    // A newer version of some (severity, status, assignee changed), an older one of others (ignored).
    await put(A, [
      ...Array.from({ length: 30 }, (_, i) => version(i + 1, 1)),
      ...Array.from({ length: 10 }, (_, i) => incident(40 + i, { severity: "high", status: "resolved", assignedTo: null, updated: new Date(0) })),
    ]);
    await expectExact();

    // An UPDATE outside the write path (as a service-level recomputation does) keeps them exact too.
    await db.incident.updateMany({ where: { tenantId: B, status: "active" }, data: { status: "resolved", assignedTo: null } });
    await db.incident.updateMany({ where: { tenantId: A }, data: { slaNextDueAt: NOW } }); // counted columns unchanged
    await expectExact();

    // Offboarding with deletion: the tenant's counts go with its incidents.
    await db.incident.deleteMany({ where: { tenantId: B } });
    const kept = await expectExact();
    expect(kept.some((k) => k.startsWith(B))).toBe(false);
    expect(await db.incidentCount.count({ where: { tenantId: B } })).toBe(0);
  });

  it("stay exact when two writers store the same tenant's incidents at the same time", async () => {
    const versions = (offset: number, round: number) =>
      Array.from({ length: 40 }, (_, i) =>
        incident(1000 + offset + i, {
          severity: SEVERITIES[(i + round) % 4]!,
          status: STATUSES[(i + round) % 3]!,
          assignedTo: (i + round) % 2 ? null : "zoe@northwindcyber.onmicrosoft.com",
          updated: new Date(NOW.getTime() + round * 60_000),
        }),
      );
    // Overlapping incidents in both batches, in opposite orders: the triggers' lock order must not deadlock.
    for (let round = 1; round <= 4; round++) {
      await Promise.all([put(A, versions(0, round * 2)), put(A, versions(20, round * 2 + 1).reverse())]);
    }
    await expectExact();
  });

  it("answer the summary of every common view with the numbers a count of the incidents gives", async () => {
    for (const query of [
      "",
      `tenant=${A}`,
      "severity=High&severity=Low",
      "status=Active",
      "assigned=unassigned",
      `tenant=${A}&status=Resolved&assigned=unassigned`,
    ]) {
      const filters = parse(new URLSearchParams(query));
      expect(queue.summaryFromKeptCounts(filters, NOW)).toBe(true);
      const fromCounts = await queue.summarizeQueue({ filters, staff, now: NOW });
      // The same filter with a condition the counts do not keep (every incident is older than 1 year: no narrowing).
      const counted = await queue.summarizeQueue({ filters: { ...filters, from: "2000-01-01" }, staff, now: NOW });
      expect(queue.summaryFromKeptCounts({ ...filters, from: "2000-01-01" }, NOW)).toBe(false);
      expect(fromCounts).toEqual(counted);
    }
    expect((await queue.summarizeQueue({ filters: parse({}), staff, now: NOW })).total).toBe(await db.incident.count());
    // Filters the counts do not keep are counted over the matching incidents.
    for (const query of ["q=incident", "indicator=ip:203.0.113.7", "classification=TruePositive", "sla=overdue", "assigned=me", "range=7d"]) {
      expect(queue.summaryFromKeptCounts(parse(new URLSearchParams(query)), NOW)).toBe(false);
    }
  });
});
