import type { TopEntry } from "@/server/overview/overview-view";
import { categoryLabel } from "./chart-scale";
import { panel, td, tdNumber, th, thNumber } from "./overview-styles";

const BAR = 120;

/**
 * A ranked list as a table with a bar per row: the table is the chart and its accessible form at
 * once. Names are customer data from Microsoft, rendered as text.
 */
export function TopList({
  title,
  description,
  nameHeader,
  entries,
  kind,
}: {
  title: string;
  description: string;
  nameHeader: string;
  entries: TopEntry[];
  kind: "category" | "technique";
}) {
  const max = Math.max(1, ...entries.map((e) => e.incidents));
  const id = `overview-top-${kind}`;
  return (
    <section className={panel} aria-labelledby={id} data-testid={id}>
      <h2 id={id} className="text-base font-semibold">
        {title}
      </h2>
      <p className="mb-3 mt-0.5 text-xs text-slate-500 dark:text-slate-400">{description}</p>
      {entries.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">None in this period.</p>
      ) : (
        <table className="min-w-full border-separate border-spacing-0">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col" className={th}>
                {nameHeader}
              </th>
              <th scope="col" className={thNumber}>
                Incidents
              </th>
              <th scope="col" className={thNumber}>
                Customers
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.name}>
                <th scope="row" className={`${td} text-left font-normal`}>
                  <span className="block max-w-56 truncate" title={entry.name}>
                    {kind === "category" ? categoryLabel(entry.name) : entry.name}
                  </span>
                </th>
                <td className={tdNumber}>
                  <span className="inline-flex items-center justify-end gap-2">
                    <svg width={BAR} height={8} viewBox={`0 0 ${BAR} 8`} aria-hidden="true" className="hidden shrink-0 sm:block">
                      <rect width={(BAR * entry.incidents) / max} height={8} rx={2} className="fill-brand-500 dark:fill-sky-400" />
                    </svg>
                    <span className="w-12">{entry.incidents.toLocaleString("en-US")}</span>
                  </span>
                </td>
                <td className={tdNumber}>{entry.tenants.toLocaleString("en-US")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Where the top lists appear while they load. */
export function TopListsLoading() {
  return (
    <div className={`${panel} text-sm text-slate-500 dark:text-slate-400`} role="status">
      Counting alert categories and MITRE techniques…
    </div>
  );
}
