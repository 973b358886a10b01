import "server-only";
import { headers } from "next/headers";
import { getConfig, getDb } from "../services";
import { clientAddress } from "../auth/client-address";
import { allowConsentHit, type ConsentBudget } from "./consent-rate-limit";
import { getConsentAttemptView, verifyConsentAttempt, type ConsentAttemptView } from "./consent-verification";
import { permissionsNeeded } from "./tenant-status";

/** The MSSP's display name for customer pages. */
export function msspName(): string {
  return getConfig().mssp.name;
}

/** Counts a customer-page request against its address; false when over the limit. */
export async function allowConsentRequest(requestHeaders?: Headers, budget?: ConsentBudget): Promise<{ allowed: boolean; ipAddress: string | null }> {
  const ipAddress = clientAddress(requestHeaders ?? (await headers()));
  return { allowed: await allowConsentHit(await getDb(), { address: ipAddress, budget }), ipAddress };
}

/**
 * The customer's status page (anonymous, and it runs token checks): counted against the address
 * like every consent page, from a budget of its own (it reloads itself while waiting). Over the
 * limit, no check runs and nothing is read.
 */
export async function consentStatusPage({
  attemptId,
  requestHeaders,
}: {
  attemptId: string;
  requestHeaders?: Headers;
}): Promise<{ limited: true } | { limited: false; view: ConsentAttemptView | null }> {
  const { allowed } = await allowConsentRequest(requestHeaders, "status");
  if (!allowed) return { limited: true };
  await verifyConsentAttempt({ attemptId }); // a due check runs now; otherwise a no-op
  return { limited: false, view: await getConsentAttemptView({ attemptId }) };
}

/** The application permissions a consent asks for, per access, in Microsoft's names (for pages and forms). */
export function consentPermissions(): { read: string[]; readWrite: string[] } {
  const api = getConfig().incidentSource;
  return { read: permissionsNeeded("read", api), readWrite: permissionsNeeded("read_write", api) };
}
