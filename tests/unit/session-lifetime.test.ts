import { describe, expect, it } from "vitest";
import { decode } from "next-auth/jwt";
import { SESSION_LIFETIME_SECONDS, judgeSession, readSessionClaims, remainingLifetimeSeconds, sessionEndsAt } from "@/server/auth/session-lifetime";
import { encodeSessionToken } from "@/server/auth/session-token";

const SID = "s".repeat(43);
const HOUR = 60 * 60 * 1000;
const signedIn = new Date("2026-03-02T08:00:00Z");
const claims = { sid: SID, signedInAt: signedIn.getTime() / 1000 };
const record = { signedInAt: signedIn, expiresAt: sessionEndsAt(signedIn), revokedAt: null };
const at = (hours: number) => new Date(signedIn.getTime() + hours * HOUR);

describe("session lifetime", () => {
  it("is 8 hours from sign-in, not from the last request", () => {
    expect(SESSION_LIFETIME_SECONDS).toBe(8 * 60 * 60);
    expect(sessionEndsAt(signedIn).toISOString()).toBe("2026-03-02T16:00:00.000Z");
    expect(judgeSession({ claims, record, now: at(7.99) })).toEqual({ live: true });
    expect(judgeSession({ claims, record, now: at(8) })).toEqual({ live: false, reason: "expired" });
    expect(judgeSession({ claims, record, now: at(9) })).toEqual({ live: false, reason: "expired" });
  });

  it("refuses a token whose own sign-in time is over 8 hours old, even if the record were longer", () => {
    const stretched = { ...record, expiresAt: at(24) }; // the database refuses this row; the rule holds without it
    expect(judgeSession({ claims, record: stretched, now: at(9) })).toEqual({ live: false, reason: "expired" });
    expect(judgeSession({ claims: { sid: SID, signedInAt: claims.signedInAt + 2 * 3600 }, record: stretched, now: at(9) })).toEqual({
      live: false,
      reason: "expired",
    });
  });

  it("refuses a session that was ended, is unknown, or whose token names another sign-in time", () => {
    expect(judgeSession({ claims, record: { ...record, revokedAt: at(1) }, now: at(2) })).toEqual({ live: false, reason: "revoked" });
    expect(judgeSession({ claims, record: null, now: at(1) })).toEqual({ live: false, reason: "unknown" });
    expect(judgeSession({ claims: { sid: SID, signedInAt: claims.signedInAt + 60 }, record, now: at(1) })).toEqual({ live: false, reason: "mismatch" });
  });

  it("refuses tokens without session claims (the format issued before server-side sessions)", () => {
    const legacy = { oid: "a1f4c2d8-3b5e-4c7a-9d1f-2e6b8a0c4d11", role: "Portal.Admin", exp: Math.floor(Date.now() / 1000) + 86_400 };
    expect(readSessionClaims(legacy)).toBeNull();
    expect(readSessionClaims({ sid: "short", signedInAt: 1 })).toBeNull();
    expect(readSessionClaims({ sid: SID, signedInAt: "1700000000" })).toBeNull();
    expect(readSessionClaims({ sid: SID, signedInAt: 1.5 })).toBeNull();
    expect(readSessionClaims({ sid: SID, signedInAt: claims.signedInAt, extra: true })).toEqual(claims);
    expect(judgeSession({ claims: readSessionClaims(legacy), record, now: at(1) })).toEqual({ live: false, reason: "no-session-id" });
  });

  it("gives a token only the time left until the absolute end", () => {
    expect(remainingLifetimeSeconds(claims, at(0))).toBe(8 * 3600);
    expect(remainingLifetimeSeconds(claims, at(7.5))).toBe(1800);
    expect(remainingLifetimeSeconds(claims, at(9))).toBe(0);
    expect(remainingLifetimeSeconds(null, at(0))).toBe(0);
  });
});

describe("session token encoding", () => {
  const secret = "unit-test-secret-0123456789abcdef0123";

  it("sets exp at sign-in + 8 hours however late the token is re-issued, instead of sliding it", async () => {
    const now = new Date();
    const recent = { sid: SID, signedInAt: Math.floor(now.getTime() / 1000) - 7 * 3600 };
    // next-auth asks for the full session maxAge on every renewal; the encoder caps it.
    const token = await encodeSessionToken({ token: recent, secret, maxAge: SESSION_LIFETIME_SECONDS }, now);
    const decoded = await decode({ token, secret });
    expect(decoded?.sid).toBe(SID);
    // At most the session's end; a few seconds early, since next-auth reads the clock again.
    expect(decoded?.exp).toBeGreaterThanOrEqual(recent.signedInAt + SESSION_LIFETIME_SECONDS - 10);
    expect(decoded?.exp).toBeLessThanOrEqual(recent.signedInAt + SESSION_LIFETIME_SECONDS);
    // Only our claims and the JWT's own: nothing from Microsoft.
    expect(Object.keys(decoded ?? {}).sort()).toEqual(["exp", "iat", "jti", "sid", "signedInAt"]);
  });

  it("gives a token without session claims no lifetime", async () => {
    const now = new Date();
    const token = await encodeSessionToken({ token: { oid: "x", role: "Portal.Admin" }, secret, maxAge: SESSION_LIFETIME_SECONDS }, now);
    const payload = JSON.parse(JSON.stringify(await decode({ token, secret }))) as { exp: number };
    expect(payload.exp).toBeLessThanOrEqual(Math.floor(now.getTime() / 1000));
  });
});
