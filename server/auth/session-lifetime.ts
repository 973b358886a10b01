// The rules that decide whether a staff session is still alive. Pure (no I/O): the session cookie
// says which sign-in it belongs to, the server's record says whether that sign-in still counts.

/** Absolute lifetime of a staff session, counted from sign-in; no renewal moves it. */
export const SESSION_LIFETIME_SECONDS = 8 * 60 * 60;

/** What the session JWT carries: which sign-in, and when it happened (whole seconds since the epoch). */
export type SessionClaims = { sid: string; signedInAt: number };

/** The server's view of one sign-in (a `staff_session` row). */
export type SessionRecordView = { signedInAt: Date; expiresAt: Date; revokedAt: Date | null };

export type SessionEndReason =
  /** The token names no sign-in (an older or forged token). */
  | "no-session-id"
  /** No such sign-in on the server. */
  | "unknown"
  /** Signed out, or ended by an admin. */
  | "revoked"
  /** Past sign-in + 8 hours, by the token's own sign-in time or by the record. */
  | "expired"
  /** The token's sign-in time is not the record's: it was not issued for this sign-in. */
  | "mismatch";

export type SessionVerdict = { live: true } | { live: false; reason: SessionEndReason };

const SESSION_ID = /^[A-Za-z0-9_-]{32,128}$/;

/** The session claims of a decoded JWT, or null when it carries none (or malformed ones). */
export function readSessionClaims(token: Record<string, unknown> | null | undefined): SessionClaims | null {
  const sid = token?.sid;
  const signedInAt = token?.signedInAt;
  if (typeof sid !== "string" || !SESSION_ID.test(sid)) return null;
  if (typeof signedInAt !== "number" || !Number.isSafeInteger(signedInAt) || signedInAt <= 0) return null;
  return { sid, signedInAt };
}

/** When a session that started at `signedInAt` ends, whatever happens in between. */
export function sessionEndsAt(signedInAt: Date): Date {
  return new Date(signedInAt.getTime() + SESSION_LIFETIME_SECONDS * 1000);
}

/** Seconds a token issued now may live: up to the absolute end of its sign-in, never more. */
export function remainingLifetimeSeconds(claims: SessionClaims | null, now: Date): number {
  if (!claims) return 0;
  return Math.max(0, claims.signedInAt + SESSION_LIFETIME_SECONDS - Math.floor(now.getTime() / 1000));
}

/**
 * Live only if the token names a sign-in the server knows, that nobody ended, whose absolute end
 * (by the record and by the token's own sign-in time) is still ahead, and whose sign-in time the
 * token repeats exactly. The JWT's `exp` plays no part: a token re-encoded with a later `exp` is
 * still refused at sign-in + 8 hours.
 */
export function judgeSession({ claims, record, now }: { claims: SessionClaims | null; record: SessionRecordView | null; now: Date }): SessionVerdict {
  if (!claims) return { live: false, reason: "no-session-id" };
  const nowMs = now.getTime();
  if (nowMs >= (claims.signedInAt + SESSION_LIFETIME_SECONDS) * 1000) return { live: false, reason: "expired" };
  if (!record) return { live: false, reason: "unknown" };
  if (record.revokedAt) return { live: false, reason: "revoked" };
  const ends = Math.min(record.expiresAt.getTime(), sessionEndsAt(record.signedInAt).getTime());
  if (nowMs >= ends) return { live: false, reason: "expired" };
  if (Math.floor(record.signedInAt.getTime() / 1000) !== claims.signedInAt) return { live: false, reason: "mismatch" };
  return { live: true };
}
