import { handleConsentCallback } from "@/server/tenants/consent-flow";
import { continueConsentVerification } from "@/server/tenants/consent-verification";
import { isConsentRefused } from "@/server/tenants/consent-errors";
import { allowConsentRequest } from "@/server/tenants/consent-pages";
import { consentNonceCookie, readConsentNonce, seeOther } from "@/server/tenants/consent-responses";

export const dynamic = "force-dynamic";

/** Microsoft's redirects back: the admin consent, then the admin's sign-in that proves who consented. */
export async function GET(request: Request) {
  const { allowed, ipAddress } = await allowConsentRequest(request.headers);
  if (!allowed) return seeOther(request, "/consent/refused?reason=rate-limited");
  try {
    const outcome = await handleConsentCallback({ params: new URL(request.url).searchParams, ipAddress, browserNonce: readConsentNonce(request) });
    // Consent given: on to Microsoft's sign-in; the nonce cookie must come back with it.
    if (outcome.kind === "sign-in") return seeOther(request, outcome.url);
    if (outcome.kind === "verifying") continueConsentVerification({ attemptId: outcome.attemptId });
    // The attempt is settled or verifying: its browser binding is no longer needed.
    return seeOther(request, `/consent/status/${outcome.attemptId}`, { "Set-Cookie": consentNonceCookie(null) });
  } catch (error) {
    if (isConsentRefused(error)) return seeOther(request, `/consent/refused?reason=${error.reason}`);
    throw error;
  }
}
