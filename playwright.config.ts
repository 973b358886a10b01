import { defineConfig } from "@playwright/test";

const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export default defineConfig({
  testDir: "tests/e2e",
  globalSetup: "./tests/e2e/support/global-setup.ts",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  // Flows wait for states (sync, consent propagation) on a loaded 2-core machine: budgets with margin.
  timeout: 180_000,
  // A page or navigation may take a while on a loaded 2-core machine; tests wait for states.
  expect: { timeout: 20_000 },
  reporter: [["list"], ["json"]],
  outputDir: ".data/test-results/playwright",
  use: {
    baseURL: process.env.E2E_BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromium,
      // Debian's Chromium as root, on a machine with no outside network.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
});
