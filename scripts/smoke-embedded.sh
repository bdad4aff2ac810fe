#!/usr/bin/env bash
# Starts the built service with no DATABASE_URL and no REDIS_URL (embedded PostgreSQL, in-process jobs),
# calls /check with a shell JWT and /api/docs, then stops it with SIGTERM and expects exit 0.
set -uo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
env -u DATABASE_URL -u REDIS_URL PORT=$port DATA_DIR="$dir/data" GITLAB_SHELL_SECRET_FILE="$dir/shell_secret" \
  GITLAB_KAS_SECRET_FILE="$dir/kas_secret" LOG_LEVEL=warn node dist/main.js >"$dir/out.log" 2>&1 &
pid=$!
ok=1
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$port/-/readiness" >/dev/null 2>&1 && { ok=0; break; }
  kill -0 $pid 2>/dev/null || break
  sleep 0.5
done
fail() { echo "smoke: $*"; cat "$dir/out.log"; kill $pid 2>/dev/null; rm -rf "$dir"; exit 1; }
[ $ok -eq 0 ] || fail "not ready"
token=$(GITLAB_SHELL_SECRET_FILE="$dir/shell_secret" node dist/scripts/sign-jwt.js shell)
body=$(curl -fs "http://127.0.0.1:$port/api/v4/internal/check" -H "Gitlab-Shell-Api-Request: $token") || fail "/check failed"
grep -q '"api_version":"v4"' <<<"$body" || fail "unexpected /check body: $body"
grep -q '"redis":false' <<<"$body" || fail "redis should be false without REDIS_URL: $body"
curl -fs "http://127.0.0.1:$port/api/docs" | grep -qi swagger || fail "/api/docs not served"
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v4/internal/check")
[ "$status" = 401 ] || fail "/check without JWT answered $status"
kill -TERM $pid
wait $pid
code=$?
[ $code -eq 0 ] || fail "exit code $code after SIGTERM"
echo "smoke: embedded mode OK (/check, /api/docs, 401, SIGTERM exit 0)"
rm -rf "$dir"
