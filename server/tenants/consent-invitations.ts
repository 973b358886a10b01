import "server-only";
import { z } from "zod";
import { UserFacingError } from "../../lib/errors";
import { getConfig, getDb } from "../services";
import { isGuid } from "../../lib/ids";
import { recordAuditEvent } from "../audit/audit-event";
import type { StaffSession } from "../auth/staff-session";
import { hashSecretToken, newSecretToken } from "./consent-secrets";
import { DEFENDER_API_RETIREMENT, permissionsNeeded, type RequiredAccess } from "./tenant-status";
import { longDay, longDayTime } from "../../lib/time";

export const DEFAULT_INVITATION_DAYS = 7;

const DOMAIN = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** What staff type in the "New invitation" form. */
export const invitationInputSchema = z.object({
  customerName: z.string().trim().min(2, "Enter the customer's name").max(120, "Keep the name under 120 characters"),
  expectedTenant: z
    .string()
    .trim()
    .max(253)
    .refine((value) => value === "" || isGuid(value) || DOMAIN.test(value), "Enter a tenant ID (GUID) or a verified domain such as contoso.onmicrosoft.com")
    .transform((value) => (value === "" ? null : value.toLowerCase())),
  requestedAccess: z.enum(["read", "read_write"]),
  expiresInDays: z.coerce.number().int().min(1, "At least 1 day").max(30, "At most 30 days").default(DEFAULT_INVITATION_DAYS),
  note: z
    .string()
    .trim()
    .max(1000, "Keep the note under 1000 characters")
    .transform((value) => value || null),
});
export type InvitationInput = z.infer<typeof invitationInputSchema>;

export type IssuedInvitation = { id: string; link: string; message: string; expiresAt: Date };

export type InvitationState = "waiting" | "consented" | "declined" | "expired" | "revoked";

export type InvitationRow = {
  id: string;
  customerName: string;
  expectedTenant: string | null;
  requestedAccess: RequiredAccess;
  note: string | null;
  state: InvitationState;
  declinedReason: string | null;
  /** Microsoft's `error` code of the last decline (staff read it in the portal's words). */
  declinedErrorCode: string | null;
  expiresAt: Date;
  createdAt: Date;
  createdByName: string;
  consentedAt: Date | null;
  tenantId: string | null;
  revokedByName: string | null;
};

export const ACCESS_LABEL: Record<RequiredAccess, string> = {
  read: "Read incidents",
  read_write: "Read and update incidents",
};

function consentLink(token: string): string {
  return `${getConfig().auth.url}/consent/${token}`;
}

function customerMessage(input: { customerName: string; link: string; access: RequiredAccess; expiresAt: Date; graphReconsent: boolean }): string {
  const mssp = getConfig().mssp.name;
  const what = input.access === "read_write" ? "read and update Microsoft Defender XDR incidents" : "read Microsoft Defender XDR incidents";
  // The last day the old API works, in words a customer reads.
  const lastDay = longDay(new Date(DEFENDER_API_RETIREMENT.getTime() - 86_400_000));
  const why = input.graphReconsent
    ? [
        `Why again: Microsoft retires the Defender XDR API that your earlier consent covered; it stops working after ${lastDay}. Its replacement is Microsoft Graph's security API, whose permissions (${permissionsNeeded(input.access).join(", ")}) an earlier consent did not include. Please consent again before ${lastDay} so that monitoring continues without a gap; nothing else changes.`,
        "",
      ]
    : [];
  return [
    `Hello ${input.customerName} team,`,
    "",
    `To let ${mssp} monitor your Microsoft Defender XDR incidents, a Global Administrator (or Privileged Role Administrator) of your Microsoft Entra ID tenant needs to grant our application admin consent once.`,
    "",
    ...why,
    `Please open this link and follow the steps (it is valid until ${longDayTime(input.expiresAt)} and can be used once):`,
    input.link,
    "",
    `The application will be able to ${what} in your tenant, and nothing else. You can remove its access at any time in the Microsoft Entra admin center under Enterprise applications.`,
    "",
    `Thank you,`,
    mssp,
  ].join("\n");
}

/** Stores a new invitation (not audited: the caller records why it was issued). */
async function issueInvitation({ staff, input }: { staff: StaffSession; input: InvitationInput }): Promise<IssuedInvitation> {
  const db = await getDb();
  const token = newSecretToken();
  const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
  const invitation = await db.consentInvitation.create({
    data: {
      customerName: input.customerName,
      expectedTenant: input.expectedTenant,
      requestedAccess: input.requestedAccess,
      note: input.note,
      linkTokenHash: hashSecretToken(token),
      expiresAt,
      createdById: staff.oid,
      createdByName: staff.name,
      tenantId: input.expectedTenant && isGuid(input.expectedTenant) ? await existingTenantId(input.expectedTenant) : null,
    },
    select: { id: true },
  });
  const link = consentLink(token);
  const known =
    input.expectedTenant && isGuid(input.expectedTenant)
      ? await db.tenant.findUnique({ where: { id: input.expectedTenant }, select: { incidentSource: true, status: true } })
      : null;
  const graphReconsent = known?.status === "graph_consent_needed" || (known?.incidentSource === "defender" && getConfig().incidentSource === "graph");
  return {
    id: invitation.id,
    link,
    expiresAt,
    message: customerMessage({ customerName: input.customerName, link, access: input.requestedAccess, expiresAt, graphReconsent }),
  };
}

function expectedTenantId(input: InvitationInput): string | null {
  return input.expectedTenant && isGuid(input.expectedTenant) ? input.expectedTenant : null;
}

