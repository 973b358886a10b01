#!/usr/bin/env node
// `npm test`: unit and integration tests (vitest; real emulator over HTTPS, real database), then
// end-to-end tests in Chromium (Playwright). Ends with one line: "N passed, N failed".
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./lib/emulator-process.mjs";
import { ensureChromium } from "./lib/chromium.mjs";
import { buildPortalIfStale } from "./lib/portal-process.mjs";
import { prisma, quietEnv, run } from "./lib/run.mjs";

// Optional: one part only. "unit", "integration" (vitest: tests/unit, tests/integration),
// "vitest" (both), "types" (the type checker), "lint" (ESLint with the layering rules, and
// Prettier's check) or "e2e" (Playwright).
const PARTS = ["unit", "integration", "vitest", "types", "lint", "e2e"];
const only = process.argv[2];
if (only !== undefined && !PARTS.includes(only)) {
  console.error(`npm test -- ${only}: unknown part; use one of ${PARTS.join(", ")} (or nothing for all)`);
  process.exit(2);
}
const runs = (part) => only === undefined || only === part || (only === "vitest" && (part === "unit" || part === "integration"));

const resultsDir = path.join(repoRoot, ".data/test-results");
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
let stageFailed = false;

async function stage(name, fn) {
  console.log(`\n=== ${name} ===`);
  try {
    await fn();
  } catch (error) {
    stageFailed = true;
    console.error(`${name}: ${error instanceof Error ? error.message : error}`);
  }
}

function countVitest(file) {
  if (!existsSync(file)) return false;
  const report = JSON.parse(readFileSync(file, "utf8"));
  totals.passed += report.numPassedTests ?? 0;
  // A file that fails to load has no failed tests but a failed suite: count it too.
  const failedTests = report.numFailedTests ?? 0;
  totals.failed += failedTests > 0 ? failedTests : (report.numFailedTestSuites ?? 0);
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  return true;
}

function countPlaywright(file) {
  if (!existsSync(file)) return false;
  const { stats } = JSON.parse(readFileSync(file, "utf8"));
  totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  totals.failed += stats.unexpected ?? 0;
  totals.skipped += stats.skipped ?? 0;
  return true;
}

await stage("Prisma client", () => prisma(["generate"]));

if (runs("types")) {
  // tests/, emulator/, scripts/ and bench/ too (tsconfig.json includes every .ts file).
  await stage("Type check (tsc)", async () => {
    try {
      await run(process.execPath, ["node_modules/typescript/bin/tsc", "--noEmit"], { env: quietEnv });
      totals.passed += 1;
    } catch (error) {
      totals.failed += 1;
      throw error;
    }
  });
}

if (runs("lint")) {
  // Each counts as one test: a wrong import (eslint.config.mjs) or an unformatted file fails npm test.
  const check = (name, args, hint) =>
    stage(name, async () => {
      try {
        await run(process.execPath, args, { env: quietEnv });
        totals.passed += 1;
      } catch (error) {
        totals.failed += 1;
        console.error(hint);
        throw error;
      }
    });
  await check(
    "Lint (ESLint)",
    ["node_modules/eslint/bin/eslint.js", "--max-warnings=0", "."],
    "Fix what ESLint reports above; the import rules say which layer may not import which.",
  );
  await check(
    "Format (Prettier)",
    ["node_modules/prettier/bin/prettier.cjs", "--check", "--log-level=warn", "."],
    "Unformatted files are listed above: run `npx prettier --write .`",
  );
}

const vitestParts = ["unit", "integration"].filter(runs);
if (vitestParts.length > 0) {
  await stage(`${vitestParts.map((p) => p[0].toUpperCase() + p.slice(1)).join(" and ")} tests (vitest)`, async () => {
    if (vitestParts.includes("integration") && !process.env.TEST_DATABASE_URL) {
      console.log("TEST_DATABASE_URL is not set: the PostgreSQL variants of the database tests are skipped (PGlite only).");
    }
    const output = path.join(resultsDir, "vitest.json");
    try {
      await run(
        process.execPath,
        [
          "node_modules/vitest/vitest.mjs",
          "run",
          ...vitestParts.map((p) => `tests/${p}/`),
          "--reporter=default",
          "--reporter=json",
          `--outputFile.json=${output}`,
        ],
        { env: quietEnv },
      );
    } finally {
      if (!countVitest(output)) throw new Error("vitest wrote no report");
    }
  });
}

if (runs("e2e")) {
  await stage("Chromium", ensureChromium);
  await stage("Portal build", () => buildPortalIfStale());
  await stage("End-to-end tests (Playwright, Chromium)", async () => {
    const output = path.join(resultsDir, "playwright.json");
    try {
      await run(process.execPath, ["node_modules/@playwright/test/cli.js", "test"], {
        env: { ...quietEnv, PLAYWRIGHT_JSON_OUTPUT_NAME: output, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" },
      });
    } finally {
      if (!countPlaywright(output)) throw new Error("Playwright wrote no report");
    }
  });
}

if (stageFailed && totals.failed === 0) totals.failed = 1; // a stage that broke before counting is a failure
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
process.exit(totals.failed > 0 ? 1 : 0);
