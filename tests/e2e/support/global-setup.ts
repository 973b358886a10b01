import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulatorProcess } from "../../../scripts/lib/emulator-process.mjs";
import { demoPortalEnv } from "../../../scripts/lib/demo-env.mjs";
import { startPortalProcess } from "../../../scripts/lib/portal-process.mjs";
import { prisma } from "../../../scripts/lib/run.mjs";
import { freePort } from "../../support/free-port";

/**
 * One emulator and one built portal (embedded database in a temp folder) for the whole run,
 * both on loopback. Tests read their addresses from the environment.
 */
export default async function globalSetup() {
  const dataDir = mkdtempSync(path.join(tmpdir(), "portal-e2e-"));
  const emulator = await startEmulatorProcess({ dataDir: path.join(dataDir, "emulator"), httpsPort: 0, httpPort: 0, quiet: true, env: { EMULATOR_PERSIST: "0" } });
  const port = await freePort();
  const portalUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    ...demoPortalEnv(emulator.ready, { dataDir, portalUrl, secret: "e2e-session-secret-0123456789abcdef0123" }),
    PORTAL_DATA_DIR: dataDir,
    PORTAL_PGLITE_DIR: path.join(dataDir, "pglite"),
    LOG_LEVEL: "warn",
  };
  delete env.DATABASE_URL;
  await prisma(["migrate", "deploy"], env);
  const portal = await startPortalProcess({ port, host: "127.0.0.1", env, quiet: !process.env.E2E_VERBOSE });

  process.env.E2E_BASE_URL = portalUrl;
  process.env.E2E_EMULATOR_URL = String(emulator.ready.authorityHost);
  process.env.E2E_EMULATOR_BROWSER_URL = String(emulator.ready.browserUrl);

  return async () => {
    await portal.stop();
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
