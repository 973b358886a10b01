import { requireStaff } from "@/server/auth/require-staff";
import { refusalFor } from "@/server/auth/capabilities";
import { getNotificationSettingsView } from "@/server/notifications/notification-settings";
import { PageHeader } from "@/components/ui/page-header";
import { ChannelList } from "@/components/notifications/channel-list";
import { ChannelForm } from "@/components/notifications/channel-form";
import { RuleList } from "@/components/notifications/rule-list";
import { RuleForm } from "@/components/notifications/rule-form";
import { DeliveryLogTable } from "@/components/notifications/delivery-log-table";

export const metadata = { title: "Notifications" };

const section = "mb-10 space-y-4";
const heading = "text-lg font-semibold";

export default async function NotificationsPage() {
  const staff = await requireStaff({ returnTo: "/settings/notifications" });
  const view = await getNotificationSettingsView();
  const channelRefusal = refusalFor(staff.role, "notification.channel");
  const ruleRefusal = refusalFor(staff.role, "notification.rule");
  const testRefusal = refusalFor(staff.role, "notification.test");
  const channelName = new Map(view.channels.map((channel) => [channel.id, channel.name]));
  const tenantName = new Map(view.tenants.map((tenant) => [tenant.id, tenant.displayName]));
  return (
    <>
      <PageHeader
        title="Notifications"
        description="Rules send incident events (new, severity raised, SLA due or breached, reopened, changed in Defender) to Teams, Slack, a signed JSON webhook or email. Each message goes once, retried until the channel takes it."
      />
      {channelRefusal ? (
        <p className="mb-4 text-sm text-slate-600 dark:text-slate-400" data-testid="notifications-disabled-reason">
          {channelRefusal}
        </p>
      ) : null}
      {!view.keyConfigured ? (
        <p role="alert" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          NOTIFICATION_SECRET_KEY is not set: channels cannot be added until the portal has a key to encrypt their secrets with.
        </p>
      ) : null}
      <section className={section} aria-labelledby="channels-heading">
        <h2 id="channels-heading" className={heading}>
          Channels
        </h2>
        <ChannelList channels={view.channels} testRefusal={testRefusal} changeRefusal={channelRefusal} />
        <h3 className="text-sm font-semibold">Add a channel</h3>
        <ChannelForm
          disabledReason={channelRefusal ?? (view.keyConfigured ? null : "NOTIFICATION_SECRET_KEY is not set.")}
          allowLoopbackHttp={view.allowLoopbackHttp}
        />
      </section>
      <section className={section} aria-labelledby="rules-heading">
        <h2 id="rules-heading" className={heading}>
          Rules
        </h2>
        <RuleList rules={view.rules} channelName={channelName} tenantName={tenantName} disabledReason={ruleRefusal} />
        <h3 className="text-sm font-semibold">Add a rule</h3>
        <RuleForm tenants={view.tenants} channels={view.channels.map((c) => ({ id: c.id, name: c.name }))} disabledReason={ruleRefusal} />
      </section>
      {view.deadLetters.length > 0 ? (
        <section className={section} aria-labelledby="dead-heading">
          <h2 id="dead-heading" className={heading}>
            Dead letters
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Messages given up after every retry, or whose channel was deleted. Check the channel, then send a test.
          </p>
          <DeliveryLogTable rows={view.deadLetters} caption="Dead letters" testId="notification-dead-letters" />
        </section>
      ) : null}
      <section className={section} aria-labelledby="log-heading">
        <h2 id="log-heading" className={heading}>
          Recent deliveries
        </h2>
        {view.deliveries.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">Nothing sent yet.</p>
        ) : (
          <DeliveryLogTable rows={view.deliveries} caption="Recent deliveries" testId="notification-deliveries" />
        )}
      </section>
    </>
  );
}
