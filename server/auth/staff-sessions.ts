import "server-only";
import { randomBytes } from "node:crypto";
import { TaggedError, UserFacingError } from "../../lib/errors";
import { recordAuditEvent } from "../audit/audit-event";
import { getDb } from "../services";
import { highestRole } from "./roles";
import { judgeSession, readSessionClaims, sessionEndsAt, type SessionClaims, type SessionEndReason } from "./session-lifetime";
import type { StaffSession } from "./staff-session";

// Server-side staff sessions: one row per sign-in. The cookie only points at a row; whether the
// session counts is decided here on every request, so ending it on the server ends it everywhere.

/** A staff session the server accepted for this request. */
export type LiveStaffSession = StaffSession & { sessionId: string; signedInAt: Date; expiresAt: Date };

/** A session cookie the server no longer accepts; next-auth answers it with no session. */
export class StaffSessionEnded extends TaggedError {
  readonly tag = "StaffSessionEnded";
  constructor(readonly reason: SessionEndReason | "no-role") {
    super(`staff session refused: ${reason}`);
    this.name = "StaffSessionEnded";
  }
}

const MAX_USER_AGENT = 300;

/** Records a new sign-in and returns the claims its session JWT carries. */
export async function startStaffSession({
  staffOid,
  ipAddress,
  userAgent,
  now = new Date(),
}: {
  staffOid: string;
  ipAddress?: string | null;
  userAgent?: string | null;
  now?: Date;
}): Promise<SessionClaims & { expiresAt: Date }> {
  const db = await getDb();
  // Whole seconds, so the JWT's `signedInAt` (seconds) names this row's time exactly.
  const signedInAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const expiresAt = sessionEndsAt(signedInAt);
  const sid = randomBytes(32).toString("base64url");
  await db.staffSessionRecord.create({
    data: { id: sid, staffOid, signedInAt, expiresAt, ipAddress: ipAddress ?? null, userAgent: userAgent?.slice(0, MAX_USER_AGENT) ?? null },
  });
  return { sid, signedInAt: signedInAt.getTime() / 1000, expiresAt };
}

/**
 * The staff member behind a decoded session JWT, if the server still accepts its session; throws
 * StaffSessionEnded otherwise. Name and role come from the server, never from the token.
 */
export async function verifyStaffSession(token: Record<string, unknown> | null | undefined, now = new Date()): Promise<LiveStaffSession> {
  const claims = readSessionClaims(token);
  const db = await getDb();
  const record = claims
    ? await db.staffSessionRecord.findUnique({
        where: { id: claims.sid },
        select: {
          id: true,
          signedInAt: true,
          expiresAt: true,
          revokedAt: true,
          staff: { select: { id: true, tenantId: true, name: true, username: true, roles: true } },
        },
      })
    : null;
  const verdict = judgeSession({ claims, record, now });
  if (!verdict.live) throw new StaffSessionEnded(verdict.reason);
  const { staff } = record!;
  const role = highestRole(staff.roles);
  if (!role) throw new StaffSessionEnded("no-role");
  return {
    oid: staff.id,
    tenantId: staff.tenantId,
    name: staff.name,
    username: staff.username,
    role,
    sessionId: record!.id,
    signedInAt: record!.signedInAt,
    expiresAt: record!.expiresAt,
  };
}

/** Sign-out: ends the session on the server, so a copy of the cookie stops working too. */
export async function endStaffSessionAtSignOut({
  token,
  ipAddress,
  now = new Date(),
}: {
  token: Record<string, unknown> | null | undefined;
  ipAddress?: string | null;
  now?: Date;
}): Promise<boolean> {
  const claims = readSessionClaims(token);
  if (!claims) return false;
  const db = await getDb();
  const ended = await db.staffSessionRecord.updateMany({
    where: { id: claims.sid, revokedAt: null, expiresAt: { gt: now } },
    data: { revokedAt: now, revokedReason: "sign_out" },
  });
  if (ended.count === 0) return false;
  const staff = await db.staffSessionRecord.findUnique({ where: { id: claims.sid }, select: { staff: { select: { id: true, name: true } } } });
  await recordAuditEvent({
    actor: { type: "staff", id: staff?.staff.id ?? "unknown", name: staff?.staff.name ?? "unknown" },
    action: "auth.sign_out",
    outcome: "success",
    ipAddress,
  });
  return true;
}

/** A Portal.Admin ends every live session of one staff member (their own included, if they ask). */
export async function endAllStaffSessions({
  staffOid,
  by,
  ipAddress,
  now = new Date(),
}: {
  staffOid: string;
  by: { oid: string; name: string };
  ipAddress?: string | null;
  now?: Date;
}): Promise<{ staffName: string; ended: number }> {
  const db = await getDb();
  const member = await db.staffMember.findUnique({ where: { id: staffOid }, select: { name: true } });
  if (!member) throw new UserFacingError("This staff member has never signed in to the portal.", "StaffMemberUnknown");
  const { count } = await db.staffSessionRecord.updateMany({
    where: { staffOid, revokedAt: null, expiresAt: { gt: now } },
    data: { revokedAt: now, revokedReason: "ended_by_admin", revokedById: by.oid, revokedByName: by.name },
  });
  await recordAuditEvent({
    actor: { type: "staff", id: by.oid, name: by.name },
    action: "staff.sessions_ended",
    outcome: "success",
    targetId: staffOid,
    reason: `${member.name}: ${count === 1 ? "1 session" : `${count} sessions`} ended`,
    ipAddress,
    details: { sessionsEnded: count },
  });
  return { staffName: member.name, ended: count };
}

export type StaffSessionSummary = { signedInAt: Date; expiresAt: Date; ipAddress: string | null; userAgent: string | null };

export type StaffMemberSessions = {
  oid: string;
  name: string;
  username: string;
  role: StaffSession["role"] | null;
  lastSignInAt: Date;
  activeSessions: StaffSessionSummary[];
};

/** Every staff member seen at sign-in, with their live sessions (no session ids: they stay server-side). */
export async function listStaffMemberSessions({ now = new Date() }: { now?: Date } = {}): Promise<StaffMemberSessions[]> {
  const db = await getDb();
  const members = await db.staffMember.findMany({
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: {
      id: true,
      name: true,
      username: true,
      roles: true,
      lastSignInAt: true,
      sessions: {
        where: { revokedAt: null, expiresAt: { gt: now } },
        orderBy: { signedInAt: "desc" },
        select: { signedInAt: true, expiresAt: true, ipAddress: true, userAgent: true },
      },
    },
  });
  return members.map((m) => ({
    oid: m.id,
    name: m.name,
    username: m.username,
    role: highestRole(m.roles),
    lastSignInAt: m.lastSignInAt,
    activeSessions: m.sessions,
  }));
}
