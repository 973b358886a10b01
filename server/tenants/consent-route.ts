// The one wrapper of the customer-facing consent routes, the twin of staffRoute: the request is
// counted against its address first, then the handler runs; a refusal (dead link, forged or
// replayed state, too many requests) becomes a redirect to the refusal page, which says what to do
// in words and shows nothing of the request. Every answer is a 303 with no caching.
import "server-only";
import { isConsentRefused } from "./consent-errors";
import { allowConsentRequest } from "./consent-pages";
import { consentNonceCookie, seeOther } from "./consent-responses";

/** Where the browser goes next, and what happens to the consent nonce cookie (set, cleared, left). */
export type ConsentStep = { to: string; nonce?: string | null };

export function consentRoute<Context>(
  handler: (args: { request: Request; context: Context; ipAddress: string | null }) => Promise<ConsentStep>,
): (request: Request, context: Context) => Promise<Response> {
  return async (request, context) => {
    const { allowed, ipAddress } = await allowConsentRequest(request.headers);
    if (!allowed) return seeOther(request, "/consent/refused?reason=rate-limited");
    try {
      const step = await handler({ request, context, ipAddress });
      return seeOther(request, step.to, step.nonce === undefined ? {} : { "Set-Cookie": consentNonceCookie(step.nonce) });
    } catch (error) {
      // A refused trip ends here: the browser's binding to it is cleared too.
      if (isConsentRefused(error)) return seeOther(request, `/consent/refused?reason=${error.reason}`, { "Set-Cookie": consentNonceCookie(null) });
      throw error;
    }
  };
}
