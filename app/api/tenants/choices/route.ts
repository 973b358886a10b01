import { staffRoute } from "@/server/auth/require-staff";
import { exportRequestCheck } from "@/server/incidents/export-request";
import { visibleTenants } from "@/server/incidents/queue-where";

export const dynamic = "force-dynamic";

/**
 * The tenants a filter can choose among (every tenant not offboarded, by name), for the tenant picker
 * of the queue and the overview. A thousand tenants rendered into every page made the queue page
 * 1.3 MB; the picker asks for them here once, when it is opened. Any portal role may read it; only
 * the portal's own pages may ask (customer names are not handed to a request another site started).
 */
export const GET = staffRoute({ capability: null }, async (request) => {
  const headers = { "cache-control": "private, no-store", "x-content-type-options": "nosniff" };
  if (!exportRequestCheck(request.headers).allowed) {
    return Response.json({ error: "cross_site", message: "Open the tenant list from the portal's own pages." }, { status: 403, headers });
  }
  const tenants = await visibleTenants();
  return Response.json({ tenants: tenants.map(({ id, displayName }) => ({ id, displayName })) }, { headers });
});
