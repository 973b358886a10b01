-- "Also seen in" on the incident page: the newest incidents of other customers with a value, ordered
-- by last seen, then tenant and incident. The old index stopped at last_seen, so PostgreSQL sorted
-- every incident with the value before taking five: 0.8 s for a value in 10,638 incidents of 999
-- tenants (1,000 × 100 bench data). With the tie-breakers in the index it reads the five it shows.

-- DropIndex
DROP INDEX "incident_indicator_indicator_type_value_last_seen_idx";

-- CreateIndex
CREATE INDEX "incident_indicator_indicator_type_value_last_seen_tenant_id_idx" ON "incident_indicator"("indicator_type", "value", "last_seen" DESC, "tenant_id", "incident_id" DESC);
