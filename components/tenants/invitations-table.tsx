import type { InvitationRow } from "@/server/tenants/consent-invitations";
import { ACCESS_LABEL } from "@/server/tenants/consent-invitations";
import { consentDeclineWords } from "@/server/tenants/consent-error-words";
import { Badge, type BadgeTone } from "../ui/badge";
import { DateTime } from "../ui/date-time";
import { InvitationActions } from "./invitation-actions";

const STATE: Record<InvitationRow["state"], { label: string; tone: BadgeTone }> = {
  waiting: { label: "Waiting", tone: "info" },
  consented: { label: "Consented", tone: "good" },
  declined: { label: "Declined", tone: "warn" },
  expired: { label: "Expired", tone: "neutral" },
  revoked: { label: "Revoked", tone: "neutral" },
};

const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400";
const td = "px-3 py-2 align-top text-sm";

export function InvitationsTable({ rows, disabledReason }: { rows: InvitationRow[]; disabledReason: string | null }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <table className="min-w-full divide-y divide-slate-200 dark:divide-slate-800">
        <caption className="sr-only">Consent invitations, newest first</caption>
        <thead className="bg-slate-50 dark:bg-slate-900">
          <tr>
            <th scope="col" className={th}>
              Customer
            </th>
            <th scope="col" className={th}>
              State
            </th>
            <th scope="col" className={th}>
              Access
            </th>
            <th scope="col" className={th}>
              Expected tenant
            </th>
            <th scope="col" className={th}>
              Created
            </th>
            <th scope="col" className={th}>
              Expires
            </th>
            <th scope="col" className={`${th} text-right`}>
              Actions
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.map((row) => (
            <tr key={row.id} data-testid="invitation-row">
              <td className={td}>
                <div className="font-medium">{row.customerName}</div>
                {row.note ? (
                  <div className="max-w-xs truncate text-xs text-slate-500" title={row.note}>
                    {row.note}
                  </div>
                ) : null}
              </td>
              <td className={td}>
                <Badge tone={STATE[row.state].tone}>{STATE[row.state].label}</Badge>
                {/* Microsoft's text came through a link anyone can write: in the audit trail only. */}
                {row.declinedReason ? (
                  <div className="mt-1 max-w-xs text-xs text-slate-500">
                    {consentDeclineWords({ error: row.declinedErrorCode, description: row.declinedReason })}
                  </div>
                ) : null}
                {row.state === "revoked" && row.revokedByName ? <div className="mt-1 text-xs text-slate-500">by {row.revokedByName}</div> : null}
              </td>
              <td className={td}>{ACCESS_LABEL[row.requestedAccess]}</td>
              <td className={`${td} font-mono text-xs`}>{row.tenantId ?? row.expectedTenant ?? "Any"}</td>
              <td className={td}>
                <DateTime value={row.createdAt} />
                <div className="text-xs text-slate-500">by {row.createdByName}</div>
              </td>
              <td className={td}>
                <DateTime value={row.expiresAt} />
              </td>
              <td className={`${td} text-right`}>
                {row.state === "consented" ? null : (
                  <InvitationActions invitationId={row.id} canRevoke={row.state === "waiting" || row.state === "declined"} disabledReason={disabledReason} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
