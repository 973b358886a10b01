// Consent page limits and counted refusals live in the database: they hold across processes and
// a flood of forged callbacks cannot flood the append-only audit trail.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/prisma/generated/client/client";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import { startTestEmulator } from "../support/test-emulator";
import { usePortalEnvironment } from "../support/portal-environment";
import { openDatabase } from "@/server/database/open-database";
import { testDatabaseKinds } from "../support/test-database";
import { CLIENT_ADDRESS_HEADER } from "@/scripts/lib/client-chain.mjs";
import type { StaffSession } from "@/server/auth/staff-session";

const WOODGROVE = "2d9f1c5a-43e6-4b8c-8a7f-9e3b5c1d4a83";
const admin: StaffSession = {
  oid: "a1f4c2d8-3b5e-4c7a-9d1f-2e6b8a0c4d11",
  tenantId: "6f1d2c3b-8a4e-4b7d-9c21-0d5e7a9b3f10",
  name: "Amelia Adams",
  username: "amelia.admin@northwindcyber.onmicrosoft.com",
  role: "Portal.Admin",
};

describe.each(testDatabaseKinds())("consent rate limits and counted refusals (%s)", (kind) => {
  let emulator: EmulatorHandle;
  let env: { cleanup: () => Promise<void> };
  let db: PrismaClient;
  let limits: typeof import("@/server/tenants/consent-rate-limit");
  let flow: typeof import("@/server/tenants/consent-flow");
  let summary: typeof import("@/server/tenants/refusal-summary");
  let pages: typeof import("@/server/tenants/consent-pages");
  let invitations: typeof import("@/server/tenants/consent-invitations");

  beforeAll(async () => {
    emulator = await startTestEmulator();
    env = await usePortalEnvironment(emulator, kind);
    vi.resetModules();
    db = await (await import("@/server/services")).getDb();
    limits = await import("@/server/tenants/consent-rate-limit");
    flow = await import("@/server/tenants/consent-flow");
    summary = await import("@/server/tenants/refusal-summary");
    pages = await import("@/server/tenants/consent-pages");
    invitations = await import("@/server/tenants/consent-invitations");
  });

  /** A waiting link whose admin pressed the button: its state and the browser's nonce. */
  async function startedConsent(customerName: string, address: string) {
    const issued = await invitations.createConsentInvitation({
      staff: admin,
      input: { customerName, expectedTenant: null, requestedAccess: "read", expiresInDays: 7, note: null },
    });
    const start = await flow.beginAdminConsent({ token: issued.link.split("/consent/")[1]!, ipAddress: address });
    return { invitationId: issued.id, state: new URL(start.url).searchParams.get("state")!, browserNonce: start.browserNonce };
  }
  afterAll(async () => {
    await env?.cleanup();
    await emulator?.stop();
  });

  it("limits each address per window, and every address together under a ceiling", async () => {
    const now = Date.UTC(2026, 11, 1, 10, 0, 30);
    const small = { perAddress: 3, overall: 5 };
    const allowed = async (address: string, at = now) => limits.allowConsentHit(db, { address, now: at, limits: small });
    expect([await allowed("198.51.100.1"), await allowed("198.51.100.1"), await allowed("198.51.100.1"), await allowed("198.51.100.1")]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    // Other addresses still get in, until the ceiling for everyone is reached.
    expect(await allowed("198.51.100.2")).toBe(true);
    expect(await allowed("198.51.100.3")).toBe(false);
    // The next window starts afresh.
    expect(await allowed("198.51.100.1", now + limits.CONSENT_WINDOW_MS)).toBe(true);
  });

  it("counts in the database, so two processes share one limit", async () => {
    if (kind !== "postgres") return; // the embedded store opens in one process only
    // A second client on the same server, as another portal process would have.
    const second = await openDatabase({ kind: "postgres", url: process.env.DATABASE_URL! });
    try {
      const now = Date.UTC(2026, 11, 1, 11, 0, 0);
      const small = { perAddress: 4, overall: 100 };
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => limits.allowConsentHit(i % 2 ? db : second.prisma, { address: "198.51.100.9", now, limits: small })),
      );
      expect(results.filter(Boolean)).toHaveLength(4);
    } finally {
      await second.close();
    }
  });

  it("audits the first forged callback of an address in a window, then one row with the count once the window closed", async () => {
    const address = "203.0.113.77";
    const before = await db.auditEvent.count({ where: { action: "consent.refused", ipAddress: address } });
    // The windows are aligned to the clock: the flood happens at one fixed moment, a minute into the
    // next window, so however slow the machine, it never straddles a window's end.
    const moment = limits.windowStart(Date.now()).getTime() + limits.CONSENT_WINDOW_MS + 60_000;
    vi.useFakeTimers({ toFake: ["Date"], now: moment });
    try {
      for (let i = 0; i < 25; i++) {
        await expect(
          flow.handleConsentCallback({ params: new URLSearchParams({ state: "D".repeat(43), tenant: "x" }), ipAddress: address, browserNonce: null }),
        ).rejects.toMatchObject({ reason: "state-unknown" });
      }
    } finally {
      vi.useRealTimers();
    }
    expect(await db.auditEvent.count({ where: { action: "consent.refused", ipAddress: address } })).toBe(before + 1);
    // Nothing to sum while the window is open; once it closed, one row carries the count, once.
    expect(await summary.auditCountedRefusals()).toBe(0);
    const later = moment + limits.CONSENT_WINDOW_MS;
    expect(await summary.auditCountedRefusals(later)).toBeGreaterThanOrEqual(1);
    expect(await summary.auditCountedRefusals(later)).toBe(0);
    const rows = await db.auditEvent.findMany({ where: { action: "consent.refused", ipAddress: address }, orderBy: { id: "asc" } });
    expect(rows).toHaveLength(before + 2);
    expect(rows.at(-1)?.details).toMatchObject({ repeated: 24 });
  });

  it("counts the anonymous status page per address: over its budget it runs no token check", { timeout: 180_000 }, async () => {
    const address = "203.0.113.88";
    const from = (client: string) => new Headers({ [CLIENT_ADDRESS_HEADER]: client });
    // An attempt waiting for its token check, due now.
    const { invitationId } = await startedConsent("Status page flood", address);
    const attempt = await db.consentAttempt.findFirstOrThrow({ where: { invitationId } });
    await db.consentAttempt.update({
      where: { id: attempt.id },
      data: { verification: "pending", tenantId: WOODGROVE, nextVerifyAt: new Date(), verifyDeadline: new Date(Date.now() + 60_000) },
    });
    await startWellInsideAWindow();
    // A flood of made-up attempt ids from one address uses up its budget (and each is counted).
    for (let i = 0; i < limits.CONSENT_LIMITS.statusPerAddress; i++) {
      expect(await pages.consentStatusPage({ attemptId: crypto.randomUUID(), requestHeaders: from(address) })).toEqual({ limited: false, view: null });
    }
    expect(await pages.consentStatusPage({ attemptId: attempt.id, requestHeaders: from(address) })).toEqual({ limited: true });
    expect(await db.consentAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).toMatchObject({ verification: "pending", verifyTries: 0 });
    // The link pages share nothing with the status page's budget, and another address is served.
    expect(await limits.allowConsentHit(db, { address })).toBe(true);
    const other = await pages.consentStatusPage({ attemptId: attempt.id, requestHeaders: from("203.0.113.89") });
    expect(other.limited).toBe(false);
    expect(await db.consentAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).toMatchObject({ verifyTries: 1 });
  });

  it("audits replayed, expired and other-browser states once per address and window, and counts the rest", { timeout: 180_000 }, async () => {
    const address = "203.0.113.78";
    const audited = () => db.auditEvent.count({ where: { action: "consent.refused", ipAddress: address } });
    const { state, browserNonce } = await startedConsent("Replayed state", address);
    await startWellInsideAWindow();
    const callback = (nonce: string | null) =>
      flow.handleConsentCallback({ params: new URLSearchParams({ admin_consent: "True", tenant: WOODGROVE, state }), ipAddress: address, browserNonce: nonce });
    const before = await audited();
    // Someone who saw the consent URL, without the admin's browser: refused every time, audited once.
    for (let i = 0; i < 10; i++) await expect(callback(null)).rejects.toMatchObject({ reason: "state-other-browser" });
    expect(await audited()).toBe(before + 1);
    // The admin's browser uses the state once; replays of it are refused, audited once.
    expect((await callback(browserNonce)).kind).toBe("sign-in");
    for (let i = 0; i < 10; i++) await expect(callback(browserNonce)).rejects.toMatchObject({ reason: "state-reused" });
    expect(await audited()).toBe(before + 2);
    // An expired request, replayed: the same.
    const expired = await startedConsent("Expired state", address);
    await db.consentAttempt.updateMany({ where: { invitationId: expired.invitationId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    for (let i = 0; i < 10; i++) {
      await expect(
        flow.handleConsentCallback({
          params: new URLSearchParams({ admin_consent: "True", tenant: WOODGROVE, state: expired.state }),
          ipAddress: address,
          browserNonce: expired.browserNonce,
        }),
      ).rejects.toMatchObject({ reason: "state-expired" });
    }
    expect(await audited()).toBe(before + 3);
    const reasons = (await db.auditEvent.findMany({ where: { action: "consent.refused", ipAddress: address }, orderBy: { id: "asc" } })).map((e) => e.reason);
    expect(reasons.slice(-3)).toEqual(["state-other-browser", "state-reused", "state-expired"]);
  });
});

/** Counters are clock-aligned windows: a test near a window's end waits for the next one, so its requests share one. */
async function startWellInsideAWindow(): Promise<void> {
  const left = 10 * 60_000 - (Date.now() % (10 * 60_000));
  if (left < 60_000) await new Promise((resolve) => setTimeout(resolve, left + 1_000));
}
