-- Cross-tenant indicators (issue #12 §1): per-incident indicator rows, each tenant's view of a value,
-- and the small rollup of how many tenants hold a correlated value. The write path keeps them
-- (server/indicators/indicator-store.ts); this migration fills them once from the entity rows
-- already stored, with the rules of server/indicators/ applied in SQL by value shape (the next
-- sync of an incident rewrites its rows from the adapter's typed fields).

-- CreateTable
CREATE TABLE "incident_indicator" (
    "tenant_id" TEXT NOT NULL,
    "incident_id" BIGINT NOT NULL,
    "indicator_type" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "excluded_reason" TEXT,
    "severity_rank" INTEGER NOT NULL,
    "first_seen" TIMESTAMP(3) NOT NULL,
    "last_seen" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "incident_indicator_pkey" PRIMARY KEY ("tenant_id","incident_id","indicator_type","value")
);

-- CreateTable
CREATE TABLE "tenant_indicator" (
    "indicator_type" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "correlated" BOOLEAN NOT NULL,
    "incident_count" INTEGER NOT NULL,
    "first_seen" TIMESTAMP(3) NOT NULL,
    "last_seen" TIMESTAMP(3) NOT NULL,
    "severity_rank" INTEGER NOT NULL,

    CONSTRAINT "tenant_indicator_pkey" PRIMARY KEY ("indicator_type","value","tenant_id")
);

-- CreateTable
CREATE TABLE "indicator_spread" (
    "indicator_type" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "tenant_count" INTEGER NOT NULL,

    CONSTRAINT "indicator_spread_pkey" PRIMARY KEY ("indicator_type","value")
);

-- CreateIndex
CREATE INDEX "incident_indicator_indicator_type_value_last_seen_idx" ON "incident_indicator"("indicator_type", "value", "last_seen" DESC);

-- CreateIndex
CREATE INDEX "incident_indicator_tenant_id_indicator_type_value_idx" ON "incident_indicator"("tenant_id", "indicator_type", "value");

-- CreateIndex
CREATE INDEX "tenant_indicator_tenant_id_indicator_type_value_idx" ON "tenant_indicator"("tenant_id", "indicator_type", "value");

-- CreateIndex
CREATE INDEX "indicator_spread_tenant_count_idx" ON "indicator_spread"("tenant_count");

-- AddForeignKey
ALTER TABLE "incident_indicator" ADD CONSTRAINT "incident_indicator_tenant_id_incident_id_fkey" FOREIGN KEY ("tenant_id", "incident_id") REFERENCES "incident"("tenant_id", "incident_id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Backfill. Helper functions live only for this migration.
CREATE FUNCTION "indicator_backfill_ip"(raw TEXT) RETURNS TEXT LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  address INET;
BEGIN
  IF raw ~ '^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$' THEN
    RETURN host(raw::inet);
  END IF;
  IF raw !~ '^\[?[0-9a-f:.]+\]?$' OR position(':' IN raw) = 0 THEN
    RETURN NULL;
  END IF;
  address := trim(BOTH '[]' FROM raw)::inet;
  IF family(address) <> 6 OR masklen(address) <> 128 THEN
    RETURN NULL;
  END IF;
  IF address <<= '::ffff:0.0.0.0/96'::inet THEN
    RETURN host('0.0.0.0'::inet + (address - '::ffff:0.0.0.0'::inet));
  END IF;
  RETURN host(address);
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;

CREATE FUNCTION "indicator_backfill_domain"(raw TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT d FROM (SELECT regexp_replace(regexp_replace(raw, '^\*\.', ''), '\.$', '') AS d) x
  WHERE d ~ '^[^\s/@:?#]+\.[^\s/@:?#.]+$'
$$;

CREATE FUNCTION "indicator_backfill_within"(d TEXT, parents TEXT[]) RETURNS BOOLEAN LANGUAGE sql IMMUTABLE AS $$
  SELECT EXISTS (SELECT 1 FROM unnest(parents) AS p WHERE d = p OR right(d, length(p) + 1) = '.' || p)
$$;

-- server/indicators/indicator-exclusions.ts exclusionOf, as of this migration.
CREATE FUNCTION "indicator_backfill_exclusion"(t TEXT, v TEXT, own TEXT[]) RETURNS TEXT LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  d TEXT;
  microsoft TEXT[] := ARRAY['microsoft.com','microsoftonline.com','microsoftonline-p.com','microsoft365.com','msauth.net','msftauth.net',
    'msauthimages.net','msocdn.com','office.com','office.net','office365.com','outlook.com','live.com','live.net','windows.com','windows.net',
    'windowsupdate.com','azure.com','azure.net','azureedge.net','bing.com','skype.com','onmicrosoft.com','sharepointonline.com','msn.com','aka.ms'];
  hosted TEXT[] := ARRAY['blob.core.windows.net','web.core.windows.net','azurewebsites.net','sharepoint.com','1drv.ms'];
  public_mail TEXT[] := ARRAY['gmail.com','googlemail.com','outlook.com','hotmail.com','live.com','yahoo.com','icloud.com','me.com','aol.com',
    'gmx.com','gmx.net','mail.com','proton.me','protonmail.com','yandex.ru','qq.com'];
  programs TEXT[] := ARRAY['cmd.exe','powershell.exe','pwsh.exe','conhost.exe','explorer.exe','svchost.exe','services.exe','lsass.exe',
    'rundll32.exe','regsvr32.exe','mshta.exe','wscript.exe','cscript.exe','wmic.exe','schtasks.exe','taskhostw.exe','msedge.exe','chrome.exe',
    'firefox.exe','winword.exe','excel.exe','powerpnt.exe','outlook.exe','teams.exe','onedrive.exe'];
BEGIN
  IF t = 'account' THEN RETURN 'customer-account'; END IF;
  IF t = 'ip' THEN
    IF v::inet <<= ANY (ARRAY['0.0.0.0/8','10.0.0.0/8','100.64.0.0/10','127.0.0.0/8','169.254.0.0/16','172.16.0.0/12','192.168.0.0/16',
      '224.0.0.0/4','240.0.0.0/4','::/128','::1/128','fc00::/7','fe80::/10','ff00::/8']::inet[]) THEN
      RETURN 'non-public-ip';
    END IF;
    RETURN NULL;
  END IF;
  IF t = 'fileName' THEN
    RETURN CASE WHEN v = ANY (programs) THEN 'common-program' END;
  END IF;
  d := CASE t
    WHEN 'domain' THEN v
    WHEN 'email' THEN split_part(v, '@', 2)
    WHEN 'url' THEN regexp_replace(substring(v FROM '^[a-z][a-z0-9+.-]*://(?:[^@/?#]*@)?([^:/?#]*)'), '\.$', '')
  END;
  IF d IS NULL OR d = '' THEN RETURN NULL; END IF;
  IF "indicator_backfill_within"(d, own) THEN RETURN 'customer-domain'; END IF;
  IF t = 'email' AND d = ANY (public_mail) THEN RETURN NULL; END IF;
  IF "indicator_backfill_within"(d, microsoft) AND NOT "indicator_backfill_within"(d, hosted) THEN RETURN 'microsoft-service'; END IF;
  IF t = 'domain' AND d = ANY (public_mail) THEN RETURN 'public-mail-provider'; END IF;
  RETURN NULL;
END $$;

WITH typed AS (
  SELECT e.tenant_id, e.incident_id, x.t, x.v
  FROM "incident_entity" AS e
  CROSS JOIN LATERAL (
    SELECT 'ip' AS t, "indicator_backfill_ip"(e.value) AS v WHERE e.entity_type IN ('ip', 'mailMessage')
    UNION ALL
    SELECT CASE length(e.value) WHEN 64 THEN 'sha256' WHEN 40 THEN 'sha1' ELSE 'md5' END, e.value
    WHERE e.entity_type IN ('file', 'process') AND e.value ~ '^([0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$'
    UNION ALL
    SELECT 'fileName', nullif(trim(regexp_replace(e.value, '^.*[\\/]', '')), '')
    WHERE e.entity_type IN ('file', 'process') AND e.value !~ '^([0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$'
    UNION ALL
    SELECT 'url', regexp_replace(e.value, '#.*$', '') WHERE e.entity_type = 'url' AND e.value ~ '^[a-z][a-z0-9+.-]*://'
    UNION ALL
    SELECT CASE WHEN "indicator_backfill_ip"(h) IS NULL THEN 'domain' ELSE 'ip' END, coalesce("indicator_backfill_ip"(h), "indicator_backfill_domain"(h))
    FROM (SELECT substring(e.value FROM '^[a-z][a-z0-9+.-]*://(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)') AS h) AS host
    WHERE e.entity_type = 'url'
    UNION ALL
    SELECT 'email', e.value WHERE e.entity_type = 'mailMessage' AND e.value ~ '^[^\s@]+@[^\s@]+$'
    UNION ALL
    SELECT 'domain', "indicator_backfill_domain"(split_part(e.value, '@', 2)) WHERE e.entity_type = 'mailMessage' AND e.value ~ '^[^\s@]+@[^\s@]+$'
    UNION ALL
    SELECT 'account', e.value WHERE e.entity_type IN ('user', 'mailbox')
  ) AS x
  WHERE x.v IS NOT NULL AND x.v <> ''
)
INSERT INTO "incident_indicator" ("tenant_id", "incident_id", "indicator_type", "value", "excluded_reason", "severity_rank", "first_seen", "last_seen")
SELECT DISTINCT ON (typed.tenant_id, typed.incident_id, typed.t, typed.v)
  typed.tenant_id, typed.incident_id, typed.t, left(typed.v, 512),
  "indicator_backfill_exclusion"(typed.t, left(typed.v, 512), own.domains),
  i.severity_rank, coalesce(i.first_activity, i.created_time), coalesce(i.last_activity, i.created_time)
FROM typed
JOIN "incident" AS i ON i.tenant_id = typed.tenant_id AND i.incident_id = typed.incident_id
JOIN "tenant" AS tn ON tn.id = typed.tenant_id
CROSS JOIN LATERAL (
  SELECT array_remove(array_agg(DISTINCT a.d) || lower(tn.verified_domain), NULL) AS domains
  FROM (
    SELECT nullif(split_part(ue.value, '@', 2), '') AS d FROM "incident_entity" AS ue
    WHERE ue.tenant_id = typed.tenant_id AND ue.incident_id = typed.incident_id AND ue.entity_type IN ('user', 'mailbox') AND ue.value LIKE '%@%'
  ) AS a
) AS own;

INSERT INTO "tenant_indicator" ("indicator_type", "value", "tenant_id", "correlated", "incident_count", "first_seen", "last_seen", "severity_rank")
SELECT "indicator_type", "value", "tenant_id", bool_and("excluded_reason" IS NULL), count(*), min("first_seen"), max("last_seen"), max("severity_rank")
FROM "incident_indicator"
GROUP BY "indicator_type", "value", "tenant_id";

INSERT INTO "indicator_spread" ("indicator_type", "value", "tenant_count")
SELECT "indicator_type", "value", count(*) FROM "tenant_indicator" WHERE "correlated" GROUP BY "indicator_type", "value";

DROP FUNCTION "indicator_backfill_exclusion"(TEXT, TEXT, TEXT[]);
DROP FUNCTION "indicator_backfill_within"(TEXT, TEXT[]);
DROP FUNCTION "indicator_backfill_domain"(TEXT);
DROP FUNCTION "indicator_backfill_ip"(TEXT);
