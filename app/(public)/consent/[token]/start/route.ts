import { beginAdminConsent } from "@/server/tenants/consent-flow";
import { isConsentRefused } from "@/server/tenants/consent-errors";
import { allowConsentRequest } from "@/server/tenants/consent-pages";
import { consentNonceCookie, seeOther } from "@/server/tenants/consent-responses";

type Context = { params: Promise<{ token: string }> };

export async function POST(request: Request, context: Context) {
  const { token } = await context.params;
  const { allowed, ipAddress } = await allowConsentRequest(request.headers);
  if (!allowed) return seeOther(request, "/consent/refused?reason=rate-limited");
  try {
    const start = await beginAdminConsent({ token, ipAddress });
    return seeOther(request, start.url, { "Set-Cookie": consentNonceCookie(start.browserNonce) });
  } catch (error) {
    if (isConsentRefused(error)) return seeOther(request, `/consent/refused?reason=${error.reason}`);
    throw error;
  }
}
