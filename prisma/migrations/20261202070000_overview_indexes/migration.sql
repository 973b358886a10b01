-- The overview page (issue #11 §2). Volumes, backlog and service levels per customer are read
-- from one covering index (index-only scans: no visit to the wide rows and their `raw` record);
-- incidents resolved in a period by their resolution time.

-- CreateIndex
CREATE INDEX "incident_tenant_id_created_time_severity_resolved_at_acknow_idx" ON "incident"("tenant_id", "created_time", "severity", "resolved_at", "acknowledged_at", "sla_acknowledge_due_at", "sla_resolve_due_at");

-- CreateIndex
CREATE INDEX "incident_resolved_at_tenant_id_idx" ON "incident"("resolved_at", "tenant_id");
