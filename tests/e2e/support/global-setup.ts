import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpsRequest, Agent } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulatorProcess } from "../../../scripts/lib/emulator-process.mjs";
import { demoPortalEnv } from "../../../scripts/lib/demo-env.mjs";
import { startPortalProcess } from "../../../scripts/lib/portal-process.mjs";
import { prisma } from "../../../scripts/lib/run.mjs";
import { freePort } from "../../support/free-port";
import { EXTRA_CUSTOMERS, LEGACY_TENANTS, ONBOARDED_AT_START, TOKEN_FAILURE_TENANTS } from "./e2e-tenants";

/** Calls the emulator's control API (HTTPS with the emulator's own CA). */
function emulatorControl(authorityHost: string, caCertPath: string, route: string, body: unknown = {}): Promise<void> {
  const agent = new Agent({ ca: readFileSync(caCertPath) });
  const url = new URL(`/_emulator${route}`, authorityHost);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: "POST", agent, headers: { "content-type": "application/json" } }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      res.on("end", () => (res.statusCode && res.statusCode < 300 ? resolve() : reject(new Error(`${route}: ${res.statusCode} ${text}`))));
    });
    req.once("error", reject);
    req.end(JSON.stringify(body));
  });
}

/**
 * The emulated world before the portal starts: tenants the portal knows are consented, except the
 * ones whose first sync must meet a token failure (each kind once).
 */
async function prepareEmulator(authorityHost: string, caCertPath: string): Promise<void> {
  const call = (route: string, body?: unknown) => emulatorControl(authorityHost, caCertPath, route, body);
  const t = TOKEN_FAILURE_TENANTS;
  for (const tenant of ONBOARDED_AT_START) {
    if (tenant === t.syncNotConsented || tenant === t.syncOldForm) continue; // never consented: 7000229 / 700016
    if (LEGACY_TENANTS.includes(tenant)) continue; // consented before Graph (EMULATOR_LEGACY_CONSENT)
    await call(`/tenants/${tenant.id}/consent`);
  }
  await call(`/tenants/${t.syncOldForm.id}/status`, { missingServicePrincipalForm: "700016" });
  await call(`/tenants/${t.syncNotFound.id}/status`, { notFound: true });
  await call(`/tenants/${t.syncDisabled.id}/status`, { disabled: true });
  await call(`/tenants/${t.syncBlocked.id}/status`, { blocked: true });
  await call("/faults", { tenantId: t.syncTransient.id, route: "token", kind: "503" });
}

// Runs in its own process (tsx) because the embedded database folder opens in one process at a time.
const SEED_TENANTS_SCRIPT = `
const { openDatabase } = await import(${JSON.stringify(path.resolve(import.meta.dirname, "../../../server/database/open-database.ts"))});
const tenants = JSON.parse(process.env.E2E_TENANTS);
const db = await openDatabase({ kind: "pglite", dataDir: process.env.PORTAL_PGLITE_DIR });
try {
  for (const t of tenants) {
    await db.prisma.tenant.create({ data: {
      id: t.id, displayName: t.displayName, requiredAccess: "read_write", status: t.legacy ? "graph_consent_needed" : "active",
      grantedRoles: t.legacy ? [] : ["SecurityIncident.ReadWrite.All", "SecurityAlert.Read.All"],
      legacyRoles: t.legacy ? ["Incident.Read.All", "Incident.ReadWrite.All"] : [],
      incidentSource: t.legacy ? "defender" : "graph",
      onboardedByName: "E2E setup", lastVerifiedAt: new Date(),
    } });
  }
} finally {
  await db.close();
}
`;

function seedPortalTenants(env: Record<string, string>): void {
  const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", SEED_TENANTS_SCRIPT], {
    cwd: path.resolve(import.meta.dirname, "../../.."),
    env: { ...process.env, ...env, E2E_TENANTS: JSON.stringify(ONBOARDED_AT_START.map((t) => ({ ...t, legacy: LEGACY_TENANTS.includes(t) }))) },
    encoding: "utf8",
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`seeding e2e tenants failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * One emulator and one built portal (embedded database in a temp folder) for the whole run,
 * both on loopback. Tests read their addresses from the environment.
 */
export default async function globalSetup() {
  const dataDir = mkdtempSync(path.join(tmpdir(), "portal-e2e-"));
  const emulator = await startEmulatorProcess({
    dataDir: path.join(dataDir, "emulator"),
    httpsPort: 0,
    httpPort: 0,
    quiet: true,
    env: { EMULATOR_PERSIST: "0", EMULATOR_EXTRA_CUSTOMERS: String(EXTRA_CUSTOMERS), EMULATOR_LEGACY_CONSENT: LEGACY_TENANTS.map((t) => t.id).join(",") },
  });
  const port = await freePort();
  const portalUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    ...demoPortalEnv(emulator.ready, { dataDir, portalUrl, secret: "e2e-session-secret-0123456789abcdef0123" }),
    PORTAL_DATA_DIR: dataDir,
    PORTAL_PGLITE_DIR: path.join(dataDir, "pglite"),
    LOG_LEVEL: "warn",
    // As behind one reverse proxy: each test speaks for a client address of its own (fixtures.ts,
    // clientAddressOf), so the per-address consent limits of one test never refuse another's.
    TRUSTED_PROXY_HOPS: "1",
  };
  delete env.DATABASE_URL;
  await prisma(["migrate", "deploy"], env);
  const authorityHost = String(emulator.ready.authorityHost);
  const caCertPath = String(emulator.ready.caCertPath);
  await prepareEmulator(authorityHost, caCertPath);
  seedPortalTenants(env);
  const portal = await startPortalProcess({ port, host: "127.0.0.1", env, quiet: !process.env.E2E_VERBOSE });

  process.env.E2E_BASE_URL = portalUrl;
  process.env.E2E_EMULATOR_URL = authorityHost;
  process.env.E2E_EMULATOR_BROWSER_URL = String(emulator.ready.browserUrl);
  // The emulator's ready line, for a spec that starts a portal of its own against it.
  process.env.E2E_EMULATOR_READY = JSON.stringify(emulator.ready);
  // The secrets the portal holds, so tests can prove no page or bundle carries them.
  process.env.E2E_PORTAL_SECRETS = JSON.stringify([env.NEXTAUTH_SECRET, env.AZURE_CLIENT_SECRET].filter(Boolean));

  return async () => {
    await portal.stop();
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
