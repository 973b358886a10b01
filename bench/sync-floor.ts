// The least wall time the API's rate limits allow for a backfill (pure arithmetic).

export const LIST_PER_MINUTE = 50;

export type SyncFloor = {
  /** Calls spaced evenly at 50/min per tenant, `concurrency` tenants at a time. */
  steadyMs: number;
  /** Sliding window: a tenant's first 50 calls in a minute go at once; only calls beyond wait. */
  burstMs: number;
};

export function backfillFloor(input: { tenants: number; listCallsPerTenant: number; concurrency: number }): SyncFloor {
  const waves = Math.ceil(input.tenants / Math.max(1, input.concurrency));
  const perTenantSteadyMin = input.listCallsPerTenant / LIST_PER_MINUTE;
  const perTenantBurstMin = Math.max(0, Math.ceil(input.listCallsPerTenant / LIST_PER_MINUTE) - 1);
  return { steadyMs: waves * perTenantSteadyMin * 60_000, burstMs: waves * perTenantBurstMin * 60_000 };
}
