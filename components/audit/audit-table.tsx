import type { AuditEventRow } from "@/server/audit/list-audit-events";
import { Badge } from "../ui/badge";
import { DateTime } from "../ui/date-time";
import { auditActionLabel } from "@/server/audit/audit-actions";
import { AUDIT_REASON_LABEL, OUTCOME_TONE } from "./audit-labels";

const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400";
const td = "px-3 py-2 align-top text-sm";

export function AuditTable({ rows }: { rows: AuditEventRow[] }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <table className="min-w-full divide-y divide-slate-200 dark:divide-slate-800">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead className="bg-slate-50 dark:bg-slate-900">
          <tr>
            <th scope="col" className={th}>
              When
            </th>
            <th scope="col" className={th}>
              Who
            </th>
            <th scope="col" className={th}>
              Action
            </th>
            <th scope="col" className={th}>
              Outcome
            </th>
            <th scope="col" className={th}>
              Tenant
            </th>
            <th scope="col" className={th}>
              Detail
            </th>
            <th scope="col" className={th}>
              From
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.map((row) => (
            <tr key={row.id} data-testid="audit-row">
              <td className={`${td} whitespace-nowrap`}>
                <DateTime value={row.occurredAt} />
              </td>
              <td className={td}>
                <div>{row.actorName ?? "—"}</div>
                <div className="text-xs text-slate-500">{row.actorType}</div>
              </td>
              <td className={td}>{auditActionLabel(row.action)}</td>
              <td className={td}>
                <Badge tone={OUTCOME_TONE[row.outcome] ?? "neutral"}>{row.outcome}</Badge>
              </td>
              <td className={`${td} font-mono text-xs`}>{row.tenantId ?? "—"}</td>
              <td className={td}>
                {row.reason ? (AUDIT_REASON_LABEL[row.reason] ?? row.reason) : "—"}
                {row.targetId ? <div className="text-xs text-slate-500">{row.targetId}</div> : null}
                {row.details.length ? (
                  // Customer or Microsoft text (e.g. a declined consent's description): shown as text, folded away.
                  <details className="mt-1 text-xs text-slate-500">
                    <summary className="cursor-pointer">Details</summary>
                    <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-2">
                      {row.details.map((d) => (
                        <div key={d.key} className="contents">
                          <dt className="font-medium">{d.key}</dt>
                          <dd className="break-all">{d.value}</dd>
                        </div>
                      ))}
                    </dl>
                  </details>
                ) : null}
              </td>
              <td className={`${td} font-mono text-xs`}>{row.ipAddress ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
