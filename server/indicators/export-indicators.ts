import "server-only";
import { csvRow } from "../incidents/export-csv";
import { INDICATOR_TYPE_LABEL } from "./indicator-normalise";
import type { IndicatorFilters } from "./indicator-filters";
import { listSharedIndicators, type SharedIndicator } from "./shared-indicators";

/** Rows one CSV may hold: the shared values of a large MSSP fit many times over. */
export const MAX_INDICATOR_EXPORT_ROWS = 10_000;
const SEVERITY = ["UnSpecified", "Informational", "Low", "Medium", "High"];

const COLUMNS: [header: string, value: (row: SharedIndicator) => string | number | Date | readonly string[]][] = [
  ["Type", (r) => INDICATOR_TYPE_LABEL[r.type] ?? r.type],
  ["Indicator", (r) => r.value],
  ["Customers", (r) => r.tenantCount],
  ["Customer names", (r) => r.tenantNames],
  ["Incidents", (r) => r.incidentCount],
  ["First seen", (r) => r.firstSeen],
  ["Last seen", (r) => r.lastSeen],
  ["Highest severity", (r) => SEVERITY[r.severityRank] ?? "UnSpecified"],
];

/**
 * The Indicators page's current filter and sort as CSV (every page, every customer's name), with
 * the same formula neutralisation as the incident export (export-csv.ts).
 */
export async function indicatorCsv({ filters, now }: { filters: IndicatorFilters; now: Date }): Promise<string> {
  const { rows } = await listSharedIndicators({
    filters: { ...filters, page: undefined },
    now,
    limit: MAX_INDICATOR_EXPORT_ROWS,
    offset: 0,
    tenantNames: 1000,
  });
  return [csvRow(COLUMNS.map(([header]) => header)), ...rows.map((row) => csvRow(COLUMNS.map(([, value]) => value(row))))].join("");
}
