// Prisma 7 configuration.
//
// Database selection:
//   - DATABASE_URL set   -> that PostgreSQL server.
//   - DATABASE_URL unset -> embedded PGlite persisted in $PORTAL_PGLITE_DIR (default <repo>/.data/pglite),
//                           addressed through the sentinel URL below, which
//                           scripts/prisma-schema-engine.mjs recognises.
//
// Schema engine: when Prisma's native schema engine is not installed (it is downloaded from
// binaries.prisma.sh, which is not reachable everywhere) and PRISMA_SCHEMA_ENGINE_BINARY is not
// set, point the CLI at scripts/prisma-schema-engine.mjs, which runs Prisma's WebAssembly schema
// engine (@prisma/schema-engine-wasm) through a driver adapter (pg or PGlite).
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

const repoRoot = path.dirname(fileURLToPath(import.meta.url));

const PGLITE_SENTINEL_URL = "postgresql://pglite.invalid/portal";

function hasNativeSchemaEngine(): boolean {
  const dirs = [path.join(repoRoot, "node_modules", "@prisma", "engines"), path.join(repoRoot, "node_modules", "prisma")];
  return dirs.some((dir) => {
    try {
      // e.g. schema-engine-debian-openssl-3.0.x, schema-engine-darwin-arm64, schema-engine-windows.exe
      return readdirSync(dir).some((name) => name.startsWith("schema-engine-") && !/\.(gz|sha256|sig)$|\.tmp/.test(name));
    } catch {
      return false;
    }
  });
}

if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY && !process.env.PRISMA_MIGRATION_ENGINE_BINARY && !hasNativeSchemaEngine()) {
  const wasmEngine = path.join(repoRoot, "scripts", "prisma-schema-engine.mjs");
  if (existsSync(wasmEngine)) process.env.PRISMA_SCHEMA_ENGINE_BINARY = wasmEngine;
}

let url = process.env.DATABASE_URL;
if (!url) {
  // The schema engine runs with a different working directory: always hand it an absolute path.
  process.env.PORTAL_PGLITE_DIR = process.env.PORTAL_PGLITE_DIR
    ? path.resolve(process.env.PORTAL_PGLITE_DIR)
    : path.join(path.resolve(repoRoot, process.env.PORTAL_DATA_DIR || ".data"), "pglite");
  url = PGLITE_SENTINEL_URL;
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: {
    path: "prisma/migrations",
  },
  datasource: {
    url,
  },
});
