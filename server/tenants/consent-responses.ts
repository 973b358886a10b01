import { getConfig } from "../config";

/** 303 to an absolute URL or a portal path (resolved against the portal's public URL, not the Host header). */
export function seeOther(_request: Request, target: string): Response {
  const location = target.startsWith("/") ? `${getConfig().auth.url}${target}` : target;
  return new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });
}
