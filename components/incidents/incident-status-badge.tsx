import { Badge } from "../ui/badge";
import { STATUS_LABEL, STATUS_TONE } from "./incident-labels";

export function IncidentStatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS_TONE[status] ?? "neutral"}>{STATUS_LABEL[status] ?? status}</Badge>;
}
