-- The reconciliation gets its own resumable position: it no longer replaces the incremental pass.
ALTER TABLE "tenant_sync_state" ADD COLUMN     "reconcile_fetched" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "reconcile_next_link" TEXT,
ADD COLUMN     "reconcile_repaired" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "reconcile_started_at" TIMESTAMP(3);

-- A reconciliation pass in progress (an unfiltered Graph walk) moves to the new position, where it
-- resumes at the same nextLink; the incremental pass starts afresh from its stored bound (next_from).
UPDATE "tenant_sync_state"
SET "reconcile_started_at" = "pass_started_at",
    "reconcile_next_link" = "pass_next_link",
    "reconcile_fetched" = "pass_fetched",
    "reconcile_repaired" = "pass_repaired",
    "pass_source" = NULL,
    "pass_started_from" = NULL,
    "pass_skip" = 0,
    "pass_fetched" = 0,
    "pass_next_link" = NULL,
    "pass_started_at" = NULL,
    "pass_newest" = NULL
WHERE "pass_reconcile" AND "pass_source" = 'graph' AND "pass_started_at" IS NOT NULL;

ALTER TABLE "tenant_sync_state" DROP COLUMN "pass_reconcile",
DROP COLUMN "pass_repaired";
