// Runs a bench child (its own process: a fresh getDb(), a clean heap, its own peak RSS).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

const repoRoot = path.resolve(import.meta.dirname, "..");
// server-only throws unless resolved with the react-server condition (see scripts/worker.mjs).
const NODE_ARGS = ["--conditions=react-server", "--import", "tsx"];

/** Runs bench/<script> to completion and returns the JSON it wrote to BENCH_RESULT_FILE. */
export async function runChild<T>(script: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), "portal-bench-result-"));
  const resultFile = path.join(dir, "result.json");
  try {
    const child = spawn(process.execPath, [...nodeArgs, ...NODE_ARGS, path.join(repoRoot, "bench", script)], {
      cwd: repoRoot,
      env: { ...process.env, ...env, BENCH_RESULT_FILE: resultFile },
      stdio: ["ignore", "inherit", "inherit"],
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (exitCode) => resolve(exitCode));
    });
    if (code !== 0) throw new Error(`bench/${script} exited with code ${code}`);
    return JSON.parse(readFileSync(resultFile, "utf8")) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts a long-running bench child and resolves with its first stdout line parsed as JSON. */
export function startServiceChild<T>(
  script: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
  timeoutMs = 600_000,
): Promise<{ ready: T; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...NODE_ARGS, path.join(repoRoot, "bench", script)], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode) return resolve();
      const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`bench/${script} was not ready within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      clearTimeout(timer);
      try {
        resolve({ ready: JSON.parse(line) as T, stop });
      } catch {
        void stop();
        reject(new Error(`bench/${script} printed an unexpected first line: ${line.slice(0, 200)}`));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`bench/${script} exited early (code ${code})`));
    });
  });
}
