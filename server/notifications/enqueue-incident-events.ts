// Turns the changes a transaction stored into outbox rows for the rules that want them, in that
// same transaction: the event and the incident's new version are committed together or not at all,
// so a crash neither loses a message nor makes one for a change that was rolled back.
import type { Prisma } from "../../prisma/generated/client/client";
import type { IncidentChange } from "../incidents/incident-change";
import { COALESCED_KINDS, COALESCE_WINDOW_MS, writeOutboxRows, type OutboxRow } from "./notification-outbox";
import { detectIncidentEvents, payloadFor, ruleWants } from "./notification-event";

export async function enqueueIncidentEvents(
  tx: Prisma.TransactionClient,
  input: {
    tenantId: string;
    changes: IncidentChange[];
    origin: "sync" | "portal";
    now: Date;
    /** The tenant's first backfill is still running (read from TenantSyncState when not given). */
    backfillRunning?: boolean;
  },
): Promise<number> {
  const { tenantId, changes, now } = input;
  if (changes.length === 0) return 0;
  const rules = (
    await tx.notificationRule.findMany({
      where: { enabled: true },
      select: { id: true, name: true, tenantIds: true, minSeverityRank: true, events: true, channelIds: true },
      orderBy: { createdAt: "asc" },
    })
  ).filter((rule) => rule.channelIds.length > 0 && (rule.tenantIds.length === 0 || rule.tenantIds.includes(tenantId)));
  if (rules.length === 0) return 0;

  let backfillRunning = input.backfillRunning ?? false;
  if (input.backfillRunning === undefined && changes.some((change) => change.before === null)) {
    const state = await tx.tenantSyncState.findUnique({ where: { tenantId }, select: { backfillCompletedAt: true } });
    backfillRunning = !state?.backfillCompletedAt;
  }
  const events = detectIncidentEvents({ changes, origin: input.origin, backfillRunning });
  if (events.length === 0) return 0;

  const channelIds = [...new Set(rules.flatMap((rule) => rule.channelIds))];
  const [channels, tenant] = await Promise.all([
    tx.notificationChannel.findMany({ where: { id: { in: channelIds }, enabled: true }, select: { id: true } }),
    tx.tenant.findUnique({ where: { id: tenantId }, select: { displayName: true } }),
  ]);
  const live = new Set(channels.map((channel) => channel.id));
  const rows: OutboxRow[] = [];
  for (const event of events) {
    const { change } = event;
    for (const rule of rules) {
      if (!ruleWants(rule, { tenantId, severityRank: change.after.severityRank, kind: event.kind })) continue;
      const payload = payloadFor({
        kind: event.kind,
        tenantId,
        tenantName: tenant?.displayName ?? tenantId,
        incidentId: change.incidentId,
        after: change.after,
        before: change.before,
        changedFields: event.changedFields,
        dueAt: null,
        now,
        ruleName: rule.name,
      });
      const nextAttemptAt = COALESCED_KINDS.includes(event.kind) ? new Date(now.getTime() + COALESCE_WINDOW_MS) : now;
      for (const channelId of rule.channelIds) {
        if (live.has(channelId))
          rows.push({
            ruleId: rule.id,
            channelId,
            tenantId,
            incidentId: change.incidentId,
            kind: event.kind,
            occurrence: event.occurrence,
            payload,
            nextAttemptAt,
          });
      }
    }
  }
  return writeOutboxRows(tx, rows);
}
