// The emulator's control API, from a process that trusts its CA (NODE_EXTRA_CA_CERTS).

export type EmulatorMetrics = {
  tokenRequests: Record<string, Record<string, number>>;
  apiCalls: Record<string, Record<string, number>>;
  apiResponses: Record<string, Record<string, number>>;
};

export async function control<T = unknown>(controlUrl: string, method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${controlUrl}${route}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`control ${method} ${route}: ${response.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Per-tenant counts of one route (list calls, token requests …) as min / mean / max. */
export function perTenant(counter: Record<string, Record<string, number>>, tenantIds: string[], inner: string): { min: number; mean: number; max: number; total: number } {
  const values = tenantIds.map((id) => counter[id]?.[inner] ?? 0);
  const total = values.reduce((a, b) => a + b, 0);
  return { min: Math.min(...values), mean: total / Math.max(1, values.length), max: Math.max(...values), total };
}

/** Responses with this status across all tenants (e.g. 429). */
export function statusCount(metrics: EmulatorMetrics, status: number): number {
  return Object.values(metrics.apiResponses).reduce((sum, row) => sum + (row[String(status)] ?? 0), 0);
}
