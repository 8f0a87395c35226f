#!/bin/sh
# Container entrypoint (under tini): prepares /data, optionally runs the migrations, then execs
# the command (the web server by default) so it receives the stop signal directly.
set -eu

if ! mkdir -p /data/tmp 2>/dev/null || [ ! -w /data ]; then
  echo "entrypoint: /data is not writable by uid $(id -u); mount a volume owned by it" >&2
  exit 1
fi

if [ "$MIGRATE_ON_START" = "true" ]; then
  echo "entrypoint: MIGRATE_ON_START=true, running migrations" >&2
  node ace migration:run --force
fi

exec "$@"
