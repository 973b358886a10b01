import "server-only";
import { recordAuditEvent } from "../audit/audit-event";
import type { StaffSession } from "../auth/staff-session";
import { getDb, logger } from "../services";
import {
  API_LABEL,
  isApiBadRequest,
  isApiForbidden,
  isApiMalformedResponse,
  isApiNotFound,
  isApiThrottled,
  isApiUnavailable,
  isMicrosoftApiError,
} from "../microsoft/api-errors";
import type { IncidentPatch, IncidentSource, SourceIncident } from "../microsoft/source-incident";
import { isTenantTokenError } from "../microsoft/token-errors";
import { reportTenantTokenFailure } from "../tenants/tenant-lifecycle";
import { canUpdateIncidents, PERMISSIONS } from "../tenants/tenant-status";
import { incidentApi, sourceForTenant } from "./incident-api";
import { determinationsFor, type IncidentChange } from "./update-incident-input";
import { storeIncidentNow } from "./incident-store";
import { utcClock } from "../../lib/time";

/** The fields a person changes, as Defender has them now. */
export type IncidentSnapshot = {
  status: string | null;
  assignedTo: string | null;
  classification: string | null;
  determination: string | null;
  tags: string[];
  lastUpdateTime: string;
};

export type UpdateOutcome =
  | { kind: "updated"; snapshot: IncidentSnapshot }
  /** Defender changed since the person looked: nothing was sent; they see this state and confirm again. */
  | { kind: "conflict"; snapshot: IncidentSnapshot }
  /** `fixHref` points where the problem can be fixed (the tenant page for a new consent link). */
  | { kind: "failed"; message: string; fixHref?: string };

function snapshotOf(incident: SourceIncident): IncidentSnapshot {
  return {
    status: incident.status,
    assignedTo: incident.assignedTo,
    classification: incident.classification,
    determination: incident.determination,
    tags: incident.customTags,
    lastUpdateTime: incident.lastUpdateTime.toISOString(),
  };
}

/** The PATCH body for a change; "me" becomes the person's own username. */
export function patchFor(change: IncidentChange, staff: Pick<StaffSession, "username">): IncidentPatch {
  switch (change.op) {
    case "assign":
      return { assignedTo: change.assignedTo === "me" ? staff.username : change.assignedTo === "" ? null : change.assignedTo };
    case "status":
      return { status: change.status };
    case "classify":
      return { classification: change.classification, determination: change.determination };
    case "comment":
      return { comment: change.comment };
    case "tags":
      return { customTags: change.tags };
  }
}

/** Audit details: each changed field as "before → after" (a comment only by length: it may hold customer data). */
function changeDetails(patch: IncidentPatch, before: IncidentSnapshot | null): Record<string, string | number | boolean | null> {
  const details: Record<string, string | number | boolean | null> = {};
  const was = (value: string | null | undefined) => value || "none";
  if (patch.status !== undefined) details.status = `${was(before?.status)} → ${patch.status}`;
  if (patch.assignedTo !== undefined) details.assignedTo = `${was(before?.assignedTo)} → ${was(patch.assignedTo)}`;
  if (patch.classification !== undefined) details.classification = `${was(before?.classification)} → ${patch.classification}`;
  if (patch.determination !== undefined) details.determination = `${was(before?.determination)} → ${patch.determination}`;
  if (patch.customTags !== undefined) details.tags = `${before?.tags.join(", ") || "none"} → ${patch.customTags.join(", ") || "none"}`;
  if (patch.comment !== undefined) details.commentChars = patch.comment.length;
  return details;
}

function describeFailure(error: unknown, tenantId: string): { message: string; fixHref?: string; reason: string } {
  const tenantPage = `/tenants/${tenantId}`;
  if (isTenantTokenError(error)) return { message: error.staffMessage, fixHref: tenantPage, reason: `token_${error.kind}` };
  if (!isMicrosoftApiError(error)) throw error;
  const api = API_LABEL[error.api];
  // Microsoft's request id lets staff (and Microsoft support) find the failed call.
  const ref = error.requestId ? ` (Microsoft request id ${error.requestId})` : "";
  const prefix = error.api === "graph" ? "graph" : "defender";
  if (isApiForbidden(error))
    return {
      message: `${api} refused the update: the portal lacks ${PERMISSIONS[error.api].writeIncidents} in this tenant. An admin can send the customer a new consent link from the tenant page.${ref}`,
      fixHref: tenantPage,
      reason: `${prefix}_forbidden`,
    };
  if (isApiNotFound(error))
    return { message: `This incident no longer exists in Microsoft Defender (it may have been merged into another).${ref}`, reason: `${prefix}_not_found` };
  if (isApiBadRequest(error)) return { message: `${api} refused the change: ${error.apiMessage}${ref}`, reason: `${prefix}_bad_request` };
  if (isApiThrottled(error))
    return { message: `${api}'s rate limit for this tenant is reached. Try again after ${utcClock(error.retryAt)}.`, reason: `${prefix}_throttled` };
  if (isApiUnavailable(error) || isApiMalformedResponse(error))
    return { message: `${api} did not answer properly. Nothing was changed by the portal; try again in a minute.${ref}`, reason: `${prefix}_unavailable` };
  throw error;
}

