import { utcMinute } from "@/lib/time";
/** A timestamp rendered the same on server and client (UTC, ISO-like), with the exact value on hover. */
export function DateTime({ value }: { value: Date | string | null | undefined }) {
  if (!value) return <span className="text-slate-400">—</span>;
  const date = typeof value === "string" ? new Date(value) : value;
  const iso = date.toISOString();
  return (
    <time dateTime={iso} title={iso}>
      {utcMinute(date)}
    </time>
  );
}
