"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { UserFacingError } from "../../lib/errors";
import { isGuid } from "../../lib/ids";
import { staffAction } from "../auth/staff-action";
import { recordAuditEvent } from "../audit/audit-event";
import { requestTenantSync } from "./sync-status";

/** "Sync now": the engine of any process picks the tenant first, within about a second. */
export const requestSyncAction = staffAction(
  { capability: "sync.request", input: z.object({ tenantId: z.string().refine(isGuid, "Unknown tenant") }) },
  async ({ input, staff, ipAddress }) => {
    const result = await requestTenantSync({ tenantId: input.tenantId });
    if (!result.ok) {
      throw new UserFacingError(
        result.reason === "not_active" ? "Only an Active tenant can be synced: fix its status first." : "That tenant is not onboarded.",
        "SyncNotAllowed",
      );
    }
    await recordAuditEvent({
      actor: { type: "staff", id: staff.oid, name: staff.name },
      action: "tenant.sync_requested",
      outcome: "success",
      tenantId: input.tenantId,
      ipAddress,
    });
    revalidatePath(`/tenants/${input.tenantId}`);
    return { requestedAt: result.requestedAt.toISOString() };
  },
);
