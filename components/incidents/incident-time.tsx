import { compactUtc, utcSecond } from "@/lib/time";
/** A compact UTC timestamp for dense tables ("Mar 04 13:07"), the exact value on hover. */
export function IncidentTime({ value }: { value: Date | null | undefined }) {
  if (!value) return <span className="text-slate-400">—</span>;
  const iso = value.toISOString();
  return (
    <time dateTime={iso} title={utcSecond(value)} className="whitespace-nowrap tabular-nums">
      {compactUtc(value)}
    </time>
  );
}
