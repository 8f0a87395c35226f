#!/usr/bin/env bash
# Container smoke test with podman (STACK-NOTES.md "Containers"): builds the Dockerfile unchanged
# on the local stand-in base image, then runs the image read-only, as its non-root user, with
# host networking against this machine's PostgreSQL (a schema of database `test`, created and
# dropped here) and Redis, and checks migrations on start, /health/ready, static and vendor
# files, the HEALTHCHECK, `node ace tenant:create`, an invoice PDF rendered by Chromium through
# the API, `backup:run` (pg_dump) inside the container, a worker container that
# processes a job, two containers migrating one database at once (each migration runs once), the
# SQLite default on the /data volume, an upgrade to a newer image that keeps the data, and that
# `podman stop` takes under 10 s. Any failed check stops it with a non-zero exit; nothing is
# skipped.
#
#   bash scripts/docker-smoke.sh        (as root; installs podman & co. when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/docker-base.sh

started_at=$SECONDS
run_id="smoke$$"
image="localhost/coderon-flow:smoke"
image_next="localhost/coderon-flow:smoke-next"
container="coderon-$run_id"
volume="coderon-$run_id-data"
schema="docker_$run_id"
port="${SMOKE_PORT:-$((20000 + $$ % 20000))}"
replica_port=$((port + 1))
redis_prefix="$run_id:"
app_key="$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')"
backup_key="$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')"
owner_password="smoke-owner-password-$$"

step() { echo "==> $*" >&2; }
fail() {
  echo "" >&2
  echo "!!! SMOKE TEST FAILED: $*" >&2
  if podman container exists "$container" 2>/dev/null; then
    echo "--- last container log lines:" >&2
    podman logs --tail 40 "$container" >&2 2>&1 || true
  fi
  exit 1
}
quiet_podman() { podman "$@" 2> >(grep -v 'systemd' >&2); }
# Output is captured before grep: `cmd | grep -q` under pipefail fails when grep exits first
contains() { grep -q -- "$2" <<<"$1"; }
logs() { podman logs "$1" 2>&1; }

cleanup() {
  podman rm -f "$container" "$container-replica" "$container-worker" "$container-sqlite" "$container-upgraded" >/dev/null 2>&1 || true
  podman rmi -f "$image_next" >/dev/null 2>&1 || true
  podman volume rm -f "$volume" "$volume-replica" "$volume-sqlite" >/dev/null 2>&1 || true
  psql -h 127.0.0.1 -U postgres -d test -qc "drop schema if exists \"$schema\" cascade" >/dev/null 2>&1 || true
  redis-cli -h 127.0.0.1 --scan --pattern "$redis_prefix*" 2>/dev/null | xargs -r redis-cli -h 127.0.0.1 del >/dev/null 2>&1 || true
}
trap cleanup EXIT

