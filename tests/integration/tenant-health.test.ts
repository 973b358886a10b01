import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import { control, startTestEmulator } from "../support/test-emulator";
import { usePortalEnvironment } from "../support/portal-environment";

// Tenant health as README promises it: every Microsoft refusal maps to the status that names its
// fix, and the scheduled check re-verifies each tenant when its time comes (hours when healthy),
// never an offboarded one and never one not yet due.
const CONTOSO = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";
const FABRIKAM = "1c8e0b4f-32d5-4a7b-9f6e-8d2a4b0c3f72";
const WOODGROVE = "2d9f1c5a-43e6-4b8c-8a7f-9e3b5c1d4a83";
const TAILSPIN = "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94";
const LITWARE = "4f1b3e7c-65a8-4dae-8c9b-1a5d7e3f6ca5";
const GRAPH_ROLES = ["SecurityIncident.ReadWrite.All", "SecurityAlert.Read.All"];

type Refusal = { name: string; apply: (id: string) => Promise<unknown>; restore: (id: string) => Promise<unknown>; status: string; code: string };
const setStatus = (emulator: EmulatorHandle, id: string, body: Record<string, unknown>) => control(emulator, "POST", `/tenants/${id}/status`, body);

describe("tenant health", () => {
  let emulator: EmulatorHandle;
  let env: { cleanup: () => Promise<void> };
  let lifecycle: typeof import("@/server/tenants/tenant-lifecycle");
  let scheduler: typeof import("@/server/tenants/health-scheduler");
  let db: import("@/prisma/generated/client/client").PrismaClient;

  beforeAll(async () => {
    emulator = await startTestEmulator({ propagationDelayMs: 0 });
    env = await usePortalEnvironment(emulator);
    vi.resetModules();
    lifecycle = await import("@/server/tenants/tenant-lifecycle");
    scheduler = await import("@/server/tenants/health-scheduler");
    db = await (await import("@/server/services")).getDb();
    for (const [id, name] of [
      [CONTOSO, "Contoso Manufacturing"],
      [FABRIKAM, "Fabrikam Health"],
      [WOODGROVE, "Woodgrove Bank"],
      [TAILSPIN, "Tailspin Toys"],
      [LITWARE, "Litware"],
    ] as const) {
      await control(emulator, "POST", `/tenants/${id}/consent`, {});
      await db.tenant.create({
        data: { id, displayName: name, requiredAccess: "read_write", status: "active", grantedRoles: GRAPH_ROLES, incidentSource: "graph" },
      });
    }
  });
  afterAll(async () => {
    await env?.cleanup();
    await emulator?.stop();
  });

  const refusals: Refusal[] = [
    {
      name: "the enterprise app was deleted",
      apply: (id) => control(emulator, "POST", `/tenants/${id}/revoke`),
      restore: (id) => control(emulator, "POST", `/tenants/${id}/consent`, {}),
      status: "consent_revoked",
      code: "AADSTS7000229",
    },
    {
      name: "the app is unknown in the directory",
      apply: async (id) => {
        await setStatus(emulator, id, { missingServicePrincipalForm: "700016" });
        await control(emulator, "POST", `/tenants/${id}/revoke`);
      },
      restore: async (id) => {
        await setStatus(emulator, id, { missingServicePrincipalForm: "7000229" });
        await control(emulator, "POST", `/tenants/${id}/consent`, {});
      },
      status: "consent_revoked",
      code: "AADSTS700016",
    },
    {
      name: "consent is missing (Microsoft answers 65001)",
      apply: async (id) => {
        await control(emulator, "POST", "/settings", { propagationDelayMs: 3_600_000, propagationMode: "65001" });
        await control(emulator, "POST", `/tenants/${id}/consent`, { propagate: true }); // a consent Microsoft has not applied yet
      },
      restore: async (id) => {
        await control(emulator, "POST", "/settings", { propagationDelayMs: 0 });
        await control(emulator, "POST", `/tenants/${id}/consent`, {});
      },
      status: "consent_revoked",
      code: "AADSTS65001",
    },
    {
      name: "the tenant is not found",
      apply: (id) => setStatus(emulator, id, { notFound: true }),
      restore: (id) => setStatus(emulator, id, { notFound: false }),
      status: "unreachable",
      code: "AADSTS90002",
    },
    {
      name: "the app is disabled",
      apply: (id) => setStatus(emulator, id, { disabled: true }),
      restore: (id) => setStatus(emulator, id, { disabled: false }),
      status: "unreachable",
      code: "AADSTS7000112",
    },
    {
      name: "Conditional Access blocks the app",
      apply: (id) => setStatus(emulator, id, { blocked: true }),
      restore: (id) => setStatus(emulator, id, { blocked: false }),
      status: "unreachable",
      code: "AADSTS53003",
    },
  ];

  it.each(refusals.map((r) => [r.name, r] as const))(
    "%s: the check records the status, the code and an audit row; fixed, it is active again",
    async (_name, refusal) => {
      const system = { type: "system" as const, name: "test" };
      await refusal.apply(CONTOSO);
      try {
        const result = await lifecycle.verifyTenant({ tenantId: CONTOSO, actor: system });
        expect(result.status).toBe(refusal.status);
        const tenant = await db.tenant.findUniqueOrThrow({ where: { id: CONTOSO } });
        expect([tenant.status, tenant.lastErrorCode]).toEqual([refusal.status, refusal.code]);
        const audit = await db.auditEvent.findFirstOrThrow({ where: { tenantId: CONTOSO, action: "tenant.verified" }, orderBy: { id: "desc" } });
        expect(audit.reason).toContain(refusal.code);
      } finally {
        await refusal.restore(CONTOSO);
      }
      const again = await lifecycle.verifyTenant({ tenantId: CONTOSO, actor: system });
      expect(again.status).toBe("active");
      expect((await db.tenant.findUniqueOrThrow({ where: { id: CONTOSO } })).lastErrorCode).toBeNull();
    },
  );

  it("the scheduled check re-verifies tenants that are due, hours apart, and no others", { timeout: 60_000 }, async () => {
    const past = new Date(Date.now() - 60_000);
    const later = new Date(Date.now() + 3_600_000);
    await db.tenant.update({ where: { id: FABRIKAM }, data: { nextVerifyAt: past, lastVerifiedAt: null } });
    await db.tenant.update({ where: { id: WOODGROVE }, data: { nextVerifyAt: past } });
    await db.tenant.update({ where: { id: TAILSPIN }, data: { nextVerifyAt: later, lastVerifiedAt: null } });
    await db.tenant.update({ where: { id: LITWARE }, data: { status: "offboarded", nextVerifyAt: past, lastVerifiedAt: null } });
    await control(emulator, "POST", `/tenants/${WOODGROVE}/revoke`); // the customer removed the app since its last check
    const lastAuditBefore = (await db.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } }))?.id ?? BigInt(0);
    const running = scheduler.startHealthScheduler({ intervalMs: 100 });
    try {
      const checkedBySchedule = async () =>
        (
          await db.auditEvent.findMany({
            where: { action: "tenant.verified", actorName: "scheduled health check", id: { gt: lastAuditBefore } },
            select: { tenantId: true },
          })
        )
          .map((event) => event.tenantId)
          .sort();
      await expect.poll(checkedBySchedule, { timeout: 45_000, interval: 200 }).toEqual([FABRIKAM, WOODGROVE].sort());
    } finally {
      await running.stop();
    }
    const fabrikam = await db.tenant.findUniqueOrThrow({ where: { id: FABRIKAM } });
    expect(fabrikam.status).toBe("active");
    // Healthy: next check hours away (REVERIFY_AFTER_MS).
    expect(fabrikam.nextVerifyAt!.getTime() - Date.now()).toBeGreaterThan(lifecycle.REVERIFY_AFTER_MS - 120_000);
    const woodgrove = await db.tenant.findUniqueOrThrow({ where: { id: WOODGROVE } });
    expect([woodgrove.status, woodgrove.lastErrorCode]).toEqual(["consent_revoked", "AADSTS7000229"]);
    // A failed check comes back sooner than a healthy one.
    expect(woodgrove.nextVerifyAt!.getTime()).toBeLessThan(fabrikam.nextVerifyAt!.getTime());
    // Not due, or offboarded: left alone.
    expect((await db.tenant.findUniqueOrThrow({ where: { id: TAILSPIN } })).lastVerifiedAt).toBeNull();
    expect((await db.tenant.findUniqueOrThrow({ where: { id: LITWARE } })).lastVerifiedAt).toBeNull();
  });
});
