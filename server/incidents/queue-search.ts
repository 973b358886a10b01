import "server-only";
import type { Prisma } from "../../prisma/generated/client/client";
import { getDb } from "../services";
import { normaliseHash, normaliseIp, type IndicatorValue } from "../indicators/indicator-normalise";

/** The trigram index answers a pattern of at least 3 characters; shorter text is matched by a scan. */
export const SEARCH_MIN_INDEXED_LENGTH = 3;
/**
 * Above this many incidents whose entity values start with the text, the key list would cost more
 * than the subquery it replaces: the WHERE then carries the entity pattern itself.
 */
export const SEARCH_KEY_LIMIT = 10_000;

/**
 * How the queue applies the entity part of its text search:
 * - `entities`: the incidents with an entity or evidence value that starts with the text, found
 *   through the prefix index, by tenant (a whole IP or hash: that indicator or value exactly);
 * - `scan`: too short or too common for a key list, so the WHERE carries an EXISTS subquery.
 * The name and id part is always a `search_text LIKE` the trigram index answers by itself.
 */
export type TextSearch = { kind: "entities"; byTenant: Map<string, bigint[]> } | { kind: "scan" };

/** Escapes LIKE wildcards so a search for "50%" means the text "50%" (backslash is LIKE's escape). */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A search text that is a whole IP address or file hash: its normalised indicator. Such text is
 * looked up exactly (the indicator index, and entity values equal to it) instead of as a prefix, so
 * "10.1.2.3" finds that address, in any of its spellings, and not 10.1.2.30.
 */
export function indicatorShapedSearch(q: string): IndicatorValue | null {
  const text = q.trim();
  if (/^[0-9a-fA-F]+$/.test(text)) return normaliseHash(text);
  if (!/[.:]/.test(text)) return null;
  const ip = normaliseIp(text);
  return ip ? { type: "ip", value: ip } : null;
}

/**
 * Finds the incidents with an entity or evidence value (incident_entity.value, lower case) that
 * starts with the search text, from the text_pattern_ops btree on `value` (migration
 * 20261202100000_search_trigram_indexes), which a LIKE prefix pattern uses whatever the collation.
 * Resolve once per request and pass the result to queueWhere, so the page and its counts share it.
 */
export async function resolveTextSearch({ q, tenantIds }: { q: string; tenantIds: string[] }): Promise<TextSearch> {
  const text = q.toLowerCase();
  if (text.length < SEARCH_MIN_INDEXED_LENGTH) return { kind: "scan" };
  if (tenantIds.length === 0) return { kind: "entities", byTenant: new Map() };
  const db = await getDb();
  const indicator = indicatorShapedSearch(q);
  // An IP or a hash: equality on the indicator index (tenant, type, value) and on entity values
  // (fields the indicator extraction does not read), never a prefix range.
  const found = indicator
    ? await db.$queryRaw<{ tenant_id: string; incident_id: bigint }[]>`
        SELECT tenant_id, incident_id FROM incident_indicator
         WHERE tenant_id = ANY(${tenantIds}::text[]) AND indicator_type = ${indicator.type} AND value = ${indicator.value}
        UNION
        SELECT tenant_id, incident_id FROM incident_entity
         WHERE tenant_id = ANY(${tenantIds}::text[]) AND value = ${text.trim()}
        LIMIT ${SEARCH_KEY_LIMIT + 1}`
    : await db.$queryRaw<{ tenant_id: string; incident_id: bigint }[]>`
        SELECT DISTINCT tenant_id, incident_id FROM incident_entity
         WHERE tenant_id = ANY(${tenantIds}::text[]) AND value LIKE ${`${likeLiteral(text)}%`}
         LIMIT ${SEARCH_KEY_LIMIT + 1}`;
  if (found.length > SEARCH_KEY_LIMIT) return { kind: "scan" };
  const byTenant = new Map<string, bigint[]>();
  for (const row of found) {
    const ids = byTenant.get(row.tenant_id) ?? [];
    ids.push(BigInt(row.incident_id));
    byTenant.set(row.tenant_id, ids);
  }
  return { kind: "entities", byTenant };
}

/**
 * The queue's WHERE term for a search text: the name or id contains it (search_text, lower case,
 * from its trigram index), an entity value starts with it (the resolved keys, or a subquery), or it
 * is the incident's number. A whole IP or hash matches exactly (indicatorShapedSearch).
 */
export function textSearchWhere(q: string, search: TextSearch): Prisma.IncidentWhereInput {
  const text = q.toLowerCase();
  // The pattern is a literal: wildcards escaped.
  const or: Prisma.IncidentWhereInput[] = [{ searchText: { contains: likeLiteral(text) } }];
  if (search.kind === "entities") {
    for (const [tenantId, ids] of search.byTenant) or.push({ tenantId, incidentId: { in: ids } });
  } else {
    const indicator = indicatorShapedSearch(q);
    if (indicator) {
      or.push({ indicators: { some: { indicatorType: indicator.type, value: indicator.value } } }, { entities: { some: { value: text.trim() } } });
    } else {
      or.push({ entities: { some: { value: { startsWith: likeLiteral(text) } } } });
    }
  }
  if (/^\d{1,18}$/.test(text)) or.push({ incidentId: BigInt(text) });
  return { OR: or };
}
