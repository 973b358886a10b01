// A server process outside Next.js (`npm run worker`, the sync bench's workers) runs from one
// precompiled ES module, not through tsx: tsx's loader thread, its transform cache and the source
// text it keeps cost a worker about 60 MB of its memory for nothing (measured: README, "1,000
// tenants"). esbuild (tsx's own compiler) bundles our TypeScript into one file in about 0.3 s; npm
// packages stay external and load from node_modules as before. Built at every start, so it is never
// stale, and written by rename, so processes starting together never read a half-written file; the
// source map keeps stack traces pointing at the TypeScript.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build, stop } from "esbuild";

const repoRoot = path.resolve(import.meta.dirname, "../..");
/** Under the repository, so the bundle's bare imports resolve from its node_modules. */
const OUT_DIR = path.join(repoRoot, ".data", "server-bundles");

/**
 * Bundles a TypeScript entry (relative to the repository) and answers the path of the module to run
 * with `node --conditions=react-server --enable-source-maps <path>` (the condition makes the external
 * "server-only" marker resolve to its empty module, as in Next.js's server bundles).
 * @param {string} entry
 * @param {string} name file name of the bundle, without extension
 * @returns {Promise<string>}
 */
export async function bundleServerEntry(entry, name) {
  mkdirSync(OUT_DIR, { recursive: true });
  const outfile = path.join(OUT_DIR, `${name}.mjs`);
  const result = await build({
    entryPoints: [path.join(repoRoot, entry)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    conditions: ["react-server"],
    tsconfig: path.join(repoRoot, "tsconfig.json"),
    sourcemap: "linked",
    logLevel: "warning",
    write: false,
  });
  // The map first, then the module: a process that sees the new module finds its map.
  const files = [...result.outputFiles].sort((a, b) => Number(a.path.endsWith(".mjs")) - Number(b.path.endsWith(".mjs")));
  for (const file of files) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  return outfile;
}

/** Ends esbuild's compiler service (a child process), once a process has built what it runs. */
export function stopBundler() {
  return stop();
}

/**
 * The worker's V8 heap cap in MB. Its live heap is about 46 MB at 1,000 tenants, but uncapped V8 lets
 * the heap grow to some 220 MB between collections (README, "1,000 tenants"); 256 MB keeps the
 * process small with five times its live data as room. NODE_OPTIONS=--max-old-space-size=… overrides it.
 */
export const WORKER_HEAP_MB = 256;

/**
 * node's arguments to run a bundled server process: the heap cap (unless NODE_OPTIONS sets one, or
 * `heapMb` is null), the react-server condition and source maps, then the bundle.
 * @param {string} bundle
 * @param {{ heapMb?: number | null, extra?: string[] }} [options]
 * @returns {string[]}
 */
export function serverProcessArgs(bundle, options = {}) {
  const heapMb = options.heapMb === undefined ? WORKER_HEAP_MB : options.heapMb;
  const operatorCap = /--max-old-space-size/.test(process.env.NODE_OPTIONS ?? "");
  return [
    ...(options.extra ?? []),
    ...(heapMb && !operatorCap ? [`--max-old-space-size=${heapMb}`] : []),
    "--conditions=react-server",
    "--enable-source-maps",
    bundle,
  ];
}
