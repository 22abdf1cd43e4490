// `euca/screen` (pkg/screen): the module for pages that only screen applications, built without
// the default feature `full`. It has the screening API and nothing else, decides every screening
// case of tests/fixtures exactly as the full package does, and is the smaller download: within the
// 250 KB gzipped the benchmarks issue asks of a `.wasm`.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import * as screen from "../pkg/screen/euca.js";
import { kinds as eligibilityKinds } from "./fixture_kinds/eligibility.mjs";
import { dates, fixtureFiles, helpers, moduleSize, testCases } from "./fixture_kinds/shared.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, "..", "pkg");
const fixturesDir = path.join(here, "..", "..", "tests", "fixtures");
screen.initSync({ module: fs.readFileSync(path.join(pkg, "screen", "euca_bg.wasm")) });
const full = createRequire(import.meta.url)("../pkg");

const exported = (module) =>
  Object.keys(module)
    .filter((k) => !k.startsWith("_") && k !== "default" && k !== "initSync")
    .sort();

test("euca/screen exports the screening of applications and nothing else", () => {
  assert.deepEqual(exported(screen), [
    "Call",
    "Decision",
    "dateRelation",
    "errorCodes",
    "euMemberStates",
    "parseDate",
    "version",
  ]);
  for (const name of exported(screen)) assert.ok(name in full, `the full package has ${name} too`);
  const fullOnly = ["Dataset", "readIati", "toIati", "applicationSchema", "ruleSetSchema", "compare"];
  for (const name of fullOnly) {
    assert.ok(name in full && !(name in screen), `${name} is only in the full package`);
  }
  // A handle has every method of the full package's but `Call.decision` (a batch's row read back:
  // `call.evaluate(applications[i], { asOf: batch.as_of, stage: batch.stage })` gives the same
  // decision, below); of the static functions, `Call.fromJsonWith` (which takes a `Dataset`) and
  // `Decision.fromJson` (a decision read back) are left out.
  const leftOut = { Call: ["decision"], Decision: [] };
  for (const klass of ["Call", "Decision"]) {
    const methods = (m) => Object.getOwnPropertyNames(m[klass].prototype).sort();
    const fullMethods = methods(full).filter((m) => !leftOut[klass].includes(m));
    assert.deepEqual(methods(screen), fullMethods, `${klass}'s methods`);
    for (const m of leftOut[klass]) assert.ok(methods(full).includes(m), `the full ${klass} has ${m}`);
  }
  assert.equal(typeof screen.Call.fromJson, "function");
  assert.equal(screen.Call.fromJsonWith, undefined);
  assert.equal(typeof full.Decision.fromJson, "function");
  assert.equal(screen.Decision.fromJson, undefined);
  assert.equal(screen.version(), full.version());
  assert.deepEqual(screen.errorCodes(), full.errorCodes());
});

// The screening cases: those that give their calls as documents and add no rule sets (a call by
// id, `match` and added rule sets need a `Dataset`). `fromJsonWith` on the embedded dataset is
// `fromJson` by definition, which the shim below asserts it is asked for.
const EMBEDDED = Symbol("the embedded dataset");
const asFull = {
  ...screen,
  Call: {
    fromJsonWith: (document, dataset) => {
      assert.equal(dataset, EMBEDDED);
      return screen.Call.fromJson(document);
    },
  },
};
const kinds = {
  ...dates(screen).kinds,
  ...eligibilityKinds(asFull, EMBEDDED, helpers),
};
delete kinds.match;
delete kinds.compare;
const screening = (c) =>
  c.kind in kinds && c.input.rule_sets == null && !Object.keys(c.input).some((k) => k.endsWith("_id"));

const files = fixtureFiles(fixturesDir);
const ran = new Map(); // kind -> cases that passed
testCases(files, kinds, {
  select: screening,
  name: (file) => `${file} (the screening cases, through euca/screen)`,
  ran: (c) => ran.set(c.kind, (ran.get(c.kind) ?? 0) + 1),
});

