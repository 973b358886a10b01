import { z } from "zod";
import { isTenantId } from "../../lib/ids";

// Pure: the overview's filters as they live in the URL, and the period they mean. No server-only
// import: the page, the filter bar and the tests share it.

export const OVERVIEW_PERIODS = [7, 30, 90] as const;
export type OverviewPeriodDays = (typeof OVERVIEW_PERIODS)[number];
export const DEFAULT_OVERVIEW_PERIOD: OverviewPeriodDays = 30;

export const DAY_MS = 86_400_000;

/** The first value of a parameter that may be repeated. */
const first = (raw: unknown): unknown => (Array.isArray(raw) ? raw[0] : raw);

const periodDays = z
  .unknown()
  .transform((raw): OverviewPeriodDays => {
    const value = first(raw);
    const days = typeof value === "string" && /^\d{1,3}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
    return OVERVIEW_PERIODS.find((p) => p === days) ?? DEFAULT_OVERVIEW_PERIOD;
  })
  .catch(DEFAULT_OVERVIEW_PERIOD);

const tenantList = z
  .unknown()
  .transform((raw): string[] => {
    const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => (typeof v === "string" ? v.split(",") : []));
    return [...new Set(values.map((v) => v.trim().toLowerCase()).filter(isTenantId))].slice(0, 200);
  })
  .catch([]);

/** Overview filters from the URL; anything malformed is dropped (the default applies), never trusted. */
export const overviewFilterSchema = z.object({ days: periodDays, tenant: tenantList });

export type OverviewFilters = z.infer<typeof overviewFilterSchema>;

export function parseOverviewFilters(searchParams: Record<string, string | string[] | undefined> | URLSearchParams): OverviewFilters {
  const record: Record<string, string | string[]> = {};
  const entries = searchParams instanceof URLSearchParams ? [...searchParams.entries()] : Object.entries(searchParams);
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    const existing = record[key];
    record[key] = existing === undefined ? value : ([] as string[]).concat(existing, value);
  }
  return overviewFilterSchema.parse(record);
}

/** The URL query for these filters (the default period left out), in a stable order. */
export function overviewQueryString(filters: OverviewFilters, overrides: Partial<OverviewFilters> = {}): string {
  const merged = { ...filters, ...overrides };
  const params = new URLSearchParams();
  if (merged.days !== DEFAULT_OVERVIEW_PERIOD) params.set("days", String(merged.days));
  for (const tenant of merged.tenant) params.append("tenant", tenant);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The next longer period, or null at the longest: what an empty overview offers. */
export function widerPeriod(days: OverviewPeriodDays): OverviewPeriodDays | null {
  return OVERVIEW_PERIODS.find((p) => p > days) ?? null;
}

/**
 * The period as whole UTC days ending with today (the portal writes every time in UTC): `start` is
 * midnight `days - 1` days before today, `end` the coming midnight (exclusive). Day `k` is
 * [start + k days, start + k + 1 days).
 */
export type OverviewPeriod = { days: OverviewPeriodDays; start: Date; end: Date; now: Date };

export function overviewPeriod(days: OverviewPeriodDays, now: Date): OverviewPeriod {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return { days, start: new Date(today - (days - 1) * DAY_MS), end: new Date(today + DAY_MS), now };
}

/** "2026-12-02" for each day of the period, oldest first. */
export function periodDayKeys(period: Pick<OverviewPeriod, "days" | "start">): string[] {
  return Array.from({ length: period.days }, (_, k) => new Date(period.start.getTime() + k * DAY_MS).toISOString().slice(0, 10));
}
