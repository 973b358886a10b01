import type { OverviewSeverity } from "@/server/overview/overview-buckets";

// Class lists shared by the overview's charts and tables. Written out whole so Tailwind finds them;
// SVG takes colour through fill / stroke classes (the CSP allows no inline style attributes).

export const SEVERITY_FILL: Record<OverviewSeverity, string> = {
  High: "fill-red-600 dark:fill-red-500",
  Medium: "fill-orange-500 dark:fill-orange-400",
  Low: "fill-yellow-400 dark:fill-yellow-300",
  Informational: "fill-sky-400 dark:fill-sky-300",
  UnSpecified: "fill-slate-400 dark:fill-slate-500",
};

export const SEVERITY_SWATCH: Record<OverviewSeverity, string> = {
  High: "bg-red-600 dark:bg-red-500",
  Medium: "bg-orange-500 dark:bg-orange-400",
  Low: "bg-yellow-400 dark:bg-yellow-300",
  Informational: "bg-sky-400 dark:bg-sky-300",
  UnSpecified: "bg-slate-400 dark:bg-slate-500",
};

export const RESOLVED_STROKE = "stroke-emerald-600 dark:stroke-emerald-400";
export const RESOLVED_FILL = "fill-emerald-600 dark:fill-emerald-400";
export const RESOLVED_SWATCH = "bg-emerald-600 dark:bg-emerald-400";

export const GRID_LINE = "stroke-slate-200 dark:stroke-slate-800";
export const AXIS_TEXT = "fill-slate-500 text-[11px] dark:fill-slate-400";

export const panel = "rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900";
export const th =
  "whitespace-nowrap border-b border-slate-200 px-2 py-1.5 text-left text-[11px] font-semibold uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400";
export const thNumber = `${th} text-right`;
export const td = "whitespace-nowrap border-b border-slate-100 px-2 py-1.5 text-sm dark:border-slate-800/60";
export const tdNumber = `${td} text-right tabular-nums`;

/** A share of targets met: green from 90%, amber from 75%, red below (the number is always shown too). */
export function attainmentFill(percent: number | null): string {
  if (percent === null) return "fill-slate-300 dark:fill-slate-600";
  if (percent >= 90) return "fill-emerald-600 dark:fill-emerald-400";
  if (percent >= 75) return "fill-amber-500 dark:fill-amber-400";
  return "fill-red-600 dark:fill-red-500";
}
