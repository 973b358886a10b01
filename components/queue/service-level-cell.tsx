import { serviceLevelCell, type StoredServiceLevel } from "@/lib/service-levels";
import { utcMinute } from "@/lib/time";
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
    <span data-testid="sla-cell" data-sla-band={cell.band} title={cell.dueAt ? `Due ${utcMinute(cell.dueAt)}` : undefined}>
      <Badge tone={TONE[cell.band]}>{cell.text}</Badge>
    </span>
  );
}
