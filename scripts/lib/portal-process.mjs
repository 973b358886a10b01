// Builds (when sources changed) and starts the Next.js portal, then waits for /api/health.
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { newestBuildInput } from "./build-inputs.mjs";
import { repoRoot } from "./emulator-process.mjs";
import { quietEnv, run } from "./run.mjs";

/** True when there is no production build or a source file is newer than it. */
export function buildIsStale() {
  const buildId = path.join(repoRoot, ".next/BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return newestBuildInput(repoRoot) > built;
}

export async function buildPortalIfStale() {
  if (!buildIsStale()) return false;
  await run(process.execPath, ["node_modules/next/dist/bin/next", "build"], { env: quietEnv });
  return true;
}

/**
 * @param {{ port: number, host?: string, env: Record<string,string>, quiet?: boolean }} options
 */
export async function startPortalProcess(options) {
  // The portal's own server (Next.js's handler behind node:http), so client addresses come from sockets.
  const child = spawn(process.execPath, ["scripts/portal-server.mjs", "--port", String(options.port), ...(options.host ? ["--host", options.host] : [])], {
    cwd: repoRoot,
    env: { ...process.env, ...quietEnv, ...options.env },
    stdio: ["ignore", options.quiet ? "ignore" : "inherit", options.quiet ? "ignore" : "inherit"],
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode) return resolve(undefined);
      child.once("exit", () => resolve(undefined));
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 8000).unref();
    });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The portal exited during start-up (code ${child.exitCode})`);
    try {
      const response = await fetch(`http://127.0.0.1:${options.port}/api/health`);
      if (response.ok) return { child, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  await stop();
  throw new Error("The portal did not become healthy within 90 s");
}
