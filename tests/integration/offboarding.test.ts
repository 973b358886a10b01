import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import type { StaffSession } from "@/server/auth/staff-session";
import { control, startTestEmulator } from "../support/test-emulator";
import { usePortalEnvironment } from "../support/portal-environment";
import { testDatabaseKinds } from "../support/test-database";

// Offboarding as README promises it: "delete" removes the tenant's incidents, entities, sync state
// and issues; "keep" keeps them read-only; either way no further call to Microsoft for the tenant.
// Onboarding again afterwards syncs at once: a deleted tenant backfills, a kept one continues.
const CONTOSO = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";
const FABRIKAM = "1c8e0b4f-32d5-4a7b-9f6e-8d2a4b0c3f72";
const GRAPH_ROLES = ["SecurityIncident.ReadWrite.All", "SecurityAlert.Read.All"];
const NAMES: Record<string, string> = { [CONTOSO]: "Contoso Manufacturing", [FABRIKAM]: "Fabrikam Health" };

const admin: StaffSession = {
  oid: "a1f4c2d8-3b5e-4c7a-9d1f-2e6b8a0c4d11",
  tenantId: "6f1d2c3b-8a4e-4b7d-9c21-0d5e7a9b3f10",
  name: "Amelia Adams",
  username: "amelia.admin@northwindcyber.onmicrosoft.com",
  role: "Portal.Admin",
};

type Metrics = { apiCalls: Record<string, Record<string, number>>; tokenRequests: Record<string, Record<string, number>> };

