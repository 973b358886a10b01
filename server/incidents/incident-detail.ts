import "server-only";
import { refusalFor } from "../auth/capabilities";
import type { StaffSession } from "../auth/staff-session";
import { getDb } from "../services";
import { parseDefenderIncident } from "../microsoft/defender-incident";
import { parseGraphIncident } from "../microsoft/graph-incident";
import type { IncidentSource, SourceIncident } from "../microsoft/source-incident";
import { canUpdateIncidents, PERMISSIONS } from "../tenants/tenant-status";
import { sourceForTenant } from "./incident-api";
import { alertItems, commentItems, entityGroups, safeDefenderLink, type AlertItem, type CommentItem, type EntityGroup } from "./incident-detail-evidence";
import { isIncidentId, isTenantId } from "../../lib/ids";
import { incidentServiceLevel, type IncidentServiceLevel } from "../service-levels/incident-service-level";
import { parsePauses } from "../service-levels/incident-facts";
import { loadTenantServiceLevelSettings } from "../service-levels/service-level-settings";

export type IncidentDetail = {
  tenant: { id: string; displayName: string; status: string; canWrite: boolean };
  incidentId: string;
  incidentName: string;
  severity: string;
  status: string;
  classification: string | null;
  determination: string | null;
  assignedTo: string | null;
  tags: string[];
  /** Tags Microsoft set (Graph's systemTags): shown apart, never edited. */
  systemTags: string[];
  description: string | null;
  summary: string | null;
  resolvingComment: string | null;
  lastModifiedBy: string | null;
  /** The API this copy came from. */
  source: IncidentSource;
  /** The API changes go to now (the tenant's; determinations differ between them). */
  writeSource: IncidentSource;
  detectionSources: string[];
  redirectIncidentId: string | null;
  createdTime: Date;
  lastUpdateTime: Date;
  firstActivity: Date | null;
  lastActivity: Date | null;
  syncedAt: Date;
  dataAsOf: Date | null;
  alerts: AlertItem[];
  entities: EntityGroup[];
  comments: CommentItem[];
  /** The whole record as Microsoft sent it, pretty-printed, shown as text. */
  rawJson: string;
  defenderPortalUrl: string;
  /** Why this person cannot act here (role or tenant permission), or null. */
  actionsDisabledReason: string | null;
  /** Set when the tenant lacks the write permission: where an admin can issue a new consent link. */
  consentFixHref: string | null;
  /** Timeline of its handling and the service-level clocks, live. */
  serviceLevel: IncidentServiceLevel;
};

/** The stored record read back into the one model, by the adapter of the API it came from. */
export function parseStoredIncident(source: string, raw: unknown): SourceIncident | null {
  const parsed = source === "graph" ? parseGraphIncident(raw) : parseDefenderIncident(raw);
  return parsed.ok ? parsed.incident : null;
}

/** One incident from the store, or null (unknown, malformed id, or tenant offboarded). */
export async function getIncidentDetail({
  tenantId,
  incidentId,
  staff,
}: {
  tenantId: string;
  incidentId: string;
  staff: StaffSession;
}): Promise<IncidentDetail | null> {
  if (!isTenantId(tenantId) || !isIncidentId(incidentId)) return null;
  const db = await getDb();
  const tenant = await db.tenant.findFirst({
    where: { id: tenantId, status: { not: "offboarded" } },
    select: { id: true, displayName: true, status: true, grantedRoles: true, legacyRoles: true, incidentSource: true },
  });
  if (!tenant) return null;
  const [row, sync] = await Promise.all([
    db.incident.findUnique({
      where: { tenantId_incidentId: { tenantId: tenant.id, incidentId: BigInt(incidentId) } },
      select: {
        incidentName: true,
        severity: true,
        status: true,
        classification: true,
        determination: true,
        assignedTo: true,
        tags: true,
        detectionSources: true,
        redirectIncidentId: true,
        createdTime: true,
        lastUpdateTime: true,
        firstActivity: true,
        lastActivity: true,
        syncedAt: true,
        raw: true,
        source: true,
        systemTags: true,
        incidentUri: true,
        firstSeenAt: true,
        acknowledgedAt: true,
        acknowledgedBy: true,
        acknowledgedHow: true,
        resolvedAt: true,
        slaPauses: true,
      },
    }),
    db.tenantSyncState.findUnique({ where: { tenantId: tenant.id }, select: { lastSuccessAt: true } }),
  ]);
  const settings = await loadTenantServiceLevelSettings(db, tenant.id);
  if (!row) return null;
  const writeSource = sourceForTenant(tenant);
  const canWrite = writeSource !== null && canUpdateIncidents(writeSource === "graph" ? tenant.grantedRoles : tenant.legacyRoles, writeSource);
  const actionsDisabledReason =
    refusalFor(staff.role, "incident.update") ??
    (!canWrite
      ? `${tenant.displayName} has not granted ${PERMISSIONS[writeSource ?? "graph"].writeIncidents}, so the portal cannot update its incidents. An admin can send a new consent link from the tenant page.`
      : null);
  const { raw, redirectIncidentId, source, incidentUri, firstSeenAt, acknowledgedAt, acknowledgedBy, acknowledgedHow, resolvedAt, slaPauses, ...columns } = row;
  const parsed = parseStoredIncident(source, raw);
  // The store holds only readable records; should one not parse again, the page still shows its columns.
  const empty: Pick<SourceIncident, "alerts" | "comments" | "description" | "summary" | "resolvingComment" | "lastModifiedBy"> = {
    alerts: [],
    comments: [],
    description: null,
    summary: null,
    resolvingComment: null,
    lastModifiedBy: null,
  };
  const model = parsed ?? empty;
  return {
    ...columns,
    source: source === "graph" ? "graph" : "defender",
    writeSource: writeSource ?? "graph",
    description: model.description,
    summary: model.summary,
    resolvingComment: model.resolvingComment,
    lastModifiedBy: model.lastModifiedBy,
    tenant: { id: tenant.id, displayName: tenant.displayName, status: tenant.status, canWrite },
    incidentId,
    redirectIncidentId: redirectIncidentId === null ? null : redirectIncidentId.toString(),
    dataAsOf: sync?.lastSuccessAt ?? null,
    alerts: parsed ? alertItems(parsed) : [],
    entities: parsed ? entityGroups(parsed) : [],
    comments: parsed ? commentItems(parsed) : [],
    rawJson: JSON.stringify(raw, null, 2),
    // Graph's incidentWebUrl when it is a Defender portal link; else the documented form.
    defenderPortalUrl:
      safeDefenderLink(incidentUri) ?? `https://security.microsoft.com/incidents/${encodeURIComponent(incidentId)}?tid=${encodeURIComponent(tenant.id)}`,
    actionsDisabledReason,
    consentFixHref: refusalFor(staff.role, "incident.update") === null && !canWrite ? `/tenants/${tenant.id}` : null,
    serviceLevel: incidentServiceLevel({
      incident: { ...columns, firstSeenAt, acknowledgedAt, acknowledgedBy, acknowledgedHow, resolvedAt, pauses: parsePauses(slaPauses) },
      settings,
      now: new Date(),
    }),
  };
}
