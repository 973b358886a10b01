import "server-only";
import { roleAllows } from "../auth/roles";
import type { StaffSession } from "../auth/staff-session";
import { getDb } from "../db";
import { canUpdateIncidents } from "../tenants/tenant-status";
import { alertItems, commentItems, entityGroups, type AlertItem, type CommentItem, type EntityGroup } from "./incident-detail-evidence";

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
  /** The whole record as Defender sent it, pretty-printed, shown as text. */
  rawJson: string;
  defenderPortalUrl: string;
  /** Why this person cannot act here (role or tenant permission), or null. */
  actionsDisabledReason: string | null;
  /** Set when the tenant lacks the write permission: where an admin can issue a new consent link. */
  consentFixHref: string | null;
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** One incident from the store, or null (unknown, malformed id, or tenant offboarded). */
export async function getIncidentDetail({ tenantId, incidentId, staff }: { tenantId: string; incidentId: string; staff: StaffSession }): Promise<IncidentDetail | null> {
  if (!GUID.test(tenantId) || !/^\d{1,15}$/.test(incidentId)) return null;
  const db = await getDb();
  const tenant = await db.tenant.findFirst({ where: { id: tenantId, status: { not: "offboarded" } }, select: { id: true, displayName: true, status: true, grantedRoles: true } });
  if (!tenant) return null;
  const [row, sync] = await Promise.all([
    db.incident.findUnique({
      where: { tenantId_incidentId: { tenantId: tenant.id, incidentId: BigInt(incidentId) } },
      select: {
        incidentName: true, severity: true, status: true, classification: true, determination: true, assignedTo: true, tags: true,
        detectionSources: true, redirectIncidentId: true, createdTime: true, lastUpdateTime: true, firstActivity: true, lastActivity: true,
        syncedAt: true, raw: true,
      },
    }),
    db.tenantSyncState.findUnique({ where: { tenantId: tenant.id }, select: { lastSuccessAt: true } }),
  ]);
  if (!row) return null;
  const canWrite = canUpdateIncidents(tenant.grantedRoles);
  const roleOk = roleAllows(staff.role, "Analyst");
  const actionsDisabledReason = !roleOk
    ? "Read-only: updating incidents needs the Portal.Analyst or Portal.Admin role."
    : !canWrite
      ? `${tenant.displayName} has not granted Incident.ReadWrite.All, so the portal cannot update its incidents. An admin can send a new consent link from the tenant page.`
      : null;
  const { raw, redirectIncidentId, ...columns } = row;
  return {
    ...columns,
    tenant: { id: tenant.id, displayName: tenant.displayName, status: tenant.status, canWrite },
    incidentId,
    redirectIncidentId: redirectIncidentId === null ? null : redirectIncidentId.toString(),
    dataAsOf: sync?.lastSuccessAt ?? null,
    alerts: alertItems(raw),
    entities: entityGroups(raw),
    comments: commentItems(raw),
    rawJson: JSON.stringify(raw, null, 2),
    defenderPortalUrl: `https://security.microsoft.com/incidents/${encodeURIComponent(incidentId)}?tid=${encodeURIComponent(tenant.id)}`,
    actionsDisabledReason,
    consentFixHref: roleOk && !canWrite ? `/tenants/${tenant.id}` : null,
  };
}
