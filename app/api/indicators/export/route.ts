import { csvExportRoute } from "@/server/http/csv-export-route";
import { indicatorCsv } from "@/server/indicators/export-indicators";
import { indicatorQueryString, parseIndicatorFilters } from "@/server/indicators/indicator-filters";

export const dynamic = "force-dynamic";

/** CSV of the Indicators page's current filter (same URL parameters as the page). */
export const GET = csvExportRoute({
  capability: "indicator.export",
  action: "indicator.export",
  refusal: "Export the CSV from the portal's Indicators page.",
  fileName: "indicators",
  parse: parseIndicatorFilters,
  describe: (filters) => indicatorQueryString({ ...filters, page: undefined }),
  body: (filters) => indicatorCsv({ filters, now: new Date() }),
});
