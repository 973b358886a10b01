import Link from "next/link";
import { CLASSIFICATIONS, queueQueryString, SEVERITIES, sortOf, STATUSES, type QueueFilters } from "@/server/incidents/queue-filters";
import { parseIndicatorParam } from "@/server/indicators/indicator-filters";
import { indicatorTypeLabel } from "../indicators/indicator-labels";
import type { QueueFilterOptions } from "@/server/incidents/queue-options";
import { primaryButton } from "../ui/button-styles";
import { TenantPicker } from "../ui/tenant-picker";
import { CLASSIFICATION_LABEL, SEVERITY_LABEL, STATUS_LABEL } from "../incidents/incident-labels";

const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-800";
const label = "flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400";
const chip =
  "cursor-pointer select-none rounded-full border border-slate-300 px-2.5 py-1 text-xs font-medium text-slate-700 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-600 has-[:checked]:text-white has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-500 dark:border-slate-600 dark:text-slate-300";

function ChipGroup({
  legend,
  name,
  values,
  labels,
  selected,
}: {
  legend: string;
  name: string;
  values: readonly string[];
  labels: Record<string, string>;
  selected: string[];
}) {
  return (
    <fieldset className="flex flex-wrap items-center gap-1.5">
      <legend className="mr-1 float-left text-xs font-medium text-slate-600 dark:text-slate-400">{legend}</legend>
      {values.map((value) => (
        <label key={value} className={chip}>
          <input type="checkbox" name={name} value={value} defaultChecked={selected.includes(value)} className="sr-only" />
          {labels[value] ?? value}
        </label>
      ))}
    </fieldset>
  );
}

/** "Incidents with indicator X" (from the Indicators or incident page): a chip to untick, or remove at once. */
function IndicatorChip({ filters, action }: { filters: QueueFilters; action: string }) {
  const indicator = parseIndicatorParam(filters.indicator);
  if (!filters.indicator || !indicator) return null;
  return (
    <fieldset className="flex min-w-0 flex-wrap items-center gap-1.5" data-testid="indicator-chip">
      <legend className="mr-1 float-left text-xs font-medium text-slate-600 dark:text-slate-400">Indicator</legend>
      <label className={`${chip} max-w-md truncate`} title={indicator.value}>
        <input type="checkbox" name="indicator" value={filters.indicator} defaultChecked className="sr-only" />
        {indicatorTypeLabel(indicator.type)}: <span className="font-mono">{indicator.value}</span>
      </label>
      <Link
        href={`${action}${queueQueryString(filters, { indicator: null, after: null, before: null })}`}
        className="rounded-full px-1.5 text-sm text-slate-500 hover:bg-slate-100 hover:text-slate-900 dark:hover:bg-slate-800 dark:hover:text-white"
        aria-label={`Remove the indicator filter ${indicator.value}`}
      >
        ×
      </Link>
    </fieldset>
  );
}

/**
 * A plain GET form: the whole filter state lives in the URL, so a view can be bookmarked, shared
 * and survives a reload. Submitting drops the page cursor, so a new filter starts at page one.
 */
export function QueueFilterBar({
  filters,
  options,
  username,
  action = "/",
}: {
  filters: QueueFilters;
  options: QueueFilterOptions;
  username: string;
  action?: string;
}) {
  const { sort, dir } = sortOf(filters);
  const knownAssignee = !filters.assigned || ["me", "unassigned"].includes(filters.assigned) || options.assignees.includes(filters.assigned);
  return (
    <form
      method="get"
      action={action}
      role="search"
      aria-label="Filter incidents"
      className="mb-4 space-y-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-end gap-3">
        <label className={label}>
          Search
          <input type="search" name="q" defaultValue={filters.q ?? ""} placeholder="Name, ID, user, IP, URL, hash, device" className={`${field} w-60`} />
        </label>
        <TenantPicker name="tenant" chosen={options.tenants.filter((t) => filters.tenant.includes(t.id))} tenantCount={options.tenants.length} />
        <label className={label}>
          Assigned to
          <select name="assigned" defaultValue={filters.assigned ?? ""} className={`${field} max-w-48`}>
            <option value="">Anyone</option>
            <option value="unassigned">Unassigned</option>
            <option value="me">Me ({username})</option>
            {!knownAssignee && filters.assigned ? <option value={filters.assigned}>{filters.assigned}</option> : null}
            {options.assignees.map((person) => (
              <option key={person} value={person}>
                {person}
              </option>
            ))}
          </select>
        </label>
        <label className={label}>
          Service level
          <select name="sla" defaultValue={filters.sla ?? ""} className={field}>
            <option value="">Any</option>
            <option value="overdue">Overdue</option>
            <option value="due_soon">Due within 1 hour</option>
          </select>
        </label>
        <label className={label}>
          Classification
          <select name="classification" defaultValue={filters.classification ?? ""} className={`${field} max-w-44`}>
            <option value="">Any</option>
            {CLASSIFICATIONS.map((value) => (
              <option key={value} value={value}>
                {CLASSIFICATION_LABEL[value] ?? value}
              </option>
            ))}
          </select>
        </label>
        <label className={label}>
          Time field
          <select name="time" defaultValue={filters.time ?? "updated"} className={field}>
            <option value="updated">Last update</option>
            <option value="created">Created</option>
          </select>
        </label>
        <label className={label}>
          Time range
          <select name="range" defaultValue={filters.range ?? ""} className={field}>
            <option value="">Any time</option>
            <option value="24h">Last 24 hours</option>
            <option value="7d">Last 7 days</option>
            <option value="30d">Last 30 days</option>
            <option value="custom">Custom (from–to)</option>
          </select>
        </label>
        <label className={label}>
          From
          <input type="date" name="from" defaultValue={filters.from ?? ""} className={field} />
        </label>
        <label className={label}>
          To
          <input type="date" name="to" defaultValue={filters.to ?? ""} className={field} />
        </label>
        <label className={label}>
          Sort by
          <select name="sort" defaultValue={sort} className={field}>
            <option value="updated">Last update</option>
            <option value="severity">Severity</option>
            <option value="created">Created</option>
            <option value="due">Next SLA due</option>
          </select>
        </label>
        <label className={label}>
          Order
          <select name="dir" defaultValue={dir} className={field}>
            <option value="desc">Descending</option>
            <option value="asc">Ascending</option>
          </select>
        </label>
      </div>
      <div className="flex flex-wrap items-center gap-x-6 gap-y-2">
        <ChipGroup legend="Severity" name="severity" values={SEVERITIES} labels={SEVERITY_LABEL} selected={filters.severity} />
        <ChipGroup legend="Status" name="status" values={STATUSES} labels={STATUS_LABEL} selected={filters.status} />
        <IndicatorChip filters={filters} action={action} />
        <div className="ml-auto flex items-center gap-3">
          <Link href={action} className="text-sm text-brand-600 hover:underline dark:text-brand-100">
            Clear filters
          </Link>
          <button type="submit" className={primaryButton}>
            Apply filters
          </button>
        </div>
      </div>
    </form>
  );
}
