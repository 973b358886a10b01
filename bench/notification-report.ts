import type { NotificationBenchResult } from "./notification-bench";
import { ms } from "./stats";

/** The notifications section of the bench report. */
export function notificationReport(results: NotificationBenchResult[]): string {
  return [
    "### Notifications: sync commit → delivery",
    "",
    "A new incident committed by a sync page, until its JSON webhook arrived at a local receiver (delivery loop round every 2 s, as the portal runs it):",
    "",
    "| store | samples | p50 | p95 | max | a page of 50 new incidents: last message after |",
    "|---|---:|---:|---:|---:|---:|",
    ...results.map(
      (r) =>
        `| ${r.db} | ${r.samples} | ${ms(r.single.p50)} ms | ${ms(r.single.p95)} ms | ${ms(r.single.max)} ms | ${ms(r.burst.lastArrivalMs)} ms (${r.burst.incidents}) |`,
    ),
  ].join("\n");
}
