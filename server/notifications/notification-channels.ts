// Notification channels: created and removed by a Portal.Admin (notification-actions.ts), listed
// for every staff member with their destination masked. Secrets are sealed before they reach the
// database and opened only in memory, for one delivery; nothing here returns or logs them.
import { randomBytes, randomUUID } from "node:crypto";
import type { PrismaClient } from "../../prisma/generated/client/client";
import { UserFacingError } from "../../lib/errors";
import { NotificationKeyMissing, openSecret, sealSecret } from "./secret-box";
import type { ChannelForSend } from "./channel-body";
import {
  checkEmailSettings,
  checkWebhookUrl,
  maskEmailTarget,
  maskWebhookUrl,
  type ChannelKind,
  type ChannelSecret,
  type EmailSettings,
} from "./channel-target";

export type NewChannelInput =
  { kind: "teams" | "slack" | "webhook"; name: string; url: string } | { kind: "email"; name: string; email: EmailSettings; password: string | null };

export type ChannelView = {
  id: string;
  name: string;
  kind: ChannelKind;
  maskedTarget: string;
  enabled: boolean;
  createdAt: Date;
  createdByName: string | null;
  usedByRules: number;
};

const boundTo = (channelId: string) => `notification-channel:${channelId}`;

function requireKey(key: Buffer | null): Buffer {
  if (!key) throw new NotificationKeyMissing();
  return key;
}

/**
 * Seals and stores a channel. A JSON webhook gets a signing secret of its own, returned once here
 * so the admin can give it to the receiver; it is never shown again.
 */
export async function createNotificationChannel(
  prisma: PrismaClient,
  input: { channel: NewChannelInput; key: Buffer | null; allowLoopbackHttp: boolean; byName: string },
): Promise<{ id: string; signingSecret: string | null }> {
  const key = requireKey(input.key);
  const { channel } = input;
  const id = randomUUID();
  let secret: ChannelSecret;
  let maskedTarget: string;
  let settings: EmailSettings | Record<string, never> = {};
  let signingSecret: string | null = null;
  if (channel.kind === "email") {
    settings = checkEmailSettings(channel.email, input);
    secret = { password: channel.password };
    maskedTarget = maskEmailTarget(channel.email);
  } else {
    const url = checkWebhookUrl(channel.url, input);
    if (channel.kind === "webhook") signingSecret = randomBytes(32).toString("base64url");
    secret = signingSecret ? { url: url.toString(), signingSecret } : { url: url.toString() };
    maskedTarget = maskWebhookUrl(url);
  }
  await prisma.notificationChannel.create({
    data: {
      id,
      name: channel.name,
      kind: channel.kind,
      secretSealed: sealSecret(key, JSON.stringify(secret), boundTo(id)),
      maskedTarget,
      settings,
      createdByName: input.byName,
    },
  });
  return { id, signingSecret };
}

export async function listNotificationChannels(prisma: PrismaClient): Promise<ChannelView[]> {
  const [channels, rules] = await Promise.all([
    prisma.notificationChannel.findMany({
      orderBy: { createdAt: "asc" },
      select: { id: true, name: true, kind: true, maskedTarget: true, enabled: true, createdAt: true, createdByName: true },
    }),
    prisma.notificationRule.findMany({ select: { channelIds: true } }),
  ]);
  return channels.map((channel) => ({ ...channel, usedByRules: rules.filter((rule) => rule.channelIds.includes(channel.id)).length }));
}

/** Removes a channel and takes it out of every rule; its messages stay in the delivery log. */
export async function deleteNotificationChannel(prisma: PrismaClient, input: { channelId: string }): Promise<{ name: string }> {
  return prisma.$transaction(async (tx) => {
    const channel = await tx.notificationChannel.findUnique({ where: { id: input.channelId }, select: { name: true } });
    if (!channel) throw new UserFacingError("That channel no longer exists.");
    const rules = await tx.notificationRule.findMany({ where: { channelIds: { has: input.channelId } }, select: { id: true, channelIds: true } });
    for (const rule of rules) {
      await tx.notificationRule.update({ where: { id: rule.id }, data: { channelIds: rule.channelIds.filter((id) => id !== input.channelId) } });
    }
    await tx.notificationChannel.delete({ where: { id: input.channelId } });
    return channel;
  });
}

/** A channel with its secrets opened, for one delivery; null when it is gone or turned off. */
export async function loadChannelForSend(prisma: PrismaClient, input: { channelId: string; key: Buffer }): Promise<ChannelForSend | null> {
  const row = await prisma.notificationChannel.findUnique({
    where: { id: input.channelId },
    select: { id: true, kind: true, secretSealed: true, settings: true, enabled: true },
  });
  if (!row || !row.enabled) return null;
  let secret: ChannelSecret;
  try {
    secret = JSON.parse(openSecret(input.key, row.secretSealed, boundTo(row.id))) as ChannelSecret;
  } catch {
    throw new UserFacingError("This channel's secrets do not open with the current NOTIFICATION_SECRET_KEY: delete the channel and add it again.");
  }
  return { id: row.id, kind: row.kind, secret, settings: row.kind === "email" ? (row.settings as EmailSettings) : null };
}
