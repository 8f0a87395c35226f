#!/usr/bin/env bash
# README command (b): install everything (Node 24, packages, Debian Chromium) and run every test.
set -euo pipefail
source "$(dirname "$0")/env.sh"
./scripts/install.sh
if [ ! -x "$CHROMIUM_PATH" ]; then
  echo "==> installing Debian's chromium" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi
fi
echo "==> type check" >&2
node_modules/.bin/tsc --noEmit
exec node ace test "$@"
