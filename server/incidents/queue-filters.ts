import { z } from "zod";
import { isPlainText, isStorableDate } from "../database/column-ranges";
import { isTenantId } from "../../lib/ids";
import { indicatorParam, parseIndicatorParam } from "../indicators/indicator-filters";

// Pure: shared by the queue page, the filter bar (links) and the CSV export. No server-only import.

export const SEVERITIES = ["High", "Medium", "Low", "Informational", "UnSpecified"] as const;
export const STATUSES = ["Active", "InProgress", "Resolved", "Redirected"] as const;
export const CLASSIFICATIONS = ["Unknown", "TruePositive", "InformationalExpectedActivity", "FalsePositive", "BenignPositive"] as const;
export const TIME_RANGES = ["24h", "7d", "30d", "custom"] as const;
export const SORT_KEYS = ["updated", "severity", "created", "due"] as const;
/** Service-level filters: a clock already past its due time, or falling due within the hour. */
export const SLA_FILTERS = ["overdue", "due_soon"] as const;
export type SlaFilter = (typeof SLA_FILTERS)[number];

export type QueueSort = (typeof SORT_KEYS)[number];
export type SortDirection = "asc" | "desc";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CURSOR = /^[A-Za-z0-9_-]{1,400}$/;

/** Keeps only the listed values of a multi-valued parameter (repeated keys or comma-separated). */
function multi<T extends string>(allowed: readonly T[], normalise: (value: string) => string = (v) => v) {
  return z
    .unknown()
    .transform((raw): T[] => {
      const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => (typeof v === "string" ? v.split(",") : []));
      const kept = values.map((v) => normalise(v.trim())).filter((v): v is T => (allowed as readonly string[]).includes(v));
      return [...new Set(kept)].slice(0, 50);
    })
    .catch([]);
}

function single<S extends z.ZodType>(schema: S) {
  return z.preprocess((raw) => (Array.isArray(raw) ? raw[0] : raw === "" ? undefined : raw), schema.optional()).catch(undefined);
}

const tenantList = z
  .unknown()
  .transform((raw): string[] => {
    const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => (typeof v === "string" ? v.split(",") : []));
    return [...new Set(values.map((v) => v.trim().toLowerCase()).filter(isTenantId))].slice(0, 200);
  })
  .catch([]);

/** A calendar day that exists ("2025-02-30" does not) and that the database can compare with. */
const validDate = z
  .string()
  .regex(DATE)
  .refine((v) => {
    const day = new Date(`${v}T00:00:00Z`);
    return isStorableDate(day) && day.toISOString().startsWith(v);
  });

/** Free text for a query: control characters (a NUL makes PostgreSQL refuse it) mean no filter. */
const text = (max: number) => z.string().trim().min(1).max(max).refine(isPlainText);

/** "Incidents with indicator X": `type:value`, kept in its normalised spelling (or dropped). */
const indicatorFilter = z.string().transform((raw, ctx) => {
  const indicator = parseIndicatorParam(raw);
  if (indicator) return indicatorParam(indicator);
  ctx.addIssue({ code: "custom", message: "not an indicator" });
  return z.NEVER;
});

/** Queue filters as they live in the URL; anything malformed is dropped, never trusted. */
export const queueFilterSchema = z.object({
  tenant: tenantList,
  severity: multi(SEVERITIES),
  status: multi(STATUSES),
  /** "unassigned", "me", or an assignee (email / UPN as Defender stores it). */
  assigned: single(text(256)),
  classification: single(z.enum(CLASSIFICATIONS)),
  time: single(z.enum(["created", "updated"])),
  range: single(z.enum(TIME_RANGES)),
  from: single(validDate),
  to: single(validDate),
  q: single(text(200)),
  sla: single(z.enum(SLA_FILTERS)),
  indicator: single(indicatorFilter),
  sort: single(z.enum(SORT_KEYS)),
  dir: single(z.enum(["asc", "desc"])),
  after: single(z.string().regex(CURSOR)),
  before: single(z.string().regex(CURSOR)),
});

export type QueueFilters = z.infer<typeof queueFilterSchema>;

export type SearchParamsRecord = Record<string, string | string[] | undefined>;

export function parseQueueFilters(searchParams: SearchParamsRecord | URLSearchParams): QueueFilters {
  const record: Record<string, string | string[]> = {};
  const entries = searchParams instanceof URLSearchParams ? [...searchParams.entries()] : Object.entries(searchParams);
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    const existing = record[key];
    record[key] = existing === undefined ? value : ([] as string[]).concat(existing, value);
  }
  const filters = queueFilterSchema.parse(record);
  // Only one paging direction at a time; "after" wins.
  if (filters.after) filters.before = undefined;
  return filters;
}

/** The sort and its direction; "next due" reads soonest first unless asked otherwise, the others newest first. */
export function sortOf(filters: QueueFilters): { sort: QueueSort; dir: SortDirection } {
  const sort = filters.sort ?? "updated";
  return { sort, dir: filters.dir ?? defaultDirection(sort) };
}

export function defaultDirection(sort: QueueSort): SortDirection {
  return sort === "due" ? "asc" : "desc";
}

/** The time window the filters ask for, relative to `now`; null ends mean "open". */
export function timeWindow(filters: QueueFilters, now: Date): { field: "createdTime" | "lastUpdateTime"; from: Date | null; to: Date | null } | null {
  const field = filters.time === "created" ? "createdTime" : "lastUpdateTime";
  const hour = 3_600_000;
  // Dates filled in without choosing "Custom" still mean a custom window.
  const range = filters.range ?? (filters.from || filters.to ? "custom" : undefined);
  switch (range) {
    case "24h":
      return { field, from: new Date(now.getTime() - 24 * hour), to: null };
    case "7d":
      return { field, from: new Date(now.getTime() - 7 * 24 * hour), to: null };
    case "30d":
      return { field, from: new Date(now.getTime() - 30 * 24 * hour), to: null };
    case "custom": {
      const from = filters.from ? new Date(`${filters.from}T00:00:00Z`) : null;
      // "to" is a whole day, inclusive.
      const to = filters.to ? new Date(Date.parse(`${filters.to}T00:00:00Z`) + 24 * hour) : null;
      return from || to ? { field, from, to } : null;
    }
    default:
      return null;
  }
}

/** True when any filter narrows the queue (paging and sorting do not count). */
export function hasActiveFilters(filters: QueueFilters): boolean {
  return Boolean(
    filters.tenant.length ||
    filters.severity.length ||
    filters.status.length ||
    filters.assigned ||
    filters.classification ||
    filters.q ||
    filters.sla ||
    filters.indicator ||
    timeWindow(filters, new Date()),
  );
}

type Override = Partial<{ [K in keyof QueueFilters]: QueueFilters[K] | null }>;

/** The URL query for these filters (with overrides; null removes), in a stable order. */
export function queueQueryString(filters: QueueFilters, overrides: Override = {}): string {
  const merged: Record<string, unknown> = { ...filters, ...overrides };
  const params = new URLSearchParams();
  for (const key of Object.keys(queueFilterSchema.shape)) {
    const value = merged[key];
    if (value === null || value === undefined || value === "") continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
