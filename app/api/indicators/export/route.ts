import { headers } from "next/headers";
import { recordAuditEvent } from "@/server/audit/audit-event";
import { clientAddress } from "@/server/auth/client-address";
import { staffRoute } from "@/server/auth/require-staff";
import { exportRequestCheck } from "@/server/incidents/export-request";
import { indicatorCsv } from "@/server/indicators/export-indicators";
import { indicatorQueryString, parseIndicatorFilters } from "@/server/indicators/indicator-filters";
import { fileStamp } from "@/lib/time";

export const dynamic = "force-dynamic";

/** CSV of the Indicators page's current filter (same URL parameters as the page). */
export const GET = staffRoute<unknown>({ capability: "indicator.export" }, async (request, _context, staff) => {
  const actor = { type: "staff" as const, id: staff.oid, name: staff.name };
  const ipAddress = clientAddress(await headers());
  // Another site could send a signed-in person here and have the download start: refused.
  const check = exportRequestCheck(request.headers);
  if (!check.allowed) {
    await recordAuditEvent({ actor, action: "indicator.export", outcome: "refused", reason: "cross-site request", ipAddress, details: { why: check.reason } });
    return Response.json(
      { error: "cross_site", message: "Export the CSV from the portal's Indicators page." },
      { status: 403, headers: { "cache-control": "no-store" } },
    );
  }
  const filters = parseIndicatorFilters(new URL(request.url).searchParams);
  await recordAuditEvent({
    actor,
    action: "indicator.export",
    outcome: "success",
    ipAddress,
    details: { filter: indicatorQueryString({ ...filters, page: undefined }).slice(0, 1000) || "none" },
  });
  const csv = await indicatorCsv({ filters, now: new Date() });
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="indicators-${fileStamp(new Date())}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
