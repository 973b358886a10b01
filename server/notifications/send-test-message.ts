// "Send test": one message to one channel, now, and its outcome in the delivery log.
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../../prisma/generated/client/client";
import { UserFacingError } from "../../lib/errors";
import { sendToChannel } from "./channel-send";
import { loadChannelForSend } from "./notification-channels";
import type { NotificationPayload } from "./notification-event";
import { NotificationKeyMissing } from "./secret-box";

export async function sendTestMessage(
  prisma: PrismaClient,
  input: { channelId: string; key: Buffer | null; portalUrl: string; msspName: string; allowLoopbackHttp: boolean; byName: string; now: Date },
): Promise<{ ok: boolean; message: string }> {
  if (!input.key) throw new NotificationKeyMissing();
  const channel = await loadChannelForSend(prisma, { channelId: input.channelId, key: input.key });
  if (!channel) throw new UserFacingError("That channel no longer exists or is turned off.");
  const id = randomUUID();
  const payload: NotificationPayload = {
    kind: "test",
    tenantId: "",
    tenantName: input.msspName,
    incidentId: "0",
    incidentName: "Test message",
    severity: "Informational",
    status: "Active",
    assignedTo: null,
    classification: null,
    determination: null,
    lastUpdateTime: input.now.toISOString(),
    previous: null,
    changedFields: [],
    dueAt: null,
    detectedAt: input.now.toISOString(),
    ruleName: `Sent by ${input.byName}`,
  };
  const outcome = await sendToChannel(
    channel,
    payload,
    { portalUrl: input.portalUrl, deliveryId: id, msspName: input.msspName },
    { timeoutMs: 10_000, allowLoopbackHttp: input.allowLoopbackHttp, now: input.now },
  );
  await prisma.notificationOutbox.create({
    data: {
      id,
      ruleId: null,
      channelId: channel.id,
      tenantId: "",
      incidentId: 0n,
      kind: "test",
      occurrence: id,
      payload,
      state: outcome.ok ? "delivered" : "dead",
      attempts: 1,
      lastError: outcome.ok ? null : outcome.error,
      lastStatusCode: outcome.status,
      deliveredAt: outcome.ok ? new Date() : null,
    },
  });
  return outcome.ok ? { ok: true, message: "Sent: check the channel." } : { ok: false, message: `Not sent: ${outcome.error}.` };
}
