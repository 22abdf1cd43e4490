// tests/malformed/manifest.json through the Node build, as core/tests/malformed.rs runs it in Rust.
//
// Every malformed document (a dataset, an extension, a rule set, an application, a batch) must throw
// an `Error` named `EucaError` whose code and first problem's path are the ones its case names,
// never a trap or another exception; and after each, the module still evaluates a valid application.
// Files go in as their bytes (a Node `Buffer`, as `fs.readFileSync` gives them); cases marked
// `generate` (10 000-level and 50 MB documents, inputs at and past each limit) are made here from the
// manifest's parts and go in as strings. A case whose bytes are strict JSON is also given as the
// parsed object, and must give the same error, unless it says `text_only`.
//
// The malformed IATI files of tests/malformed/iati go through `readIati` as their bytes (and, when
// they are UTF-8, as text), checked against the lines of that folder's README as core/tests/iati.rs
// checks them: the first problem's code and path, or, on a `warning` line, a warning of that code
// and path.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const euca = createRequire(import.meta.url)("../pkg");
const dir = path.join(here, "..", "..", "tests", "malformed");
const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));

const data = euca.Dataset.embedded();
const applicationCall = data.call(manifest.application_call);
const batchCall = euca.Call.fromJson(fs.readFileSync(path.join(dir, manifest.batch_call)));
const valid = JSON.parse(fs.readFileSync(path.join(dir, manifest.valid_application), "utf8"));
const options = { asOf: manifest.as_of };

/** The text of a generated case: `text` as it is, `repeat` `times` times (`separator` between;
 * `{i}` is the index, `{i1}` the next one), one `fill` character up to `total_bytes` in all. */
export function generate(parts) {
  const pieces = [];
  let fill = null;
  for (const part of parts) {
    if (part.text !== undefined) {
      pieces.push(part.text);
    } else if (part.repeat !== undefined) {
      const { repeat: unit, times } = part;
      const sep = part.separator ?? "";
      if (unit.includes("{i}") || unit.includes("{i1}")) {
        const items = [];
        for (let i = 0; i < times; i++) {
          items.push(unit.replaceAll("{i1}", String(i + 1)).replaceAll("{i}", String(i)));
        }
        pieces.push(items.join(sep));
      } else if (sep === "") {
        pieces.push(unit.repeat(times));
      } else {
        pieces.push((unit + sep).repeat(times - 1) + (times > 0 ? unit : ""));
      }
    } else if (part.fill !== undefined) {
      assert.equal(fill, null, "one `fill` part per case");
      fill = part;
      pieces.push(null);
    } else {
      throw new Error(`unknown part ${JSON.stringify(part)}`);
    }
  }
  const fixed = pieces.reduce((n, p) => n + (p === null ? 0 : p.length), 0);
  const out = pieces.map((p) => (p === null ? fill.fill.repeat(fill.total_bytes - fixed) : p)).join("");
  assert.ok(/^[\x00-\x7f]*$/.test(out.slice(0, 4096)), "generated documents are ASCII");
  return out;
}

