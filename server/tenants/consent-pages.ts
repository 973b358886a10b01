import "server-only";
import { headers } from "next/headers";
import { getConfig } from "../config";
import { clientAddress } from "../auth/client-address";
import { consentRateLimiter } from "./consent-rate-limit";

/** The MSSP's display name for customer pages. */
export function msspName(): string {
  return getConfig().mssp.name;
}

/** Counts a customer-page request against its address; false when over the limit. */
export async function allowConsentRequest(requestHeaders?: Headers): Promise<{ allowed: boolean; ipAddress: string | null }> {
  const ipAddress = clientAddress(requestHeaders ?? (await headers()));
  return { allowed: consentRateLimiter().allow(ipAddress), ipAddress };
}
