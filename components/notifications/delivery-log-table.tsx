import Link from "next/link";
import type { DeliveryLogRow } from "@/server/notifications/delivery-log";
import { EVENT_LABEL } from "@/server/notifications/notification-event";
import { Badge } from "../ui/badge";
import { DateTime } from "../ui/date-time";
import { DELIVERY_STATE, tableShell, td, th } from "./notification-labels";

/** Messages with their state: waiting (with the next try), delivered, or dead with the last error. */
export function DeliveryLogTable({ rows, caption, testId }: { rows: DeliveryLogRow[]; caption: string; testId: string }) {
  return (
    <div className={tableShell}>
      <table className="min-w-full divide-y divide-slate-200 dark:divide-slate-800" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 dark:bg-slate-900">
          <tr>
            {["Detected", "Event", "Incident", "Channel", "State", "Attempts", "Last error"].map((heading) => (
              <th key={heading} scope="col" className={th}>
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.map((row) => (
            <tr key={row.id}>
              <td className={td}>
                <DateTime value={row.createdAt} />
              </td>
              <td className={td}>
                {EVENT_LABEL[row.kind]}
                {row.coalesced > 0 ? <div className="text-xs text-slate-500">+{row.coalesced} later changes folded in</div> : null}
              </td>
              <td className={td}>
                {row.incidentId ? (
                  <>
                    <Link className="text-brand-700 hover:underline dark:text-brand-300" href={`/incidents/${row.tenantId}/${row.incidentId}`}>
                      {row.incidentName ?? `#${row.incidentId}`}
                    </Link>
                    <div className="text-xs text-slate-500">{row.tenantName}</div>
                  </>
                ) : (
                  <span className="text-slate-500">—</span>
                )}
              </td>
              <td className={td}>{row.channelName ?? <span className="text-slate-500">deleted channel</span>}</td>
              <td className={td}>
                <Badge tone={DELIVERY_STATE[row.state].tone}>{DELIVERY_STATE[row.state].label}</Badge>
                <div className="text-xs text-slate-500">
                  {row.state === "delivered" ? (
                    <DateTime value={row.deliveredAt} />
                  ) : row.state === "pending" ? (
                    <>
                      next try <DateTime value={row.nextAttemptAt} />
                    </>
                  ) : null}
                </div>
              </td>
              <td className={td}>{row.attempts}</td>
              <td className={`${td} max-w-xs break-words text-xs`}>{row.lastError ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
