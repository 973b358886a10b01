-- Status-like columns become enums: the database refuses any other value. Each column is
-- converted in place (USING), keeping every row; defaults are dropped and set again around it.

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('staff', 'customer', 'system');
CREATE TYPE "AuditOutcome" AS ENUM ('success', 'refused', 'failure');
CREATE TYPE "RequiredAccess" AS ENUM ('read', 'read_write');
CREATE TYPE "TenantStatus" AS ENUM ('pending_confirmation', 'active', 'graph_consent_needed', 'permission_missing', 'consent_revoked', 'unreachable', 'offboarded');
CREATE TYPE "IncidentSource" AS ENUM ('graph', 'defender');
CREATE TYPE "InvitationStatus" AS ENUM ('waiting', 'consented', 'declined', 'revoked');
CREATE TYPE "ConsentVerification" AS ENUM ('signing_in', 'pending', 'verified', 'permission_missing', 'failed', 'declined');

-- AlterTable
ALTER TABLE "audit_event"
  ALTER COLUMN "actor_type" TYPE "ActorType" USING "actor_type"::"ActorType",
  ALTER COLUMN "outcome" TYPE "AuditOutcome" USING "outcome"::"AuditOutcome";

ALTER TABLE "tenant" ALTER COLUMN "incident_source" DROP DEFAULT;
ALTER TABLE "tenant"
  ALTER COLUMN "required_access" TYPE "RequiredAccess" USING "required_access"::"RequiredAccess",
  ALTER COLUMN "status" TYPE "TenantStatus" USING "status"::"TenantStatus",
  ALTER COLUMN "incident_source" TYPE "IncidentSource" USING "incident_source"::"IncidentSource";
ALTER TABLE "tenant" ALTER COLUMN "incident_source" SET DEFAULT 'graph';

ALTER TABLE "consent_invitation" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "consent_invitation"
  ALTER COLUMN "requested_access" TYPE "RequiredAccess" USING "requested_access"::"RequiredAccess",
  ALTER COLUMN "status" TYPE "InvitationStatus" USING "status"::"InvitationStatus";
ALTER TABLE "consent_invitation" ALTER COLUMN "status" SET DEFAULT 'waiting';

ALTER TABLE "consent_attempt"
  ALTER COLUMN "verification" TYPE "ConsentVerification" USING "verification"::"ConsentVerification";

ALTER TABLE "incident" ALTER COLUMN "source" DROP DEFAULT;
ALTER TABLE "incident"
  ALTER COLUMN "source" TYPE "IncidentSource" USING "source"::"IncidentSource";
ALTER TABLE "incident" ALTER COLUMN "source" SET DEFAULT 'defender';

ALTER TABLE "tenant_sync_state"
  ALTER COLUMN "pass_source" TYPE "IncidentSource" USING "pass_source"::"IncidentSource";
