// The fixed demo directory: the MSSP's own tenant with its multi-tenant app, and six customer tenants.
// GUIDs and names are constants (not derived from the seed) so the README and tests can name them.
import type { Directory, DirectoryTenant, DirectoryUser, PortalRole } from "./model";

export const MSSP_TENANT_ID = "6f1d2c3b-8a4e-4b7d-9c21-0d5e7a9b3f10";
export const MSSP_CLIENT_ID = "3c9a7e52-1b6d-4f08-a2c4-7e5d9b1f6a83";
/** Demo-only secret; it exists only inside the emulator. */
export const MSSP_CLIENT_SECRET = "Nwp8Q~Demo.Only-Secret_Emulator-2025";
/** A second, already expired secret on the same app, for AADSTS7000222 tests. */
export const MSSP_EXPIRED_CLIENT_SECRET = "Nwp8Q~Expired.Demo-Secret_Emulator-2023";

type UserSeed = [id: string, displayName: string, localPart: string, jobTitle: string, isGlobalAdmin: boolean, roles?: PortalRole[]];

function user(domain: string, [id, displayName, localPart, jobTitle, isGlobalAdmin, roles]: UserSeed): DirectoryUser {
  const userPrincipalName = `${localPart}@${domain}`;
  return { id, displayName, userPrincipalName, mail: userPrincipalName, jobTitle, isGlobalAdmin, appRoles: roles ?? [] };
}

function tenant(kind: DirectoryTenant["kind"], id: string, displayName: string, domains: string[], users: UserSeed[]): DirectoryTenant {
  const initialDomain = domains[0] ?? `${id}.onmicrosoft.com`;
  return { id, displayName, domains, kind, users: users.map((u) => user(initialDomain, u)) };
}

