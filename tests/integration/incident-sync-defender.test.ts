// The legacy Defender XDR API adapter's contract, and the move of an onboarded customer from it
// to Microsoft Graph: a tenant that consented before the portal used Graph keeps syncing through
// the old API, shows that it needs a new consent, and after re-consent continues through Graph
// from its stored cursor, with no duplicate rows and its history intact.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/prisma/generated/client/client";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import type { StaffSession } from "@/server/auth/staff-session";
import { control, startTestEmulator } from "../support/test-emulator";
import { usePortalEnvironment } from "../support/portal-environment";
import { testDatabaseKinds } from "../support/test-database";

const ADATUM = "5a2c4f8d-76b9-4ebf-9dac-2b6e8f4a7db6";
const noHealth = { tokenFailure: async () => undefined, apiForbidden: async () => undefined };
const analyst: StaffSession = {
  oid: "b2e5d3c9-4c6f-4d8b-8e2a-3f7c9b1d5e22",
  tenantId: "6f1d2c3b-8a4e-4b7d-9c21-0d5e7a9b3f10",
  name: "Arjun Patel",
  username: "arjun.analyst@northwindcyber.onmicrosoft.com",
  role: "Portal.Analyst",
};

type TruthIncident = { incidentId: number; lastUpdateTime: string; assignedTo: string | null };
type Metrics = { apiCalls: Record<string, Record<string, number>>; tokenRequestsByResource?: Record<string, Record<string, number>> };
const key = (id: number | bigint, time: string | Date) => `${id}@${new Date(time).toISOString()}`;

// Both list orders: sorted (the Defender API's pages by last update, so the pass pages by keyset), and
// shuffled (Microsoft documents no order: the pass notices and falls back to $skip, sync-tenant.ts).
const CASES = testDatabaseKinds().flatMap((kind) => (["sorted", "shuffled"] as const).map((order) => [kind, order] as const));

