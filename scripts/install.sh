#!/usr/bin/env bash
# Installs everything the app needs: Node 24 (when missing), npm packages, a .env file.
set -euo pipefail
source "$(dirname "$0")/env.sh"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ ! -f .env ]; then
  cp .env.example .env
  key="$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')"
  sed -i "s|^APP_KEY=.*|APP_KEY=$key|" .env
  backup_key="$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')"
  sed -i "s|^BACKUP_KEY=.*|BACKUP_KEY=$backup_key|" .env
  echo "==> wrote .env with a fresh APP_KEY and BACKUP_KEY (keep a copy of BACKUP_KEY off this server)" >&2
fi
mkdir -p storage
