-- Text search from trigram indexes (issue #12 §2). pg_trgm is a trusted extension (PostgreSQL 13+),
-- so the database owner that runs migrations may create it; PGlite loads it from its contrib set.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "incident_search_text_trgm_idx" ON "incident" USING GIN ("search_text" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "incident_entity_value_trgm_idx" ON "incident_entity" USING GIN ("value" gin_trgm_ops);
