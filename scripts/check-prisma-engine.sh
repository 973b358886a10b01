#!/usr/bin/env bash
# Smoke test for the Prisma CLI + WebAssembly schema engine (scripts/prisma-schema-engine.mjs).
#
# Works on a scratch copy of the project under a temp directory (never touches prisma/migrations,
# .data/ or the generated client of the repository):
#   1. prisma generate
#   2. prisma migrate dev --create-only            (fresh PGlite directory; uses a PGlite shadow db)
#   3. prisma migrate deploy + migrate status + migrate dev (another fresh PGlite directory)
#   4. prisma migrate deploy + status + migrate dev + migrate reset --force
#      on a scratch PostgreSQL database (created by `migrate deploy`, dropped at the end)
#
# Environment:
#   CHECK_PG_URL       server to use for step 4 (default postgresql://postgres@127.0.0.1:5432/postgres);
#                      the scratch database name replaces the path. Set CHECK_PG_URL=skip to skip step 4.
#   CHECK_KEEP=1       keep the scratch directory for inspection.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/prisma-engine-check.XXXXXX")"
PG_BASE="${CHECK_PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
PG_DB="prisma_engine_check_$$_$RANDOM"
PG_CREATED=0

export CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1 NO_COLOR=1
unset DATABASE_URL PORTAL_PGLITE_DIR PRISMA_MIGRATION_ENGINE_BINARY

pg_url() { # pg_url <database>
  node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.toString())' "$PG_BASE" "$1"
}

pg_query() { # pg_query <url> <sql>  -> prints rows as JSON
  (cd "$WORK" && node --input-type=module -e '
    import pg from "pg";
    const c = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 5000 });
    await c.connect();
    try { const r = await c.query(process.argv[2]); console.log(JSON.stringify(r.rows)); } finally { await c.end(); }
  ' "$1" "$2")
}

cleanup() {
  local rc=$?
  if [[ $PG_CREATED == 1 ]]; then
    pg_query "$PG_BASE" "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null 2>&1 || echo "warning: could not drop $PG_DB" >&2
  fi
  if [[ "${CHECK_KEEP:-}" == 1 ]]; then echo "scratch directory kept: $WORK"; else rm -rf "$WORK"; fi
  if [[ $rc == 0 ]]; then echo "ALL CHECKS PASSED"; else echo "CHECK FAILED (exit $rc)" >&2; fi
}
trap cleanup EXIT

# --- scratch project ------------------------------------------------------------------------------
mkdir -p "$WORK/prisma" "$WORK/scripts"
ln -s "$REPO/node_modules" "$WORK/node_modules"
cp "$REPO/package.json" "$REPO/prisma.config.ts" "$WORK/"
cp "$REPO/scripts/prisma-schema-engine.mjs" "$WORK/scripts/"
if [[ -f "$REPO/prisma/schema.prisma" ]]; then
  cp "$REPO/prisma/schema.prisma" "$WORK/prisma/"
else
  cat >"$WORK/prisma/schema.prisma" <<'EOF'
generator client {
  provider = "prisma-client"
  output   = "./generated/client"
}

datasource db {
  provider = "postgresql"
}

model CheckThing {
  id   Int    @id @default(autoincrement())
  name String
}
EOF
fi
[[ -d "$REPO/prisma/migrations" ]] && cp -R "$REPO/prisma/migrations" "$WORK/prisma/"

# A machine with Prisma's native engine keeps using it through prisma.config.ts; force the wasm
# engine here since that is what this script checks.
if [[ -z "${PRISMA_SCHEMA_ENGINE_BINARY:-}" ]] && ls "$REPO"/node_modules/@prisma/engines/schema-engine-* >/dev/null 2>&1; then
  export PRISMA_SCHEMA_ENGINE_BINARY="$WORK/scripts/prisma-schema-engine.mjs"
fi

cd "$WORK"
PRISMA=(node "$WORK/node_modules/prisma/build/index.js")
LOG="$WORK/last.log"

step() { # step <label> <expected-substring or ""> <command...>
  local label=$1 expect=$2
  shift 2
  local t0 t1
  t0=$(date +%s%N)
  if ! "$@" </dev/null >"$LOG" 2>&1; then
    echo "FAIL  $label"
    sed 's/^/      /' "$LOG" >&2
    return 1
  fi
  t1=$(date +%s%N)
  if [[ -n $expect ]] && ! grep -q -- "$expect" "$LOG"; then
    echo "FAIL  $label (output lacks: $expect)"
    sed 's/^/      /' "$LOG" >&2
    return 1
  fi
  printf 'ok    %-58s %6ss\n' "$label" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')"
}

migration_count() { find "$WORK/prisma/migrations" -mindepth 2 -maxdepth 2 -name migration.sql 2>/dev/null | wc -l | tr -d ' '; }

step "prisma --version uses the wasm engine" "prisma-schema-engine.mjs" "${PRISMA[@]}" --version
step "prisma generate" "Generated Prisma Client" "${PRISMA[@]}" generate

# --- PGlite -----------------------------------------------------------------------------------
export PORTAL_PGLITE_DIR="$WORK/pglite-dev"
step "PGlite: migrate dev --name check --create-only" "" "${PRISMA[@]}" migrate dev --name check --create-only
N=$(migration_count)
[[ $N -ge 1 ]] || { echo "FAIL  no migration in prisma/migrations after migrate dev --create-only" >&2; exit 1; }

export PORTAL_PGLITE_DIR="$WORK/pglite-deploy"
step "PGlite: migrate deploy (fresh directory, $N migration(s))" "" "${PRISMA[@]}" migrate deploy
step "PGlite: migrate status" "Database schema is up to date" "${PRISMA[@]}" migrate status
step "PGlite: migrate dev (in sync; uses a PGlite shadow db)" "Already in sync" "${PRISMA[@]}" migrate dev --name check_again
unset PORTAL_PGLITE_DIR

# --- PostgreSQL ---------------------------------------------------------------------------------
if [[ "$PG_BASE" == skip ]]; then
  echo "skip  PostgreSQL steps (CHECK_PG_URL=skip)"
  exit 0
fi
if ! pg_query "$PG_BASE" "SELECT 1" >/dev/null 2>&1; then
  echo "FAIL  cannot reach PostgreSQL at $PG_BASE (set CHECK_PG_URL, or CHECK_PG_URL=skip)" >&2
  exit 1
fi
export DATABASE_URL="$(pg_url "$PG_DB")"
PG_CREATED=1
step "PostgreSQL: migrate deploy (creates $PG_DB)" "" "${PRISMA[@]}" migrate deploy
APPLIED=$(pg_query "$DATABASE_URL" 'SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL')
[[ $APPLIED == "[{\"n\":$N}]" ]] || { echo "FAIL  expected $N applied migrations, got $APPLIED" >&2; exit 1; }
step "PostgreSQL: migrate status" "Database schema is up to date" "${PRISMA[@]}" migrate status
step "PostgreSQL: migrate dev (in sync; temporary shadow database)" "Already in sync" "${PRISMA[@]}" migrate dev --name check_again
step "PostgreSQL: migrate reset --force" "" "${PRISMA[@]}" migrate reset --force
LEFT=$(pg_query "$PG_BASE" "SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'")
[[ $LEFT == '[{"n":0}]' ]] || echo "warn  shadow databases left behind on the server: $LEFT" >&2
