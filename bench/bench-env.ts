// The portal's configuration (server/services.ts reads process.env once, lazily, through config-schema.ts) for a bench child
// process. The Azure values only have to pass validation unless an emulator is given.

export type EmulatorUrls = { clientId: string; clientSecret: string; mspTenantId: string; authorityHost: string; defenderApiUrl: string; graphApiUrl: string };

const PLACEHOLDER: EmulatorUrls = {
  clientId: "3c9a7e52-1b6d-4f08-a2c4-7e5d9b1f6a83",
  clientSecret: "bench-placeholder-secret",
  mspTenantId: "6f1d2c3b-8a4e-4b7d-9c21-0d5e7a9b3f10",
  authorityHost: "https://127.0.0.1:9",
  defenderApiUrl: "https://127.0.0.1:9",
  graphApiUrl: "https://127.0.0.1:9",
};

/**
 * Sets process.env before any server module reads it; DATABASE_URL is removed for PGlite.
 * `source` is the portal's INCIDENT_SOURCE (graph, or defender for the legacy mode).
 */
export function applyPortalEnv(database: Record<string, string>, emulator: EmulatorUrls = PLACEHOLDER, source: "graph" | "defender" = "graph"): void {
  delete process.env.DATABASE_URL;
  delete process.env.PORTAL_PGLITE_DIR;
  Object.assign(process.env, {
    AZURE_CLIENT_ID: emulator.clientId,
    AZURE_CLIENT_SECRET: emulator.clientSecret,
    AZURE_TENANT_ID: emulator.mspTenantId,
    AZURE_AUTHORITY_HOST: emulator.authorityHost,
    DEFENDER_API_URL: emulator.defenderApiUrl,
    GRAPH_API_URL: emulator.graphApiUrl,
    INCIDENT_SOURCE: source,
    NEXTAUTH_URL: "http://127.0.0.1:3999",
    NEXTAUTH_SECRET: "benchmark-only-secret-0123456789abcdef",
    LOG_LEVEL: "warn",
    ...database,
  });
}
