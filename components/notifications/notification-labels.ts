import type { BadgeTone } from "../ui/badge";

export const SEVERITY_OPTIONS = [
  { rank: 4, label: "High" },
  { rank: 3, label: "Medium and above" },
  { rank: 2, label: "Low and above" },
  { rank: 1, label: "Informational and above" },
  { rank: 0, label: "Every severity" },
] as const;

export function severityScopeLabel(rank: number): string {
  return SEVERITY_OPTIONS.find((option) => option.rank === rank)?.label ?? `rank ${rank} and above`;
}

export const DELIVERY_STATE: Record<"pending" | "delivered" | "dead", { label: string; tone: BadgeTone }> = {
  pending: { label: "Waiting", tone: "info" },
  delivered: { label: "Delivered", tone: "good" },
  dead: { label: "Dead letter", tone: "bad" },
};

export const tableShell = "overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900";
export const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400";
export const td = "px-3 py-2 align-top text-sm";
