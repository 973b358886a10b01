// ESLint: Next.js's own rules (Core Web Vitals, TypeScript) plus the layering README states,
// written as import restrictions so a wrong import fails `npm test`, not a review.
import { builtinModules } from "node:module";
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier";

/** Import patterns (relative or through the "@/" alias) that reach a folder or file of the repository. */
const reach = (target) => [`@/${target}`, `@/${target}/*`, `**/${target}`, `**/${target}/*`];

/** Escapes a module name for use inside a regular expression. */
const literal = (name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Node's built-in modules, bare ("fs", "fs/promises") or with the "node:" scheme. */
const nodeBuiltins = `^(?:node:.*|(?:${builtinModules.map(literal).join("|")}))$`;

/** Each rule names its imports by gitignore-style `group` patterns or by one `regex`. */
const layer = (files, rules, message) => ({
  files,
  rules: {
    "@typescript-eslint/no-restricted-imports": [
      "error",
      {
        patterns: rules.map(({ group, regex, allowTypeImports = false, why }) => ({
          ...(regex ? { regex } : { group }),
          allowTypeImports,
          message: why ?? message,
        })),
      },
    ],
  },
});

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  prettier,
  globalIgnores([".next/**", ".data/**", "node_modules/**", "prisma/generated/**", "next-env.d.ts", "coverage/**"]),
  {
    rules: {
      // Unused names fail the type check already (noUnusedLocals); `_` marks one kept on purpose.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // Error-prone in any file: a floating `==` or a stray debugger.
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-debugger": "error",
    },
  },
  // Playwright's fixtures call `use(value)`: not React's hook.
  { files: ["tests/e2e/**"], rules: { "react-hooks/rules-of-hooks": "off" } },
  // Pages and components ask server modules for views and actions; they never hold the database or
  // a Microsoft client themselves (types, such as a source's name, may be shared).
  layer(
    ["app/**", "components/**"],
    [
      {
        group: [...reach("server/services"), ...reach("server/database"), ...reach("prisma/generated/client/client")],
        why: "app/ and components/ never reach the database or process-wide services: call a server module that checks the staff member first.",
      },
      {
        group: reach("server/microsoft"),
        allowTypeImports: true,
        why: "app/ and components/ never call Microsoft directly: go through a server module (types only are fine).",
      },
      { group: reach("emulator"), why: "The emulator is a test and demo tool: the portal never imports it." },
    ],
  ),
  // The server never depends on the emulator: it talks to it only over HTTPS, as to Microsoft.
  layer(
    ["server/**", "lib/**", "instrumentation.ts", "proxy.ts"],
    [{ group: reach("emulator"), why: "The portal talks to the emulator only over HTTPS, as it does to Microsoft: never import emulator/." }],
  ),
  // server/microsoft/ is a leaf: Microsoft's protocols, no knowledge of tenants, incidents, staff or
  // notifications. An allowlist, so a new domain folder is refused without editing this file: its own
  // files (./), the pure lib/ and the configuration's types. Packages (msal, jose, zod, node:) are fine.
  layer(
    ["server/microsoft/**"],
    [
      {
        // Any import leaving the folder (../ or the "@/" alias) other than lib/ and config-schema.
        regex: "^(?:\\.\\./(?!config-schema$|\\.\\./lib/)|@/(?!lib/|server/microsoft/|server/config-schema$))",
        why: "server/microsoft/ imports no domain module and no process-wide service, only its own files, lib/ and config-schema's types: the domains call it, never the other way.",
      },
      {
        regex: "^(?:\\.\\./config-schema|@/server/config-schema)$",
        allowTypeImports: true,
        why: "server/microsoft/ takes only types from config-schema: the caller passes the values it needs.",
      },
    ],
  ),
  // lib/ is pure: pages, client components, the server and tests share it.
  layer(
    ["lib/**"],
    [
      {
        group: ["server-only", "next", "next/*", "@/server/*", "**/server/*", "@/prisma/*", "**/prisma/*", "@/emulator/*", "**/emulator/*"],
        why: "lib/ has no server, Node or framework imports: anything there runs in the browser too.",
      },
      { regex: nodeBuiltins, why: "lib/ has no server, Node or framework imports: anything there runs in the browser too." },
      {
        regex: "^(?:pg|pino|@prisma/[^/]+)(?:/.*)?$",
        why: "lib/ has no server, Node or framework imports: the database driver and the logger belong to server/.",
      },
    ],
  ),
]);