# --- prerequisites -------------------------------------------------------------------------
pg_isready -h 127.0.0.1 -p 5432 -q || fail "PostgreSQL is not answering on 127.0.0.1:5432"
contains "$(redis-cli -h 127.0.0.1 ping 2>&1)" PONG || fail "Redis is not answering on 127.0.0.1:6379"
for p in "$port" "$replica_port"; do
  if (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then fail "port $p is taken (set SMOKE_PORT)"; fi
done

step "stand-in base image"
build_base_image || fail "could not build the stand-in base image"

step "podman build (Dockerfile unchanged)"
build_started=$SECONDS
podman build --pull=never --format docker -t "$image" . >"$CODERON_PODMAN_ROOT/build.log" 2>&1 || {
  tail -40 "$CODERON_PODMAN_ROOT/build.log" >&2
  fail "podman build failed (full log: $CODERON_PODMAN_ROOT/build.log)"
}
build_seconds=$((SECONDS - build_started))

psql -h 127.0.0.1 -U postgres -d test -qc "create schema \"$schema\"" || fail "could not create schema $schema"

# Both containers get the same environment; the second one only differs in its port
run_app() { # name port volume [command...]
  local name="$1" p="$2" vol="$3"
  shift 3
  quiet_podman run -d --name "$name" --network host \
    --read-only --read-only-tmpfs=false -v "$vol:/data" \
    -e PORT="$p" -e HOST=127.0.0.1 -e APP_KEY="$app_key" \
    -e APP_URL="http://localhost:$port" -e APP_DOMAIN=localhost \
    -e DB_CONNECTION=pg -e PG_HOST=127.0.0.1 -e PG_PORT=5432 -e PG_USER=postgres \
    -e PG_DB_NAME=test -e PG_SCHEMA="$schema" \
    -e REDIS_URL=redis://127.0.0.1:6379 -e REDIS_PREFIX="$redis_prefix" \
    -e MIGRATE_ON_START=true -e JOBS_IN_PROCESS=false -e BACKUP_KEY="$backup_key" \
    "$image" "$@" >/dev/null
}
wait_started() { # name
  for _ in $(seq 1 90); do
    contains "$(logs "$1")" 'started HTTP server' && return 0
    [ "$(podman inspect -f '{{.State.Running}}' "$1")" = "true" ] || fail "container $1 exited during start"
    sleep 0.5
  done
  fail "container $1 did not start its server within 45 s"
}

step "run two containers at once on an empty PostgreSQL schema: read-only root, /data volume, MIGRATE_ON_START=true"
run_started=$SECONDS
quiet_podman volume create "$volume" >/dev/null
quiet_podman volume create "$volume-replica" >/dev/null
run_app "$container" "$port" "$volume" || fail "podman run failed"
run_app "$container-replica" "$replica_port" "$volume-replica" || fail "podman run (replica) failed"
wait_started "$container"
wait_started "$container-replica"
start_seconds=$((SECONDS - run_started))

step "migrations ran on start"
contains "$(logs "$container")" 'MIGRATE_ON_START=true, running migrations' || fail "the entrypoint did not run the migrations"
migrated="$(psql -h 127.0.0.1 -U postgres -d test -tAc "select count(*) from \"$schema\".adonis_schema")"
distinct="$(psql -h 127.0.0.1 -U postgres -d test -tAc "select count(distinct name) from \"$schema\".adonis_schema")"
[ "${migrated:-0}" -gt 0 ] || fail "no migrations recorded in $schema.adonis_schema"
[ "$migrated" = "$distinct" ] || fail "$migrated migration rows for $distinct migrations: one ran twice"
[ "$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$replica_port/health/ready")" = "200" ] ||
  fail "the second container is not ready"
echo "    two containers started together; each of the $distinct migrations ran once" >&2
contains "$(podman exec "$container" node ace migration:run --force 2>&1)" 'Already up to date' ||
  fail "'node ace migration:run --force' in the container did not report an up-to-date database"
echo "    $migrated migrations recorded; the documented command reports up to date" >&2

step "/health/live and /health/ready"
contains "$(curl -fsS "http://127.0.0.1:$port/health/live")" '"status":"ok"' || fail "/health/live did not answer ok"
ready="$(curl -sS -o - -w '\n%{http_code}' "http://127.0.0.1:$port/health/ready")"
echo "    $(head -1 <<<"$ready")" >&2
[ "$(echo "$ready" | tail -1)" = "200" ] || fail "/health/ready did not answer 200"
contains "$ready" '"name":"redis","status":"ok"' || fail "/health/ready did not check Redis"
contains "$ready" '"name":"database","status":"ok"' || fail "/health/ready did not check the database"

step "static files and vendor JS (served from node_modules) in the image"
for path in /css/app.css /assets/vendor/htmx.js /assets/vendor/alpine.js; do
  answer="$(curl -sS -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$port$path")"
  [[ "$answer" =~ ^200\ [1-9] ]] || fail "$path answered '$answer'"
done
echo "    /css/app.css, htmx.js, alpine.js: 200" >&2

step "HEALTHCHECK"
quiet_podman healthcheck run "$container" >/dev/null || fail "podman healthcheck run reported unhealthy"
health="$(podman inspect -f '{{.State.Health.Status}}' "$container")"
[ "$health" = "healthy" ] || fail "health status is '$health', expected healthy"
echo "    $health" >&2

step "non-root user, read-only root, writable /data"
uid="$(podman exec "$container" id -u)"
[ "$uid" != "0" ] || fail "the container runs as root"
podman exec "$container" sh -c 'touch /app/x' 2>/dev/null && fail "the root filesystem is writable"
podman exec "$container" sh -c 'touch /data/.probe && rm /data/.probe' || fail "/data is not writable"
echo "    uid $uid; / read-only; /data writable" >&2

