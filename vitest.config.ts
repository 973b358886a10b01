import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      // server-only throws outside React Server Components; tests run server modules directly.
      "server-only": path.resolve(import.meta.dirname, "tests/support/server-only.ts"),
      "@": path.resolve(import.meta.dirname, "."),
    },
  },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/support/vitest-global-setup.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    // A hook may migrate a database, which tests/support/test-database.ts allows 300 s on a loaded machine.
    hookTimeout: 360_000,
  },
});
