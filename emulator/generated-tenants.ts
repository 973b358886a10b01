// Synthetic customer tenants beside (or instead of) the six fixed ones: benchmarks need hundreds,
// and end-to-end tests give each spec file tenants of its own so no test changes data another reads.
import { createSeededRandom, deriveSeed } from "./seeded-random";
import type { DirectoryTenant, DirectoryUser } from "./model";

const NAMES = ["Contoso", "Fabrikam", "Woodgrove", "Tailspin", "Litware", "Adatum", "Northwind", "Proseware", "Wingtip", "Alpine", "Coho", "Lamna"];
const KINDS = ["Manufacturing", "Health", "Bank", "Toys", "Legal", "Energy", "Logistics", "Retail", "Insurance", "Foods"];
const PEOPLE: [string, string, boolean][] = [
  ["Megan Bowen", "megan.bowen", true],
  ["Diego Siciliani", "diego.siciliani", false],
  ["Adele Vance", "adele.vance", true],
  ["Lee Gu", "lee.gu", false],
  ["佐藤 花子", "hanako.sato", false],
];

export type GeneratedTenantFamily = {
  /** Seed for GUIDs: the same family and index always give the same tenant. */
  seed: number;
  /** Domain prefix: `{prefix}{NNN}.onmicrosoft.com`. */
  domainPrefix: string;
  /** Display name prefix; without one, names cycle through fictitious company names. */
  namePrefix?: string;
};

/** The i-th tenant of a family: a stable GUID (v4 shape), a name, a domain and a few users. */
export function generatedTenant(family: GeneratedTenantFamily, index: number): DirectoryTenant {
  const r = createSeededRandom(deriveSeed(family.seed, `tenant:${index}`));
  const id = r.guid().toLowerCase();
  const number = String(index + 1).padStart(3, "0");
  const displayName = family.namePrefix
    ? `${family.namePrefix} ${number}`
    : `${NAMES[index % NAMES.length]} ${KINDS[Math.floor(index / NAMES.length) % KINDS.length]} ${number}`;
  const domain = `${family.domainPrefix}${number}.onmicrosoft.com`;
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

export function generatedTenants(family: GeneratedTenantFamily, count: number): DirectoryTenant[] {
  return Array.from({ length: count }, (_, i) => generatedTenant(family, i));
}

/** Extra customers for end-to-end tests (`EMULATOR_EXTRA_CUSTOMERS`): "Test Customer 001", … */
export const TEST_CUSTOMER_FAMILY: GeneratedTenantFamily = { seed: 5151, domainPrefix: "testcustomer", namePrefix: "Test Customer" };
