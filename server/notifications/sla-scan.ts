// Service-level events come from time passing, not from a stored change: a periodic scan reads the
// incidents whose next due time (indexed `sla_next_due_at`) falls within the next hour or has just
// passed, and enqueues for the rules that want them. Keyed by the due time, so each (incident, rule,
// kind, due time) fires once whichever process scans, and a due time moved by a policy change fires again.
import { CLOSED_INCIDENT_STATUSES } from "../../lib/incident-status";
import type { PrismaClient } from "../../prisma/generated/client/client";
import { writeOutboxRows, type OutboxRow } from "./notification-outbox";
import { payloadFor, ruleWants, type IncidentEventKind } from "./notification-event";

export const DUE_SOON_MS = 60 * 60_000;
/** Breaches older than this are not announced (the portal was down, or the rule is new). */
export const BREACH_LOOKBACK_MS = 6 * 60 * 60_000;

const SELECT = {
  tenantId: true,
  incidentId: true,
  incidentName: true,
  status: true,
  severity: true,
  severityRank: true,
  assignedTo: true,
  classification: true,
  determination: true,
  lastUpdateTime: true,
  slaAcknowledgeDueAt: true,
  slaResolveDueAt: true,
  slaNextDueAt: true,
} as const;

export async function scanServiceLevelEvents(prisma: PrismaClient, input: { now: Date; batch?: number }): Promise<number> {
  const { now } = input;
  const batch = input.batch ?? 500;
  const rules = (
    await prisma.notificationRule.findMany({
      where: { enabled: true, events: { hasSome: ["sla_due_soon", "sla_breached"] } },
      select: { id: true, name: true, tenantIds: true, minSeverityRank: true, events: true, channelIds: true, createdAt: true },
    })
  ).filter((rule) => rule.channelIds.length > 0);
  if (rules.length === 0) return 0;
  const open = { status: { notIn: [...CLOSED_INCIDENT_STATUSES] } };
  const [breached, soon, tenants, syncStates, channels] = await Promise.all([
    prisma.incident.findMany({
      where: { slaNextDueAt: { gte: new Date(now.getTime() - BREACH_LOOKBACK_MS), lte: now }, ...open },
      orderBy: { slaNextDueAt: "desc" },
      take: batch,
      select: SELECT,
    }),
    prisma.incident.findMany({
      where: { slaNextDueAt: { gt: now, lte: new Date(now.getTime() + DUE_SOON_MS) }, ...open },
      orderBy: { slaNextDueAt: "asc" },
      take: batch,
      select: SELECT,
    }),
    prisma.tenant.findMany({ where: { status: { not: "offboarded" } }, select: { id: true, displayName: true } }),
    prisma.tenantSyncState.findMany({ select: { tenantId: true, backfillCompletedAt: true } }),
    prisma.notificationChannel.findMany({ where: { enabled: true }, select: { id: true } }),
  ]);
  const tenantName = new Map(tenants.map((tenant) => [tenant.id, tenant.displayName]));
  const live = new Set(channels.map((channel) => channel.id));
  // A breach before the portal watched the tenant (its first backfill) or before the rule existed is history, not news.
  const watchedSince = new Map(syncStates.map((state) => [state.tenantId, state.backfillCompletedAt]));
  const rows: OutboxRow[] = [];
  const candidates: [IncidentEventKind, (typeof breached)[number]][] = [
    ...breached.map((incident) => ["sla_breached", incident] as [IncidentEventKind, typeof incident]),
    ...soon.map((incident) => ["sla_due_soon", incident] as [IncidentEventKind, typeof incident]),
  ];
  for (const [kind, incident] of candidates) {
    const name = tenantName.get(incident.tenantId);
    if (name === undefined) continue;
    const since = watchedSince.get(incident.tenantId);
    if (kind === "sla_breached" && (!since || incident.slaNextDueAt < since)) continue;
    for (const rule of rules) {
      if (!ruleWants(rule, { tenantId: incident.tenantId, severityRank: incident.severityRank, kind })) continue;
      if (kind === "sla_breached" && incident.slaNextDueAt < rule.createdAt) continue;
      const payload = payloadFor({
        kind,
        tenantId: incident.tenantId,
        tenantName: name,
        incidentId: incident.incidentId,
        after: incident,
        before: null,
        changedFields: [],
        dueAt: incident.slaNextDueAt,
        now,
        ruleName: rule.name,
      });
      for (const channelId of rule.channelIds) {
        if (!live.has(channelId)) continue;
        rows.push({
          ruleId: rule.id,
          channelId,
          tenantId: incident.tenantId,
          incidentId: incident.incidentId,
          kind,
          occurrence: incident.slaNextDueAt.toISOString(),
          payload,
          nextAttemptAt: now,
        });
      }
    }
  }
  return prisma.$transaction((tx) => writeOutboxRows(tx, rows));
}
