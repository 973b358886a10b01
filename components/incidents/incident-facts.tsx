import Link from "next/link";
import type { IncidentDetail } from "@/server/incidents/incident-detail";
import { CLASSIFICATION_LABEL, DETERMINATION_LABEL, labelOf } from "./incident-labels";
import { IncidentDataAge } from "./incident-data-age";
import { IncidentStatusBadge } from "./incident-status-badge";
import { IncidentTime } from "./incident-time";
import { SeverityBadge } from "./severity-badge";

const dt = "text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400";
const dd = "mt-0.5 text-sm";

/** The incident's key facts as a description list. */
export function IncidentFacts({ incident, now }: { incident: IncidentDetail; now: Date }) {
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-3 lg:grid-cols-6 dark:border-slate-800 dark:bg-slate-900">
      <div>
        <dt className={dt}>Tenant</dt>
        <dd className={dd}>
          <Link href={`/?tenant=${incident.tenant.id}`} className="text-brand-600 hover:underline dark:text-brand-100">
            {incident.tenant.displayName}
          </Link>
        </dd>
      </div>
      <div>
        <dt className={dt}>Severity</dt>
        <dd className={dd}>
          <SeverityBadge severity={incident.severity} />
        </dd>
      </div>
      <div>
        <dt className={dt}>Status</dt>
        <dd className={dd} data-testid="incident-status">
          <IncidentStatusBadge status={incident.status} />
        </dd>
      </div>
      <div>
        <dt className={dt}>Assigned to</dt>
        <dd className={`${dd} break-all`} data-testid="incident-assigned">
          {incident.assignedTo ?? <span className="text-slate-400">Unassigned</span>}
        </dd>
      </div>
      <div>
        <dt className={dt}>Classification</dt>
        <dd className={dd} data-testid="incident-classification">
          {labelOf(CLASSIFICATION_LABEL, incident.classification, "Not set")}
          {incident.determination && incident.determination !== "NotAvailable" ? (
            <div className="text-xs text-slate-500">{labelOf(DETERMINATION_LABEL, incident.determination)}</div>
          ) : null}
        </dd>
      </div>
      <div>
        <dt className={dt}>Data age</dt>
        <dd className={dd}>
          <IncidentDataAge asOf={incident.dataAsOf} now={now} verbose />
        </dd>
      </div>
      <div>
        <dt className={dt}>Created</dt>
        <dd className={dd}>
          <IncidentTime value={incident.createdTime} />
        </dd>
      </div>
      <div>
        <dt className={dt}>Last update</dt>
        <dd className={dd}>
          <IncidentTime value={incident.lastUpdateTime} />
        </dd>
      </div>
      <div>
        <dt className={dt}>First activity</dt>
        <dd className={dd}>
          <IncidentTime value={incident.firstActivity} />
        </dd>
      </div>
      <div>
        <dt className={dt}>Last activity</dt>
        <dd className={dd}>
          <IncidentTime value={incident.lastActivity} />
        </dd>
      </div>
      <div>
        <dt className={dt}>Detection sources</dt>
        <dd className={`${dd} text-xs`}>{incident.detectionSources.join(", ") || "—"}</dd>
      </div>
      {incident.systemTags.length ? (
        <div>
          <dt className={dt}>Microsoft tags</dt>
          <dd className={`${dd} flex flex-wrap gap-1`} data-testid="incident-system-tags">
            {incident.systemTags.map((tag) => (
              <span
                key={tag}
                className="rounded bg-sky-50 px-1.5 py-0.5 text-xs text-sky-800 ring-1 ring-inset ring-sky-200 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-800"
              >
                {tag}
              </span>
            ))}
          </dd>
        </div>
      ) : null}
      {incident.lastModifiedBy ? (
        <div>
          <dt className={dt}>Last changed by</dt>
          <dd className={`${dd} break-all text-xs`}>{incident.lastModifiedBy}</dd>
        </div>
      ) : null}
      <div>
        <dt className={dt}>Tags</dt>
        <dd className={`${dd} flex flex-wrap gap-1`} data-testid="incident-tags">
          {incident.tags.length ? (
            incident.tags.map((tag) => (
              <span key={tag} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">
                {tag}
              </span>
            ))
          ) : (
            <span className="text-slate-400">None</span>
          )}
        </dd>
      </div>
      {incident.redirectIncidentId ? (
        <div className="col-span-2">
          <dt className={dt}>Redirected to</dt>
          <dd className={dd}>
            <Link href={`/incidents/${incident.tenant.id}/${incident.redirectIncidentId}`} className="text-brand-600 hover:underline dark:text-brand-100">
              Incident #{incident.redirectIncidentId}
            </Link>
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
