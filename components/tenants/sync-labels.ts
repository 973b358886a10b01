import type { BadgeTone } from "../ui/badge";

export const SYNC_STATE: Record<string, { label: string; tone: BadgeTone }> = {
  never_synced: { label: "Not synced yet", tone: "neutral" },
  backfilling: { label: "First sync", tone: "info" },
  up_to_date: { label: "Up to date", tone: "good" },
  stale: { label: "Stale", tone: "warn" },
  failing: { label: "Failing", tone: "bad" },
  paused: { label: "Paused", tone: "neutral" },
};
