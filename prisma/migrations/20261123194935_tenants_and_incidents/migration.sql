-- CreateTable
CREATE TABLE "tenant" (
    "id" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "required_access" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "status_changed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "granted_roles" TEXT[],
    "onboarded_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "onboarded_by_id" TEXT,
    "onboarded_by_name" TEXT,
    "last_verified_at" TIMESTAMP(3),
    "last_error_code" TEXT,
    "last_error_message" TEXT,
    "last_error_at" TIMESTAMP(3),
    "next_verify_at" TIMESTAMP(3),
    "offboarded_at" TIMESTAMP(3),
    "offboarded_by_name" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "tenant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consent_invitation" (
    "id" TEXT NOT NULL,
    "customer_name" TEXT NOT NULL,
    "expected_tenant" TEXT,
    "requested_access" TEXT NOT NULL,
    "note" TEXT,
    "link_token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" TEXT NOT NULL,
    "created_by_name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'waiting',
    "declined_reason" TEXT,
    "declined_at" TIMESTAMP(3),
    "consented_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),
    "revoked_by_name" TEXT,
    "replaced_by_id" TEXT,
    "tenant_id" TEXT,

    CONSTRAINT "consent_invitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consent_attempt" (
    "id" TEXT NOT NULL,
    "invitation_id" TEXT NOT NULL,
    "state_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),
    "tenant_id" TEXT,
    "verification" TEXT,
    "verify_tries" INTEGER NOT NULL DEFAULT 0,
    "verify_deadline" TIMESTAMP(3),
    "next_verify_at" TIMESTAMP(3),
    "failure_reason" TEXT,
    "ip_address" TEXT,

    CONSTRAINT "consent_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident" (
    "tenant_id" TEXT NOT NULL,
    "incident_id" BIGINT NOT NULL,
    "incident_name" TEXT NOT NULL,
    "incident_uri" TEXT,
    "redirect_incident_id" BIGINT,
    "status" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "severity_rank" INTEGER NOT NULL,
    "classification" TEXT,
    "determination" TEXT,
    "assigned_to" TEXT,
    "detection_sources" TEXT[],
    "tags" TEXT[],
    "alert_count" INTEGER NOT NULL,
    "comment_count" INTEGER NOT NULL,
    "created_time" TIMESTAMP(3) NOT NULL,
    "last_update_time" TIMESTAMP(3) NOT NULL,
    "first_activity" TIMESTAMP(3),
    "last_activity" TIMESTAMP(3),
    "search_text" TEXT NOT NULL,
    "raw" JSONB NOT NULL,
    "synced_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "incident_pkey" PRIMARY KEY ("tenant_id","incident_id")
);

-- CreateTable
CREATE TABLE "incident_entity" (
    "tenant_id" TEXT NOT NULL,
    "incident_id" BIGINT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "incident_entity_pkey" PRIMARY KEY ("tenant_id","incident_id","entity_type","value")
);

-- CreateTable
CREATE TABLE "tenant_sync_state" (
    "tenant_id" TEXT NOT NULL,
    "cursor" TIMESTAMP(3),
    "backfill_completed_at" TIMESTAMP(3),
    "pass_started_from" TIMESTAMP(3),
    "pass_skip" INTEGER NOT NULL DEFAULT 0,
    "pass_fetched" INTEGER NOT NULL DEFAULT 0,
    "last_run_at" TIMESTAMP(3),
    "last_success_at" TIMESTAMP(3),
    "next_run_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "requested_at" TIMESTAMP(3),
    "running" BOOLEAN NOT NULL DEFAULT false,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "last_error_code" TEXT,
    "last_error_message" TEXT,
    "last_error_at" TIMESTAMP(3),
    "malformed_count" INTEGER NOT NULL DEFAULT 0,
    "lease_owner" TEXT,
    "lease_expires_at" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "tenant_sync_state_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "sync_issue" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "incident_id" TEXT,
    "problem" TEXT NOT NULL,
    "sample" TEXT NOT NULL,
    "seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sync_issue_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "tenant_status_idx" ON "tenant"("status");

-- CreateIndex
CREATE INDEX "tenant_next_verify_at_idx" ON "tenant"("next_verify_at");

-- CreateIndex
CREATE UNIQUE INDEX "consent_invitation_link_token_hash_key" ON "consent_invitation"("link_token_hash");

-- CreateIndex
CREATE INDEX "consent_invitation_status_created_at_idx" ON "consent_invitation"("status", "created_at" DESC);

-- CreateIndex
CREATE INDEX "consent_invitation_tenant_id_idx" ON "consent_invitation"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "consent_attempt_state_hash_key" ON "consent_attempt"("state_hash");

-- CreateIndex
CREATE INDEX "consent_attempt_invitation_id_idx" ON "consent_attempt"("invitation_id");

-- CreateIndex
CREATE INDEX "incident_last_update_time_tenant_id_incident_id_idx" ON "incident"("last_update_time" DESC, "tenant_id", "incident_id");

-- CreateIndex
CREATE INDEX "incident_tenant_id_last_update_time_idx" ON "incident"("tenant_id", "last_update_time" DESC);

-- CreateIndex
CREATE INDEX "incident_created_time_tenant_id_incident_id_idx" ON "incident"("created_time" DESC, "tenant_id", "incident_id");

-- CreateIndex
CREATE INDEX "incident_severity_rank_last_update_time_idx" ON "incident"("severity_rank" DESC, "last_update_time" DESC);

-- CreateIndex
CREATE INDEX "incident_status_last_update_time_idx" ON "incident"("status", "last_update_time" DESC);

-- CreateIndex
CREATE INDEX "incident_assigned_to_last_update_time_idx" ON "incident"("assigned_to", "last_update_time" DESC);

-- CreateIndex
CREATE INDEX "incident_entity_value_idx" ON "incident_entity"("value");

-- CreateIndex
CREATE INDEX "tenant_sync_state_next_run_at_idx" ON "tenant_sync_state"("next_run_at");

-- CreateIndex
CREATE INDEX "sync_issue_tenant_id_seen_at_idx" ON "sync_issue"("tenant_id", "seen_at" DESC);

-- AddForeignKey
ALTER TABLE "consent_invitation" ADD CONSTRAINT "consent_invitation_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consent_attempt" ADD CONSTRAINT "consent_attempt_invitation_id_fkey" FOREIGN KEY ("invitation_id") REFERENCES "consent_invitation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_entity" ADD CONSTRAINT "incident_entity_tenant_id_incident_id_fkey" FOREIGN KEY ("tenant_id", "incident_id") REFERENCES "incident"("tenant_id", "incident_id") ON DELETE CASCADE ON UPDATE CASCADE;
