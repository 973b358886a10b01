// The delivery log: recent messages with their state, attempts and last error, and the dead
// letters apart (they need a person: a channel that refuses, or one that was deleted).
import type { PrismaClient } from "../../prisma/generated/client/client";
import type { NotificationEventKind, NotificationPayload } from "./notification-event";

export type DeliveryLogRow = {
  id: string;
  kind: NotificationEventKind;
  channelId: string;
  channelName: string | null;
  ruleName: string | null;
  tenantId: string;
  tenantName: string;
  incidentId: string | null;
  incidentName: string | null;
  state: "pending" | "delivered" | "dead";
  attempts: number;
  coalesced: number;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  nextAttemptAt: Date;
};

export async function listNotificationDeliveries(prisma: PrismaClient, input: { state?: "dead"; take?: number }): Promise<DeliveryLogRow[]> {
  const rows = await prisma.notificationOutbox.findMany({
    where: input.state ? { state: input.state } : {},
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: input.take ?? 50,
    select: {
      id: true,
      kind: true,
      channelId: true,
      tenantId: true,
      incidentId: true,
      payload: true,
      state: true,
      attempts: true,
      coalesced: true,
      lastError: true,
      createdAt: true,
      deliveredAt: true,
      nextAttemptAt: true,
    },
  });
  const channels = await prisma.notificationChannel.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.channelId))] } },
    select: { id: true, name: true },
  });
  const channelName = new Map(channels.map((c) => [c.id, c.name]));
  return rows.map((row) => {
    const payload = row.payload as Partial<NotificationPayload>;
    return {
      id: row.id,
      kind: row.kind,
      channelId: row.channelId,
      channelName: channelName.get(row.channelId) ?? null,
      ruleName: payload.ruleName ?? null,
      tenantId: row.tenantId,
      tenantName: payload.tenantName ?? row.tenantId,
      incidentId: row.kind === "test" ? null : row.incidentId.toString(),
      incidentName: row.kind === "test" ? null : (payload.incidentName ?? null),
      state: row.state,
      attempts: row.attempts,
      coalesced: row.coalesced,
      lastError: row.lastError,
      createdAt: row.createdAt,
      deliveredAt: row.deliveredAt,
      nextAttemptAt: row.nextAttemptAt,
    };
  });
}
