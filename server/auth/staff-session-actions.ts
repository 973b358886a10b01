"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { isGuid } from "../../lib/ids";
import { staffAction } from "./staff-action";
import { endAllStaffSessions } from "./staff-sessions";

// Server action of the Staff page; role and input are checked on the server before anything else.

export const endAllStaffSessionsAction = staffAction(
  { capability: "staff.end_sessions", input: z.object({ staffOid: z.string().refine(isGuid, "Unknown staff member") }) },
  async ({ input, staff, ipAddress }) => {
    const result = await endAllStaffSessions({ staffOid: input.staffOid, by: { oid: staff.oid, name: staff.name }, ipAddress });
    revalidatePath("/staff");
    return result;
  },
);
