import { mkdirSync } from "node:fs";
import path from "node:path";
import { startEmulator } from "@/emulator/start-emulator";
import { writeCaBundle } from "../../scripts/lib/ca-bundle.mjs";

/**
 * Creates the emulator's CA and keys once, and trusts that CA through NODE_EXTRA_CA_CERTS, which
 * the test worker processes (forked after this runs) read at start: the portal's code then talks
 * to the emulator over HTTPS exactly as it talks to Microsoft.
 */
export default async function setup() {
  const dir = path.resolve(import.meta.dirname, "../../.data/test-emulator");
  mkdirSync(dir, { recursive: true });
  const emulator = await startEmulator({ dataDir: dir });
  await emulator.stop();
  process.env.NODE_EXTRA_CA_CERTS = writeCaBundle(dir, emulator.caCertPath);
  process.env.TEST_EMULATOR_DATA_DIR = dir;
}
