import Link from "next/link";
import { Suspense } from "react";
import type { QueueSummary } from "@/server/incidents/queue-query";
import { queueQueryString, SEVERITIES, STATUSES, type QueueFilters } from "@/server/incidents/queue-filters";
import { SEVERITY_LABEL, STATUS_LABEL } from "../incidents/incident-labels";

const SEVERITY_DOT: Record<string, string> = {
  High: "bg-red-600",
  Medium: "bg-orange-500",
  Low: "bg-yellow-400",
  Informational: "bg-sky-400",
  UnSpecified: "bg-slate-400",
};

function Count({ href, label, count, dot, active }: { href: string; label: string; count: number; dot?: string; active: boolean }) {
  return (
    <Link
      href={href}
      aria-current={active ? "true" : undefined}
      title={`Show only ${label}`}
      className={`inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800 ${active ? "bg-slate-100 ring-1 ring-slate-300 dark:bg-slate-800 dark:ring-slate-600" : ""}`}
    >
      {dot ? <span aria-hidden="true" className={`h-2 w-2 rounded-full ${dot}`} /> : null}
      <span className="text-slate-600 dark:text-slate-400">{label}</span>
      <span className="font-semibold tabular-nums" data-testid={`summary-${label.toLowerCase().replace(/\s+/g, "-")}`}>
        {count.toLocaleString("en-US")}
      </span>
    </Link>
  );
}

/**
 * The summary as the page streams it: the table renders at once and the counts follow (a filter
 * over every customer's incidents may take longer to count than its first page takes to read).
 */
export function StreamedQueueSummary({ summary, filters }: { summary: Promise<QueueSummary>; filters: QueueFilters }) {
  return (
    <Suspense
      fallback={
        <section
          aria-label="Summary of the current filter"
          aria-busy="true"
          className="mb-3 flex items-center gap-2 text-sm text-slate-500 dark:text-slate-400"
        >
          <span aria-hidden="true" className="h-3 w-3 animate-pulse rounded-full bg-slate-300 dark:bg-slate-600" />
          Counting incidents…
        </section>
      }
    >
      <SummaryWhenCounted summary={summary} filters={filters} />
    </Suspense>
  );
}

async function SummaryWhenCounted({ summary, filters }: { summary: Promise<QueueSummary>; filters: QueueFilters }) {
  return <QueueSummaryBar summary={await summary} filters={filters} />;
}

/** Counts for the whole current filter (not just this page); each count narrows to itself. */
export function QueueSummaryBar({ summary, filters }: { summary: QueueSummary; filters: QueueFilters }) {
  return (
    <section aria-label="Summary of the current filter" className="mb-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
      <span className="font-semibold" data-testid="summary-total">
        {summary.total.toLocaleString("en-US")} {summary.total === 1 ? "incident" : "incidents"}
      </span>
      <span aria-hidden="true" className="h-4 w-px bg-slate-300 dark:bg-slate-700" />
      <div className="flex flex-wrap gap-1">
        {SEVERITIES.map((s) => (
          <Count
            key={s}
            href={`/${queueQueryString(filters, { severity: [s], after: null, before: null })}`}
            label={SEVERITY_LABEL[s] ?? s}
            count={summary.bySeverity[s] ?? 0}
            dot={SEVERITY_DOT[s]}
            active={filters.severity.length === 1 && filters.severity[0] === s}
          />
        ))}
      </div>
      <span aria-hidden="true" className="h-4 w-px bg-slate-300 dark:bg-slate-700" />
      <div className="flex flex-wrap gap-1">
        {STATUSES.map((s) => (
          <Count
            key={s}
            href={`/${queueQueryString(filters, { status: [s], after: null, before: null })}`}
            label={STATUS_LABEL[s] ?? s}
            count={summary.byStatus[s] ?? 0}
            active={filters.status.length === 1 && filters.status[0] === s}
          />
        ))}
      </div>
    </section>
  );
}
