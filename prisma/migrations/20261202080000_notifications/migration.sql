-- Notifications (issue #11 §3): channels (secrets sealed by the portal, never in clear), rules, and the
-- durable outbox: one row per message, unique per (rule, channel, tenant, incident, event kind, occurrence).
-- CreateEnum
CREATE TYPE "NotificationChannelKind" AS ENUM ('teams', 'slack', 'webhook', 'email');

-- CreateEnum
CREATE TYPE "NotificationEventKind" AS ENUM ('new_incident', 'severity_raised', 'sla_due_soon', 'sla_breached', 'reopened', 'changed_outside', 'test');

-- CreateEnum
CREATE TYPE "NotificationDeliveryState" AS ENUM ('pending', 'delivered', 'dead');

-- CreateTable
CREATE TABLE "notification_channel" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "NotificationChannelKind" NOT NULL,
    "secret_sealed" TEXT NOT NULL,
    "masked_target" TEXT NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_name" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "notification_channel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_rule" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "tenant_ids" TEXT[],
    "min_severity_rank" INTEGER NOT NULL,
    "events" "NotificationEventKind"[],
    "channel_ids" TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_name" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "notification_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_outbox" (
    "id" TEXT NOT NULL,
    "rule_id" TEXT,
    "channel_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "incident_id" BIGINT NOT NULL,
    "kind" "NotificationEventKind" NOT NULL,
    "occurrence" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "coalesced" INTEGER NOT NULL DEFAULT 0,
    "state" "NotificationDeliveryState" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_by" TEXT,
    "claimed_until" TIMESTAMP(3),
    "last_error" TEXT,
    "last_status_code" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMP(3),

    CONSTRAINT "notification_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "notification_outbox_state_next_attempt_at_idx" ON "notification_outbox"("state", "next_attempt_at");

-- CreateIndex
CREATE INDEX "notification_outbox_created_at_idx" ON "notification_outbox"("created_at" DESC);

-- CreateIndex
CREATE INDEX "notification_outbox_tenant_id_incident_id_idx" ON "notification_outbox"("tenant_id", "incident_id");

-- CreateIndex
CREATE UNIQUE INDEX "notification_outbox_rule_id_channel_id_tenant_id_incident_i_key" ON "notification_outbox"("rule_id", "channel_id", "tenant_id", "incident_id", "kind", "occurrence");

