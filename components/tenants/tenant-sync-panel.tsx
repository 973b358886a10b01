import Link from "next/link";
import type { SyncIssueView, TenantSyncStatus } from "@/server/incidents/sync-status";
import { Badge } from "../ui/badge";
import { DateTime } from "../ui/date-time";
import { SyncNowButton } from "./sync-now-button";
import { formatAge } from "@/lib/time";
import { SYNC_STATE } from "./sync-labels";

/** Per-tenant sync state for staff: freshness, errors in words, counts, schedule, and "Sync now". */
export function TenantSyncPanel({ status, issues, disabledReason }: { status: TenantSyncStatus; issues: SyncIssueView[]; disabledReason: string | null }) {
  const state = SYNC_STATE[status.state] ?? { label: status.state, tone: "neutral" as const };
  const dl = "grid grid-cols-[10rem_1fr] gap-x-4 gap-y-2 text-sm";
  return (
    <section aria-labelledby="sync" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <div className="mb-4 flex items-center justify-between gap-3">
        <h2 id="sync" className="font-semibold">
          Incident sync
        </h2>
        <Link href={`/?tenant=${status.tenantId}`} className="text-sm text-brand-600 hover:underline dark:text-brand-100">
          View incidents →
        </Link>
      </div>
      <dl className={dl}>
        <dt className="text-slate-500">State</dt>
        <dd>
          <Badge tone={state.tone}>{state.label}</Badge>
        </dd>
        <dt className="text-slate-500">Incidents stored</dt>
        <dd data-testid="sync-incident-count">{status.incidentCount.toLocaleString("en-US")}</dd>
        <dt className="text-slate-500">Last success</dt>
        <dd>
          <DateTime value={status.lastSuccessAt} /> <span className="text-slate-500">(data age {formatAge(status.dataAgeMs)})</span>
        </dd>
        <dt className="text-slate-500">Next run</dt>
        <dd>
          <DateTime value={status.nextRunAt} />
        </dd>
        <dt className="text-slate-500">Last error</dt>
        <dd data-testid="sync-last-error">
          {status.lastError ? (
            <>
              {status.lastError.message}{" "}
              <span className="text-xs text-slate-500">
                ({status.lastError.code}, <DateTime value={status.lastError.at} />)
              </span>
            </>
          ) : (
            "—"
          )}
        </dd>
        <dt className="text-slate-500">Unreadable records</dt>
        <dd>{status.malformedCount}</dd>
        <dt className="text-slate-500">Source</dt>
        <dd data-testid="sync-source">
          {status.source === "graph" ? "Microsoft Graph" : status.source === "defender" ? "Defender XDR API (legacy)" : "None (re-consent needed)"}
        </dd>
        {status.source === "graph" ? (
          <>
            <dt className="text-slate-500">Reconciliation</dt>
            <dd data-testid="sync-reconcile">
              {status.lastReconciledAt ? (
                <>
                  Last full re-read <DateTime value={status.lastReconciledAt} />:{" "}
                  {status.lastReconcileRepaired ? `${status.lastReconcileRepaired.toLocaleString("en-US")} incidents repaired` : "the store matched Microsoft"}
                </>
              ) : (
                "Not run yet"
              )}
              {status.reconcileInProgress ? (
                <span data-testid="sync-reconcile-progress">
                  {" "}
                  · re-read under way since <DateTime value={status.reconcileInProgress.startedAt} /> (
                  {status.reconcileInProgress.fetched.toLocaleString("en-US")} read, {status.reconcileInProgress.repaired.toLocaleString("en-US")} repaired so
                  far)
                </span>
              ) : status.nextReconcileAt ? (
                <span className="text-slate-500">
                  {" "}
                  · next <DateTime value={status.nextReconcileAt} />
                </span>
              ) : null}
            </dd>
          </>
        ) : null}
      </dl>
      <div className="mt-5">
        <SyncNowButton
          tenantId={status.tenantId}
          running={status.running}
          requested={status.syncRequested}
          fetched={status.passFetched}
          disabledReason={status.state === "paused" ? "Only a tenant the portal can read is synced: fix its status first." : disabledReason}
        />
      </div>
      {issues.length ? (
        <details className="mt-4 text-sm">
          <summary className="cursor-pointer font-medium">Records Microsoft sent that could not be read ({issues.length})</summary>
          <ul className="mt-2 space-y-2">
            {issues.map((issue) => (
              <li key={issue.id} className="rounded-md bg-slate-50 p-2 text-xs dark:bg-slate-800">
                <div>
                  <DateTime value={issue.seenAt} /> · incident {issue.incidentId ?? "?"} · {issue.problem}
                </div>
                <pre className="mt-1 overflow-x-auto whitespace-pre-wrap break-all text-slate-500">{issue.sample}</pre>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
