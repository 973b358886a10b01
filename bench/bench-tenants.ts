// Synthetic customer tenants for the benchmark: the emulator's fixed directory has only six.
import { generatedTenant, type GeneratedTenantFamily } from "../emulator/generated-tenants";
import type { DirectoryTenant } from "../emulator/model";

export const BENCH_SEED = 4242;
const BENCH_FAMILY: GeneratedTenantFamily = { seed: BENCH_SEED, domainPrefix: "bench" };

/** The i-th bench tenant: a stable GUID (v4 shape), a name, a domain and a few users. */
export function benchTenant(index: number): DirectoryTenant {
  return generatedTenant(BENCH_FAMILY, index);
}

export function benchTenants(count: number): DirectoryTenant[] {
  return Array.from({ length: count }, (_, i) => benchTenant(i));
}

/** MSSP analysts who appear as assignees, as in the emulator's own seed. */
export const BENCH_ANALYSTS = ["amelia.admin@northwindcyber.onmicrosoft.com", "arjun.analyst@northwindcyber.onmicrosoft.com", "zoe.angstrom@northwindcyber.onmicrosoft.com"];
