import { serviceLevelCell, type StoredServiceLevel } from "@/lib/service-levels";
import { Badge, type BadgeTone } from "../ui/badge";

const TONE: Record<ReturnType<typeof serviceLevelCell>["band"], BadgeTone> = {
  overdue: "bad",
  due_soon: "warn",
  ok: "neutral",
  paused: "info",
  met: "good",
  missed: "bad",
  none: "neutral",
};

/** The SLA column: which clock runs and how long is left (or by how much it is late), coloured. */
export function ServiceLevelCell({ serviceLevel, now }: { serviceLevel: StoredServiceLevel; now: Date }) {
  const cell = serviceLevelCell(serviceLevel, now);
  return (
    <span
      data-testid="sla-cell"
      data-sla-band={cell.band}
      title={cell.dueAt ? `Due ${cell.dueAt.toISOString().replace("T", " ").slice(0, 16)} UTC` : undefined}
    >
      <Badge tone={TONE[cell.band]}>{cell.text}</Badge>
    </span>
  );
}