step "node ace tenant:create"
ace_list="$(podman exec "$container" node ace list 2>&1)" || {
  echo "$ace_list" >&2
  fail "'node ace list' failed in the container"
}
contains "$ace_list" 'tenant:create' || fail "'node ace list' in the image has no tenant:create command"
out="$(podman exec "$container" node ace tenant:create smoke --name "Smoke Test" \
  --owner-email owner@smoke.test --owner-password "$owner_password" 2>&1)" || {
  echo "$out" >&2
  fail "tenant:create failed"
}
tenant_id="$(echo "$out" | tail -1)"
[[ "$tenant_id" =~ ^[0-9]+$ ]] || fail "tenant:create did not print the tenant id (got '$tenant_id')"
login="$(curl -sS -o /dev/null -w '%{http_code}' -H "Host: smoke.localhost:$port" "http://127.0.0.1:$port/login")"
[ "$login" = "200" ] || fail "the new tenant's /login answered $login"
echo "    tenant $tenant_id created; smoke.localhost/login answers 200" >&2

step "an invoice PDF renders in the container through the API (client, invoice, finalise, PDF)"
token="$(podman exec "$container" node ace token:create --tenant smoke --email owner@smoke.test \
  --name smoke --scopes '*' 2>&1 | tail -1)"
[[ "$token" == cf_* ]] || fail "token:create did not print a token (got '$token')"
api() { # method path [json]
  curl -sS -X "$1" -H "Host: smoke.localhost:$port" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -H 'Accept: application/json' \
    ${3:+--data "$3"} "http://127.0.0.1:$port/api/v1$2"
}
json_id() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).data.id)}catch{console.error(s);process.exit(1)}})'; }
client_id="$(api POST /clients '{"kind":"company","name":"Smoke Client GmbH","currency":"EUR","country":"DE","language":"de"}' | json_id)" ||
  fail "POST /api/v1/clients failed"
invoice_id="$(api POST /invoices "{\"client_id\":$client_id,\"currency\":\"EUR\",\"lines\":[{\"description\":\"Design work – Grüße\",\"quantity\":\"2.5\",\"unit_price\":8000,\"tax_percent\":\"19\",\"tax_category\":\"S\"}]}" | json_id)" ||
  fail "POST /api/v1/invoices failed"
api POST "/invoices/$invoice_id/finalize" >/dev/null || fail "finalising the invoice failed"
curl -sS -o "$CODERON_PODMAN_ROOT/smoke-invoice.pdf" -w '%{http_code} %{content_type}\n' \
  -H "Host: smoke.localhost:$port" -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/v1/invoices/$invoice_id/pdf" >"$CODERON_PODMAN_ROOT/smoke-invoice.status"
pdf_status="$(cat "$CODERON_PODMAN_ROOT/smoke-invoice.status")"
[[ "$pdf_status" == "200 application/pdf"* ]] || fail "GET /api/v1/invoices/$invoice_id/pdf answered '$pdf_status'"
[ "$(head -c 5 "$CODERON_PODMAN_ROOT/smoke-invoice.pdf")" = "%PDF-" ] || fail "the invoice PDF is not a PDF"
echo "    invoice $invoice_id finalised; its PDF ($(stat -c %s "$CODERON_PODMAN_ROOT/smoke-invoice.pdf") bytes) rendered by Chromium as uid $uid" >&2

step "backup:run inside the container (pg_dump of the schema, encrypted archive on /data)"
backup="$(podman exec "$container" node ace backup:run 2>&1)" || {
  echo "$backup" >&2
  fail "backup:run failed in the container"
}
podman exec "$container" sh -c 'ls /data/backups/*.cfbackup' >/dev/null 2>&1 || fail "no backup archive under /data/backups"
echo "    $(tail -1 <<<"$backup")" >&2

step "worker: the same image started with \`node ace queue:work\` processes a job"
podman rm -f "$container-replica" >/dev/null 2>&1
run_app "$container-worker" "$replica_port" "$volume-replica" node ace queue:work || fail "podman run (worker) failed"
ping="$(podman exec "$container" node ace queue:ping --tenant smoke --timeout 60 2>&1)" || {
  echo "$ping" >&2
  fail "no worker processed the ping job"
}
contains "$(logs "$container-worker")" 'ping job processed' || fail "the worker container did not log the ping job"
echo "    $(tail -1 <<<"$ping")" >&2

