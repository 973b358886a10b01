// Pure: the Indicators page's state as it lives in the URL (period, type, text, sort, page), and
// the queue's "incidents with indicator X" parameter (`indicator=ip:203.0.113.7`). Shared by the
// page, its CSV route and the queue; anything malformed is dropped, never trusted.
import { z } from "zod";
import { isPlainText } from "../database/column-ranges";
import { INDICATOR_TYPES, normaliseIndicator, type IndicatorValue } from "./indicator-normalise";

export const INDICATOR_PERIODS = ["7", "30", "90"] as const;
export type IndicatorPeriod = (typeof INDICATOR_PERIODS)[number];
export const INDICATOR_SORTS = ["last_seen", "first_seen", "tenants", "severity", "value"] as const;
export type IndicatorSort = (typeof INDICATOR_SORTS)[number];

/** Rows per page; pages are bounded (offset paging over the small set of shared values). */
export const INDICATOR_PAGE_SIZE = 50;
export const MAX_INDICATOR_PAGE = 200;

function single<S extends z.ZodType>(schema: S) {
  return z.preprocess((raw) => (Array.isArray(raw) ? raw[0] : raw === "" ? undefined : raw), schema.optional()).catch(undefined);
}

export const indicatorFilterSchema = z.object({
  period: single(z.enum(INDICATOR_PERIODS)),
  type: single(z.enum(INDICATOR_TYPES)),
  q: single(z.string().trim().min(1).max(200).refine(isPlainText)),
  sort: single(z.enum(INDICATOR_SORTS)),
  dir: single(z.enum(["asc", "desc"])),
  page: single(z.coerce.number().int().min(1).max(MAX_INDICATOR_PAGE)),
});

export type IndicatorFilters = z.infer<typeof indicatorFilterSchema>;

export function parseIndicatorFilters(searchParams: Record<string, string | string[] | undefined> | URLSearchParams): IndicatorFilters {
  const record = searchParams instanceof URLSearchParams ? Object.fromEntries(searchParams.entries()) : searchParams;
  return indicatorFilterSchema.parse(record);
}

export function periodDays(filters: IndicatorFilters): number {
  return Number(filters.period ?? "30");
}

export function indicatorSortOf(filters: IndicatorFilters): { sort: IndicatorSort; dir: "asc" | "desc" } {
  const sort = filters.sort ?? "last_seen";
  return { sort, dir: filters.dir ?? (sort === "value" ? "asc" : "desc") };
}

type Override = Partial<{ [K in keyof IndicatorFilters]: IndicatorFilters[K] | null }>;

/** The URL query for this state (with overrides; null removes), in a stable order. */
export function indicatorQueryString(filters: IndicatorFilters, overrides: Override = {}): string {
  const merged: Record<string, unknown> = { ...filters, ...overrides };
  const params = new URLSearchParams();
  for (const key of Object.keys(indicatorFilterSchema.shape)) {
    const value = merged[key];
    if (value !== null && value !== undefined && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The queue parameter's text for an indicator: `type:value`. */
export function indicatorParam(indicator: IndicatorValue): string {
  return `${indicator.type}:${indicator.value}`;
}

/** `ip:203.0.113.7` → the normalised indicator, or null when it is not one. */
export function parseIndicatorParam(param: string | undefined | null): IndicatorValue | null {
  if (!param) return null;
  const colon = param.indexOf(":");
  return colon > 0 ? normaliseIndicator(param.slice(0, colon), param.slice(colon + 1)) : null;
}
