import type { Attainment } from "@/server/overview/overview-buckets";
import type { CustomerServiceLevel } from "@/server/overview/overview-view";
import { formatDuration } from "@/lib/time";
import { formatPercent } from "./chart-scale";
import { attainmentFill, panel, td, tdNumber, th, thNumber } from "./overview-styles";

const BAR = 64;

/** A share of targets met as a small bar and its figure ("45.5%, 5 of 11"); the number carries the meaning. */
function AttainmentCell({ sla }: { sla: Attainment }) {
  return (
    <td className={tdNumber}>
      <span className="inline-flex items-center justify-end gap-2">
        <svg width={BAR} height={8} viewBox={`0 0 ${BAR} 8`} aria-hidden="true" className="shrink-0">
          <rect width={BAR} height={8} rx={2} className="fill-slate-100 dark:fill-slate-800" />
          {sla.percent !== null ? <rect width={(BAR * sla.percent) / 100} height={8} rx={2} className={attainmentFill(sla.percent)} /> : null}
        </svg>
        <span className="w-12">{formatPercent(sla.percent)}</span>
        <span className="w-16 text-xs text-slate-500 dark:text-slate-400">
          {sla.decided ? `${sla.met.toLocaleString("en-US")} of ${sla.decided.toLocaleString("en-US")}` : "none due"}
        </span>
      </span>
    </td>
  );
}

/** Times to acknowledge and resolve per customer, and the share of targets met, for incidents created in the period. */
export function CustomerServiceTable({ customers }: { customers: CustomerServiceLevel[] }) {
  return (
    <section className={panel} aria-labelledby="overview-customers" data-testid="overview-customers">
      <h2 id="overview-customers" className="text-base font-semibold">
        Service levels per customer
      </h2>
      <p className="mb-3 mt-0.5 text-xs text-slate-500 dark:text-slate-400">
        Incidents created in the period. Times run from creation in Microsoft Defender. A target counts once it is decided: met or missed, or past due while
        still open; a step without a target does not count.
      </p>
      <div className="overflow-x-auto">
        <table className="min-w-full border-separate border-spacing-0">
          <caption className="sr-only">Times to acknowledge and resolve, and service-level targets met, per customer</caption>
          <thead>
            <tr>
              <th scope="col" className={th}>
                Customer
              </th>
              <th scope="col" className={thNumber}>
                Incidents
              </th>
              <th scope="col" className={thNumber}>
                Acknowledge, median
              </th>
              <th scope="col" className={thNumber}>
                p90
              </th>
              <th scope="col" className={thNumber}>
                Acknowledged in time
              </th>
              <th scope="col" className={thNumber}>
                Resolve, median
              </th>
              <th scope="col" className={thNumber}>
                p90
              </th>
              <th scope="col" className={thNumber}>
                Resolved in time
              </th>
            </tr>
          </thead>
          <tbody>
            {customers.map((c) => (
              <tr key={c.tenantId}>
                <th scope="row" className={`${td} max-w-64 truncate text-left font-medium`} title={c.tenantId}>
                  {c.displayName}
                </th>
                <td className={tdNumber}>{c.incidents.toLocaleString("en-US")}</td>
                <td className={tdNumber}>{formatDuration(c.acknowledge.median, { unit: "seconds" })}</td>
                <td className={tdNumber}>{formatDuration(c.acknowledge.p90, { unit: "seconds" })}</td>
                <AttainmentCell sla={c.acknowledge.sla} />
                <td className={tdNumber}>{formatDuration(c.resolve.median, { unit: "seconds" })}</td>
                <td className={tdNumber}>{formatDuration(c.resolve.p90, { unit: "seconds" })}</td>
                <AttainmentCell sla={c.resolve.sla} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
