// Authorization codes: single use, five-minute lifetime, bound to client, redirect URI and PKCE.
import { randomBytes } from "node:crypto";

const CODE_LIFETIME_MS = 5 * 60_000;

export type AuthorizationCodeRecord = {
  clientId: string;
  redirectUri: string;
  userId: string;
  /** The tenant named in the authorize URL, or null for organizations/common. */
  requestedTenantId: string | null;
  scope: string;
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: "S256" | "plain" | null;
};

export type RedeemResult = { ok: true; record: AuthorizationCodeRecord } | { ok: false; reason: "unknown" | "expired" | "redeemed" };

export function createAuthorizationCodeStore(now: () => number = Date.now) {
  const codes = new Map<string, AuthorizationCodeRecord & { expiresAtMs: number; redeemed: boolean }>();
  return {
    issue(record: AuthorizationCodeRecord): string {
      for (const [code, entry] of codes) if (entry.expiresAtMs < now() - CODE_LIFETIME_MS) codes.delete(code);
      const code = `1.AX${randomBytes(48).toString("base64url")}`;
      codes.set(code, { ...record, expiresAtMs: now() + CODE_LIFETIME_MS, redeemed: false });
      return code;
    },
    redeem(code: string): RedeemResult {
      const entry = codes.get(code);
      if (!entry) return { ok: false, reason: "unknown" };
      if (entry.redeemed) return { ok: false, reason: "redeemed" };
      if (entry.expiresAtMs < now()) return { ok: false, reason: "expired" };
      entry.redeemed = true;
      const { expiresAtMs: _expires, redeemed: _redeemed, ...record } = entry;
      return { ok: true, record };
    },
  };
}

export type AuthorizationCodeStore = ReturnType<typeof createAuthorizationCodeStore>;
