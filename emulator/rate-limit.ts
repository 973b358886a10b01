// Sliding-window rate limiting per app, per tenant, per API, with Microsoft's two windows
// (per minute and per hour). Calls refused with 429 do not count.
import type { RateLimitedRoute, RateLimits } from "./emulator-settings";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; window: "minute" | "hour"; limit: number };

export type RateLimiter = {
  check(callerKey: string, route: RateLimitedRoute): RateDecision;
  reset(): void;
};

/** Pure: decides for one call given the timestamps of earlier admitted calls (ascending). */
export function decide(history: readonly number[], nowMs: number, limits: { perMinute: number; perHour: number }): RateDecision {
  const inHour = history.filter((t) => t > nowMs - HOUR_MS);
  const inMinute = inHour.filter((t) => t > nowMs - MINUTE_MS);
  if (inMinute.length >= limits.perMinute) {
    // The window frees a slot when the oldest call that still counts leaves it.
    const oldest = inMinute[inMinute.length - limits.perMinute] ?? nowMs;
    return { allowed: false, window: "minute", limit: limits.perMinute, retryAfterSeconds: Math.max(1, Math.ceil((oldest + MINUTE_MS - nowMs) / 1000)) };
  }
  if (inHour.length >= limits.perHour) {
    const oldest = inHour[inHour.length - limits.perHour] ?? nowMs;
    return { allowed: false, window: "hour", limit: limits.perHour, retryAfterSeconds: Math.max(1, Math.ceil((oldest + HOUR_MS - nowMs) / 1000)) };
  }
  return { allowed: true };
}

export function createRateLimiter(getLimits: () => RateLimits, now: () => number = Date.now): RateLimiter {
  const calls = new Map<string, number[]>();
  return {
    check(callerKey, route) {
      const key = `${callerKey}|${route}`;
      const t = now();
      const history = (calls.get(key) ?? []).filter((x) => x > t - HOUR_MS);
      const decision = decide(history, t, getLimits()[route]);
      if (decision.allowed) history.push(t);
      calls.set(key, history);
      return decision;
    },
    reset: () => calls.clear(),
  };
}
