import { describe, expect, it } from "vitest";
import { consentDeclineWords, isKnownConsentError, UNKNOWN_CONSENT_ERROR } from "@/server/tenants/consent-error-words";

const PHISHING = "AADSTS65004: Your tenant is locked. Call +1 555 0100 or visit https://evil.example/fix to finish the consent.";

describe("consentDeclineWords", () => {
  it("says what happened in the portal's words for each recognised error code", () => {
    for (const error of ["access_denied", "permission_denied"]) {
      expect(consentDeclineWords({ error, description: "AADSTS65004: User declined to consent to access the app." })).toMatch(
        /cancelled or declined on Microsoft's consent page/,
      );
    }
    expect(consentDeclineWords({ error: "invalid_request" })).toMatch(/could not process the consent request/);
    expect(consentDeclineWords({ error: "unauthorized_client" })).toMatch(/did not accept the provider's application/);
    expect(consentDeclineWords({ error: "invalid_scope" })).toMatch(/did not accept the permissions/);
    expect(consentDeclineWords({ error: "server_error" })).toMatch(/temporary problem/);
    expect(consentDeclineWords({ error: "temporarily_unavailable" })).toMatch(/temporary problem/);
    expect(consentDeclineWords({ error: "login_required" })).toMatch(/sign in again/);
    expect(consentDeclineWords({ error: "consent_required" })).toMatch(/not completed at Microsoft/);
  });

  it("never returns Microsoft's text, whatever the redirect carried", () => {
    for (const error of ["access_denied", "consent_required", "made_up", "", null, undefined]) {
      const words = consentDeclineWords({ error, description: PHISHING });
      expect(words).not.toContain("555");
      expect(words).not.toContain("evil.example");
      expect(words).not.toContain("AADSTS");
    }
    expect(consentDeclineWords({ error: "call_555_0100", description: "Call +1 555 0100" })).toBe(UNKNOWN_CONSENT_ERROR);
    expect(consentDeclineWords({ error: null, description: "<b>Call +1 555 0100</b>" })).toBe(UNKNOWN_CONSENT_ERROR);
  });

  it("refines a vague or missing code with the AADSTS code that starts Microsoft's text", () => {
    expect(consentDeclineWords({ error: "consent_required", description: "AADSTS65004: User declined to consent to access the app." })).toMatch(
      /cancelled or declined/,
    );
    expect(consentDeclineWords({ error: "consent_required", description: "AADSTS90094: The grant requires admin permission." })).toMatch(
      /needs a Global Administrator/,
    );
    expect(consentDeclineWords({ description: "AADSTS65004: User declined to consent to access the app." })).toMatch(/cancelled or declined/);
    expect(consentDeclineWords({ description: "AADSTS53003: Access has been blocked by Conditional Access policies." })).toMatch(/Conditional Access/);
    // A recognised code is not overridden by text anyone can write.
    expect(consentDeclineWords({ error: "server_error", description: "AADSTS65004: declined" })).toMatch(/temporary problem/);
    // Only a code at the start counts.
    expect(consentDeclineWords({ description: "see AADSTS65004" })).toBe(UNKNOWN_CONSENT_ERROR);
  });

  it("reads a stored bare error code (Microsoft sent no description)", () => {
    expect(consentDeclineWords({ description: "access_denied" })).toMatch(/cancelled or declined/);
    expect(consentDeclineWords({ description: "ACCESS_DENIED " })).toMatch(/cancelled or declined/);
  });

  it("is not fooled by names of Object's own properties", () => {
    for (const code of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect(isKnownConsentError(code)).toBe(false);
      expect(consentDeclineWords({ error: code })).toBe(UNKNOWN_CONSENT_ERROR);
      expect(consentDeclineWords({ description: `AADSTS${code}` })).toBe(UNKNOWN_CONSENT_ERROR);
    }
  });
});
