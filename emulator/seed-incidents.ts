// Deterministic incident generation: the same seed, tenant and epoch always give the same incidents.
import { defenderTimeToMs, formatDefenderTime } from "./defender-time";
import type { Alert, DirectoryTenant, Incident, IncidentComment } from "./model";
import { ALERT_KINDS, COMMENT_TEXTS, DETERMINATIONS, INCIDENT_PATTERNS, INCIDENT_TAGS } from "./seed-incident-catalog";
import { buildDevice, buildEntity, ENTITY_TYPES } from "./seed-entities";
import { seedGraphExtras } from "./seed-graph-extras";
import { createSeededRandom, deriveSeed, type SeededRandom } from "./seeded-random";

const DAY_MS = 86_400_000;

export type IncidentContext = {
  tenant: DirectoryTenant;
  /** People who may appear in assignedTo / comments (MSSP analysts and the customer's admins). */
  analysts: string[];
};

export function incidentUri(incidentId: number, tenantId: string): string {
  return `https://security.microsoft.com/incidents/${incidentId}?tid=${tenantId}`;
}

/** Incident count for a tenant when none is configured: 120-400, fixed by the seed. */
export function defaultIncidentCount(seed: number, tenantId: string): number {
  return createSeededRandom(deriveSeed(seed, `count:${tenantId}`)).int(120, 400);
}

export function generateTenantIncidents(opts: { seed: number; epochMs: number; count: number; ctx: IncidentContext }): Incident[] {
  const { seed, epochMs, count, ctx } = opts;
  const r = createSeededRandom(deriveSeed(seed, `incidents:${ctx.tenant.id}`));
  let nextId = r.int(1_000, 90_000);
  // Creation times spread over the last 30 days; ids follow creation order like the real service.
  const created = Array.from({ length: count }, () => epochMs - r.int(2 * 3_600_000, 30 * DAY_MS)).sort((a, b) => a - b);
  const incidents: Incident[] = [];
  created.forEach((createdMs, index) => {
    const latest = epochMs - 60_000;
    const lastMs = Math.min(latest, createdMs + r.int(0, r.chance(0.5) ? 3_600_000 : 5 * DAY_MS));
    const incident = generateIncident(r, ctx, {
      // Gaps between ids, as in a real tenant where some incidents were merged away.
      incidentId: (nextId += r.int(1, 3)),
      createdMs,
      lastUpdateTime: formatDefenderTime(lastMs, r.int(0, 9999)),
      // Cycle the entity types so every tenant's data covers all of them.
      forcedEntityType: ENTITY_TYPES[index % ENTITY_TYPES.length] ?? "User",
    });
    if (incident.status === "Redirected" && incidents.length > 0) {
      incident.redirectIncidentId = r.pick(incidents).incidentId;
    }
    incident.graph = seedGraphExtras(seed, ctx.tenant.id, incident, ctx.analysts);
    incidents.push(incident);
  });
  return incidents;
}

export function generateIncident(
  r: SeededRandom,
  ctx: IncidentContext,
  opts: { incidentId: number; createdMs: number; lastUpdateTime: string; forcedEntityType?: string },
): Incident {
  const { tenant, analysts } = ctx;
  const pattern = r.pick(INCIDENT_PATTERNS);
  const severity = r.weighted(
    pattern.severities.map(([s]) => s),
    pattern.severities.map(([, w]) => w),
  );
  const status = r.weighted(["Active", "InProgress", "Resolved", "Redirected"], [45, 15, 35, 5]);
  let classification = "Unknown";
  let determination = "NotAvailable";
  if (status === "Resolved" || (status === "InProgress" && r.chance(0.3))) {
    classification = r.weighted(["TruePositive", "FalsePositive", "InformationalExpectedActivity"], [5, 2, 3]);
    determination = r.chance(0.1) ? "NotAvailable" : r.pick(DETERMINATIONS[classification] ?? ["Other"]);
  }
  const assignedTo = status === "Active" && r.chance(0.6) ? null : r.chance(0.15) ? null : r.pick(analysts);
  const multi = r.chance(0.5);
  const alertCount = Math.min(6, r.int(1, Math.max(1, pattern.alerts.length + 1)));
  const alerts: Alert[] = [];
  for (let i = 0; i < alertCount; i++) {
    const kindKey = pattern.alerts[i] ?? r.pick(pattern.alerts);
    alerts.push(buildAlert(r, ctx, opts.incidentId, opts.createdMs + i * r.int(10_000, 900_000), kindKey, status, i === 0 ? opts.forcedEntityType : undefined));
  }
  // Comments fall between creation and the last update, oldest first, as the API lists them.
  const lastMs = Math.max(opts.createdMs, defenderTimeToMs(opts.lastUpdateTime));
  const commentTimes = Array.from({ length: status === "Active" ? r.int(0, 1) : r.int(0, 3) }, () => r.int(opts.createdMs, lastMs)).sort((a, b) => a - b);
  const comments: IncidentComment[] = commentTimes.map((ms) => ({
    comment: r.pick(COMMENT_TEXTS),
    createdBy: r.chance(0.2) ? "Automation" : r.pick(analysts),
    createdTime: formatDefenderTime(ms, r.int(0, 9999)),
  }));
  return {
    incidentId: opts.incidentId,
    incidentUri: incidentUri(opts.incidentId, tenant.id),
    redirectIncidentId: null,
    incidentName: pattern.name.replace("{devices}", multi ? "multiple endpoints" : "one endpoint").replace("{users}", multi ? "multiple users" : "one user"),
    createdTime: formatDefenderTime(opts.createdMs, r.int(0, 9999)),
    lastUpdateTime: opts.lastUpdateTime,
    assignedTo,
    classification,
    determination,
    detectionSource: alerts[0]?.detectionSource ?? "EDR",
    status,
    severity,
    tags: r.chance(0.55) ? [] : r.sample(INCIDENT_TAGS, r.int(1, 3)),
    comments,
    alerts,
  };
}

