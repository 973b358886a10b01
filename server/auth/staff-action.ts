import "server-only";
import { headers } from "next/headers";
import type { z } from "zod";
import { isUserFacingError } from "../../lib/errors";
import { recordAuditEvent } from "../audit/audit-event";
import { actionRefusal, CAPABILITIES, may, type CapabilityName } from "./capabilities";
import { clientAddress } from "./client-address";
import { SESSION_ENDED_MESSAGE, getStaffSession } from "./require-staff";
import type { StaffSession } from "./staff-session";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: string; fieldErrors?: Record<string, string> };

function toObject(raw: unknown): unknown {
  if (raw instanceof FormData) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of raw.entries()) {
      if (key.startsWith("$ACTION")) continue; // React's own fields
      const text = typeof value === "string" ? value : value.name;
      out[key] = key in out ? ([] as unknown[]).concat(out[key], text) : text;
    }
    return out;
  }
  return raw;
}

/**
 * The one wrapper every mutation goes through: session and the capability's role are checked on
 * the server first (capabilities.ts declares both), then the input is validated with zod; a
 * refusal is audited under the capability's action and answered in words.
 */
export function staffAction<S extends z.ZodType, T>(
  options: { capability: CapabilityName; input: S },
  fn: (args: { input: z.infer<S>; staff: StaffSession; ipAddress: string | null }) => Promise<T>,
): (raw: unknown) => Promise<ActionResult<T>> {
  return async (raw) => {
    const staff = await getStaffSession();
    if (!staff) return { ok: false, error: SESSION_ENDED_MESSAGE };
    const ipAddress = clientAddress(await headers());
    if (!may(staff.role, options.capability)) {
      const refusal = actionRefusal(options.capability);
      await recordAuditEvent({
        actor: { type: "staff", id: staff.oid, name: staff.name },
        action: CAPABILITIES[options.capability].audit,
        outcome: "refused",
        reason: refusal.auditReason,
        ipAddress,
      });
      return { ok: false, error: refusal.message };
    }
    const parsed = options.input.safeParse(toObject(raw));
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
      return { ok: false, error: "Please correct the highlighted fields.", fieldErrors };
    }
    try {
      return { ok: true, data: await fn({ input: parsed.data, staff, ipAddress }) };
    } catch (error) {
      // Domain errors marked `userFacing` carry words meant for people; anything else stays in the logs.
      if (isUserFacingError(error)) return { ok: false, error: error.message };
      throw error;
    }
  };
}
