"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { isGuid } from "../../lib/ids";
import { recordAuditEvent } from "../audit/audit-event";
import { staffAction } from "../auth/staff-action";
import { getConfig, getDb } from "../services";
import { createNotificationChannel, deleteNotificationChannel, type NewChannelInput } from "./notification-channels";
import { createNotificationRule, deleteNotificationRule, setNotificationRuleEnabled } from "./notification-rules";
import { NOTIFICATION_EVENT_KINDS } from "./notification-event";
import { sendTestMessage } from "./send-test-message";

// Server actions of the Notifications page: role and input are checked on the server first
// (staffAction), every change is audited, and no secret is ever part of an answer or a log line,
// except the JSON webhook's signing secret, answered once to the admin who created the channel.

const PAGE = "/settings/notifications";
const id = z.string().refine(isGuid, "Unknown item");
/** A form sends one value as a string and several as an array. */
const list = <T extends z.ZodType>(item: T) => z.preprocess((value) => (value === undefined || value === "" ? [] : [value].flat()), z.array(item));

const channelInput = z.discriminatedUnion("kind", [
  z.object({
    kind: z.enum(["teams", "slack", "webhook"]),
    name: z.string().trim().min(1, "Give the channel a name").max(100),
    url: z.string().trim().min(1, "Paste the webhook URL").max(2000),
  }),
  z.object({
    kind: z.literal("email"),
    name: z.string().trim().min(1, "Give the channel a name").max(100),
    smtpHost: z.string().trim().min(1, "Name the SMTP server").max(255),
    smtpPort: z.coerce.number().int().min(1).max(65535),
    smtpSecurity: z.enum(["tls", "starttls", "none"]),
    smtpUsername: z.string().trim().max(255).optional().default(""),
    smtpPassword: z.string().max(1000).optional().default(""),
    mailFrom: z.email("Enter the sender's address"),
    mailTo: z
      .string()
      .trim()
      .transform((value) => value.split(/[,;\s]+/).filter(Boolean))
      .pipe(z.array(z.email("Each recipient must be an email address")).min(1, "Name at least one recipient").max(20)),
  }),
]);

function toChannel(input: z.infer<typeof channelInput>): NewChannelInput {
  if (input.kind !== "email") return { kind: input.kind, name: input.name, url: input.url };
  return {
    kind: "email",
    name: input.name,
    email: {
      host: input.smtpHost,
      port: input.smtpPort,
      security: input.smtpSecurity,
      username: input.smtpUsername || null,
      from: input.mailFrom,
      to: input.mailTo,
    },
    password: input.smtpPassword || null,
  };
}

export const createNotificationChannelAction = staffAction({ capability: "notification.channel", input: channelInput }, async ({ input, staff, ipAddress }) => {
  const config = getConfig();
  const created = await createNotificationChannel(await getDb(), {
    channel: toChannel(input),
    key: config.notifications.secretKey,
    allowLoopbackHttp: config.notifications.allowLoopbackHttp,
    byName: staff.name,
  });
  await recordAuditEvent({
    actor: { type: "staff", id: staff.oid, name: staff.name },
    action: "notification.channel_changed",
    outcome: "success",
    targetId: created.id,
    reason: `created ${input.kind} channel "${input.name}"`,
    ipAddress,
  });
  revalidatePath(PAGE);
  return created;
});

export const deleteNotificationChannelAction = staffAction(
  { capability: "notification.channel", input: z.object({ channelId: id }) },
  async ({ input, staff, ipAddress }) => {
    const { name } = await deleteNotificationChannel(await getDb(), { channelId: input.channelId });
    await recordAuditEvent({
      actor: { type: "staff", id: staff.oid, name: staff.name },
      action: "notification.channel_changed",
      outcome: "success",
      targetId: input.channelId,
      reason: `deleted channel "${name}"`,
      ipAddress,
    });
    revalidatePath(PAGE);
    return { name };
  },
);

export const sendTestNotificationAction = staffAction(
  { capability: "notification.test", input: z.object({ channelId: id }) },
  async ({ input, staff, ipAddress }) => {
    const config = getConfig();
    const result = await sendTestMessage(await getDb(), {
      channelId: input.channelId,
      key: config.notifications.secretKey,
      portalUrl: config.auth.url,
      msspName: config.mssp.name,
      allowLoopbackHttp: config.notifications.allowLoopbackHttp,
      byName: staff.name,
      now: new Date(),
    });
    await recordAuditEvent({
      actor: { type: "staff", id: staff.oid, name: staff.name },
      action: "notification.test_sent",
      outcome: result.ok ? "success" : "failure",
      targetId: input.channelId,
      reason: result.message,
      ipAddress,
    });
    revalidatePath(PAGE);
    return result;
  },
);

const ruleInput = z.object({
  name: z.string().trim().min(1, "Give the rule a name").max(100),
  tenantIds: list(z.string().refine(isGuid, "Unknown tenant")),
  minSeverityRank: z.coerce.number().int().min(0).max(4),
  events: list(z.enum(NOTIFICATION_EVENT_KINDS)).pipe(z.array(z.enum(NOTIFICATION_EVENT_KINDS)).min(1, "Choose at least one event")),
  channelIds: list(id).pipe(z.array(id).min(1, "Choose at least one channel")),
});

export const createNotificationRuleAction = staffAction({ capability: "notification.rule", input: ruleInput }, async ({ input, staff, ipAddress }) => {
  const created = await createNotificationRule(await getDb(), { rule: input, byName: staff.name });
  await recordAuditEvent({
    actor: { type: "staff", id: staff.oid, name: staff.name },
    action: "notification.rule_changed",
    outcome: "success",
    targetId: created.id,
    reason: `created rule "${input.name}"`,
    ipAddress,
  });
  revalidatePath(PAGE);
  return created;
});

export const deleteNotificationRuleAction = staffAction(
  { capability: "notification.rule", input: z.object({ ruleId: id }) },
  async ({ input, staff, ipAddress }) => {
    const { name } = await deleteNotificationRule(await getDb(), { ruleId: input.ruleId });
    await recordAuditEvent({
      actor: { type: "staff", id: staff.oid, name: staff.name },
      action: "notification.rule_changed",
      outcome: "success",
      targetId: input.ruleId,
      reason: `deleted rule "${name}"`,
      ipAddress,
    });
    revalidatePath(PAGE);
    return { name };
  },
);

export const setNotificationRuleEnabledAction = staffAction(
  { capability: "notification.rule", input: z.object({ ruleId: id, enabled: z.enum(["true", "false"]).transform((v) => v === "true") }) },
  async ({ input, staff, ipAddress }) => {
    const { name } = await setNotificationRuleEnabled(await getDb(), { ruleId: input.ruleId, enabled: input.enabled });
    await recordAuditEvent({
      actor: { type: "staff", id: staff.oid, name: staff.name },
      action: "notification.rule_changed",
      outcome: "success",
      targetId: input.ruleId,
      reason: `${input.enabled ? "turned on" : "turned off"} rule "${name}"`,
      ipAddress,
    });
    revalidatePath(PAGE);
    return { name, enabled: input.enabled };
  },
);
