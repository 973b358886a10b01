// Notification rules: which tenants, from which severity, which events, to which channels.
import type { PrismaClient } from "../../prisma/generated/client/client";
import { UserFacingError } from "../../lib/errors";
import type { IncidentEventKind } from "./notification-event";

export type RuleInput = { name: string; tenantIds: string[]; minSeverityRank: number; events: IncidentEventKind[]; channelIds: string[] };

export type RuleView = RuleInput & { id: string; enabled: boolean; createdAt: Date; createdByName: string | null };

export async function createNotificationRule(prisma: PrismaClient, input: { rule: RuleInput; byName: string }): Promise<{ id: string }> {
  const { rule } = input;
  const channels = await prisma.notificationChannel.count({ where: { id: { in: rule.channelIds } } });
  if (channels !== new Set(rule.channelIds).size) throw new UserFacingError("A chosen channel no longer exists.");
  if (rule.tenantIds.length > 0) {
    const tenants = await prisma.tenant.count({ where: { id: { in: rule.tenantIds } } });
    if (tenants !== new Set(rule.tenantIds).size) throw new UserFacingError("A chosen tenant is not known to the portal.");
  }
  return prisma.notificationRule.create({ data: { ...rule, createdByName: input.byName }, select: { id: true } });
}

export async function listNotificationRules(prisma: PrismaClient): Promise<RuleView[]> {
  const rows = await prisma.notificationRule.findMany({ orderBy: { createdAt: "asc" } });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    tenantIds: row.tenantIds,
    minSeverityRank: row.minSeverityRank,
    events: row.events.filter((kind): kind is IncidentEventKind => kind !== "test"),
    channelIds: row.channelIds,
    createdAt: row.createdAt,
    createdByName: row.createdByName,
  }));
}

export async function deleteNotificationRule(prisma: PrismaClient, input: { ruleId: string }): Promise<{ name: string }> {
  const rule = await prisma.notificationRule.findUnique({ where: { id: input.ruleId }, select: { name: true } });
  if (!rule) throw new UserFacingError("That rule no longer exists.");
  await prisma.notificationRule.delete({ where: { id: input.ruleId } });
  return rule;
}

export async function setNotificationRuleEnabled(prisma: PrismaClient, input: { ruleId: string; enabled: boolean }): Promise<{ name: string }> {
  const updated = await prisma.notificationRule.updateMany({ where: { id: input.ruleId }, data: { enabled: input.enabled } });
  if (updated.count !== 1) throw new UserFacingError("That rule no longer exists.");
  return prisma.notificationRule.findUniqueOrThrow({ where: { id: input.ruleId }, select: { name: true } });
}
