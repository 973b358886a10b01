import "server-only";
import { headers } from "next/headers";
import { getConfig, getDb } from "../services";
import { clientAddress } from "../auth/client-address";
import { allowConsentHit } from "./consent-rate-limit";
import { permissionsNeeded } from "./tenant-status";

/** The MSSP's display name for customer pages. */
export function msspName(): string {
  return getConfig().mssp.name;
}

/** Counts a customer-page request against its address; false when over the limit. */
export async function allowConsentRequest(requestHeaders?: Headers): Promise<{ allowed: boolean; ipAddress: string | null }> {
  const ipAddress = clientAddress(requestHeaders ?? (await headers()));
  return { allowed: await allowConsentHit(await getDb(), { address: ipAddress }), ipAddress };
}

/** The application permissions a consent asks for, per access, in Microsoft's names (for pages and forms). */
export function consentPermissions(): { read: string[]; readWrite: string[] } {
  const api = getConfig().incidentSource;
  return { read: permissionsNeeded("read", api), readWrite: permissionsNeeded("read_write", api) };
}
