import "server-only";
import { Prisma } from "../../prisma/generated/client/client";
import type { ServiceLevelPolicyOverride, BusinessHours, ServiceLevelPolicy } from "../../lib/service-levels";
import { businessHoursText } from "../../lib/business-hours";
import { mergeServiceLevelPolicy, SERVICE_LEVEL_SEVERITIES } from "../../lib/service-levels";
import { UserFacingError } from "../../lib/errors";
import { recordAuditEvent } from "../audit/audit-event";
import type { StaffSession } from "../auth/staff-session";
import { getDb, logger } from "../services";
import { recomputeServiceLevels } from "./recompute-service-levels";
import { DEFAULT_SCOPE, defaultPolicyOf, tenantSettingsOf } from "./service-level-settings";

export class ServiceLevelScopeUnknown extends UserFacingError {
  constructor() {
    super("This customer is not onboarded (or was offboarded): its service levels cannot be changed.", "ServiceLevelScopeUnknown");
  }
}

export type PolicyScopeView = {
  scope: string;
  /** The customer's name, or null for the default. */
  tenantName: string | null;
  /** What the clocks run on (default merged with the customer's exceptions). */
  effective: ServiceLevelPolicy;
  /** The customer's own values (only what differs), or the stored default. */
  own: ServiceLevelPolicyOverride;
  /** The default the customer inherits from (for placeholders). */
  base: ServiceLevelPolicy;
  businessHours: BusinessHours | null;
  updatedAt: Date | null;
  updatedByName: string | null;
};

/** The default policy and, for each visible customer, whether it has exceptions (for the settings page). */
export async function listServiceLevelPolicies(): Promise<{
  defaultPolicy: PolicyScopeView;
  tenants: Array<{ id: string; displayName: string; custom: boolean; hoursText: string | null }>;
}> {
  const db = await getDb();
  const [rows, tenants] = await Promise.all([
    db.serviceLevelPolicyRecord.findMany(),
    db.tenant.findMany({ where: { status: { not: "offboarded" } }, select: { id: true, displayName: true }, orderBy: { displayName: "asc" } }),
  ]);
  const byScope = new Map(rows.map((r) => [r.scope, r]));
  const defaultRow = byScope.get(DEFAULT_SCOPE) ?? null;
  const base = defaultPolicyOf(defaultRow);
  return {
    defaultPolicy: {
      scope: DEFAULT_SCOPE,
      tenantName: null,
      effective: base,
      own: base,
      base,
      businessHours: null,
      updatedAt: defaultRow?.updatedAt ?? null,
      updatedByName: defaultRow?.updatedByName ?? null,
    },
    tenants: tenants.map((t) => {
      const row = byScope.get(t.id);
      const hours = (row?.businessHours ?? null) as BusinessHours | null;
      return { id: t.id, displayName: t.displayName, custom: Boolean(row), hoursText: hours ? businessHoursText(hours) : null };
    }),
  };
}

/** One customer's policy as its page shows it; null for an unknown or offboarded customer. */
export async function getTenantServiceLevelPolicy(tenantId: string): Promise<PolicyScopeView | null> {
  const db = await getDb();
  const tenant = await db.tenant.findFirst({ where: { id: tenantId, status: { not: "offboarded" } }, select: { id: true, displayName: true } });
  if (!tenant) return null;
  const rows = await db.serviceLevelPolicyRecord.findMany({ where: { scope: { in: [DEFAULT_SCOPE, tenant.id] } } });
  const base = defaultPolicyOf(rows.find((r) => r.scope === DEFAULT_SCOPE) ?? null);
  const row = rows.find((r) => r.scope === tenant.id) ?? null;
  const settings = tenantSettingsOf(base, row);
  return {
    scope: tenant.id,
    tenantName: tenant.displayName,
    effective: settings.policy,
    own: (row?.targets ?? {}) as ServiceLevelPolicyOverride,
    base,
    businessHours: settings.hours,
    updatedAt: row?.updatedAt ?? null,
    updatedByName: row?.updatedByName ?? null,
  };
}

