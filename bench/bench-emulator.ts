// The emulator with N synthetic customer tenants, for the sync benchmark: startEmulator() serves
// them instead of its six seeded customers.
import { startEmulator } from "../emulator/start-emulator";
import { BENCH_SEED, benchTenants } from "./bench-tenants";

export type BenchEmulatorReady = {
  authorityHost: string;
  defenderApiUrl: string;
  graphApiUrl: string;
  controlUrl: string;
  caCertPath: string;
  clientId: string;
  clientSecret: string;
  mspTenantId: string;
  tenantIds: string[];
  generateMs: number;
};

export async function startBenchEmulator(opts: {
  dataDir: string;
  tenants: number;
  incidentsPerTenant: number;
  /** A fixed delay (ms) on every token request and API call, as the real cloud's round trip (default none). */
  latencyMs?: number;
}): Promise<BenchEmulatorReady & { stop(): Promise<void> }> {
  const customers = benchTenants(opts.tenants);
  const t0 = performance.now();
  // Starting builds every tenant's incidents: nearly all of this time is their generation.
  const emulator = await startEmulator({
    dataDir: opts.dataDir,
    seed: BENCH_SEED,
    customers,
    incidentCounts: Object.fromEntries(customers.map((t) => [t.id, opts.incidentsPerTenant])),
    latencyMs: opts.latencyMs,
  });
  return {
    authorityHost: emulator.authorityHost,
    defenderApiUrl: emulator.defenderApiUrl,
    graphApiUrl: emulator.graphApiUrl,
    controlUrl: emulator.controlUrl,
    caCertPath: emulator.caCertPath,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    mspTenantId: emulator.mspTenantId,
    tenantIds: customers.map((t) => t.id),
    generateMs: performance.now() - t0,
    stop: () => emulator.stop(),
  };
}
