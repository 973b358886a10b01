import { readdirSync, statSync } from "node:fs";
import path from "node:path";

/** Total bytes of the files under a folder. */
export function du(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? du(full) : statSync(full).size;
  }
  return total;
}
