import Link from "next/link";
import { OVERVIEW_PERIODS, type OverviewFilters } from "@/server/overview/overview-filters";
import { primaryButton } from "../ui/button-styles";
import { TenantPicker } from "../ui/tenant-picker";

const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-800";
const label = "flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400";

/** A plain GET form: the period and the tenants live in the URL, so a view can be bookmarked and shared. */
export function OverviewFilterBar({ filters, tenants }: { filters: OverviewFilters; tenants: { id: string; displayName: string }[] }) {
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
      <TenantPicker name="tenant" chosen={tenants.filter((t) => filters.tenant.includes(t.id))} tenantCount={tenants.length} />
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
