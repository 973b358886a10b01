// The emulator's control API, from a process that trusts its CA (NODE_EXTRA_CA_CERTS).

type Counter = Record<string, Record<string, number>>;

/** GET /_emulator/metrics: each counter is tenant → key → count (see emulator/README.md). */
export type EmulatorMetrics = {
  /** By grant type (client_credentials …). */
  tokenRequests: Counter;
  /** Client-credentials requests by API resource (https://graph.microsoft.com, https://api.security.microsoft.com). */
  tokenRequestsByResource: Counter;
  /** Defender `list`/`get`/`patch`; Graph `graph.list`/`graph.get`/`graph.patch`/`graph.comment`. */
  apiCalls: Counter;
  /** By HTTP status, both APIs. */
  apiResponses: Counter;
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

export type Spread = { min: number; mean: number; max: number; total: number };

/** Per-tenant counts of one key (list calls, token requests …) as min / mean / max. */
export function perTenant(counter: Counter, tenantIds: string[], inner: string): Spread {
  const values = tenantIds.map((id) => counter[id]?.[inner] ?? 0);
  const total = values.reduce((a, b) => a + b, 0);
  return { min: Math.min(...values), mean: total / Math.max(1, values.length), max: Math.max(...values), total };
}

/** Counts of some keys across every tenant (known or not), e.g. every call of one API. */
export function keyTotal(counter: Counter, keys: readonly string[]): number {
  return Object.values(counter).reduce((sum, row) => sum + keys.reduce((s, key) => s + (row[key] ?? 0), 0), 0);
}

/** Responses with this status across all tenants (e.g. 429). */
export function statusCount(metrics: EmulatorMetrics, status: number): number {
  return keyTotal(metrics.apiResponses, [String(status)]);
}

/** The sum of several snapshots (phases measured apart, e.g. to check a whole run). */
export function sumMetrics(snapshots: EmulatorMetrics[]): EmulatorMetrics {
  const add = (into: Counter, from: Counter) => {
    for (const [tenant, row] of Object.entries(from ?? {})) {
      const target = (into[tenant] ??= {});
      for (const [key, count] of Object.entries(row)) target[key] = (target[key] ?? 0) + count;
    }
  };
  const total: EmulatorMetrics = { tokenRequests: {}, tokenRequestsByResource: {}, apiCalls: {}, apiResponses: {} };
  for (const s of snapshots) {
    add(total.tokenRequests, s.tokenRequests);
    add(total.tokenRequestsByResource, s.tokenRequestsByResource);
    add(total.apiCalls, s.apiCalls);
    add(total.apiResponses, s.apiResponses);
  }
  return total;
}
