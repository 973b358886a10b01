// Pure: turns the overview's grouped rows (per day index, per severity, per tenant) into the series
// and figures the page draws. No server-only import: unit-tested apart from the database.

export const OVERVIEW_SEVERITIES = ["High", "Medium", "Low", "Informational", "UnSpecified"] as const;
export type OverviewSeverity = (typeof OVERVIEW_SEVERITIES)[number];

/** A stored severity in the chart's buckets: any case; values Microsoft adds later count as Unspecified. */
export function severityBucket(severity: string): OverviewSeverity {
  return OVERVIEW_SEVERITIES.find((s) => s.toLowerCase() === severity.toLowerCase()) ?? "UnSpecified";
}

export type DailyVolume = {
  /** "2026-12-02" (UTC). */
  day: string;
  opened: Record<OverviewSeverity, number>;
  openedTotal: number;
  resolved: number;
};

const noSeverities = (): Record<OverviewSeverity, number> => ({ High: 0, Medium: 0, Low: 0, Informational: 0, UnSpecified: 0 });

/** One entry per day of the period, zeros where nothing happened; rows outside the period are ignored. */
export function dailyVolumes(input: {
  dayKeys: string[];
  opened: { day: number; severity: string; count: number }[];
  resolved: { day: number; count: number }[];
}): DailyVolume[] {
  const days = input.dayKeys.map((day) => ({ day, opened: noSeverities(), openedTotal: 0, resolved: 0 }));
  for (const row of input.opened) {
    const entry = days[row.day];
    if (!entry) continue;
    entry.opened[severityBucket(row.severity)] += row.count;
    entry.openedTotal += row.count;
  }
  for (const row of input.resolved) {
    const entry = days[row.day];
    if (entry) entry.resolved += row.count;
  }
  return days;
}

/**
 * The open backlog at each day's end from +1 / −1 changes: an incident enters on the first day
 * whose end is after its creation and leaves on the first day whose end is at or after its
 * resolution (overview-queries.ts computes those day indexes in one pass over the incidents).
 */
export function backlogSeries(changes: { day: number; delta: number }[], days: number): number[] {
  const delta = new Array<number>(days).fill(0);
  for (const change of changes) if (change.day >= 0 && change.day < days) delta[change.day]! += change.delta;
  let open = 0;
  return delta.map((d) => (open += d));
}

/** Met out of decided, as a whole-number-friendly percentage; null when nothing was decided. */
export function attainmentPercent(met: number, decided: number): number | null {
  return decided > 0 ? (100 * met) / decided : null;
}

export type Attainment = { met: number; decided: number; percent: number | null };

export function attainment(met: number, decided: number): Attainment {
  return { met, decided, percent: attainmentPercent(met, decided) };
}

/** Both clocks pooled: every decided acknowledgement and resolution target counts once. */
export function pooledAttainment(parts: Attainment[]): Attainment {
  return attainment(
    parts.reduce((sum, p) => sum + p.met, 0),
    parts.reduce((sum, p) => sum + p.decided, 0),
  );
}