function invitationSummary(input: InvitationInput): string {
  return `${input.customerName}: ${ACCESS_LABEL[input.requestedAccess]}, expires in ${input.expiresInDays} days`;
}

/** Creates an invitation; the link token is returned once and only its hash is stored. */
export async function createConsentInvitation({
  staff,
  input,
  ipAddress,
}: {
  staff: StaffSession;
  input: InvitationInput;
  ipAddress?: string | null;
}): Promise<IssuedInvitation> {
  const issued = await issueInvitation({ staff, input });
  await recordAuditEvent({
    actor: { type: "staff", id: staff.oid, name: staff.name },
    action: "invitation.created",
    outcome: "success",
    tenantId: expectedTenantId(input),
    targetId: issued.id,
    reason: invitationSummary(input),
    ipAddress,
  });
  return issued;
}

async function existingTenantId(tenantId: string): Promise<string | null> {
  const db = await getDb();
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { id: true } });
  return tenant?.id ?? null;
}

function stateOf(row: { status: string; expiresAt: Date; lastDecline: string | null }, now: Date): InvitationState {
  if (row.status === "consented" || row.status === "revoked") return row.status;
  if (row.expiresAt <= now) return "expired";
  return row.lastDecline ? "declined" : "waiting";
}

/** Invitations, newest first, optionally for one tenant; "declined" means the last trip to Microsoft was refused. */
export async function listConsentInvitations({ tenantId, take = 100 }: { tenantId?: string; take?: number } = {}): Promise<InvitationRow[]> {
  const db = await getDb();
  const rows = await db.consentInvitation.findMany({
    where: tenantId ? { OR: [{ tenantId }, { expectedTenant: tenantId }] } : {},
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      customerName: true,
      expectedTenant: true,
      requestedAccess: true,
      note: true,
      status: true,
      expiresAt: true,
      createdAt: true,
      createdByName: true,
      consentedAt: true,
      tenantId: true,
      revokedByName: true,
      attempts: { where: { verification: "declined" }, orderBy: { createdAt: "desc" }, take: 1, select: { failureReason: true, errorCode: true } },
    },
  });
  const now = new Date();
  return rows.map(({ attempts, status, requestedAccess, ...row }) => {
    const lastDecline = attempts[0]?.failureReason ?? null;
    const state = stateOf({ status, expiresAt: row.expiresAt, lastDecline }, now);
    return {
      ...row,
      requestedAccess: requestedAccess,
      state,
      declinedReason: state === "declined" ? lastDecline : null,
      declinedErrorCode: state === "declined" ? (attempts[0]?.errorCode ?? null) : null,
    };
  });
}

export class InvitationNotRevocable extends UserFacingError {
  constructor() {
    super("Only a waiting link can be revoked: this one was already used, revoked or has expired.", "InvitationNotRevocable");
  }
}

/** Revokes an unused link; a consent through it is refused from then on. */
export async function revokeConsentInvitation({
  staff,
  invitationId,
  ipAddress,
}: {
  staff: StaffSession;
  invitationId: string;
  ipAddress?: string | null;
}): Promise<void> {
  const db = await getDb();
  const changed = await db.consentInvitation.updateMany({
    where: { id: invitationId, status: "waiting" },
    data: { status: "revoked", revokedAt: new Date(), revokedByName: staff.name },
  });
  if (changed.count !== 1) throw new InvitationNotRevocable();
  await recordAuditEvent({
    actor: { type: "staff", id: staff.oid, name: staff.name },
    action: "invitation.revoked",
    outcome: "success",
    targetId: invitationId,
    ipAddress,
  });
}

/**
 * Issues a fresh link with the same details, revoking the old one if it is still waiting. Both
 * are audited: the old link's revocation (as a revoke by hand would be) and the reissue itself.
 */
export async function reissueConsentInvitation({
  staff,
  invitationId,
  ipAddress,
}: {
  staff: StaffSession;
  invitationId: string;
  ipAddress?: string | null;
}): Promise<IssuedInvitation> {
  const db = await getDb();
  const old = await db.consentInvitation.findUnique({
    where: { id: invitationId },
    select: { customerName: true, expectedTenant: true, requestedAccess: true, note: true, createdAt: true, expiresAt: true },
  });
  if (!old) throw new InvitationNotRevocable();
  const days = Math.min(30, Math.max(1, Math.round((old.expiresAt.getTime() - old.createdAt.getTime()) / 86_400_000)));
  const input: InvitationInput = {
    customerName: old.customerName,
    expectedTenant: old.expectedTenant,
    requestedAccess: old.requestedAccess,
    expiresInDays: days,
    note: old.note,
  };
  const issued = await issueInvitation({ staff, input });
  const actor = { type: "staff" as const, id: staff.oid, name: staff.name };
  const revoked = await db.consentInvitation.updateMany({
    where: { id: invitationId, status: "waiting" },
    data: { status: "revoked", revokedAt: new Date(), revokedByName: staff.name, replacedById: issued.id },
  });
  if (revoked.count === 1) {
    await recordAuditEvent({
      actor,
      action: "invitation.revoked",
      outcome: "success",
      tenantId: expectedTenantId(input),
      targetId: invitationId,
      reason: "replaced by a new link",
      ipAddress,
      details: { replacedBy: issued.id },
    });
  }
  await recordAuditEvent({
    actor,
    action: "invitation.reissued",
    outcome: "success",
    tenantId: expectedTenantId(input),
    targetId: issued.id,
    reason: invitationSummary(input),
    ipAddress,
    details: { replaces: invitationId, oldLinkRevoked: revoked.count === 1 },
  });
  return issued;
}
