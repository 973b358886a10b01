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
export const BENCH_ANALYSTS = [
  "amelia.admin@northwindcyber.onmicrosoft.com",
  "arjun.analyst@northwindcyber.onmicrosoft.com",
  "zoe.angstrom@northwindcyber.onmicrosoft.com",
];

/** The roles a tenant that consented to the app today holds, per API (what consent verification stores). */
export const GRAPH_ROLES = ["SecurityIncident.Read.All", "SecurityIncident.ReadWrite.All", "SecurityAlert.Read.All"];
export const DEFENDER_ROLES = ["Incident.Read.All", "Incident.ReadWrite.All"];

/**
 * The portal's row of an active tenant synced through `source`: a Graph tenant holds Graph roles;
 * a legacy tenant holds its Defender roles as `legacyRoles` and syncs through the old API.
 */
export function activeTenantRow(tenant: DirectoryTenant, source: "graph" | "defender") {
  return {
    id: tenant.id,
    displayName: tenant.displayName,
    requiredAccess: "read_write" as const,
    status: "active" as const,
    incidentSource: source,
    grantedRoles: source === "graph" ? GRAPH_ROLES : [],
    legacyRoles: source === "defender" ? DEFENDER_ROLES : [],
  };
}
