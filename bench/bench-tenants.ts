// Synthetic customer tenants for the benchmark: the emulator's fixed directory has only six.
import { createSeededRandom, deriveSeed } from "../emulator/seeded-random";
import type { DirectoryTenant, DirectoryUser } from "../emulator/model";

export const BENCH_SEED = 4242;

const NAMES = ["Contoso", "Fabrikam", "Woodgrove", "Tailspin", "Litware", "Adatum", "Northwind", "Proseware", "Wingtip", "Alpine", "Coho", "Lamna"];
const KINDS = ["Manufacturing", "Health", "Bank", "Toys", "Legal", "Energy", "Logistics", "Retail", "Insurance", "Foods"];
const PEOPLE: [string, string, boolean][] = [
  ["Megan Bowen", "megan.bowen", true],
  ["Diego Siciliani", "diego.siciliani", false],
  ["Adele Vance", "adele.vance", true],
  ["Lee Gu", "lee.gu", false],
  ["佐藤 花子", "hanako.sato", false],
];

/** The i-th bench tenant: a stable GUID (v4 shape), a name, a domain and a few users. */
export function benchTenant(index: number): DirectoryTenant {
  const r = createSeededRandom(deriveSeed(BENCH_SEED, `tenant:${index}`));
  const id = r.guid().toLowerCase();
  const displayName = `${NAMES[index % NAMES.length]} ${KINDS[Math.floor(index / NAMES.length) % KINDS.length]} ${String(index + 1).padStart(3, "0")}`;
  const domain = `bench${String(index + 1).padStart(3, "0")}.onmicrosoft.com`;
  const users: DirectoryUser[] = PEOPLE.map(([name, local, admin]) => ({
    id: r.guid().toLowerCase(),
    displayName: name,
    userPrincipalName: `${local}@${domain}`,
    mail: `${local}@${domain}`,
    jobTitle: admin ? "Global Administrator" : "Staff",
    isGlobalAdmin: admin,
    appRoles: [],
  }));
  return { id, displayName, domains: [domain], kind: "customer", users };
}

export function benchTenants(count: number): DirectoryTenant[] {
  return Array.from({ length: count }, (_, i) => benchTenant(i));
}

/** MSSP analysts who appear as assignees, as in the emulator's own seed. */
export const BENCH_ANALYSTS = ["amelia.admin@northwindcyber.onmicrosoft.com", "arjun.analyst@northwindcyber.onmicrosoft.com", "zoe.angstrom@northwindcyber.onmicrosoft.com"];
