import type { EntityGroup } from "@/server/incidents/incident-detail-evidence";
import { Badge } from "../ui/badge";

/** Evidence grouped by entity type; types the portal does not know are listed with all their fields. */
export function IncidentEntities({ groups }: { groups: EntityGroup[] }) {
  if (groups.length === 0) return <p className="text-sm text-slate-500">No entities in this incident.</p>;
  return (
    <div className="space-y-4">
      {groups.map((group) => (
        <section key={group.entityType} aria-label={`${group.entityType} entities`} data-testid="entity-group">
          <h3 className="mb-1 flex items-center gap-2 text-sm font-semibold">
            {group.entityType}
            <span className="text-xs font-normal text-slate-500">({group.items.length})</span>
            {group.known ? null : <Badge tone="info">Other type</Badge>}
          </h3>
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
            {group.items.map((item, index) => (
              <li key={index} className="px-3 py-2 text-xs" data-testid="entity-item">
                <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5">
                  {item.fields.map((field) => (
                    <div key={field.label} className="contents">
                      <dt className="font-medium text-slate-500">{field.label}</dt>
                      <dd className="break-all font-mono">{field.value}</dd>
                    </div>
                  ))}
                </dl>
                {item.verdict || item.remediationStatus || item.roles.length ? (
                  <div className="mt-1 flex flex-wrap gap-1">
                    {item.verdict ? (
                      <Badge tone={item.verdict === "Malicious" ? "bad" : item.verdict === "Suspicious" ? "warn" : "neutral"}>{item.verdict}</Badge>
                    ) : null}
                    {item.remediationStatus ? <Badge>{item.remediationStatus}</Badge> : null}
                    {item.roles.map((role) => (
                      <Badge key={role} tone="info">
                        {role}
                      </Badge>
                    ))}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