test("euca/screen passed the fixtures' screening cases of every kind it has", () => {
  // After the file tests above (node:test runs a file's tests in order).
  const total = [...ran.values()].reduce((a, b) => a + b, 0);
  assert.ok(total >= 200, `only ${total} screening cases passed`);
  assert.deepEqual(
    [...ran.keys()].sort(),
    ["compile_call", "date", "date_relation", "evaluate", "evaluate_jsonl", "fields_read"],
  );
});

test("euca/screen and the full package give the same batch, and the same errors", () => {
  // A call extending an embedded instrument: the screening module resolves `extends` against the
  // embedded rule sets as the full package does.
  const document = {
    id: "screen-test",
    version: "1",
    kind: "call",
    title: "A call of the EIDHR 2014-2020",
    extends: "eidhr-2014",
    sources: [{ title: "Guidelines for applicants (test)", address: "https://example.org/g.pdf" }],
  };
  const a = screen.Call.fromJson(document);
  const b = full.Call.fromJson(document);
  assert.deepEqual(a.toFlatJSON(), b.toFlatJSON());
  assert.ok(a.criteria().length > 5, "the instrument's criteria are inherited");
  // Every application of the eligibility fixtures: one at a time, the same decision or the same
  // error; those that read, as one batch.
  const applications = files
    .filter(({ file }) => file.startsWith("eligibility_"))
    .flatMap(({ cases }) => cases)
    .filter((c) => c.kind === "evaluate" && c.input.application != null)
    .map((c) => c.input.application);
  const options = { asOf: "2020-09-01" };
  const outcome = (call, application) => {
    try {
      return { decision: call.evaluate(application, options).toJSON() };
    } catch (e) {
      return { error: { name: e.name, code: e.code, errors: e.errors } };
    }
  };
  const readable = [];
  for (const application of applications) {
    const mine = outcome(a, application);
    assert.deepEqual(mine, outcome(b, application));
    if (mine.decision) readable.push(application);
  }
  assert.ok(readable.length > 100 && readable.length < applications.length, `${readable.length} of ${applications.length} read`);
  const batch = a.evaluateMany(readable, options);
  assert.deepEqual(batch, b.evaluateMany(readable, options));
  assert.ok(new Set(batch.verdicts).size > 1, "the batch has more than one verdict");
  const jsonl = readable.map((x) => JSON.stringify(x)).join("\n");
  assert.deepEqual(a.evaluateJsonl(jsonl, options), b.evaluateJsonl(jsonl, options));
  // A row's full decision in the screening module is its application evaluated on the batch's day
  // and stage: the decision the full package's `Call.decision` reads back for that row.
  for (const i of [0, Math.floor(readable.length / 2), readable.length - 1]) {
    const row = a.evaluate(readable[i], { asOf: batch.as_of, stage: batch.stage }).toJSON();
    assert.deepEqual(row, b.decision(readable, batch, i).toJSON(), `row ${i}`);
  }
  // A freed handle is an EucaError in the screening module too (build.sh patches its glue).
  const freed = screen.Call.fromJson(document);
  freed.free();
  assert.throws(
    () => freed.evaluate(readable[0], options),
    (e) => e.name === "EucaError" && e.code === "freed_handle",
  );
  // A call that does not read names its problem and path.
  assert.throws(
    () => screen.Call.fromJson({ ...document, extends: "no-such-instrument" }),
    (e) =>
      e.name === "EucaError" &&
      e.errors.some((p) => p.path === "extends" && p.code === "unresolved_reference"),
  );
  a.free();
  b.free();
});

test("euca/screen is the smaller download", () => {
  const gz = (dir) => moduleSize(path.join(pkg, dir, "euca_bg.wasm")).gzip;
  const [small, web] = [gz("screen"), gz("web")];
  assert.ok(small < 0.7 * web, `screen ${small} bytes gzipped, web ${web}`);
  assert.ok(small <= 250_000, `screen ${small} bytes gzipped, over the 250 KB asked of a .wasm`);
});
