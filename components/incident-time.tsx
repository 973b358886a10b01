const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A compact UTC timestamp for dense tables ("Mar 04 13:07"), the exact value on hover. */
export function IncidentTime({ value }: { value: Date | null | undefined }) {
  if (!value) return <span className="text-slate-400">—</span>;
  const iso = value.toISOString();
  const text = `${MONTHS[value.getUTCMonth()]} ${String(value.getUTCDate()).padStart(2, "0")} ${iso.slice(11, 16)}`;
  return (
    <time dateTime={iso} title={`${iso.slice(0, 19).replace("T", " ")} UTC`} className="whitespace-nowrap tabular-nums">
      {text}
    </time>
  );
}
