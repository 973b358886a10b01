-- Queue counts kept with the data (issue #12 §3): incidents per tenant, severity, status and
-- whether anyone is assigned, maintained by statement triggers on `incident` in the same
-- transaction as every write (the sync's page commits, an action's store, offboarding's deletion,
-- any later UPDATE), so the queue's summary reads at most a few rows per tenant instead of
-- counting every matching incident.
CREATE TABLE "incident_count" (
    "tenant_id" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "unassigned" BOOLEAN NOT NULL,
    "incidents" BIGINT NOT NULL,

    CONSTRAINT "incident_count_pkey" PRIMARY KEY ("tenant_id","severity","status","unassigned")
);

INSERT INTO "incident_count" ("tenant_id", "severity", "status", "unassigned", "incidents")
SELECT "tenant_id", "severity", "status", ("assigned_to" IS NULL OR "assigned_to" = ''), count(*)
  FROM "incident"
 GROUP BY 1, 2, 3, 4;

-- Adds signed deltas. Two writers of one tenant (a sync page and an analyst's action) would
-- otherwise lock that tenant's count rows in different orders across their DELETE and INSERT
-- statements and could deadlock: the first trigger of a transaction takes the tenant's write lock
-- (an advisory lock held to commit, the one the write path, server/incidents/incident-store.ts,
-- takes before it reads), tenants in sorted order, and rows are then written in key order.
-- Different tenants never share a row, so tenants never wait for each other.
CREATE FUNCTION "incident_count_add"("deltas" JSONB) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('incident_write:' || t.tenant_id, 0))
     FROM (SELECT DISTINCT d->>'tenant_id' AS tenant_id FROM jsonb_array_elements(deltas) d ORDER BY 1) t;
  INSERT INTO "incident_count" AS c ("tenant_id", "severity", "status", "unassigned", "incidents")
  SELECT d->>'tenant_id', d->>'severity', d->>'status', (d->>'unassigned')::boolean, sum((d->>'n')::bigint)
    FROM jsonb_array_elements(deltas) d
   GROUP BY 1, 2, 3, 4
  HAVING sum((d->>'n')::bigint) <> 0
   ORDER BY 1, 2, 3, 4
  ON CONFLICT ("tenant_id", "severity", "status", "unassigned") DO UPDATE SET "incidents" = c."incidents" + EXCLUDED."incidents";
  DELETE FROM "incident_count"
   WHERE "incidents" = 0 AND "tenant_id" IN (SELECT DISTINCT d->>'tenant_id' FROM jsonb_array_elements(deltas) d);
END $$;

CREATE FUNCTION "incident_count_after_insert"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "incident_count_add"(COALESCE((
    SELECT jsonb_agg(jsonb_build_object('tenant_id', tenant_id, 'severity', severity, 'status', status,
                                        'unassigned', (assigned_to IS NULL OR assigned_to = ''), 'n', n))
      FROM (SELECT tenant_id, severity, status, assigned_to, count(*) AS n FROM new_rows GROUP BY 1, 2, 3, 4) g), '[]'::jsonb));
  RETURN NULL;
END $$;

CREATE FUNCTION "incident_count_after_delete"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "incident_count_add"(COALESCE((
    SELECT jsonb_agg(jsonb_build_object('tenant_id', tenant_id, 'severity', severity, 'status', status,
                                        'unassigned', (assigned_to IS NULL OR assigned_to = ''), 'n', -n))
      FROM (SELECT tenant_id, severity, status, assigned_to, count(*) AS n FROM old_rows GROUP BY 1, 2, 3, 4) g), '[]'::jsonb));
  RETURN NULL;
END $$;

-- Most UPDATEs (service-level recomputation) change none of the counted columns: their deltas
-- cancel out and nothing is written.
CREATE FUNCTION "incident_count_after_update"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "incident_count_add"(COALESCE((
    SELECT jsonb_agg(jsonb_build_object('tenant_id', tenant_id, 'severity', severity, 'status', status,
                                        'unassigned', (assigned_to IS NULL OR assigned_to = ''), 'n', n))
      FROM (SELECT tenant_id, severity, status, assigned_to, count(*) AS n FROM new_rows GROUP BY 1, 2, 3, 4
            UNION ALL
            SELECT tenant_id, severity, status, assigned_to, -count(*) AS n FROM old_rows GROUP BY 1, 2, 3, 4) g), '[]'::jsonb));
  RETURN NULL;
END $$;

CREATE FUNCTION "incident_count_after_truncate"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "incident_count";
  RETURN NULL;
END $$;

CREATE TRIGGER "incident_count_insert" AFTER INSERT ON "incident"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "incident_count_after_insert"();
CREATE TRIGGER "incident_count_delete" AFTER DELETE ON "incident"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "incident_count_after_delete"();
CREATE TRIGGER "incident_count_update" AFTER UPDATE ON "incident"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "incident_count_after_update"();
CREATE TRIGGER "incident_count_truncate" AFTER TRUNCATE ON "incident"
  FOR EACH STATEMENT EXECUTE FUNCTION "incident_count_after_truncate"();
