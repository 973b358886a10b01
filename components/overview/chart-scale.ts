// Pure: the arithmetic of the overview's server-rendered SVG charts (axis ranges, ticks, bar
// positions, line paths). No React and no DOM, so it is unit-tested on its own.

/** The smallest "round" number (1, 2 or 5 × 10ⁿ) at or above `value`; 1 for nothing to show. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

/** Evenly spaced whole-number ticks from 0 to a nice maximum at or above `max`, at most `count` + 1 of them. */
export function axisTicks(max: number, count = 4): number[] {
  const top = niceMax(max);
  const step = Math.max(1, niceMax(top / count));
  const ticks: number[] = [];
  for (let value = 0; value <= top + step / 2; value += step) ticks.push(value);
  // The last tick covers the maximum even when the step does not divide the nice maximum.
  if (ticks.at(-1)! < max) ticks.push(ticks.at(-1)! + step);
  return ticks;
}

/** SVG coordinates to 0.01 px: enough for any screen, and short in the HTML. */
export const px = (value: number): number => Math.round(value * 100) / 100;

/** Maps [0, domainMax] onto [bottom, top] in SVG coordinates (y grows downwards). */
export function linearScale(domainMax: number, bottom: number, top: number): (value: number) => number {
  const span = domainMax > 0 ? domainMax : 1;
  return (value) => px(bottom - ((bottom - top) * Math.min(Math.max(value, 0), span)) / span);
}

/** Bar `index` of `count` across [left, left + width]: its x and width, with a gap between bars. */
export function bandOf(index: number, count: number, left: number, width: number, gapRatio = 0.25): { x: number; width: number; center: number } {
  const band = width / Math.max(count, 1);
  const barWidth = band * (1 - gapRatio);
  const x = left + index * band + (band - barWidth) / 2;
  return { x: px(x), width: px(barWidth), center: px(left + index * band + band / 2) };
}

/** Which of `count` days get an axis label: the first, the last, and evenly between, at most `max`. */
export function labelIndexes(count: number, max = 7): number[] {
  if (count <= 0) return [];
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  const step = Math.ceil((count - 1) / (max - 1));
  const indexes: number[] = [];
  for (let i = 0; i < count - 1; i += step) indexes.push(i);
  // Keep the last day, dropping a label that would crowd it.
  if (count - 1 - indexes.at(-1)! < step / 2) indexes.pop();
  indexes.push(count - 1);
  return indexes;
}

/** An SVG path through the points ("M x y L x y …"), rounded to 0.1 px. */
export function linePath(points: { x: number; y: number }[]): string {
  const r = (n: number) => Math.round(n * 10) / 10;
  return points.map((p, i) => `${i === 0 ? "M" : "L"}${r(p.x)} ${r(p.y)}`).join(" ");
}

/** "Dec 2" for a "2026-12-02" day key (UTC, as every time in the portal). */
export function shortDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "InitialAccess" → "Initial access": Microsoft's category names in words. */
export function categoryLabel(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[\s_]+/)
    .filter(Boolean);
  return words.map((w, i) => (i === 0 ? w[0]!.toUpperCase() + w.slice(1) : /^[A-Z0-9]{2,}$/.test(w) ? w : w.toLowerCase())).join(" ");
}

/** "45.5%" (one decimal under 100, none at 100), or "—" when nothing was decided. */
export function formatPercent(percent: number | null): string {
  if (percent === null) return "—";
  const rounded = Math.round(percent * 10) / 10;
  return rounded === 100 ? "100%" : `${rounded.toFixed(1)}%`;
}
