#!/usr/bin/env node
// Drop-in replacement for Prisma's native `schema-engine` binary, built on Prisma's own
// WebAssembly schema engine (@prisma/schema-engine-wasm) plus a driver adapter:
//   - PostgreSQL server  -> @prisma/adapter-pg (pg)
//   - embedded database   -> pglite-prisma-adapter (PGlite persisted in $PORTAL_PGLITE_DIR)
//
// The Prisma CLI uses it when PRISMA_SCHEMA_ENGINE_BINARY points here (prisma.config.ts does
// that when no native engine is installed). It is spawned in two ways:
//   1. `<bin> [--datamodels <file>...] [--datasource <json>] ...` : JSON-RPC 2.0 over
//      stdin/stdout, one message per line (migrate dev/deploy/status/reset, db push, ...).
//   2. `<bin> --datasource <json> cli <command>` with command can-connect-to-database,
//      create-database or drop-database: one-shot, errors reported as JSON log lines on stderr.
//   `<bin> --version` prints a version line.
//
// stdout carries JSON-RPC only; every log line goes to stderr (as JSON, like the native engine).

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

// ---------------------------------------------------------------------------------------------
// stdout discipline: keep a private handle on stdout, send everything else to stderr.
// ---------------------------------------------------------------------------------------------
const stdoutWrite = process.stdout.write.bind(process.stdout);
const stderrWrite = process.stderr.write.bind(process.stderr);
process.stdout.write = (...args) => stderrWrite(...args);
for (const level of ["log", "info", "debug", "trace", "warn"]) {
  console[level] = (...args) => console.error(...args);
}

const SENTINEL_HOST = "pglite.invalid";
const MIGRATIONS_TABLE_DDL = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

let quiet = false; // in `cli` mode the CLI parses stderr strictly, so only errors are written there

function log(level, message, extra = {}) {
  if (quiet && level !== "ERROR") return;
  const line = {
    timestamp: new Date().toISOString(),
    level,
    fields: { message: String(message), ...extra },
    target: "schema_engine::logger",
  };
  stderrWrite(JSON.stringify(line) + "\n");
}

