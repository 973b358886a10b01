// Tunable behaviour of the emulator (not persisted; set by startEmulator options or the control API).
import { DEFAULT_REQUESTED_PERMISSIONS, type AppPermission } from "./model";

export type RateLimit = { perMinute: number; perHour: number };
/** Routes of the Defender XDR API (metrics, faults and rate limits use these names). */
export type ApiRoute = "list" | "get" | "patch";
/** Rate-limit windows: one per Defender route, and one shared by all Graph security routes. */
export type RateLimitedRoute = ApiRoute | "graph";
export type RateLimits = Record<RateLimitedRoute, RateLimit>;
export const RATE_LIMITED_ROUTES: readonly RateLimitedRoute[] = ["list", "get", "patch", "graph"];

/** How tokens behave right after a consent: no roles, AADSTS65001, or alternating between both. */
export type PropagationMode = "no-roles" | "65001" | "alternate";

/**
 * How a cancelled v2 admin consent returns: `error=access_denied` (with `error_subcodes=cancel`), or
 * `error=consent_required` with `AADSTS65004` — both observed from Microsoft, both with `admin_consent=True`.
 */
export type CancelForm = "access_denied" | "consent_required";

/** The order of list pages: sorted (documented below per API), or a seeded shuffle (list-order.ts). */
export type ListOrder = "sorted" | "shuffled";

export type EmulatorSettings = {
  accessTokenLifetimeSeconds: number;
  propagationDelayMs: number;
  propagationMode: PropagationMode;
  rateLimits: RateLimits;
  /** The application permissions the app registration requests (what admin consent grants). */
  requestedPermissions: AppPermission[];
  cancelForm: CancelForm;
  listOrder: ListOrder;
  /** Seed of the "shuffled" order. */
  listOrderSeed: number;
  /**
   * A fixed delay added to every token and incident API response (ms; 0, the default, adds none), as
   * the real cloud's round trip: benchmarks measure the sync against it (bench/, BENCH_LATENCY_MS).
   */
  addedLatencyMs: number;
};

// Microsoft's documented per-app, per-tenant limits: the Defender incidents API per route, and about
// 150 requests a minute for Graph's security resources (no hourly limit is documented; 60 × 150 here).
export const DEFAULT_RATE_LIMITS: RateLimits = {
  list: { perMinute: 50, perHour: 1_500 },
  patch: { perMinute: 50, perHour: 1_500 },
  get: { perMinute: 100, perHour: 1_500 },
  graph: { perMinute: 150, perHour: 9_000 },
};

export function defaultSettings(overrides: Partial<Omit<EmulatorSettings, "rateLimits">> & { rateLimits?: Partial<RateLimits> } = {}): EmulatorSettings {
  return {
    accessTokenLifetimeSeconds: overrides.accessTokenLifetimeSeconds ?? 3599,
    propagationDelayMs: overrides.propagationDelayMs ?? 3_000,
    propagationMode: overrides.propagationMode ?? "alternate",
    rateLimits: structuredClone({ ...DEFAULT_RATE_LIMITS, ...overrides.rateLimits }),
    requestedPermissions: overrides.requestedPermissions ?? [...DEFAULT_REQUESTED_PERMISSIONS],
    cancelForm: overrides.cancelForm ?? "access_denied",
    listOrder: overrides.listOrder ?? "sorted",
    listOrderSeed: overrides.listOrderSeed ?? 1,
    addedLatencyMs: overrides.addedLatencyMs ?? 0,
  };
}
