import "server-only";
import { getDb, logger } from "../services";
import type { AuditAction } from "./audit-actions";

export type AuditActor = { type: "staff"; id: string; name: string } | { type: "customer"; id?: string; name?: string } | { type: "system"; name?: string };

export type AuditOutcome = "success" | "refused" | "failure";

export type AuditEventInput = {
  actor: AuditActor;
  action: AuditAction;
  outcome: AuditOutcome;
  tenantId?: string | null;
  targetId?: string | null;
  reason?: string | null;
  ipAddress?: string | null;
  details?: Record<string, string | number | boolean | null>;
};

/** Appends one audit event. The table refuses UPDATE and DELETE, so history cannot be rewritten. */
export async function recordAuditEvent(event: AuditEventInput): Promise<void> {
  const db = await getDb();
  await db.auditEvent.create({
    data: {
      actorType: event.actor.type,
      actorId: "id" in event.actor ? (event.actor.id ?? null) : null,
      actorName: event.actor.name ?? null,
      action: event.action,
      outcome: event.outcome,
      tenantId: event.tenantId ?? null,
      targetId: event.targetId ?? null,
      reason: event.reason ?? null,
      ipAddress: event.ipAddress ?? null,
      details: event.details ?? undefined,
    },
  });
  logger().info(
    { event: "audit", action: event.action, outcome: event.outcome, tenantId: event.tenantId ?? undefined, actor: event.actor.type },
    "audit event recorded",
  );
}
