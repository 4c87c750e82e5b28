#!/usr/bin/env bash
# Makes the native backend (@tensorflow/tfjs-node) available to the tests, in the git-ignored .cache/native/:
# first the ordinary npm install (it downloads libtensorflow); where that download fails, the same package built
# against TensorFlow's C library from the tensorflow-cpu Python wheel (pip download). Never touches node_modules/
# or the shipped extension. Idempotent; prints each step and how long it took.
# Then packs what the install step of @tensorflow/tfjs-node downloads (libtensorflow and the prebuilt addon) into
# .cache/native/mirror/, laid out as its download hosts are: the e2e suite serves it to "MNIST: Install Native
# TensorFlow Backend" (tfjs-node's TFJS_NODE_CDN_STORAGE and node-pre-gyp's binary host mirror).
set -euo pipefail

TFJS_NODE_VERSION=4.22.0
TF_WHEEL_SPEC=tensorflow-cpu==2.21.0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${NATIVE_CACHE_DIR:-$ROOT/.cache/native}"
PKG="$CACHE/node_modules/@tensorflow/tfjs-node"
START=$(date +%s)

log() { echo "[native-setup +$(( $(date +%s) - START ))s] $*"; }
loads() { node -e "require('$PKG'); const tf = require('$CACHE/node_modules/@tensorflow/tfjs-core'); tf.setBackend('tensorflow').then((ok) => process.exit(ok ? 0 : 1))" >/dev/null 2>&1; }

# The mirror: <host>/tensorflow/libtensorflow/libtensorflow-<system>-<version>.tar.gz (its lib/ folder) and
# <host>/pre-built-binary/napi-v8/<version>/<addon>.tar.gz (napi-v8/tfjs_binding.node), gzip -1 (speed over size).
make_mirror() {
  local mirror="$CACHE/mirror" tf_version addon
  tf_version="$(node -p "require('$PKG/scripts/deps-constants.js').LIBTENSORFLOW_VERSION")"
  addon="$(cd "$PKG" && node scripts/get-addon-name.js)"
  local lib_tar="$mirror/tensorflow/libtensorflow/libtensorflow-cpu-linux-x86_64-$tf_version.tar.gz"
  local addon_tar="$mirror/pre-built-binary/napi-v8/$TFJS_NODE_VERSION/$addon"
  [ -s "$lib_tar" ] && [ -s "$addon_tar" ] && return 0
  log "packing libtensorflow and the addon into $mirror"
  rm -rf "$mirror" && mkdir -p "$(dirname "$lib_tar")" "$(dirname "$addon_tar")"
  tar -C "$PKG/deps" -cf - lib | gzip -1 >"$lib_tar"
  tar -C "$PKG/lib" -czf "$addon_tar" napi-v8
}

if [ "$(cat "$CACHE/.installed" 2>/dev/null)" = "$TFJS_NODE_VERSION" ] && loads; then
  log "@tensorflow/tfjs-node $TFJS_NODE_VERSION already in $CACHE"
  make_mirror
  exit 0
fi
rm -rf "$CACHE" && mkdir -p "$CACHE"
echo '{ "name": "native-backend-cache", "private": true }' >"$CACHE/package.json"
npm_install() { npm install --prefix "$CACHE" --no-audit --no-fund --loglevel=error "$@" </dev/null; }

log "npm install @tensorflow/tfjs-node@$TFJS_NODE_VERSION"
if npm_install "@tensorflow/tfjs-node@$TFJS_NODE_VERSION" >"$CACHE/npm-install.log" 2>&1 && loads; then
  echo "$TFJS_NODE_VERSION" >"$CACHE/.installed"
  make_mirror
  log "done: the package's own download worked"
  exit 0
fi

log "its download failed ($(grep -m1 -o 'Error: .*' "$CACHE/npm-install.log" || echo 'see npm-install.log')): building the addon against the $TF_WHEEL_SPEC wheel instead"
npm_install --ignore-scripts "@tensorflow/tfjs-node@$TFJS_NODE_VERSION"
pip download --quiet --retries 0 --timeout 10 --no-deps "$TF_WHEEL_SPEC" -d "$CACHE/wheel" </dev/null
wheel="$(ls "$CACHE"/wheel/*.whl)"
python3 - "$wheel" "$CACHE/wheel/unpacked" <<'PY'
import sys, zipfile
wanted = ('tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2', 'tensorflow/include/')
with zipfile.ZipFile(sys.argv[1]) as wheel:
    wheel.extractall(sys.argv[2], [name for name in wheel.namelist() if name.startswith(wanted)])
PY
mkdir -p "$PKG/deps/lib"
cp "$CACHE/wheel/unpacked/tensorflow/libtensorflow_cc.so.2" "$PKG/deps/lib/libtensorflow.so.2"
ln -sf libtensorflow.so.2 "$PKG/deps/lib/libtensorflow_cc.so.2"
ln -sf libtensorflow.so.2 "$PKG/deps/lib/libtensorflow.so"
cp "$CACHE/wheel/unpacked/tensorflow/libtensorflow_framework.so.2" "$PKG/deps/lib/"
ln -sf libtensorflow_framework.so.2 "$PKG/deps/lib/libtensorflow_framework.so"
# The C API's headers include parts of TensorFlow's platform layer: take the wheel's whole include tree.
rm -rf "$PKG/deps/include" && mv "$CACHE/wheel/unpacked/tensorflow/include" "$PKG/deps/include"
rm -rf "$CACHE/wheel"
log "node-gyp rebuild (about 25 s)"
# npm's own node-gyp, given the Node headers npm is set to build against (nothing to download).
node_gyp="$(dirname "$(realpath "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
(cd "$PKG" && node "$node_gyp" rebuild --module_name=tfjs_binding --module_path=lib/napi-v8 \
  --napi_build_version=8 --nodedir="$(npm config get nodedir)" >/dev/null)
mkdir -p "$PKG/lib/napi-v8"
cp "$PKG/build/Release/tfjs_binding.node" "$PKG/lib/napi-v8/"
loads || { echo "the built @tensorflow/tfjs-node does not load" >&2; exit 1; }
rm -rf "$PKG/deps/include" "$PKG/build" # the addon and the libraries are all it needs at run time
echo "$TFJS_NODE_VERSION" >"$CACHE/.installed"
make_mirror
log "done: @tensorflow/tfjs-node built against TensorFlow's C library in $PKG"
