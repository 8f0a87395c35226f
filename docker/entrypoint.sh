#!/bin/sh
# Container entrypoint (under tini): prepares /data, optionally runs the migrations, then execs
# the command (the web server by default) so it receives the stop signal directly.
set -eu

if ! mkdir -p /data/tmp 2>/dev/null || [ ! -w /data ]; then
  echo "entrypoint: /data is not writable by uid $(id -u); mount a volume owned by it" >&2
  exit 1
fi

# Several containers may start at once (an upgrade, replicas). Each pending migration must run
# exactly once: containers sharing the /data volume (the SQLite default) take turns through
# flock; on PostgreSQL, Lucid's advisory lock lets one container migrate while the others fail
# fast, wait, and retry until they find the database up to date. (Lucid then reports "unable to
# release database lock": it releases the lock it failed to take, which hides the real error.)
migrate() {
  attempt=1
  while :; do
    if output="$(flock /data/.migrate.lock node ace migration:run --force 2>&1)"; then
      printf '%s\n' "$output"
      return 0
    fi
    printf '%s\n' "$output" >&2
    case "$output" in
      *"Unable to acquire lock"* | *"unable to release database lock"*) ;;
      *) return 1 ;;
    esac
    if [ "$attempt" -ge "${MIGRATE_LOCK_RETRIES:-90}" ]; then
      echo "entrypoint: another instance held the migration lock for too long; giving up" >&2
      return 1
    fi
    echo "entrypoint: another instance is migrating; retrying in 2 s ($attempt)" >&2
    attempt=$((attempt + 1))
    sleep 2
  done
}

if [ "$MIGRATE_ON_START" = "true" ]; then
  echo "entrypoint: MIGRATE_ON_START=true, running migrations" >&2
  migrate
fi

exec "$@"
