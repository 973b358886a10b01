import { Badge, type BadgeTone } from "../ui/badge";
import { TENANT_STATUS_LABEL, type TenantStatus } from "@/server/tenants/tenant-status";

const TONE: Record<TenantStatus, BadgeTone> = {
  pending_confirmation: "warn",
  active: "good",
  graph_consent_needed: "warn",
  permission_missing: "warn",
  consent_revoked: "bad",
  unreachable: "bad",
  offboarded: "neutral",
};

export function TenantStatusBadge({ status }: { status: TenantStatus }) {
  return <Badge tone={TONE[status]}>{TENANT_STATUS_LABEL[status]}</Badge>;
}
