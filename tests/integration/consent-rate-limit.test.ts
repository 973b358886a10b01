// Consent page limits and counted refusals live in the database: they hold across processes and
// a flood of forged callbacks cannot flood the append-only audit trail.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/prisma/generated/client/client";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import { startTestEmulator } from "../support/test-emulator";
import { usePortalEnvironment } from "../support/portal-environment";
import { openDatabase } from "@/server/database/open-database";
import { testDatabaseKinds } from "../support/test-database";

describe.each(testDatabaseKinds())("consent rate limits and counted refusals (%s)", (kind) => {
  let emulator: EmulatorHandle;
  let env: { cleanup: () => Promise<void> };
  let db: PrismaClient;
  let limits: typeof import("@/server/tenants/consent-rate-limit");
  let flow: typeof import("@/server/tenants/consent-flow");
  let summary: typeof import("@/server/tenants/refusal-summary");

  beforeAll(async () => {
    emulator = await startTestEmulator();
    env = await usePortalEnvironment(emulator, kind);
    vi.resetModules();
    db = await (await import("@/server/services")).getDb();
    limits = await import("@/server/tenants/consent-rate-limit");
    flow = await import("@/server/tenants/consent-flow");
    summary = await import("@/server/tenants/refusal-summary");
  });
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
});
