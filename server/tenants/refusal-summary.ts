import "server-only";
import { getDb } from "../services";
import { recordAuditEvent } from "../audit/audit-event";
import { CONSENT_WINDOW_MS, closedRefusalCounts, markRefusalCountAudited, sweepClosedWindows } from "./consent-rate-limit";

/**
 * Writes, once per closed window, how many more forged or state-less consent callbacks an address
 * sent after the first one (which was audited when it came). Safe in several processes: the row
 * is marked first, and only the process that marked it writes the audit event.
 */
export async function auditCountedRefusals(now = Date.now()): Promise<number> {
  const db = await getDb();
  let written = 0;
  for (const row of await closedRefusalCounts(db, now)) {
    if (!(await markRefusalCountAudited(db, row))) continue;
    const [, reason, ...address] = row.key.split(":");
    const ipAddress = address.join(":");
    await recordAuditEvent({
      actor: { type: "customer" },
      action: "consent.refused",
      outcome: "refused",
      reason: reason ?? "state-unknown",
      ipAddress: ipAddress === "unknown" ? null : ipAddress,
      details: {
        repeated: row.hits - 1,
        windowStart: row.windowStart.toISOString(),
        windowEnd: new Date(row.windowStart.getTime() + CONSENT_WINDOW_MS).toISOString(),
      },
    });
    written += 1;
  }
  await sweepClosedWindows(db, now);
  return written;
}
