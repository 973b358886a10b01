import "server-only";
import type { PrismaClient } from "../../prisma/generated/client/client";
import type { SourceIncident } from "../microsoft/source-incident";
import { toIncidentRecord } from "./incident-record";
import { storeIncidentRecords } from "./sync-store";

/**
 * Writes Microsoft's answer for one incident into the store at once (after an update or a fresh
 * GET), so the queue shows it without waiting for the next sync. The sync's own write path, so
 * the same rule holds: a version older than the stored one never overwrites it.
 */
export async function storeIncidentNow(prisma: PrismaClient, input: { tenantId: string; incident: SourceIncident; now: Date }): Promise<boolean> {
  const record = toIncidentRecord({ tenantId: input.tenantId, incident: input.incident, syncedAt: input.now });
  const { stored } = await prisma.$transaction((tx) => storeIncidentRecords(tx, { tenantId: input.tenantId, records: [record] }));
  return stored > 0;
}
