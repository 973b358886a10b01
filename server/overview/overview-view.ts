import "server-only";
import { getDb } from "../services";
import { visibleTenants, type VisibleTenant } from "../incidents/queue-where";
import { overviewKey, recentOverview } from "./overview-recent";
import { backlogSeries, attainment, dailyVolumes, pooledAttainment, type Attainment, type DailyVolume } from "./overview-buckets";
import { overviewPeriod, periodDayKeys, type OverviewFilters, type OverviewPeriod } from "./overview-filters";
import {
  backlogChanges,
  countOpenAndOverdue,
  countOpenedPerDay,
  countResolvedPerDay,
  tenantServiceLevels,
  topCategoriesAndTechniques,
  type TopRow,
} from "./overview-queries";

// The overview page (issue #11 §2): volumes, backlog and service levels per customer, and the
// most frequent alert categories and techniques, for a period and a set of visible tenants. Every
// figure is read from the local store; offboarded tenants are never in scope. The top lists read
// every incident of the period (its alert categories and techniques columns), not an index alone,
// so they load apart (the page streams them in after the rest).

export type CustomerServiceLevel = {
  tenantId: string;
  displayName: string;
  incidents: number;
  /** Seconds from creation; null when no incident of the period has taken the step. */
  acknowledge: { median: number | null; p90: number | null; sla: Attainment };
  resolve: { median: number | null; p90: number | null; sla: Attainment };
};

export type TopEntry = { name: string; incidents: number; tenants: number };

export type OverviewView = {
  /** Every visible tenant: the filter's choices. */
  tenants: { id: string; displayName: string }[];
  /** The tenants the figures cover (the chosen ones that are visible, or all). */
  scopedTenantCount: number;
  /** The period; `period.now` is when these figures were computed. */
  period: OverviewPeriod;
  /** Served from a computation for an earlier request (a large store's, at most a minute old apart from a refresh). */
  recent: boolean;
  headline: {
    open: number;
    overdue: number;
    openedInPeriod: number;
    resolvedInPeriod: number;
    sla: Attainment;
    acknowledgeSla: Attainment;
    resolveSla: Attainment;
  };
  daily: DailyVolume[];
  /** Open incidents at each day's end (today's: now). */
  backlog: { day: string; open: number }[];
  customers: CustomerServiceLevel[];
};

export type OverviewTopLists = { categories: TopEntry[]; techniques: TopEntry[] };

const top = (rows: TopRow[], kind: TopRow["kind"]): TopEntry[] =>
  rows.filter((r) => r.kind === kind).map(({ name, incidents, tenants }) => ({ name, incidents, tenants }));

const scopedOf = (filters: OverviewFilters, visible: VisibleTenant[]) =>
  filters.tenant.length ? visible.filter((t) => filters.tenant.includes(t.id)) : visible;

/** The visible tenants, those the filters choose among them (all when none is chosen), and the period. */
async function overviewScope(filters: OverviewFilters, now: Date, knownVisible?: VisibleTenant[]) {
  const visible = knownVisible ?? (await visibleTenants());
  const scoped = scopedOf(filters, visible);
  return { visible, scoped, scope: { db: await getDb(), tenantIds: scoped.map((t) => t.id), period: overviewPeriod(filters.days, now) } };
}

/**
 * The overview's figures. Without `now` (the page), a large scope may be served from a computation
 * up to a minute old (overview-recent.ts; `period.now` says when); with it, always computed.
 */
export async function loadOverview({ filters, now }: { filters: OverviewFilters; now?: Date }): Promise<OverviewView> {
  if (now) return computeOverview(filters, now);
  const visible = await visibleTenants();
  const tenantIds = scopedOf(filters, visible).map((t) => t.id);
  const { value, recent } = await recentOverview(overviewKey("figures", filters.days, tenantIds), tenantIds, () =>
    computeOverview(filters, new Date(), visible),
  );
  return { ...value, recent };
}

async function computeOverview(filters: OverviewFilters, now: Date, knownVisible?: VisibleTenant[]): Promise<OverviewView> {
  const { visible, scoped, scope } = await overviewScope(filters, now, knownVisible);
  const { period } = scope;
  const dayKeys = periodDayKeys(period);
  const [counts, opened, resolved, changes, service] = await Promise.all([
    countOpenAndOverdue(scope),
    countOpenedPerDay(scope),
    countResolvedPerDay(scope),
    backlogChanges(scope),
    tenantServiceLevels(scope),
  ]);

  const daily = dailyVolumes({ dayKeys, opened, resolved });
  const backlog = backlogSeries(changes, period.days).map((open, k) => ({ day: dayKeys[k]!, open }));
  const byTenant = new Map(service.map((row) => [row.tenantId, row]));
  const customers: CustomerServiceLevel[] = scoped
    .map((tenant) => {
      const row = byTenant.get(tenant.id);
      return {
        tenantId: tenant.id,
        displayName: tenant.displayName,
        incidents: row?.incidents ?? 0,
        acknowledge: { median: row?.ackMedian ?? null, p90: row?.ackP90 ?? null, sla: attainment(row?.ackMet ?? 0, row?.ackDecided ?? 0) },
        resolve: { median: row?.resolveMedian ?? null, p90: row?.resolveP90 ?? null, sla: attainment(row?.resolveMet ?? 0, row?.resolveDecided ?? 0) },
      };
    })
    .sort((a, b) => b.incidents - a.incidents || a.displayName.localeCompare(b.displayName, "en-US"));
  const acknowledgeSla = pooledAttainment(customers.map((c) => c.acknowledge.sla));
  const resolveSla = pooledAttainment(customers.map((c) => c.resolve.sla));

  return {
    tenants: visible.map(({ id, displayName }) => ({ id, displayName })),
    scopedTenantCount: scoped.length,
    period,
    recent: false,
    headline: {
      open: counts.open,
      overdue: counts.overdue,
      openedInPeriod: daily.reduce((sum, d) => sum + d.openedTotal, 0),
      resolvedInPeriod: daily.reduce((sum, d) => sum + d.resolved, 0),
      sla: pooledAttainment([acknowledgeSla, resolveSla]),
      acknowledgeSla,
      resolveSla,
    },
    daily,
    backlog,
    customers,
  };
}

/** The ten alert categories and MITRE techniques in the most incidents created in the period (recent or computed, as loadOverview). */
export async function loadOverviewTopLists({ filters, now }: { filters: OverviewFilters; now?: Date }): Promise<OverviewTopLists> {
  if (now) return computeTopLists(filters, now);
  const visible = await visibleTenants();
  const tenantIds = scopedOf(filters, visible).map((t) => t.id);
  return (await recentOverview(overviewKey("top", filters.days, tenantIds), tenantIds, () => computeTopLists(filters, new Date(), visible))).value;
}

async function computeTopLists(filters: OverviewFilters, now: Date, knownVisible?: VisibleTenant[]): Promise<OverviewTopLists> {
  const { scope } = await overviewScope(filters, now, knownVisible);
  const rows = await topCategoriesAndTechniques(scope);
  return { categories: top(rows, "category"), techniques: top(rows, "technique") };
}
