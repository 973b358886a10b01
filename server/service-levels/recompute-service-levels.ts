import "server-only";
import { CLOSED_INCIDENT_STATUSES } from "../../lib/incident-status";
import type { PrismaClient } from "../../prisma/generated/client/client";
import { serviceLevelColumns } from "./due-times";
import { parsePauses } from "./incident-facts";
import { loadServiceLevelSettings } from "./service-level-settings";

const BATCH = 500;

/**
 * After a policy change: the due times of every open incident of these tenants, computed again
 * under the policy now stored (closed incidents keep the targets they were measured against).
 * Batches by key, one UPDATE per batch; returns how many incidents were updated.
 */
export async function recomputeServiceLevels(db: PrismaClient, input: { tenantIds: string[]; now: Date }): Promise<number> {
  const settings = await loadServiceLevelSettings(db, input.tenantIds);
  let updated = 0;
  for (const tenantId of input.tenantIds) {
    const tenantSettings = settings.get(tenantId)!;
    let after: bigint | null = null;
    for (;;) {
      const rows: Array<{
        incidentId: bigint;
        severity: string;
        status: string;
        createdTime: Date;
        acknowledgedAt: Date | null;
        resolvedAt: Date | null;
        slaPauses: unknown;
      }> = await db.incident.findMany({
        where: { tenantId, status: { notIn: [...CLOSED_INCIDENT_STATUSES] }, ...(after === null ? {} : { incidentId: { gt: after } }) },
        orderBy: { incidentId: "asc" },
        take: BATCH,
        select: { incidentId: true, severity: true, status: true, createdTime: true, acknowledgedAt: true, resolvedAt: true, slaPauses: true },
      });
      if (rows.length === 0) break;
      const columns = rows.map((row) =>
        serviceLevelColumns(
          row,
          { acknowledgedAt: row.acknowledgedAt, resolvedAt: row.resolvedAt, pauses: parsePauses(row.slaPauses) },
          tenantSettings,
          input.now,
        ),
      );
      // Arrays go as text and are cast in SQL: the same on PGlite and PostgreSQL. Timestamps are UTC.
      updated += await db.$executeRaw`
        UPDATE "incident" AS i SET
          "sla_acknowledge_due_at" = v.ack::timestamp,
          "sla_resolve_due_at" = v.res::timestamp,
          "sla_next_due_at" = v.nxt::timestamp
        FROM unnest(${rows.map((r) => r.incidentId.toString())}::text[], ${columns.map((c) => c.slaAcknowledgeDueAt?.toISOString() ?? null)}::text[],
                    ${columns.map((c) => c.slaResolveDueAt?.toISOString() ?? null)}::text[], ${columns.map((c) => c.slaNextDueAt.toISOString())}::text[])
          AS v(id, ack, res, nxt)
        WHERE i."tenant_id" = ${tenantId} AND i."incident_id" = v.id::bigint`;
      after = rows.at(-1)!.incidentId;
      if (rows.length < BATCH) break;
    }
  }
  return updated;
}
