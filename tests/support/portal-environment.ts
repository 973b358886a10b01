import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import { createScratchPostgresDatabase, migrate, type TestDatabaseKind } from "./test-database";

/** The portal's configuration for a test emulator: only URLs, identities and trust differ from production. */
export function portalEnvironmentVariables(emulator: EmulatorHandle): Record<string, string> {
  return {
    AZURE_CLIENT_ID: emulator.clientId,
    AZURE_CLIENT_SECRET: emulator.clientSecret,
    AZURE_TENANT_ID: emulator.mspTenantId,
    AZURE_AUTHORITY_HOST: emulator.authorityHost,
    DEFENDER_API_URL: emulator.defenderApiUrl,
    GRAPH_API_URL: emulator.graphApiUrl,
    NEXTAUTH_URL: "http://127.0.0.1:3999",
    NEXTAUTH_SECRET: "integration-test-secret-0123456789abcdef",
    MSSP_DISPLAY_NAME: "Northwind Cyber Defense",
  };
}

/**
 * Points the portal's own configuration (process.env, read lazily by server/services.ts getConfig) at a test
 * emulator and a fresh migrated database, so server modules run exactly as in the web process.
 */
export async function usePortalEnvironment(emulator: EmulatorHandle, kind: TestDatabaseKind = "pglite"): Promise<{ cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), "portal-env-"));
  let dropDatabase: (() => Promise<void>) | undefined;
  const env: Record<string, string> = { ...portalEnvironmentVariables(emulator), PORTAL_DATA_DIR: dir, LOG_LEVEL: "silent" };
  if (kind === "postgres") {
    const scratch = await createScratchPostgresDatabase("portal_env");
    env.DATABASE_URL = scratch.url;
    dropDatabase = scratch.drop;
    migrate({ DATABASE_URL: env.DATABASE_URL });
  } else {
    env.PORTAL_PGLITE_DIR = path.join(dir, "pglite");
    delete process.env.DATABASE_URL;
    migrate({ PORTAL_PGLITE_DIR: env.PORTAL_PGLITE_DIR });
  }
  Object.assign(process.env, env);
  return {
    async cleanup() {
      // The next environment needs its own store, config and clients: the ground layer forgets them all.
      const { resetServices } = await import("@/server/services");
      await resetServices();
      await dropDatabase?.();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
