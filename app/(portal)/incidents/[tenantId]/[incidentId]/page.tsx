import Link from "next/link";
import { notFound } from "next/navigation";
import { requireStaff } from "@/server/auth/require-staff";
import { getIncidentDetail } from "@/server/incidents/incident-detail";
import { listIncidentIndicators } from "@/server/indicators/incident-correlations";
import { IncidentActions } from "@/components/incidents/incident-actions";
import { IncidentAlerts } from "@/components/incidents/incident-alerts";
import { IncidentComments } from "@/components/incidents/incident-comments";
import { IncidentEntities } from "@/components/incidents/incident-entities";
import { IncidentFacts } from "@/components/incidents/incident-facts";
import { IncidentIndicators } from "@/components/incidents/incident-indicators";
import { IncidentRawJson } from "@/components/incidents/incident-raw-json";
import { IncidentServiceLevelPanel } from "@/components/incidents/incident-service-level";
import { secondaryButton } from "@/components/ui/button-styles";

type Props = { params: Promise<{ tenantId: string; incidentId: string }> };

export async function generateMetadata({ params }: Props) {
  const { incidentId } = await params;
  return { title: `Incident ${incidentId}` };
}

const h2 = "mb-2 text-base font-semibold";

export default async function IncidentPage({ params }: Props) {
  const { tenantId, incidentId } = await params;
  const staff = await requireStaff({ returnTo: `/incidents/${tenantId}/${incidentId}` });
  const incident = await getIncidentDetail({ tenantId, incidentId, staff });
  if (!incident) notFound();
  const indicators = await listIncidentIndicators({ tenantId: incident.tenant.id, incidentId: BigInt(incident.incidentId) });
  const now = new Date();
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/" className="text-brand-600 hover:underline dark:text-brand-100">
          Incidents
        </Link>
        <span aria-hidden="true" className="mx-1 text-slate-400">
          /
        </span>
        <Link href={`/?tenant=${incident.tenant.id}`} className="text-brand-600 hover:underline dark:text-brand-100">
          {incident.tenant.displayName}
        </Link>
      </nav>
      <div className="mb-4 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="break-words text-2xl font-semibold tracking-tight" data-testid="incident-name">
            {incident.incidentName}
          </h1>
          <p className="mt-1 font-mono text-sm text-slate-500">Incident #{incident.incidentId}</p>
        </div>
        <a href={incident.defenderPortalUrl} target="_blank" rel="noopener noreferrer" className={secondaryButton}>
          Open in Microsoft Defender <span aria-hidden="true">↗</span>
        </a>
      </div>
      <IncidentFacts incident={incident} now={now} />
      {incident.summary || incident.description || incident.resolvingComment ? (
        <section
          aria-label="Summary"
          className="mt-4 space-y-2 rounded-xl border border-slate-200 bg-white p-4 text-sm shadow-sm dark:border-slate-800 dark:bg-slate-900"
          data-testid="incident-summary"
        >
          {incident.summary ? (
            <p className="whitespace-pre-wrap break-words">
              <span className="font-medium">Summary: </span>
              {incident.summary}
            </p>
          ) : null}
          {incident.description ? <p className="whitespace-pre-wrap break-words text-slate-600 dark:text-slate-400">{incident.description}</p> : null}
          {incident.resolvingComment ? (
            <p className="whitespace-pre-wrap break-words">
              <span className="font-medium">Resolved with: </span>
              {incident.resolvingComment}
            </p>
          ) : null}
        </section>
      ) : null}
      <div className="mt-6 grid gap-6 lg:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="min-w-0 space-y-6">
          <section aria-labelledby="alerts-h">
            <h2 id="alerts-h" className={h2}>
              Alerts ({incident.alerts.length})
            </h2>
            <IncidentAlerts alerts={incident.alerts} />
          </section>
          <section aria-labelledby="entities-h">
            <h2 id="entities-h" className={h2}>
              Evidence
            </h2>
            <IncidentEntities groups={incident.entities} />
          </section>
          <section aria-labelledby="indicators-h" data-testid="incident-indicators">
            <h2 id="indicators-h" className={h2}>
              Indicators across customers
            </h2>
            <IncidentIndicators indicators={indicators} />
          </section>
          <IncidentRawJson json={incident.rawJson} />
        </div>
        <div className="space-y-6">
          <IncidentServiceLevelPanel serviceLevel={incident.serviceLevel} tenantId={incident.tenant.id} />
          <IncidentActions
            tenantId={incident.tenant.id}
            incidentId={incident.incidentId}
            lastUpdateTime={incident.lastUpdateTime.toISOString()}
            status={incident.status}
            classification={incident.classification}
            determination={incident.determination}
            source={incident.writeSource}
            tags={incident.tags}
            disabledReason={incident.actionsDisabledReason}
            consentFixHref={incident.consentFixHref}
          />
          <section aria-labelledby="comments-h">
            <h2 id="comments-h" className={h2}>
              Comments ({incident.comments.length})
            </h2>
            <IncidentComments comments={incident.comments} />
          </section>
        </div>
      </div>
    </>
  );
}
