import type { AlertItem } from "@/server/incidents/incident-detail-evidence";
import { Badge } from "../ui/badge";
import { IncidentTime } from "./incident-time";
import { SeverityBadge } from "./severity-badge";

/** The incident's alerts with MITRE techniques and devices; all text is rendered as text. */
export function IncidentAlerts({ alerts }: { alerts: AlertItem[] }) {
  if (alerts.length === 0) return <p className="text-sm text-slate-500">Microsoft sent no alerts with this incident.</p>;
  return (
    <ol className="space-y-3">
      {alerts.map((alert) => (
        <li
          key={alert.alertId}
          data-testid="incident-alert"
          className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
        >
          <div className="flex flex-wrap items-center gap-2">
            {alert.severity ? <SeverityBadge severity={alert.severity} /> : null}
            <h3 className="font-medium break-words">{alert.title}</h3>
            {alert.status ? <Badge>{alert.status}</Badge> : null}
            {alert.webUrl ? (
              <a href={alert.webUrl} target="_blank" rel="noopener noreferrer" className="ml-auto text-xs text-brand-600 hover:underline dark:text-brand-100">
                Alert in Defender <span aria-hidden="true">↗</span>
              </a>
            ) : null}
          </div>
          {alert.description ? <p className="mt-1 text-sm text-slate-600 dark:text-slate-400 break-words">{alert.description}</p> : null}
          <dl className="mt-2 flex flex-wrap gap-x-5 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
            <div>
              <dt className="inline font-medium">Source: </dt>
              <dd className="inline">
                {alert.serviceSource ?? "—"}
                {alert.detectionSource ? ` / ${alert.detectionSource}` : ""}
              </dd>
            </div>
            {alert.category ? (
              <div>
                <dt className="inline font-medium">Category: </dt>
                <dd className="inline">{alert.category}</dd>
              </div>
            ) : null}
            <div>
              <dt className="inline font-medium">Activity: </dt>
              <dd className="inline">
                <IncidentTime value={alert.firstActivity} /> → <IncidentTime value={alert.lastActivity} />
              </dd>
            </div>
            {alert.threatFamilyName ? (
              <div>
                <dt className="inline font-medium">Threat family: </dt>
                <dd className="inline">{alert.threatFamilyName}</dd>
              </div>
            ) : null}
            {alert.actorName ? (
              <div>
                <dt className="inline font-medium">Actor: </dt>
                <dd className="inline">{alert.actorName}</dd>
              </div>
            ) : null}
            <div>
              <dt className="inline font-medium">Evidence: </dt>
              <dd className="inline">{alert.entityCount}</dd>
            </div>
          </dl>
          {alert.mitreTechniques.length ? (
            <div className="mt-2 flex flex-wrap items-center gap-1" aria-label="MITRE ATT&CK techniques">
              <span className="text-xs font-medium text-slate-500">MITRE:</span>
              {alert.mitreTechniques.map((t) => (
                <span
                  key={t}
                  className="rounded bg-violet-50 px-1.5 py-0.5 font-mono text-xs text-violet-800 ring-1 ring-inset ring-violet-200 dark:bg-violet-950 dark:text-violet-200 dark:ring-violet-800"
                >
                  {t}
                </span>
              ))}
            </div>
          ) : null}
          {alert.devices.length ? (
            <ul className="mt-2 space-y-1" aria-label="Devices">
              {alert.devices.map((device, index) => (
                <li key={`${device.name}-${index}`} className="text-xs">
                  <span aria-hidden="true">🖥 </span>
                  <span className="font-mono font-medium">{device.name}</span>
                  <span className="text-slate-500"> {device.fields.map((f) => `${f.label}: ${f.value}`).join(" · ")}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
