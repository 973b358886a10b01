import { labelIndexes, shortDay } from "./chart-scale";
import { AXIS_TEXT, GRID_LINE } from "./overview-styles";

// The overview charts' shared frame: one width and margins, numbers in en-US, grid lines with
// their values on the left and a few day labels along the bottom.

export const CHART_WIDTH = 720;
export const CHART_MARGIN = { left: 40, right: 12, top: 10, bottom: 26 };
export const chartNumber = (value: number) => value.toLocaleString("en-US");

/** A horizontal grid line per tick across the plot, its value at the left. */
export function ValueGrid({ ticks, y }: { ticks: number[]; y: (value: number) => number }) {
  return ticks.map((tick) => (
    <g key={tick}>
      <line x1={CHART_MARGIN.left} x2={CHART_WIDTH - CHART_MARGIN.right} y1={y(tick)} y2={y(tick)} className={GRID_LINE} />
      <text x={CHART_MARGIN.left - 6} y={y(tick)} dy="0.32em" textAnchor="end" className={AXIS_TEXT}>
        {chartNumber(tick)}
      </text>
    </g>
  ));
}

/** At most seven day labels under the plot, centred on their day's x. */
export function DayLabels({ days, x, height }: { days: string[]; x: (index: number) => number; height: number }) {
  return labelIndexes(days.length).map((i) => (
    <text key={i} x={x(i)} y={height - CHART_MARGIN.bottom + 16} textAnchor="middle" className={AXIS_TEXT}>
      {shortDay(days[i]!)}
    </text>
  ));
}
