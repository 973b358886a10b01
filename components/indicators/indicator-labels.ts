import { INDICATOR_TYPE_LABEL, type IndicatorType } from "@/server/indicators/indicator-normalise";

/** The stored severity rank (0 … 4) as the severity word the badges show. */
export const SEVERITY_OF_RANK = ["UnSpecified", "Informational", "Low", "Medium", "High"] as const;

export function severityOfRank(rank: number): string {
  return SEVERITY_OF_RANK[rank] ?? "UnSpecified";
}

export function indicatorTypeLabel(type: string): string {
  return INDICATOR_TYPE_LABEL[type as IndicatorType] ?? type;
}

/** The queue filtered to incidents with this indicator. */
export function indicatorQueueHref(indicator: { type: string; value: string }): string {
  return `/?${new URLSearchParams({ indicator: `${indicator.type}:${indicator.value}` }).toString()}`;
}
