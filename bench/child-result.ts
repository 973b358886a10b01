// Bench children hand their figures to bench/main.ts through a JSON file (stdout stays for progress).
import { writeFileSync } from "node:fs";

export function writeChildResult(value: unknown): void {
  const file = process.env.BENCH_RESULT_FILE;
  if (!file) throw new Error("BENCH_RESULT_FILE is not set: run through npm run bench");
  writeFileSync(
    file,
    JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2),
  );
}

/** Progress lines go to stderr so they interleave with the parent's output in order. */
export function progress(message: string): void {
  process.stderr.write(`  ${message}\n`);
}
