import Link from "next/link";
import { INDICATOR_TYPES } from "@/server/indicators/indicator-normalise";
import { indicatorSortOf, periodDays, type IndicatorFilters } from "@/server/indicators/indicator-filters";
import { primaryButton } from "../ui/button-styles";
import { indicatorTypeLabel } from "./indicator-labels";

const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-800";
const label = "flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400";

/** A plain GET form: period, type and text live in the URL (bookmarkable); applying starts at page one. */
export function IndicatorFilterBar({ filters }: { filters: IndicatorFilters }) {
  const { sort, dir } = indicatorSortOf(filters);
  return (
    <form
      method="get"
      action="/indicators"
      role="search"
      aria-label="Filter indicators"
      className="mb-4 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <label className={label}>
        Period
        <select name="period" defaultValue={String(periodDays(filters))} className={field}>
          <option value="7">Last 7 days</option>
          <option value="30">Last 30 days</option>
          <option value="90">Last 90 days</option>
        </select>
      </label>
      <label className={label}>
        Type
        <select name="type" defaultValue={filters.type ?? ""} className={field}>
          <option value="">Any type</option>
          {INDICATOR_TYPES.filter((t) => t !== "account").map((type) => (
            <option key={type} value={type}>
              {indicatorTypeLabel(type)}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        Contains
        <input type="search" name="q" defaultValue={filters.q ?? ""} placeholder="IP, hash, URL, domain, sender" className={`${field} w-64`} />
      </label>
      <input type="hidden" name="sort" value={sort} />
      <input type="hidden" name="dir" value={dir} />
      <div className="ml-auto flex items-center gap-3">
        <Link href="/indicators" className="text-sm text-brand-600 hover:underline dark:text-brand-100">
          Clear filters
        </Link>
        <button type="submit" className={primaryButton}>
          Apply
        </button>
      </div>
    </form>
  );
}
