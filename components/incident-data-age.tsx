/** How old the stored copy is: the tenant's last successful sync, relative to the page render. */
export function IncidentDataAge({ asOf, now, verbose = false }: { asOf: Date | null; now: Date; verbose?: boolean }) {
  if (!asOf) {
    return (
      <span className="whitespace-nowrap text-xs text-amber-700 dark:text-amber-300" title="This tenant has not completed a sync yet">
        {verbose ? "Not synced yet" : "not synced"}
      </span>
    );
  }
  const minutes = Math.max(0, Math.round((now.getTime() - asOf.getTime()) / 60_000));
  const text = minutes < 1 ? "just now" : minutes < 60 ? `${minutes} min ago` : minutes < 48 * 60 ? `${Math.round(minutes / 60)} h ago` : `${Math.round(minutes / 1440)} d ago`;
  const stale = minutes > 60;
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
