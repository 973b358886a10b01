import type { ChannelView } from "@/server/notifications/notification-channels";
import { CHANNEL_KIND_LABEL } from "@/server/notifications/channel-target";
import { Badge } from "../ui/badge";
import { DateTime } from "../ui/date-time";
import { ChannelActions } from "./channel-actions";
import { tableShell, td, th } from "./notification-labels";

type Props = { channels: ChannelView[]; testRefusal: string | null; changeRefusal: string | null };

export function ChannelList({ channels, testRefusal, changeRefusal }: Props) {
  if (channels.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">No channel yet: add one below.</p>;
  return (
    <div className={tableShell}>
      <table className="min-w-full divide-y divide-slate-200 dark:divide-slate-800" data-testid="notification-channels">
        <caption className="sr-only">Notification channels</caption>
        <thead className="bg-slate-50 dark:bg-slate-900">
          <tr>
            <th scope="col" className={th}>
              Channel
            </th>
            <th scope="col" className={th}>
              Kind
            </th>
            <th scope="col" className={th}>
              Destination
            </th>
            <th scope="col" className={th}>
              Used by
            </th>
            <th scope="col" className={th}>
              Added
            </th>
            <th scope="col" className={th}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {channels.map((channel) => (
            <tr key={channel.id}>
              <td className={`${td} font-medium`}>
                {channel.name} {channel.enabled ? null : <Badge tone="warn">Off</Badge>}
              </td>
              <td className={td}>{CHANNEL_KIND_LABEL[channel.kind]}</td>
              <td className={`${td} font-mono text-xs`} title="Shown masked: the whole secret is stored encrypted and never shown">
                {channel.maskedTarget}
              </td>
              <td className={td}>{channel.usedByRules === 1 ? "1 rule" : `${channel.usedByRules} rules`}</td>
              <td className={td}>
                <DateTime value={channel.createdAt} />
                {channel.createdByName ? <div className="text-xs text-slate-500">{channel.createdByName}</div> : null}
              </td>
              <td className={`${td} text-right`}>
                <ChannelActions channelId={channel.id} channelName={channel.name} testRefusal={testRefusal} changeRefusal={changeRefusal} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
