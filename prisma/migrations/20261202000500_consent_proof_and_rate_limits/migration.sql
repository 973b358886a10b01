-- AlterTable
ALTER TABLE "consent_attempt" ADD COLUMN     "admin_name" TEXT,
ADD COLUMN     "admin_oid" TEXT,
ADD COLUMN     "admin_upn" TEXT,
ADD COLUMN     "browser_nonce_hash" TEXT,
ADD COLUMN     "error_code" TEXT,
ADD COLUMN     "sign_in_nonce" TEXT,
ADD COLUMN     "sign_in_state_hash" TEXT,
ADD COLUMN     "sign_in_verifier" TEXT,
ADD COLUMN     "tenant_named" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "tenant" ADD COLUMN     "confirmed_at" TIMESTAMP(3),
ADD COLUMN     "confirmed_by_name" TEXT,
ADD COLUMN     "consented_by_name" TEXT,
ADD COLUMN     "consented_by_oid" TEXT,
ADD COLUMN     "consented_by_upn" TEXT,
ADD COLUMN     "verified_domain" TEXT;

-- CreateTable
CREATE TABLE "rate_limit_window" (
    "key" TEXT NOT NULL,
    "window_start" TIMESTAMP(3) NOT NULL,
    "hits" INTEGER NOT NULL DEFAULT 0,
    "summarized" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "rate_limit_window_pkey" PRIMARY KEY ("key","window_start")
);

-- CreateIndex
CREATE INDEX "rate_limit_window_window_start_idx" ON "rate_limit_window"("window_start");

-- CreateIndex
CREATE UNIQUE INDEX "consent_attempt_sign_in_state_hash_key" ON "consent_attempt"("sign_in_state_hash");

