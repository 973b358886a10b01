// Tunable behaviour of the emulator (not persisted; set by startEmulator options or the control API).
import { DEFAULT_REQUESTED_PERMISSIONS, type AppPermission } from "./model";

export type RateLimit = { perMinute: number; perHour: number };
export type ApiRoute = "list" | "get" | "patch";
export type RateLimits = Record<ApiRoute, RateLimit>;

/** How tokens behave right after a consent: no roles, AADSTS65001, or alternating between both. */
export type PropagationMode = "no-roles" | "65001" | "alternate";

/**
 * How a cancelled v2 admin consent returns: `error=access_denied` (with `error_subcodes=cancel`), or
 * `error=consent_required` with `AADSTS65004` — both observed from Microsoft, both with `admin_consent=True`.
 */
export type CancelForm = "access_denied" | "consent_required";

export type EmulatorSettings = {
  accessTokenLifetimeSeconds: number;
  propagationDelayMs: number;
  propagationMode: PropagationMode;
  rateLimits: RateLimits;
  /** The application permissions the app registration requests (what admin consent grants). */
  requestedPermissions: AppPermission[];
  cancelForm: CancelForm;
};

// Microsoft's documented per-app, per-tenant limits for the incidents API.
export const DEFAULT_RATE_LIMITS: RateLimits = {
  list: { perMinute: 50, perHour: 1_500 },
  patch: { perMinute: 50, perHour: 1_500 },
  get: { perMinute: 100, perHour: 1_500 },
};

export function defaultSettings(overrides: Partial<Omit<EmulatorSettings, "rateLimits">> & { rateLimits?: Partial<RateLimits> } = {}): EmulatorSettings {
  return {
    accessTokenLifetimeSeconds: overrides.accessTokenLifetimeSeconds ?? 3599,
    propagationDelayMs: overrides.propagationDelayMs ?? 3_000,
    propagationMode: overrides.propagationMode ?? "alternate",
    rateLimits: structuredClone({ ...DEFAULT_RATE_LIMITS, ...overrides.rateLimits }),
    requestedPermissions: overrides.requestedPermissions ?? [...DEFAULT_REQUESTED_PERMISSIONS],
    cancelForm: overrides.cancelForm ?? "access_denied",
  };
}
