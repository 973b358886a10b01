// What the load benchmark (load-bench.ts, a child process) hands to bench/main.ts and its report.

export const REQUEST_KINDS = ["queue", "incident", "search"] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export type LatencySummary = { requests: number; failed: number; p50: number; p95: number; p99: number; max: number };

export type LoadBenchResult = {
  tenants: number;
  incidentsPerTenant: number;
  seed: { incidents: number; seedMs: number };
  webProcesses: number;
  workers: number;
  connections: number;
  /** Distinct server-side staff sessions (one per connection) and how many of each role. */
  sessions: { count: number; byRole: Record<string, number>; staff: number; signInMs: number };
  targets: Record<RequestKind, number>;
  durationSeconds: number;
  maxRequests: number;
  timeoutSeconds: number;
  totals: {
    requests: number;
    perSecond: number;
    non2xx: number;
    errors: number;
    timeouts: number;
    statusCounts: Record<string, number>;
  };
  /** A few requests of each kind one at a time on each web process, before the load (the sync running). */
  alone: Record<RequestKind, LatencySummary>;
  overall: LatencySummary;
  byKind: Record<RequestKind, LatencySummary>;
  /** "web 1", "web 2": by the process that answered. */
  byWeb: Record<string, LatencySummary>;
  sync: {
    /** Graph list calls (incremental polls and their pages) the workers made during the load. */
    listCalls: number;
    tokenRequests: number;
    /** Tenants with a successful sync pass that ended during the load. */
    tenantsSynced: number;
    /** Incident rows the sync wrote (synced_at within the load). */
    rowsWritten: number;
    /** New incidents created at the emulator during the load (one a second) … */
    added: number;
    /** … of them in the store when the load ended, and after the grace period. */
    storedAtEnd: number;
    storedAfterGrace: number;
    graceSeconds: number;
  };
  machine: { loadBefore: number; loadAfter: number };
  violations: string[];
};
