import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import NextAuth, { type AuthOptions } from "next-auth";
import { decode, encode } from "next-auth/jwt";
import type { PrismaClient } from "@/prisma/generated/client/client";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import { startTestEmulator } from "../support/test-emulator";
import { usePortalEnvironment } from "../support/portal-environment";
import { testDatabaseKinds } from "../support/test-database";

const MSSP = "6f1d2c3b-8a4e-4b7d-9c21-0d5e7a9b3f10";
const ZOE = {
  id: "c3d6e4fa-5d7a-4e9c-9f3b-4a8dac2e6f33",
  name: "Zoë Ångström",
  username: "zoe.angstrom@northwindcyber.onmicrosoft.com",
  roles: ["Portal.Analyst"],
};
const ARJUN = {
  id: "b2e5d3c9-4c6f-4d8b-8e2a-3f7c9b1d5e22",
  name: "Arjun Patel",
  username: "arjun.analyst@northwindcyber.onmicrosoft.com",
  roles: ["Portal.Analyst"],
};
const AMELIA = { oid: "a1f4c2d8-3b5e-4c7a-9d1f-2e6b8a0c4d11", name: "Amelia Adams" };
const HOUR = 3600;
const COOKIE = "next-auth.session-token";
const ORIGIN = "http://127.0.0.1:3999"; // NEXTAUTH_URL of the test environment

type SetCookie = { name: string; value: string };
type Answer = { status: number; body: unknown; cookies: SetCookie[] };

const nowSeconds = () => Math.floor(Date.now() / 1000);

