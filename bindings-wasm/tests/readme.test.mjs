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
import { moduleSize } from "./fixture_kinds/shared.mjs";

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

test("import from 'euca/screen' finds the screening module through the package's exports", () => {
  const out = run(
    'import fs from "node:fs";\n' +
    'import { createRequire } from "node:module";\n' +
    'import { initSync, Call } from "euca/screen";\n' +
    'const require = createRequire(import.meta.url);\n' +
    'initSync({ module: fs.readFileSync(require.resolve("euca/screen/euca_bg.wasm")) });\n' +
    'const call = Call.fromJson({ id: "c", version: "1", kind: "call", title: "A call", extends: "eidhr-2014",\n' +
    '  sources: [{ title: "Guidelines", address: "https://example.org/g.pdf" }] });\n' +
    'console.log(call.evaluateMany([{}, { applicant: { country: "FR" } }], { asOf: "2020-09-01" }).verdicts.join(" "));\n',
  );
  assert.match(out, /^(eligible|ineligible|undetermined) (eligible|ineligible|undetermined)$/m, out);
});

test("package.json's test script and scripts/test (what CI runs) run every tests/*.test.mjs file", () => {
  const scripts = JSON.parse(fs.readFileSync(path.join(here, "..", "package.json"), "utf8")).scripts;
  const ci = fs.readFileSync(path.join(here, "..", "..", "scripts", "test"), "utf8");
  const files = fs.readdirSync(here).filter((f) => f.endsWith(".test.mjs"));
  assert.ok(files.length > 0);
  for (const f of files) {
    assert.ok(scripts.test.includes(`tests/${f}`), `scripts.test omits tests/${f}`);
    assert.ok(ci.includes(`tests/${f}`), `scripts/test omits tests/${f}`);
  }
});

/** The raw and gzip -9 sizes of the module the package ships to `target` (`web`, `node`, `screen`). */
const shippedSizes = (target = "web") => moduleSize(path.join(pkg, target, "euca_bg.wasm"));

const within = (stated, actual, what) =>
  assert.ok(Math.abs(stated - actual) / actual <= 0.02, `${what}: the README says ${stated}, the build gives ${actual} (more than 2 % apart)`);

for (const [target, label] of [["web", "browsers"], ["node", "Node"], ["screen", "pages that only screen"]]) {
  test(`bindings-wasm/README.md: the size of what the package ships to ${label} is that of pkg/${target}/euca_bg.wasm`, () => {
    const text = fs.readFileSync(path.join(here, "..", "README.md"), "utf8");
    const row = text.split("\n").find((l) => l.includes(`(what the package ships to ${label})`));
    assert.ok(row, `the size table has a row for what the package ships to ${label}`);
    const figures = [...row.matchAll(/\*\*([\d ]+)\*\*/g)].map((m) => Number(m[1].replace(/ /g, "")));
    assert.equal(figures.length, 2, `two bold figures (bytes, gzip -9) in: ${row}`);
    const { raw, gzip } = shippedSizes(target);
    within(figures[0], raw, "bytes");
    within(figures[1], gzip, "gzip -9");
  });
}

test("README.md: the module's size in the JavaScript section is that of pkg/web/euca_bg.wasm", () => {
  const text = fs.readFileSync(path.join(here, "..", "..", "README.md"), "utf8");
  const m = text.match(/The module is ([\d.]+) MB, ([\d.]+) (MB|KB) gzipped/);
  assert.ok(m, "README.md states the module's size");
  const { raw, gzip } = shippedSizes();
  // Rounded to one decimal of a MB, or to the KB: allow that rounding and 2 %.
  const near = (stated, actual, unit, what) => {
    const slack = Math.max(0.02 * actual, unit === "MB" ? 50_000 : 500);
    assert.ok(Math.abs(stated * (unit === "MB" ? 1e6 : 1e3) - actual) <= slack, `${what}: README.md says ${stated} ${unit}, the build gives ${actual} bytes`);
  };
  near(Number(m[1]), raw, "MB", "size");
  near(Number(m[2]), gzip, m[3], "gzipped");
});
