#!/usr/bin/env node
// `npm run worker`: the incident sync as its own process (production), instead of inside the web
// process. Uses the same environment as the portal (read by server/config-schema.ts). The worker
// runs from one precompiled module (scripts/lib/server-bundle.mjs: no TypeScript loader in the
// process) with a capped heap.
import { spawn } from "node:child_process";
import path from "node:path";
import { bundleServerEntry, serverProcessArgs, stopBundler } from "./lib/server-bundle.mjs";

const repoRoot = path.resolve(import.meta.dirname, "..");
let bundle;
try {
  bundle = await bundleServerEntry("server/process/worker-main.ts", "worker");
} catch (error) {
  console.error(`The worker could not be compiled: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
} finally {
  await stopBundler();
}
const child = spawn(process.execPath, serverProcessArgs(bundle), { cwd: repoRoot, stdio: "inherit", env: process.env });
// Pass stop signals on, and leave with the worker's own exit code.
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => child.kill(signal));
child.once("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
