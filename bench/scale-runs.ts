// BENCH_SCALE=1: the steady-state and scale-out runs, each with its own emulator process (adding
// BENCH_LATENCY_MS to every Microsoft call) and its own bench child and scratch database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeCaBundle } from "../scripts/lib/ca-bundle.mjs";
import type { BenchEmulatorReady } from "./bench-emulator";
import type { BenchOptions } from "./bench-options";
import { runChild, startServiceChild } from "./child-runner";
import type { ScaleOutBenchResult } from "./scaleout-bench";
import type { SteadyBenchResult } from "./steady-bench";

export type ScaleResults = { steady: SteadyBenchResult[]; scaleOut: ScaleOutBenchResult | null };

async function withEmulator<T>(options: BenchOptions, run: (env: Record<string, string>) => Promise<T>): Promise<T> {
  const { tenants, incidentsPerTenant, latencyMs } = options.scale;
  const dir = mkdtempSync(path.join(tmpdir(), "portal-bench-emulator-"));
  const emulator = await startServiceChild<BenchEmulatorReady>("emulator-main.ts", {
    BENCH_EMULATOR_DIR: dir,
    BENCH_TENANTS: String(tenants),
    BENCH_INCIDENTS: String(incidentsPerTenant),
    BENCH_LATENCY_MS: String(latencyMs),
  });
  try {
    return await run({
      BENCH_EMULATOR: JSON.stringify(emulator.ready),
      BENCH_INCIDENTS: String(incidentsPerTenant),
      BENCH_LATENCY_MS: String(latencyMs),
      // Read at process start only: the bench child and its workers trust the emulator's CA from birth.
      NODE_EXTRA_CA_CERTS: writeCaBundle(dir, emulator.ready.caCertPath),
    });
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runScale(options: BenchOptions): Promise<ScaleResults> {
  const s = options.scale;
  const concurrencyEnv = (c: number | null): Record<string, string> => (c === null ? {} : { BENCH_SCALE_CONCURRENCY: String(c) });
  const steady: SteadyBenchResult[] = [];
  if (s.steady) {
    for (const concurrency of s.concurrencies) {
      console.log(
        `\n▶ steady polling: ${s.tenants} tenants × ${s.incidentsPerTenant} incidents, ${s.latencyMs} ms added per Microsoft call, concurrency ${concurrency ?? "default"}`,
      );
      steady.push(
        await withEmulator(options, (env) =>
          runChild<SteadyBenchResult>("steady-bench.ts", {
            ...env,
            ...concurrencyEnv(concurrency),
            BENCH_SCALE_CHANGES: String(s.changes),
            BENCH_SCALE_CHANGE_SPREAD_S: String(s.changeSpreadS),
            ...(s.workerOldSpaceMb === null ? {} : { BENCH_WORKER_OLD_SPACE_MB: String(s.workerOldSpaceMb) }),
          }),
        ),
      );
    }
  }
  let scaleOut: ScaleOutBenchResult | null = null;
  if (s.scaleOut) {
    const concurrency = s.concurrencies[0] ?? null;
    console.log(`\n▶ scale-out: 2 sync workers, ${s.tenants} tenants × ${s.incidentsPerTenant} incidents, lease ${s.leaseMs / 1000} s, one killed`);
    scaleOut = await withEmulator(options, (env) =>
      runChild<ScaleOutBenchResult>("scaleout-bench.ts", {
        ...env,
        ...concurrencyEnv(concurrency),
        BENCH_LEASE_MS: String(s.leaseMs),
        BENCH_SCALEOUT_POLL_S: String(s.pollBeforeKillS),
      }),
    );
  }
  return { steady, scaleOut };
}

export function scaleViolations(results: ScaleResults): string[] {
  return [
    ...results.steady.flatMap((r) => r.violations.map((v) => `steady, concurrency ${r.concurrency ?? "default"}: ${v}`)),
    ...(results.scaleOut?.violations.map((v) => `scale-out: ${v}`) ?? []),
  ];
}
