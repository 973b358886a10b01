"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { staffAction } from "../auth/staff-action";
import { readPolicyForm } from "./policy-input";
import { saveServiceLevelPolicy } from "./service-level-policy";

// The policy form arrives as FormData (severity.step fields, hours); readPolicyForm reads it and
// names each field it cannot read, so the page can show the message beside it.
const policyFormSchema = z.record(z.string(), z.unknown()).transform((form, ctx) => {
  const result = readPolicyForm(form);
  if (!result.ok) {
    for (const [path, message] of Object.entries(result.fieldErrors)) ctx.addIssue({ code: "custom", path: [path], message });
    return z.NEVER;
  }
  return result;
});

export const saveServiceLevelPolicyAction = staffAction(
  { capability: "service_level.manage", input: policyFormSchema },
  async ({ input, staff, ipAddress }): Promise<{ recomputed: number }> => {
    const saved = await saveServiceLevelPolicy({ staff, scope: input.scope, targets: input.targets, businessHours: input.businessHours, ipAddress });
    revalidatePath("/settings/service-levels");
    revalidatePath("/");
    return saved;
  },
);
