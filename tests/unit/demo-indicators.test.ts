import { describe, expect, it } from "vitest";
import { buildDirectory } from "@/emulator/seed-directory";
import { CAMPAIGN } from "@/emulator/seed-entities";
import { defaultIncidentCount, generateTenantIncidents } from "@/emulator/seed-incidents";
import { graphIncident } from "@/emulator/graph-shape";
import { DEFAULT_SEED } from "@/emulator/start-emulator";
import { parseGraphIncident } from "@/server/microsoft/graph-incident";
import { classifyIndicators, incidentIndicatorValues } from "@/server/indicators/incident-indicators";

// Demo mode's Indicators page is not empty: the emulator's seeded customers (as the state store
// generates them) meet one campaign, its public IP and its loader's hash, in two or more customers.
describe("the demo's shared indicators", () => {
  it("at least two seeded customers hold the campaign's public IP and its SHA-256, both correlated", () => {
    const directory = buildDirectory();
    const msspAnalysts = directory.mssp.users
      .filter((u) => u.appRoles.includes("Portal.Analyst") || u.appRoles.includes("Portal.Admin"))
      .map((u) => u.userPrincipalName);
    const holders = { ip: new Set<string>(), sha256: new Set<string>() };
    for (const tenant of directory.customers) {
      const analysts = [...msspAnalysts, ...tenant.users.filter((u) => u.isGlobalAdmin).map((u) => u.userPrincipalName)];
      const count = defaultIncidentCount(DEFAULT_SEED, tenant.id);
      for (const generated of generateTenantIncidents({ seed: DEFAULT_SEED, epochMs: Date.UTC(2026, 0, 1), count, ctx: { tenant, analysts } })) {
        const parsed = parseGraphIncident(
          JSON.parse(JSON.stringify(graphIncident(generated, tenant.id, { includeUnknownEnumMembers: true, expandAlerts: true }))),
        );
        if (!parsed.ok) throw new Error(parsed.malformed.problem);
        for (const indicator of classifyIndicators(incidentIndicatorValues(parsed.incident), null)) {
          if (indicator.type === "ip" && indicator.value === CAMPAIGN.ip && indicator.excludedReason === null) holders.ip.add(tenant.id);
          if (indicator.type === "sha256" && indicator.value === CAMPAIGN.sha256 && indicator.excludedReason === null) holders.sha256.add(tenant.id);
        }
      }
    }
    expect(holders.ip.size).toBeGreaterThanOrEqual(2);
    expect(holders.sha256.size).toBeGreaterThanOrEqual(2);
  });
});
