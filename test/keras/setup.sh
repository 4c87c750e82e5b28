#!/usr/bin/env bash
# Makes real Keras (3.15.1, JAX backend on the CPU) available to the tests in the git-ignored .cache/keras-venv/,
# from the wheels pip is configured to find. Idempotent; prints what it did and how long it took.
set -euo pipefail

KERAS_VERSION=3.15.1
JAX_VERSION=0.10.2
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${KERAS_VENV_DIR:-$ROOT/.cache/keras-venv}"
START=$(date +%s)

log() { echo "[keras-setup +$(( $(date +%s) - START ))s] $*"; }
ready() { KERAS_BACKEND=jax "$VENV/bin/python" -c "import keras, sys; sys.exit(keras.__version__ != '$KERAS_VERSION')" >/dev/null 2>&1; }

if ready; then
  log "keras $KERAS_VERSION already in $VENV"
  exit 0
fi
rm -rf "$VENV"
log "python3 -m venv $VENV"
python3 -m venv "$VENV"
log "pip install keras==$KERAS_VERSION jax==$JAX_VERSION jaxlib==$JAX_VERSION"
"$VENV/bin/pip" install --quiet --disable-pip-version-check --retries 0 --timeout 5 "keras==$KERAS_VERSION" "jax==$JAX_VERSION" "jaxlib==$JAX_VERSION" </dev/null
ready || { echo "keras $KERAS_VERSION does not import from $VENV" >&2; exit 1; }
log "done: keras $KERAS_VERSION in $VENV"
