import "server-only";
import { getConfig } from "../services";
import { checkCrossSiteRequest, type CrossSiteCheck } from "../http/cross-site-request";

/** Whether an export request came from the portal's own pages (or a typed URL), judged against NEXTAUTH_URL. */
export function exportRequestCheck(headers: Headers): CrossSiteCheck {
  return checkCrossSiteRequest(headers, getConfig().auth.url);
}
