// The language-neutral cases of tests/fixtures/*.json through the Node build, with the matching
// rules of the Rust runner (core/tests/fixtures.rs): objects by the keys `expected` names (a
// missing key is null), lists element by element with the same length, everything else exactly.
// Each fixture kind calls the same operation as the Rust runner and shapes errors the same way.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const euca = createRequire(import.meta.url)("../pkg");
const fixturesDir = path.join(here, "..", "..", "tests", "fixtures");
const data = euca.Dataset.embedded();

/** Does `actual` satisfy `expected`? Returns the path of the first mismatch, or null. */
export function mismatch(expected, actual, at = "expected") {
  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (isObject(expected) && isObject(actual)) {
    for (const [key, ev] of Object.entries(expected)) {
      const av = actual[key] === undefined ? null : actual[key];
      const why = mismatch(ev, av, `${at}.${key}`);
      if (why) return why;
    }
    return null;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) {
      const shown = JSON.stringify(actual).slice(0, 1500);
      return `${at}: expected ${expected.length} items, got ${actual.length}: ${shown}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const why = mismatch(expected[i], actual[i], `${at}[${i}]`);
      if (why) return why;
    }
    return null;
  }
  try {
    assert.deepStrictEqual(actual, expected);
    return null;
  } catch {
    return `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
  }
}

/** Errors as the Rust runner shapes them. */
class Shaped extends Error {
  constructor(value) {
    super("fixture error");
    this.value = value;
  }
}
const asEucaError = (e) => {
  if (!(e instanceof Error) || e.name !== "EucaError") throw e; // anything else fails the test
  return e;
};
const dateError = (e) => new Shaped({ error: { code: asEucaError(e).code } });
const queryError = (e) => {
  asEucaError(e);
  return new Shaped({ error: { code: e.code, message: e.message } });
};
const datasetError = (e) => {
  asEucaError(e);
  return new Shaped({
    error: {
      code: e.code,
      problems: e.errors.map((p) => ({ code: p.code, path: p.path, message: p.message })),
    },
  });
};
const guard = (shape, f) => {
  try {
    return f();
  } catch (e) {
    throw shape(e);
  }
};
const text = (input, key) => {
  if (typeof input[key] !== "string") throw new Error(`input.${key} must be a string`);
  return input[key];
};
/** Reads a date as the Rust runner does (Date::parse), so a bad date is `{error: {code}}`. */
const date = (input, key) => guard(dateError, () => euca.parseDate(text(input, key)).display);
const optionalDate = (input, key) => (input[key] == null ? null : date(input, key));

/** The kinds of core/tests/fixtures.rs. */
const kinds = {
  date: (input) => {
    const d = guard(dateError, () => euca.parseDate(text(input, "text")));
    return { display: d.display, earliest: d.earliest, latest: d.latest, precision: d.precision };
  },
  date_relation: (input) => {
    const a = date(input, "a");
    const b = date(input, "b");
    return { relation: euca.dateRelation(a, b) };
  },
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
const helpers = { guard, datasetError, queryError, dateError, Shaped };
for (const name of ["cycles", "eligibility", "projects"]) {
  const module = await import(`./fixture_kinds/${name}.mjs`);
  Object.assign(kinds, module.kinds(euca, data, helpers));
}

/** Runs one case and returns its result (errors as `{error: {...}}`). */
function run(kind, input) {
  const f = kinds[kind];
  if (!f) throw new Error(`unknown fixture kind \`${kind}\``);
  try {
    return f(input);
  } catch (e) {
    if (e instanceof Shaped) return e.value;
    throw e;
  }
}

const files = fs
  .readdirSync(fixturesDir)
  .filter((f) => f.endsWith(".json"))
  .sort();

test("the fixture folder has cases", () => {
  assert.ok(files.length > 0, `no fixture files in ${fixturesDir}`);
});

for (const file of files) {
  const cases = JSON.parse(fs.readFileSync(path.join(fixturesDir, file), "utf8"));
  test(file, async (t) => {
    for (const [i, c] of cases.entries()) {
      await t.test(`[${i}] ${c.description}`, () => {
        const actual = run(c.kind, c.input);
        const why = mismatch(c.expected, actual);
        assert.equal(why, null, `${file}[${i}] ${c.description}: ${why}`);
      });
    }
  });
}

test("the matching rules compare only what is expected", () => {
  const actual = { a: 1, b: [{ x: 1, y: 2 }], c: "z" };
  assert.equal(mismatch({ a: 1 }, actual), null);
  assert.equal(mismatch({ b: [{ x: 1 }] }, actual), null);
  assert.notEqual(mismatch({ a: 2 }, actual), null);
  assert.notEqual(mismatch({ b: [] }, actual), null, "lists compare their length");
  assert.notEqual(mismatch({ d: 1 }, actual), null, "a missing key is null");
  assert.equal(mismatch({ d: null }, actual), null, "a missing key is null");
});
