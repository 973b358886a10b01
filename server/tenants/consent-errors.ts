import { TaggedError, tagGuard } from "../../lib/errors";

/** Why a consent callback or link was refused; each maps to a page in words and an audit reason. */
export type ConsentRefusal =
  | "link-invalid" // unknown, revoked or used link token
  | "link-expired"
  | "state-missing"
  | "state-unknown"
  | "state-reused"
  | "state-expired"
  | "state-other-browser" // the nonce cookie of the browser that started the attempt is missing or wrong
  | "consent-not-confirmed" // no error, but no admin_consent=True either
  | "tenant-invalid"
  | "tenant-mismatch"
  | "rate-limited";

export class ConsentRefused extends TaggedError {
  readonly tag = "ConsentRefused";
  override readonly name = "ConsentRefused";
  constructor(
    readonly reason: ConsentRefusal,
    detail?: string,
  ) {
    super(detail ?? reason);
  }
}

export const isConsentRefused = tagGuard<ConsentRefused>("ConsentRefused");

/** What the customer's admin reads; reveals nothing about other customers. */
export const CONSENT_REFUSAL_TEXT: Record<ConsentRefusal, { title: string; body: string }> = {
  "link-invalid": {
    title: "This link is not valid",
    body: "The consent link is unknown, was already used, or was withdrawn by your provider. Ask your provider for a new link.",
  },
  "link-expired": { title: "This link has expired", body: "Consent links are valid for a limited time. Ask your provider for a new link." },
  "state-missing": { title: "This page was opened without a consent request", body: "Start again from the consent link your provider sent you." },
  "state-unknown": {
    title: "This consent request is not recognised",
    body: "The answer from Microsoft does not match a request started here. Start again from the consent link your provider sent you.",
  },
  "state-reused": {
    title: "This consent request was already completed",
    body: "Each request can be used once. If you need to consent again, start from a new link from your provider.",
  },
  "state-expired": {
    title: "This consent request has expired",
    body: "Too much time passed between starting and finishing. Start again from the consent link your provider sent you.",
  },
  "state-other-browser": {
    title: "Please finish in the same browser",
    body: "This consent was started in another browser or its cookie was removed, so it cannot be completed here. Start again from the consent link your provider sent you, in this browser.",
  },
  "consent-not-confirmed": {
    title: "Microsoft did not confirm the consent",
    body: "The answer from Microsoft did not say that consent was granted. Start again from the consent link your provider sent you.",
  },
  "tenant-invalid": {
    title: "Microsoft's answer was incomplete",
    body: "The answer did not name a valid tenant. Start again from the consent link your provider sent you.",
  },
  "tenant-mismatch": {
    title: "Consent came from a different organisation",
    body: "This link was made for a specific Microsoft Entra ID tenant, and consent was given in another one. Sign in with an administrator of the right organisation, or ask your provider for a new link.",
  },
  "rate-limited": { title: "Too many attempts", body: "Please wait a few minutes and try again." },
};
