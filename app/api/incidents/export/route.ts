import { headers } from "next/headers";
import { recordAuditEvent } from "@/server/audit/audit-event";
import { clientAddress } from "@/server/auth/client-address";
import { staffRoute } from "@/server/auth/require-staff";
import { exportRequestCheck } from "@/server/incidents/export-request";
import { streamQueueCsv } from "@/server/incidents/export-incidents";
import { parseQueueFilters, queueQueryString } from "@/server/incidents/queue-filters";
import { fileStamp } from "@/lib/time";

export const dynamic = "force-dynamic";

/** CSV of the queue's current filter (same URL parameters as the page), streamed in batches. */
export const GET = staffRoute<unknown>({ capability: "incident.export" }, async (request, _context, staff) => {
  const actor = { type: "staff" as const, id: staff.oid, name: staff.name };
  const ipAddress = clientAddress(await headers());
  // Another site could send a signed-in person here and have the download start: refused.
  const check = exportRequestCheck(request.headers);
  if (!check.allowed) {
    await recordAuditEvent({ actor, action: "incident.export", outcome: "refused", reason: "cross-site request", ipAddress, details: { why: check.reason } });
    return Response.json(
      { error: "cross_site", message: "Export the CSV from the portal's incident queue." },
      { status: 403, headers: { "cache-control": "no-store" } },
    );
  }
  const filters = parseQueueFilters(new URL(request.url).searchParams);
  await recordAuditEvent({
    actor,
    action: "incident.export",
    outcome: "success",
    ipAddress,
    details: { filter: queueQueryString({ ...filters, after: undefined, before: undefined }).slice(0, 1000) || "none" },
  });
  const stamp = fileStamp(new Date());
  return new Response(streamQueueCsv({ filters, staff }), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="incidents-${stamp}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
