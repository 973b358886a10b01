// Writes outbox rows: one per (rule, channel, tenant, incident, event kind, occurrence), inserted
// with ON CONFLICT DO NOTHING on that unique key, so an event detected twice (a replayed page, two
// processes scanning due times) is one message. Changes of a kind that comes in bursts (changed
// outside the portal, reopened) fold into a message still waiting to go instead of adding one.
import type { Prisma } from "../../prisma/generated/client/client";
import type { IncidentEventKind, NotificationPayload } from "./notification-event";

export type OutboxRow = {
  ruleId: string;
  channelId: string;
  tenantId: string;
  incidentId: bigint;
  kind: IncidentEventKind;
  occurrence: string;
  payload: NotificationPayload;
  nextAttemptAt: Date;
};

/** Kinds whose messages wait a little, so a burst of edits in Defender becomes one message. */
export const COALESCED_KINDS: readonly IncidentEventKind[] = ["changed_outside", "reopened"];
export const COALESCE_WINDOW_MS = 30_000;

const keyOf = (row: { ruleId: string | null; channelId: string; tenantId: string; incidentId: bigint; kind: string }) =>
  `${row.ruleId}|${row.channelId}|${row.tenantId}|${row.incidentId}|${row.kind}`;

/** Returns how many new messages were enqueued (folded ones not counted). */
export async function writeOutboxRows(tx: Prisma.TransactionClient, rows: OutboxRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const toInsert: OutboxRow[] = [];
  const foldable = rows.filter((row) => COALESCED_KINDS.includes(row.kind));
  const waiting = new Map<string, string>();
  if (foldable.length > 0) {
    const pending = await tx.notificationOutbox.findMany({
      where: {
        tenantId: { in: [...new Set(foldable.map((row) => row.tenantId))] },
        incidentId: { in: [...new Set(foldable.map((row) => row.incidentId))] },
        kind: { in: [...COALESCED_KINDS] },
        state: "pending",
        attempts: 0,
        claimedUntil: null,
      },
      select: { id: true, ruleId: true, channelId: true, tenantId: true, incidentId: true, kind: true },
    });
    for (const row of pending) waiting.set(keyOf(row), row.id);
  }
  for (const row of rows) {
    const id = COALESCED_KINDS.includes(row.kind) ? waiting.get(keyOf(row)) : undefined;
    if (id) {
      // Conditional: a delivery that claimed it meanwhile keeps it, and this change gets its own row.
      const folded = await tx.notificationOutbox.updateMany({
        where: { id, state: "pending", attempts: 0, claimedUntil: null },
        data: { payload: row.payload, coalesced: { increment: 1 } },
      });
      if (folded.count === 1) continue;
    }
    toInsert.push(row);
  }
  if (toInsert.length === 0) return 0;
  const created = await tx.notificationOutbox.createMany({
    data: toInsert.map((row) => ({ ...row, payload: row.payload as unknown as Prisma.InputJsonValue })),
    skipDuplicates: true,
  });
  return created.count;
}
