// The panic hook: a Rust panic inside the module is reported on the console (`panicked at ...`,
// with the panic's message) and the call fails with an exception instead of returning. No input
// of the package's API reaches a panic, so this loads a test-only build of the same crate with one
// extra export that panics (build-panic-probe.sh, run by scripts/test).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const probe = fileURLToPath(new URL("../panic-probe/euca.js", import.meta.url));
const built = existsSync(probe);
const strict = process.env.EUCA_TEST_ALL === "1";

test("a panic is reported on the console and the call throws", { skip: !built && !strict && "skipped: run bindings-wasm/build-panic-probe.sh to build the probe module" }, () => {
  assert.ok(built, `${probe} is missing: run bindings-wasm/build-panic-probe.sh`);
  const logged = [];
  const original = console.error;
  console.error = (...args) => logged.push(args.join(" "));
  let thrown;
  try {
    const euca = require(probe);
    // The start function (the hook) ran on load: the module works before the panic.
    assert.equal(typeof euca.version(), "string");
    assert.equal(typeof euca.panicProbe, "function");
    try {
      euca.panicProbe();
    } catch (e) {
      thrown = e;
    }
  } finally {
    console.error = original;
  }
  assert.ok(thrown, "the panicking call threw");
  // A panic aborts: the module traps (`unreachable`), a WebAssembly.RuntimeError.
  assert.ok(thrown instanceof WebAssembly.RuntimeError, String(thrown));
  const report = logged.join("\n");
  assert.match(report, /panicked at/);
  assert.match(report, /the panic probe of tests\/panic\.test\.mjs/);
});

test("the package itself has no panic probe", () => {
  const pkg = fileURLToPath(new URL("../pkg/node/euca.js", import.meta.url));
  assert.ok(existsSync(pkg), "build the package first (bindings-wasm/build.sh)");
  const euca = require(pkg);
  assert.equal(euca.panicProbe, undefined);
});
