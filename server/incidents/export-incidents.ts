import "server-only";
import type { StaffSession } from "../auth/staff-session";
import { csvRow } from "./export-csv";
import type { QueueFilters } from "./queue-filters";
import { listQueueIncidents, resolveQueueScope, type QueueRow, type QueueScope } from "./queue-query";

export const EXPORT_BATCH_SIZE = 500;

const COLUMNS: [header: string, value: (row: QueueRow) => string | number | Date | null | readonly string[]][] = [
  ["Tenant", (r) => r.tenantName],
  ["Tenant ID", (r) => r.tenantId],
  ["Incident ID", (r) => r.incidentId],
  ["Incident name", (r) => r.incidentName],
  ["Severity", (r) => r.severity],
  ["Status", (r) => r.status],
  ["Assigned to", (r) => r.assignedTo],
  ["Classification", (r) => r.classification],
  ["Determination", (r) => r.determination],
  ["Alerts", (r) => r.alertCount],
  ["Detection sources", (r) => r.detectionSources],
  ["First activity", (r) => r.firstActivity],
  ["Last activity", (r) => r.lastActivity],
  ["Created", (r) => r.createdTime],
  ["Last update", (r) => r.lastUpdateTime],
  ["Data as of", (r) => r.dataAsOf],
];

/**
 * The whole current filter as CSV, streamed: keyset batches of 500 are read only as the client
 * pulls, so a large export never sits in memory and a cancelled download stops the reads.
 */
export function streamQueueCsv({
  filters,
  staff,
  batchSize = EXPORT_BATCH_SIZE,
}: {
  filters: QueueFilters;
  staff: Pick<StaffSession, "username">;
  batchSize?: number;
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const unpaged: QueueFilters = { ...filters, after: undefined, before: undefined };
  const now = new Date(); // one "now" so relative time ranges do not drift between batches
  let after: string | undefined;
  let done = false;
  let scope: Promise<QueueScope> | undefined; // one tenant list and text search for every batch
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // BOM so spreadsheet programs read the file as UTF-8.
        controller.enqueue(encoder.encode(`\uFEFF${csvRow(COLUMNS.map(([header]) => header))}`));
      },
      async pull(controller) {
        if (done) return;
        scope ??= resolveQueueScope(unpaged);
        const page = await listQueueIncidents({ filters: unpaged, staff, cursor: after ? { after } : {}, pageSize: batchSize, now, scope: await scope });
        if (page.rows.length) controller.enqueue(encoder.encode(page.rows.map((row) => csvRow(COLUMNS.map(([, value]) => value(row)))).join("")));
        if (!page.nextCursor || page.rows.length === 0) {
          done = true;
          controller.close();
          return;
        }
        after = page.nextCursor;
      },
    },
    { highWaterMark: 1 },
  );
}
