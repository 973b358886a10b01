// The least wall time the API's rate limits allow for a backfill (pure arithmetic).
import type { IncidentSource } from "../server/microsoft/source-incident";

/**
 * List calls a minute per app per tenant: Graph's security window (150/min, shared by every security
 * route) and the Defender API's list route (50/min); server/microsoft/rate-budget.ts holds the same.
 */
export const LIST_PER_MINUTE: Record<IncidentSource, number> = { graph: 150, defender: 50 };

/** Incidents per list page: Graph's `$top` limit and the Defender API's. */
export const PAGE_SIZE: Record<IncidentSource, number> = { graph: 50, defender: 100 };

export type SyncFloor = {
  /** Calls spaced evenly at the per-minute limit per tenant, `concurrency` tenants at a time. */
  steadyMs: number;
  /** Sliding window: a tenant's first `perMinute` calls in a minute go at once; only calls beyond wait. */
  burstMs: number;
};

export function backfillFloor(input: { tenants: number; listCallsPerTenant: number; concurrency: number; perMinute: number }): SyncFloor {
  const waves = Math.ceil(input.tenants / Math.max(1, input.concurrency));
  const perTenantSteadyMin = input.listCallsPerTenant / input.perMinute;
  const perTenantBurstMin = Math.max(0, Math.ceil(input.listCallsPerTenant / input.perMinute) - 1);
  return { steadyMs: waves * perTenantSteadyMin * 60_000, burstMs: waves * perTenantBurstMin * 60_000 };
}
