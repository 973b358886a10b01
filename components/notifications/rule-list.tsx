import type { RuleView } from "@/server/notifications/notification-rules";
import { EVENT_LABEL } from "@/server/notifications/notification-event";
import { Badge } from "../ui/badge";
import { RuleActions } from "./rule-actions";
import { severityScopeLabel, tableShell, td, th } from "./notification-labels";

type Props = {
  rules: RuleView[];
  channelName: Map<string, string>;
  tenantName: Map<string, string>;
  disabledReason: string | null;
};

export function RuleList({ rules, channelName, tenantName, disabledReason }: Props) {
  if (rules.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">No rule yet: nothing is sent until a rule names a channel.</p>;
  return (
    <div className={tableShell}>
      <table className="min-w-full divide-y divide-slate-200 dark:divide-slate-800" data-testid="notification-rules">
        <caption className="sr-only">Notification rules</caption>
        <thead className="bg-slate-50 dark:bg-slate-900">
          <tr>
            {["Rule", "Tenants", "Severity", "Events", "Channels"].map((heading) => (
              <th key={heading} scope="col" className={th}>
                {heading}
              </th>
            ))}
            <th scope="col" className={th}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rules.map((rule) => (
            <tr key={rule.id}>
              <td className={`${td} font-medium`}>
                {rule.name} {rule.enabled ? null : <Badge tone="warn">Off</Badge>}
              </td>
              <td className={td}>{rule.tenantIds.length === 0 ? "Every tenant" : rule.tenantIds.map((id) => tenantName.get(id) ?? id).join(", ")}</td>
              <td className={td}>{severityScopeLabel(rule.minSeverityRank)}</td>
              <td className={td}>{rule.events.map((kind) => EVENT_LABEL[kind]).join(", ")}</td>
              <td className={td}>
                {rule.channelIds.length === 0 ? <Badge tone="warn">No channel</Badge> : rule.channelIds.map((id) => channelName.get(id) ?? id).join(", ")}
              </td>
              <td className={`${td} text-right`}>
                <RuleActions ruleId={rule.id} ruleName={rule.name} enabled={rule.enabled} disabledReason={disabledReason} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