// ---------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------
function parseArgs(argv) {
  const out = { datamodels: [], datasource: undefined, previewFeatures: [], cli: null, version: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--version" || a === "-V") out.version = true;
    else if (a === "--datamodels" || a === "-d") {
      while (i + 1 < argv.length && !argv[i + 1].startsWith("-") && argv[i + 1] !== "cli") out.datamodels.push(argv[++i]);
    } else if (a === "--datasource") out.datasource = JSON.parse(argv[++i]);
    else if (a === "--enabled-preview-features") out.previewFeatures = argv[++i].split(",").filter(Boolean);
    else if (a === "--extension-types")
      i++; // not supported by the wasm engine; ignored
    else if (a === "cli") out.cli = argv.slice(i + 1);
    if (out.cli) break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Wasm engine (the package targets bundlers; instantiate it by hand in Node)
// ---------------------------------------------------------------------------------------------
let wasmModule;
async function loadWasm() {
  if (wasmModule) return wasmModule;
  const bg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const bgPath = fileURLToPath(import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const bytes = readFileSync(join(dirname(bgPath), "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  wasmModule = bg;
  return bg;
}

// ---------------------------------------------------------------------------------------------
// Datasource selection
// ---------------------------------------------------------------------------------------------
function describeTarget(url) {
  let parsed = null;
  if (url) {
    try {
      parsed = new URL(url);
    } catch {
      parsed = null;
    }
  }
  const isPgUrl = parsed && (parsed.protocol === "postgres:" || parsed.protocol === "postgresql:");
  if (isPgUrl && parsed.hostname !== SENTINEL_HOST) return { kind: "pg", url, parsed };
  if (process.env.PORTAL_PGLITE_DIR) return { kind: "pglite", dir: resolve(process.env.PORTAL_PGLITE_DIR) };
  if (!url) return { kind: "pglite-memory" };
  if (isPgUrl) {
    throw userError("P1013", `The datasource points at the PGlite sentinel host \`${SENTINEL_HOST}\` but PORTAL_PGLITE_DIR is not set.`);
  }
  throw userError(
    "P1013",
    "The provided database string is invalid. Only postgres:// and postgresql:// URLs (or PGlite via PORTAL_PGLITE_DIR) are supported by this schema engine.",
  );
}

function userError(code, message, meta = {}) {
  const e = new Error(message);
  e.code = code;
  e.meta = meta;
  e.userFacing = true;
  return e;
}

function pgConfig(url) {
  const u = new URL(url);
  const schema = u.searchParams.get("schema") || undefined;
  // Prisma-only query parameters that pg does not understand
  for (const p of ["schema", "connection_limit", "pool_timeout", "connect_timeout", "socket_timeout", "pgbouncer", "statement_cache_size"]) {
    u.searchParams.delete(p);
  }
  const config = { connectionString: u.toString(), max: 1 };
  if (schema) config.options = `-c search_path="${schema.replace(/"/g, '""')}"`;
  return { config, schema };
}

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = "/" + encodeURIComponent(database);
  return u.toString();
}

function databaseName(url) {
  const u = new URL(url);
  return decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres";
}

function hostPort(url) {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}`;
}

const cleanups = []; // run (in reverse) on exit

function patchPgAdapter(adapter) {
  // adapter-pg's executeScript splits on ';', which breaks dollar-quoted function bodies.
  // Send the whole script through the simple query protocol instead (like the native engine).
  adapter.executeScript = async function executeScript(script) {
    try {
      await this.underlyingDriver().query(script);
    } catch (error) {
      this.onError(error);
    }
  };
  return adapter;
}

function patchPgliteAdapter(adapter, client) {
  // pglite-prisma-adapter does not await exec(); errors would be lost.
  adapter.executeScript = async function executeScript(script) {
    try {
      await client.exec(script);
    } catch (error) {
      this.onError(error);
    }
  };
  return adapter;
}

// PostgreSQL-internal types that @prisma/adapter-pg refuses ("Column type 'char' could not be
// deserialized") but that the schema engine's introspection queries return. They are all read
// as strings by the engine, so present them as text (their default pg parser is the identity).
const PG_INTERNAL_TEXT_TYPES = new Set([
  18, // "char"
  22, // int2vector
  24, // regproc
  30, // oidvector
  194, // pg_node_tree
  1033, // aclitem
  2202, // regprocedure
  2203, // regoper
  2204, // regoperator
  2205, // regclass
  2206, // regtype
  3734, // regconfig
  3769, // regdictionary
  4089, // regnamespace
  4096, // regrole
]);
let pgPatched = false;
function patchPgResult(pg) {
  if (pgPatched) return;
  pgPatched = true;
  const addFields = pg.Result.prototype.addFields;
  pg.Result.prototype.addFields = function patchedAddFields(fields) {
    for (const f of fields) {
      if (PG_INTERNAL_TEXT_TYPES.has(f.dataTypeID) && f.format !== "binary") f.dataTypeID = 25;
    }
    return addFields.call(this, fields);
  };
}

async function makePgFactory(url, shadowDatabaseUrl) {
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const pg = (await import("pg")).default;
  patchPgResult(pg);
  const { config, schema } = pgConfig(url);
  const options = schema ? { schema } : undefined;
  const base = new PrismaPg(config, options);
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    async connect() {
      return patchPgAdapter(await base.connect());
    },
    async connectToShadowDb() {
      if (shadowDatabaseUrl) {
        const s = pgConfig(shadowDatabaseUrl);
        return patchPgAdapter(await new PrismaPg(s.config, s.schema ? { schema: s.schema } : undefined).connect());
      }
      // Temporary database on the same server, dropped when the adapter is disposed / on exit.
      const admin = new pg.Client(pgConfig(url).config);
      await admin.connect();
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } catch (e) {
        await admin.end().catch(() => {});
        throw userError(
          "P3014",
          `Prisma Migrate could not create the shadow database (${e.message}). Grant CREATEDB to the user or set datasource.shadowDatabaseUrl in prisma.config.ts.`,
        );
      }
      log("INFO", `Created temporary shadow database ${name}`);
      const shadow = pgConfig(withDatabase(url, name));
      const adapter = patchPgAdapter(await new PrismaPg(shadow.config, options).connect());
      let dropped = false;
      const drop = async () => {
        if (dropped) return;
        dropped = true;
        try {
          await origDispose();
        } catch {}
        try {
          await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => admin.query(`DROP DATABASE IF EXISTS "${name}"`)); // PostgreSQL < 13
          log("INFO", `Dropped temporary shadow database ${name}`);
        } catch (e) {
          log("WARN", `Could not drop temporary shadow database ${name}: ${e.message}`);
        }
        await admin.end().catch(() => {});
      };
      const origDispose = adapter.dispose.bind(adapter);
      adapter.dispose = drop;
      cleanups.push(drop);
      return adapter;
    },
  };
}

// A fresh PGlite cluster costs ~3 s (initdb). Keep a gzip dump of a pristine cluster in the OS
// temp directory and start new clusters (in-memory shadow databases, new data directories) from it.
let templatePromise = null;
function pgliteTemplatePath() {
  let version = "unknown";
  try {
    let dir = dirname(fileURLToPath(import.meta.resolve("@electric-sql/pglite")));
    for (let i = 0; i < 5; i++, dir = dirname(dir)) {
      const pj = join(dir, "package.json");
      if (existsSync(pj)) {
        const pkg = JSON.parse(readFileSync(pj, "utf8"));
        if (pkg.name === "@electric-sql/pglite") {
          version = pkg.version;
          break;
        }
      }
    }
  } catch {}
  const uid = typeof process.getuid === "function" ? process.getuid() : "u";
  return join(tmpdir(), `prisma-schema-engine-pglite-${version}-${uid}.tar.gz`);
}

async function pgliteTemplate(PGlite) {
  if (process.env.PORTAL_PGLITE_NO_TEMPLATE) return null;
  templatePromise ??= (async () => {
    const file = pgliteTemplatePath();
    try {
      if (existsSync(file)) return new Blob([readFileSync(file)]);
    } catch {}
    try {
      const fresh = await PGlite.create();
      const blob = await fresh.dumpDataDir("gzip");
      await fresh.close();
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
      renameSync(tmp, file);
      log("INFO", `Cached a pristine PGlite cluster at ${file}`);
      return blob;
    } catch (e) {
      log("WARN", `Could not prepare a PGlite template: ${e.message}`);
      return null;
    }
  })();
  return templatePromise;
}

// The extensions the portal's migrations create (CREATE EXTENSION): PGlite ships them in its
// contrib set and must load them when a cluster starts. server/database/open-database.ts loads the same.
async function pgliteExtensions() {
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  return { pg_trgm };
}

async function openPglite(dataDir) {
  const { PGlite } = await import("@electric-sql/pglite");
  const extensions = await pgliteExtensions();
  // The portal's own rule: one process per embedded folder (a running portal holds it).
  let lock = null;
  if (dataDir) {
    const { acquirePgliteLock } = await import("../server/database/pglite-lock.mjs");
    try {
      lock = acquirePgliteLock(dataDir);
    } catch (e) {
      throw userError("P1001", e.message);
    }
  }
  const isNew = !dataDir || !existsSync(join(dataDir, "PG_VERSION"));
  let client;
  const template = isNew ? await pgliteTemplate(PGlite) : null;
  if (template) {
    try {
      client = await PGlite.create(dataDir, { loadDataDir: template, extensions });
    } catch (e) {
      log("WARN", `Starting PGlite from the cached template failed (${e.message}); running initdb instead`);
      try {
        rmSync(pgliteTemplatePath(), { force: true });
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
        if (dataDir) mkdirSync(dataDir, { recursive: true });
      } catch {}
    }
  }
  client ??= await PGlite.create(dataDir, { extensions });
  const close = async () => {
    if (client.closed) return;
    try {
      await client.close();
    } catch (e) {
      log("WARN", `Closing PGlite failed: ${e.message}`);
    } finally {
      lock?.release();
    }
  };
  cleanups.push(close);
  return client;
}

async function makePgliteFactory(dir) {
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  let client;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    client = await openPglite(dir);
  } else {
    client = await openPglite(undefined); // in-memory
  }
  const base = new PrismaPGlite(client);
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    client,
    async connect() {
      return patchPgliteAdapter(await base.connect(), client);
    },
    async connectToShadowDb() {
      const shadowClient = await openPglite(undefined);
      const adapter = patchPgliteAdapter(await new PrismaPGlite(shadowClient).connect(), shadowClient);
      adapter.dispose = async () => {
        await shadowClient.close().catch(() => {});
      };
      return adapter;
    },
  };
}

async function makeFactory(datasource) {
  const target = describeTarget(datasource?.url);
  if (target.kind === "pg") {
    log("INFO", `Using PostgreSQL at ${hostPort(target.url)} through @prisma/adapter-pg`);
    return makePgFactory(target.url, datasource?.shadowDatabaseUrl);
  }
  if (target.kind === "pglite") {
    log("INFO", `Using PGlite persisted at ${target.dir}`);
    return makePgliteFactory(target.dir);
  }
  log("INFO", "Using in-memory PGlite (no datasource URL given)");
  return makePgliteFactory(undefined);
}

// ---------------------------------------------------------------------------------------------
// Shutdown
// ---------------------------------------------------------------------------------------------
let shuttingDown = null;
function shutdown(code = 0) {
  if (shuttingDown) return shuttingDown;
  shuttingDown = (async () => {
    try {
      if (engine) {
        try {
          engine.free();
        } catch {}
      }
      for (const fn of cleanups.reverse()) {
        try {
          await fn();
        } catch {}
      }
    } finally {
      process.exit(code);
    }
  })();
  return shuttingDown;
}
for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(sig, () => shutdown(0));

// ---------------------------------------------------------------------------------------------
// One-shot `cli` commands
// ---------------------------------------------------------------------------------------------
function pgErrorToUser(e, url) {
  const db = databaseName(url);
  const hp = hostPort(url);
  if (e.code === "3D000") {
    return userError("P1003", `Database \`${db}\` does not exist on the database server at \`${hp}\`.`, { database_name: db });
  }
  if (e.code === "28P01" || e.code === "28000") {
    return userError(
      "P1000",
      `Authentication failed against database server at \`${hp}\`, the provided database credentials for \`${new URL(url).username}\` are not valid.`,
    );
  }
  if (e.code === "42501") return userError("P1010", `User was denied access on the database \`${db}\``);
  if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return userError("P1017", e.message);
  return userError("P1001", `Can't reach database server at \`${hp}\`\n\nPlease make sure your database server is running at \`${hp}\`.`);
}

async function runCli(args, cmd) {
  const target = describeTarget(args.datasource?.url);
  const pg = target.kind === "pg" ? (await import("pg")).default : null;
  const withClient = async (url, fn) => {
    const client = new pg.Client({ ...pgConfig(url).config, connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
    } catch (e) {
      throw pgErrorToUser(e, url);
    }
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => {});
    }
  };
  switch (cmd) {
    case "can-connect-to-database":
      if (target.kind === "pg") await withClient(target.url, (c) => c.query("SELECT 1"));
      else if (target.kind === "pglite") mkdirSync(target.dir, { recursive: true });
      return "";
    case "create-database": {
      if (target.kind !== "pg") return "";
      const name = databaseName(target.url);
      await withClient(withDatabase(target.url, "postgres"), async (c) => {
        try {
          await c.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
        } catch (e) {
          if (e.code !== "42P04") throw userError("P1009", `Could not create database \`${name}\`: ${e.message}`);
        }
      });
      return `Database '${name}' was successfully created.`;
    }
    case "drop-database": {
      if (target.kind !== "pg") throw userError("P1014", "drop-database is not supported for PGlite; delete the PGlite directory instead.");
      const name = databaseName(target.url);
      await withClient(withDatabase(target.url, "postgres"), (c) => c.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}"`));
      return `The database '${name}' was successfully dropped.`;
    }
    default:
      throw new Error(`Unsupported cli command: ${cmd}`);
  }
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC server
// ---------------------------------------------------------------------------------------------
let engine = null;
let enginePromise = null;
let factory = null;
let args;

function send(msg) {
  stdoutWrite(JSON.stringify(msg) + "\n");
}

let nextPrintId = 1;
const pendingPrints = new Map();
function print(content) {
  const id = `print-${nextPrintId++}`;
  return new Promise((res) => {
    pendingPrints.set(id, res);
    send({ jsonrpc: "2.0", method: "print", params: { content }, id });
  });
}

async function getEngine() {
  if (!enginePromise) {
    enginePromise = (async () => {
      const bg = await loadWasm();
      factory ??= await makeFactory(args.datasource);
      const { bindMigrationAwareSqlAdapterFactory } = await import("@prisma/driver-adapter-utils");
      const bound = bindMigrationAwareSqlAdapterFactory(factory);
      const datamodels = args.datamodels.length ? args.datamodels.map((p) => [p, readFileSync(p, "utf8")]) : undefined;
      const debug = (line) => {
        if (quiet) return;
        const s = String(line).replace(/\n+$/, "");
        if (!s) return;
        stderrWrite((s.startsWith("{") ? s : JSON.stringify({ level: "DEBUG", fields: { message: s }, target: "schema_engine_wasm" })) + "\n");
      };
      try {
        engine = await bg.SchemaEngine.new({ datamodels }, debug, bound);
      } catch (e) {
        throw normaliseError(e, bound.errorRegistry);
      }
      return { engine, registry: bound.errorRegistry };
    })();
  }
  return enginePromise;
}

function normaliseError(e, registry) {
  if (e && registry) {
    const found = registry.lookupError?.(e);
    if (found?.error) e = found.error;
  }
  return e;
}

function toRpcError(e) {
  const message = e?.message ?? String(e);
  const isPanic = e instanceof WebAssembly.RuntimeError || e?.name === "RuntimeError"; // Rust panic -> `unreachable` trap
  if (isPanic) {
    return {
      code: 4466,
      message: "An error happened. Check the data field for details.",
      data: { is_panic: true, message, error: { message }, backtrace: e?.stack ?? null },
    };
  }
  const data = { is_panic: false, message, meta: e?.meta ?? null };
  if (typeof e?.code === "string" && /^P\d{4}$/.test(e.code)) data.error_code = e.code;
  else if (e?.cause && typeof e.cause === "object" && e.cause.kind) data.message = `${message}${message ? "\n" : ""}${JSON.stringify(e.cause)}`;
  return { code: 4466, message: "An error happened. Check the data field for details.", data };
}

const METHOD_MAP = { getDatabaseVersion: "version" };
const NEEDS_MIGRATIONS_TABLE = new Set(["devDiagnostic"]);
const SHADOW_CACHE_METHODS = new Set(["evaluateDataLoss", "createMigration"]);

async function ensureMigrationsTable(method) {
  // The wasm engine reports P1014 from devDiagnostic when the migrations table is missing
  // (the native engine would create it); create it up front with Prisma's own DDL.
  const adapter = await factory.connect();
  try {
    const res = await adapter.queryRaw({
      sql: "SELECT current_schema() AS s, EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = '_prisma_migrations') AS e",
      args: [],
      argTypes: [],
    });
    const [schema, exists] = res.rows[0] ?? [null, true];
    if (schema && !exists) {
      log("INFO", `Creating _prisma_migrations in schema ${schema} before ${method}`);
      await adapter.executeScript(MIGRATIONS_TABLE_DDL);
    }
  } finally {
    await adapter.dispose().catch(() => {});
  }
}

// Some wasm failures (e.g. invalid params) surface as exceptions thrown from inside a promise
// callback, i.e. as uncaught exceptions. Route them to the request being served and start a
// fresh engine for the next one.
let failCurrent = null;
function guard(fn) {
  return new Promise((res, rej) => {
    failCurrent = rej;
    Promise.resolve()
      .then(fn)
      .then(res, rej)
      .finally(() => {
        if (failCurrent === rej) failCurrent = null;
      });
  });
}
process.on("uncaughtException", (e) => {
  if (failCurrent) {
    const fail = failCurrent;
    failCurrent = null;
    log("WARN", `Engine error outside the request promise (engine will be recreated): ${e?.message ?? e}`);
    const old = engine;
    engine = null;
    enginePromise = null;
    try {
      old?.free();
    } catch {}
    fail(e);
    return;
  }
  log("ERROR", e?.stack ?? String(e));
  shutdown(1);
});
process.on("unhandledRejection", (e) => {
  log("WARN", `Unhandled rejection: ${e?.stack ?? e}`);
});

async function handleRequest(msg) {
  const { id, method, params } = msg;
  try {
    if (method === "createDatabase") {
      const url = params?.datasource?.url ?? args.datasource?.url;
      await runCli({ datasource: { url } }, "create-database");
      return send({ jsonrpc: "2.0", id, result: { databaseName: url ? databaseName(url) : "postgres" } });
    }
    const { engine: eng, registry } = await getEngine();
    const wasmMethod = METHOD_MAP[method] ?? method;
    if (typeof eng[wasmMethod] !== "function") {
      return send({ jsonrpc: "2.0", id, error: { code: -32601, message: `Method not found: ${method} (not supported by the wasm schema engine)` } });
    }
    if (NEEDS_MIGRATIONS_TABLE.has(method)) await ensureMigrationsTable(method);
    let result;
    try {
      // keep the method call bound to the engine instance
      result = await guard(() => eng[wasmMethod](params ?? undefined));
    } catch (e) {
      if (SHADOW_CACHE_METHODS.has(method) && /shadow DB must be provided through an external factory/.test(e?.message ?? "")) {
        // evaluateDataLoss/createMigration only get the shadow schema from the engine's migration
        // schema cache (they have no access to the adapter factory); diagnoseMigrationHistory does,
        // and fills that cache for the same migrations list. Warm it, then retry once.
        log("INFO", `Warming the migration schema cache before retrying ${method}`);
        try {
          await guard(() =>
            eng.diagnoseMigrationHistory({
              migrationsList: params.migrationsList,
              optInToShadowDatabase: true,
              filters: params.filters ?? params.filter ?? { externalTables: [], externalEnums: [] },
            }),
          );
          result = await guard(() => eng[wasmMethod](params));
        } catch (e2) {
          throw normaliseError(e2, registry);
        }
      } else {
        throw normaliseError(e, registry);
      }
    }
    if (result === undefined || result === null) result = method === "getDatabaseVersion" ? "" : {};
    if (typeof result === "object" && typeof result.stdout === "string") {
      const { stdout, ...rest } = result;
      if (stdout.length > 0) await print(stdout.replace(/\n$/, ""));
      result = { ...rest, stdout: null };
    }
    send({ jsonrpc: "2.0", id, result });
  } catch (e) {
    log("ERROR", e?.message ?? String(e), e?.code ? { error_code: e.code } : {});
    send({ jsonrpc: "2.0", id, error: toRpcError(e) });
  }
}

async function serve() {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let queue = Promise.resolve();
  rl.on("line", (line) => {
    if (!line.trim()) return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      send({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
      return;
    }
    if (msg.method === undefined && msg.id !== undefined && pendingPrints.has(msg.id)) {
      // response from the CLI to one of our `print` requests
      const res = pendingPrints.get(msg.id);
      pendingPrints.delete(msg.id);
      res();
      return;
    }
    if (msg.method) queue = queue.then(() => handleRequest(msg));
  });
  rl.on("close", () => {
    queue.then(() => shutdown(0));
  });
}

// ---------------------------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------------------------
async function main() {
  args = parseArgs(process.argv.slice(2));
  if (args.version) {
    const bg = await loadWasm();
    stdoutWrite(`schema-engine-cli ${bg.version()} (wasm, scripts/prisma-schema-engine.mjs)\n`);
    return process.exit(0);
  }
  if (args.cli) {
    quiet = true;
    const cmd = args.cli[0];
    try {
      const out = await runCli(args, cmd);
      if (out) stdoutWrite(out + "\n");
      await shutdown(0);
    } catch (e) {
      // The CLI skips the first stderr line and expects JSON on every following line.
      stderrWrite(
        JSON.stringify({ timestamp: new Date().toISOString(), level: "INFO", fields: { message: `Running ${cmd}` }, target: "schema_engine::logger" }) + "\n",
      );
      stderrWrite(
        JSON.stringify({
          timestamp: new Date().toISOString(),
          level: "ERROR",
          fields: { is_panic: false, error_code: e.code ?? "", message: e.message },
          target: "schema_engine::logger",
        }) + "\n",
      );
      await shutdown(1);
    }
    return;
  }
  await serve();
}

main().catch((e) => {
  log("ERROR", e?.stack ?? String(e));
  shutdown(1);
});
