import type { OverviewView } from "@/server/overview/overview-view";
import { formatPercent } from "./chart-scale";

function Card({ label, value, detail, testId, tone = "plain" }: { label: string; value: string; detail?: string; testId: string; tone?: "plain" | "alert" }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <dt className="text-xs font-medium text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className={`mt-1 text-2xl font-semibold tabular-nums ${tone === "alert" ? "text-red-700 dark:text-red-400" : ""}`} data-testid={`overview-${testId}`}>
        {value}
      </dd>
      {detail ? <dd className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{detail}</dd> : null}
    </div>
  );
}

/** The figures people look at first: what is open now and how the period went. */
export function HeadlineCards({ headline, days }: { headline: OverviewView["headline"]; days: number }) {
  const n = (value: number) => value.toLocaleString("en-US");
  const met = (sla: { met: number; decided: number }) => (sla.decided ? `${n(sla.met)} of ${n(sla.decided)}` : "none due");
  return (
    <dl aria-label="Headline figures" className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
      <Card label="Open now" value={n(headline.open)} detail="Not resolved or redirected" testId="open" />
      <Card
        label="Overdue now"
        value={n(headline.overdue)}
        detail="Open and past a service-level due time"
        testId="overdue"
        tone={headline.overdue > 0 ? "alert" : "plain"}
      />
      <Card label={`Opened in ${days} days`} value={n(headline.openedInPeriod)} testId="opened" />
      <Card label={`Resolved in ${days} days`} value={n(headline.resolvedInPeriod)} testId="resolved" />
      <Card
        label="Service levels met"
        value={formatPercent(headline.sla.percent)}
        detail={`Acknowledge ${formatPercent(headline.acknowledgeSla.percent)} (${met(headline.acknowledgeSla)}) · resolve ${formatPercent(headline.resolveSla.percent)} (${met(headline.resolveSla)})`}
        testId="sla"
      />
    </dl>
  );
}
