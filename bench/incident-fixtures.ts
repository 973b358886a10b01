// Realistic incidents for seeding the store directly: the emulator's own generator in Microsoft
// Graph's shape (what `GET /v1.0/security/incidents?$expand=alerts` answers with the Prefer header),
// read through the parser and mapping the Graph sync uses, so rows, `raw` and entity values match
// what a sync stores.
import { generateTenantIncidents } from "../emulator/seed-incidents";
import { graphIncident } from "../emulator/graph-shape";
import type { DirectoryTenant } from "../emulator/model";
import { parseGraphIncident } from "../server/microsoft/graph-incident";
import { toIncidentRecord, type IncidentRecord } from "../server/incidents/incident-record";
import { BENCH_ANALYSTS, BENCH_SEED } from "./bench-tenants";

/**
 * One alert per incident, as the Defender-era queue bench had, so the cases stay comparable; with
 * Graph's evidence `raw` is about 4.6 KB instead of 3.3 KB (all alerts: about 9 KB).
 */
const MAX_ALERTS = 1;

/** What the Graph client sends (`Prefer: include-unknown-enum-members`) and asks for (`$expand=alerts`). */
const GRAPH_VIEW = { includeUnknownEnumMembers: true, expandAlerts: true };

export function tenantIncidentRecords(input: { tenant: DirectoryTenant; count: number; epochMs: number; syncedAt: Date }): {
  records: IncidentRecord[];
  rawBytes: number;
} {
  const { tenant, count, epochMs, syncedAt } = input;
  const analysts = [...BENCH_ANALYSTS, ...tenant.users.filter((u) => u.isGlobalAdmin).map((u) => u.userPrincipalName)];
  const generated = generateTenantIncidents({ seed: BENCH_SEED, epochMs, count, ctx: { tenant, analysts } });
  const records: IncidentRecord[] = [];
  let rawBytes = 0;
  for (const incident of generated) {
    const view = graphIncident(incident, tenant.id, GRAPH_VIEW);
    // JSON round trip: the record exactly as the API would send it.
    const text = JSON.stringify({ ...view, alerts: (view.alerts as unknown[]).slice(0, MAX_ALERTS) });
    rawBytes += Buffer.byteLength(text);
    const parsed = parseGraphIncident(JSON.parse(text));
    if (!parsed.ok) throw new Error(`generated incident is malformed: ${parsed.malformed.problem}`);
    records.push(toIncidentRecord({ tenantId: tenant.id, incident: parsed.incident, syncedAt }));
  }
  return { records, rawBytes };
}
