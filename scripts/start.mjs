#!/usr/bin/env node
// `npm start`: with AZURE_CLIENT_ID set, runs the portal against real Microsoft; without it,
// demo mode: the local Microsoft cloud emulator plus the embedded database, at http://localhost:3000.
import path from "node:path";
import { startEmulatorProcess, repoRoot } from "./lib/emulator-process.mjs";
import { demoPortalEnv } from "./lib/demo-env.mjs";
import { buildPortalIfStale, startPortalProcess } from "./lib/portal-process.mjs";
import { grantRuntimeRole } from "./lib/db-roles.mjs";
import { prisma, run } from "./lib/run.mjs";

/** The demo customer that consented before the portal used Graph (prisma/seed-demo.ts onboards it). */
const DEMO_LEGACY_TENANT_ID = "4f1b3e7c-65a8-4dae-8c9b-1a5d7e3f6ca5";

const port = Number(process.env.PORT || 3000);
const dataDir = path.resolve(repoRoot, process.env.PORTAL_DATA_DIR || ".data");
const demo = !process.env.AZURE_CLIENT_ID;
const stops = [];

let stopping = false;
async function shutdown(code) {
  // Once: the portal's own exit during a Ctrl+C must not end the process with another code.
  if (stopping) return;
  stopping = true;
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  process.exit(code);
}
process.once("SIGINT", () => void shutdown(0));
process.once("SIGTERM", () => void shutdown(0));

try {
  let env = {};
  /** @type {{ url: string, smtpPort: number } | null} */
  let demoSink = null;
  if (demo) {
    console.log("Demo mode (AZURE_CLIENT_ID is not set): starting the local Microsoft cloud emulator…");
    const emulator = await startEmulatorProcess({ dataDir: path.join(dataDir, "emulator"), env: { EMULATOR_LEGACY_CONSENT: DEMO_LEGACY_TENANT_ID } });
    stops.push(emulator.stop);
    env = demoPortalEnv(emulator.ready, { dataDir, portalUrl: process.env.NEXTAUTH_URL || `http://localhost:${port}` });
    if (emulator.ready.sinkUrl) demoSink = { url: emulator.ready.sinkUrl, smtpPort: emulator.ready.sinkSmtpPort };
  }
  Object.assign(process.env, env);
  console.log(process.env.DATABASE_URL ? "Applying database migrations (PostgreSQL)…" : "Preparing the embedded database…");
  // With two database roles, the owner applies migrations and then grants the runtime role its share.
  const owner = process.env.MIGRATION_DATABASE_URL;
  await prisma(["migrate", "deploy"], owner ? { DATABASE_URL: owner } : {});
  if (owner) {
    if (!process.env.DATABASE_URL)
      throw new Error("Configuration error: MIGRATION_DATABASE_URL is set but DATABASE_URL is not: both name PostgreSQL roles (owner, runtime)");
    const role = await grantRuntimeRole({ ownerUrl: owner, runtimeUrl: process.env.DATABASE_URL });
    console.log(`The runtime role ${role} may read and write data, append to the audit trail, and change no schema.`);
  }
  // The seed points the demo's notification channels at the emulator's sink (its address is the seed's alone to know).
  if (demo)
    await run(process.execPath, ["--import", "tsx", "prisma/seed-demo.ts"], {
      env: demoSink ? { DEMO_SINK_URL: demoSink.url, DEMO_SINK_SMTP_PORT: String(demoSink.smtpPort) } : {},
    });
  console.log("Building the portal (skipped when nothing changed)…");
  await buildPortalIfStale();
  const portal = await startPortalProcess({ port, env });
  stops.push(portal.stop);
  console.log(`\nThe portal is ready at ${process.env.NEXTAUTH_URL || `http://localhost:${port}`}`);
  if (demo) console.log("Sign in as a demo staff member (see README: demo users). Press Ctrl+C to stop.");
  if (demoSink) console.log(`Notifications of the demo arrive at ${demoSink.url}`);
  portal.child.once("exit", (code) => void shutdown(code ?? 1));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
}
