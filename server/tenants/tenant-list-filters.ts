// Pure: the Tenants page's state as it lives in the URL (name or id text, status, the Defender XDR
// API view, page). Anything malformed is dropped, never trusted.
import { z } from "zod";
import { isPlainText } from "../database/column-ranges";
import { TENANT_STATUS_LABEL, type TenantStatus } from "./tenant-status";

/** Rows per page: a large MSSP's thousand tenants made one page of 3.9 MB. */
export const TENANTS_PAGE_SIZE = 100;
const STATUSES = Object.keys(TENANT_STATUS_LABEL) as [TenantStatus, ...TenantStatus[]];

function single<S extends z.ZodType>(schema: S) {
  return z.preprocess((raw) => (Array.isArray(raw) ? raw[0] : raw === "" ? undefined : raw), schema.optional()).catch(undefined);
}

export const tenantListFilterSchema = z.object({
  q: single(z.string().trim().min(1).max(200).refine(isPlainText)),
  status: single(z.enum(STATUSES)),
  source: single(z.literal("defender")),
  page: single(z.coerce.number().int().min(1).max(100_000)),
});

export type TenantListFilters = z.infer<typeof tenantListFilterSchema>;

export function parseTenantListFilters(searchParams: Record<string, string | string[] | undefined>): TenantListFilters {
  return tenantListFilterSchema.parse(searchParams);
}

type Override = Partial<{ [K in keyof TenantListFilters]: TenantListFilters[K] | null }>;

/** The URL query for this state (with overrides; null removes), in a stable order. */
export function tenantListQueryString(filters: TenantListFilters, overrides: Override = {}): string {
  const merged: Record<string, unknown> = { ...filters, ...overrides };
  const params = new URLSearchParams();
  for (const key of Object.keys(tenantListFilterSchema.shape)) {
    const value = merged[key];
    if (value !== null && value !== undefined && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
