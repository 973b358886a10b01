import { spawn } from "node:child_process";
import { repoRoot } from "./emulator-process.mjs";

/** Runs a command to completion with inherited output; rejects on a non-zero exit. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: options.stdio ?? "inherit", env: { ...process.env, ...options.env } });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code === 0) resolve(undefined);
      else reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

export const quietEnv = { NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" };

/** The Prisma CLI of this checkout (the config file picks the wasm schema engine when needed). */
export function prisma(args, env = {}) {
  return run(process.execPath, ["node_modules/prisma/build/index.js", ...args], { env: { ...quietEnv, ...env } });
}
