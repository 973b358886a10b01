import "server-only";
import type { PrismaClient } from "../../prisma/generated/client/client";
import type { DefenderIncident } from "../microsoft/defender-incident";
import { toIncidentRecord } from "./incident-record";

/**
 * Writes Defender's answer for one incident into the store at once (after a PATCH or a fresh GET),
 * so the queue shows it without waiting for the next sync. Same rule as the sync: a version older
 * than the stored one never overwrites it.
 */
export async function storeIncidentNow(prisma: PrismaClient, input: { tenantId: string; incident: DefenderIncident; now: Date }): Promise<boolean> {
  const record = toIncidentRecord({ tenantId: input.tenantId, incident: input.incident, syncedAt: input.now });
  const incidentId = BigInt(input.incident.incidentId);
  return prisma.$transaction(async (tx) => {
    const stored = await tx.incident.findUnique({ where: { tenantId_incidentId: { tenantId: input.tenantId, incidentId } }, select: { lastUpdateTime: true } });
    if (stored && stored.lastUpdateTime > input.incident.lastUpdateTime) return false;
    await tx.incidentEntity.deleteMany({ where: { tenantId: input.tenantId, incidentId } });
    await tx.incident.deleteMany({ where: { tenantId: input.tenantId, incidentId } });
    await tx.incident.create({ data: record.incident });
    if (record.entities.length > 0) {
      await tx.incidentEntity.createMany({ data: record.entities.map((e) => ({ tenantId: input.tenantId, incidentId, entityType: e.entityType, value: e.value })), skipDuplicates: true });
    }
    return true;
  });
}
