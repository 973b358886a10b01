import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/prisma/generated/client/client";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import type { StaffSession } from "@/server/auth/staff-session";
import { parseGraphIncident } from "@/server/microsoft/graph-incident";
import { control, startTestEmulator } from "../support/test-emulator";
import { usePortalEnvironment } from "../support/portal-environment";

const TAILSPIN = "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94";
const LITWARE = "4f1b3e7c-65a8-4dae-8c9b-1a5d7e3f6ca5";
const analyst: StaffSession = {
  oid: "b2e5d3c9-4c6f-4d8b-8e2a-3f7c9b1d5e22",
  tenantId: "6f1d2c3b-8a4e-4b7d-9c21-0d5e7a9b3f10",
  name: "Arjun Patel",
  username: "arjun.analyst@northwindcyber.onmicrosoft.com",
  role: "Portal.Analyst",
};

type Truth = {
  incidentId: number;
  status: string;
  assignedTo: string | null;
  lastUpdateTime: string;
  comments: { comment: string }[];
  classification: string;
  determination: string;
};

// Updates go to the emulator's Microsoft Graph (PATCH, comments), then straight into the store.
describe("incident updates through Microsoft Graph", () => {
  let emulator: EmulatorHandle;
  let env: { cleanup: () => Promise<void> };
  let db: PrismaClient;
  let apply: typeof import("@/server/incidents/update-incident-apply").applyIncidentUpdate;
  let storeIncidentNow: typeof import("@/server/incidents/incident-store").storeIncidentNow;
  let target: Truth;

  const truthOf = async (tenantId: string, id: number) =>
    (await control<Truth[]>(emulator, "GET", `/tenants/${tenantId}/incidents`)).find((i) => i.incidentId === id)!;
  const storedOf = (tenantId: string, id: number) => db.incident.findUniqueOrThrow({ where: { tenantId_incidentId: { tenantId, incidentId: BigInt(id) } } });

  beforeAll(async () => {
    emulator = await startTestEmulator({ propagationDelayMs: 0 });
    env = await usePortalEnvironment(emulator);
    vi.resetModules();
    db = await (await import("@/server/services")).getDb();
    ({ applyIncidentUpdate: apply } = await import("@/server/incidents/update-incident-apply"));
    ({ storeIncidentNow } = await import("@/server/incidents/incident-store"));
    await control(emulator, "POST", `/tenants/${TAILSPIN}/consent`, {});
    await control(emulator, "POST", `/tenants/${LITWARE}/consent`, { roles: ["SecurityIncident.Read.All", "SecurityAlert.Read.All"] });
    await db.tenant.createMany({
      data: [
        {
          id: TAILSPIN,
          displayName: "Tailspin Toys",
          requiredAccess: "read_write",
          status: "active",
          grantedRoles: ["SecurityIncident.ReadWrite.All", "SecurityAlert.Read.All"],
          incidentSource: "graph",
        },
        {
          id: LITWARE,
          displayName: "Litware Legal",
          requiredAccess: "read",
          status: "active",
          grantedRoles: ["SecurityIncident.Read.All", "SecurityAlert.Read.All"],
          incidentSource: "graph",
        },
      ],
    });
    for (const tenantId of [TAILSPIN, LITWARE]) {
      const truth = await control<unknown[]>(emulator, "GET", `/tenants/${tenantId}/incidents?view=graph`);
      for (const record of truth.slice(0, 5)) {
        const parsed = parseGraphIncident(record);
        if (parsed.ok) await storeIncidentNow(db, { tenantId, incident: parsed.incident, now: new Date() });
      }
    }
    const first = (await control<Truth[]>(emulator, "GET", `/tenants/${TAILSPIN}/incidents`))[0]!;
    target = first;
  });
  afterAll(async () => {
    await env?.cleanup();
    await emulator?.stop();
  });

  it("assigns to me in Microsoft Defender (through Graph), updates the store at once and audits the change", async () => {
    const outcome = await apply({
      staff: analyst,
      tenantId: TAILSPIN,
      incidentId: String(target.incidentId),
      change: { op: "assign", assignedTo: "me" },
      ipAddress: "127.0.0.1",
    });
    expect(outcome).toMatchObject({ kind: "updated", snapshot: { assignedTo: analyst.username } });
    expect((await truthOf(TAILSPIN, target.incidentId)).assignedTo).toBe(analyst.username);
    const row = await storedOf(TAILSPIN, target.incidentId);
    expect(row.assignedTo).toBe(analyst.username);
    expect(row.lastUpdateTime.toISOString()).toBe(outcome.kind === "updated" ? outcome.snapshot.lastUpdateTime : "");
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "incident.update", targetId: String(target.incidentId) }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ outcome: "success", tenantId: TAILSPIN, actorName: "Arjun Patel" });
    expect(audit.details).toMatchObject({ operation: "assign", assignedTo: `${target.assignedTo ?? "none"} → ${analyst.username}` });
  });

  it("classifies and comments", async () => {
    const id = String(target.incidentId);
    expect(
      (
        await apply({
          staff: analyst,
          tenantId: TAILSPIN,
          incidentId: id,
          change: { op: "classify", classification: "TruePositive", determination: "Phishing" },
          ipAddress: null,
        })
      ).kind,
    ).toBe("updated");
    expect(
      (
        await apply({
          staff: analyst,
          tenantId: TAILSPIN,
          incidentId: id,
          change: { op: "comment", comment: "Checked with the customer <b>today</b>" },
          ipAddress: null,
        })
      ).kind,
    ).toBe("updated");
    const truth = await truthOf(TAILSPIN, target.incidentId);
    expect(truth).toMatchObject({ classification: "TruePositive", determination: "Phishing" });
    expect(truth.comments.at(-1)?.comment).toBe("Checked with the customer <b>today</b>");
    expect((await storedOf(TAILSPIN, target.incidentId)).commentCount).toBe(truth.comments.length);
    // A determination Graph does not pair with the classification is refused before anything is sent.
    const refused = await apply({
      staff: analyst,
      tenantId: TAILSPIN,
      incidentId: id,
      change: { op: "classify", classification: "FalsePositive", determination: "Clean" },
      ipAddress: null,
    });
    expect(refused).toMatchObject({ kind: "failed", message: expect.stringMatching(/Microsoft Graph does not accept/) });
    // Only Graph was called: no call reached the Defender API.
    const metrics = await control<{ apiCalls: Record<string, Record<string, number>> }>(emulator, "GET", "/metrics");
    expect(Object.keys(metrics.apiCalls[TAILSPIN] ?? {}).every((route) => route.startsWith("graph."))).toBe(true);
  });

  it("does not overwrite a change made in Defender meanwhile: shows it and asks again", async () => {
    const id = target.incidentId;
    await control(emulator, "PATCH", `/tenants/${TAILSPIN}/incidents/${id}`, { status: "Resolved", assignedTo: "someone.else@tailspintoys.onmicrosoft.com" });
    const conflict = await apply({
      staff: analyst,
      tenantId: TAILSPIN,
      incidentId: String(id),
      change: { op: "status", status: "InProgress" },
      ipAddress: null,
    });
    expect(conflict).toMatchObject({ kind: "conflict", snapshot: { status: "Resolved", assignedTo: "someone.else@tailspintoys.onmicrosoft.com" } });
    expect((await truthOf(TAILSPIN, id)).status).toBe("Resolved"); // nothing was sent
    expect((await storedOf(TAILSPIN, id)).status).toBe("Resolved"); // the store shows the newer state
    if (conflict.kind !== "conflict") return;
    const confirmed = await apply({
      staff: analyst,
      tenantId: TAILSPIN,
      incidentId: String(id),
      change: { op: "status", status: "InProgress" },
      expectedLastUpdateTime: conflict.snapshot.lastUpdateTime,
      ipAddress: null,
    });
    expect(confirmed.kind).toBe("updated");
    expect((await truthOf(TAILSPIN, id)).status).toBe("InProgress");
  });

  it("refuses where the tenant granted only read access, pointing to a new consent link", async () => {
    const litware = (await control<Truth[]>(emulator, "GET", `/tenants/${LITWARE}/incidents`))[0]!;
    const outcome = await apply({
      staff: analyst,
      tenantId: LITWARE,
      incidentId: String(litware.incidentId),
      change: { op: "status", status: "Resolved" },
      ipAddress: null,
    });
    expect(outcome).toMatchObject({ kind: "failed", fixHref: `/tenants/${LITWARE}` });
    expect((await truthOf(LITWARE, litware.incidentId)).status).toBe(litware.status);
    expect(await db.auditEvent.count({ where: { action: "incident.update", outcome: "refused", tenantId: LITWARE } })).toBe(1);
  });

  it("shows Graph's request id when Microsoft fails the update, so staff can quote it", async () => {
    const chosen = (await control<Truth[]>(emulator, "GET", `/tenants/${TAILSPIN}/incidents`))[1]!;
    const id = chosen.incidentId;
    const status = chosen.status === "InProgress" ? "Active" : "InProgress";
    await control(emulator, "POST", "/faults", { tenantId: TAILSPIN, route: "patch", kind: "500" });
    try {
      const outcome = await apply({
        staff: analyst,
        tenantId: TAILSPIN,
        incidentId: String(id),
        change: { op: "status", status },
        ipAddress: null,
      });
      expect(outcome.kind).toBe("failed");
      const message = outcome.kind === "failed" ? outcome.message : "";
      expect(message).toMatch(
        /Microsoft Graph did not answer properly\. Nothing was changed by the portal; try again in a minute\. \(Microsoft request id [0-9a-f-]{36}\)$/i,
      );
      // Nothing reached the incident; the failure is audited.
      expect((await truthOf(TAILSPIN, id)).status).toBe(chosen.status);
      const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "incident.update", targetId: String(id) }, orderBy: { id: "desc" } });
      expect(audit.outcome).not.toBe("success");
    } finally {
      await control(emulator, "DELETE", `/faults?tenantId=${TAILSPIN}`);
    }
  });

  it("refuses an incident that is not in the store (no blind writes to unknown ids)", async () => {
    const outcome = await apply({ staff: analyst, tenantId: TAILSPIN, incidentId: "999999999", change: { op: "status", status: "Resolved" }, ipAddress: null });
    expect(outcome.kind).toBe("failed");
  });
});
