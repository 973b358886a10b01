import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../support/free-port";
import { STAFF, expect, test } from "./support/fixtures";

// README's first command, itself: `npm start` with no Microsoft settings starts the emulator, the
// embedded database, the demo seed and the portal; a demo user signs in and sees the demo
// customers' incidents; Ctrl+C (SIGTERM) stops everything and the command exits cleanly.
// (Other specs share global setup's portal; this one runs the start script as a person would.)

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code))));

test("npm start runs the portal in demo mode: sign in, see incidents, stop cleanly", async ({ browser }) => {
  // Waits below: ready (300 s), incidents shown (120 s), clean exit (45 s), plus sign-in and pages.
  test.setTimeout(600_000);
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "npm-start-"));
  const baseURL = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1", NEXTAUTH_URL: baseURL, PORTAL_DATA_DIR: dataDir };
  // Demo mode is what a fresh machine gets: no Microsoft app, no PostgreSQL; the emulator on free ports.
  for (const name of [
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_TENANT_ID",
    "DATABASE_URL",
    "MIGRATION_DATABASE_URL",
    "NEXTAUTH_SECRET",
  ])
    delete env[name];
  Object.assign(env, { EMULATOR_HTTPS_PORT: "0", EMULATOR_HTTP_PORT: "0", LOG_LEVEL: "warn" });
  const child = spawn(process.execPath, ["scripts/start.mjs"], { cwd: process.cwd(), env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const context = await browser.newContext({ baseURL });
  try {
    await expect.poll(() => output, { timeout: 300_000, intervals: [1_000] }).toContain(`The portal is ready at ${baseURL}`);
    expect(output).toContain("Demo mode (AZURE_CLIENT_ID is not set)");

    const page = await context.newPage();
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin/);
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await page
      .getByRole("button", { name: new RegExp(STAFF.analyst.name) })
      .first()
      .click();
    await page.waitForURL((url) => url.origin === baseURL);
    await expect(page.getByText(STAFF.analyst.name).first()).toBeVisible();
    // Litware Legal, onboarded by the demo seed, syncs through the emulator: its incidents appear.
    await expect(async () => {
      await page.goto("/");
      await expect(page.getByTestId("incident-row").first()).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 120_000, intervals: [2_000] });
    await expect(page.getByTestId("incident-row").first()).toContainText("Litware");
  } finally {
    await context.close();
    child.kill("SIGTERM");
    const code = await Promise.race([exited(child), new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 45_000))]);
    if (code === "timeout") child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
    expect(code, output.slice(-2_000)).toBe(0);
  }
});
