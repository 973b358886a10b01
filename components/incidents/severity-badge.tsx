import { SEVERITY_LABEL } from "./incident-labels";

const STYLE: Record<string, string> = {
  High: "bg-red-600 text-white ring-red-700 dark:bg-red-500/90 dark:ring-red-400",
  Medium: "bg-orange-100 text-orange-900 ring-orange-300 dark:bg-orange-950 dark:text-orange-200 dark:ring-orange-800",
  Low: "bg-yellow-50 text-yellow-900 ring-yellow-300 dark:bg-yellow-950 dark:text-yellow-200 dark:ring-yellow-800",
  Informational: "bg-sky-50 text-sky-800 ring-sky-200 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-800",
};
const FALLBACK = "bg-slate-100 text-slate-700 ring-slate-300 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-600";

/** Severity with colour and a shape cue (the dot), so it does not rely on colour alone. */
export function SeverityBadge({ severity }: { severity: string }) {
  const label = SEVERITY_LABEL[severity] ?? severity;
  return (
    <span
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${STYLE[severity] ?? FALLBACK}`}
    >
      <span aria-hidden="true" className="h-1.5 w-1.5 rounded-full bg-current opacity-70" />
      {label}
    </span>
  );
}
