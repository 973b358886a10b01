import { retryAdminConsent } from "@/server/tenants/consent-flow";
import { consentRoute } from "@/server/tenants/consent-route";

/** Try again from the status page: a fresh attempt of the same link, with a fresh nonce cookie. */
export const POST = consentRoute<{ params: Promise<{ attemptId: string }> }>(async ({ context, ipAddress }) => {
  const { attemptId } = await context.params;
  const start = await retryAdminConsent({ attemptId, ipAddress });
  return { to: start.url, nonce: start.browserNonce };
});
