import type { BadgeTone } from "./badge";

export const SYNC_STATE: Record<string, { label: string; tone: BadgeTone }> = {
  never_synced: { label: "Not synced yet", tone: "neutral" },
  backfilling: { label: "First sync", tone: "info" },
  up_to_date: { label: "Up to date", tone: "good" },
  stale: { label: "Stale", tone: "warn" },
  failing: { label: "Failing", tone: "bad" },
  paused: { label: "Paused", tone: "neutral" },
};

/** "42 s", "3 min", "2 h", "5 d": how old the stored data is. */
export function formatAge(ms: number | null): string {
  if (ms === null) return "never";
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m} min`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} d`;
}
