import { headers } from "next/headers";
import { recordAuditEvent } from "@/server/audit/audit-event";
import { clientAddress } from "@/server/auth/client-address";
import { staffRoute } from "@/server/auth/require-staff";
import { streamQueueCsv } from "@/server/incidents/export-incidents";
import { parseQueueFilters, queueQueryString } from "@/server/incidents/queue-filters";

export const dynamic = "force-dynamic";

/** CSV of the queue's current filter (same URL parameters as the page), streamed in batches. */
export const GET = staffRoute<unknown>({ role: "Reader" }, async (request, _context, staff) => {
  const filters = parseQueueFilters(new URL(request.url).searchParams);
  await recordAuditEvent({
    actor: { type: "staff", id: staff.oid, name: staff.name },
    action: "incident.export",
    outcome: "success",
    ipAddress: clientAddress(await headers()),
    details: { filter: queueQueryString({ ...filters, after: undefined, before: undefined }).slice(0, 1000) || "none" },
  });
  const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, "-");
  return new Response(streamQueueCsv({ filters, staff }), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="incidents-${stamp}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
