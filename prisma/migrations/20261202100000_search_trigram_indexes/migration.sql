-- Text search from trigram indexes (issue #12 §2). pg_trgm is a trusted extension (PostgreSQL 13+),
-- so the database owner that runs migrations may create it; PGlite loads it from its contrib set.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "incident_search_text_trgm_idx" ON "incident" USING GIN ("search_text" gin_trgm_ops);

-- Entity values match from their start: a btree in text_pattern_ops answers `value LIKE 'abc%'`
-- whatever the database's collation (the plain btree on value cannot), and far more selectively
-- than trigrams for a prefix.
-- CreateIndex
CREATE INDEX "incident_entity_value_prefix_idx" ON "incident_entity"("value" text_pattern_ops);
