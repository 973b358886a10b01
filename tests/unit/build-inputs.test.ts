import { describe, expect, it } from "vitest";
import { buildInputs } from "../../scripts/lib/build-inputs.mjs";

// npm test rebuilds the portal only when an input of the build changed: the inputs are found by
// following imports from Next.js's entry points, so no folder list can miss a new source.
describe("the production build's inputs", () => {
  const inputs: string[] = buildInputs(process.cwd());

  it("follows imports from the app into server/, components/, lib/ and a shared script", () => {
    expect(inputs).toEqual(
      expect.arrayContaining([
        "app/layout.tsx",
        "server/services.ts",
        "server/microsoft/token-broker.ts",
        "lib/ids.ts",
        "scripts/lib/client-chain.mjs",
        "instrumentation.ts",
        "prisma/schema.prisma",
        "package-lock.json",
      ]),
    );
    expect(inputs.some((file) => file.startsWith("components/"))).toBe(true);
  });

  it("leaves out what the build never reads: tests, benchmarks, the emulator, the generated client", () => {
    for (const prefix of ["tests/", "bench/", "emulator/", "prisma/generated/", "node_modules/", ".next/"]) {
      expect(
        inputs.filter((file) => file.startsWith(prefix)),
        prefix,
      ).toEqual([]);
    }
  });
});
