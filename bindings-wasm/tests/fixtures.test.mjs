// The language-neutral cases of tests/fixtures/*.json through the Node build, with the matching
// rules of the Rust runner (core/tests/fixtures.rs): objects by the keys `expected` names (a
// missing key is null), lists element by element with the same length, everything else exactly.
// Each fixture kind calls the same operation as the Rust runner and shapes errors the same way.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import {
  dates,
  fixtureFiles,
  guard,
  helpers,
  mismatch,
  queryError,
  datasetError,
  testCases,
  text,
} from "./fixture_kinds/shared.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const euca = createRequire(import.meta.url)("../pkg");
const fixturesDir = path.join(here, "..", "..", "tests", "fixtures");
const data = euca.Dataset.embedded();

const { date, optionalDate, kinds: dateKinds } = dates(euca);

/** The kinds of core/tests/fixtures.rs. */
const kinds = {
  ...dateKinds,
  country: (input) => guard(queryError, () => data.country(text(input, "query"))),
  dialogue: (input) => guard(queryError, () => data.dialogue(text(input, "country"))),
  format_on: (input) => {
    const on = date(input, "on");
    return guard(queryError, () => data.formatOn(text(input, "country"), on));
  },
  rounds_of: (input) => guard(queryError, () => data.roundsOf(text(input, "country"))),
  rounds_in: (input) => data.roundsIn(optionalDate(input, "from"), optionalDate(input, "to")),
  seminars_in: (input) => data.seminarsIn(optionalDate(input, "from"), optionalDate(input, "to")),
  countries_without_seminar_before: (input) =>
    data.countriesWithoutSeminarBefore(date(input, "date")),
  timeline: (input) =>
    data
      .timeline()
      .filter((e) => input.kind === undefined || e.kind === input.kind)
      .filter((e) => input.country === undefined || e.country === input.country),
  serving: (input) => guard(queryError, () => data.serving(text(input, "priority"))),
  load_dataset: (input) => {
    if (input.document === undefined) throw new Error("input.document is required");
    // Objects go in as objects: the same cases then check the object path of the binding.
    const loaded = guard(datasetError, () => euca.Dataset.fromJson(input.document));
    try {
      return { version: loaded.version, rounds: (loaded.toJSON().rounds ?? []).length };
    } finally {
      loaded.free();
    }
  },
  extend_dataset: (input) => {
    if (input.extension === undefined) throw new Error("input.extension is required");
    const extended = guard(datasetError, () => data.extend(input.extension));
    try {
      const doc = extended.toJSON();
      const out = {
        changes: extended.changes(),
        rounds: (doc.rounds ?? []).length,
        seminars: (doc.seminars ?? []).length,
      };
      if (typeof input.rounds_of === "string") {
        out.rounds_of = guard(queryError, () => extended.roundsOf(input.rounds_of));
      }
      return out;
    } finally {
      extended.free();
    }
  },
};

// The kinds of core/tests/fixture_kinds/*.rs, one module each.
for (const name of ["cycles", "eligibility", "projects"]) {
  const module = await import(`./fixture_kinds/${name}.mjs`);
  Object.assign(kinds, module.kinds(euca, data, helpers));
}

const files = fixtureFiles(fixturesDir);

test("the fixture folder has cases", () => {
  assert.ok(files.length > 0, `no fixture files in ${fixturesDir}`);
});

testCases(files, kinds);

test("the matching rules compare only what is expected", () => {
  const actual = { a: 1, b: [{ x: 1, y: 2 }], c: "z" };
  assert.equal(mismatch({ a: 1 }, actual), null);
  assert.equal(mismatch({ b: [{ x: 1 }] }, actual), null);
  assert.notEqual(mismatch({ a: 2 }, actual), null);
  assert.notEqual(mismatch({ b: [] }, actual), null, "lists compare their length");
  assert.notEqual(mismatch({ d: 1 }, actual), null, "a missing key is null");
  assert.equal(mismatch({ d: null }, actual), null, "a missing key is null");
});
