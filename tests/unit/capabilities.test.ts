import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, auditActionLabel } from "@/server/audit/audit-actions";
import { CAPABILITIES, actionRefusal, may, refusalFor, type CapabilityName } from "@/server/auth/capabilities";

const names = Object.keys(CAPABILITIES) as CapabilityName[];

describe("the capability catalogue", () => {
  it("gives every capability an audit action the audit trail knows and words for a refusal", () => {
    for (const name of names) {
      expect(AUDIT_ACTIONS, name).toContain(CAPABILITIES[name].audit);
      expect(auditActionLabel(CAPABILITIES[name].audit), name).not.toBe(CAPABILITIES[name].audit);
      expect(CAPABILITIES[name].refusal.length, name).toBeGreaterThan(10);
    }
  });

  it("lets an admin do everything and someone without a portal role nothing", () => {
    for (const name of names) {
      expect(may("Portal.Admin", name)).toBe(true);
      expect(refusalFor("Portal.Admin", name)).toBeNull();
      expect(may(null, name)).toBe(false);
      expect(refusalFor(null, name)).toBe(CAPABILITIES[name].refusal);
    }
  });

  it("keeps a reader to reading and an analyst out of onboarding", () => {
    expect(may("Portal.Reader", "incident.export")).toBe(true);
    expect(refusalFor("Portal.Reader", "incident.update")).toBe("Read-only: updating incidents needs the Portal.Analyst or Portal.Admin role.");
    expect(refusalFor("Portal.Reader", "sync.request")).toBe("Syncing on demand needs the Portal.Analyst role.");
    expect(may("Portal.Analyst", "incident.update")).toBe(true);
    expect(may("Portal.Analyst", "sync.request")).toBe(true);
    for (const name of [
      "invitation.create",
      "invitation.revoke",
      "invitation.reissue",
      "tenant.verify",
      "tenant.confirm",
      "tenant.offboard",
      "staff.end_sessions",
    ] as const) {
      expect(may("Portal.Analyst", name), name).toBe(false);
    }
  });

  it("logs a reissued link as a reissue, not as a new link", () => {
    expect(CAPABILITIES["invitation.reissue"].audit).toBe("invitation.reissued");
    expect(CAPABILITIES["invitation.create"].audit).toBe("invitation.created");
  });

  it("answers a refused action with the role it needs", () => {
    expect(actionRefusal("tenant.offboard")).toEqual({ auditReason: "needs Portal.Admin", message: "This needs the Portal.Admin role." });
  });

  it("shows stored actions it no longer writes as stored", () => {
    expect(auditActionLabel("something.old")).toBe("something.old");
  });
});
