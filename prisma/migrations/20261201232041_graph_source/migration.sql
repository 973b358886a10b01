-- AlterTable
ALTER TABLE "incident" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'defender',
ADD COLUMN     "system_tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "tenant" ADD COLUMN     "incident_source" TEXT NOT NULL DEFAULT 'graph',
ADD COLUMN     "legacy_roles" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "tenant_sync_state" ADD COLUMN     "last_reconcile_repaired" INTEGER,
ADD COLUMN     "last_reconciled_at" TIMESTAMP(3),
ADD COLUMN     "next_from" TIMESTAMP(3),
ADD COLUMN     "next_reconcile_at" TIMESTAMP(3),
ADD COLUMN     "pass_newest" TIMESTAMP(3),
ADD COLUMN     "pass_next_link" TEXT,
ADD COLUMN     "pass_reconcile" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "pass_repaired" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "pass_source" TEXT,
ADD COLUMN     "pass_started_at" TIMESTAMP(3);

-- Tenants onboarded before Microsoft Graph: their granted roles are the Defender API's. They keep
-- syncing through that API until their admin consents again (Graph permissions are not granted
-- by an earlier consent), and are re-verified at once so their status shows what they need.
UPDATE "tenant"
SET "legacy_roles" = "granted_roles",
    "granted_roles" = ARRAY[]::TEXT[],
    "incident_source" = 'defender',
    "next_verify_at" = CASE WHEN "status" = 'offboarded' THEN "next_verify_at" ELSE CURRENT_TIMESTAMP END;
-- A pass in progress was a Defender pass.
UPDATE "tenant_sync_state" SET "pass_source" = 'defender' WHERE "pass_started_from" IS NOT NULL;
