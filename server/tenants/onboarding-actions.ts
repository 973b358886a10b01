"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { isGuid } from "../config-schema";
import { staffAction } from "../auth/staff-action";
import {
  createConsentInvitation,
  invitationInputSchema,
  reissueConsentInvitation,
  revokeConsentInvitation,
  type IssuedInvitation,
} from "./consent-invitations";
import { confirmPendingTenant, offboardInputSchema, offboardTenant, verifyTenant, type VerificationResult } from "./tenant-directory";

// Server actions for onboarding; each checks role and input on the server before anything else.

const createInvitation = staffAction({ role: "Admin", input: invitationInputSchema, action: "invitation.created" }, async ({ input, staff, ipAddress }) => {
  const issued = await createConsentInvitation({ staff, input, ipAddress });
  revalidatePath("/tenants");
  return issued;
});

export async function createInvitationAction(raw: unknown) {
  return createInvitation(raw);
}

const invitationIdSchema = z.object({ invitationId: z.string().uuid("Unknown invitation") });

const revokeInvitation = staffAction({ role: "Admin", input: invitationIdSchema, action: "invitation.revoked" }, async ({ input, staff, ipAddress }) => {
  await revokeConsentInvitation({ staff, invitationId: input.invitationId, ipAddress });
  revalidatePath("/tenants");
  return null;
});

export async function revokeInvitationAction(raw: unknown) {
  return revokeInvitation(raw);
}

const reissueInvitation = staffAction({ role: "Admin", input: invitationIdSchema, action: "invitation.reissued" }, async ({ input, staff, ipAddress }): Promise<IssuedInvitation> => {
  const issued = await reissueConsentInvitation({ staff, invitationId: input.invitationId, ipAddress });
  revalidatePath("/tenants");
  return issued;
});

export async function reissueInvitationAction(raw: unknown) {
  return reissueInvitation(raw);
}

const verifyNow = staffAction(
  { role: "Admin", input: z.object({ tenantId: z.string().refine(isGuid, "Unknown tenant") }), action: "tenant.verified" },
  async ({ input, staff, ipAddress }): Promise<VerificationResult> => {
    const result = await verifyTenant({ tenantId: input.tenantId, actor: { type: "staff", id: staff.oid, name: staff.name }, ipAddress });
    revalidatePath(`/tenants/${input.tenantId}`);
    revalidatePath("/tenants");
    return result;
  },
);

export async function verifyTenantAction(raw: unknown) {
  return verifyNow(raw);
}

const confirmTenant = staffAction(
  { role: "Admin", input: z.object({ tenantId: z.string().refine(isGuid, "Unknown tenant") }), action: "tenant.confirmed" },
  async ({ input, staff, ipAddress }) => {
    await confirmPendingTenant({ staff, tenantId: input.tenantId, ipAddress });
    revalidatePath(`/tenants/${input.tenantId}`);
    revalidatePath("/tenants");
    return null;
  },
);

/** A customer that consented through a link naming no tenant starts only once an admin confirms it. */
export async function confirmTenantAction(raw: unknown) {
  return confirmTenant(raw);
}

const offboard = staffAction({ role: "Admin", input: offboardInputSchema, action: "tenant.offboarded" }, async ({ input, staff, ipAddress }) => {
  const result = await offboardTenant({ staff, input, ipAddress });
  revalidatePath(`/tenants/${input.tenantId}`);
  revalidatePath("/tenants");
  return result;
});

export async function offboardTenantAction(raw: unknown) {
  return offboard(raw);
}
