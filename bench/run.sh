#!/usr/bin/env bash
# Runs a benchmark with the project's Node 24: bash bench/run.sh <name> [flags], e.g. `http`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
name="${1:?usage: bash bench/run.sh <name> [flags]   (names: $(cd bench && ls *.ts | grep -v boot_app | sed 's/\.ts$//' | xargs))}"
shift
exec node --import=@poppinss/ts-exec "bench/$name.ts" "$@"