/**
 * One incident update: permission in that tenant, a fresh GET to catch changes made meanwhile,
 * the PATCH, then the store row from Defender's answer, and an audit event whatever the outcome.
 */
export async function applyIncidentUpdate(input: {
  staff: StaffSession;
  tenantId: string;
  incidentId: string;
  change: IncidentChange;
  /** What the person saw; defaults to the stored row's lastUpdateTime. */
  expectedLastUpdateTime?: string;
  ipAddress: string | null;
  bulk?: boolean;
}): Promise<UpdateOutcome> {
  const { staff, tenantId, incidentId, change, ipAddress } = input;
  const db = await getDb();
  const actor = { type: "staff" as const, id: staff.oid, name: staff.name };
  const audit = (outcome: "success" | "refused" | "failure", details: Record<string, string | number | boolean | null>, reason?: string) =>
    recordAuditEvent({
      actor,
      action: "incident.update",
      outcome,
      tenantId,
      targetId: incidentId,
      reason: reason ?? null,
      ipAddress,
      details: { operation: change.op, ...(input.bulk ? { bulk: true } : {}), ...details },
    });

  // Tenant scope in the query itself: an offboarded or unknown tenant finds nothing.
  const tenant = await db.tenant.findFirst({
    where: { id: tenantId, status: { not: "offboarded" } },
    select: { displayName: true, grantedRoles: true, legacyRoles: true, incidentSource: true },
  });
  const stored = tenant
    ? await db.incident.findUnique({ where: { tenantId_incidentId: { tenantId, incidentId: BigInt(incidentId) } }, select: { lastUpdateTime: true } })
    : null;
  const patch = patchFor(change, staff);
  if (!tenant || !stored) {
    await audit("refused", {}, "unknown_incident");
    return { kind: "failed", message: "This incident is not in the portal (unknown incident, or the tenant was offboarded)." };
  }
  const source: IncidentSource | null = sourceForTenant(tenant);
  if (!source) {
    await audit("refused", changeDetails(patch, null), "defender_api_retired");
    return {
      kind: "failed",
      message: `${tenant.displayName} consented only to the Defender XDR API, which Microsoft has turned off. An admin can send a new consent link from the tenant page.`,
      fixHref: `/tenants/${tenantId}`,
    };
  }
  if (!canUpdateIncidents(source === "graph" ? tenant.grantedRoles : tenant.legacyRoles, source)) {
    await audit("refused", changeDetails(patch, null), "write_permission_missing");
    return {
      kind: "failed",
      message: `${tenant.displayName} has not granted ${PERMISSIONS[source].writeIncidents}, so the portal can read but not update its incidents. An admin can send a new consent link from the tenant page.`,
      fixHref: `/tenants/${tenantId}`,
    };
  }
  if (
    patch.classification !== undefined &&
    patch.determination !== undefined &&
    !determinationsFor(patch.classification, source).includes(patch.determination)
  ) {
    await audit("refused", changeDetails(patch, null), "determination_not_valid");
    return { kind: "failed", message: `${API_LABEL[source]} does not accept this determination with that classification.` };
  }

  const client = incidentApi(source);
  const id = Number(incidentId);
  let before: IncidentSnapshot | null = null;
  try {
    const current = await client.getIncident({ tenantId, incidentId: id });
    before = snapshotOf(current);
    const expected = input.expectedLastUpdateTime ? new Date(input.expectedLastUpdateTime) : stored.lastUpdateTime;
    if (current.lastUpdateTime.getTime() > expected.getTime()) {
      // Someone changed it in Defender meanwhile: show that state instead of overwriting it blindly.
      await storeIncidentNow(db, { tenantId, incident: current, now: new Date() });
      await audit("failure", changeDetails(patch, before), "changed_in_defender");
      return { kind: "conflict", snapshot: before };
    }
    const updated = await client.updateIncident({ tenantId, incidentId: id, patch });
    await storeIncidentNow(db, { tenantId, incident: updated, now: new Date() });
    await audit("success", changeDetails(patch, before));
    return { kind: "updated", snapshot: snapshotOf(updated) };
  } catch (error) {
    const failure = describeFailure(error, tenantId);
    // A refused token says something about the tenant itself: its health learns of it at once.
    if (isTenantTokenError(error)) {
      await reportTenantTokenFailure({ tenantId, error }).catch((reportError: unknown) =>
        logger().error({ event: "incident.health_report_failed", tenantId, err: reportError }, "could not update tenant health"),
      );
    }
    logger().warn({ event: "incident.update_failed", tenantId, incidentId, reason: failure.reason }, "incident update failed");
    await audit("failure", changeDetails(patch, before), failure.reason);
    return { kind: "failed", message: failure.message, ...(failure.fixHref ? { fixHref: failure.fixHref } : {}) };
  }
}
