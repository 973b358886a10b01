import { timeAgo } from "@/lib/time";
/** How old the stored copy is: the tenant's last successful sync, relative to the page render. */
export function IncidentDataAge({ asOf, now, verbose = false }: { asOf: Date | null; now: Date; verbose?: boolean }) {
  if (!asOf) {
    return (
      <span className="whitespace-nowrap text-xs text-amber-700 dark:text-amber-300" title="This tenant has not completed a sync yet">
        {verbose ? "Not synced yet" : "not synced"}
      </span>
    );
  }
  const text = timeAgo(asOf, now);
  const stale = now.getTime() - asOf.getTime() > 60 * 60_000;
  return (
    <time
      dateTime={asOf.toISOString()}
      title={`Last successful sync: ${asOf.toISOString()}`}
      className={`whitespace-nowrap text-xs ${stale ? "font-medium text-amber-700 dark:text-amber-300" : "text-slate-500 dark:text-slate-400"}`}
    >
      {verbose ? `Synced ${text}` : text}
    </time>
  );
}
