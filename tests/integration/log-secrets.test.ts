// README: secrets and tokens never reach the logs. The portal's own logger (server/services.ts, with
// its redaction) is kept, at its most verbose level, and its output captured while the flows that
// handle secrets run against the emulator: admin consent with the admin's sign-in (an authorization
// code redeemed with the client secret, an id token), the token check (client credentials), a sync
// through Graph (bearer tokens), and a refused token (Microsoft's error answer).
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import type { StaffSession } from "@/server/auth/staff-session";
import { control, startTestEmulator } from "../support/test-emulator";
import { usePortalEnvironment } from "../support/portal-environment";

const CONTOSO = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";
const admin: StaffSession = {
  oid: "a1f4c2d8-3b5e-4c7a-9d1f-2e6b8a0c4d11",
  tenantId: "6f1d2c3b-8a4e-4b7d-9c21-0d5e7a9b3f10",
  name: "Amelia Adams",
  username: "amelia.admin@northwindcyber.onmicrosoft.com",
  role: "Portal.Admin",
};
/** A JSON Web Token (an access or id token): three base64url parts, the first a JSON header. */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;

describe("secrets in the logs", () => {
  let emulator: EmulatorHandle;
  let env: { cleanup: () => Promise<void> };
  const lines: string[] = [];

  beforeAll(async () => {
    emulator = await startTestEmulator({ propagationDelayMs: 0, incidentCounts: { [CONTOSO]: 60 } });
    env = await usePortalEnvironment(emulator, "pglite");
    process.env.LOG_LEVEL = "trace";
    vi.resetModules();
    // The portal's logger as the process builds it; only where its lines go is changed.
    const logger = (await import("@/server/services")).logger();
    expect(logger.level).toBe("trace");
    (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = { write: (line: string) => void lines.push(line) };
  });
  afterAll(async () => {
    await env?.cleanup();
    await emulator?.stop();
  });

  it(
    "holds no client secret, session secret, token, key, consent state or nonce, while consent, token checks and a sync log their events",
    {
      timeout: 180_000,
    },
    async () => {
      const invitations = await import("@/server/tenants/consent-invitations");
      const flow = await import("@/server/tenants/consent-flow");
      const verification = await import("@/server/tenants/consent-verification");
      const lifecycle = await import("@/server/tenants/tenant-lifecycle");
      const { startSyncEngine } = await import("@/server/incidents/sync-engine");
      const db = await (await import("@/server/services")).getDb();

      // Admin consent, then the admin's sign-in at Microsoft, then the token check.
      const issued = await invitations.createConsentInvitation({
        staff: admin,
        input: { customerName: "Contoso Manufacturing", expectedTenant: CONTOSO, requestedAccess: "read", expiresInDays: 7, note: null },
      });
      const linkToken = issued.link.split("/consent/")[1]!;
      const start = await flow.beginAdminConsent({ token: linkToken, ipAddress: "127.0.0.1" });
      const state = new URL(start.url).searchParams.get("state")!;
      await control(emulator, "POST", `/tenants/${CONTOSO}/consent`, {});
      const callback = (params: Record<string, string>) =>
        flow.handleConsentCallback({ params: new URLSearchParams(params), ipAddress: "127.0.0.1", browserNonce: start.browserNonce });
      const consented = await callback({ admin_consent: "True", tenant: CONTOSO, state, scope: "https://graph.microsoft.com/.default" });
      if (consented.kind !== "sign-in") throw new Error(`expected the sign-in step, got ${consented.kind}`);
      const signIn = new URL(consented.url);
      const tenants = await control<{ id: string; users: { id: string; isGlobalAdmin: boolean }[] }[]>(emulator, "GET", "/tenants");
      const form = new URLSearchParams(signIn.searchParams);
      form.set("user_id", tenants.find((t) => t.id === CONTOSO)!.users.find((u) => u.isGlobalAdmin)!.id);
      const picked = await fetch(`${signIn.origin}${signIn.pathname}`, { method: "POST", body: form, redirect: "manual" });
      const redirect = Object.fromEntries(new URL(picked.headers.get("location")!).searchParams);
      const verifying = await callback(redirect);
      expect(verifying.kind).toBe("verifying");
      expect((await verification.getConsentAttemptView({ attemptId: verifying.attemptId }))?.state).toBe("verified");

      // A sync through Graph, then a refused token (consent removed) seen by a verification.
      const engine = startSyncEngine({ prisma: db, health: { tokenFailure: async () => undefined, apiForbidden: async () => undefined }, loop: false });
      try {
        await engine.runOnce();
      } finally {
        await engine.stop();
      }
      expect(await db.incident.count({ where: { tenantId: CONTOSO } })).toBe(60);
      await control(emulator, "POST", `/tenants/${CONTOSO}/revoke`);
      expect((await lifecycle.verifyTenant({ tenantId: CONTOSO, actor: { type: "system", name: "test" } })).status).toBe("consent_revoked");

      // The capture saw those flows...
      const events = lines.map((line) => (JSON.parse(line) as { event?: string }).event);
      expect(events).toContain("sync.pass_completed");
      expect(events.filter((e) => e?.startsWith("tenant.") || e === "audit").length).toBeGreaterThan(0);
      // ...and none of their secrets.
      const secrets = {
        "client secret": emulator.clientSecret,
        "session secret": process.env.NEXTAUTH_SECRET!,
        "consent link token": linkToken,
        "consent state": state,
        "browser nonce": start.browserNonce,
        "sign-in state": redirect.state!,
        "authorization code": redirect.code!,
      };
      for (const [what, value] of Object.entries(secrets)) {
        expect(value, what).toBeTruthy();
        expect(
          lines.filter((line) => line.includes(value)),
          what,
        ).toEqual([]);
      }
      expect(lines.filter((line) => JWT.test(line))).toEqual([]);
      expect(lines.filter((line) => /PRIVATE KEY|Bearer\s+\S{20,}/i.test(line))).toEqual([]);
    },
  );
});
