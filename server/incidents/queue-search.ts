import "server-only";
import type { Prisma } from "../../prisma/generated/client/client";
import { getDb } from "../services";

/** Trigram indexes answer a pattern of at least 3 characters; shorter text is matched by a scan. */
export const SEARCH_MIN_INDEXED_LENGTH = 3;
/**
 * Above this many matching incidents the key list would cost more than the scan it replaces
 * (a very common word): the queue then filters by the patterns themselves, as before.
 */
export const SEARCH_KEY_LIMIT = 10_000;

/**
 * How the queue applies its text search:
 * - `keys`: the matching incidents, found through the trigram indexes, by tenant;
 * - `scan`: too short or too common for a key list, so the WHERE carries the patterns.
 */
export type TextSearch = { kind: "keys"; byTenant: Map<string, bigint[]> } | { kind: "scan" };

/** Escapes LIKE wildcards so a search for "50%" means the text "50%" (backslash is LIKE's escape). */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Finds the incidents a search text matches, from the indexes only: the name or id contains it
 * (incident.search_text, lower case) or an entity or evidence value starts with it
 * (incident_entity.value, lower case). Both are GIN trigram indexes (migration
 * 20261202100000_search_trigram_indexes), which a LIKE pattern of 3+ characters uses whatever the
 * collation; the btree on `value` serves exact lookups elsewhere. Resolve once per request and pass
 * the result to queueWhere, so the page and its counts share one lookup.
 */
export async function resolveTextSearch({ q, tenantIds }: { q: string; tenantIds: string[] }): Promise<TextSearch> {
  const text = q.toLowerCase();
  if (text.length < SEARCH_MIN_INDEXED_LENGTH) return { kind: "scan" };
  if (tenantIds.length === 0) return { kind: "keys", byTenant: new Map() };
  const db = await getDb();
  const literal = likeLiteral(text);
  const found = await db.$queryRaw<{ tenant_id: string; incident_id: bigint }[]>`
    SELECT tenant_id, incident_id FROM incident
     WHERE tenant_id = ANY(${tenantIds}::text[]) AND search_text LIKE ${`%${literal}%`}
    UNION
    SELECT tenant_id, incident_id FROM incident_entity
     WHERE tenant_id = ANY(${tenantIds}::text[]) AND value LIKE ${`${literal}%`}
    LIMIT ${SEARCH_KEY_LIMIT + 1}`;
  if (found.length > SEARCH_KEY_LIMIT) return { kind: "scan" };
  const byTenant = new Map<string, bigint[]>();
  for (const row of found) {
    const ids = byTenant.get(row.tenant_id) ?? [];
    ids.push(BigInt(row.incident_id));
    byTenant.set(row.tenant_id, ids);
  }
  return { kind: "keys", byTenant };
}

/** The queue's WHERE term for a search text, from a resolved search (or the patterns, for a scan). */
export function textSearchWhere(q: string, search: TextSearch): Prisma.IncidentWhereInput {
  if (search.kind === "keys") {
    // No match is a filter that matches nothing, not an absent filter.
    if (search.byTenant.size === 0) return { tenantId: { in: [] } };
    return { OR: [...search.byTenant].map(([tenantId, ids]) => ({ tenantId, incidentId: { in: ids } })) };
  }
  const text = q.toLowerCase();
  const or: Prisma.IncidentWhereInput[] = [
    // searchText is the lower-cased name and id; the pattern is a literal, wildcards escaped.
    { searchText: { contains: likeLiteral(text) } },
    { entities: { some: { value: { startsWith: likeLiteral(text) } } } },
  ];
  if (/^\d{1,18}$/.test(text)) or.push({ incidentId: BigInt(text) });
  return { OR: or };
}
