"use server";

import { revalidatePath } from "next/cache";
import { staffAction } from "../auth/staff-action";
import { applyIncidentUpdate, type UpdateOutcome } from "./update-incident-apply";
import { bulkUpdateSchema, singleUpdateSchema } from "./update-incident-input";

// Server actions for incident updates: role and input are checked on the server before anything
// else (staffAction), whatever the browser shows or sends.

export const updateIncidentAction = staffAction(
  { capability: "incident.update", input: singleUpdateSchema },
  async ({ input, staff, ipAddress }): Promise<UpdateOutcome> => {
    const outcome = await applyIncidentUpdate({
      staff,
      ipAddress,
      tenantId: input.tenantId,
      incidentId: input.incidentId,
      change: input.change,
      expectedLastUpdateTime: input.expectedLastUpdateTime,
    });
    if (outcome.kind !== "failed") {
      revalidatePath("/");
      revalidatePath(`/incidents/${input.tenantId}/${input.incidentId}`);
    }
    return outcome;
  },
);

export type BulkItemResult = { tenantId: string; incidentId: string; outcome: UpdateOutcome };

/** A few at a time: each tenant has its own Defender rate budget, which the client waits for. */
const BULK_CONCURRENCY = 3;

export const bulkUpdateIncidentsAction = staffAction(
  { capability: "incident.update", input: bulkUpdateSchema },
  async ({ input, staff, ipAddress }): Promise<BulkItemResult[]> => {
    const results: BulkItemResult[] = new Array(input.incidents.length);
    let next = 0;
    const worker = async () => {
      while (next < input.incidents.length) {
        const index = next++;
        const item = input.incidents[index]!;
        const outcome = await applyIncidentUpdate({ staff, ipAddress, tenantId: item.tenantId, incidentId: item.incidentId, change: input.change, bulk: true });
        results[index] = { ...item, outcome };
      }
    };
    await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, input.incidents.length) }, worker));
    revalidatePath("/");
    return results;
  },
);
