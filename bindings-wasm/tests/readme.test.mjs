// The JavaScript quick starts of bindings-wasm/README.md and of the root README run as written
// under Node, with `euca` installed from the built package (bindings-wasm/pkg), and stay within
// 15 lines.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, "..", "pkg");

/** The first ```js block after a heading that contains `heading`. */
function quickStart(readme, heading) {
  const text = fs.readFileSync(readme, "utf8");
  const at = text.search(new RegExp(`^#+ .*${heading}`, "m"));
  assert.ok(at >= 0, `${readme} has a "${heading}" section`);
  const block = text.slice(at).match(/```js\n([\s\S]*?)```/);
  assert.ok(block, `${readme}: a \`\`\`js block under "${heading}"`);
  return block[1];
}

/** Runs a snippet as an ES module in a folder where `euca` is the built package. */
function run(code) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "euca-readme-"));
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(pkg, path.join(dir, "node_modules", "euca"), "dir");
  fs.writeFileSync(path.join(dir, "quickstart.mjs"), code);
  try {
    return execFileSync(process.execPath, ["quickstart.mjs"], { cwd: dir, encoding: "utf8" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const cases = [
  [path.join(here, "..", "README.md"), "Quick start \\(Node\\)"],
  [path.join(here, "..", "..", "README.md"), "Quick start \\(JavaScript\\)"],
];

for (const [readme, heading] of cases) {
  test(`${path.relative(path.join(here, "..", ".."), readme)}: the JavaScript quick start runs`, () => {
    const code = quickStart(readme, heading);
    const lines = code.trimEnd().split("\n").length;
    assert.ok(lines <= 15, `the quick start has ${lines} lines; at most 15`);
    const out = run(code);
    assert.match(out, /^structured$/m, out);
    assert.match(out, /EucaError unknown_country/, out);
    assert.match(out, /^KG 1800000000$/m, out);
  });
}

test("require('euca') finds the Node build and import finds the same API", () => {
  const out = run(
    'import { createRequire } from "node:module";\n' +
      'import * as esm from "euca";\n' +
      'const cjs = createRequire(import.meta.url)("euca");\n' +
      'console.log(typeof cjs.Dataset.embedded, Object.keys(esm).includes("Dataset"), cjs.Dataset.embedded().version);\n',
  );
  assert.match(out, /^function true \d{4}\.\d{2}\.\d{2}/);
});

test("package.json's test script runs every tests/*.test.mjs file", () => {
  const scripts = JSON.parse(fs.readFileSync(path.join(here, "..", "package.json"), "utf8")).scripts;
  const files = fs.readdirSync(here).filter((f) => f.endsWith(".test.mjs"));
  assert.ok(files.length > 0);
  for (const f of files) assert.ok(scripts.test.includes(`tests/${f}`), `scripts.test omits tests/${f}`);
});