describe.each(CASES)("a customer on the Defender XDR API moving to Microsoft Graph (%s, %s list order)", (kind, order) => {
  let emulator: EmulatorHandle;
  let env: { cleanup: () => Promise<void> };
  let db: PrismaClient;
  let engineModule: typeof import("@/server/incidents/sync-engine");
  let directory: typeof import("@/server/tenants/tenant-directory");
  let lifecycle: typeof import("@/server/tenants/tenant-lifecycle");
  let apply: typeof import("@/server/incidents/update-incident-apply").applyIncidentUpdate;

  const truth = async () =>
    (await control<TruthIncident[]>(emulator, "GET", `/tenants/${ADATUM}/incidents`)).map((i) => key(i.incidentId, i.lastUpdateTime)).sort();
  const stored = async () =>
    (await db.incident.findMany({ where: { tenantId: ADATUM }, select: { incidentId: true, lastUpdateTime: true } }))
      .map((r) => key(r.incidentId, r.lastUpdateTime))
      .sort();
  const calls = async () => (await control<Metrics>(emulator, "GET", "/metrics")).apiCalls[ADATUM] ?? {};
  const runOnce = async () => {
    // The engine with its production choice of API per tenant (configuration and the tenant row).
    const engine = engineModule.startSyncEngine({ prisma: db, health: noHealth, loop: false, pollIntervalMs: 0 });
    try {
      await engine.runOnce();
    } finally {
      await engine.stop();
    }
  };

  beforeAll(async () => {
    // Adatum consented long ago, when the app registration listed only the Defender API's permissions.
    emulator = await startTestEmulator({ propagationDelayMs: 0, legacyConsent: [ADATUM], incidentCounts: { [ADATUM]: 140 }, listOrder: order });
    env = await usePortalEnvironment(emulator, kind);
    vi.resetModules();
    db = await (await import("@/server/services")).getDb();
    engineModule = await import("@/server/incidents/sync-engine");
    directory = await import("@/server/tenants/tenant-directory");
    lifecycle = await import("@/server/tenants/tenant-lifecycle");
    ({ applyIncidentUpdate: apply } = await import("@/server/incidents/update-incident-apply"));
    // As the upgrade's migration leaves a tenant onboarded before Graph.
    await db.tenant.create({
      data: {
        id: ADATUM,
        displayName: "Adatum Energy",
        requiredAccess: "read_write",
        status: "active",
        grantedRoles: [],
        legacyRoles: ["Incident.Read.All", "Incident.ReadWrite.All"],
        incidentSource: "defender",
      },
    });
  });
  afterAll(async () => {
    await env?.cleanup();
    await emulator?.stop();
  });

  it("is shown as needing re-consent for Graph and keeps syncing through the old API", async () => {
    const { status } = await lifecycle.verifyTenant({ tenantId: ADATUM, actor: { type: "system", name: "test" } });
    expect(status).toBe("graph_consent_needed");
    const tenant = await directory.getTenant({ tenantId: ADATUM });
    expect(tenant).toMatchObject({ source: "defender", canUpdate: true, legacyRoles: ["Incident.Read.All", "Incident.ReadWrite.All"], grantedRoles: [] });
    expect(await directory.getIncidentSourceSummary()).toMatchObject({ mode: "graph", onOldApi: 1 });

    await control(emulator, "DELETE", "/metrics");
    await runOnce();
    // The legacy adapter: $top=100 pages of the Defender API, stored as Defender records.
    expect(await stored()).toEqual(await truth());
    expect(await calls()).toEqual({ list: 2 });
    expect(await db.incident.count({ where: { tenantId: ADATUM, source: "defender" } })).toBe(140);
  });

  it("writes through the old API while it is the tenant's source", async () => {
    const [first] = await control<TruthIncident[]>(emulator, "GET", `/tenants/${ADATUM}/incidents`);
    await control(emulator, "DELETE", "/metrics");
    const outcome = await apply({
      staff: analyst,
      tenantId: ADATUM,
      incidentId: String(first!.incidentId),
      change: { op: "assign", assignedTo: "me" },
      ipAddress: null,
    });
    expect(outcome).toMatchObject({ kind: "updated", snapshot: { assignedTo: analyst.username } });
    expect(await calls()).toEqual({ get: 1, patch: 1 });
  });

  it("after re-consent moves to Graph on its own, from its stored cursor, without duplicates or lost history", async () => {
    const before = await db.incident.count({ where: { tenantId: ADATUM } });
    const audited = await db.auditEvent.count({ where: { tenantId: ADATUM } });
    const [first] = await control<TruthIncident[]>(emulator, "GET", `/tenants/${ADATUM}/incidents`);
    // The history made on the old API: the analyst's update in the audit trail, and the portal's own
    // service-level facts of that incident (first seen, acknowledged by the assignment).
    const earlierUpdate = await db.auditEvent.findFirstOrThrow({ where: { tenantId: ADATUM, action: "incident.update" }, orderBy: { id: "asc" } });
    const portalOnly = { firstSeenAt: true, acknowledgedAt: true, acknowledgedBy: true, acknowledgedHow: true, resolvedAt: true, slaPauses: true } as const;
    const firstKey = { tenantId_incidentId: { tenantId: ADATUM, incidentId: BigInt(first!.incidentId) } };
    const factsBefore = await db.incident.findUniqueOrThrow({ where: firstKey, select: portalOnly });
    expect(factsBefore.firstSeenAt).not.toBeNull();
    expect(factsBefore.acknowledgedAt).not.toBeNull();
    // The customer's admin consents again: Microsoft now grants Graph's permissions too.
    await control(emulator, "POST", `/tenants/${ADATUM}/consent`, {});
    const { status } = await lifecycle.verifyTenant({ tenantId: ADATUM, actor: { type: "system", name: "test" } });
    expect(status).toBe("active");
    expect((await directory.getTenant({ tenantId: ADATUM }))?.source).toBe("graph");
    expect((await directory.getIncidentSourceSummary()).onOldApi).toBe(0);

    await control(emulator, "POST", `/tenants/${ADATUM}/incidents`, { count: 3 });
    await control(emulator, "DELETE", "/metrics");
    await runOnce();
    const metrics = await calls();
    if (order === "sorted") {
      // Graph only, and no re-backfill: the pass starts at the cursor minus the overlap (one page).
      expect(metrics).toEqual({ "graph.list": 1 });
    } else {
      // Graph only. From unordered pages the old API's pass moved its cursor only once no record had
      // changed during it (sync-tenant.ts), so Graph may start earlier and read more pages.
      expect(Object.keys(metrics)).toEqual(["graph.list"]);
    }
    expect(await stored()).toEqual(await truth());
    expect(await db.incident.count({ where: { tenantId: ADATUM } })).toBe(before + 3);
    // History kept: the earlier assignment, the audit trail.
    const row = await db.incident.findUniqueOrThrow({ where: { tenantId_incidentId: { tenantId: ADATUM, incidentId: BigInt(first!.incidentId) } } });
    expect(row.assignedTo).toBe(analyst.username);
    expect(await db.auditEvent.count({ where: { tenantId: ADATUM } })).toBeGreaterThan(audited);
    expect(await db.auditEvent.findUniqueOrThrow({ where: { id: earlierUpdate.id } })).toEqual(earlierUpdate);
    // The Graph pass re-read that incident (its change is inside the overlap) and kept the portal's facts.
    expect((await db.incident.findUniqueOrThrow({ where: firstKey })).source).toBe("graph");
    expect(await db.incident.findUniqueOrThrow({ where: firstKey, select: portalOnly })).toEqual(factsBefore);
    // New records come from Graph.
    expect(await db.incident.count({ where: { tenantId: ADATUM, source: "graph" } })).toBeGreaterThanOrEqual(3);
  });
});
