#!/usr/bin/env bash
# Builds the npm package `euca` into bindings-wasm/pkg/ and copies its browser build into www/euca/:
#   pkg/web/   ES module for browsers and bundlers (wasm-bindgen --target web; `await init()` first)
#   pkg/node/  CommonJS for Node (wasm-bindgen --target nodejs; ready on require)
#   pkg/screen/ ES module of the screening of applications alone (`Call`, `Decision`, `compare`,
#              the date functions; built without the default feature `full`): about half the
#              download of web/ for a page that only screens (`import init from "euca/screen"`)
#   pkg/package.json (name `euca`; `exports` picks node/ under Node, web/ elsewhere), README, licences
# On a machine without them it first installs, skipping what is already there: the
# wasm32-unknown-unknown target (rustup), the wasm-bindgen CLI of exactly the version in
# Cargo.lock, and the npm devDependencies (binaryen's wasm-opt; never Debian's binaryen 108,
# whose wasm-opt silently breaks wasm-bindgen output).
# Usage: bindings-wasm/build.sh   (WASM_OPT=0 skips wasm-opt; PROFILE=dev for a quick debug build
#                                  of both)
# Two builds of the same code: the browser's (profile `wasm`, optimised for size, then
# `wasm-opt -Oz`: it is downloaded) and Node's (profile `wasm-speed`, optimised for speed, then
# `wasm-opt -O3`: it is read from disk, and runs 1.8-2.3x as fast; BENCHMARKS.md).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
cd "$HERE"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
PROFILE=${PROFILE:-wasm}
if [ "$PROFILE" = wasm ]; then NODE_PROFILE=wasm-speed; else NODE_PROFILE=$PROFILE; fi
WASM_OPT=${WASM_OPT:-1}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

say() { printf '\n== %s\n' "$*"; }

# ---- tools --------------------------------------------------------------------------------------
rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || { say "rustup target add wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown; }

# The CLI must be the very version of the wasm-bindgen crate in Cargo.lock (pinned `=` in Cargo.toml).
WBG_VERSION=$(cd "$ROOT" && cargo metadata --format-version 1 --locked --filter-platform wasm32-unknown-unknown \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const p=JSON.parse(s).packages.find(p=>p.name==="wasm-bindgen");console.log(p.version)})')
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WBG_VERSION" ]; then
  say "cargo install wasm-bindgen-cli $WBG_VERSION"
  # --locked can fail when the registry mirror lacks a crate version the CLI's lockfile pins
  # (webpki-roots 1.0.11 here); without it cargo resolves compatible versions.
  cargo install wasm-bindgen-cli --version "$WBG_VERSION" --locked --force \
    || cargo install wasm-bindgen-cli --version "$WBG_VERSION" --force
fi

# npm ci again only when package-lock.json changed since the last install.
LOCK_SUM=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.euca-lock.sha256 2>/dev/null)" != "$LOCK_SUM" ]; then
  say "npm ci (bindings-wasm devDependencies: binaryen, typescript, playwright-core)"
  npm ci --no-audit --no-fund
  echo "$LOCK_SUM" > node_modules/.euca-lock.sha256
fi

# ---- compile ------------------------------------------------------------------------------------
built() {
  case "$1" in dev) echo "$TARGET_DIR/wasm32-unknown-unknown/debug/euca_wasm.wasm" ;;
    *) echo "$TARGET_DIR/wasm32-unknown-unknown/$1/euca_wasm.wasm" ;; esac
}
rm -rf pkg www/euca
# The screening module first (its features differ, its file is the same): the full builds below
# then leave theirs in place, for benches/wasm_code.py.
say "cargo build -p euca-wasm --no-default-features --target wasm32-unknown-unknown ($PROFILE)"
(cd "$ROOT" && cargo build --locked -p euca-wasm --no-default-features --target wasm32-unknown-unknown --profile "$PROFILE")
wasm-bindgen "$(built "$PROFILE")" --debug --target web --out-dir pkg/screen --out-name euca

for profile in $(printf '%s\n' "$PROFILE" "$NODE_PROFILE" | sort -u); do
  say "cargo build -p euca-wasm --target wasm32-unknown-unknown ($profile)"
  (cd "$ROOT" && cargo build --locked -p euca-wasm --target wasm32-unknown-unknown --profile "$profile")
done
WASM=$(built "$PROFILE")
NODE_WASM=$(built "$NODE_PROFILE")

say "wasm-bindgen $WBG_VERSION (web, nodejs)"
# --debug adds the glue's checks before entering the module, notably that a handle was not freed:
# without it a freed handle reaches Rust, which throws through the module's frames and leaks its
# stack a little each time, until the module traps. The .wasm is the same either way.
wasm-bindgen "$WASM" --debug --target web --out-dir pkg/web --out-name euca
wasm-bindgen "$NODE_WASM" --debug --target nodejs --out-dir pkg/node --out-name euca
# Those checks, and the one that a handle argument is of the right class, throw plain `Error`s:
# make them EucaErrors (`freed_handle`, `invalid_type`) like every other error of the package.
node handle-errors.cjs pkg/web/euca.js pkg/node/euca.js --no-handle-arguments pkg/screen/euca.js

