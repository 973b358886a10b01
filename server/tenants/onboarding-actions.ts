"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { isGuid } from "../../lib/ids";
import { staffAction } from "../auth/staff-action";
import {
  createConsentInvitation,
  invitationInputSchema,
  reissueConsentInvitation,
  revokeConsentInvitation,
  type IssuedInvitation,
} from "./consent-invitations";
import { confirmPendingTenant, offboardInputSchema, offboardTenant, verifyTenant, type VerificationResult } from "./tenant-lifecycle";

// Server actions for onboarding: each checks its capability (capabilities.ts) and its input on
// the server before anything else, whatever the browser shows or sends.

const invitationIdSchema = z.object({ invitationId: z.string().refine(isGuid, "Unknown invitation") });
const tenantIdSchema = z.object({ tenantId: z.string().refine(isGuid, "Unknown tenant") });

function refreshTenant(tenantId: string): void {
  revalidatePath(`/tenants/${tenantId}`);
  revalidatePath("/tenants");
}

export const createInvitationAction = staffAction({ capability: "invitation.create", input: invitationInputSchema }, async ({ input, staff, ipAddress }) => {
  const issued = await createConsentInvitation({ staff, input, ipAddress });
  revalidatePath("/tenants");
  return issued;
});

export const revokeInvitationAction = staffAction({ capability: "invitation.revoke", input: invitationIdSchema }, async ({ input, staff, ipAddress }) => {
  await revokeConsentInvitation({ staff, invitationId: input.invitationId, ipAddress });
  revalidatePath("/tenants");
  return null;
});

export const reissueInvitationAction = staffAction(
  { capability: "invitation.reissue", input: invitationIdSchema },
  async ({ input, staff, ipAddress }): Promise<IssuedInvitation> => {
    const issued = await reissueConsentInvitation({ staff, invitationId: input.invitationId, ipAddress });
    revalidatePath("/tenants");
    return issued;
  },
);

export const verifyTenantAction = staffAction(
  { capability: "tenant.verify", input: tenantIdSchema },
  async ({ input, staff, ipAddress }): Promise<VerificationResult> => {
    const result = await verifyTenant({ tenantId: input.tenantId, actor: { type: "staff", id: staff.oid, name: staff.name }, ipAddress });
    refreshTenant(input.tenantId);
    return result;
  },
);

/** A customer that consented through a link naming no tenant starts only once an admin confirms it. */
export const confirmTenantAction = staffAction({ capability: "tenant.confirm", input: tenantIdSchema }, async ({ input, staff, ipAddress }) => {
  await confirmPendingTenant({ staff, tenantId: input.tenantId, ipAddress });
  refreshTenant(input.tenantId);
  return null;
});

export const offboardTenantAction = staffAction({ capability: "tenant.offboard", input: offboardInputSchema }, async ({ input, staff, ipAddress }) => {
  const result = await offboardTenant({ staff, input, ipAddress });
  refreshTenant(input.tenantId);
  return result;
});
