// Child process: the bench emulator, apart from the measured sync process so its 100k+ in-memory
// incidents do not count in the sync's memory. Prints one ready line; stops on SIGTERM.
import { startBenchEmulator } from "./bench-emulator";

const emulator = await startBenchEmulator({
  dataDir: process.env.BENCH_EMULATOR_DIR!,
  tenants: Number(process.env.BENCH_TENANTS),
  incidentsPerTenant: Number(process.env.BENCH_INCIDENTS),
  latencyMs: Number(process.env.BENCH_LATENCY_MS || 0),
});
const { stop, ...ready } = emulator;
process.stdout.write(`${JSON.stringify({ event: "bench-emulator.ready", ...ready })}\n`);
process.once("SIGTERM", () => void stop().finally(() => process.exit(0)));
