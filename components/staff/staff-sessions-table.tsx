import type { StaffMemberSessions } from "@/server/auth/staff-sessions";
import { ROLE_LABEL } from "@/server/auth/roles";
import { Badge } from "../ui/badge";
import { DateTime } from "../ui/date-time";
import { EndSessionsButton } from "./end-sessions-button";

const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400";
const td = "px-3 py-2 align-top text-sm";

/** The browser family of a user agent, enough to tell sessions apart (the full string is on hover). */
function browserLabel(userAgent: string | null): string {
  if (!userAgent) return "Unknown browser";
  for (const [pattern, name] of [
    [/Edg\//, "Edge"],
    [/Firefox\//, "Firefox"],
    [/Chrom(e|ium)\//, "Chrome"],
    [/Safari\//, "Safari"],
  ] as const) {
    if (pattern.test(userAgent)) return name;
  }
  return "Other browser";
}

export function StaffSessionsTable({ rows, currentOid, disabledReason }: { rows: StaffMemberSessions[]; currentOid: string; disabledReason: string | null }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <table className="min-w-full divide-y divide-slate-200 dark:divide-slate-800">
        <caption className="sr-only">Staff members and their active sessions</caption>
        <thead className="bg-slate-50 dark:bg-slate-900">
          <tr>
            <th scope="col" className={th}>
              Staff member
            </th>
            <th scope="col" className={th}>
              Role
            </th>
            <th scope="col" className={th}>
              Last sign-in
            </th>
            <th scope="col" className={th}>
              Active sessions
            </th>
            <th scope="col" className={`${th} text-right`}>
              Actions
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.map((row) => (
            <tr key={row.oid} data-testid="staff-row" data-staff-oid={row.oid}>
              <td className={td}>
                <div className="font-medium">
                  {row.name}
                  {row.oid === currentOid ? <span className="ml-1 text-xs font-normal text-slate-500">(you)</span> : null}
                </div>
                <div className="text-xs text-slate-500">{row.username}</div>
              </td>
              <td className={td}>{row.role ? <Badge>{ROLE_LABEL[row.role]}</Badge> : <span className="text-slate-500">No role</span>}</td>
              <td className={td}>
                <DateTime value={row.lastSignInAt} />
              </td>
              <td className={td}>
                <div data-testid="active-session-count">{row.activeSessions.length === 0 ? "None" : row.activeSessions.length}</div>
                {row.activeSessions.length ? (
                  <ul className="mt-1 space-y-0.5 text-xs text-slate-500">
                    {row.activeSessions.map((session, index) => (
                      <li key={index}>
                        <DateTime value={session.signedInAt} /> · ends <DateTime value={session.expiresAt} /> ·{" "}
                        <span title={session.userAgent ?? undefined}>{browserLabel(session.userAgent)}</span>
                        {session.ipAddress ? (
                          <>
                            {" "}
                            · <span className="font-mono">{session.ipAddress}</span>
                          </>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </td>
              <td className={`${td} text-right`}>
                <EndSessionsButton
                  staffOid={row.oid}
                  staffName={row.name}
                  activeSessions={row.activeSessions.length}
                  isSelf={row.oid === currentOid}
                  disabledReason={disabledReason}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