export function buildDirectory(extraRedirectUris: string[] = []): Directory {
  const mssp = tenant(
    "mssp",
    MSSP_TENANT_ID,
    "Northwind Cyber Defense",
    ["northwindcyber.onmicrosoft.com", "northwindcyber.example"],
    [
      ["a1f4c2d8-3b5e-4c7a-9d1f-2e6b8a0c4d11", "Amelia Adams", "amelia.admin", "SOC Manager", true, ["Portal.Admin"]],
      ["b2e5d3c9-4c6f-4d8b-8e2a-3f7c9b1d5e22", "Arjun Patel", "arjun.analyst", "Security Analyst", false, ["Portal.Analyst"]],
      ["c3d6e4fa-5d7a-4e9c-9f3b-4a8dac2e6f33", "Zoë Ångström", "zoe.angstrom", "Senior Security Analyst", false, ["Portal.Analyst"]],
      ["d4c7f50b-6e8b-4fad-8a4c-5b9ebd3f7a44", "Rosa Reyes", "rosa.reader", "Account Manager", false, ["Portal.Reader"]],
      // For tests that need a person no other test signs in as (web-hardening.spec.ts exports as her). A
      // Reader, so the generated incidents' assignees (drawn from Analysts and Admins) stay as they were.
      ["f6c9b72d-8a0d-4b1f-9c6e-7d0fce4b8c66", "Ines Øverby", "ines.overby", "Auditor", false, ["Portal.Reader"]],
      ["e5b8a61c-7f9c-4abe-9b5d-6cafce4a8b55", "Noah Nguyen", "noah.norole", "Intern", false, []],
    ],
  );

  const customers = [
    tenant(
      "customer",
      "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61",
      "Contoso Manufacturing",
      ["contosomfg.onmicrosoft.com", "contoso-manufacturing.example"],
      [
        ["11c2a7e4-0a1b-4c2d-8e3f-10a1b2c3d401", "Megan Bowen", "megan.bowen", "IT Director", true],
        ["11c2a7e4-0a1b-4c2d-8e3f-10a1b2c3d402", "Diego Siciliani", "diego.siciliani", "Plant Engineer", false],
        ["11c2a7e4-0a1b-4c2d-8e3f-10a1b2c3d403", "Lidia Holloway", "lidia.holloway", "Accountant", false],
      ],
    ),
    tenant(
      "customer",
      "1c8e0b4f-32d5-4a7b-9f6e-8d2a4b0c3f72",
      "Fabrikam Health",
      ["fabrikamhealth.onmicrosoft.com", "fabrikam-health.example"],
      [
        ["22d3b8f5-1b2c-4d3e-9f4a-21b2c3d4e502", "Isaiah Langer", "isaiah.langer", "CISO", true],
        ["22d3b8f5-1b2c-4d3e-9f4a-21b2c3d4e503", "Adele Vance", "adele.vance", "Global Administrator", true],
        ["22d3b8f5-1b2c-4d3e-9f4a-21b2c3d4e504", "Dr. Björn Þórsson", "bjorn.thorsson", "Cardiologist", false],
      ],
    ),
    tenant(
      "customer",
      "2d9f1c5a-43e6-4b8c-8a7f-9e3b5c1d4a83",
      "Woodgrove Bank",
      ["woodgrovebank.onmicrosoft.com", "woodgrove.example"],
      [
        ["33e4c9a6-2c3d-4e4f-8a5b-32c3d4e5f603", "Johanna Lorenz", "johanna.lorenz", "Head of IT Security", true],
        ["33e4c9a6-2c3d-4e4f-8a5b-32c3d4e5f604", "Grady Archie", "grady.archie", "Teller", false],
      ],
    ),
    tenant(
      "customer",
      "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94",
      "Tailspin Toys",
      ["tailspintoys.onmicrosoft.com", "tailspin-toys.example"],
      [
        ["44f5dab7-3d4e-4f5a-9b6c-43d4e5f6a704", "Lee Gu", "lee.gu", "IT Manager", true],
        ["44f5dab7-3d4e-4f5a-9b6c-43d4e5f6a705", "佐藤 花子", "hanako.sato", "東京支社 Sales", false],
      ],
    ),
    tenant(
      "customer",
      "4f1b3e7c-65a8-4dae-8c9b-1a5d7e3f6ca5",
      "Litware Legal",
      ["litwarelegal.onmicrosoft.com", "litware-legal.example"],
      [
        ["55a6ebc8-4e5f-4a6b-8c7d-54e5f6a7b805", "Nestor Wilke", "nestor.wilke", "Managing Partner", true],
        ["55a6ebc8-4e5f-4a6b-8c7d-54e5f6a7b806", "Miriam Graham", "miriam.graham", "Paralegal", false],
      ],
    ),
    tenant(
      "customer",
      "5a2c4f8d-76b9-4ebf-9dac-2b6e8f4a7db6",
      "Adatum Energy",
      ["adatumenergy.onmicrosoft.com", "adatum-energy.example"],
      [
        ["66b7fcd9-5f6a-4b7c-9d8e-65f6a7b8c906", "Pradeep Gupta", "pradeep.gupta", "OT Security Lead", true],
        ["66b7fcd9-5f6a-4b7c-9d8e-65f6a7b8c907", "Christie Cline", "christie.cline", "Global Administrator", true],
        ["66b7fcd9-5f6a-4b7c-9d8e-65f6a7b8c908", "Alex Wilber", "alex.wilber", "Field Technician", false],
      ],
    ),
  ];

  return {
    mssp,
    customers,
    app: {
      clientId: MSSP_CLIENT_ID,
      displayName: "Northwind MSSP Portal",
      publisherName: "Northwind Cyber Defense",
      homeTenantId: MSSP_TENANT_ID,
      secrets: [
        { id: "8d0f3b1a-9c2e-4f5d-a6b7-c8d9e0f1a2b3", hint: "Nwp", value: MSSP_CLIENT_SECRET, expiresAt: "2099-12-31T00:00:00Z" },
        { id: "9e1a4c2b-0d3f-4a6e-b7c8-d9e0f1a2b3c4", hint: "Nwp", value: MSSP_EXPIRED_CLIENT_SECRET, expiresAt: "2023-06-30T00:00:00Z" },
      ],
      extraRedirectUris,
    },
  };
}

export function allTenants(directory: Directory): DirectoryTenant[] {
  return [directory.mssp, ...directory.customers];
}

/** Resolves a tenant path segment (GUID or verified domain, case-insensitive) to a tenant. */
export function findTenant(directory: Directory, idOrDomain: string): DirectoryTenant | undefined {
  const key = idOrDomain.toLowerCase();
  return allTenants(directory).find((t) => t.id === key || t.domains.includes(key));
}

export function findUser(directory: Directory, userId: string): { tenant: DirectoryTenant; user: DirectoryUser } | undefined {
  for (const t of allTenants(directory)) {
    const u = t.users.find((candidate) => candidate.id === userId);
    if (u) return { tenant: t, user: u };
  }
  return undefined;
}
