// Starts the local Microsoft cloud emulator as its own process and waits for its ready line.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * @param {{ dataDir: string, httpsPort?: number, httpPort?: number, env?: Record<string,string>, quiet?: boolean }} options
 * @returns {Promise<{ ready: Record<string, any>, child: import("node:child_process").ChildProcess, stop: () => Promise<void> }>}
 */
export function startEmulatorProcess(options) {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "emulator/main.ts")], {
    cwd: repoRoot,
    env: {
      ...process.env,
      EMULATOR_DATA_DIR: options.dataDir,
      // The caller's ports, else the environment's (EMULATOR_HTTPS_PORT / _HTTP_PORT), else the emulator's defaults.
      ...(options.httpsPort !== undefined ? { EMULATOR_HTTPS_PORT: String(options.httpsPort) } : {}),
      ...(options.httpPort !== undefined ? { EMULATOR_HTTP_PORT: String(options.httpPort) } : {}),
      ...options.env,
    },
    stdio: ["ignore", "pipe", options.quiet ? "ignore" : "inherit"],
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode) return resolve(undefined);
      child.once("exit", () => resolve(undefined));
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error("The Microsoft cloud emulator did not start within 60 s"));
    }, 60_000);
    const lines = createInterface({ input: /** @type {NodeJS.ReadableStream} */ (child.stdout) });
    let ready = false;
    lines.on("line", (line) => {
      if (ready) {
        if (!options.quiet) process.stdout.write(`[emulator] ${line}\n`);
        return;
      }
      try {
        const event = JSON.parse(line);
        if (event.event === "emulator.ready") {
          ready = true;
          clearTimeout(timer);
          resolve({ ready: event, child, stop });
        }
      } catch {
        if (!options.quiet) process.stdout.write(`[emulator] ${line}\n`);
      }
    });
    child.once("exit", (code) => {
      if (!ready) {
        clearTimeout(timer);
        reject(new Error(`The Microsoft cloud emulator exited early (code ${code})`));
      }
    });
  });
}
