#!/usr/bin/env bash
# README command (a): install, migrate, seed the demo tenant and start on http://localhost:3333.
set -euo pipefail
source "$(dirname "$0")/env.sh"
./scripts/install.sh
node ace migration:run --force
node ace db:seed
exec node ace serve
