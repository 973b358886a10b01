import { OVERVIEW_SEVERITIES, type DailyVolume, type OverviewSeverity } from "@/server/overview/overview-buckets";
import { SEVERITY_LABEL } from "../incidents/incident-labels";
import { axisTicks, bandOf, linearScale, linePath, px, shortDay } from "./chart-scale";
import { CHART_MARGIN as M, CHART_WIDTH as W, chartNumber as n, DayLabels, ValueGrid } from "./chart-axes";
import { ChartFigure, ChartLegend } from "./chart-figure";
import { RESOLVED_FILL, RESOLVED_STROKE, RESOLVED_SWATCH, SEVERITY_FILL, SEVERITY_SWATCH, td, tdNumber, th, thNumber } from "./overview-styles";

const H = 240;

function summary(daily: DailyVolume[]): string {
  const opened = daily.reduce((sum, d) => sum + d.openedTotal, 0);
  const resolved = daily.reduce((sum, d) => sum + d.resolved, 0);
  const busiest = daily.reduce<DailyVolume | null>((best, d) => (d.openedTotal > (best?.openedTotal ?? 0) ? d : best), null);
  const range = daily.length ? `${shortDay(daily[0]!.day)} to ${shortDay(daily.at(-1)!.day)}` : "";
  return `Incidents opened per day by severity, with incidents resolved per day, ${range}: ${n(opened)} opened and ${n(resolved)} resolved${
    busiest ? `; most opened on ${shortDay(busiest.day)} (${n(busiest.openedTotal)})` : ""
  }.`;
}

/** Stacked bars of incidents opened per day (High at the bottom) and a line of incidents resolved per day. */
export function DailyVolumeChart({ daily }: { daily: DailyVolume[] }) {
  const ticks = axisTicks(Math.max(0, ...daily.map((d) => Math.max(d.openedTotal, d.resolved))));
  const y = linearScale(ticks.at(-1)!, H - M.bottom, M.top);
  const plotWidth = W - M.left - M.right;
  const bands = daily.map((_, i) => bandOf(i, daily.length, M.left, plotWidth));
  return (
    <ChartFigure
      title="Opened and resolved per day"
      description="Incidents opened each day (by severity, from their creation in Microsoft Defender) and incidents resolved each day (first seen closed). Days in UTC."
      testId="overview-daily"
      legend={
        <ChartLegend
          items={[
            ...OVERVIEW_SEVERITIES.map((s) => ({ label: `Opened: ${SEVERITY_LABEL[s] ?? s}`, swatch: SEVERITY_SWATCH[s] })),
            { label: "Resolved", swatch: RESOLVED_SWATCH, shape: "line" as const },
          ]}
        />
      }
      table={
        <table className="min-w-full border-separate border-spacing-0">
          <caption className="sr-only">Incidents opened per day by severity, and resolved per day</caption>
          <thead>
            <tr>
              <th scope="col" className={th}>
                Day (UTC)
              </th>
              {OVERVIEW_SEVERITIES.map((s) => (
                <th key={s} scope="col" className={thNumber}>
                  {SEVERITY_LABEL[s] ?? s}
                </th>
              ))}
              <th scope="col" className={thNumber}>
                Opened
              </th>
              <th scope="col" className={thNumber}>
                Resolved
              </th>
            </tr>
          </thead>
          <tbody>
            {daily.map((d) => (
              <tr key={d.day}>
                <th scope="row" className={`${td} text-left font-normal`}>
                  {d.day}
                </th>
                {OVERVIEW_SEVERITIES.map((s) => (
                  <td key={s} className={tdNumber}>
                    {n(d.opened[s])}
                  </td>
                ))}
                <td className={`${tdNumber} font-semibold`}>{n(d.openedTotal)}</td>
                <td className={tdNumber}>{n(d.resolved)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary(daily)} className="h-auto w-full">
        <ValueGrid ticks={ticks} y={y} />
        {daily.map((d, i) => (
          <g key={d.day}>
            {stack(d).map(({ severity, count, from, to }) => (
              <rect
                key={severity}
                x={bands[i]!.x}
                width={bands[i]!.width}
                y={y(to)}
                height={px(Math.max(0, y(from) - y(to)))}
                className={SEVERITY_FILL[severity]}
              >
                <title>{`${d.day}: ${n(count)} ${SEVERITY_LABEL[severity] ?? severity} opened`}</title>
              </rect>
            ))}
          </g>
        ))}
        <path d={linePath(daily.map((d, i) => ({ x: bands[i]!.center, y: y(d.resolved) })))} fill="none" strokeWidth={2} className={RESOLVED_STROKE} />
        {daily.length <= 31
          ? daily.map((d, i) => (
              <circle key={d.day} cx={bands[i]!.center} cy={y(d.resolved)} r={3} className={RESOLVED_FILL}>
                <title>{`${d.day}: ${n(d.resolved)} resolved`}</title>
              </circle>
            ))
          : null}
        <DayLabels days={daily.map((d) => d.day)} x={(i) => bands[i]!.center} height={H} />
      </svg>
    </ChartFigure>
  );
}

/** The day's bar segments, High at the bottom: each severity from the running total to the next. */
function stack(d: DailyVolume): { severity: OverviewSeverity; count: number; from: number; to: number }[] {
  const ends = OVERVIEW_SEVERITIES.map((_, j) => OVERVIEW_SEVERITIES.slice(0, j + 1).reduce((sum, s) => sum + d.opened[s], 0));
  return OVERVIEW_SEVERITIES.map((severity, j) => ({ severity, count: d.opened[severity], from: ends[j]! - d.opened[severity], to: ends[j]! })).filter(
    (segment) => segment.count > 0,
  );
}
