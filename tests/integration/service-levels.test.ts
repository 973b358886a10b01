import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/prisma/generated/client/client";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import type { StaffSession } from "@/server/auth/staff-session";
import { toIncidentRecord } from "@/server/incidents/incident-record";
import { graphIncidentFixture } from "../support/graph-incident-fixture";
import { startTestEmulator } from "../support/test-emulator";
import { usePortalEnvironment } from "../support/portal-environment";
import { testDatabaseKinds } from "../support/test-database";

const A = "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94";
const B = "4f1b3e7c-65a8-4dae-8c9b-1a5d7e3f6ca5";
const GONE = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";
const MIN = 60_000;
const NOT_RUNNING = "9999-12-31T00:00:00.000Z";
const admin: StaffSession = {
  oid: "oid-amelia",
  tenantId: "home",
  name: "Amelia Adams",
  username: "amelia.admin@northwindcyber.onmicrosoft.com",
  role: "Portal.Admin",
};

/** A Graph incident as the list answer carries it: only the fields service levels read vary. */
const graphIncident = graphIncidentFixture;

describe.each(testDatabaseKinds())("service levels on %s", (kind) => {
  let emulator: EmulatorHandle;
  let env: { cleanup: () => Promise<void> };
  let db: PrismaClient;
  let store: typeof import("@/server/incidents/incident-store");
  let queue: typeof import("@/server/incidents/queue-query");
  let policy: typeof import("@/server/service-levels/service-level-policy");
  let parse: typeof import("@/server/incidents/queue-filters").parseQueueFilters;
  // Whole minutes, so due times compare exactly.
  const NOW = new Date(Math.floor(Date.now() / MIN) * MIN);
  const ago = (minutes: number) => new Date(NOW.getTime() - minutes * MIN);

  async function put(tenantId: string, incident: ReturnType<typeof graphIncident>) {
    return db.$transaction((tx) => store.storeIncidentRecords(tx, { tenantId, records: [toIncidentRecord({ tenantId, incident, syncedAt: NOW })], now: NOW }));
  }
  async function row(tenantId: string, id: number) {
    return db.incident.findUniqueOrThrow({ where: { tenantId_incidentId: { tenantId, incidentId: BigInt(id) } } });
  }

  beforeAll(async () => {
    emulator = await startTestEmulator();
    env = await usePortalEnvironment(emulator, kind);
    vi.resetModules();
    db = await (await import("@/server/services")).getDb();
    store = await import("@/server/incidents/incident-store");
    queue = await import("@/server/incidents/queue-query");
    policy = await import("@/server/service-levels/service-level-policy");
    ({ parseQueueFilters: parse } = await import("@/server/incidents/queue-filters"));
    await db.tenant.createMany({
      data: [
        { id: A, displayName: "Tailspin Toys", requiredAccess: "read", status: "active", grantedRoles: ["SecurityIncident.Read.All"] },
        { id: B, displayName: "Litware Legal", requiredAccess: "read", status: "active", grantedRoles: ["SecurityIncident.Read.All"] },
        { id: GONE, displayName: "Contoso (gone)", requiredAccess: "read", status: "offboarded", grantedRoles: [] },
      ],
    });
  });
  afterAll(async () => {
    await env?.cleanup();
    await emulator?.stop();
  });

  it("each new version moves the facts: assignment acknowledges, awaiting the customer pauses, resolving stops the clock", async () => {
    const created = ago(300);
    const first = await put(A, graphIncident(1, { severity: "high", status: "active", created, updated: created }));
    expect(first.changes).toHaveLength(1);
    expect(first.changes[0]).toMatchObject({
      before: null,
      after: { status: "Active", severity: "High", slaNextDueAt: new Date(created.getTime() + 15 * MIN) },
    });
    expect((await row(A, 1)).slaNextDueAt).toEqual(new Date(created.getTime() + 15 * MIN));

    const assigned = await put(A, graphIncident(1, { severity: "high", status: "active", created, updated: ago(290), assignedTo: "zoe@northwind.example" }));
    expect(assigned.changes[0]!.before).toMatchObject({ assignedTo: null, status: "Active" });
    expect(await row(A, 1)).toMatchObject({ acknowledgedAt: ago(290), acknowledgedBy: "zoe@northwind.example", acknowledgedHow: "assigned", firstSeenAt: NOW });
    // Acknowledged: the resolution clock (4 hours) is what runs now.
    expect((await row(A, 1)).slaNextDueAt).toEqual(new Date(created.getTime() + 240 * MIN));

    // An older version (a page fetched before) changes nothing and reports no change.
    const stale = await put(A, graphIncident(1, { severity: "high", status: "active", created, updated: ago(295) }));
    expect(stale).toMatchObject({ stored: 0, changes: [] });
    expect((await row(A, 1)).acknowledgedBy).toBe("zoe@northwind.example");

    await put(A, graphIncident(1, { severity: "high", status: "awaitingAction", created, updated: ago(280), assignedTo: "zoe@northwind.example" }));
    expect((await row(A, 1)).slaNextDueAt.toISOString()).toBe(NOT_RUNNING);
    expect((await row(A, 1)).slaPauses).toEqual([{ from: ago(280).toISOString(), to: null }]);

    await put(A, graphIncident(1, { severity: "high", status: "inProgress", created, updated: ago(220), assignedTo: "zoe@northwind.example" }));
    // Paused for 60 minutes: due an hour later than without the pause.
    expect((await row(A, 1)).slaNextDueAt).toEqual(new Date(created.getTime() + 300 * MIN));

    await put(A, graphIncident(1, { severity: "high", status: "resolved", created, updated: ago(10), assignedTo: "zoe@northwind.example" }));
    const resolved = await row(A, 1);
    expect(resolved).toMatchObject({ resolvedAt: ago(10), acknowledgedAt: ago(290) });
    expect(resolved.slaNextDueAt.toISOString()).toBe(NOT_RUNNING);

    const reopened = await put(A, graphIncident(1, { severity: "high", status: "active", created, updated: ago(5), assignedTo: "zoe@northwind.example" }));
    expect(reopened.changes[0]!.before!.status).toBe("Resolved");
    expect(await row(A, 1)).toMatchObject({ resolvedAt: null, acknowledgedAt: ago(290), firstSeenAt: NOW });
  });

  describe("the queue", () => {
    beforeAll(async () => {
      // B: 10 overdue (High, 30 min old), 11 due within the hour (Medium, 30 min old), 12 later (Low, new),
      // 13 closed, 14 awaiting the customer, 15 acknowledged High (resolve due in 3.5 h).
      await put(B, graphIncident(10, { severity: "high", status: "active", created: ago(30), updated: ago(30) }));
      await put(B, graphIncident(11, { severity: "medium", status: "active", created: ago(30), updated: ago(30) }));
      await put(B, graphIncident(12, { severity: "low", status: "active", created: ago(1), updated: ago(1) }));
      await put(B, graphIncident(13, { severity: "high", status: "resolved", created: ago(60), updated: ago(50) }));
      await put(B, graphIncident(14, { severity: "high", status: "awaitingAction", created: ago(60), updated: ago(50) }));
      await put(B, graphIncident(15, { severity: "high", status: "active", created: ago(30), updated: ago(25), comments: [{ at: ago(28), by: "Arjun" }] }));
    });
    const ids = async (query: string, pageSize = 50) =>
      (await queue.listQueueIncidents({ filters: parse(new URLSearchParams(`tenant=${B}&${query}`)), staff: admin, pageSize, now: NOW })).rows.map((r) =>
        Number(r.incidentId),
      );

    it("sorts by next due, soonest first, clocks that do not run last; the filters take overdue or due within the hour", async () => {
      const order = await ids("sort=due");
      expect(order.slice(0, 4)).toEqual([10, 11, 15, 12]);
      expect(new Set(order.slice(4))).toEqual(new Set([13, 14]));
      expect((await ids("sort=due&dir=desc")).slice(-4)).toEqual([12, 15, 11, 10]);
      expect(await ids("sla=overdue")).toEqual([10]);
      expect(await ids("sla=due_soon&sort=due")).toEqual([11]);
    });

    it("pages through the due order by cursor without losing or repeating a row", async () => {
      const all = await ids("sort=due");
      const seen: number[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i++) {
        const page: Awaited<ReturnType<typeof queue.listQueueIncidents>> = await queue.listQueueIncidents({
          filters: parse(new URLSearchParams(`tenant=${B}&sort=due`)),
          staff: admin,
          pageSize: 2,
          now: NOW,
          cursor: after ? { after } : undefined,
        });
        seen.push(...page.rows.map((r) => Number(r.incidentId)));
        if (!page.nextCursor) break;
        after = page.nextCursor;
      }
      expect(seen).toEqual(all);
    });

    it("each row carries what its SLA cell shows", async () => {
      const rows = (await queue.listQueueIncidents({ filters: parse(new URLSearchParams(`tenant=${B}&sort=due`)), staff: admin, now: NOW })).rows;
      const { serviceLevelCell } = await import("@/lib/service-levels");
      const band = Object.fromEntries(rows.map((r) => [r.incidentId, serviceLevelCell(r.serviceLevel, NOW).band]));
      expect(band).toEqual({ "10": "overdue", "11": "due_soon", "12": "ok", "13": "met", "14": "paused", "15": "ok" });
    });
  });

  describe("changing a policy", () => {
    it("recomputes the open incidents' due times, leaves closed ones alone, and is audited with before and after", async () => {
      const closedBefore = await row(B, 13);
      const { recomputed } = await policy.saveServiceLevelPolicy({
        staff: admin,
        scope: "default",
        targets: { High: { acknowledgeMinutes: 60 } },
        businessHours: null,
        ipAddress: "192.0.2.7",
      });
      // Open incidents of A and B (1 was reopened; 10, 11, 12, 14, 15).
      expect(recomputed).toBe(6);
      expect((await row(B, 10)).slaNextDueAt).toEqual(new Date(ago(30).getTime() + 60 * MIN));
      expect(await row(B, 13)).toEqual(closedBefore);
      const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "service_level.policy_changed" }, orderBy: { id: "desc" } });
      expect(audit).toMatchObject({ actorName: "Amelia Adams", outcome: "success", targetId: "default", tenantId: null, ipAddress: "192.0.2.7" });
      expect(audit.details).toMatchObject({ before: "(none)", after: "High ack 60", recomputed: 6 });
      expect(await ids2("sla=overdue")).toEqual([]);
    });

    it("a customer's exceptions and hours change only that customer's clocks; removing them goes back to the default", async () => {
      const aBefore = (await row(A, 1)).slaNextDueAt;
      const { recomputed } = await policy.saveServiceLevelPolicy({
        staff: admin,
        scope: B,
        targets: { Medium: { acknowledgeMinutes: 10 } },
        businessHours: null,
        ipAddress: null,
      });
      expect(recomputed).toBe(5);
      expect((await row(B, 11)).slaNextDueAt).toEqual(new Date(ago(30).getTime() + 10 * MIN));
      expect((await row(A, 1)).slaNextDueAt).toEqual(aBefore);
      const view = await policy.getTenantServiceLevelPolicy(B);
      expect(view).toMatchObject({ tenantName: "Litware Legal", own: { Medium: { acknowledgeMinutes: 10 } }, updatedByName: "Amelia Adams" });
      expect(view!.effective.Medium.acknowledgeMinutes).toBe(10);
      expect(view!.effective.High.acknowledgeMinutes).toBe(60);

      await policy.saveServiceLevelPolicy({ staff: admin, scope: B, targets: {}, businessHours: null, ipAddress: null });
      expect(await db.serviceLevelPolicyRecord.findUnique({ where: { scope: B } })).toBeNull();
      expect((await row(B, 11)).slaNextDueAt).toEqual(new Date(ago(30).getTime() + 60 * MIN));
    });

    it("refuses an offboarded or unknown customer and a policy that cannot be used, storing nothing", async () => {
      await expect(policy.saveServiceLevelPolicy({ staff: admin, scope: GONE, targets: {}, businessHours: null, ipAddress: null })).rejects.toMatchObject({
        name: "ServiceLevelScopeUnknown",
      });
      await expect(
        policy.saveServiceLevelPolicy({ staff: admin, scope: "default", targets: { Low: { resolveMinutes: -5 } }, businessHours: null, ipAddress: null }),
      ).rejects.toThrow(/Low.resolveMinutes/);
      expect(await db.serviceLevelPolicyRecord.findMany({ where: { scope: { in: [GONE] } } })).toEqual([]);
      expect((await db.serviceLevelPolicyRecord.findUniqueOrThrow({ where: { scope: "default" } })).targets).toEqual({ High: { acknowledgeMinutes: 60 } });
    });
  });

  const ids2 = async (query: string) =>
    (await queue.listQueueIncidents({ filters: parse(new URLSearchParams(query)), staff: admin, now: NOW })).rows.map((r) => `${r.tenantId}:${r.incidentId}`);
});
