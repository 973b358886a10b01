// The cross-tenant indicators at the bench's size: seeding fills the indicator tables in bulk (as
// the migration's backfill does), then the Indicators page query and the incident page's "also
// seen in" are timed through their own server functions.
import type { PrismaClient } from "../prisma/generated/client/client";
import type { IncidentRecord } from "../server/incidents/incident-record";
import { classifyIndicators } from "../server/indicators/incident-indicators";
import { parseIndicatorFilters } from "../server/indicators/indicator-filters";
import { listSharedIndicators } from "../server/indicators/shared-indicators";
import { listIncidentIndicators } from "../server/indicators/incident-correlations";
import { measure, type Timing } from "./stats";

export type IndicatorCaseResult = { name: string; rows: number; total: number; timing: Timing };

/** The per-incident rows of one batch of records (the write path's classification, without its per-store upkeep). */
export function indicatorRows(records: IncidentRecord[]): Record<string, string | number | null>[] {
  return records.flatMap((r) => {
    const i = r.incident;
    const firstSeen = new Date(i.firstActivity ?? i.createdTime).toISOString();
    const lastSeen = new Date(i.lastActivity ?? i.createdTime).toISOString();
    return classifyIndicators(r.indicators, null).map((x) => ({
      tenant_id: i.tenantId,
      incident_id: String(i.incidentId),
      indicator_type: x.type,
      value: x.value,
      excluded_reason: x.excludedReason,
      severity_rank: i.severityRank,
      first_seen: firstSeen,
      last_seen: lastSeen,
    }));
  });
}

/** After the incidents are in: each tenant's view and the spread, in two grouped statements. */
export async function rollUpIndicators(prisma: PrismaClient): Promise<void> {
  await prisma.$executeRawUnsafe(`
    INSERT INTO tenant_indicator (indicator_type, value, tenant_id, correlated, incident_count, first_seen, last_seen, severity_rank)
    SELECT indicator_type, value, tenant_id, bool_and(excluded_reason IS NULL), count(*), min(first_seen), max(last_seen), max(severity_rank)
    FROM incident_indicator GROUP BY indicator_type, value, tenant_id`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO indicator_spread (indicator_type, value, tenant_count)
    SELECT indicator_type, value, count(*) FROM tenant_indicator WHERE correlated GROUP BY indicator_type, value`);
}

export async function measureIndicatorCases(
  prisma: PrismaClient,
  opts: { warmup: number; samples: number },
  progress: (line: string) => void,
): Promise<IndicatorCaseResult[]> {
  const now = new Date();
  const results: IndicatorCaseResult[] = [];
  for (const c of [
    { name: "Indicators page, 30 days", query: "period=30" },
    { name: "Indicators page, 90 days, by customers", query: "period=90&sort=tenants" },
    { name: "Indicators page, 90 days, IPs containing “185.”", query: "period=90&type=ip&q=185." },
  ]) {
    const filters = parseIndicatorFilters(new URLSearchParams(c.query));
    const sample = await listSharedIndicators({ filters, now });
    results.push({ name: c.name, rows: sample.rows.length, total: sample.total, timing: await measure(() => listSharedIndicators({ filters, now }), opts) });
    progress(`indicators: ${c.name}: p95 ${results.at(-1)!.timing.p95.toFixed(1)} ms (${sample.total} shared)`);
  }
  // The incident page of an incident holding the most widely shared value.
  const [target] = await prisma.$queryRawUnsafe<{ tenant_id: string; incident_id: bigint }[]>(`
    SELECT ii.tenant_id, ii.incident_id FROM indicator_spread s
    JOIN incident_indicator ii ON ii.indicator_type = s.indicator_type AND ii.value = s.value
    ORDER BY s.tenant_count DESC, ii.last_seen DESC LIMIT 1`);
  if (target) {
    const input = { tenantId: target.tenant_id, incidentId: BigInt(target.incident_id) };
    const sample = await listIncidentIndicators(input);
    results.push({
      name: "Incident page, also seen in (an incident with the most shared value)",
      rows: sample.length,
      total: sample.filter((i) => i.otherTenantCount > 0).length,
      timing: await measure(() => listIncidentIndicators(input), opts),
    });
    progress(`indicators: incident page: p95 ${results.at(-1)!.timing.p95.toFixed(1)} ms`);
  }
  return results;
}