// The session rules through next-auth's own request handling (GET /api/auth/session, sign-out),
// with the portal's options and a real database: what the web process does for each request.
describe.each(testDatabaseKinds())("staff sessions (%s)", (kind) => {
  let emulator: EmulatorHandle;
  let env: { cleanup: () => Promise<void> };
  let db: PrismaClient;
  let sessions: typeof import("@/server/auth/staff-sessions");
  let buildAuthOptions: typeof import("@/server/auth/auth-options").buildAuthOptions;
  let secret: string;

  beforeAll(async () => {
    emulator = await startTestEmulator({ propagationDelayMs: 0 });
    env = await usePortalEnvironment(emulator, kind);
    vi.resetModules();
    db = await (await import("@/server/services")).getDb();
    sessions = await import("@/server/auth/staff-sessions");
    ({ buildAuthOptions } = await import("@/server/auth/auth-options"));
    secret = process.env.NEXTAUTH_SECRET!;
    for (const member of [
      ZOE,
      ARJUN,
      { id: AMELIA.oid, name: AMELIA.name, username: "amelia.admin@northwindcyber.onmicrosoft.com", roles: ["Portal.Admin"] },
    ]) {
      await db.staffMember.create({ data: { ...member, tenantId: MSSP, lastSignInAt: new Date() } });
    }
  });
  afterAll(async () => {
    await env?.cleanup();
    await emulator?.stop();
  });

  /** One request to /api/auth/<action>, through next-auth's public handler with the portal's options. */
  async function handle(
    action: string,
    init: { cookies?: Record<string, string>; method?: "GET" | "POST"; body?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string | string[]> = {};
    const answer: Answer = { status: 200, body: undefined, cookies: [] };
    const res = {
      status(code: number) {
        answer.status = code;
        return res;
      },
      getHeader: (name: string) => headers[name.toLowerCase()],
      setHeader(name: string, value: string | string[]) {
        headers[name.toLowerCase()] = value;
        return res;
      },
      send(body: unknown) {
        answer.body = body;
      },
      json(body: unknown) {
        answer.body = body;
      },
      end() {},
    };
    const req = {
      method: init.method ?? "GET",
      query: { nextauth: [action] },
      body: init.body,
      cookies: init.cookies ?? {},
      headers: { host: new URL(ORIGIN).host },
    };
    await NextAuth(req as never, res as never, buildAuthOptions({ ipAddress: "203.0.113.7" }));
    for (const line of [headers["set-cookie"] ?? []].flat()) {
      const [, name, value] = /^([^=]+)=([^;]*)/.exec(line)!;
      answer.cookies.push({ name: name!, value: decodeURIComponent(value!) });
    }
    return answer;
  }

  /** GET /api/auth/session with a session cookie. */
  const readSession = (token: string) => handle("session", { cookies: { [COOKIE]: token } });

  /** The sign-in step of next-auth's OAuth callback: our jwt callback, then our encoder. */
  async function signIn(oid: string): Promise<string> {
    const options: AuthOptions = buildAuthOptions({ ipAddress: "203.0.113.7", userAgent: "Mozilla/5.0 Chrome/140.0 vitest" });
    const token = await options.callbacks!.jwt!({ token: {}, profile: { oid } as never, trigger: "signIn", user: { id: oid }, account: null });
    return options.jwt!.encode!({ token, secret, maxAge: options.jwt!.maxAge });
  }

  /** A token forged with the portal's own secret, as someone holding NEXTAUTH_SECRET could. */
  const forge = (claims: Record<string, unknown>, maxAge: number) => encode({ token: claims, secret, maxAge });

  function expectRefused(answer: Answer) {
    expect(answer.body).toEqual({});
    // next-auth answers a refused session by clearing its cookie.
    const cleared = answer.cookies.find((c) => c.name === COOKIE);
    expect(cleared?.value).toBe("");
  }

  it("accepts a fresh sign-in, names the member and role from the server, and carries only the session id and sign-in time", async () => {
    const token = await signIn(ZOE.id);
    const claims = (await decode({ token, secret }))!;
    expect(Object.keys(claims).sort()).toEqual(["exp", "iat", "jti", "sid", "signedInAt"]);
    expect(claims.exp).toBeLessThanOrEqual((claims.signedInAt as number) + 8 * HOUR);

    const answer = await readSession(token);
    expect(answer.body).toMatchObject({ user: { oid: ZOE.id, name: ZOE.name, username: ZOE.username, role: "Portal.Analyst", tenantId: MSSP } });
    const record = await db.staffSessionRecord.findUniqueOrThrow({ where: { id: claims.sid as string } });
    expect((answer.body as { expires: string }).expires).toBe(record.expiresAt.toISOString());
    expect(record.expiresAt.getTime() - record.signedInAt.getTime()).toBe(8 * HOUR * 1000);
    expect(record).toMatchObject({ staffOid: ZOE.id, ipAddress: "203.0.113.7", userAgent: "Mozilla/5.0 Chrome/140.0 vitest", revokedAt: null });
  });

  it("renewing a session near its end does not extend it: the new token still dies at sign-in + 8 hours", async () => {
    const started = await sessions.startStaffSession({ staffOid: ZOE.id, now: new Date(Date.now() - (8 * HOUR - 120) * 1000) });
    const token = await forge({ sid: started.sid, signedInAt: started.signedInAt }, 8 * HOUR);
    const answer = await readSession(token);
    expect(answer.body).toMatchObject({ user: { name: ZOE.name } });
    const renewed = answer.cookies.find((c) => c.name === COOKIE)!;
    const exp = (await decode({ token: renewed.value, secret }))!.exp as number;
    expect(exp).toBeLessThanOrEqual(started.signedInAt + 8 * HOUR);
    expect(exp).toBeGreaterThan(started.signedInAt + 8 * HOUR - 30);
    expect(exp - nowSeconds()).toBeLessThanOrEqual(120);
  });

  it("refuses a token forged with the portal's secret whose sign-in was 9 hours ago, though its exp is in the future", async () => {
    const nineHoursAgo = new Date(Date.now() - 9 * HOUR * 1000);
    // The sign-in really happened 9 hours ago: its record has ended.
    const old = await sessions.startStaffSession({ staffOid: ZOE.id, now: nineHoursAgo });
    const forged = await forge({ sid: old.sid, signedInAt: old.signedInAt }, 24 * HOUR);
    expect((await decode({ token: forged, secret }))!.exp).toBeGreaterThan(nowSeconds() + 23 * HOUR);
    expectRefused(await readSession(forged));

    // A live sign-in, but the token claims it began 9 hours ago.
    const fresh = await sessions.startStaffSession({ staffOid: ZOE.id });
    expectRefused(await readSession(await forge({ sid: fresh.sid, signedInAt: Math.floor(nineHoursAgo.getTime() / 1000) }, HOUR)));
    // And the other way round: a token claiming a later sign-in than the record's.
    expectRefused(await readSession(await forge({ sid: old.sid, signedInAt: nowSeconds() - 60 }, HOUR)));
  });

  it("refuses tokens that name no server-side session: the format issued before, and an invented session id", async () => {
    const legacy = await forge({ oid: AMELIA.oid, tid: MSSP, name: AMELIA.name, role: "Portal.Admin" }, 30 * 24 * HOUR);
    expectRefused(await readSession(legacy));
    expectRefused(await readSession(await forge({ sid: "x".repeat(43), signedInAt: nowSeconds() - 60 }, HOUR)));
  });

  it("sign-out ends the session on the server: a copy of the cookie is refused afterwards, and the sign-out is audited", async () => {
    const token = await signIn(ZOE.id);
    const copy = token;
    const csrf = await handle("csrf");
    const csrfCookie = csrf.cookies.find((c) => c.name === "next-auth.csrf-token")!;
    const out = await handle("signout", {
      method: "POST",
      cookies: { [COOKIE]: token, [csrfCookie.name]: csrfCookie.value },
      body: { csrfToken: (csrf.body as { csrfToken: string }).csrfToken },
    });
    expect(out.cookies.find((c) => c.name === COOKIE)?.value).toBe("");

    expectRefused(await readSession(copy));
    const sid = (await decode({ token, secret }))!.sid as string;
    expect(await db.staffSessionRecord.findUniqueOrThrow({ where: { id: sid } })).toMatchObject({ revokedReason: "sign_out" });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.sign_out" }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ actorId: ZOE.id, actorName: ZOE.name, outcome: "success", ipAddress: "203.0.113.7" });
  });

  it("an admin ending all sessions of one member refuses each of their cookies, leaves others alone, and is audited", async () => {
    const zoeLaptop = await signIn(ZOE.id);
    const zoePhone = await signIn(ZOE.id);
    const arjun = await signIn(ARJUN.id);
    const before = (await sessions.listStaffMemberSessions()).find((m) => m.oid === ZOE.id)!;
    expect(before.activeSessions.length).toBeGreaterThanOrEqual(2);

    const result = await sessions.endAllStaffSessions({ staffOid: ZOE.id, by: AMELIA, ipAddress: "198.51.100.4" });
    expect(result).toEqual({ staffName: ZOE.name, ended: before.activeSessions.length });
    expectRefused(await readSession(zoeLaptop));
    expectRefused(await readSession(zoePhone));
    expect((await readSession(arjun)).body).toMatchObject({ user: { name: ARJUN.name } });

    const listed = await sessions.listStaffMemberSessions();
    expect(listed.find((m) => m.oid === ZOE.id)!.activeSessions).toEqual([]);
    expect(listed.find((m) => m.oid === ARJUN.id)!.activeSessions.length).toBeGreaterThan(0);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "staff.sessions_ended" }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({
      actorId: AMELIA.oid,
      actorName: AMELIA.name,
      targetId: ZOE.id,
      outcome: "success",
      ipAddress: "198.51.100.4",
      details: { sessionsEnded: result.ended },
    });
    expect(audit.reason).toBe(`${ZOE.name}: ${result.ended} sessions ended`);
    await expect(sessions.endAllStaffSessions({ staffOid: "99999999-9999-4999-8999-999999999999", by: AMELIA })).rejects.toThrow("never signed in");
  });

  it("takes the role from the server, so a role removed since sign-in no longer gets in", async () => {
    const token = await signIn(ARJUN.id);
    await db.staffMember.update({ where: { id: ARJUN.id }, data: { roles: [] } });
    try {
      expectRefused(await readSession(token));
    } finally {
      await db.staffMember.update({ where: { id: ARJUN.id }, data: { roles: ARJUN.roles } });
    }
  });

  it("the database refuses a session record that outlives sign-in + 8 hours", async () => {
    const started = await sessions.startStaffSession({ staffOid: ZOE.id });
    await expect(
      db.staffSessionRecord.update({ where: { id: started.sid }, data: { expiresAt: new Date(started.expiresAt.getTime() + 1000) } }),
    ).rejects.toThrow(/staff_session_absolute_lifetime|check constraint/i);
  });
});
