/** The record exactly as Defender sent it, as plain text (never interpreted as HTML). */
export function IncidentRawJson({ json }: { json: string }) {
  return (
    <details className="rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <summary className="cursor-pointer px-4 py-2 text-sm font-semibold">Raw JSON from Defender</summary>
      <pre
        className="max-h-[32rem] overflow-auto border-t border-slate-200 p-4 font-mono text-xs leading-relaxed dark:border-slate-800"
        data-testid="incident-raw-json"
      >
        {json}
      </pre>
    </details>
  );
}
