import Link from "next/link";
import type { AuditFilters } from "@/server/audit/audit-filters";
import { AUDIT_ACTION_LABEL } from "@/server/audit/audit-actions";
import { primaryButton } from "../ui/button-styles";

const field = "rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-800";

/** A plain GET form: the filters live in the URL, so a view can be bookmarked and shared. */
export function AuditFilterBar({ filters }: { filters: AuditFilters }) {
  return (
    <form method="get" action="/audit" role="search" aria-label="Filter audit events" className="mb-4 flex flex-wrap items-end gap-3">
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
        Action
        <select name="action" defaultValue={filters.action ?? ""} className={field}>
          <option value="">All actions</option>
          {Object.entries(AUDIT_ACTION_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
        Outcome
        <select name="outcome" defaultValue={filters.outcome ?? ""} className={field}>
          <option value="">Any outcome</option>
          <option value="success">Success</option>
          <option value="refused">Refused</option>
          <option value="failure">Failure</option>
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
        Tenant ID
        <input name="tenant" defaultValue={filters.tenant ?? ""} placeholder="Any tenant" className={`${field} w-72`} />
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
        Search
        <input type="search" name="q" defaultValue={filters.q ?? ""} placeholder="Who, reason or target" className={`${field} w-56`} />
      </label>
      <button type="submit" className={primaryButton}>
        Apply
      </button>
      <Link href="/audit" className="text-sm text-brand-600 hover:underline dark:text-brand-100">
        Reset
      </Link>
    </form>
  );
}
