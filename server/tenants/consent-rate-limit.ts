import "server-only";
import type { PrismaClient } from "../../prisma/generated/client/client";

/**
 * Limits on the customer consent pages (no staff session there), counted in the database so they
 * hold across every portal process: per client address (enough for a person retrying, far too
 * little to probe links or states) and overall (a ceiling no spread of addresses can pass).
 * Fixed 10-minute windows; rows of closed windows are swept now and then.
 */
export const CONSENT_WINDOW_MS = 10 * 60_000;
export const CONSENT_LIMITS = { perAddress: 30, overall: 2_000 };

export function windowStart(now: number, windowMs = CONSENT_WINDOW_MS): Date {
  return new Date(Math.floor(now / windowMs) * windowMs);
}

/** Adds one hit to a window's counter and returns the new count (one statement: safe between processes). */
export async function countHit(prisma: PrismaClient, key: string, at: Date): Promise<number> {
  const rows = await prisma.$queryRaw<{ hits: number }[]>`
    INSERT INTO "rate_limit_window" ("key", "window_start", "hits") VALUES (${key}, ${at}, 1)
    ON CONFLICT ("key", "window_start") DO UPDATE SET "hits" = "rate_limit_window"."hits" + 1
    RETURNING "hits"`;
  return Number(rows[0]?.hits ?? 1);
}

/** Counts one consent-page request; false when its address or the portal as a whole is over the limit. */
export async function allowConsentHit(prisma: PrismaClient, input: { address: string | null; now?: number; limits?: typeof CONSENT_LIMITS }): Promise<boolean> {
  const now = input.now ?? Date.now();
  const limits = input.limits ?? CONSENT_LIMITS;
  const at = windowStart(now);
  const [own, overall] = await Promise.all([countHit(prisma, `consent:address:${input.address ?? "unknown"}`, at), countHit(prisma, "consent:all", at)]);
  // Now and then, forget windows long closed (the refusal counters once their count is audited).
  if (Math.random() < 0.01) await sweepClosedWindows(prisma, now);
  return own <= limits.perAddress && overall <= limits.overall;
}

export async function sweepClosedWindows(prisma: PrismaClient, now = Date.now()): Promise<void> {
  await prisma.rateLimitWindow.deleteMany({
    where: { windowStart: { lt: new Date(now - 6 * CONSENT_WINDOW_MS) }, OR: [{ summarized: true }, { NOT: { key: { startsWith: "refusal:" } } }] },
  });
}

/** Refusals anyone can cause without a secret (no state, a made-up state): one audit row per address and window. */
export const COUNTED_REFUSALS = new Set(["state-missing", "state-unknown"]);

/**
 * Counts a refusal; true when it is the first of its kind from that address in this window (and
 * so gets its own audit row). The rest of the window is written as one summing row once the
 * window has closed (summarizeCountedRefusals), so forged requests cannot flood the audit trail.
 */
export async function firstRefusalInWindow(prisma: PrismaClient, input: { reason: string; address: string | null; now?: number }): Promise<boolean> {
  return (await countHit(prisma, `refusal:${input.reason}:${input.address ?? "unknown"}`, windowStart(input.now ?? Date.now()))) === 1;
}

/** Closed windows with more than one refusal: their count, once, into the audit trail. */
export async function closedRefusalCounts(prisma: PrismaClient, now = Date.now()): Promise<{ key: string; windowStart: Date; hits: number }[]> {
  return prisma.rateLimitWindow.findMany({
    where: { key: { startsWith: "refusal:" }, windowStart: { lt: windowStart(now) }, hits: { gt: 1 }, summarized: false },
    select: { key: true, windowStart: true, hits: true },
    take: 200,
  });
}

export async function markRefusalCountAudited(prisma: PrismaClient, row: { key: string; windowStart: Date }): Promise<boolean> {
  const marked = await prisma.rateLimitWindow.updateMany({
    where: { key: row.key, windowStart: row.windowStart, summarized: false },
    data: { summarized: true },
  });
  return marked.count === 1;
}
