import { csvExportRoute } from "@/server/http/csv-export-route";
import { streamQueueCsv } from "@/server/incidents/export-incidents";
import { parseQueueFilters, queueQueryString } from "@/server/incidents/queue-filters";

export const dynamic = "force-dynamic";

/** CSV of the queue's current filter (same URL parameters as the page), streamed in batches. */
export const GET = csvExportRoute({
  capability: "incident.export",
  action: "incident.export",
  refusal: "Export the CSV from the portal's incident queue.",
  fileName: "incidents",
  parse: parseQueueFilters,
  describe: (filters) => queueQueryString({ ...filters, after: undefined, before: undefined }),
  body: (filters, staff) => streamQueueCsv({ filters, staff }),
});