RAW=$(stat -c %s pkg/web/euca_bg.wasm)
if [ "$WASM_OPT" = 1 ]; then
  say "wasm-opt -Oz (web, screen), -O3 (node), --low-memory-unused (npm binaryen $(node_modules/.bin/wasm-opt --version | awk '{print $3}'))"
  # --low-memory-unused: the first kilobyte of memory is never read or written, so a load or
  # store at `pointer + constant` may take the constant as its offset (no wrap past 2^32 to
  # guard). True of Rust's modules: the stack comes first in memory, from 1 MiB down, and data
  # and heap above it; a pointer past 2^32 - 1024 would be a bug, which then traps. About 1 % of
  # the browsers' modules (euca/screen 289 269 -> 286 528 bytes gzipped); --converge repeats -Oz
  # while it still shrinks the module (another 0.3 %, some 20 s).
  node_modules/.bin/wasm-opt -Oz --low-memory-unused --converge pkg/web/euca_bg.wasm -o pkg/web/euca_bg.wasm
  node_modules/.bin/wasm-opt -Oz --low-memory-unused --converge pkg/screen/euca_bg.wasm -o pkg/screen/euca_bg.wasm
  if [ "$NODE_PROFILE" = "$PROFILE" ]; then
    node_modules/.bin/wasm-opt -Oz --low-memory-unused pkg/node/euca_bg.wasm -o pkg/node/euca_bg.wasm
  else
    node_modules/.bin/wasm-opt -O3 --low-memory-unused pkg/node/euca_bg.wasm -o pkg/node/euca_bg.wasm
  fi
fi

# ---- package ------------------------------------------------------------------------------------
VERSION=$(cd "$ROOT" && cargo metadata --format-version 1 --locked --no-deps \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{console.log(JSON.parse(s).packages.find(p=>p.name==="euca-wasm").version)})')
node - "$VERSION" <<'JS'
const fs = require("fs");
const version = process.argv[2];
const pkg = {
  name: "euca",
  version,
  description: "The EU–Central Asia human rights dialogues as sourced data, their cycles, and the eligibility rules of EU funding calls (WebAssembly)",
  license: "MIT OR Apache-2.0",
  repository: { type: "git", url: "https://github.com/euca-project/euca" },
  main: "./node/euca.js",
  module: "./web/euca.js",
  browser: "./web/euca.js",
  types: "./node/euca.d.ts",
  exports: {
    ".": {
      node: { types: "./node/euca.d.ts", default: "./node/euca.js" },
      types: "./web/euca.d.ts",
      default: "./web/euca.js",
    },
    "./web": { types: "./web/euca.d.ts", default: "./web/euca.js" },
    "./node": { types: "./node/euca.d.ts", default: "./node/euca.js" },
    "./web/euca_bg.wasm": "./web/euca_bg.wasm",
    "./screen": { types: "./screen/euca.d.ts", default: "./screen/euca.js" },
    "./screen/euca_bg.wasm": "./screen/euca_bg.wasm",
  },
  files: ["web/", "node/", "screen/", "README.md", "LICENSE-MIT", "LICENSE-APACHE", "LICENSE-DATA.md"],
  sideEffects: ["./web/euca.js", "./node/euca.js", "./screen/euca.js"],
  keywords: ["human-rights", "central-asia", "eu", "eligibility", "edtf", "wasm"],
};
fs.writeFileSync("pkg/package.json", JSON.stringify(pkg, null, 2) + "\n");
// The browser build is an ES module: say so to Node and bundlers inside web/ only (a "type":
// "module" next to node/ would break its CommonJS).
for (const dir of ["web", "screen"]) {
  fs.writeFileSync(`pkg/${dir}/package.json`, JSON.stringify({ type: "module" }, null, 2) + "\n");
}
JS
cp README.md pkg/README.md
cp "$ROOT/LICENSE-MIT" "$ROOT/LICENSE-APACHE" "$ROOT/LICENSE-DATA.md" pkg/
rm -f pkg/web/.gitignore pkg/node/.gitignore pkg/screen/.gitignore

# The demo page loads only local files: give it its own copy of the browser build.
mkdir -p www/euca
cp pkg/web/euca.js pkg/web/euca_bg.wasm pkg/web/euca.d.ts www/euca/
# The JavaScript snippets the glue imports (`inline_js` in src/input.rs).
cp -r pkg/web/snippets www/euca/

OPT=$(stat -c %s pkg/web/euca_bg.wasm)
GZ=$(gzip -9 -c pkg/web/euca_bg.wasm | wc -c)
say "built bindings-wasm/pkg (euca $VERSION)"
echo "euca_bg.wasm: $RAW bytes from wasm-bindgen, $OPT bytes after wasm-opt -Oz, $GZ bytes gzip -9"
SCREEN_OPT=$(stat -c %s pkg/screen/euca_bg.wasm)
SCREEN_GZ=$(gzip -9 -c pkg/screen/euca_bg.wasm | wc -c)
echo "screen/euca_bg.wasm (only the screening of applications): $SCREEN_OPT bytes, $SCREEN_GZ bytes gzip -9"
NODE_OPT=$(stat -c %s pkg/node/euca_bg.wasm)
NODE_GZ=$(gzip -9 -c pkg/node/euca_bg.wasm | wc -c)
echo "node/euca_bg.wasm (built for speed): $NODE_OPT bytes, $NODE_GZ bytes gzip -9"
