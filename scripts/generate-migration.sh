#!/usr/bin/env bash
# Generates a migration from the difference between the entities and the schema the existing migrations build.
#   scripts/generate-migration.sh <kebab-name> <timestamp>     e.g. scripts/generate-migration.sh kas-agents 1764400400000
# Needs a PostgreSQL at PGURL (default postgres://postgres@127.0.0.1:5432); writes
# src/database/migrations/<timestamp>-<kebab-name>.ts. Add it to src/database/migrations/index.ts yourself, and
# append by hand what TypeORM cannot express (expression/partial indexes).
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?name}; ts=${2:?timestamp}
base=${PGURL:-postgres://postgres@127.0.0.1:5432}
db="gia_gen_$$"
out=".build/gen-$$"
trap 'dropdb --if-exists --force -d "$base/postgres" "$db" >/dev/null 2>&1 || psql "$base/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; rm -rf "$out"' EXIT
npx tsc -p tsconfig.build.json --outDir "$out"
psql "$base/postgres" -qc "CREATE DATABASE $db" >/dev/null
export DATABASE_URL="$base/$db"
npx typeorm migration:run -d "$out/database/typeorm-cli.data-source.js" >/dev/null
tmp=$(mktemp -d)
npx typeorm migration:generate -t "$ts" -d "$out/database/typeorm-cli.data-source.js" "$tmp/$name" | tail -1
file=$(ls "$tmp"/*.ts 2>/dev/null | head -1 || true)
if [ -z "$file" ]; then echo "no changes"; exit 0; fi
mv "$file" "src/database/migrations/$ts-$name.ts"
echo "wrote src/database/migrations/$ts-$name.ts"
