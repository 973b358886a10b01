import Link from "next/link";
import type { TenantListFilters } from "@/server/tenants/tenant-list-filters";
import { tenantListQueryString, TENANTS_PAGE_SIZE } from "@/server/tenants/tenant-list-filters";
import { TENANT_STATUS_LABEL, TENANT_STATUS_ORDER, type TenantStatus } from "@/server/tenants/tenant-status";
import { PagerLink } from "../ui/pager-link";
import { primaryButton } from "../ui/button-styles";

const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-800";
const pill = "rounded-full border px-2.5 py-1 text-xs font-medium";
const pillIdle = `${pill} border-slate-300 text-slate-700 hover:bg-slate-50 dark:border-slate-600 dark:text-slate-300 dark:hover:bg-slate-800`;
const pillCurrent = `${pill} border-brand-600 bg-brand-600 text-white`;

/**
 * The Tenants page's controls, all in the URL: one link per status with its count (every tenant's
 * health at a glance, and a click narrows the table to it), and a name, id or domain search.
 */
export function TenantListControls({ filters, byStatus, total }: { filters: TenantListFilters; byStatus: Record<TenantStatus, number>; total: number }) {
  const href = (status: TenantStatus | null) => `/tenants${tenantListQueryString(filters, { status, page: null })}`;
  return (
    <div className="mb-4 space-y-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <nav aria-label="Tenants by status" className="flex flex-wrap items-center gap-1.5">
        <Link href={href(null)} className={filters.status ? pillIdle : pillCurrent} aria-current={filters.status ? undefined : "page"}>
          All {total.toLocaleString("en-US")}
        </Link>
        {TENANT_STATUS_ORDER.filter((status) => byStatus[status] > 0).map((status) => (
          <Link
            key={status}
            href={href(status)}
            className={filters.status === status ? pillCurrent : pillIdle}
            aria-current={filters.status === status ? "page" : undefined}
            data-testid={`tenant-status-${status}`}
          >
            {TENANT_STATUS_LABEL[status]} {byStatus[status].toLocaleString("en-US")}
          </Link>
        ))}
      </nav>
      <form method="get" action="/tenants" role="search" aria-label="Find tenants" className="flex flex-wrap items-end gap-2">
        {filters.status ? <input type="hidden" name="status" value={filters.status} /> : null}
        {filters.source ? <input type="hidden" name="source" value={filters.source} /> : null}
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
          Find a tenant
          <input type="search" name="q" defaultValue={filters.q ?? ""} placeholder="Name, tenant ID or domain" className={`${field} w-72`} />
        </label>
        <button type="submit" className={primaryButton}>
          Find
        </button>
        {filters.q ? (
          <Link
            href={`/tenants${tenantListQueryString(filters, { q: null, page: null })}`}
            className="px-2 py-1.5 text-sm text-brand-600 hover:underline dark:text-brand-100"
          >
            Clear
          </Link>
        ) : null}
      </form>
    </div>
  );
}

/** "Tenants 101–200 of 1,000" and the previous and next pages. */
export function TenantListPager({ filters, page, pageCount, matching }: { filters: TenantListFilters; page: number; pageCount: number; matching: number }) {
  const first = (page - 1) * TENANTS_PAGE_SIZE + 1;
  const last = Math.min(matching, page * TENANTS_PAGE_SIZE);
  const to = (n: number) => `/tenants${tenantListQueryString(filters, { page: n === 1 ? null : n })}`;
  return (
    <nav aria-label="Tenant pages" className="mt-3 flex items-center justify-between gap-3 text-sm text-slate-600 dark:text-slate-400">
      <span data-testid="tenant-range">
        Tenants {first.toLocaleString("en-US")}–{last.toLocaleString("en-US")} of {matching.toLocaleString("en-US")}
      </span>
      {pageCount > 1 ? (
        <span className="flex gap-2">
          <PagerLink rel="prev" href={page > 1 ? to(page - 1) : null} />
          <PagerLink rel="next" href={page < pageCount ? to(page + 1) : null} />
        </span>
      ) : null}
    </nav>
  );
}
