import "server-only";
import { headers } from "next/headers";
import type { AuditAction } from "../audit/audit-actions";
import { recordAuditEvent } from "../audit/audit-event";
import type { CapabilityName } from "../auth/capabilities";
import { clientAddress } from "../auth/client-address";
import { staffRoute } from "../auth/require-staff";
import type { StaffSession } from "../auth/staff-session";
import { exportRequestCheck } from "../incidents/export-request";
import { fileStamp } from "../../lib/time";

/**
 * A CSV download of a page's current filter, the one shape of every export route: the signed-in
 * staff member's capability, a refusal of cross-site requests (another site could send a signed-in
 * person to the URL and have the download start), an audit row either way, then the CSV
 * (a string or a stream) as an attachment that is never cached or sniffed.
 */
export function csvExportRoute<Filters>(spec: {
  capability: CapabilityName;
  action: AuditAction;
  /** Where the export should start from, said to a refused cross-site request. */
  refusal: string;
  /** The file name before its time stamp: `incidents` gives incidents-20261202-1030.csv. */
  fileName: string;
  parse: (params: URLSearchParams) => Filters;
  /** The filter as the audit row records it (a query string, "" for none). */
  describe: (filters: Filters) => string;
  body: (filters: Filters, staff: StaffSession) => Promise<BodyInit> | BodyInit;
}): (request: Request, context: unknown) => Promise<Response> {
  return staffRoute<unknown>({ capability: spec.capability }, async (request, _context, staff) => {
    const actor = { type: "staff" as const, id: staff.oid, name: staff.name };
    const ipAddress = clientAddress(await headers());
    const check = exportRequestCheck(request.headers);
    if (!check.allowed) {
      await recordAuditEvent({ actor, action: spec.action, outcome: "refused", reason: "cross-site request", ipAddress, details: { why: check.reason } });
      return Response.json({ error: "cross_site", message: spec.refusal }, { status: 403, headers: { "cache-control": "no-store" } });
    }
    const filters = spec.parse(new URL(request.url).searchParams);
    await recordAuditEvent({ actor, action: spec.action, outcome: "success", ipAddress, details: { filter: spec.describe(filters).slice(0, 1000) || "none" } });
    return new Response(await spec.body(filters, staff), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${spec.fileName}-${fileStamp(new Date())}.csv"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  });
}
