// Tests drive Debian's Chromium; Playwright never downloads a browser of its own here.
import { existsSync } from "node:fs";
import { run } from "./run.mjs";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export async function ensureChromium() {
  if (existsSync(CHROMIUM_PATH)) return;
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}. Install it with: sudo apt-get install -y chromium`);
  }
  console.log("Installing Chromium from Debian's packages (one time)…");
  await run("apt-get", ["update", "-qq"]);
  await run("apt-get", ["install", "-y", "-qq", "chromium"], { env: { DEBIAN_FRONTEND: "noninteractive" } });
}