function describe(targets: ServiceLevelPolicyOverride | ServiceLevelPolicy, hours: BusinessHours | null): string {
  const parts = SERVICE_LEVEL_SEVERITIES.flatMap((s) => {
    const t = targets[s];
    if (!t) return [];
    const fields = [
      t.acknowledgeMinutes !== undefined ? `ack ${t.acknowledgeMinutes ?? "none"}` : null,
      t.resolveMinutes !== undefined ? `resolve ${t.resolveMinutes ?? "none"}` : null,
    ].filter(Boolean);
    return fields.length ? [`${s} ${fields.join(", ")}`] : [];
  });
  const hoursText = hours ? `; hours ${hours.weekdays.join(",")} ${hours.start}-${hours.end} ${hours.timeZone}` : "";
  return (parts.join("; ") || "as the default") + hoursText;
}

/**
 * Stores a policy (the default, or a customer's exceptions and hours), audits the change with the
 * before and after, and computes the due times of the open incidents it governs again. A customer
 * with no exception left and 24×7 hours goes back to the default (its row is removed).
 */
export async function saveServiceLevelPolicy(input: {
  staff: StaffSession;
  scope: string;
  targets: ServiceLevelPolicyOverride;
  businessHours: BusinessHours | null;
  ipAddress: string | null;
  now?: Date;
}): Promise<{ recomputed: number }> {
  const db = await getDb();
  const now = input.now ?? new Date();
  const isDefault = input.scope === DEFAULT_SCOPE;
  const tenantIds = isDefault
    ? (await db.tenant.findMany({ where: { status: { not: "offboarded" } }, select: { id: true } })).map((t) => t.id)
    : (await db.tenant.findMany({ where: { id: input.scope, status: { not: "offboarded" } }, select: { id: true } })).map((t) => t.id);
  if (!isDefault && tenantIds.length === 0) throw new ServiceLevelScopeUnknown();
  // Checked as the clocks will read it: a value that cannot be used never reaches the store.
  const base = defaultPolicyOf(isDefault ? { targets: input.targets } : await db.serviceLevelPolicyRecord.findUnique({ where: { scope: DEFAULT_SCOPE } }));
  mergeServiceLevelPolicy(base, input.targets);
  const before = await db.serviceLevelPolicyRecord.findUnique({ where: { scope: input.scope } });
  const empty = !isDefault && Object.keys(input.targets).length === 0 && input.businessHours === null;
  const hours = input.businessHours === null ? Prisma.DbNull : (input.businessHours as unknown as Prisma.InputJsonObject);
  const data = { targets: input.targets as Prisma.InputJsonObject, businessHours: hours, updatedById: input.staff.oid, updatedByName: input.staff.name };
  if (empty) await db.serviceLevelPolicyRecord.deleteMany({ where: { scope: input.scope } });
  else await db.serviceLevelPolicyRecord.upsert({ where: { scope: input.scope }, create: { scope: input.scope, ...data }, update: data });
  const recomputed = await recomputeServiceLevels(db, { tenantIds, now });
  await recordAuditEvent({
    actor: { type: "staff", id: input.staff.oid, name: input.staff.name },
    action: "service_level.policy_changed",
    outcome: "success",
    tenantId: isDefault ? null : input.scope,
    targetId: input.scope,
    ipAddress: input.ipAddress,
    reason: empty ? "customer now follows the default" : null,
    details: {
      before: before ? describe(before.targets as ServiceLevelPolicyOverride, before.businessHours as BusinessHours | null) : "(none)",
      after: empty ? "(none)" : describe(input.targets, input.businessHours),
      recomputed,
    },
  });
  logger().info({ event: "service_level.policy_changed", scope: input.scope, recomputed }, "service-level policy changed");
  return { recomputed };
}
