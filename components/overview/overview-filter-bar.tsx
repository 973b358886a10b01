import Link from "next/link";
import { OVERVIEW_PERIODS, type OverviewFilters } from "@/server/overview/overview-filters";
import { primaryButton } from "../ui/button-styles";

const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-800";
const label = "flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400";

/** A plain GET form: the period and the tenants live in the URL, so a view can be bookmarked and shared. */
export function OverviewFilterBar({ filters, tenants }: { filters: OverviewFilters; tenants: { id: string; displayName: string }[] }) {
  const chosen = filters.tenant.filter((id) => tenants.some((t) => t.id === id)).length;
  return (
    <form
      method="get"
      action="/overview"
      aria-label="Choose the period and tenants"
      className="mb-6 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <label className={label}>
        Period
        <select name="days" defaultValue={String(filters.days)} className={field}>
          {OVERVIEW_PERIODS.map((days) => (
            <option key={days} value={days}>
              Last {days} days
            </option>
          ))}
        </select>
      </label>
      <details className="relative">
        <summary className={`${field} cursor-pointer list-none`} aria-label={`Tenants: ${chosen ? `${chosen} selected` : "all"}`}>
          Tenants: {chosen ? `${chosen} selected` : "All"} <span aria-hidden="true">▾</span>
        </summary>
        <fieldset className="absolute z-20 mt-1 max-h-72 w-72 overflow-auto rounded-md border border-slate-200 bg-white p-2 shadow-lg dark:border-slate-700 dark:bg-slate-800">
          <legend className="sr-only">Tenants</legend>
          {tenants.map((tenant) => (
            <label key={tenant.id} className="flex items-center gap-2 rounded px-1 py-1 text-sm hover:bg-slate-50 dark:hover:bg-slate-700">
              <input type="checkbox" name="tenant" value={tenant.id} defaultChecked={filters.tenant.includes(tenant.id)} />
              <span className="truncate" title={tenant.id}>
                {tenant.displayName}
              </span>
            </label>
          ))}
        </fieldset>
      </details>
      <div className="ml-auto flex items-center gap-3">
        <Link href="/overview" className="text-sm text-brand-600 hover:underline dark:text-brand-100">
          Reset
        </Link>
        <button type="submit" className={primaryButton}>
          Show
        </button>
      </div>
    </form>
  );
}
