import Link from "next/link";
import type { QueueRow } from "@/server/incidents/queue-query";
import { defaultDirection, queueQueryString, sortOf, type QueueFilters, type QueueSort } from "@/server/incidents/queue-filters";
import { ServiceLevelCell } from "./service-level-cell";
import { IncidentDataAge } from "../incidents/incident-data-age";
import { verdictText } from "../incidents/incident-labels";
import { IncidentStatusBadge } from "../incidents/incident-status-badge";
import { IncidentTime } from "../incidents/incident-time";
import { QueueSelectAll } from "./queue-select-all";
import { SeverityBadge } from "../incidents/severity-badge";
import { nextSortDirection, SortableHeader } from "../ui/sortable-header";
import { tableHeaderCell } from "../ui/table-styles";

const th = tableHeaderCell;
const td = "px-2 py-1.5 align-middle text-sm";

export const BULK_FORM_ID = "bulk-form";

function SortHeader({ filters, sort, label }: { filters: QueueFilters; sort: QueueSort; label: string }) {
  const current = sortOf(filters);
  const active = current.sort === sort ? current.dir : null;
  const dir = nextSortDirection(active, defaultDirection(sort));
  return <SortableHeader label={label} active={active} href={`/${queueQueryString(filters, { sort, dir, after: null, before: null })}`} />;
}

/** The cross-tenant queue. Every customer string is rendered as React text (escaped), never as HTML. */
export function QueueTable({ rows, filters, now }: { rows: QueueRow[]; filters: QueueFilters; now: Date }) {
  return (
    <div className="max-h-[calc(100vh-16rem)] min-h-64 overflow-auto rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <table className="min-w-full border-separate border-spacing-0">
        <caption className="sr-only">Incidents of all customer tenants, {sortCaption(filters)}. Select rows to act on several incidents at once.</caption>
        <thead>
          <tr>
            <th scope="col" className={`${th} w-8`}>
              <QueueSelectAll formId={BULK_FORM_ID} />
            </th>
            <SortHeader filters={filters} sort="severity" label="Severity" />
            <th scope="col" className={th}>
              Incident
            </th>
            <th scope="col" className={th}>
              Tenant
            </th>
            <th scope="col" className={th}>
              Status
            </th>
            <SortHeader filters={filters} sort="due" label="SLA" />
            <th scope="col" className={th}>
              Assigned to
            </th>
            <th scope="col" className={th}>
              Classification
            </th>
            <th scope="col" className={`${th} text-right`}>
              Alerts
            </th>
            <th scope="col" className={th}>
              Sources
            </th>
            <th scope="col" className={th}>
              <span title="First and last activity of the alerts">Activity</span>
            </th>
            <SortHeader filters={filters} sort="created" label="Created" />
            <SortHeader filters={filters} sort="updated" label="Last update" />
            <th scope="col" className={th}>
              Data age
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const key = `${row.tenantId}:${row.incidentId}`;
            const verdict = verdictText(row.classification, row.determination);
            const sources = row.detectionSources.join(", ");
            return (
              <tr
                key={key}
                data-testid="incident-row"
                data-tenant-id={row.tenantId}
                data-incident-id={row.incidentId}
                data-severity={row.severity}
                data-status={row.status}
                className="border-b border-slate-100 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800/50 [&>td]:border-b [&>td]:border-slate-100 dark:[&>td]:border-slate-800"
              >
                <td className={td}>
                  <input
                    type="checkbox"
                    name="incident"
                    value={key}
                    form={BULK_FORM_ID}
                    aria-label={`Select incident ${row.incidentId} of ${row.tenantName}`}
                    className="h-4 w-4 rounded border-slate-300 dark:border-slate-600"
                  />
                </td>
                <td className={td}>
                  <SeverityBadge severity={row.severity} />
                </td>
                <td className={`${td} max-w-[20rem]`}>
                  <Link
                    href={`/incidents/${row.tenantId}/${row.incidentId}`}
                    className="block truncate font-medium text-slate-900 hover:text-brand-600 hover:underline dark:text-slate-100 dark:hover:text-brand-100"
                    title={row.incidentName}
                  >
                    {row.incidentName}
                  </Link>
                  <div className="font-mono text-[11px] text-slate-500">#{row.incidentId}</div>
                </td>
                <td className={`${td} max-w-32`}>
                  <Link
                    href={`/${queueQueryString(filters, { tenant: [row.tenantId], after: null, before: null })}`}
                    className="block truncate text-slate-700 hover:text-brand-600 hover:underline dark:text-slate-300 dark:hover:text-brand-100"
                    title={`Show only ${row.tenantName}`}
                  >
                    {row.tenantName}
                  </Link>
                </td>
                <td className={`${td} whitespace-nowrap`}>
                  <IncidentStatusBadge status={row.status} />
                </td>
                <td className={`${td} whitespace-nowrap`}>
                  <ServiceLevelCell serviceLevel={row.serviceLevel} now={now} />
                </td>
                <td className={`${td} max-w-36 text-xs`}>
                  {row.assignedTo ? (
                    <span className="block truncate" title={row.assignedTo}>
                      {row.assignedTo}
                    </span>
                  ) : (
                    <span className="text-slate-400">Unassigned</span>
                  )}
                </td>
                <td className={`${td} max-w-40`}>
                  <span className="block truncate text-xs" title={verdict}>
                    {verdict}
                  </span>
                </td>
                <td className={`${td} text-right tabular-nums`}>{row.alertCount}</td>
                <td className={`${td} max-w-28`}>
                  <span className="block truncate text-xs text-slate-600 dark:text-slate-400" title={sources}>
                    {sources || "—"}
                  </span>
                </td>
                <td className={`${td} text-[11px] leading-tight text-slate-600 dark:text-slate-400`}>
                  <div>
                    <span className="sr-only">First: </span>
                    <IncidentTime value={row.firstActivity} />
                  </div>
                  <div>
                    <span className="sr-only">Last: </span>
                    <IncidentTime value={row.lastActivity} />
                  </div>
                </td>
                <td className={`${td} text-xs`}>
                  <IncidentTime value={row.createdTime} />
                </td>
                <td className={`${td} text-xs`}>
                  <IncidentTime value={row.lastUpdateTime} />
                </td>
                <td className={td}>
                  <IncidentDataAge asOf={row.dataAsOf} now={now} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function sortCaption(filters: QueueFilters): string {
  const { sort, dir } = sortOf(filters);
  const what = sort === "severity" ? "highest severity" : sort === "created" ? "creation time" : sort === "due" ? "next service-level due time" : "last update";
  return `sorted by ${what}, ${dir === "desc" ? "descending" : "ascending"}`;
}
