// Everything a route handler needs, built once by startEmulator.
import type { EmulatorSettings } from "./emulator-settings";
import type { FaultRegistry } from "./faults";
import type { KeyMaterial } from "./key-material";
import type { Metrics } from "./metrics";
import type { Directory, DirectoryTenant } from "./model";
import type { RateLimiter } from "./rate-limit";
import { findTenant } from "./seed-directory";
import type { StateStore } from "./state-store";
import type { TokenSigner } from "./tokens";

export type EmulatorContext = {
  directory: Directory;
  store: StateStore;
  settings: EmulatorSettings;
  keys: KeyMaterial;
  signer: TokenSigner;
  metrics: Metrics;
  faults: FaultRegistry;
  rateLimiter: RateLimiter;
  /** https://127.0.0.1:PORT — issuer host, token endpoint, Defender API, control. */
  authorityHost: string;
  /** http://127.0.0.1:PORT — the pages a person's browser sees. */
  browserUrl: string;
};

export type TenantSegment =
  { kind: "tenant"; tenant: DirectoryTenant } | { kind: "organizations" } | { kind: "common" } | { kind: "consumers" } | { kind: "unknown"; segment: string };

/** Resolves the `{tenant}` path segment: GUID, verified domain, or one of the multi-tenant aliases. */
export function resolveTenantSegment(ctx: EmulatorContext, segment: string): TenantSegment {
  const lower = segment.toLowerCase();
  if (lower === "organizations" || lower === "common" || lower === "consumers") return { kind: lower };
  const tenant = findTenant(ctx.directory, lower);
  // A tenant switched to "notFound" via the control API behaves like a deleted directory.
  if (!tenant || ctx.store.tenantState(tenant.id).notFound) return { kind: "unknown", segment };
  return { kind: "tenant", tenant };
}
