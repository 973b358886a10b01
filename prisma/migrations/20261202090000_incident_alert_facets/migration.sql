-- The overview's top alert categories and MITRE techniques read two small columns instead of
-- parsing every incident's `raw` record. Filled by the write path; rows stored before are filled
-- here from `raw` (both Graph's and the Defender API's alerts carry `category` and `mitreTechniques`).

-- AlterTable
ALTER TABLE "incident" ADD COLUMN     "alert_categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "mitre_techniques" TEXT[] DEFAULT ARRAY[]::TEXT[];

UPDATE "incident" AS i SET
  "alert_categories" = COALESCE((
    SELECT array_agg(DISTINCT alert.value ->> 'category' ORDER BY alert.value ->> 'category')
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(i.raw -> 'alerts') = 'array' THEN i.raw -> 'alerts' ELSE '[]'::jsonb END) AS alert(value)
    WHERE jsonb_typeof(alert.value) = 'object' AND jsonb_typeof(alert.value -> 'category') = 'string' AND alert.value ->> 'category' <> ''
  ), ARRAY[]::TEXT[]),
  "mitre_techniques" = COALESCE((
    SELECT array_agg(DISTINCT t.value #>> '{}' ORDER BY t.value #>> '{}')
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(i.raw -> 'alerts') = 'array' THEN i.raw -> 'alerts' ELSE '[]'::jsonb END) AS alert(value)
    CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(alert.value) = 'object' AND jsonb_typeof(alert.value -> 'mitreTechniques') = 'array' THEN alert.value -> 'mitreTechniques' ELSE '[]'::jsonb END) AS t(value)
    WHERE jsonb_typeof(t.value) = 'string' AND t.value #>> '{}' <> ''
  ), ARRAY[]::TEXT[]);
