import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

// The layering README states, as eslint.config.mjs enforces it: each wrong import is refused,
// each allowed one passes. Linted as text under a path, so no file is written.
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "@typescript-eslint/no-restricted-imports").map((m) => m.message);
}

describe("the layering, enforced by the linter", { timeout: 60_000 }, () => {
  it.each([
    ["components/queue/x.tsx", 'import { getDb } from "@/server/services";\nexport const x = getDb;\n', /never reach the database/],
    ["app/(portal)/x/page.tsx", 'import { services } from "../../../server/services";\nexport const x = services;\n', /never reach the database/],
    ["components/ui/x.tsx", 'import { PrismaClient } from "@/prisma/generated/client/client";\nexport const x = PrismaClient;\n', /never reach the database/],
    ["app/api/x/route.ts", 'import { TokenBroker } from "@/server/microsoft/token-broker";\nexport const x = TokenBroker;\n', /never call Microsoft directly/],
    ["app/x/page.tsx", 'import { startEmulator } from "@/emulator/main";\nexport const x = startEmulator;\n', /emulator/],
    ["server/incidents/x.ts", 'import { something } from "../../emulator/emulator-context";\nexport const x = something;\n', /only over HTTPS/],
    [
      "server/microsoft/x.ts",
      'import { recordConsentedTenant } from "../tenants/tenant-lifecycle";\nexport const x = recordConsentedTenant;\n',
      /imports no domain/,
    ],
    ["server/microsoft/x.ts", 'import { logger } from "../services";\nexport const x = logger;\n', /imports no domain/],
    // An allowlist: a domain folder nobody listed (notifications, service levels, overview, health) is refused too.
    ["server/microsoft/x.ts", 'import { notify } from "../notifications/x";\nexport const x = notify;\n', /imports no domain/],
    ["server/microsoft/x.ts", 'import { health } from "@/server/health";\nexport const x = health;\n', /imports no domain/],
    ["server/microsoft/x.ts", 'import { emulator } from "../../emulator/x";\nexport const x = emulator;\n', /imports no domain/],
    ["server/microsoft/x.ts", 'import { ConfigError } from "../config-schema";\nexport const x = ConfigError;\n', /only types from config-schema/],
    ["lib/x.ts", 'import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n', /no server, Node or framework imports/],
    ["lib/x.ts", 'import { getConfig } from "@/server/services";\nexport const x = getConfig;\n', /no server, Node or framework imports/],
    ["lib/x.ts", 'import { readFile } from "fs/promises";\nexport const x = readFile;\n', /no server, Node or framework imports/],
    ["lib/x.ts", 'import path from "path";\nexport const x = path;\n', /no server, Node or framework imports/],
    ["lib/x.ts", 'import { Pool } from "pg";\nexport const x = Pool;\n', /database driver and the logger/],
    ["lib/x.ts", 'import pino from "pino";\nexport const x = pino;\n', /database driver and the logger/],
    ["lib/x.ts", 'import { Prisma } from "@prisma/client";\nexport const x = Prisma;\n', /database driver and the logger/],
  ])("refuses in %s: %s", async (filePath, code, reason) => {
    const messages = await restrictedImports(filePath, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(reason);
  });

  it.each([
    ["components/incidents/x.tsx", 'import type { IncidentSource } from "@/server/microsoft/source-incident";\nexport type X = IncidentSource;\n'],
    ["app/(portal)/x/page.tsx", 'import { listTenants } from "@/server/tenants/tenant-directory";\nexport const x = listTenants;\n'],
    [
      "server/tenants/x.ts",
      'import { getDb } from "../services";\nimport { TokenBroker } from "../microsoft/token-broker";\nexport const x = [getDb, TokenBroker];\n',
    ],
    [
      "server/microsoft/x.ts",
      'import { isGuid } from "../../lib/ids";\nimport { backoffDelayMs } from "./backoff";\nexport const x = [isGuid, backoffDelayMs];\n',
    ],
    [
      "server/microsoft/x.ts",
      'import type { ClientCredential } from "../config-schema";\nimport { z } from "zod";\nimport { createHash } from "node:crypto";\nexport type X = ClientCredential;\nexport const x = [z, createHash];\n',
    ],
    ["lib/x.ts", 'import { isGuid } from "./ids";\nexport const x = isGuid;\n'],
    // A lib file named like a Node module is still lib's own.
    ["lib/x.ts", 'import { parse } from "./url";\nimport { z } from "zod";\nexport const x = [parse, z];\n'],
  ])("allows in %s: %s", async (filePath, code) => {
    expect(await restrictedImports(filePath, code)).toEqual([]);
  });
});
