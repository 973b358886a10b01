// Counters tests read through GET /_emulator/metrics (e.g. "one token request per tenant per lifetime").

type Counter = Record<string, Record<string, number>>;

export type MetricsSnapshot = {
  /** tenant (GUID, or the path segment when unresolved) → grant type → requests. */
  tokenRequests: Counter;
  /** tenant → grant type → tokens issued. */
  tokensIssued: Counter;
  /** tenant → API resource (from the scope; "unknown" when unrecognised) → client-credentials requests. */
  tokenRequestsByResource: Counter;
  /** tenant → API resource → client-credentials tokens issued. */
  tokensIssuedByResource: Counter;
  /** tenant → route → calls: Defender `list`/`get`/`patch`, Graph `graph.list`/`graph.get`/`graph.patch`/`graph.comment`. */
  apiCalls: Counter;
  /** tenant → HTTP status → API responses. */
  apiResponses: Counter;
};

export type Metrics = {
  tokenRequest(tenant: string, grantType: string): void;
  tokenIssued(tenant: string, grantType: string): void;
  tokenRequestForResource(tenant: string, resource: string): void;
  tokenIssuedForResource(tenant: string, resource: string): void;
  apiCall(tenant: string, route: string): void;
  apiResponse(tenant: string, status: number): void;
  snapshot(): MetricsSnapshot;
  /** Clears every counter, or only one tenant's (so a test does not wipe what another test counts). */
  reset(tenant?: string): void;
};

export function createMetrics(): Metrics {
  const empty = (): MetricsSnapshot => ({
    tokenRequests: {},
    tokensIssued: {},
    tokenRequestsByResource: {},
    tokensIssuedByResource: {},
    apiCalls: {},
    apiResponses: {},
  });
  let data = empty();
  const bump = (counter: Counter, outer: string, inner: string) => {
    const row = (counter[outer] ??= {});
    row[inner] = (row[inner] ?? 0) + 1;
  };
  return {
    tokenRequest: (tenant, grantType) => bump(data.tokenRequests, tenant, grantType),
    tokenIssued: (tenant, grantType) => bump(data.tokensIssued, tenant, grantType),
    tokenRequestForResource: (tenant, resource) => bump(data.tokenRequestsByResource, tenant, resource),
    tokenIssuedForResource: (tenant, resource) => bump(data.tokensIssuedByResource, tenant, resource),
    apiCall: (tenant, route) => bump(data.apiCalls, tenant, route),
    apiResponse: (tenant, status) => bump(data.apiResponses, tenant, String(status)),
    snapshot: () => structuredClone(data),
    reset(tenant) {
      if (tenant === undefined) {
        data = empty();
        return;
      }
      for (const counter of Object.values(data)) delete counter[tenant];
    },
  };
}
