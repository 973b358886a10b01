import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import type { StaffSession } from "@/server/auth/staff-session";
import { AUDIT_ACTION_LABEL } from "@/server/audit/audit-actions";
import { startTestEmulator } from "../support/test-emulator";
import { usePortalEnvironment } from "../support/portal-environment";
import { testDatabaseKinds } from "../support/test-database";

const CONTOSO = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";

const admin: StaffSession = {
  oid: "a1f4c2d8-3b5e-4c7a-9d1f-2e6b8a0c4d11",
  tenantId: "6f1d2c3b-8a4e-4b7d-9c21-0d5e7a9b3f10",
  name: "Amelia Adams",
  username: "amelia.admin@northwindcyber.onmicrosoft.com",
  role: "Portal.Admin",
};

describe.each(testDatabaseKinds())("reissuing a consent link (%s)", (kind) => {
  let emulator: EmulatorHandle;
  let env: { cleanup: () => Promise<void> };
  let flow: typeof import("@/server/tenants/consent-flow");
  let invitations: typeof import("@/server/tenants/consent-invitations");
  let isConsentRefused: typeof import("@/server/tenants/consent-errors").isConsentRefused;
  let db: import("@/prisma/generated/client/client").PrismaClient;

  beforeAll(async () => {
    emulator = await startTestEmulator({ propagationDelayMs: 0 });
    env = await usePortalEnvironment(emulator, kind);
    vi.resetModules();
    flow = await import("@/server/tenants/consent-flow");
    invitations = await import("@/server/tenants/consent-invitations");
    ({ isConsentRefused } = await import("@/server/tenants/consent-errors"));
    db = await (await import("@/server/services")).getDb();
  });
  afterAll(async () => {
    await env?.cleanup();
    await emulator?.stop();
  });

  const tokenOf = (link: string) => link.split("/consent/")[1]!;

  async function issue(customerName: string) {
    return invitations.createConsentInvitation({
      staff: admin,
      input: { customerName, expectedTenant: CONTOSO, requestedAccess: "read_write", expiresInDays: 5, note: "via the account manager" },
      ipAddress: "192.0.2.10",
    });
  }

  async function auditOf(action: string, targetId: string) {
    return db.auditEvent.findMany({ where: { action, targetId }, orderBy: { id: "asc" } });
  }

  it("revokes the old link on the record, and logs the reissue as its own action", async () => {
    const old = await issue("Contoso Manufacturing");
    const fresh = await invitations.reissueConsentInvitation({ staff: admin, invitationId: old.id, ipAddress: "192.0.2.10" });
    expect(fresh.id).not.toBe(old.id);

    const [revoked, ...moreRevoked] = await auditOf("invitation.revoked", old.id);
    expect(moreRevoked).toHaveLength(0);
    expect(revoked).toMatchObject({
      actorType: "staff",
      actorId: admin.oid,
      actorName: "Amelia Adams",
      outcome: "success",
      tenantId: CONTOSO,
      reason: "replaced by a new link",
      ipAddress: "192.0.2.10",
    });
    expect(revoked!.details).toEqual({ replacedBy: fresh.id });

    const [reissued, ...moreReissued] = await auditOf("invitation.reissued", fresh.id);
    expect(moreReissued).toHaveLength(0);
    expect(reissued).toMatchObject({
      actorId: admin.oid,
      outcome: "success",
      tenantId: CONTOSO,
      reason: "Contoso Manufacturing: Read and update incidents, expires in 5 days",
      ipAddress: "192.0.2.10",
    });
    expect(reissued!.details).toEqual({ replaces: old.id, oldLinkRevoked: true });
    // The new link is the reissue's, not a second "created".
    expect(await auditOf("invitation.created", fresh.id)).toHaveLength(0);
    // The revocation is recorded before the reissue that caused it.
    expect(revoked!.id < reissued!.id).toBe(true);

    // And it really is revoked: the old link is refused, the new one opens with the same details.
    const oldRow = await db.consentInvitation.findUniqueOrThrow({ where: { id: old.id } });
    expect(oldRow).toMatchObject({ status: "revoked", revokedByName: "Amelia Adams", replacedById: fresh.id });
    await expect(flow.getConsentLanding({ token: tokenOf(old.link), ipAddress: "198.51.100.7" })).rejects.toSatisfy(
      (error: unknown) => isConsentRefused(error) && error.reason === "link-invalid",
    );
    const landing = await flow.getConsentLanding({ token: tokenOf(fresh.link), ipAddress: "198.51.100.7" });
    expect(landing).toMatchObject({ customerName: "Contoso Manufacturing", requestedAccess: "read_write" });
    const freshRow = await db.consentInvitation.findUniqueOrThrow({ where: { id: fresh.id } });
    expect(freshRow).toMatchObject({ status: "waiting", expectedTenant: CONTOSO, note: "via the account manager" });
  });

  it("reissuing a link that no longer waits revokes nothing and says so", async () => {
    const old = await issue("Contoso after revoke");
    await invitations.revokeConsentInvitation({ staff: admin, invitationId: old.id });
    const fresh = await invitations.reissueConsentInvitation({ staff: admin, invitationId: old.id });
    expect(await auditOf("invitation.revoked", old.id)).toHaveLength(1); // the revoke by hand only
    const [reissued] = await auditOf("invitation.reissued", fresh.id);
    expect(reissued!.details).toEqual({ replaces: old.id, oldLinkRevoked: false });
  });

  it("names the new action in words on the audit page", () => {
    expect(AUDIT_ACTION_LABEL["invitation.reissued"]).toBe("Consent link reissued");
  });
});
