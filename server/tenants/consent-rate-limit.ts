/**
 * Per-client-address limit on the customer consent pages (no staff session there): enough for a
 * person retrying, far too little to probe links or states. In memory: per process is enough.
 */
export class ConsentRateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly limit = 30, private readonly windowMs = 10 * 60_000) {}

  /** Counts one request; false when the address is over its limit. */
  allow(address: string | null | undefined, now = Date.now()): boolean {
    const key = address || "unknown";
    const recent = (this.hits.get(key) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.sweep(now);
    return true;
  }

  private sweep(now: number): void {
    for (const [key, times] of this.hits) if (times.every((at) => now - at >= this.windowMs)) this.hits.delete(key);
  }
}

const holder = globalThis as unknown as { consentRateLimiter?: ConsentRateLimiter };
export function consentRateLimiter(): ConsentRateLimiter {
  holder.consentRateLimiter ??= new ConsentRateLimiter();
  return holder.consentRateLimiter;
}
