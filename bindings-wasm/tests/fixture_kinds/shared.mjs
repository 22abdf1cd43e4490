// What the fixture runners of the Node tests share (tests/fixtures.test.mjs runs every case
// through the package's Node build, tests/screen.test.mjs the screening cases through
// pkg/screen): the matching rules of the Rust runner (core/tests/fixtures.rs) and errors shaped
// as it shapes them.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

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
export class Shaped extends Error {
  constructor(value) {
    super("fixture error");
    this.value = value;
  }
}
export const asEucaError = (e) => {
  if (!(e instanceof Error) || e.name !== "EucaError") throw e; // anything else fails the test
  return e;
};
export const dateError = (e) => new Shaped({ error: { code: asEucaError(e).code } });
export const queryError = (e) => {
  asEucaError(e);
  return new Shaped({ error: { code: e.code, message: e.message } });
};
export const datasetError = (e) => {
  asEucaError(e);
  return new Shaped({
    error: {
      code: e.code,
      problems: e.errors.map((p) => ({ code: p.code, path: p.path, message: p.message })),
    },
  });
};
export const guard = (shape, f) => {
  try {
    return f();
  } catch (e) {
    throw shape(e);
  }
};

/** What the fixture kinds' modules (`kinds(euca, data, helpers)`) are given. */
export const helpers = { guard, datasetError, queryError, dateError, Shaped };

/** A string input, or a test error naming it. */
export const text = (input, key) => {
  if (typeof input[key] !== "string") throw new Error(`input.${key} must be a string`);
  return input[key];
};

/**
 * The date kinds of core/tests/fixtures.rs (`date`, `date_relation`) through a module's
 * `parseDate` and `dateRelation`, and its date reader for other kinds: a date read as the Rust
 * runner reads it (Date::parse), so a bad date is `{error: {code}}`.
 */
export function dates(euca) {
  const date = (input, key) => guard(dateError, () => euca.parseDate(text(input, key)).display);
  const optionalDate = (input, key) => (input[key] == null ? null : date(input, key));
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
  };
  return { date, optionalDate, kinds };
}

/** Runs one case with `kinds` and returns its result (errors as `{error: {...}}`). */
export function run(kinds, kind, input) {
  const f = kinds[kind];
  if (!f) throw new Error(`unknown fixture kind \`${kind}\``);
  try {
    return f(input);
  } catch (e) {
    if (e instanceof Shaped) return e.value;
    throw e;
  }
}

/** The fixture files of `dir` (tests/fixtures), in order, each with its cases. */
export function fixtureFiles(dir) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, cases: JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) }));
}

/**
 * One test per fixture file that has cases `select` takes (all by default), each case a subtest
 * run with `kinds` and matched against its `expected`; `ran(c)` after each case that passed.
 */
export function testCases(files, kinds, { select = () => true, name = (file) => file, ran = () => {} } = {}) {
  for (const { file, cases } of files) {
    const mine = [...cases.entries()].filter(([, c]) => select(c));
    if (mine.length === 0) continue;
    test(name(file), async (t) => {
      for (const [i, c] of mine) {
        await t.test(`[${i}] ${c.description}`, () => {
          const why = mismatch(c.expected, run(kinds, c.kind, c.input));
          assert.equal(why, null, `${file}[${i}] ${c.description}: ${why}`);
          ran(c);
        });
      }
    });
  }
}

/** The size of a module file: its bytes, and gzipped at level 9 by Node's zlib (as a server would). */
export function moduleSize(file) {
  const wasm = fs.readFileSync(file);
  return { raw: wasm.length, gzip: zlib.gzipSync(wasm, { level: 9 }).length };
}
