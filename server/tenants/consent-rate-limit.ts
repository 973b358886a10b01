import "server-only";
import type { PrismaClient } from "../../prisma/generated/client/client";

/**
 * Limits on the customer consent pages (no staff session there), counted in the database so they
 * hold across every portal process: per client address (enough for a person retrying, far too
 * little to probe links or states) and overall (a ceiling no spread of addresses can pass).
 * Fixed 10-minute windows; rows of closed windows are swept now and then.
 */
export const CONSENT_WINDOW_MS = 10 * 60_000;
export const CONSENT_LIMITS = { perAddress: 30, statusPerAddress: 120, overall: 2_000 };

/**
 * Which budget a request draws from: the link, button and callback ("pages"), or the status page
 * ("status"), which reloads itself every few seconds while Microsoft propagates a consent (up to
 * about 40 times per consent) and so has a larger budget of its own. Both count towards the overall ceiling.
 */
export type ConsentBudget = "pages" | "status";

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
export async function allowConsentHit(
  prisma: PrismaClient,
  input: { address: string | null; budget?: ConsentBudget; now?: number; limits?: Partial<typeof CONSENT_LIMITS> },
): Promise<boolean> {
  const now = input.now ?? Date.now();
  const limits = { ...CONSENT_LIMITS, ...input.limits };
  const at = windowStart(now);
  const status = input.budget === "status";
  const ownKey = `consent:${status ? "status" : "address"}:${input.address ?? "unknown"}`;
  const [own, overall] = await Promise.all([countHit(prisma, ownKey, at), countHit(prisma, "consent:all", at)]);
  // Now and then, forget windows long closed (the refusal counters once their count is audited).
  if (Math.random() < 0.01) await sweepClosedWindows(prisma, now);
  return own <= (status ? limits.statusPerAddress : limits.perAddress) && overall <= limits.overall;
}

export async function sweepClosedWindows(prisma: PrismaClient, now = Date.now()): Promise<void> {
  await prisma.rateLimitWindow.deleteMany({
    where: { windowStart: { lt: new Date(now - 6 * CONSENT_WINDOW_MS) }, OR: [{ summarized: true }, { NOT: { key: { startsWith: "refusal:" } } }] },
  });
}

/**
 * Refusals that can be repeated at will: no state or a made-up one (anyone), and a real state
 * replayed, used or expired, or brought back without its browser's nonce (anyone who saw a
 * consent URL). One audit row per reason, address and window; the rest are counted.
 */
export const COUNTED_REFUSALS = new Set(["state-missing", "state-unknown", "state-other-browser", "state-reused", "state-expired"]);

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
