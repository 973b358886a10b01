// Realistic incidents for seeding the store directly: the emulator's own generator, read through
// the same parser and mapping the sync uses, so rows and entity values match what a sync stores.
import { generateTenantIncidents } from "../emulator/seed-incidents";
import type { DirectoryTenant } from "../emulator/model";
import { parseDefenderIncident } from "../server/microsoft/defender-incident";
import { toIncidentRecord, type IncidentRecord } from "../server/incidents/incident-record";
import { BENCH_ANALYSTS, BENCH_SEED } from "./bench-tenants";

/** One alert per incident keeps `raw` near 3 KB (the generator's full alerts are 5+ KB each). */
const MAX_ALERTS = 1;

export function tenantIncidentRecords(input: { tenant: DirectoryTenant; count: number; epochMs: number; syncedAt: Date }): { records: IncidentRecord[]; rawBytes: number } {
  const { tenant, count, epochMs, syncedAt } = input;
  const analysts = [...BENCH_ANALYSTS, ...tenant.users.filter((u) => u.isGlobalAdmin).map((u) => u.userPrincipalName)];
  const generated = generateTenantIncidents({ seed: BENCH_SEED, epochMs, count, ctx: { tenant, analysts } });
  const records: IncidentRecord[] = [];
  let rawBytes = 0;
  for (const incident of generated) {
    // JSON round trip: the record exactly as the API would send it.
    const text = JSON.stringify({ ...incident, alerts: incident.alerts.slice(0, MAX_ALERTS) });
    rawBytes += Buffer.byteLength(text);
    const parsed = parseDefenderIncident(JSON.parse(text));
    if (!parsed.ok) throw new Error(`generated incident is malformed: ${parsed.malformed.problem}`);
    records.push(toIncidentRecord({ tenantId: tenant.id, incident: parsed.incident, syncedAt }));
  }
  return { records, rawBytes };
}
