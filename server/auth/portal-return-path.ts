import "server-only";
import { getConfig } from "../services";
import { safeReturnPathOr } from "./safe-return-path";

/** A return URL from the query string as a path on the portal's public origin (NEXTAUTH_URL), else "/". */
export function portalReturnPath(value: unknown): string {
  return safeReturnPathOr(value, getConfig().auth.url);
}
