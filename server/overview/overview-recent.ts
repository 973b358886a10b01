import "server-only";
import { createHash } from "node:crypto";
import { getDb, logger, services } from "../services";

// The overview of a large store reads every incident of the period (its per-day figures, service
// level percentiles and top lists): about a second per view at a million incidents. For a scope
// holding at least LARGE_SCOPE_INCIDENTS incidents (the kept counts say so, at no cost), a view
// computed less than FRESH_MS ago is served as it is, and one up to MAX_STALE_MS old is served
// while a single refresh runs; the page says when its figures were computed. Smaller scopes, the
// tests' among them, are always computed live. Nothing here is per person: every role sees every
// current customer, and the key names the exact tenants of the scope, so a tenant's offboarding
// changes the key.

export const LARGE_SCOPE_INCIDENTS = 50_000;
export const FRESH_MS = 60_000;
const MAX_STALE_MS = 10 * 60_000;
const MAX_ENTRIES = 64;

/** One key per view and exact set of tenants (hashed: a thousand ids make a long key). */
export function overviewKey(part: string, days: number, tenantIds: string[]): string {
  const tenants = createHash("sha256")
    .update([...tenantIds].sort().join(","))
    .digest("base64url");
  return `${part}:${days}:${tenants}`;
}

/** Incidents of these tenants, from the kept counts (a few rows per tenant). */
async function scopeIncidents(tenantIds: string[]): Promise<number> {
  const db = await getDb();
  const [row] = await db.$queryRaw<{ n: bigint | null }[]>`SELECT sum(incidents) AS n FROM incident_count WHERE tenant_id = ANY(${tenantIds}::text[])`;
  return Number(row?.n ?? 0);
}

function entries() {
  return (services().overviewRecent ??= new Map());
}

async function computeAndKeep<T>(key: string, tenantIds: string[], compute: () => Promise<T>, clock: () => number): Promise<T> {
  const inflight = (services().overviewInflight ??= new Map());
  const running = inflight.get(key) as Promise<T> | undefined;
  if (running) return running;
  const work = (async () => {
    const [value, incidents] = await Promise.all([compute(), scopeIncidents(tenantIds)]);
    const map = entries();
    map.delete(key);
    map.set(key, { value, computedAt: clock(), large: incidents >= LARGE_SCOPE_INCIDENTS, refresh: null });
    // The oldest entries go first (a Map keeps insertion order; a refresh re-inserts).
    while (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
    return value;
  })().finally(() => inflight.delete(key));
  inflight.set(key, work);
  return work;
}

/**
 * The view for `key`: a large scope's recent result (`recent`: computed for an earlier request), or
 * a fresh computation. `compute` must anchor the view's period at the time it runs (the page shows
 * that time when it is recent).
 */
export async function recentOverview<T>(
  key: string,
  tenantIds: string[],
  compute: () => Promise<T>,
  clock: () => number = Date.now,
): Promise<{ value: T; recent: boolean }> {
  const entry = entries().get(key);
  if (entry?.large) {
    const age = clock() - entry.computedAt;
    if (age < FRESH_MS) return { value: entry.value as T, recent: true };
    if (age < MAX_STALE_MS) {
      entry.refresh ??= computeAndKeep(key, tenantIds, compute, clock).then(
        () => undefined,
        (error: unknown) => {
          entry.refresh = null;
          logger().warn({ event: "overview.refresh_failed", err: error }, "refreshing the overview failed; its last figures are served");
        },
      );
      return { value: entry.value as T, recent: true };
    }
  }
  return { value: await computeAndKeep(key, tenantIds, compute, clock), recent: false };
}
