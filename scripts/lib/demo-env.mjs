// The environment that points the portal at the local Microsoft cloud: only URLs, identities and
// certificate trust differ from production.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { writeCaBundle } from "./ca-bundle.mjs";

/** A NEXTAUTH_SECRET kept in the data folder, so demo sessions survive a restart. */
export function demoSessionSecret(dataDir) {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "demo-nextauth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/**
 * A NOTIFICATION_SECRET_KEY kept in the data folder (32 random bytes, made on first start), so the
 * demo's notification channels open again after a restart; never a constant in the repository.
 */
export function demoNotificationKey(dataDir) {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "demo-notification-key");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/**
 * @param {Record<string, any>} emulator the emulator's ready line
 * @param {{ dataDir: string, portalUrl: string, secret?: string }} options
 */
export function demoPortalEnv(emulator, options) {
  return {
    AZURE_CLIENT_ID: emulator.clientId,
    AZURE_CLIENT_SECRET: emulator.clientSecret,
    AZURE_TENANT_ID: emulator.mspTenantId,
    AZURE_AUTHORITY_HOST: emulator.authorityHost,
    DEFENDER_API_URL: emulator.defenderApiUrl,
    GRAPH_API_URL: emulator.graphApiUrl ?? emulator.authorityHost,
    NEXTAUTH_URL: options.portalUrl,
    NEXTAUTH_SECRET: options.secret ?? demoSessionSecret(options.dataDir),
    NODE_EXTRA_CA_CERTS: writeCaBundle(options.dataDir, emulator.caCertPath),
    MSSP_DISPLAY_NAME: process.env.MSSP_DISPLAY_NAME || "Northwind Cyber Defense",
    NOTIFICATION_SECRET_KEY: process.env.NOTIFICATION_SECRET_KEY || demoNotificationKey(options.dataDir),
    // The demo's channels point at the emulator's notification sink, on this machine over plain http and SMTP.
    NOTIFICATION_ALLOW_LOOPBACK_HTTP: "1",
  };
}
