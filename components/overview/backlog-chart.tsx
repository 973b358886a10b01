import { axisTicks, bandOf, linearScale, linePath, shortDay } from "./chart-scale";
import { CHART_MARGIN as M, CHART_WIDTH as W, chartNumber as n, DayLabels, ValueGrid } from "./chart-axes";
import { ChartFigure } from "./chart-figure";
import { td, tdNumber, th, thNumber } from "./overview-styles";

const H = 200;

function summary(backlog: { day: string; open: number }[]): string {
  if (backlog.length === 0) return "Open incidents at each day's end: no days.";
  const first = backlog[0]!;
  const last = backlog.at(-1)!;
  const peak = backlog.reduce((best, d) => (d.open > best.open ? d : best), first);
  return `Open incidents at each day's end, from ${n(first.open)} on ${shortDay(first.day)} to ${n(last.open)} now; highest ${n(peak.open)} on ${shortDay(peak.day)}.`;
}

/** The open backlog at each day's end, as a line over a shaded area. */
export function BacklogChart({ backlog }: { backlog: { day: string; open: number }[] }) {
  const ticks = axisTicks(Math.max(0, ...backlog.map((d) => d.open)));
  const y = linearScale(ticks.at(-1)!, H - M.bottom, M.top);
  const points = backlog.map((d, i) => ({ x: bandOf(i, backlog.length, M.left, W - M.left - M.right).center, y: y(d.open) }));
  const line = linePath(points);
  const area = points.length ? `${line} L${points.at(-1)!.x.toFixed(1)} ${H - M.bottom} L${points[0]!.x.toFixed(1)} ${H - M.bottom} Z` : "";
  return (
    <ChartFigure
      title="Open backlog"
      description="Incidents created and not yet resolved at the end of each day (UTC); the last point is now."
      testId="overview-backlog"
      table={
        <table className="min-w-full border-separate border-spacing-0">
          <caption className="sr-only">Open incidents at each day&apos;s end</caption>
          <thead>
            <tr>
              <th scope="col" className={th}>
                Day (UTC)
              </th>
              <th scope="col" className={thNumber}>
                Open at day&apos;s end
              </th>
            </tr>
          </thead>
          <tbody>
            {backlog.map((d, i) => (
              <tr key={d.day}>
                <th scope="row" className={`${td} text-left font-normal`}>
                  {d.day}
                  {i === backlog.length - 1 ? " (now)" : ""}
                </th>
                <td className={tdNumber}>{n(d.open)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary(backlog)} className="h-auto w-full">
        <ValueGrid ticks={ticks} y={y} />
        <path d={area} className="fill-brand-500/15 dark:fill-sky-400/15" />
        <path d={line} fill="none" strokeWidth={2} className="stroke-brand-600 dark:stroke-sky-400" />
        {backlog.map((d, i) => (
          <circle key={d.day} cx={points[i]!.x} cy={points[i]!.y} r={backlog.length <= 31 ? 3 : 1.5} className="fill-brand-600 dark:fill-sky-400">
            <title>{`${d.day}: ${n(d.open)} open`}</title>
          </circle>
        ))}
        <DayLabels days={backlog.map((d) => d.day)} x={(i) => points[i]!.x} height={H} />
      </svg>
    </ChartFigure>
  );
}