/** The parsed document when the bytes are strict JSON (UTF-8 without a BOM), else undefined. */
function strictJson(bytes) {
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

const asText = (doc) =>
  typeof doc === "string" ? doc : new TextDecoder("utf-8", { fatal: true }).decode(doc);

/** Runs a case's operation on bytes, text or a parsed document. */
function run(kind, doc) {
  switch (kind) {
    case "dataset":
      return euca.Dataset.fromJson(doc).free();
    case "extension":
      return data.extend(doc).free();
    case "rule_set":
      return euca.Call.fromJson(doc).free();
    case "application":
      return applicationCall.evaluate(doc, options).free();
    case "applications_jsonl":
      return batchCall.evaluateJsonl(asText(doc), options);
    case "applications":
      // A list of applications has no text form here: it is always a parsed array.
      return batchCall.evaluateMany(Array.isArray(doc) ? doc : JSON.parse(asText(doc)), options);
    case "batch_result": {
      // A batch handed back to `decision` (an object kept, stored or edited since): a batch has
      // no text form here, it is always an object.
      const batch = typeof doc === "object" && !ArrayBuffer.isView(doc) ? doc : JSON.parse(asText(doc));
      // `decision` reads the row it is asked for: each row in turn, so that every cell is read.
      const rows = Array.isArray(batch?.verdicts) ? batch.verdicts.length : 0;
      const apps = Array.from({ length: Math.max(rows, 1) }, () => valid);
      for (let i = 0; i < Math.max(rows, 1); i++) batchCall.decision(apps, batch, i).free();
      return undefined;
    }
    default:
      throw new Error(`unknown kind \`${kind}\``);
  }
}

function check(c, doc, label) {
  const want = c.expected_error;
  if (want === undefined) {
    run(c.kind, doc);
    return;
  }
  let thrown;
  try {
    run(c.kind, doc);
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown, `${label}: expected ${JSON.stringify(want)}, got no error`);
  assert.ok(thrown instanceof Error, `${label}: a real Error, got ${String(thrown)}`);
  assert.equal(thrown.name, "EucaError", `${label}: ${thrown.stack}`);
  const first = thrown.errors[0];
  // `decision` names its argument: the batch's paths start with `batch`.
  const wantPath =
    c.kind === "batch_result" ? (want.path === "" ? "batch" : `batch.${want.path}`) : want.path;
  assert.deepEqual(
    [thrown.code, first.code, first.path],
    [want.code, want.code, wantPath],
    `${label}: ${first.message.slice(0, 200)}`,
  );
}

for (const c of manifest.cases) {
  test(`${c.kind}/${c.name}: ${c.description}`, () => {
    const bytes = c.file !== undefined ? fs.readFileSync(path.join(dir, c.file)) : undefined;
    const doc = bytes ?? generate(c.generate);
    check(c, doc, c.name);
    if (c.text_only === undefined && c.kind !== "applications_jsonl") {
      const parsed = strictJson(typeof doc === "string" ? Buffer.from(doc) : doc);
      if (parsed !== undefined) check(c, parsed.value, `${c.name} (as an object)`);
    }
    // Still usable: a valid application gets its verdict.
    const decision = applicationCall.evaluate(valid, options);
    assert.equal(decision.verdict, manifest.valid_verdict);
    decision.free();
  });
}

test("the runner reads every case of the manifest", () => {
  assert.ok(manifest.cases.length >= 60);
  const kinds = new Set(manifest.cases.map((c) => c.kind));
  assert.deepEqual(
    [...kinds].sort(),
    ["application", "applications", "applications_jsonl", "batch_result", "dataset", "extension", "rule_set"],
  );
});

const iatiDir = path.join(dir, "iati");

/** The README's lines `- `file`: `code` at `path``, split as core/tests/iati.rs splits them. */
const iatiLines = fs
  .readFileSync(path.join(iatiDir, "README.md"), "utf8")
  .split("\n")
  .filter((line) => line.startsWith("- `"))
  .map((line) => {
    const parts = line.split("`");
    return { file: parts[1], warning: parts[2].includes("warning"), code: parts[3], path: parts[5] };
  });

for (const line of iatiLines) {
  test(`iati/${line.file}: ${line.warning ? "warning" : "error"} ${line.code} at ${line.path}`, () => {
    const bytes = fs.readFileSync(path.join(iatiDir, line.file));
    const inputs = [["bytes", bytes]];
    try {
      inputs.push(["text", new TextDecoder("utf-8", { fatal: true }).decode(bytes)]);
    } catch {
      // Bytes that are not UTF-8 have no text form.
    }
    for (const [form, given] of inputs) {
      const label = `${line.file} (${form})`;
      if (line.warning) {
        const imported = euca.readIati(given);
        const found = imported.warnings.map((w) => [w.code, w.path]);
        assert.ok(
          found.some(([c, p]) => c === line.code && p === line.path),
          `${label}: ${JSON.stringify(found)}`,
        );
        continue;
      }
      let thrown;
      try {
        euca.readIati(given);
      } catch (e) {
        thrown = e;
      }
      assert.ok(thrown, `${label}: expected ${line.code} at ${line.path}, got no error`);
      assert.ok(thrown instanceof Error, `${label}: a real Error, got ${String(thrown)}`);
      assert.equal(thrown.name, "EucaError", `${label}: ${thrown.stack}`);
      const first = thrown.errors[0];
      assert.deepEqual(
        [thrown.code, first.code, first.path],
        [line.code, line.code, line.path],
        `${label}: ${first.message.slice(0, 200)}`,
      );
    }
    // Still usable: a valid application gets its verdict.
    const decision = applicationCall.evaluate(valid, options);
    assert.equal(decision.verdict, manifest.valid_verdict);
    decision.free();
  });
}

test("every malformed IATI file is listed in its README", () => {
  const files = fs.readdirSync(iatiDir).filter((f) => f.endsWith(".xml")).sort();
  assert.deepEqual(iatiLines.map((l) => l.file).sort(), files);
  assert.ok(files.length >= 15);
});
