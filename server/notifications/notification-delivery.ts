// Delivers the outbox. Each row is claimed with one conditional UPDATE (pending, due, unclaimed or
// its claim expired): PostgreSQL re-checks the WHERE after waiting for a concurrent claimant's row
// lock, so of several processes exactly one sends a row. The row is marked delivered by the claim's
// owner right after the channel accepted it; a process that dies in between leaves a claim that
// expires, and the row goes again with the same X-Portal-Delivery id (at least once: receivers may
// drop a repeat by that id). A failure is retried with exponential backoff, then the row is dead.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../../prisma/generated/client/client";
import { errorMessage } from "../../lib/errors";
import { sendToChannel, type SendOutcome } from "./channel-send";
import { loadChannelForSend } from "./notification-channels";
import type { ChannelForSend } from "./channel-body";
import type { NotificationPayload } from "./notification-event";

export type DeliverySettings = {
  prisma: PrismaClient;
  key: Buffer | null;
  portalUrl: string;
  msspName: string;
  allowLoopbackHttp: boolean;
  ownerId?: string;
  /** Rows claimed per round. */
  batch?: number;
  /** Messages in flight at once. */
  concurrency?: number;
  timeoutMs?: number;
  /** How long a claim holds before another process may take the row. */
  claimMs?: number;
  maxAttempts?: number;
  backoff?: { baseMs: number; maxMs: number };
  log?: (level: "info" | "warn" | "error", event: Record<string, unknown>, message: string) => void;
};

export type RoundResult = { delivered: number; retried: number; dead: number };

export const DEFAULT_MAX_ATTEMPTS = 8;
const DEFAULT_BACKOFF = { baseMs: 15_000, maxMs: 30 * 60_000 };

/** Wait before attempt n+1 after n failed ones: base × 2^(n−1), capped, ±20 % jitter. */
export function retryDelayMs(failedAttempts: number, backoff: { baseMs: number; maxMs: number }, random = Math.random): number {
  const raw = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

export class NotificationDeliverer {
  readonly ownerId: string;
  private readonly s: Required<Omit<DeliverySettings, "log">> & Pick<DeliverySettings, "log">;

  constructor(settings: DeliverySettings) {
    this.ownerId = settings.ownerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.s = {
      batch: 20,
      concurrency: 4,
      timeoutMs: 10_000,
      claimMs: 120_000,
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      backoff: DEFAULT_BACKOFF,
      ...settings,
      ownerId: this.ownerId,
    };
  }

  /** Rows claimed per round: a round that claimed this many is followed at once by another. */
  get batchSize(): number {
    return this.s.batch;
  }

  /** Claims what is due and delivers it; resolves when every claimed row is marked. */
  async runOnce(now: Date = new Date()): Promise<RoundResult> {
    const result: RoundResult = { delivered: 0, retried: 0, dead: 0 };
    if (!this.s.key) return result; // start-up refuses channels without a key; nothing can be opened
    const claimed = await this.claim(now);
    if (claimed.length === 0) return result;
    const channels = new Map<string, Promise<ChannelForSend | null>>();
    const channelFor = (id: string) => {
      let found = channels.get(id);
      if (!found) channels.set(id, (found = loadChannelForSend(this.s.prisma, { channelId: id, key: this.s.key! })));
      return found;
    };
    const queue = [...claimed];
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        const outcome = await this.deliverOne(row, channelFor, now);
        result[outcome] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.s.concurrency, claimed.length) }, worker));
    return result;
  }

  private async claim(now: Date) {
    const { prisma } = this.s;
    const free = { OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] };
    const due = await prisma.notificationOutbox.findMany({
      where: { state: "pending", nextAttemptAt: { lte: now }, ...free },
      orderBy: { nextAttemptAt: "asc" },
      take: this.s.batch,
      select: { id: true },
    });
    const ids: string[] = [];
    for (const { id } of due) {
      const taken = await prisma.notificationOutbox.updateMany({
        where: { id, state: "pending", nextAttemptAt: { lte: now }, ...free },
        data: { claimedBy: this.ownerId, claimedUntil: new Date(now.getTime() + this.s.claimMs), attempts: { increment: 1 } },
      });
      if (taken.count === 1) ids.push(id);
    }
    if (ids.length === 0) return [];
    return prisma.notificationOutbox.findMany({
      where: { id: { in: ids }, claimedBy: this.ownerId },
      select: { id: true, channelId: true, payload: true, attempts: true, kind: true, tenantId: true },
    });
  }

  private async deliverOne(
    row: { id: string; channelId: string; payload: unknown; attempts: number; kind: string; tenantId: string },
    channelFor: (id: string) => Promise<ChannelForSend | null>,
    now: Date,
  ): Promise<keyof RoundResult> {
    let outcome: SendOutcome;
    let final = false;
    try {
      const channel = await channelFor(row.channelId);
      if (!channel) {
        outcome = { ok: false, error: "the channel was deleted or turned off", status: null, retryAfterMs: null };
        final = true;
      } else {
        outcome = await sendToChannel(
          channel,
          row.payload as NotificationPayload,
          { portalUrl: this.s.portalUrl, deliveryId: row.id, msspName: this.s.msspName },
          { timeoutMs: this.s.timeoutMs, allowLoopbackHttp: this.s.allowLoopbackHttp, now },
        );
      }
    } catch (error) {
      // A channel whose secret no longer opens (another key) cannot be sent to, ever.
      outcome = { ok: false, error: `the channel could not be read: ${errorMessage(error).slice(0, 200)}`, status: null, retryAfterMs: null };
      final = true;
    }
    const mine = { id: row.id, claimedBy: this.ownerId };
    if (outcome.ok) {
      await this.s.prisma.notificationOutbox.updateMany({
        where: mine,
        data: { state: "delivered", deliveredAt: new Date(), claimedUntil: null, lastError: null, lastStatusCode: outcome.status },
      });
      return "delivered";
    }
    const dead = final || row.attempts >= this.s.maxAttempts;
    const wait = Math.max(outcome.retryAfterMs ?? 0, retryDelayMs(row.attempts, this.s.backoff));
    await this.s.prisma.notificationOutbox.updateMany({
      where: mine,
      data: {
        state: dead ? "dead" : "pending",
        claimedUntil: null,
        claimedBy: null,
        lastError: outcome.error,
        lastStatusCode: outcome.status,
        ...(dead ? {} : { nextAttemptAt: new Date(now.getTime() + wait) }),
      },
    });
    this.s.log?.(
      dead ? "error" : "warn",
      { event: dead ? "notification.dead" : "notification.retry", deliveryId: row.id, tenantId: row.tenantId, attempts: row.attempts, error: outcome.error },
      dead ? "notification given up" : "notification failed; will retry",
    );
    return dead ? "dead" : "retried";
  }
}
