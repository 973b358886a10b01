import { DefenderThrottled } from "./defender-errors";
import { sleep } from "./defender-backoff";

/** Microsoft's budgets are per app, per tenant, per API: list, get and update count separately. */
export type DefenderRoute = "list" | "get" | "update";
export type RateLimit = { perMinute: number; perHour: number };
export type RateLimits = Record<DefenderRoute, RateLimit>;

/** The documented limits of the incidents API. */
export const DEFENDER_RATE_LIMITS: RateLimits = {
  list: { perMinute: 50, perHour: 1_500 },
  update: { perMinute: 50, perHour: 1_500 },
  get: { perMinute: 100, perHour: 1_500 },
};

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
// Our clock stamps a call before it is sent, the API's after it arrives: free a slot a little later.
const SLOT_MARGIN_MS = 500;

/**
 * Pure: the earliest time (>= now) at which one more call fits both sliding windows, given the
 * send times of earlier calls (ascending) and a pause set by a 429 answer.
 */
export function nextSlotAt(history: readonly number[], nowMs: number, limit: RateLimit, pausedUntilMs = 0): number {
  let at = Math.max(nowMs, pausedUntilMs);
  const inHour = history.filter((t) => t > nowMs - HOUR_MS);
  if (inHour.length >= limit.perHour) at = Math.max(at, inHour[inHour.length - limit.perHour]! + HOUR_MS + SLOT_MARGIN_MS);
  const inMinute = inHour.filter((t) => t > nowMs - MINUTE_MS);
  if (inMinute.length >= limit.perMinute) at = Math.max(at, inMinute[inMinute.length - limit.perMinute]! + MINUTE_MS + SLOT_MARGIN_MS);
  return at;
}

export type RateBudgetOptions = {
  limits?: Partial<Record<DefenderRoute, Partial<RateLimit>>>;
  now?: () => number;
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
};

/**
 * Per-tenant, per-route sliding-window budget shared by every caller in the process, so the
 * portal stays under Microsoft's limits instead of discovering them through 429s. A caller
 * either waits for a slot (up to `maxWaitMs`) or gets DefenderThrottled with the time to retry.
 */
export class DefenderRateBudget {
  private readonly limits: RateLimits;
  private readonly history = new Map<string, number[]>();
  private readonly pausedUntil = new Map<string, number>();
  private readonly now: () => number;
  private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: RateBudgetOptions = {}) {
    this.limits = {
      list: { ...DEFENDER_RATE_LIMITS.list, ...options.limits?.list },
      update: { ...DEFENDER_RATE_LIMITS.update, ...options.limits?.update },
      get: { ...DEFENDER_RATE_LIMITS.get, ...options.limits?.get },
    };
    this.now = options.now ?? Date.now;
    this.wait = options.wait ?? sleep;
  }

  /** Takes one call from the budget, waiting for a slot if it comes within `maxWaitMs`. */
  async acquire(input: { tenantId: string; route: DefenderRoute; maxWaitMs: number; signal?: AbortSignal }): Promise<void> {
    const key = this.key(input.tenantId, input.route);
    const deadline = this.now() + input.maxWaitMs;
    for (;;) {
      const now = this.now();
      const history = this.trimmed(key, now);
      const at = nextSlotAt(history, now, this.limits[input.route], this.pausedUntil.get(key) ?? 0);
      if (at <= now) {
        history.push(now);
        return;
      }
      if (at > deadline) throw new DefenderThrottled(input.tenantId, new Date(at), "budget");
      // Re-check after waking: another caller of the same tenant may have taken the slot.
      await this.wait(at - now, input.signal);
    }
  }

  /** The API answered 429: nobody in this process calls that route of that tenant before `until`. */
  pause(tenantId: string, route: DefenderRoute, until: Date): void {
    const key = this.key(tenantId, route);
    this.pausedUntil.set(key, Math.max(this.pausedUntil.get(key) ?? 0, until.getTime()));
  }

  /** Calls counted in the last minute and hour (for status pages and the benchmark). */
  usage(tenantId: string, route: DefenderRoute): { lastMinute: number; lastHour: number } {
    const now = this.now();
    const history = this.trimmed(this.key(tenantId, route), now);
    return { lastMinute: history.filter((t) => t > now - MINUTE_MS).length, lastHour: history.length };
  }

  private key(tenantId: string, route: DefenderRoute): string {
    return `${tenantId.toLowerCase()}|${route}`;
  }

  private trimmed(key: string, now: number): number[] {
    const kept = (this.history.get(key) ?? []).filter((t) => t > now - HOUR_MS);
    this.history.set(key, kept);
    return kept;
  }
}
