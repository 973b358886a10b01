-- CreateTable
CREATE TABLE "staff_session" (
    "id" TEXT NOT NULL,
    "staff_oid" TEXT NOT NULL,
    "signed_in_at" TIMESTAMP(3) NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "revoked_at" TIMESTAMP(3),
    "revoked_reason" TEXT,
    "revoked_by_id" TEXT,
    "revoked_by_name" TEXT,
    "ip_address" TEXT,
    "user_agent" TEXT,

    CONSTRAINT "staff_session_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "staff_session_staff_oid_expires_at_idx" ON "staff_session"("staff_oid", "expires_at");

-- AddForeignKey
ALTER TABLE "staff_session" ADD CONSTRAINT "staff_session_staff_oid_fkey" FOREIGN KEY ("staff_oid") REFERENCES "staff_member"("oid") ON DELETE CASCADE ON UPDATE CASCADE;

-- The 8-hour absolute lifetime is a rule of the data, not only of the code: no update may move a
-- session's end past its sign-in plus 8 hours.
ALTER TABLE "staff_session" ADD CONSTRAINT "staff_session_absolute_lifetime"
  CHECK ("expires_at" > "signed_in_at" AND "expires_at" <= "signed_in_at" + INTERVAL '8 hours');
