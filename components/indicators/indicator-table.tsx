import Link from "next/link";
import type { SharedIndicator } from "@/server/indicators/shared-indicators";
import { indicatorQueryString, indicatorSortOf, type IndicatorFilters, type IndicatorSort } from "@/server/indicators/indicator-filters";
import { DateTime } from "../ui/date-time";
import { SeverityBadge } from "../incidents/severity-badge";
import { nextSortDirection, SortableHeader } from "../ui/sortable-header";
import { tableHeaderCell } from "../ui/table-styles";
import { indicatorQueueHref, indicatorTypeLabel, severityOfRank } from "./indicator-labels";

const th = tableHeaderCell;
const td = "border-b border-slate-100 px-2 py-1.5 align-top text-sm dark:border-slate-800";

function SortHeader({ filters, sort, label }: { filters: IndicatorFilters; sort: IndicatorSort; label: string }) {
  const current = indicatorSortOf(filters);
  const active = current.sort === sort ? current.dir : null;
  const dir = nextSortDirection(active, sort === "value" ? "asc" : "desc");
  return <SortableHeader label={label} active={active} href={`/indicators${indicatorQueryString(filters, { sort, dir, page: null })}`} />;
}

/** Indicators seen in two or more customers. Customer strings (values, tenant names) render as React text, never HTML. */
export function IndicatorTable({ rows, filters, days }: { rows: SharedIndicator[]; filters: IndicatorFilters; days: number }) {
  return (
    <div className="overflow-auto rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <table className="min-w-full border-separate border-spacing-0" data-testid="indicator-table">
        <caption className="sr-only">Indicators seen in two or more customer tenants in the last {days} days. Each value links to its incidents.</caption>
        <thead>
          <tr>
            <th scope="col" className={th}>
              Type
            </th>
            <SortHeader filters={filters} sort="value" label="Indicator" />
            <SortHeader filters={filters} sort="tenants" label="Customers" />
            <th scope="col" className={th}>
              Incidents
            </th>
            <SortHeader filters={filters} sort="first_seen" label="First seen" />
            <SortHeader filters={filters} sort="last_seen" label="Last seen" />
            <SortHeader filters={filters} sort="severity" label="Highest severity" />
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.type}:${row.value}`} className="hover:bg-slate-50 dark:hover:bg-slate-800/60">
              <td className={`${td} whitespace-nowrap text-slate-600 dark:text-slate-400`}>{indicatorTypeLabel(row.type)}</td>
              <td className={`${td} max-w-md`}>
                <Link
                  href={indicatorQueueHref(row)}
                  className="break-all font-mono text-brand-600 hover:underline dark:text-brand-100"
                  title="Show the incidents with this indicator"
                >
                  {row.value}
                </Link>
              </td>
              <td className={td}>
                <span className="font-semibold">{row.tenantCount}</span>
                <span className="text-slate-600 dark:text-slate-400">
                  {" "}
                  · {row.tenantNames.join(", ")}
                  {row.tenantCount > row.tenantNames.length ? ` and ${row.tenantCount - row.tenantNames.length} more` : ""}
                </span>
              </td>
              <td className={`${td} tabular-nums`}>{row.incidentCount}</td>
              <td className={`${td} whitespace-nowrap`}>
                <DateTime value={row.firstSeen} />
              </td>
              <td className={`${td} whitespace-nowrap`}>
                <DateTime value={row.lastSeen} />
              </td>
              <td className={td}>
                <SeverityBadge severity={severityOfRank(row.severityRank)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
