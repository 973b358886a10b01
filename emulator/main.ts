// CLI: `tsx emulator/main.ts`. Prints one JSON line {"event":"emulator.ready",...} on stdout;
// everything else is logged as JSON lines on stderr.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generatedTenants, TEST_CUSTOMER_FAMILY } from "./generated-tenants";
import { parseRedirectUriList } from "./redirect-uris";
import { startEmulator } from "./start-emulator";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${name} must be a port number, got '${raw}'.`);
  return port;
}

function countFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 0 || count > 1_000) throw new Error(`${name} must be a whole number from 0 to 1000, got '${raw}'.`);
  return count;
}

/** A comma-separated list (tenant GUIDs or domains); empty entries are ignored. */
function listFromEnv(name: string): string[] {
  return (process.env[name] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

const logToStderr = (event: Record<string, unknown>) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);

async function main(): Promise<void> {
  const extraCustomers = generatedTenants(TEST_CUSTOMER_FAMILY, countFromEnv("EMULATOR_EXTRA_CUSTOMERS", 0));
  const httpPort = portFromEnv("EMULATOR_HTTP_PORT", 44301);
  const emulator = await startEmulator({
    httpsPort: portFromEnv("EMULATOR_HTTPS_PORT", 44300),
    httpPort,
    // Demo mode's notification sink: a fixed SMTP port beside the fixed HTTP port (any free one with a free HTTP port).
    notificationSink: { smtpPort: portFromEnv("EMULATOR_SMTP_PORT", httpPort === 0 ? 0 : 44325) },
    dataDir: path.resolve(process.env.EMULATOR_DATA_DIR || path.join(repoRoot, ".data", "emulator")),
    seed: process.env.EMULATOR_SEED ? Number(process.env.EMULATOR_SEED) : undefined,
    extraRedirectUris: parseRedirectUriList(process.env.EMULATOR_REDIRECT_URIS),
    extraCustomers,
    // Test customers need a few pages of incidents, not the seeded tenants' hundreds.
    incidentCounts: Object.fromEntries(extraCustomers.map((t) => [t.id, 40])),
    // Customers consented long ago with only the Defender permissions (they must consent again for Graph).
    legacyConsent: listFromEnv("EMULATOR_LEGACY_CONSENT"),
    persist: true,
    log: logToStderr,
  });
  const { stop, ...ready } = emulator;
  process.stdout.write(`${JSON.stringify({ event: "emulator.ready", ...ready })}\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logToStderr({ event: "emulator.stopping", signal });
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logToStderr({ event: "emulator.stop_failed", error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  logToStderr({ event: "emulator.start_failed", error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
