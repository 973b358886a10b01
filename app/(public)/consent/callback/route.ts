import { handleConsentCallback } from "@/server/tenants/consent-flow";
import { consentRoute } from "@/server/tenants/consent-route";
import { continueConsentVerification } from "@/server/tenants/consent-verification";
import { readConsentNonce } from "@/server/tenants/consent-responses";

export const dynamic = "force-dynamic";

/** Microsoft's redirects back: the admin consent, then the admin's sign-in that proves who consented. */
export const GET = consentRoute<unknown>(async ({ request, ipAddress }) => {
  const outcome = await handleConsentCallback({ params: new URL(request.url).searchParams, ipAddress, browserNonce: readConsentNonce(request) });
  // Consent given: on to Microsoft's sign-in; the nonce cookie must come back with it.
  if (outcome.kind === "sign-in") return { to: outcome.url };
  // The one place background verification starts: it carries on even if the admin closes the tab.
  if (outcome.kind === "verifying") continueConsentVerification({ attemptId: outcome.attemptId });
  // The attempt is settled or verifying: its browser binding is no longer needed.
  return { to: `/consent/status/${outcome.attemptId}`, nonce: null };
});