function buildAlert(
  r: SeededRandom,
  ctx: IncidentContext,
  incidentId: number,
  creationMs: number,
  kindKey: string,
  incidentStatus: string,
  forcedEntityType: string | undefined,
): Alert {
  const kind = ALERT_KINDS[kindKey];
  if (!kind) throw new Error(`unknown alert kind ${kindKey}`);
  const devices = kind.onDevice ? Array.from({ length: r.int(1, 2) }, () => buildDevice(r, ctx.tenant, creationMs)) : [];
  const deviceId = devices[0]?.mdatpDeviceId ?? null;
  const entityTypes = forcedEntityType && !kind.entityTypes.includes(forcedEntityType) ? [...kind.entityTypes, forcedEntityType] : kind.entityTypes;
  const firstActivityMs = creationMs - r.int(60_000, 6 * 3_600_000);
  const resolved = incidentStatus === "Resolved";
  return {
    alertId: alertId(r, kind.serviceSource),
    incidentId,
    serviceSource: kind.serviceSource,
    creationTime: formatDefenderTime(creationMs, r.int(0, 9999)),
    lastUpdatedTime: formatDefenderTime(creationMs + r.int(1_000, 600_000), r.int(0, 9999)),
    resolvedTime: resolved ? formatDefenderTime(creationMs + r.int(600_000, 2 * DAY_MS)) : null,
    firstActivity: formatDefenderTime(firstActivityMs, r.int(0, 9999)),
    lastActivity: formatDefenderTime(creationMs - r.int(0, 60_000), r.int(0, 9999)),
    title: kind.title,
    description: r.chance(0.05) ? null : kind.description,
    category: kind.category,
    status: resolved ? "Resolved" : r.pick(["New", "New", "InProgress"]),
    severity: r.pick(["Informational", "Low", "Medium", "High"]),
    investigationId: kind.serviceSource === "MicrosoftDefenderForEndpoint" && r.chance(0.6) ? r.int(100, 9_999) : null,
    investigationState:
      kind.serviceSource === "MicrosoftDefenderForEndpoint"
        ? r.pick(["Queued", "Running", "Benign", "PendingApproval", "SuccessfullyRemediated", "UnsupportedAlertType"])
        : "UnsupportedAlertType",
    classification: resolved ? r.pick(["TruePositive", "FalsePositive", null]) : null,
    determination: null,
    detectionSource: kind.detectionSource,
    assignedTo: r.chance(0.7) ? null : r.pick(ctx.analysts),
    actorName: kind.actorName ?? null,
    threatFamilyName: kind.threatFamilyName ?? null,
    mitreTechniques: kind.mitreTechniques,
    devices,
    entities: entityTypes.map((type) => buildEntity(r, type, ctx.tenant, creationMs, deviceId)),
  };
}

function alertId(r: SeededRandom, serviceSource: string): string {
  switch (serviceSource) {
    case "MicrosoftDefenderForEndpoint":
      return `da${r.int(10_000_000, 99_999_999)}${r.int(1_000_000_000, 9_999_999_999)}_${r.int(-2_000_000_000, 2_000_000_000)}`;
    case "MicrosoftDefenderForOffice365":
      return `fa${r.guid()}`;
    case "MicrosoftCloudAppSecurity":
      return `ca${r.hex(32)}`;
    case "MicrosoftDefenderForIdentity":
      return `aa${r.guid()}`;
    case "AzureAdIdentityProtection":
      return `ad${r.hex(40)}`;
    default:
      return r.guid();
  }
}
