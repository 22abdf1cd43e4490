#!/usr/bin/env bash
# Builds the test-only module of tests/panic.test.mjs into bindings-wasm/panic-probe/: the same
# crate with the `panic-probe` feature, whose extra export `panicProbe()` panics, for Node, without
# wasm-opt. Run bindings-wasm/build.sh first (it installs the wasm32 target and the wasm-bindgen
# CLI). The feature changes only euca-wasm itself, so this recompiles that one crate.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cd "$HERE"
# Its own profile (`wasm-probe`: unoptimised, quick), so the package's build is not overwritten.
# The panic hook and its start function are the same code as in the package; only the build
# settings and the one extra export differ.
(cd "$ROOT" && cargo build --locked -p euca-wasm --target wasm32-unknown-unknown \
  --profile wasm-probe --features panic-probe)
rm -rf panic-probe
wasm-bindgen "$TARGET_DIR/wasm32-unknown-unknown/wasm-probe/euca_wasm.wasm" \
  --target nodejs --out-dir panic-probe --out-name euca
echo "built bindings-wasm/panic-probe (the panic hook's test module)"
