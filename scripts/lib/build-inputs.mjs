// The files a production build is made of, found the way the bundler finds them: Next.js's own
// entry points and configuration, then every local module they import, transitively. No folder
// list to keep: a new folder is covered the moment something the portal builds imports it, and a
// test or benchmark edit does not cost a rebuild.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

// Next.js's conventions (what `next build` reads by itself), not our folders.
const ENTRY_FOLDERS = ["app", "public"];
const ENTRY_FILES = [
  "next.config.js",
  "next.config.mjs",
  "next.config.ts",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
  "postcss.config.mjs",
  "instrumentation.ts",
  "proxy.ts",
  "middleware.ts",
  "prisma/schema.prisma",
];
const GENERATED = path.normalize("prisma/generated/");
const EXTENSIONS = [".ts", ".tsx", ".mts", ".js", ".mjs", ".cjs", ".jsx", ".d.mts"];
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*["']([^"']+)["']|(?:^|[\s;(])import\s*\(?\s*["']([^"']+)["']/gm;

function walk(root, dir, out) {
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(root, rel, out);
    else out.push(rel);
  }
}

function resolveLocal(root, fromFile, specifier) {
  let base;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.join(path.dirname(fromFile), specifier);
  else return null; // a package: package-lock.json stands for it
  const candidates = [base, ...EXTENSIONS.map((ext) => base + ext), ...EXTENSIONS.map((ext) => path.join(base, `index${ext}`))];
  // TypeScript's convention: "./x.mjs" may be typed by "./x.d.mts" next to it (both are inputs).
  return candidates.filter((candidate) => existsSync(path.join(root, candidate)) && statSync(path.join(root, candidate)).isFile());
}

/** Every repository file (relative path) the portal's production build depends on. */
export function buildInputs(root) {
  const seen = new Set();
  const queue = [];
  for (const folder of ENTRY_FOLDERS) if (existsSync(path.join(root, folder))) walk(root, folder, queue);
  for (const file of ENTRY_FILES) if (existsSync(path.join(root, file))) queue.push(file);
  while (queue.length > 0) {
    const file = path.normalize(queue.pop());
    // Prisma's generated client is rewritten by every `prisma generate`: its schema stands for it.
    if (seen.has(file) || file.startsWith(GENERATED)) continue;
    seen.add(file);
    if (!EXTENSIONS.some((ext) => file.endsWith(ext))) continue;
    const text = readFileSync(path.join(root, file), "utf8");
    for (const match of text.matchAll(IMPORT)) {
      const resolved = resolveLocal(root, file, match[1] ?? match[2]);
      if (resolved) queue.push(...resolved);
    }
  }
  return [...seen].sort();
}

/** The newest modification time among the build's inputs (0 when there are none). */
export function newestBuildInput(root) {
  let newest = 0;
  for (const file of buildInputs(root)) newest = Math.max(newest, statSync(path.join(root, file)).mtimeMs);
  return newest;
}
