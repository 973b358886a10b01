-- CreateIndex
CREATE INDEX "incident_tenant_id_severity_status_idx" ON "incident"("tenant_id", "severity", "status");
