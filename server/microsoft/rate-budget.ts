import { ApiThrottled, type MicrosoftApi } from "./api-errors";
import { sleep } from "./backoff";

/** Microsoft's budgets are per app, per tenant, per API, and some APIs split them by route. */
export type RateLimit = { perMinute: number; perHour: number };
export type RateLimits = Record<string, RateLimit>;

/** The Defender XDR incidents API: list, get and update count separately (documented). */
export const DEFENDER_RATE_LIMITS = {
  list: { perMinute: 50, perHour: 1_500 },
  update: { perMinute: 50, perHour: 1_500 },
  get: { perMinute: 100, perHour: 1_500 },
} satisfies RateLimits;
export type DefenderRoute = keyof typeof DEFENDER_RATE_LIMITS;

/**
 * Microsoft Graph's security resources: about 150 requests a minute per app per tenant
 * (documented for alerts; the safe reading applies it to incidents too, one window for every
 * security call). No hourly limit is documented: the minute window bounds the hour.
 */
export const GRAPH_SECURITY_RATE_LIMITS = {
  security: { perMinute: 150, perHour: 9_000 },
} satisfies RateLimits;
export type GraphRoute = keyof typeof GRAPH_SECURITY_RATE_LIMITS;

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
  /** Whose limits these are (errors name the API). Default: the Defender API. */
  api?: MicrosoftApi;
  /** Every route the budget serves and its limits (default: the Defender API's). */
  routes?: RateLimits;
  /** Overrides per route (configuration, tests). */
  limits?: Partial<Record<string, Partial<RateLimit>>>;
  now?: () => number;
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
};

/**
 * Per-tenant, per-route sliding-window budget shared by every caller in the process, so the
 * portal stays under Microsoft's limits instead of discovering them through 429s. A caller
 * either waits for a slot (up to `maxWaitMs`) or gets ApiThrottled with the time to retry.
 */
export class RateBudget {
  private readonly limits: RateLimits;
  private readonly history = new Map<string, number[]>();
  private readonly pausedUntil = new Map<string, number>();
  private readonly now: () => number;
  private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void>;

  private readonly api: MicrosoftApi;

  constructor(options: RateBudgetOptions = {}) {
    this.api = options.api ?? "defender";
    const routes: RateLimits = options.routes ?? DEFENDER_RATE_LIMITS;
    this.limits = Object.fromEntries(Object.entries(routes).map(([route, limit]) => [route, { ...limit, ...options.limits?.[route] }]));
    this.now = options.now ?? Date.now;
    this.wait = options.wait ?? sleep;
  }

  /** Takes one call from the budget, waiting for a slot if it comes within `maxWaitMs`. */
  async acquire(input: { tenantId: string; route: string; maxWaitMs: number; signal?: AbortSignal }): Promise<void> {
    const key = this.key(input.tenantId, input.route);
    const deadline = this.now() + input.maxWaitMs;
    for (;;) {
      const now = this.now();
      const history = this.trimmed(key, now);
      const limit = this.limits[input.route];
      if (!limit) throw new Error(`no rate limit for route "${input.route}"`);
      const at = nextSlotAt(history, now, limit, this.pausedUntil.get(key) ?? 0);
      if (at <= now) {
        history.push(now);
        return;
      }
      if (at > deadline) throw new ApiThrottled(input.tenantId, this.api, new Date(at), "budget");
      // Re-check after waking: another caller of the same tenant may have taken the slot.
      await this.wait(at - now, input.signal);
    }
  }

  /** The API answered 429: nobody in this process calls that route of that tenant before `until`. */
  pause(tenantId: string, route: string, until: Date): void {
    const key = this.key(tenantId, route);
    this.pausedUntil.set(key, Math.max(this.pausedUntil.get(key) ?? 0, until.getTime()));
  }

  /** Calls counted in the last minute and hour (for status pages and the benchmark). */
  usage(tenantId: string, route: string): { lastMinute: number; lastHour: number } {
    const now = this.now();
    const history = this.trimmed(this.key(tenantId, route), now);
    return { lastMinute: history.filter((t) => t > now - MINUTE_MS).length, lastHour: history.length };
  }

  private key(tenantId: string, route: string): string {
    return `${tenantId.toLowerCase()}|${route}`;
  }

  private trimmed(key: string, now: number): number[] {
    const kept = (this.history.get(key) ?? []).filter((t) => t > now - HOUR_MS);
    this.history.set(key, kept);
    return kept;
  }
}