step "podman stop (SIGTERM through tini) within 10 s"
stop_started=$(date +%s%N)
podman stop -t 10 "$container" >/dev/null 2>&1 || fail "podman stop failed"
stop_ms=$((($(date +%s%N) - stop_started) / 1000000))
exit_code="$(podman inspect -f '{{.State.ExitCode}}' "$container")"
[ "$stop_ms" -lt 10000 ] || fail "podman stop took ${stop_ms} ms"
[ "$exit_code" = "0" ] || fail "the server exited with code $exit_code (137 means it was killed)"
contains "$(logs "$container")" 'SIGTERM received' || fail "the server did not log the SIGTERM"
echo "    stopped in ${stop_ms} ms, exit code 0" >&2
podman stop -t 10 "$container-worker" >/dev/null 2>&1 || fail "podman stop (worker) failed"
[ "$(podman inspect -f '{{.State.ExitCode}}' "$container-worker")" = "0" ] || fail "the worker did not exit cleanly"

step "SQLite default: the database file lands on the /data volume"
run_sqlite() { # name image
  quiet_podman run -d --name "$1" --network host \
    --read-only --read-only-tmpfs=false -v "$volume-sqlite:/data" \
    -e PORT="$port" -e HOST=127.0.0.1 -e APP_KEY="$app_key" \
    -e APP_URL="http://localhost:$port" -e APP_DOMAIN=localhost -e MIGRATE_ON_START=true \
    "$2" >/dev/null
}
quiet_podman volume create "$volume-sqlite" >/dev/null
run_sqlite "$container-sqlite" "$image" || fail "podman run (SQLite) failed"
wait_started "$container-sqlite"
[ "$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = "200" ] ||
  fail "/health/ready on SQLite did not answer 200"
podman exec "$container-sqlite" test -s /data/coderon.sqlite3 || fail "no SQLite file at /data/coderon.sqlite3"
podman exec "$container-sqlite" node ace tenant:create keep --name "Kept Data" \
  --owner-email owner@keep.test --owner-password "$owner_password" >/dev/null 2>&1 || fail "tenant:create on SQLite failed"
migrations_before="$(podman exec "$container-sqlite" node ace migration:status 2>&1 | grep -c completed || true)"
podman stop -t 10 "$container-sqlite" >/dev/null 2>&1
echo "    /data/coderon.sqlite3 written; ready 200; tenant 'keep' created" >&2

step "upgrade: a container from a newer image on the same volume keeps the data"
printf 'FROM %s\nLABEL org.opencontainers.image.version="smoke-next"\n' "$image" |
  podman build --pull=never --format docker -t "$image_next" -f - . >/dev/null 2>&1 || fail "could not build the newer image"
podman rm -f "$container-sqlite" >/dev/null 2>&1
run_sqlite "$container-upgraded" "$image_next" || fail "podman run (upgraded) failed"
wait_started "$container-upgraded"
kept="$(curl -sS -o /dev/null -w '%{http_code}' -H "Host: keep.localhost:$port" "http://127.0.0.1:$port/login")"
[ "$kept" = "200" ] || fail "after the upgrade the tenant 'keep' is gone (/login answered $kept)"
contains "$(podman exec "$container-upgraded" node ace migration:run --force 2>&1)" 'Already up to date' ||
  fail "the upgraded container did not find the database up to date"
migrations_after="$(podman exec "$container-upgraded" node ace migration:status 2>&1 | grep -c completed || true)"
[ "$migrations_before" = "$migrations_after" ] || fail "migrations changed from $migrations_before to $migrations_after"
podman stop -t 10 "$container-upgraded" >/dev/null 2>&1
echo "    tenant 'keep' still there; $migrations_after migrations, none run twice" >&2

size_bytes="$(podman image inspect -f '{{.Size}}' "$image")"
echo "" >&2
echo "SMOKE TEST PASSED" >&2
printf '  %-28s %s\n' \
  "image" "$image" \
  "image size" "$((size_bytes / 1000000)) MB" \
  "image build" "${build_seconds} s" \
  "container start (migrate+boot)" "${start_seconds} s" \
  "podman stop" "${stop_ms} ms" \
  "smoke test total" "$((SECONDS - started_at)) s" >&2
