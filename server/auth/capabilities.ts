// What staff may do, declared once: the role each capability needs, the audit action a use (or a
// refused attempt) is recorded under, and the sentence a page shows when the person may not.
// Server actions and routes enforce it (staffAction / staffRoute take a capability); pages and
// view models ask the same declaration, so the button and the check never disagree. Pure.
import type { AuditAction } from "../audit/audit-actions";
import { roleAllows, type PortalRole, type RoleName } from "./roles";

export type Capability = {
  role: RoleName;
  audit: AuditAction;
  /** Shown beside a disabled control to someone whose role does not allow it. */
  refusal: string;
};

export const CAPABILITIES = {
  "invitation.create": { role: "Admin", audit: "invitation.created", refusal: "Only a Portal.Admin can create consent links." },
  "invitation.revoke": { role: "Admin", audit: "invitation.revoked", refusal: "Only a Portal.Admin can create, revoke or reissue consent links." },
  "invitation.reissue": { role: "Admin", audit: "invitation.reissued", refusal: "Only a Portal.Admin can create, revoke or reissue consent links." },
  "tenant.verify": { role: "Admin", audit: "tenant.verified", refusal: "Only a Portal.Admin can change a tenant." },
  "tenant.confirm": { role: "Admin", audit: "tenant.confirmed", refusal: "Only a Portal.Admin can change a tenant." },
  "tenant.offboard": { role: "Admin", audit: "tenant.offboarded", refusal: "Only a Portal.Admin can change a tenant." },
  "sync.request": { role: "Analyst", audit: "tenant.sync_requested", refusal: "Syncing on demand needs the Portal.Analyst role." },
  "incident.update": { role: "Analyst", audit: "incident.update", refusal: "Read-only: updating incidents needs the Portal.Analyst or Portal.Admin role." },
  "incident.export": { role: "Reader", audit: "incident.export", refusal: "Exporting incidents needs a portal role." },
  "indicator.export": { role: "Reader", audit: "indicator.export", refusal: "Exporting indicators needs a portal role." },
  "service_level.manage": {
    role: "Admin",
    audit: "service_level.policy_changed",
    refusal: "Read-only: changing service levels needs the Portal.Admin role.",
  },
  "notification.channel": {
    role: "Admin",
    audit: "notification.channel_changed",
    refusal: "Read-only: changing notification channels needs the Portal.Admin role.",
  },
  "notification.rule": { role: "Admin", audit: "notification.rule_changed", refusal: "Read-only: changing notification rules needs the Portal.Admin role." },
  "notification.test": { role: "Admin", audit: "notification.test_sent", refusal: "Sending a test message needs the Portal.Admin role." },
  "staff.end_sessions": { role: "Admin", audit: "staff.sessions_ended", refusal: "Read-only: ending sessions needs the Portal.Admin role." },
} as const satisfies Record<string, Capability>;

export type CapabilityName = keyof typeof CAPABILITIES;

/** May this person use the capability? */
export function may(role: PortalRole | null, capability: CapabilityName): boolean {
  return roleAllows(role, CAPABILITIES[capability].role);
}

/** Why this person may not use the capability, in words for the page; null when they may. */
export function refusalFor(role: PortalRole | null, capability: CapabilityName): string | null {
  return may(role, capability) ? null : CAPABILITIES[capability].refusal;
}

/** What a server action answers a refused person (after auditing the attempt). */
export function actionRefusal(capability: CapabilityName): { auditReason: string; message: string } {
  const role = CAPABILITIES[capability].role;
  return { auditReason: `needs Portal.${role}`, message: `This needs the Portal.${role} role.` };
}
