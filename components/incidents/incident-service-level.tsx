import Link from "next/link";
import type { ClockView, IncidentServiceLevel } from "@/server/service-levels/incident-service-level";
import { formatDuration } from "@/lib/time";
import { Badge, type BadgeTone } from "../ui/badge";
import { IncidentTime } from "./incident-time";

const LABEL: Record<IncidentServiceLevel["timeline"][number]["kind"], string> = {
  created: "Created",
  first_synced: "First synced",
  acknowledged: "Acknowledged",
  paused: "Paused",
  resumed: "Resumed",
  resolved: "Resolved",
};

function clockOutcome(clock: ClockView, paused: boolean): { tone: BadgeTone; text: string } {
  if (clock.targetMinutes === null) return { tone: "neutral", text: "No target" };
  if (clock.met === true) return { tone: "good", text: "Met" };
  if (clock.met === false) {
    const late = clock.remainingMinutes !== null && clock.remainingMinutes < 0 ? formatDuration(-clock.remainingMinutes, { style: "span" }) : null;
    return { tone: "bad", text: clock.done ? (late ? `Missed by ${late}` : "Missed") : late ? `Overdue by ${late}` : "Overdue" };
  }
  if (paused) return { tone: "info", text: "Paused" };
  if (clock.remainingMinutes === null) return { tone: "neutral", text: "Not measured" };
  return { tone: clock.remainingMinutes <= 60 ? "warn" : "neutral", text: formatDuration(clock.remainingMinutes, { style: "countdown" }) };
}

/** The incident's handling in time order, and its two service-level clocks. */
export function IncidentServiceLevelPanel({ serviceLevel, tenantId }: { serviceLevel: IncidentServiceLevel; tenantId: string }) {
  return (
    <section
      aria-labelledby="sla-h"
      className="rounded-xl border border-slate-200 bg-white p-4 text-sm shadow-sm dark:border-slate-800 dark:bg-slate-900"
      data-testid="incident-sla"
    >
      <h2 id="sla-h" className="mb-2 text-base font-semibold">
        Service level
      </h2>
      <dl className="mb-3 grid grid-cols-[auto_1fr] items-center gap-x-3 gap-y-2">
        {[serviceLevel.acknowledge, serviceLevel.resolve].map((clock) => {
          const outcome = clockOutcome(clock, serviceLevel.paused);
          const done = clock.done;
          return (
            <div key={clock.label} className="contents">
              <dt className="text-slate-600 dark:text-slate-400">{clock.label}</dt>
              <dd className="flex flex-wrap items-center gap-2">
                <Badge tone={outcome.tone}>{outcome.text}</Badge>
                {clock.targetMinutes !== null ? (
                  <span className="text-xs text-slate-500">
                    {done
                      ? `${formatDuration(clock.elapsedWorkingMinutes, { style: "span" })} of ${formatDuration(clock.targetMinutes, { style: "span" })}`
                      : `target ${formatDuration(clock.targetMinutes, { style: "span" })}`}
                    {clock.dueAt ? (
                      <>
                        {" · due "}
                        <IncidentTime value={clock.dueAt} />
                      </>
                    ) : null}
                  </span>
                ) : null}
              </dd>
            </div>
          );
        })}
      </dl>
      <ol className="relative ml-1 space-y-2 border-l border-slate-200 pl-4 dark:border-slate-700" aria-label="Timeline">
        {serviceLevel.timeline.map((entry, index) => (
          <li key={`${entry.kind}-${index}`} data-timeline-kind={entry.kind}>
            <span aria-hidden="true" className="absolute -left-[5px] mt-1.5 h-2.5 w-2.5 rounded-full bg-brand-500" />
            <span className="font-medium">{LABEL[entry.kind]}</span> <IncidentTime value={entry.at} />
            {entry.detail ? <span className="block break-words text-xs text-slate-500">{entry.detail}</span> : null}
          </li>
        ))}
      </ol>
      <p className="mt-3 text-xs text-slate-500">
        {serviceLevel.policyText}; hours {serviceLevel.hoursText}.{" "}
        <Link href={`/settings/service-levels/${tenantId}`} className="text-brand-600 hover:underline dark:text-brand-100">
          Service levels of this customer
        </Link>
      </p>
    </section>
  );
}
