import "server-only";
import { getDb } from "../services";
import type { AuditFilters } from "./audit-filters";

export type AuditEventRow = {
  id: string;
  occurredAt: Date;
  actorType: string;
  actorName: string | null;
  action: string;
  outcome: string;
  tenantId: string | null;
  targetId: string | null;
  reason: string | null;
  ipAddress: string | null;
  /** The event's details as label and text (e.g. Microsoft's error text of a declined consent). */
  details: { key: string; value: string }[];
};

function detailPairs(details: unknown): AuditEventRow["details"] {
  if (typeof details !== "object" || details === null || Array.isArray(details)) return [];
  return Object.entries(details as Record<string, unknown>)
    .filter(([, value]) => value !== null && value !== undefined && value !== "")
    .map(([key, value]) => ({ key, value: typeof value === "string" ? value : JSON.stringify(value) }));
}

const PAGE_SIZE = 50;

/** Newest first, keyset-paged by id (ids only grow), filters applied in the query. */
export async function listAuditEvents({ filters }: { filters: AuditFilters }): Promise<{ rows: AuditEventRow[]; nextBefore: string | null }> {
  const db = await getDb();
  const rows = await db.auditEvent.findMany({
    where: {
      ...(filters.action ? { action: { startsWith: filters.action } } : {}),
      ...(filters.outcome ? { outcome: filters.outcome } : {}),
      ...(filters.tenant ? { tenantId: filters.tenant } : {}),
      ...(filters.q
        ? {
            OR: [
              { actorName: { contains: filters.q, mode: "insensitive" } },
              { reason: { contains: filters.q, mode: "insensitive" } },
              { targetId: { contains: filters.q } },
            ],
          }
        : {}),
      ...(filters.before ? { id: { lt: BigInt(filters.before) } } : {}),
    },
    orderBy: { id: "desc" },
    take: PAGE_SIZE + 1,
    select: {
      id: true,
      occurredAt: true,
      actorType: true,
      actorName: true,
      action: true,
      outcome: true,
      tenantId: true,
      targetId: true,
      reason: true,
      ipAddress: true,
      details: true,
    },
  });
  const page = rows.slice(0, PAGE_SIZE).map((row) => ({ ...row, id: row.id.toString(), details: detailPairs(row.details) }));
  return { rows: page, nextBefore: rows.length > PAGE_SIZE ? (page.at(-1)?.id ?? null) : null };
}
