// The emulator assembled from its own parts with N synthetic customer tenants. startEmulator()
// serves a fixed directory of six customers and has no option or control route to add tenants,
// so this mirrors start-emulator.ts minus the browser pages (sign-in and consent are not timed).
import { createAuthorizationCodeStore } from "../emulator/authorization-codes";
import { controlRoutes } from "../emulator/control-routes";
import { defenderRoutes } from "../emulator/defender-routes";
import type { EmulatorContext } from "../emulator/emulator-context";
import { defaultSettings } from "../emulator/emulator-settings";
import { discoveryRoutes } from "../emulator/entra-discovery-routes";
import { tokenRoutes } from "../emulator/entra-token-routes";
import { createFaultRegistry } from "../emulator/faults";
import { loadOrCreateKeyMaterial } from "../emulator/key-material";
import { createMetrics } from "../emulator/metrics";
import { createRateLimiter } from "../emulator/rate-limit";
import { buildDirectory, MSSP_CLIENT_ID, MSSP_CLIENT_SECRET, MSSP_TENANT_ID } from "../emulator/seed-directory";
import { listenHttps } from "../emulator/server";
import { createStateStore } from "../emulator/state-store";
import { createTokenSigner } from "../emulator/tokens";
import { BENCH_SEED, benchTenants } from "./bench-tenants";

export type BenchEmulatorReady = {
  authorityHost: string;
  defenderApiUrl: string;
  controlUrl: string;
  caCertPath: string;
  clientId: string;
  clientSecret: string;
  mspTenantId: string;
  tenantIds: string[];
  generateMs: number;
};

export async function startBenchEmulator(opts: { dataDir: string; tenants: number; incidentsPerTenant: number }): Promise<BenchEmulatorReady & { stop(): Promise<void> }> {
  const keys = loadOrCreateKeyMaterial(opts.dataDir);
  const https = await listenHttps({ port: 0, host: "127.0.0.1", keyPem: keys.server.keyPem, certPem: keys.server.certPem, log: () => {} });
  const authorityHost = `https://127.0.0.1:${https.port}`;
  const customers = benchTenants(opts.tenants);
  const directory = { ...buildDirectory(), customers };
  const settings = defaultSettings();
  const t0 = performance.now();
  const store = createStateStore({
    directory,
    seed: BENCH_SEED,
    dataDir: opts.dataDir,
    persist: false,
    incidentCounts: Object.fromEntries(customers.map((t) => [t.id, opts.incidentsPerTenant])),
  });
  const generateMs = performance.now() - t0;
  const ctx: EmulatorContext = {
    directory,
    store,
    settings,
    keys,
    signer: createTokenSigner(keys.signing),
    metrics: createMetrics(),
    faults: createFaultRegistry(),
    rateLimiter: createRateLimiter(() => settings.rateLimits),
    authorityHost,
    browserUrl: authorityHost,
  };
  https.setRoutes([...controlRoutes(ctx, structuredClone(settings)), ...defenderRoutes(ctx), ...discoveryRoutes(ctx), ...tokenRoutes(ctx, createAuthorizationCodeStore())]);
  return {
    authorityHost,
    defenderApiUrl: authorityHost,
    controlUrl: `${authorityHost}/_emulator`,
    caCertPath: keys.caCertPath,
    clientId: MSSP_CLIENT_ID,
    clientSecret: MSSP_CLIENT_SECRET,
    mspTenantId: MSSP_TENANT_ID,
    tenantIds: customers.map((t) => t.id),
    generateMs,
    stop: () => https.close(),
  };
}
