import { beginAdminConsent } from "@/server/tenants/consent-flow";
import { consentRoute } from "@/server/tenants/consent-route";

/** The customer's admin starts consent from the landing page: on to Microsoft, with a nonce cookie. */
export const POST = consentRoute<{ params: Promise<{ token: string }> }>(async ({ context, ipAddress }) => {
  const { token } = await context.params;
  const start = await beginAdminConsent({ token, ipAddress });
  return { to: start.url, nonce: start.browserNonce };
});
