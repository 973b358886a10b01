// Reading the service-level policies (issue #11): the MSSP's default and each customer's exceptions
// and working hours, merged into what one tenant's clocks run on. Used by the write path of
// incidents (inside its transaction), the queue, the incident page and the policy page.
import type { Prisma, PrismaClient } from "../../prisma/generated/client/client";
import {
  DEFAULT_SERVICE_LEVEL_POLICY,
  mergeServiceLevelPolicy,
  validateBusinessHours,
  type BusinessHours,
  type ServiceLevelPolicy,
  type ServiceLevelPolicyOverride,
} from "../../lib/service-levels";
import type { ServiceLevelSettings } from "./due-times";

export const DEFAULT_SCOPE = "default";

type Reader = Prisma.TransactionClient | PrismaClient;

export type StoredPolicy = { scope: string; targets: unknown; businessHours: unknown; updatedAt: Date; updatedByName: string | null };

/**
 * A stored policy as the clocks use it. Policies are checked when saved (service-level-policy-actions),
 * so a row that no longer reads (edited by hand in the database) is a fault: it is reported by
 * throwing, never replaced silently by another policy.
 */
export function defaultPolicyOf(row: Pick<StoredPolicy, "targets"> | null): ServiceLevelPolicy {
  return mergeServiceLevelPolicy(DEFAULT_SERVICE_LEVEL_POLICY, (row?.targets ?? null) as ServiceLevelPolicyOverride | null);
}

export function tenantSettingsOf(base: ServiceLevelPolicy, row: Pick<StoredPolicy, "targets" | "businessHours"> | null): ServiceLevelSettings {
  const hours = (row?.businessHours ?? null) as BusinessHours | null;
  validateBusinessHours(hours);
  return { policy: mergeServiceLevelPolicy(base, (row?.targets ?? null) as ServiceLevelPolicyOverride | null), hours };
}

/** The settings each tenant's clocks run on (the default where a tenant has no exceptions). */
export async function loadServiceLevelSettings(db: Reader, tenantIds: string[]): Promise<Map<string, ServiceLevelSettings>> {
  const rows = await db.serviceLevelPolicyRecord.findMany({ where: { scope: { in: [DEFAULT_SCOPE, ...tenantIds] } } });
  const byScope = new Map(rows.map((row) => [row.scope, row]));
  const base = defaultPolicyOf(byScope.get(DEFAULT_SCOPE) ?? null);
  return new Map(tenantIds.map((id) => [id, tenantSettingsOf(base, byScope.get(id) ?? null)]));
}

export async function loadTenantServiceLevelSettings(db: Reader, tenantId: string): Promise<ServiceLevelSettings> {
  return (await loadServiceLevelSettings(db, [tenantId])).get(tenantId)!;
}