describe.each(testDatabaseKinds())("offboarding and onboarding again (%s)", (kind) => {
  let emulator: EmulatorHandle;
  let env: { cleanup: () => Promise<void> };
  let lifecycle: typeof import("@/server/tenants/tenant-lifecycle");
  let engineModule: typeof import("@/server/incidents/sync-engine");
  let db: import("@/prisma/generated/client/client").PrismaClient;

  const syncRound = async () => {
    const engine = engineModule.startSyncEngine({ loop: false, pollIntervalMs: 0, ownerId: `offboarding-${kind}` });
    try {
      await engine.runOnce();
    } finally {
      await engine.stop();
    }
  };
  const truthCount = async (tenantId: string) => (await control<unknown[]>(emulator, "GET", `/tenants/${tenantId}/incidents`)).length;
  const storedCounts = async (tenantId: string) => ({
    incidents: await db.incident.count({ where: { tenantId } }),
    entities: await db.incidentEntity.count({ where: { tenantId } }),
    syncStates: await db.tenantSyncState.count({ where: { tenantId } }),
  });

  beforeAll(async () => {
    emulator = await startTestEmulator({ incidentCounts: { [CONTOSO]: 80, [FABRIKAM]: 60 } });
    env = await usePortalEnvironment(emulator, kind);
    vi.resetModules();
    lifecycle = await import("@/server/tenants/tenant-lifecycle");
    engineModule = await import("@/server/incidents/sync-engine");
    db = await (await import("@/server/services")).getDb();
    for (const id of [CONTOSO, FABRIKAM]) {
      await control(emulator, "POST", `/tenants/${id}/consent`, {});
      await db.tenant.create({
        data: { id, displayName: NAMES[id]!, requiredAccess: "read_write", status: "active", grantedRoles: GRAPH_ROLES, incidentSource: "graph" },
      });
    }
    await syncRound();
  });
  afterAll(async () => {
    await env?.cleanup();
    await emulator?.stop();
  });

  it("deletes or keeps the stored data as chosen, audits it, and calls Microsoft no more for either", { timeout: 120_000 }, async () => {
    expect((await storedCounts(CONTOSO)).incidents).toBe(await truthCount(CONTOSO));
    const fabrikamBefore = await storedCounts(FABRIKAM);
    expect(fabrikamBefore.incidents).toBe(await truthCount(FABRIKAM));
    expect(fabrikamBefore.entities).toBeGreaterThan(0);

    for (const scope of [CONTOSO, FABRIKAM]) await db.serviceLevelPolicyRecord.create({ data: { scope, targets: { High: { acknowledgeMinutes: 30 } } } });
    expect(await lifecycle.offboardTenant({ staff: admin, input: { tenantId: CONTOSO, dataChoice: "delete", confirmName: NAMES[CONTOSO]! } })).toEqual({
      deletedIncidents: await truthCount(CONTOSO),
    });
    expect(await lifecycle.offboardTenant({ staff: admin, input: { tenantId: FABRIKAM, dataChoice: "keep", confirmName: NAMES[FABRIKAM]! } })).toEqual({
      deletedIncidents: 0,
    });
    expect(await storedCounts(CONTOSO)).toEqual({ incidents: 0, entities: 0, syncStates: 0 });
    expect(await db.syncIssue.count({ where: { tenantId: CONTOSO } })).toBe(0);
    // Service-level exceptions go with the deleted data and stay with the kept.
    expect((await db.serviceLevelPolicyRecord.findMany({ select: { scope: true } })).map((r) => r.scope)).toEqual([FABRIKAM]);
    expect(await storedCounts(FABRIKAM)).toEqual(fabrikamBefore);
    for (const id of [CONTOSO, FABRIKAM]) expect((await db.tenant.findUniqueOrThrow({ where: { id } })).status).toBe("offboarded");
    const audits = await db.auditEvent.findMany({ where: { action: "tenant.offboarded" }, orderBy: { id: "asc" }, select: { tenantId: true, reason: true } });
    expect(audits).toEqual([
      { tenantId: CONTOSO, reason: `stored data deleted (${await truthCount(CONTOSO)} incidents)` },
      { tenantId: FABRIKAM, reason: "stored data kept" },
    ]);

    // New incidents at Microsoft, a sync round: nothing is asked of Microsoft for these tenants.
    await control(emulator, "POST", `/tenants/${FABRIKAM}/incidents`, { count: 3 });
    await control(emulator, "DELETE", "/metrics");
    await syncRound();
    const metrics = await control<Metrics>(emulator, "GET", "/metrics");
    for (const id of [CONTOSO, FABRIKAM]) {
      expect(metrics.apiCalls[id], id).toBeUndefined();
      expect(metrics.tokenRequests[id], id).toBeUndefined();
    }
    expect((await storedCounts(FABRIKAM)).incidents).toBe(fabrikamBefore.incidents);
  });

  it("onboarded again, a deleted tenant backfills and a kept one continues from its cursor, at once", { timeout: 120_000 }, async () => {
    const keptBefore = await db.tenantSyncState.findUniqueOrThrow({ where: { tenantId: FABRIKAM } });
    // The kept tenant's next run was far off (as after failures and their backoff).
    await db.tenantSyncState.update({ where: { tenantId: FABRIKAM }, data: { nextRunAt: new Date(Date.now() + 6 * 3_600_000), consecutiveFailures: 5 } });
    const at = new Date();
    await db.$transaction(async (tx) => {
      for (const id of [CONTOSO, FABRIKAM]) {
        const recorded = await lifecycle.recordConsentedTenant(tx, {
          tenantId: id,
          displayName: NAMES[id]!,
          requiredAccess: "read_write",
          check: { status: "active", source: "graph", graphRoles: GRAPH_ROLES, legacyRoles: [], tokenTenantId: id },
          consentedBy: { consentedByName: "Customer Admin", consentedByUpn: null, consentedByOid: null, verifiedDomain: null },
          onboardedBy: { id: admin.oid, name: admin.name },
          tenantNamed: true,
          at,
        });
        expect(recorded).toEqual({ kind: "recorded", reconsent: true, pending: false });
      }
    });
    const fabrikamState = await db.tenantSyncState.findUniqueOrThrow({ where: { tenantId: FABRIKAM } });
    expect([fabrikamState.nextRunAt.getTime() <= Date.now(), fabrikamState.consecutiveFailures]).toEqual([true, 0]);

    await control(emulator, "DELETE", "/metrics");
    await syncRound();
    for (const id of [CONTOSO, FABRIKAM]) {
      expect((await db.tenant.findUniqueOrThrow({ where: { id } })).status).toBe("active");
      expect((await storedCounts(id)).incidents, id).toBe(await truthCount(id));
    }
    const metrics = await control<Metrics>(emulator, "GET", "/metrics");
    // Contoso read everything again (two pages of 50); Fabrikam only what changed since its cursor (one page).
    expect(metrics.apiCalls[CONTOSO]?.["graph.list"]).toBeGreaterThanOrEqual(2);
    expect(metrics.apiCalls[FABRIKAM]?.["graph.list"]).toBe(1);
    expect((await db.tenantSyncState.findUniqueOrThrow({ where: { tenantId: FABRIKAM } })).cursor!.getTime()).toBeGreaterThan(keptBefore.cursor!.getTime());
  });
});
