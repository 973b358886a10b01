import { z } from "zod";
import { isInt8Id, isPlainText } from "../database/column-ranges";

export const AUDIT_OUTCOMES = ["success", "refused", "failure"] as const;

/** Audit page filters as they live in the URL; anything malformed is dropped, never trusted. */
export const auditFilterSchema = z.object({
  action: z
    .string()
    .trim()
    .max(64)
    .regex(/^[a-z_.]*$/)
    .optional()
    .catch(undefined),
  outcome: z.enum(AUDIT_OUTCOMES).optional().catch(undefined),
  tenant: z.string().trim().max(64).refine(isPlainText).optional().catch(undefined),
  q: z.string().trim().max(100).refine(isPlainText).optional().catch(undefined),
  /** An audit event id (bigint): anything a bigint cannot hold is no paging, not a 500. */
  before: z.string().refine(isInt8Id).optional().catch(undefined),
});

export type AuditFilters = z.infer<typeof auditFilterSchema>;

export function parseAuditFilters(searchParams: Record<string, string | string[] | undefined>): AuditFilters {
  const flat = Object.fromEntries(Object.entries(searchParams).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value || undefined]));
  return auditFilterSchema.parse(flat);
}
