#!/usr/bin/env node
// `npm run worker`: the incident sync as its own process (production), instead of inside the web
// process. Uses the same environment as the portal (read by server/config-schema.ts). The react-server
// condition makes the "server-only" marker resolve to its empty module outside Next.js.
import { spawn } from "node:child_process";
import path from "node:path";

const repoRoot = path.resolve(import.meta.dirname, "..");
const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(repoRoot, "server/process/worker-main.ts")], {
  cwd: repoRoot,
  stdio: "inherit",
  env: process.env,
});
// Pass stop signals on, and leave with the worker's own exit code.
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => child.kill(signal));
child.once("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
