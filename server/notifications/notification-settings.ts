import "server-only";
import { getConfig, getDb } from "../services";
import { listNotificationDeliveries, type DeliveryLogRow } from "./delivery-log";
import { listNotificationChannels, type ChannelView } from "./notification-channels";
import { listNotificationRules, type RuleView } from "./notification-rules";

export type NotificationSettingsView = {
  channels: ChannelView[];
  rules: RuleView[];
  deliveries: DeliveryLogRow[];
  deadLetters: DeliveryLogRow[];
  tenants: { id: string; displayName: string }[];
  /** NOTIFICATION_SECRET_KEY is set: channels can be added. */
  keyConfigured: boolean;
  allowLoopbackHttp: boolean;
};

/** Everything the Notifications page shows; any staff member may read it (secrets are masked). */
export async function getNotificationSettingsView(): Promise<NotificationSettingsView> {
  const db = await getDb();
  const config = getConfig();
  const [channels, rules, deliveries, deadLetters, tenants] = await Promise.all([
    listNotificationChannels(db),
    listNotificationRules(db),
    listNotificationDeliveries(db, { take: 50 }),
    listNotificationDeliveries(db, { state: "dead", take: 50 }),
    db.tenant.findMany({ where: { status: { not: "offboarded" } }, select: { id: true, displayName: true }, orderBy: { displayName: "asc" } }),
  ]);
  return {
    channels,
    rules,
    deliveries,
    deadLetters,
    tenants,
    keyConfigured: config.notifications.secretKey !== null,
    allowLoopbackHttp: config.notifications.allowLoopbackHttp,
  };
}
