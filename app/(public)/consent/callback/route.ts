import { handleConsentCallback } from "@/server/tenants/consent-flow";
import { continueConsentVerification } from "@/server/tenants/consent-verification";
import { isConsentRefused } from "@/server/tenants/consent-errors";
import { allowConsentRequest } from "@/server/tenants/consent-pages";
import { seeOther } from "@/server/tenants/consent-responses";

export const dynamic = "force-dynamic";

/** Microsoft's admin consent redirect. */
export async function GET(request: Request) {
  const { allowed, ipAddress } = await allowConsentRequest(request.headers);
  if (!allowed) return seeOther(request, "/consent/refused?reason=rate-limited");
  try {
    const outcome = await handleConsentCallback({ params: new URL(request.url).searchParams, ipAddress });
    if (outcome.kind === "verifying") continueConsentVerification({ attemptId: outcome.attemptId });
    return seeOther(request, `/consent/status/${outcome.attemptId}`);
  } catch (error) {
    if (isConsentRefused(error)) return seeOther(request, `/consent/refused?reason=${error.reason}`);
    throw error;
  }
}
