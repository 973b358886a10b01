-- Service levels (issue #11): acknowledgement facts and due times on each incident, and the policies.
-- Rows stored before this migration get facts from their current version (the only one known) and
-- due times under the default policy, 24×7 (no tenant policy exists yet); later versions refine them.

-- CreateEnum
CREATE TYPE "AcknowledgementKind" AS ENUM ('assigned', 'in_progress', 'comment', 'resolved');

-- AlterTable
ALTER TABLE "incident" ADD COLUMN     "acknowledged_at" TIMESTAMP(3),
ADD COLUMN     "acknowledged_by" TEXT,
ADD COLUMN     "acknowledged_how" "AcknowledgementKind",
ADD COLUMN     "first_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "resolved_at" TIMESTAMP(3),
ADD COLUMN     "sla_acknowledge_due_at" TIMESTAMP(3),
ADD COLUMN     "sla_next_due_at" TIMESTAMP(3) NOT NULL DEFAULT '9999-12-31 00:00:00'::timestamp without time zone,
ADD COLUMN     "sla_pauses" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "sla_resolve_due_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "service_level_policy" (
    "scope" TEXT NOT NULL,
    "targets" JSONB NOT NULL,
    "business_hours" JSONB,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "updated_by_id" TEXT,
    "updated_by_name" TEXT,

    CONSTRAINT "service_level_policy_pkey" PRIMARY KEY ("scope")
);

-- CreateIndex
CREATE INDEX "incident_sla_next_due_at_tenant_id_incident_id_idx" ON "incident"("sla_next_due_at", "tenant_id", "incident_id");


-- Backfill: facts from the stored version.
UPDATE "incident" SET
  "first_seen_at" = "synced_at",
  "acknowledged_at" = CASE WHEN "assigned_to" IS NOT NULL OR "status" IN ('InProgress', 'Resolved', 'Redirected') THEN GREATEST("created_time", "last_update_time") END,
  "acknowledged_by" = "assigned_to",
  "acknowledged_how" = (CASE
    WHEN "assigned_to" IS NOT NULL THEN 'assigned'
    WHEN "status" = 'InProgress' THEN 'in_progress'
    WHEN "status" IN ('Resolved', 'Redirected') THEN 'resolved'
  END)::"AcknowledgementKind",
  "resolved_at" = CASE WHEN "status" IN ('Resolved', 'Redirected') THEN GREATEST("created_time", "last_update_time") END,
  "sla_pauses" = CASE WHEN "status" = 'AwaitingAction' THEN jsonb_build_array(jsonb_build_object('from', to_char("last_update_time", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'to', NULL)) ELSE '[]'::jsonb END;

-- Due times under the default policy (minutes to acknowledge / resolve; unknown severities as Low).
UPDATE "incident" SET
  "sla_acknowledge_due_at" = "created_time" + make_interval(mins => CASE lower("severity") WHEN 'high' THEN 15 WHEN 'medium' THEN 60 WHEN 'informational' THEN 1440 ELSE 240 END),
  "sla_resolve_due_at" = CASE lower("severity") WHEN 'high' THEN "created_time" + interval '4 hours' WHEN 'medium' THEN "created_time" + interval '24 hours'
    WHEN 'informational' THEN NULL ELSE "created_time" + interval '72 hours' END;

UPDATE "incident" SET "sla_next_due_at" = COALESCE(LEAST(
    CASE WHEN "acknowledged_at" IS NULL THEN "sla_acknowledge_due_at" END,
    "sla_resolve_due_at"), '9999-12-31 00:00:00'::timestamp)
  WHERE "status" NOT IN ('Resolved', 'Redirected', 'AwaitingAction');
