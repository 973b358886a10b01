import Link from "next/link";
import type { TenantRow } from "@/server/tenants/tenant-directory";
import type { TenantSyncStatus } from "@/server/incidents/sync-status";
import { Badge } from "../ui/badge";
import { formatAge } from "@/lib/time";
import { SYNC_STATE } from "./sync-labels";
import { TENANT_STATUS_FIX } from "@/server/tenants/tenant-status";
import { DateTime } from "../ui/date-time";
import { TenantStatusBadge } from "./tenant-status-badge";

const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400";
const td = "px-3 py-2 align-top text-sm";

export function TenantsTable({ rows, sync }: { rows: TenantRow[]; sync: Map<string, TenantSyncStatus> }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <table className="min-w-full divide-y divide-slate-200 dark:divide-slate-800">
        <caption className="sr-only">Customer tenants, problems first</caption>
        <thead className="bg-slate-50 dark:bg-slate-900">
          <tr>
            <th scope="col" className={th}>
              Tenant
            </th>
            <th scope="col" className={th}>
              Status
            </th>
            <th scope="col" className={th}>
              Incident sync
            </th>
            <th scope="col" className={th}>
              Granted permissions
            </th>
            <th scope="col" className={th}>
              Onboarded
            </th>
            <th scope="col" className={th}>
              Last verified
            </th>
            <th scope="col" className={th}>
              Last error
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.map((row) => {
            const fix = TENANT_STATUS_FIX[row.status];
            return (
              <tr key={row.id} data-testid="tenant-row">
                <td className={td}>
                  <Link href={`/tenants/${row.id}`} className="font-medium text-brand-600 hover:underline dark:text-brand-100">
                    {row.displayName}
                  </Link>
                  <div className="font-mono text-xs text-slate-500">{row.id}</div>
                </td>
                <td className={td}>
                  <TenantStatusBadge status={row.status} />
                  {fix ? <div className="mt-1 max-w-xs text-xs text-slate-600 dark:text-slate-400">{fix}</div> : null}
                </td>
                <td className={td}>
                  <SyncCell status={sync.get(row.id)} />
                </td>
                <td className={td}>
                  {row.grantedRoles.length ? (
                    row.grantedRoles.map((role) => (
                      <div key={role} className="font-mono text-xs">
                        {role}
                      </div>
                    ))
                  ) : (
                    <span className="text-slate-400">None</span>
                  )}
                </td>
                <td className={td}>
                  <DateTime value={row.onboardedAt} />
                  {row.onboardedByName ? <div className="text-xs text-slate-500">by {row.onboardedByName}</div> : null}
                </td>
                <td className={td}>
                  <DateTime value={row.lastVerifiedAt} />
                </td>
                <td className={`${td} max-w-sm`}>
                  {row.lastErrorMessage ? (
                    <>
                      <div className="text-xs">{row.lastErrorMessage}</div>
                      <div className="text-xs text-slate-500">
                        {row.lastErrorCode} · <DateTime value={row.lastErrorAt} />
                      </div>
                    </>
                  ) : (
                    <span className="text-slate-400">—</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function SyncCell({ status }: { status: TenantSyncStatus | undefined }) {
  if (!status) return <span className="text-slate-400">—</span>;
  const state = SYNC_STATE[status.state] ?? { label: status.state, tone: "neutral" as const };
  return (
    <div className="space-y-1">
      <Badge tone={state.tone}>{state.label}</Badge>
      <div className="text-xs text-slate-600 dark:text-slate-400">
        {status.incidentCount.toLocaleString("en-US")} incidents · data age {formatAge(status.dataAgeMs)}
      </div>
      {status.lastError ? <div className="max-w-xs text-xs text-red-700 dark:text-red-300">{status.lastError.message}</div> : null}
    </div>
  );
}
