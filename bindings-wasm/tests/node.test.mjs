// Every exported function and method of the Node build, with its error cases, and the promise
// that no input traps the module or leaves it unusable.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const euca = require("../pkg"); // the package as `require("euca")` finds it
const { Dataset, Call, Decision, compare } = euca;
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, "..", "..");

const data = Dataset.embedded();

/** Asserts that `f` throws an euca error with `code` (and, when given, the first problem's path). */
function throwsEuca(f, code, errorPath) {
  let thrown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown, `expected an error with code ${code}`);
  assert.ok(thrown instanceof Error, `a real Error, got ${Object.prototype.toString.call(thrown)}`);
  assert.equal(thrown.name, "EucaError");
  assert.equal(thrown.code, code, `code: ${thrown.message}`);
  assert.ok(Array.isArray(thrown.errors) && thrown.errors.length > 0, "errors is a non-empty list");
  for (const d of thrown.errors) {
    assert.deepEqual(Object.keys(d), ["code", "message", "path"]);
    assert.equal(typeof d.message, "string");
    assert.ok(d.message.length > 0);
  }
  assert.equal(thrown.errors[0].code, code);
  if (errorPath !== undefined) assert.equal(thrown.errors[0].path, errorPath);
  assert.ok(typeof thrown.stack === "string");
  return thrown;
}

/** The module still answers after whatever happened before. */
function stillUsable() {
  const d = Dataset.embedded();
  assert.equal(d.dialogue("KZ").id, "hrd-kz");
  d.free();
}

const NGO_TJ = {
  id: "ngo-dushanbe",
  applicant: {
    name: "Dushanbe rights NGO",
    legal_form: "legal_person",
    non_profit: true,
    categories: ["non_governmental_organisation"],
    country: "TJ",
    intermediary: false,
    exclusions: {
      bankrupt: false,
      convicted: false,
      grave_misconduct: false,
      unpaid_taxes: false,
      fraud: false,
      breach_of_contract: false,
    },
  },
  co_applicants: [
    {
      country: "TJ",
      legal_form: "legal_person",
      non_profit: true,
      categories: ["non_governmental_organisation"],
      exclusions: {
        bankrupt: false,
        convicted: false,
        grave_misconduct: false,
        unpaid_taxes: false,
        fraud: false,
        breach_of_contract: false,
      },
    },
  ],
  action: { country: "TJ", duration_months: 30 },
  budget: { direct: 30_000_000, indirect: 2_100_000, contingency: 0, requested: 30_000_000 },
  submitted_at: "2020-09-04T10:00:00+02:00",
};

describe("module functions", () => {
  test("version", () => {
    assert.match(euca.version(), /^\d+\.\d+\.\d+/);
  });

  test("the start function (the panic hook) runs on load and is not exported", () => {
    assert.equal(euca.start, undefined);
    for (const target of ["node", "web"]) {
      const dts = fs.readFileSync(path.join(here, "..", "pkg", target, "euca.d.ts"), "utf8");
      assert.doesNotMatch(dts, /export function start\b/, `${target}/euca.d.ts`);
    }
    assert.match(fs.readFileSync(path.join(here, "..", "pkg", "node", "euca.js"), "utf8"), /__wbindgen_start\(\)/);
  });

  test("parseDate reads every notation and rejects what is not a date", () => {
    assert.deepEqual(euca.parseDate("2008-06"), {
      display: "2008-06",
      earliest: "2008-06-01",
      latest: "2008-06-30",
      precision: "month",
    });
    assert.equal(euca.parseDate("2007-05-08/2007-05-09").latest, "2007-05-09");
    assert.equal(euca.parseDate("[2018,2019]").precision, "year");
    throwsEuca(() => euca.parseDate("2009-02-30"), "invalid_date", "text");
    throwsEuca(() => euca.parseDate(42), "invalid_type", "text");
  });

  test("dateRelation answers before, same, after or cannot tell", () => {
    assert.equal(euca.dateRelation("2008", "2009-01"), "before");
    assert.equal(euca.dateRelation("2009-06-29", "2009-06-29"), "same");
    assert.equal(euca.dateRelation("2010", "2009"), "after");
    assert.equal(euca.dateRelation("2009-06", "2009"), "cannot_tell");
    assert.equal(euca.dateRelation(new Date("2009-06-29T12:00:00Z"), "2009-06-29"), "same");
    throwsEuca(() => euca.dateRelation("2008-13", "2009"), "invalid_date", "a");
    throwsEuca(() => euca.dateRelation("2008", undefined), "missing_field", "b");
    throwsEuca(() => euca.dateRelation(new Date("nonsense"), "2009"), "invalid_date", "a");
  });

  test("errorCodes lists the catalogue of docs/errors.md", () => {
    const codes = euca.errorCodes();
    const doc = fs.readFileSync(path.join(root, "docs", "errors.md"), "utf8");
    const documented = [...doc.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(codes, documented);
    // The one code only JavaScript raises (a freed handle) has its own table, not the catalogue.
    assert.ok(!codes.includes("freed_handle"));
    assert.match(doc, /^## In JavaScript$[\s\S]*^\| [^`|][^|]* \| `freed_handle` \|/m);
  });

  test("applicationSchema and ruleSetSchema are the published JSON Schemas", () => {
    const published = (name) =>
      JSON.parse(fs.readFileSync(path.join(root, "schemas", name), "utf8"));
    assert.deepEqual(euca.applicationSchema(), published("application.schema.json"));
    assert.deepEqual(euca.ruleSetSchema(), published("rule-set.schema.json"));
  });

  test("euMemberStates on a day", () => {
    assert.ok(euca.euMemberStates("2019-12-31").includes("GB"));
    assert.ok(!euca.euMemberStates("2020-02-01").includes("GB"));
    assert.equal(euca.euMemberStates(new Date("2004-05-01")).length, 25);
    assert.ok(euca.euMemberStates().length >= 27);
    throwsEuca(() => euca.euMemberStates("2020-02-30"), "invalid_date", "on");
  });

  test("compare two calls on the same applications", () => {
    const a = data.call("tj-2023-hrd-cso/lot-1");
    const b = data.call("tj-2023-hrd-cso/lot-2");
    const apps = [{ id: "small", budget: { requested: 25_000_000 } }, { id: "big" , budget: { requested: 50_000_000 } }];
    const rows = compare(a, b, apps, "2023-05-01");
    assert.equal(rows.length, 2);
    assert.equal(rows[0].application, "small");
    assert.ok(rows[0].changes.some((c) => c.id === "requested_range"));
    assert.equal(typeof rows[0].why, "string");
    throwsEuca(() => compare(a, b, [{ budget: { requested: -1 } }], "2023-05-01"), "negative_money", "[0].budget.requested");
    throwsEuca(() => compare(a, b, { not: "a list" }), "invalid_type", "applications");
    throwsEuca(() => compare(a, b, apps, "01/05/2023"), "invalid_date", "asOf");
    const wrong = throwsEuca(() => compare(a, {}, apps), "invalid_type", "b");
    assert.equal(wrong.message, "`b` is a `Call`, not an object");
    assert.match(throwsEuca(() => compare(data, b, apps), "invalid_type", "a").message, /`a` is a `Call`, not a `Dataset`/);
    throwsEuca(() => compare(a, null, apps), "invalid_type", "b");
    a.free();
    b.free();
    stillUsable();
  });
});

describe("Dataset", () => {
  test("embedded, version, toJSON, toJsonText, fromJson round trip", () => {
    assert.match(data.version, /^\d{4}\.\d{2}\.\d{2}/);
    const doc = data.toJSON();
    assert.equal(doc.version, data.version);
    assert.equal(Object.keys(doc)[0], "version", "keys in the core's order");
    const again = Dataset.fromJson(doc);
    assert.deepEqual(again.toJSON(), doc);
    const fromText = Dataset.fromJson(data.toJsonText());
    assert.deepEqual(fromText.toJSON(), doc);
    assert.equal(JSON.stringify(again), JSON.stringify(doc), "JSON.stringify uses toJSON");
    again.free();
    fromText.free();
  });

  test("fromJson reports every problem with its path", () => {
    const doc = data.toJSON();
    doc.rounds[3] = { ...doc.rounds[3], plcae: "Astana", date: "2009-02-30" };
    const e = throwsEuca(() => Dataset.fromJson(doc), "unknown_field", "rounds[3].plcae");
    assert.ok(e.errors.some((p) => p.code === "invalid_date" && p.path === "rounds[3].date"));
    throwsEuca(() => Dataset.fromJson("{\"version\": "), "invalid_json", "");
    throwsEuca(() => Dataset.fromJson(""), "invalid_json");
    throwsEuca(() => Dataset.fromJson(42), "invalid_type", "document");
    throwsEuca(() => Dataset.fromJson(undefined), "invalid_type", "document");
    throwsEuca(() => Dataset.fromJson("[".repeat(100_000)), "input_too_deep");
    throwsEuca(() => Dataset.fromJson(" ".repeat(17 * 1024 * 1024)), "input_too_large");
    stillUsable();
  });

  test("extend adds, corrects and retracts with sources; the original is unchanged", () => {
    const source = { title: "My notes", document: "field notes, March 2026" };
    const before = data.toJSON().rounds.length;
    const ext = data.extend({
      add: { rounds: [{ id: "hrd-kz/17", dialogue: "hrd-kz", number: 17, date: "2026-03", sources: [source] }] },
    });
    assert.equal(ext.toJSON().rounds.length, before + 1);
    assert.equal(data.toJSON().rounds.length, before);
    assert.deepEqual(ext.changes(), [{ action: "add", id: "hrd-kz/17" }]);
    assert.deepEqual(data.changes(), []);
    const text = data.extend(JSON.stringify({ retract: [{ id: "hrd-kz/16", sources: [source] }] }));
    assert.equal(text.changes()[0].action, "retract");
    throwsEuca(() => data.extend({ retract: [{ id: "hrd-kz/99", sources: [source] }] }), "unknown_id", "retract[0].id");
    throwsEuca(() => data.extend({ add: { rounds: [{ id: "x" }] } }), "missing_field");
    throwsEuca(() => data.extend(null), "invalid_type", "extension");
    ext.free();
    text.free();
  });

  test("the collections as written", () => {
    const doc = data.toJSON();
    const collections = {
      strategies: "strategies", agreements: "agreements", bodies: "bodies", dialogueTypes: "dialogue_types",
      objectives: "objectives", priorityIssues: "priority_issues", rounds: "rounds", initiatives: "initiatives",
      instruments: "instruments", projectKinds: "project_kinds", organisationTypes: "organisation_types",
      sectors: "sectors", ruleSets: "rule_sets",
    };
    for (const [method, key] of Object.entries(collections)) {
      assert.deepEqual(data[method](), doc[key], method);
    }
    assert.deepEqual(data.centralAsianStates().map((c) => c.id), ["KZ", "KG", "TJ", "TM", "UZ"]);
    const priorities = data.priorities();
    assert.ok(priorities.some((p) => p.id === "strategy-2007/human-rights"));
    for (const p of priorities) assert.ok(Array.isArray(data.serving(p.id)));
  });

  test("country, countries, dialogue, dialogues", () => {
    assert.equal(data.country("Kyrgyzstan").id, "KG");
    assert.equal(data.country("kaz").id, "KZ");
    assert.equal(data.countries().length, 6);
    assert.equal(data.dialogue("Uzbekistan").country, "UZ");
    assert.equal(data.dialogues().length, 5);
    const e = throwsEuca(() => data.country("XX"), "unknown_country", "query");
    assert.match(e.message, /unknown country `XX`/);
    throwsEuca(() => data.dialogue("Atlantis"), "unknown_country", "country");
    throwsEuca(() => data.country(7), "invalid_type", "query");
    throwsEuca(() => data.country(), "invalid_type", "query");
  });

  test("formatOn with partial dates, Date objects and errors", () => {
    assert.equal(data.formatOn("TM", "2007").possible[0].dialogue_type, "ad_hoc");
    const june = data.formatOn("TM", "2008-06-15");
    assert.equal(june.certain, false);
    assert.ok(june.reason.length > 0);
    assert.equal(data.formatOn("TM", new Date("2009-03-01T00:00:00Z")).certain, true);
    throwsEuca(() => data.formatOn("TM", "2008-13"), "invalid_date", "on");
    throwsEuca(() => data.formatOn("TM"), "missing_field", "on");
    throwsEuca(() => data.formatOn("TM", 2008), "invalid_type", "on");
    throwsEuca(() => data.formatOn("XX", "2008"), "unknown_country", "country");
  });

  test("roundsOf, roundsIn, seminars, seminarsIn, countriesWithoutSeminarBefore", () => {
    const kz = data.roundsOf("KZ");
    assert.ok(kz.some((r) => r.derived));
    assert.ok(kz.every((r) => r.country === "KZ"));
    const in2008 = data.roundsIn("2008", "2008");
    assert.ok(in2008.length > 0 && in2008.every((r) => r.within));
    assert.ok(data.roundsIn().length >= data.roundsIn("2015").length);
    assert.ok(data.roundsIn(null, "2010").length > 0);
    assert.ok(data.seminars().length > 0);
    assert.ok(data.seminarsIn(new Date("2009-01-01"), "2009").length > 0);
    const gaps = data.countriesWithoutSeminarBefore("2009");
    assert.ok(gaps.every((g) => typeof g.cannot_tell === "boolean"));
    throwsEuca(() => data.roundsOf("XX"), "unknown_country");
    throwsEuca(() => data.roundsIn("2008-1"), "invalid_date", "from");
    throwsEuca(() => data.seminarsIn(null, {}), "invalid_type", "to");
    throwsEuca(() => data.countriesWithoutSeminarBefore(), "missing_field", "date");
  });

  test("timeline, timelineRecords, serving", () => {
    const events = data.timeline();
    assert.ok(events.length > 50);
    assert.deepEqual(
      [...new Set(events.filter((e) => e.kind === "round").map((e) => e.country))].sort(),
      ["KG", "KZ", "TJ", "TM", "UZ"],
    );
    const records = data.timelineRecords();
    assert.ok(records.some((r) => r.status === "derived"));
    const priority = data.toJSON().strategies[0].priorities[0].id;
    assert.ok(Array.isArray(data.serving(priority)));
    throwsEuca(() => data.serving("strategy-2007/nothing"), "unknown_record", "priority");
  });

  test("status and statusOf on a day, default today", () => {
    const all = data.status("2021-01-15");
    assert.equal(all.length, 5);
    const tm = data.statusOf("TM", "2021-01-15");
    assert.equal(tm.phase, "on_schedule");
    assert.equal(tm.last_round_number, 12);
    assert.deepEqual(data.statusOf("TM", new Date("2021-01-15T23:00:00Z")), tm);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(data.status()[0].as_of, today);
    assert.equal(data.statusOf("KZ").as_of, today);
    throwsEuca(() => data.status("15.01.2021"), "invalid_date", "asOf");
    throwsEuca(() => data.status(20210115), "invalid_type", "asOf");
    throwsEuca(() => data.statusOf("XX", "2021-01-15"), "unknown_country", "country");
  });

  test("regularity, intervals, roundYears", () => {
    const rows = data.regularity();
    assert.equal(rows.length, 6);
    assert.equal(rows[5].scope, "region");
    assert.ok(data.intervals().every((i) => i.days_min <= i.days_max));
    assert.ok(data.roundYears().some((y) => y.status === "confirmed"));
  });

  test("plan and planRecords", () => {
    const plan = data.plan(1, "2025-07-01");
    const tm = plan.find((p) => p.country === "TM");
    assert.equal(tm.number, 18);
    assert.equal(tm.nominal_earliest, "2026-06-17");
    assert.ok(plan.every((p) => p.projected));
    const longer = data.plan(3, "2025-07-01", 8);
    assert.ok(longer.length >= plan.length);
    assert.ok(data.plan().length >= 0);
    const records = data.planRecords(1, "2025-07-01");
    assert.equal(records.length, plan.length);
    assert.ok(records.every((r) => r.status === "projected"));
    throwsEuca(() => data.plan(1.5), "invalid_value", "years");
    throwsEuca(() => data.plan(-1), "invalid_value", "years");
    throwsEuca(() => data.plan("two"), "invalid_type", "years");
    throwsEuca(() => data.plan(1, "2025-07-01", 0.5), "invalid_value", "consultationWeeks");
    throwsEuca(() => data.plan(10_000), "invalid_value", "years");
    assert.ok(data.plan(9999, "2025-07-01").length > 1000, "the longest horizon");
    throwsEuca(() => data.toIcal({ plan: { years: 2 ** 31 } }), "invalid_value", "filter.plan.years");
  });

  test("stagesOf and roundStages", () => {
    const round = data.toJSON().rounds[0].id;
    const stages = data.stagesOf(round);
    assert.equal(new Set(stages.map((s) => s.stage)).size, 5);
    assert.ok(data.roundStages().length >= stages.length);
    throwsEuca(() => data.stagesOf("hrd-kz/99"), "unknown_record", "round");
  });

  test("calendarEvents and toIcal", () => {
    const filter = { countries: ["KZ"], as_of: "2025-01-01", plan: { years: 1 } };
    const events = data.calendarEvents(filter);
    assert.ok(events.length > 0 && events.every((e) => e.country === "KZ"));
    const ics = data.toIcal(filter);
    assert.ok(ics.startsWith("BEGIN:VCALENDAR"));
    assert.equal(ics.match(/BEGIN:VEVENT/g).length, events.length);
    assert.ok(data.toIcal().includes("END:VCALENDAR"));
    throwsEuca(() => data.toIcal({ countries: ["XX"] }), "unknown_country");
    throwsEuca(() => data.toIcal({ contries: ["KZ"] }), "unknown_field", "filter.contries");
    throwsEuca(() => data.calendarEvents({ as_of: "yesterday" }), "invalid_date", "filter.as_of");
    throwsEuca(() => data.toIcal("KZ"), "invalid_type", "filter");
  });

  test("calls, ruleSets, call, match", () => {
    const calls = data.calls();
    assert.ok(calls.length > 5 && calls.every((c) => c instanceof Call));
    calls.forEach((c) => c.free());
    const sets = data.ruleSets();
    assert.ok(sets.some((s) => s.kind === "instrument") && sets.some((s) => s.kind === "call"));
    const call = data.call("tj-2020-cso");
    assert.equal(call.id, "tj-2020-cso");
    throwsEuca(() => data.call("no-such-call"), "unknown_record", "id");
    const matched = data.match(NGO_TJ, "2020-09-01");
    assert.ok(matched.length > 0);
    const order = { eligible: 0, undetermined: 1, ineligible: 2 };
    for (let i = 1; i < matched.length; i++) {
      assert.ok(order[matched[i - 1].verdict] <= order[matched[i].verdict]);
    }
    throwsEuca(() => data.match({ applicant: { contry: "TJ" } }), "unknown_field", "applicant.contry");
    call.free();
  });

  test("a freed handle refuses to answer, however often, and the module stays usable", () => {
    const d = Dataset.embedded();
    const a = d.call("tj-2020-cso");
    const b = d.call("tj-2020-cso");
    d.free();
    b.free();
    for (let i = 0; i < 20_000; i++) {
      throwsEuca(() => d.dialogue("KZ"), "freed_handle", "");
      throwsEuca(() => compare(a, b, [{}], "2020-01-01"), "freed_handle", "b");
      throwsEuca(() => Call.fromJsonWith(a.toJSON(), d), "freed_handle", "dataset");
    }
    assert.equal(a.evaluate({}, { asOf: "2020-01-01" }).verdict, "undetermined");
    a.free();
    if (typeof Symbol.dispose === "symbol") {
      const disposable = Dataset.embedded();
      disposable[Symbol.dispose]();
      throwsEuca(() => disposable.version, "freed_handle", "");
    }
    stillUsable();
  });
});

describe("Call", () => {
  const call = data.call("tj-2020-cso");

  test("properties and accessors", () => {
    assert.equal(call.title.length > 0, true);
    assert.equal(call.currency, "EUR");
    assert.deepEqual(call.ruleSet, { id: "tj-2020-cso", version: call.version });
    assert.equal(typeof call.version, "string");
    assert.ok(call.chain().length >= 1);
    assert.ok(call.criteria().every((c) => typeof c.origin === "string" && c.test));
    assert.deepEqual(call.stages(), ["concept_note", "full_application"]);
    assert.ok(Array.isArray(call.notes()));
    assert.ok(call.sources().length > 0);
    const v = call.validity();
    assert.ok(v === undefined || typeof v.from === "string");
    assert.equal(call.toJSON().id, "tj-2020-cso");
    const flat = call.toFlatJSON();
    assert.equal(flat.criteria.length, call.criteria().length);
    assert.equal(typeof call.inForceOn("2020-09-01"), "boolean");
    throwsEuca(() => call.inForceOn(), "missing_field", "day");
    throwsEuca(() => call.inForceOn("2020-13-01"), "invalid_date", "day");
  });

  test("fromJson and fromJsonWith compile rule sets and report every problem", () => {
    const doc = call.toJSON();
    const again = Call.fromJson(doc);
    assert.deepEqual(again.toFlatJSON(), call.toFlatJSON());
    const text = Call.fromJson(JSON.stringify(doc));
    assert.equal(text.id, call.id);
    const mine = {
      id: "my-call",
      version: "1",
      kind: "call",
      title: "My call",
      extends: "tj-2020-cso",
      remove: [{ id: "duration_range", reason: "no duration limit in this call" }],
      sources: [{ title: "Example", address: "https://example.org" }],
    };
    const compiled = Call.fromJsonWith(mine, data);
    assert.ok(!compiled.criteria().some((c) => c.id === "duration_range"));
    throwsEuca(() => Call.fromJson({ ...mine, remove: [{ id: "nope", reason: "x" }] }), "unknown_criterion");
    throwsEuca(() => Call.fromJson({ ...mine, titel: "x" }), "unknown_field", "titel");
    throwsEuca(() => Call.fromJson("not json"), "invalid_json");
    throwsEuca(() => Call.fromJson(true), "invalid_type", "document");
    throwsEuca(() => Call.fromJsonWith(mine, { not: "a dataset" }), "invalid_type", "dataset");
    throwsEuca(() => Call.fromJsonWith(mine, call), "invalid_type", "dataset");
    again.free();
    text.free();
    compiled.free();
    stillUsable();
  });

  test("evaluate: verdict, grant, checks with citations, missing, recourse", () => {
    const d = call.evaluate(NGO_TJ, { asOf: "2020-09-01", stage: "full_application" });
    assert.ok(d instanceof Decision);
    assert.equal(d.verdict, "eligible");
    assert.equal(d.asOf, "2020-09-01");
    assert.equal(d.stage, "full_application");
    assert.equal(d.application, "ngo-dushanbe");
    assert.deepEqual(d.ruleSet, { id: "tj-2020-cso", version: call.version });
    assert.equal(d.grant.currency, "EUR");
    assert.equal(typeof d.grant.max_eu_contribution, "number");
    assert.ok(d.checks.every((c) => c.citation && c.citation.source.title));
    assert.deepEqual(d.missing, []);
    assert.ok(Array.isArray(d.recourse));
    assert.match(d.explain(), /ELIGIBLE/);
    const json = d.toJSON();
    assert.equal(json.verdict, "eligible");
    assert.deepEqual(Object.keys(json).slice(0, 4), ["application", "rule_set", "chain", "as_of"]);
    // The whole chain of rule sets, root instrument first, each with its version.
    assert.deepEqual(json.chain.at(-1), json.rule_set);
    assert.ok(json.chain.every((r) => typeof r.id === "string" && typeof r.version === "string"));
    assert.equal(JSON.stringify(d), JSON.stringify(json));
    const back = Decision.fromJson(json);
    assert.deepEqual(back.toJSON(), json);
    assert.equal(Decision.fromJson(JSON.stringify(json)).verdict, "eligible");
    throwsEuca(() => Decision.fromJson({ ...json, verdict: "maybe" }), "invalid_value", "document.verdict");
    throwsEuca(() => Decision.fromJson({ ...json, verdikt: "eligible" }), "unknown_field");
    // Nested paths are written as everywhere else: under an optional field, in a list, and at a
    // value whose type refuses it after reading it (a currency in lower case).
    throwsEuca(() => Decision.fromJson({ ...json, grant: { ...json.grant, zz: 1 } }), "unknown_field", "document.grant.zz");
    const checks = json.checks.map((c, i) => (i === 1 ? { ...c, zz: 1 } : c));
    throwsEuca(() => Decision.fromJson({ ...json, checks }), "unknown_field", "document.checks[1].zz");
    throwsEuca(() => Decision.fromJson({ ...json, grant: { ...json.grant, currency: "eur" } }), "invalid_value", "document.grant.currency");
    throwsEuca(() => Decision.fromJson("{"), "invalid_json");
    // An impossible evaluation date is an invalid date, as in a batch read back and in Python.
    throwsEuca(() => Decision.fromJson({ ...json, as_of: "2020-02-30" }), "invalid_date", "document.as_of");
    throwsEuca(() => Decision.fromJson({ ...json, as_of: "2020" }), "invalid_date", "document.as_of");
    // A struct given as a list is refused (serde_json alone reads it by position), and every
    // problem is named, as Python's Decision.from_json names them.
    const listed = throwsEuca(
      () => Decision.fromJson({ ...json, rule_set: [json.rule_set.id, json.rule_set.version] }),
      "invalid_type",
      "document.rule_set",
    );
    assert.match(listed.message, /expected struct RuleSetRef/);
    const both = throwsEuca(
      () => Decision.fromJson({ ...json, verdict: "maybe", checks: 3, zz: 1 }),
      "unknown_field",
      "document.zz",
    );
    assert.deepEqual(
      both.errors.map((e) => [e.code, e.path]),
      [
        ["unknown_field", "document.zz"],
        ["invalid_value", "document.verdict"],
        ["invalid_type", "document.checks"],
      ],
    );
    back.free();
    d.free();
    const freed = throwsEuca(() => d.verdict, "freed_handle", "");
    assert.equal(freed.message, "this `Decision` was freed with `free()` and cannot be used");
    throwsEuca(() => d.explain(), "freed_handle", "");

    const late = call.evaluate({ ...NGO_TJ, submitted_at: new Date("2020-09-04T12:00:00Z") }, { asOf: "2020-09-05" });
    assert.equal(late.verdict, "ineligible");
    assert.ok(late.checks.find((c) => c.id === "deadline").outcome === "fail");
    late.free();

    const tooMuch = call.evaluate({ ...NGO_TJ, budget: { ...NGO_TJ.budget, requested: 45_000_000 } }, { asOf: "2020-09-01" });
    assert.equal(tooMuch.verdict, "ineligible");
    const fix = tooMuch.recourse.find((r) => r.criterion === "requested_range");
    assert.equal(fix.field, "budget.requested");
    assert.equal(fix.kind, "change");
    tooMuch.free();

    const open = call.evaluate({}, { asOf: "2020-09-01" });
    assert.equal(open.verdict, "undetermined");
    assert.ok(open.missing.length > 0 && open.missing.every((m) => m.question.endsWith("?")));
    open.free();

    const textApp = call.evaluate(JSON.stringify(NGO_TJ), { asOf: new Date("2020-09-01") });
    assert.equal(textApp.verdict, "eligible");
    textApp.free();
    const bigint = call.evaluate({ budget: { requested: 30_000_000n } }, { asOf: "2020-09-01" });
    assert.equal(bigint.checks.find((c) => c.id === "requested_range").outcome, "pass");
    bigint.free();
    const today = call.evaluate({});
    assert.equal(today.asOf, new Date().toISOString().slice(0, 10));
    today.free();
  });

  test("evaluate errors: the application's problems with paths, options, stage", () => {
    const e = throwsEuca(
      () => call.evaluate({ budget: { requested: 2500.5, indirect: -3 }, applicant: { contry: "TJ" } }),
      "unknown_field",
    );
    const codes = e.errors.map((p) => `${p.code} ${p.path}`).sort();
    assert.deepEqual(codes, [
      "negative_money budget.indirect",
      "over_precise_money budget.requested",
      "unknown_field applicant.contry",
    ]);
    throwsEuca(() => call.evaluate({ submitted_at: "2020-09-04T13:30:00" }), "naive_datetime", "submitted_at");
    throwsEuca(() => call.evaluate({ submitted_at: "2020-09-04T13:30:00[Europe/Atlantis]" }), "unknown_time_zone", "submitted_at");
    throwsEuca(() => call.evaluate({ applicant: { registered_on: "2020-02-30" } }), "invalid_date", "applicant.registered_on");
    throwsEuca(() => call.evaluate({}, { as_of: "2020-09-01" }), "unknown_field", "options.as_of");
    throwsEuca(() => call.evaluate({}, { asOf: "2020-09-31" }), "invalid_date", "options.asOf");
    throwsEuca(() => call.evaluate({}, { stage: "final" }), "invalid_value", "options.stage");
    throwsEuca(() => call.evaluate({}, "2020-09-01"), "invalid_type", "options");
    throwsEuca(() => call.evaluate([]), "invalid_type");
    throwsEuca(() => call.evaluate(null), "invalid_type", "application");
    stillUsable();
  });

  test("evaluateMany gives plain columns; decision(i) builds one Decision", () => {
    const apps = [NGO_TJ, { id: "empty" }, { ...NGO_TJ, id: "late", submitted_at: "2020-09-05T10:00:00+02:00" }];
    const batch = call.evaluateMany(apps, { asOf: "2020-09-01" });
    assert.deepEqual(batch.ids, ["ngo-dushanbe", "empty", "late"]);
    assert.deepEqual(batch.verdicts, ["eligible", "undetermined", "ineligible"]);
    assert.equal(batch.max_eu_contribution.length, 3);
    assert.equal(batch.max_eu_contribution[1], null);
    assert.deepEqual(batch.failed[2], ["deadline"]);
    assert.ok(batch.missing[1].length > 0);
    assert.equal(batch.as_of, "2020-09-01");
    assert.equal(Object.getPrototypeOf(batch), Object.prototype, "plain data, no handle");
    const d = call.decision(apps, batch, 2);
    assert.equal(d.verdict, "ineligible");
    d.free();
    throwsEuca(() => call.decision(apps, batch, 7), "invalid_value", "index");
    throwsEuca(() => call.decision(apps, batch), "missing_field", "index");
    throwsEuca(() => call.decision(apps, batch, -1), "invalid_value", "index");
    // A batch row past the applications, and an application past the batch's rows.
    const short = throwsEuca(() => call.decision(apps.slice(0, 2), batch, 2), "invalid_value", "index");
    assert.match(short.message, /no application at index 2: the list has 2/);
    const past = throwsEuca(() => call.decision([...apps, NGO_TJ], batch, 3), "invalid_value", "index");
    assert.match(past.message, /no row 3 in the batch, which has 3/);
    const empty = call.evaluateMany([], { asOf: "2020-09-01" });
    throwsEuca(() => call.decision(apps, empty, 0), "invalid_value", "index");
    throwsEuca(() => call.evaluateMany([{}, { budget: { requested: "ten" } }]), "invalid_value", "[1].budget.requested");
    throwsEuca(() => call.evaluateMany("not a list"), "invalid_type", "applications");
    assert.deepEqual(call.evaluateMany([]).verdicts, []);
  });

  test("decision(i) reads row i alone: its application and its cells, named at their row", () => {
    const apps = [NGO_TJ, { id: "empty" }, { ...NGO_TJ, id: "late", submitted_at: "2020-09-05T10:00:00+02:00" }];
    const batch = call.evaluateMany(apps, { asOf: "2020-09-01", stage: "full_application" });
    // The same decision as evaluating the application on the batch's date and stage.
    const d = call.decision(apps, batch, 2);
    const e = call.evaluate(apps[2], { asOf: "2020-09-01", stage: "full_application" });
    assert.deepEqual(d.toJSON(), e.toJSON());
    d.free();
    e.free();
    // Another row's application or cells are not read; this row's are, and named at their row.
    const badApps = [{ budget: { requested: "ten" } }, apps[1], apps[2]];
    call.decision(badApps, batch, 2).free();
    throwsEuca(() => call.decision(badApps, batch, 0), "invalid_value", "[0].budget.requested");
    const badThird = [apps[0], apps[1], { budget: { requested: "ten" } }];
    const thrown = throwsEuca(() => call.decision(badThird, batch, 2), "invalid_value", "[2].budget.requested");
    assert.match(thrown.message, /`\[2\]\.budget\.requested`/);
    const badCell = { ...batch, verdicts: ["eligible", "maybe", "ineligible"] };
    call.decision(apps, badCell, 2).free();
    const cell = throwsEuca(() => call.decision(apps, badCell, 1), "invalid_value", "batch.verdicts[1]");
    assert.match(cell.message, /`batch\.verdicts\[1\]`/);
    // A value the walk refuses (NaN) is named at its row too, under `batch`.
    const nan = { ...batch, max_eu_contribution: [null, null, NaN] };
    call.decision(apps, nan, 1).free();
    throwsEuca(() => call.decision(apps, nan, 2), "invalid_value", "batch.max_eu_contribution[2]");
    // A field that is no column (even `__proto__`) is named; a batch that throws when read is an error.
    const proto = JSON.parse(`{"__proto__": 1, ${JSON.stringify(batch).slice(1)}`);
    throwsEuca(() => call.decision(apps, proto, 0), "unknown_field", "batch.__proto__");
    const throwing = new Proxy(batch, {
      get(target, key) {
        if (key === "failed") throw new Error("a getter that throws");
        return Reflect.get(target, key);
      },
    });
    throwsEuca(() => call.decision(apps, throwing, 0), "invalid_value");
    const throwingApps = new Proxy(apps, {
      get(target, key) {
        if (key === "1") throw new Error("a getter that throws");
        return Reflect.get(target, key);
      },
    });
    throwsEuca(() => call.decision(throwingApps, batch, 1), "invalid_value");
    // What every row needs is checked whatever the row: the date, the fields, the columns' lengths.
    throwsEuca(() => call.decision(apps, { ...batch, as_of: "2020-13-01" }, 0), "invalid_date", "batch.as_of");
    throwsEuca(() => call.decision(apps, { ...batch, extra: 1 }, 0), "unknown_field", "batch.extra");
    throwsEuca(() => call.decision(apps, { ...batch, failed: batch.failed.slice(1) }, 0), "invalid_value", "batch.failed");
    throwsEuca(() => call.decision(apps, "not a batch", 0), "invalid_type", "batch");
  });

  test("evaluateMany reads what JSON.stringify would blur the way the walk does", () => {
    // Plain objects go through JSON.stringify; values it would change silently take the walk.
    const asOf = { asOf: "2020-09-01" };
    const late = { ...NGO_TJ, id: "late", submitted_at: new Date("2020-09-05T08:00:00Z") };
    assert.deepEqual(call.evaluateMany([NGO_TJ, late], asOf).verdicts, ["eligible", "ineligible"]);
    const nan = { ...NGO_TJ, budget: { ...NGO_TJ.budget, requested: NaN } };
    throwsEuca(() => call.evaluateMany([NGO_TJ, nan], asOf), "invalid_value", "[1].budget.requested");
    const inf = { ...NGO_TJ, budget: { ...NGO_TJ.budget, direct: Infinity } };
    throwsEuca(() => call.evaluateMany([inf], asOf), "invalid_value", "[0].budget.direct");
    const badDate = { ...NGO_TJ, submitted_at: new Date("nonsense") };
    throwsEuca(() => call.evaluateMany([badDate], asOf), "invalid_date", "[0].submitted_at");
    throwsEuca(() => call.evaluateMany([NGO_TJ, undefined], asOf), "invalid_type", "[1]");
    const withFunction = { ...NGO_TJ, note: () => 1 };
    assert.throws(() => call.evaluateMany([withFunction], asOf), (e) => e.name === "EucaError");
    const withToJson = { ...NGO_TJ, action: { ...NGO_TJ.action, toJSON: () => ({ country: "KZ" }) } };
    assert.throws(() => call.evaluateMany([withToJson], asOf), (e) => e.name === "EucaError");
    const sectors = new Map([["x", 1]]);
    assert.throws(() => call.evaluateMany([{ ...NGO_TJ, action: { ...NGO_TJ.action, sectors } }], asOf));
    for (const odd of [new Set(["x"]), 10n, Symbol("x"), [1, , 3]]) {
      const app = { ...NGO_TJ, action: { ...NGO_TJ.action, sectors: odd } };
      assert.throws(() => call.evaluateMany([NGO_TJ, app], asOf), (e) => e.name === "EucaError", String(odd));
    }
    // A field JSON.stringify leaves out (undefined in an object) is absent, as the walk reads it.
    const withUndefined = { ...NGO_TJ, action: { ...NGO_TJ.action, sectors: undefined } };
    const { sectors: _, ...withoutSectors } = NGO_TJ.action;
    assert.deepEqual(
      call.evaluateMany([withUndefined], asOf),
      call.evaluateMany([{ ...NGO_TJ, action: withoutSectors }], asOf),
    );
    // Read in chunks of 4096: a refusal in a later chunk still names its application.
    const many = Array.from({ length: 5000 }, (_, i) => ({ ...NGO_TJ, id: `A-${i}` }));
    const joined = call.evaluateMany(many, asOf);
    assert.equal(joined.verdicts.filter((v) => v === "eligible").length, 5000);
    // Parts evaluated apart are joined in order, row for row as one batch of the same objects.
    assert.deepEqual(joined.ids, many.map((a) => a.id));
    assert.deepEqual(call.evaluateMany(many.slice(4090, 4100), asOf), {
      ...joined,
      ids: joined.ids.slice(4090, 4100),
      verdicts: joined.verdicts.slice(4090, 4100),
      max_eu_contribution: joined.max_eu_contribution.slice(4090, 4100),
      eu_share: joined.eu_share.slice(4090, 4100),
      failed: joined.failed.slice(4090, 4100),
      missing: joined.missing.slice(4090, 4100),
    });
    many[4500] = nan;
    throwsEuca(() => call.evaluateMany(many, asOf), "invalid_value", "[4500].budget.requested");
    const cyclic = { ...NGO_TJ };
    cyclic.applicant = { ...NGO_TJ.applicant, self: cyclic };
    throwsEuca(() => call.evaluateMany([cyclic], asOf), "input_too_deep");
    stillUsable();
  });

  test("the walk writes the tape src/tape.rs reads, keys numbered up to 65 536", async () => {
    // The package's inline JavaScript, imported from its text (a CommonJS package would warn).
    const snippets = path.join(here, "..", "pkg", "node", "snippets");
    const [crate] = fs.readdirSync(snippets);
    const source = fs.readFileSync(path.join(snippets, crate, "inline0.js"), "utf8");
    const { plain_tape } = await import(`data:text/javascript,${encodeURIComponent(source)}`);
    // A reader of the format as src/tape.rs documents it.
    const read = (bytes) => {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const keys = [];
      let at = 0;
      let highest = -1;
      const text = () => {
        const n = view.getUint32(at, true);
        const s = new TextDecoder().decode(bytes.subarray(at + 4, at + 4 + n));
        at += 4 + n;
        return s;
      };
      const key = () => {
        const tag = bytes[at++];
        if (tag === 7) {
          const number = view.getUint16(at, true);
          at += 2;
          assert.ok(number < keys.length, `key ${number} before it was written`);
          highest = Math.max(highest, number);
          return keys[number];
        }
        assert.equal(tag, 4);
        const k = text();
        if (keys.length < 65536) keys.push(k);
        return k;
      };
      const value = () => {
        const tag = bytes[at++];
        switch (tag) {
          case 0: return null;
          case 1: return false;
          case 2: return true;
          case 3: at += 8; return view.getFloat64(at - 8, true);
          case 4: return text();
          case 5: { const n = view.getUint32(at, true); at += 4; return Array.from({ length: n }, value); }
          case 6: {
            const n = view.getUint32(at, true);
            at += 4;
            const o = {};
            for (let i = 0; i < n; i++) { const k = key(); o[k] = value(); }
            return o;
          }
          default: assert.fail(`tag ${tag}`);
        }
      };
      const v = value();
      assert.equal(at, bytes.length);
      return { value: v, highest };
    };
    const many = Object.fromEntries(Array.from({ length: 70000 }, (_, i) => [`k${i}`, i]));
    const list = [many, many, { k1: { k69999: "Душанбе ✓" } }, NGO_TJ, NGO_TJ];
    const tape = plain_tape(list, 0, list.length);
    assert.ok(tape instanceof Uint8Array);
    assert.deepEqual(read(tape.slice()), { value: list, highest: 65535 });
    // A walk started by a getter during another walk writes nothing (that batch takes the text),
    // and the outer walk's tape is whole.
    let inner = "not called";
    const host = { ...NGO_TJ };
    Object.defineProperty(host, "zz_getter", {
      enumerable: true,
      get: () => {
        inner = plain_tape([NGO_TJ], 0, 1);
        return 1;
      },
    });
    const outer = plain_tape([host, NGO_TJ], 0, 2);
    assert.equal(inner, undefined);
    assert.deepEqual(read(outer.slice()).value, [{ ...NGO_TJ, zz_getter: 1 }, NGO_TJ]);
    // Keys as JSON.stringify takes them (own and enumerable) from objects of every prototype:
    // a plain object's are read with `for...in`, which would also give inherited ones.
    const stringified = (v) => JSON.parse(JSON.stringify(v));
    const inheriting = Object.assign(Object.create({ inherited: 1 }), { id: "own", n: 2 });
    const bare = Object.assign(Object.create(null), { id: "bare", nested: { a: [1, "x"] } });
    class Applicant {
      constructor() {
        this.country = "TJ";
      }
      get shown() {
        return "from the class";
      }
    }
    const hidden = { id: "hidden" };
    Object.defineProperty(hidden, "secret", { value: 1, enumerable: false });
    const odd = [inheriting, bare, new Applicant(), hidden, { 2: "b", 1: "a", z: 0, y: 1 }];
    assert.deepEqual(read(plain_tape(odd, 0, odd.length).slice()).value, stringified(odd));
    // Someone's enumerable property on Object.prototype: every object takes Object.keys.
    Object.prototype.polluted = "inherited";
    try {
      assert.deepEqual(read(plain_tape([NGO_TJ, ...odd], 0, 6).slice()).value, stringified([NGO_TJ, ...odd]));
    } finally {
      delete Object.prototype.polluted;
    }
    // One added by a getter during the walk: the walk gives up (the batch takes the text).
    const polluting = { ...NGO_TJ };
    Object.defineProperty(polluting, "id", {
      enumerable: true,
      get: () => {
        Object.prototype.later = 1;
        return "polluting";
      },
    });
    try {
      assert.equal(plain_tape([polluting, NGO_TJ], 0, 2), undefined);
    } finally {
      delete Object.prototype.later;
    }
    assert.deepEqual(read(plain_tape([NGO_TJ], 0, 1).slice()).value, [NGO_TJ]);
    // Two applications: the second one's keys are all numbers, so its part of the tape is shorter.
    const one = plain_tape([NGO_TJ], 0, 1).length;
    const two = plain_tape([NGO_TJ, NGO_TJ], 0, 2).length;
    assert.ok(two - one < one - 5, `${one} bytes for one, ${two} for two`);
  });

  test("evaluateMany reads plain objects as evaluateJsonl reads the text JSON.stringify writes of them", () => {
    // Plain objects are read from the tape the JavaScript walk writes (src/tape.rs): every
    // application must read from it as it reads from its JSON text, or be refused the same way.
    const asOf = { asOf: "2020-09-01" };
    const outcome = (f) => {
      try {
        return { batch: f() };
      } catch (e) {
        return { code: e.code, path: e.path, paths: e.errors.map((d) => d.path) };
      }
    };
    class Holder {
      constructor() {
        this.country = "TJ";
        this.org_type = 22;
      }
      get hidden() {
        return "not own";
      }
    }
    const bare = Object.assign(Object.create(null), NGO_TJ.applicant);
    const withGetter = { ...NGO_TJ };
    Object.defineProperty(withGetter, "id", { get: () => "from a getter", enumerable: true });
    const variants = [
      NGO_TJ,
      { ...NGO_TJ, id: "Душанбе ✓ 𝄞 \"quoted\" \n" },
      { ...NGO_TJ, applicant: { ...NGO_TJ.applicant, country: "T\u004a" } },
      { ...NGO_TJ, applicant: bare },
      { ...NGO_TJ, co_applicants: [new Holder()] },
      withGetter,
      { ...NGO_TJ, budget: { ...NGO_TJ.budget, requested: -0 } },
      { ...NGO_TJ, budget: { ...NGO_TJ.budget, requested: 2 ** 53 + 2 } },
      { ...NGO_TJ, budget: { ...NGO_TJ.budget, requested: 1e21 } },
      { ...NGO_TJ, budget: { ...NGO_TJ.budget, requested: 12.5 } },
      { ...NGO_TJ, budget: { ...NGO_TJ.budget, requested: -3 } },
      { ...NGO_TJ, budget: { ...NGO_TJ.budget, requested: "25739.25" } },
      { ...NGO_TJ, action: { ...NGO_TJ.action, duration_months: 2 ** 40 } },
      { ...NGO_TJ, action: { ...NGO_TJ.action, sectors: [15160, "15170", null] } },
      { ...NGO_TJ, applicant: { ...NGO_TJ.applicant, zz: { nested: [1] } } },
      { ...NGO_TJ, applicant: [1, 2] },
      { ...NGO_TJ, submitted_at: "2020-09-04T11:30:00" },
      { id: "empty" },
    ];
    // A getter that evaluates a batch itself while the walk is writing the tape: the inner batch
    // must not write over the outer one's tape. The getter is the application's last field (so
    // that nothing is written after it when it gives `undefined`), a field the application has.
    const reentrant = (value) => {
      const app = { ...NGO_TJ };
      delete app.submitted_at;
      Object.defineProperty(app, "submitted_at", {
        enumerable: true,
        get: () => {
          assert.equal(call.evaluateMany([NGO_TJ, NGO_TJ], asOf).verdicts.length, 2);
          return value;
        },
      });
      return app;
    };
    variants.push(reentrant(undefined), reentrant("2020-09-04T11:30:00+02:00"));
    for (const app of variants) {
      const many = [NGO_TJ, app];
      const text = many.map((a) => JSON.stringify(a)).join("\n");
      assert.deepEqual(
        outcome(() => call.evaluateMany(many, asOf)),
        outcome(() => call.evaluateJsonl(text, asOf)),
        JSON.stringify(app),
      );
    }
    stillUsable();
  });

  test("a string with a lone surrogate is an error where it is, never silently U+FFFD", () => {
    // Passing such a string to WebAssembly would replace the surrogate with U+FFFD.
    const bad = "T\udcffJ";
    const asOf = { asOf: "2020-09-01" };
    const app = { ...NGO_TJ, applicant: { ...NGO_TJ.applicant, country: bad } };
    const e = throwsEuca(() => call.evaluate(app, asOf), "invalid_value", "applicant.country");
    assert.match(e.errors[0].message, /lone surrogate/);
    throwsEuca(() => call.evaluateMany([NGO_TJ, app], asOf), "invalid_value", "[1].applicant.country");
    throwsEuca(() => call.evaluate(JSON.stringify(NGO_TJ).replace('"TJ"', `"${bad}"`), asOf), "invalid_value", "");
    throwsEuca(() => call.evaluateJsonl(`{"id": "${bad}"}`), "invalid_value", "text");
    // Long text crosses as UTF-8 bytes: a lone surrogate is still refused, other text kept as given.
    const long = Array.from({ length: 40 }, (_, i) => JSON.stringify({ ...NGO_TJ, id: `Душанбе-${i} 🌄` })).join("\n");
    assert.ok(long.length > 1024);
    const batch = call.evaluateJsonl(long, asOf);
    assert.deepEqual(batch.ids, Array.from({ length: 40 }, (_, i) => `Душанбе-${i} 🌄`));
    throwsEuca(() => call.evaluateJsonl(`${long}\n{"id": "${bad}"}`), "invalid_value", "text");
    // Long text is written into the module's memory with room for one byte per code unit, then
    // for three per code unit left: ASCII alone, four-byte characters all along, the first
    // character that is not ASCII in the last line or in the first, each read as given.
    for (const ids of [
      Array.from({ length: 30 }, (_, i) => `APP-${i}`),
      Array.from({ length: 30 }, (_, i) => "🌄".repeat(40 + i)),
      [...Array.from({ length: 29 }, (_, i) => `APP-${i}`), "Хуҷанд 🌄"],
      ["🌄", ...Array.from({ length: 29 }, (_, i) => `APP-${i}`)],
    ]) {
      const text = ids.map((id) => JSON.stringify({ ...NGO_TJ, id })).join("\n");
      assert.ok(text.length > 1024);
      assert.deepEqual(call.evaluateJsonl(text, asOf).ids, ids);
    }
    // ASCII texts whose first room runs out 1, 2 or 3 bytes before their last characters, of
    // 2, 3 or 4 bytes (the title is the document's last value).
    const rules = { id: "mine", version: "1", kind: "call", extends: "tj-2020-cso", sources: [{ title: "Example", address: "https://example.org" }] };
    for (const end of ["ééé", "🌄🌄", "ҷҷҷҷ", "€€", "a€€", "é🌄"]) {
      const title = `${"x".repeat(1100)}${end}`;
      const text = JSON.stringify({ ...rules, title });
      assert.ok(text.endsWith(`${end}"}`) && /^[\x00-\x7f]*$/.test(text.slice(0, -end.length - 2)));
      assert.equal(Call.fromJson(text).title, title, end);
    }
    throwsEuca(() => data.call(bad), "invalid_value");
    throwsEuca(() => euca.parseDate(bad), "invalid_value");
    throwsEuca(() => euca.readIati(`<${bad}`), "invalid_value", "xml");
    // A well-formed pair is one character, and reads.
    assert.equal(call.evaluate({ ...NGO_TJ, id: "\ud83d\ude00" }, asOf).verdict, "eligible");
    stillUsable();
  });

  test("evaluate reads a plain object as JSON.stringify writes it, and names what it cannot read", () => {
    const asOf = { asOf: "2020-09-01" };
    // A Date is its ISO string, a field set to undefined is absent (as in evaluateMany): as in
    // the object's JSON text.
    const app = { ...NGO_TJ, submitted_at: new Date("2020-08-31T10:00:00Z"), note: undefined };
    const decision = call.evaluate(app, asOf).toJSON();
    assert.deepEqual(decision, call.evaluate(JSON.stringify(app), asOf).toJSON());
    assert.equal(call.evaluateMany([app], asOf).verdicts[0], decision.verdict);
    // What the text would not carry, or does not read, is named where it is.
    throwsEuca(() => call.evaluate({ ...NGO_TJ, budget: { requested: NaN } }, asOf), "invalid_value", "budget.requested");
    throwsEuca(() => call.evaluate({ ...NGO_TJ, colour: "blue" }, asOf), "unknown_field", "colour");
    throwsEuca(() => call.evaluate([NGO_TJ], asOf), "invalid_type", "");
  });

  test("evaluateJsonl reads JSON Lines and reports every bad line", () => {
    const text = `${JSON.stringify(NGO_TJ)}\n\n{"id": "empty"}\n`;
    const batch = call.evaluateJsonl(text, { asOf: "2020-09-01" });
    assert.deepEqual(batch.verdicts, ["eligible", "undetermined"]);
    const e = throwsEuca(() => call.evaluateJsonl('{"id": 1}\nnot json\n'), "invalid_type", "[0].id");
    assert.equal(e.errors.length, 2);
    assert.match(e.errors[1].message, /^line 2/);
    const wrong = throwsEuca(() => call.evaluateJsonl(["{}"]), "invalid_type", "text");
    assert.match(wrong.errors[0].message, /a string or a Uint8Array, not/);
  });

  test("evaluateJsonl reads the UTF-8 bytes of JSON Lines (a Buffer, a Uint8Array) as their text", () => {
    const named = { ...NGO_TJ, id: "Заявка-1", applicant: { ...NGO_TJ.applicant, name: "Ҳуқуқ" } };
    const text = `${JSON.stringify(named)}\r\n  \n{"id": "empty"}\n${JSON.stringify(NGO_TJ)}`;
    const want = call.evaluateJsonl(text, { asOf: "2020-09-01" });
    assert.deepEqual(want.ids, ["Заявка-1", "empty", NGO_TJ.id]);
    const buffer = Buffer.from(text, "utf8");
    assert.deepEqual(call.evaluateJsonl(buffer, { asOf: "2020-09-01" }), want);
    // A view of part of a larger buffer reads only its own bytes.
    const larger = new Uint8Array(buffer.length + 8).fill(0x7b);
    larger.set(buffer, 4);
    assert.deepEqual(call.evaluateJsonl(larger.subarray(4, 4 + buffer.length), { asOf: "2020-09-01" }), want);
    // Every bad line is reported from bytes as from text.
    const bad = Buffer.from('{"id": 1}\nnot json\n');
    const e = throwsEuca(() => call.evaluateJsonl(bad), "invalid_type", "[0].id");
    assert.equal(e.errors.length, 2);
    // Bytes that are not UTF-8 are named with the offset of the first bad byte.
    const broken = Buffer.concat([Buffer.from('{"id": "a'), Buffer.from([0xff]), Buffer.from('"}')]);
    const u = throwsEuca(() => call.evaluateJsonl(broken), "invalid_json", "text");
    assert.match(u.errors[0].message, /offset 9/);
  });
});

describe("no input traps the module", () => {
  const call = data.call("tj-2020-cso");

  const deep = (n, wrap) => {
    let v = {};
    for (let i = 0; i < n; i++) v = wrap(v);
    return v;
  };

  test("10 000 levels of objects or arrays are an error, not a stack overflow", () => {
    for (const input of [deep(10_000, (v) => ({ a: v })), deep(10_000, (v) => [v])]) {
      throwsEuca(() => call.evaluate(input), "input_too_deep");
      throwsEuca(() => Dataset.fromJson(input), "input_too_deep");
      throwsEuca(() => data.extend(input), "input_too_deep");
      throwsEuca(() => call.evaluateMany([input]), "input_too_deep");
      throwsEuca(() => Call.fromJson(input), "input_too_deep");
    }
    const text = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    throwsEuca(() => Dataset.fromJson(text), "input_too_deep");
    throwsEuca(() => call.evaluate(text), "input_too_deep");
    throwsEuca(() => call.evaluateJsonl(text), "input_too_deep");
    stillUsable();
  });

  test("a document that contains itself is an error", () => {
    const cyclic = { applicant: {} };
    cyclic.applicant.self = cyclic;
    throwsEuca(() => call.evaluate(cyclic), "input_too_deep");
    const list = [];
    list.push(list);
    throwsEuca(() => call.evaluateMany(list), "input_too_deep");
    stillUsable();
  });

  test("values JSON cannot carry are errors with their path", () => {
    throwsEuca(() => call.evaluate({ budget: { requested: NaN } }), "invalid_value", "budget.requested");
    throwsEuca(() => call.evaluate({ budget: { requested: Infinity } }), "invalid_value", "budget.requested");
    throwsEuca(() => call.evaluate({ id: Symbol("x") }), "invalid_type");
    throwsEuca(() => call.evaluate({ id: () => 1 }), "invalid_type");
    throwsEuca(() => call.evaluate({ budget: { requested: 2n ** 70n } }), "invalid_type");
    throwsEuca(() => call.evaluate({ applicant: { registered_on: new Date("nope") } }), "invalid_date", "applicant.registered_on");
    throwsEuca(() => call.evaluate({ get applicant() { throw new Error("boom"); } }), "invalid_value");
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    throwsEuca(() => call.evaluate({ applicant: revocable.proxy }), "invalid_value", "applicant");
    throwsEuca(() => call.evaluate(new Map([["id", new Map([["x", 1]])]])), "invalid_type", "id");
    // What JSON has no value for is refused where it lies (the walk that reads arguments into JSON
    // values names each path), never read as something else.
    throwsEuca(() => call.evaluate({ action: { sectors: new Set(["15110"]) } }), "invalid_type", "action.sectors");
    throwsEuca(() => call.evaluate({ action: { sectors: new Uint8Array([1]) } }), "invalid_type", "action.sectors");
    throwsEuca(() => call.evaluate({ applicant: new Map([[1, "x"]]) }), "invalid_type", "applicant");
    throwsEuca(() => call.evaluate({ budget: { requested: -(2n ** 64n) } }), "invalid_type", "budget.requested");
    throwsEuca(() => call.evaluate({ applicant: { name: () => 1 } }), "invalid_type", "applicant.name");
    // Iterables with no constructor, an odd one, or one whose reading throws are named in words;
    // a `Date` whose reading throws (a proxy of one) is an error at its path: nothing unwinds.
    const bare = Object.assign(Object.create(null), { [Symbol.iterator]: function* () {} });
    throwsEuca(() => call.evaluate({ action: { sectors: bare } }), "invalid_type", "action.sectors");
    const odd = { [Symbol.iterator]() {}, constructor: 1 };
    throwsEuca(() => call.evaluate({ action: { sectors: odd } }), "invalid_type", "action.sectors");
    const trap = new Proxy({}, { has: () => true, get: () => { throw new Error("boom"); } });
    throwsEuca(() => call.evaluate({ action: { sectors: trap } }), "invalid_type", "action.sectors");
    const dateProxy = new Proxy(new Date(0), {});
    throwsEuca(() => call.evaluate({ submitted_at: dateProxy }), "invalid_value", "submitted_at");
    // A bigint in range is read as its integer.
    const asOf = { asOf: "2020-09-01" };
    assert.deepEqual(
      call.evaluate({ budget: { requested: 30_000_000n } }, asOf).toJSON(),
      call.evaluate({ budget: { requested: 30_000_000 } }, asOf).toJSON(),
    );
    stillUsable();
  });

  test("a seeded storm of malformed input never traps", () => {
    let seed = 42;
    const rnd = (n) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const atoms = [null, undefined, true, 0, -1, 1.5, 2 ** 60, NaN, "", "x", "2020-02-30", "[2018,2019]",
      new Date(0), 10n, [], {}, "{", "\u0000", "\ud800", Symbol.iterator];
    const keys = ["id", "applicant", "budget", "requested", "country", "version", "rounds", "add",
      "correct", "retract", "submitted_at", "co_applicants", "date", "__proto__", "constructor"];
    const value = (depth) => {
      if (depth > 4 || rnd(3) === 0) return atoms[rnd(atoms.length)];
      if (rnd(2) === 0) return Array.from({ length: rnd(4) }, () => value(depth + 1));
      const o = {};
      for (let i = rnd(4); i > 0; i--) o[keys[rnd(keys.length)]] = value(depth + 1);
      return o;
    };
    const ops = [
      (v) => call.evaluate(v),
      (v) => call.evaluate({}, v),
      (v) => call.evaluateMany(v),
      (v) => call.evaluateJsonl(v),
      (v) => Dataset.fromJson(v),
      (v) => data.extend(v),
      (v) => data.formatOn(v, v),
      (v) => data.status(v),
      (v) => data.toIcal(v),
      (v) => data.match(v),
      (v) => Call.fromJson(v),
      (v) => euca.parseDate(v),
      (v) => data.plan(v, v, v),
      (v) => data.roundsIn(v, v),
    ];
    for (let i = 0; i < 600; i++) {
      const op = ops[i % ops.length];
      try {
        const out = op(value(0));
        if (out && typeof out.free === "function") out.free();
      } catch (e) {
        assert.ok(e instanceof Error, `case ${i}: threw ${String(e)}`);
        assert.equal(e.name, "EucaError", `case ${i}: ${e.stack}`);
      }
    }
    stillUsable();
  });
});

describe("funded projects and IATI", () => {
  const INCLUSIVE_KZ = "project/kz/inclusive-kazakhstan";
  const MIGRANTS = "project/kz/migrants-rights";
  const RULE_OF_LAW = "project/kz/rule-of-law-for-all";
  const YOUTH_KG = "project/kg/youth-and-human-rights-2025";
  const SOURCE = { title: "My notes", document: "field notes, 2026" };
  // An IATI 2.03 file written by hand: two languages, shares, a withdrawn sector code, money in two
  // currencies and finer than a cent, an element euca does not read.
  const ACTIVITY = `<iati-activities version="2.03">
 <iati-activity default-currency="EUR" xml:lang="en">
  <iati-identifier>XM-EX-1</iati-identifier>
  <reporting-org ref="XM-EX" type="21"><narrative>Example NGO</narrative></reporting-org>
  <title><narrative>Legal aid</narrative><narrative xml:lang="ru">Правовая помощь</narrative></title>
  <participating-org type="24" role="4"><narrative>Local NGO</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="2" iso-date="2021-03-01"/>
  <recipient-country code="KG" percentage="75"/>
  <recipient-country code="KZ" percentage="25"/>
  <sector vocabulary="1" code="15162"/>
  <budget type="1"><period-start iso-date="2021-03-01"/><period-end iso-date="2021-12-31"/><value value-date="2021-03-01">150000.50</value></budget>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2021-04-01"/><value currency="USD" value-date="2021-04-01">1000.255</value></transaction>
  <result type="1"><title><narrative>r</narrative></title></result>
 </iati-activity>
</iati-activities>`;
  const record = (changes = {}) => ({
    id: "project/kz/mine",
    title: [{ text: "Legal aid & advice" }],
    recipient_countries: [{ country: "KZ" }],
    participants: [{ name: [{ text: "Local NGO" }], role: "4", org_types: ["22"], country: "KZ" }],
    currency: "EUR",
    eu_contribution: 12_345_678,
    dates: [
      { type: "start", date: "2020-01-15" },
      { type: "end", date: "2021-07-14" },
    ],
    sectors: [
      { sector: "15160", percentage: "60" },
      { sector: "15150", percentage: "40" },
    ],
    sources: [SOURCE],
    ...changes,
  });

  test("projects and project: plain records with exact money", () => {
    const projects = data.projects();
    assert.equal(projects.length, 28);
    assert.equal(Object.getPrototypeOf(projects[0]), Object.prototype, "plain data");
    const kz = data.project(INCLUSIVE_KZ);
    assert.deepEqual(kz, projects[0]);
    assert.equal(kz.total_cost, 31_563_500);
    assert.equal(kz.eu_contribution, 29_985_300);
    assert.deepEqual(kz.dates, [
      { type: "start", date: "2019-01" },
      { type: "end", date: "2021-03" },
    ]);
    assert.ok(kz.inferred.includes("org_types"));
    const kyrgyz = projects.filter((p) => p.recipient_countries.some((c) => c.country === "KG"));
    assert.equal(kyrgyz.length, 7);
    throwsEuca(() => data.project("project/atlantis"), "unknown_record", "id");
    throwsEuca(() => data.project(42), "invalid_type", "id");
    const mine = data.extend({ add: { projects: [record()] } });
    assert.equal(mine.project("project/kz/mine").eu_contribution, 12_345_678);
    mine.free();
    throwsEuca(() => data.extend({ add: { projects: [record({ eu_contribution: 10.5 })] } }), "over_precise_money",
      "add.projects[0].eu_contribution");
  });

  test("projectApplication turns a project into an application", () => {
    const app = data.projectApplication(MIGRANTS);
    assert.equal(app.id, MIGRANTS);
    assert.equal(app.applicant.name, "Legal Policy Research Centre (LPRC)");
    assert.equal(app.applicant.org_type, "22");
    assert.equal(app.action.duration_months, 24);
    assert.equal(app.action.start, "2019-01-30");
    assert.deepEqual(app.budget, { currency: "EUR", requested: 30_000_000 });
    const own = data.projectApplication(record());
    assert.equal(own.action.duration_months, 18); // 15 January 2020 to 14 July 2021
    assert.deepEqual(own.action.sectors, ["15160", "15150"]);
    assert.deepEqual(data.projectApplication(JSON.stringify(record())), own, "JSON text too");
    const decision = data.call("kz-2023-hrd-cso").evaluate(own, { asOf: "2023-03-01" });
    assert.equal(decision.application, "project/kz/mine");
    decision.free();
    throwsEuca(() => data.projectApplication("project/atlantis"), "unknown_record", "project");
    const bad = throwsEuca(() => data.projectApplication(record({ title: "x", colour: "red" })), "unknown_field");
    assert.deepEqual(bad.errors.map((d) => [d.code, d.path]).sort(), [["invalid_type", "title"], ["unknown_field", "colour"]]);
    throwsEuca(() => data.projectApplication(42), "invalid_type", "project");
  });

  test("evaluateProject gives a Decision; projectEligibility flat records", () => {
    const decision = data.evaluateProject(RULE_OF_LAW, null, "2023-03-01");
    assert.ok(decision instanceof Decision);
    assert.equal(decision.verdict, "undetermined");
    assert.equal(decision.ruleSet.id, "kz-2023-hrd-cso");
    const fields = decision.missing.map((m) => m.field);
    assert.ok(fields.includes("submitted_at") && fields.includes("budget.direct"), fields.join());
    assert.deepEqual(decision.checks.filter((c) => c.outcome === "fail"), []);
    decision.free();
    const youth = data.evaluateProject(YOUTH_KG, "tj-2020-cso", new Date("2020-09-01T12:00:00Z"));
    assert.equal(youth.verdict, "ineligible");
    assert.deepEqual(youth.checks.filter((c) => c.outcome === "fail").map((c) => c.id), ["requested_range"]);
    youth.free();
    throwsEuca(() => data.evaluateProject(MIGRANTS, null, "2020-01-01"), "unknown_record", "call");
    throwsEuca(() => data.evaluateProject(MIGRANTS, "no-such-call", "2020-01-01"), "unknown_record", "call");
    throwsEuca(() => data.evaluateProject(MIGRANTS, 42, "2020-01-01"), "invalid_type", "call");
    throwsEuca(() => data.evaluateProject(MIGRANTS, "tj-2020-cso", "2020"), "invalid_date", "asOf");

    const rows = data.projectEligibility("2023-03-01");
    assert.deepEqual(rows.map((r) => [r.project, r.call, r.verdict, r.failed]), [
      [RULE_OF_LAW, "kz-2023-hrd-cso", "undetermined", []],
    ]);
    assert.ok(rows[0].undetermined.includes("deadline"));
    const kg = data.projects().filter((p) => p.recipient_countries[0].country === "KG").map((p) => p.id);
    const mixed = data.projectEligibility("2020-09-01", [...kg, record()], "tj-2020-cso");
    assert.deepEqual(mixed.map((r) => r.project), [...kg, "project/kz/mine"]);
    const y = mixed.find((r) => r.project === YOUTH_KG);
    assert.deepEqual([y.verdict, y.failed], ["ineligible", ["requested_range"]]);
    throwsEuca(() => data.projectEligibility("2020-01-01", [RULE_OF_LAW, MIGRANTS]), "unknown_record", "call");
    throwsEuca(() => data.projectEligibility("2020-01-01", [RULE_OF_LAW, "project/atlantis"]), "unknown_record",
      "projects[1]");
    const bad = throwsEuca(
      () => data.projectEligibility("2020-01-01", [record(), record({ eu_contribution: -5 }), record({ dates: "soon" })], "tj-2020-cso"),
      "negative_money",
    );
    assert.deepEqual(bad.errors.map((d) => [d.code, d.path]), [
      ["negative_money", "[1].eu_contribution"],
      ["invalid_type", "[2].dates"],
    ]);
    throwsEuca(() => data.projectEligibility("2020-01-01", RULE_OF_LAW), "invalid_type", "projects");
  });

  test("funding, projectLeads, localLeads, projectsAfterRounds as plain arrays", () => {
    const byCountry = data.funding("country");
    const kg = byCountry.find((r) => r.key === "KG");
    assert.deepEqual([kg.projects, kg.eu_contribution, kg.eu_contribution_projects], [7, 1_800_000_000, 2]);
    const total = data.projects().reduce((n, p) => n + (p.eu_contribution ?? 0), 0);
    assert.equal(byCountry.reduce((n, r) => n + r.eu_contribution, 0), total, "no amount counted twice");
    assert.deepEqual(
      data.funding("sector", [record()]).map((r) => [r.key, r.eu_contribution, r.shared]),
      [["15150", 4_938_271, 1], ["15160", 7_407_407, 1]],
      "split exactly by percentages, the odd cent to the largest remainder",
    );
    assert.deepEqual(
      data.funding("year", [INCLUSIVE_KZ, MIGRANTS]).map((r) => [r.key, r.projects, r.eu_contribution]),
      [["2019", 2, 59_985_300]],
    );
    const iati = euca.readIati(ACTIVITY);
    const fromIati = data.funding("country", iati.records);
    const at = (key, currency) => fromIati.find((r) => r.key === key && r.currency === currency);
    assert.equal(at("KG", "EUR").budget, 11_250_038);
    assert.equal(at("KZ", "USD").disbursements, 25_006);
    throwsEuca(() => data.funding("colour"), "invalid_value", "by");
    throwsEuca(() => data.funding("country", [42]), "invalid_type", "[0]");

    assert.deepEqual(data.projectLeads([MIGRANTS])[0], {
      project: MIGRANTS,
      lead: "Legal Policy Research Centre (LPRC)",
      lead_country: "KZ",
      locality: "local",
      basis: "country",
    });
    const shares = data.localLeads();
    const all = shares.at(-1);
    assert.equal(all.country, undefined);
    assert.deepEqual([all.projects, all.local, all.foreign, all.unknown, all.local_share], [28, 6, 13, 9, "31.57"]);
    assert.deepEqual(shares.slice(0, -1).map((r) => r.country), ["KG", "KZ", "TJ", "TM", "UZ"]);

    const after = data.projectsAfterRounds(12);
    assert.deepEqual(after.find((r) => r.project === "project/central-asia/transnational-coalition"), {
      project: "project/central-asia/transnational-coalition",
      country: "TM",
      round: "hrd-tm/5",
      round_number: 5,
      round_date: "2013-05-15",
      start: "2014-04",
      months_min: 10,
      months_max: 11,
      certain: true,
    });
    assert.ok(data.projectsAfterRounds(0).length < after.length);
    throwsEuca(() => data.projectsAfterRounds(-1), "invalid_value", "months");
    throwsEuca(() => data.projectsAfterRounds(1.5), "invalid_value", "months");
    throwsEuca(() => data.projectsAfterRounds(), "missing_field", "months");
  });

  test("readIati reads text or bytes into records and warnings", () => {
    const imported = euca.readIati(ACTIVITY);
    assert.equal(imported.version, "2.03");
    const [p] = imported.records;
    assert.equal(p.iati_identifier, "XM-EX-1");
    assert.deepEqual(p.title, [{ text: "Legal aid" }, { text: "Правовая помощь", lang: "ru" }]);
    assert.deepEqual(p.sectors, [{ sector: "15160", vocabulary: "1", replaced: "15162" }]);
    assert.equal(p.budgets[0].amount, 15_000_050);
    assert.equal(p.transactions[0].amount, 100_026);
    assert.deepEqual(imported.warnings.map((w) => [w.code, w.path]), [
      ["missing_field", "iati-activities/iati-activity[1]/description"], // the standard requires one
      ["withdrawn_code", "iati-activities/iati-activity[1]/sector[1]/@code"],
      ["over_precise_money", "iati-activities/iati-activity[1]/transaction[1]/value"],
      ["not_read", "iati-activities/iati-activity[1]/result[1]"],
    ]);
    assert.deepEqual(euca.readIati(Buffer.from(ACTIVITY)), imported, "a Buffer reads the same");
    const withSource = euca.readIati(ACTIVITY, { source: { title: "IATI file", address: "https://example.org/a.xml" } });
    assert.deepEqual(withSource.records[0].sources, [{ title: "IATI file", address: "https://example.org/a.xml" }]);
    const bad = `<iati-activities version="2.03"><iati-activity><iati-identifier>OK</iati-identifier></iati-activity>
      <iati-activity><iati-identifier>X</iati-identifier><transaction><transaction-type code="3"/>
      <transaction-date iso-date="2021-04-01"/><value value-date="2021-04-01">lots</value></transaction></iati-activity></iati-activities>`;
    throwsEuca(() => euca.readIati(bad), "invalid_value", "iati-activities/iati-activity[2]/transaction[1]/value");
    assert.deepEqual(euca.readIati(bad, { skip_invalid: true }).records.map((r) => r.id), ["OK"]);
    throwsEuca(() => euca.readIati(bad, { skipInvalid: true }), "unknown_field", "options.skipInvalid");
    throwsEuca(() => euca.readIati("<iati-activities><iati-activity>"), "invalid_xml");
    throwsEuca(
      () => euca.readIati(new Uint8Array([...Buffer.from('<iati-activities version="2.03"><iati-activity><iati-identifier>'), 0xff, ...Buffer.from("</iati-identifier></iati-activity></iati-activities>")])),
      "invalid_xml",
      "iati-activities/iati-activity[1]/iati-identifier",
    );
    throwsEuca(() => euca.readIati(42), "invalid_type", "xml");
    throwsEuca(() => euca.readIati(ACTIVITY, "yes"), "invalid_type", "options");
  });

  test("toIati writes IATI 2.03 that reads back to the same records", () => {
    const xml = data.toIati({ prefix: "XM-EUCA", as_of: "2026-11-30" });
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03"'));
    const back = euca.readIati(xml).records;
    assert.equal(back.length, 28);
    assert.equal(back[0].iati_identifier, "XM-EUCA-project-kz-inclusive-kazakhstan");
    assert.deepEqual(back[0].generated, ["iati_identifier", "reporting_org"]);
    data.projects().forEach((original, i) => {
      const { iati_identifier, reporting_org, generated, ...rest } = back[i];
      assert.deepEqual(rest, original, original.id);
    });
    const own = euca.toIati([record()], { prefix: "XM-EUCA", as_of: "2026-11-30" });
    assert.ok(own.includes("<iati-identifier>XM-EUCA-project-kz-mine</iati-identifier>"));
    assert.ok(own.includes("Legal aid &amp; advice"));
    assert.equal(euca.readIati(own).records[0].eu_contribution, 12_345_678);
    const two = data.toIati({ prefix: "XM-EUCA", as_of: "2026-11-30" }, [MIGRANTS, record()]);
    assert.deepEqual(euca.readIati(two).records.map((r) => r.id), [MIGRANTS, "project/kz/mine"]);
    const read = euca.readIati(ACTIVITY).records;
    assert.deepEqual(euca.readIati(euca.toIati(read)).records, read, "read records need no prefix");

    const missing = throwsEuca(() => euca.toIati([record(), record({ id: "project/kz/other" })]), "missing_field");
    assert.deepEqual(missing.errors.map((d) => d.path), [
      "[0].iati_identifier",
      "[0].reporting_org",
      "[1].iati_identifier",
      "[1].reporting_org",
    ]);
    throwsEuca(() => euca.toIati([record()], { prefix: "XM EUCA" }), "invalid_value", "prefix");
    throwsEuca(() => euca.toIati([record(), { id: "x", total_cost: 1.5 }], { prefix: "XM-EUCA" }), "over_precise_money",
      "[1].total_cost");
    throwsEuca(() => euca.toIati([MIGRANTS], { prefix: "XM-EUCA" }), "invalid_type", "projects[0]");
    throwsEuca(() => euca.toIati([record()], { prefix: "XM-EUCA", as_of: "someday" }), "invalid_date", "options.as_of");
    throwsEuca(() => euca.toIati(record()), "invalid_type", "projects");
  });

  test("malformed input to the project functions is always an EucaError", () => {
    let seed = 7;
    const rnd = (n) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const atoms = [null, undefined, true, 0, -1, 1.5, NaN, "", "x", "<", "<iati-activities/>", MIGRANTS,
      new Date(0), 10n, [], {}, "{", "\ud800", new Uint8Array([0xff, 0x3c])];
    const keys = ["id", "title", "dates", "participants", "eu_contribution", "sectors", "prefix", "as_of",
      "skip_invalid", "source", "recipient_countries", "__proto__"];
    const value = (depth) => {
      if (depth > 3 || rnd(3) === 0) return atoms[rnd(atoms.length)];
      if (rnd(2) === 0) return Array.from({ length: rnd(4) }, () => value(depth + 1));
      const o = {};
      for (let i = rnd(4); i > 0; i--) o[keys[rnd(keys.length)]] = value(depth + 1);
      return o;
    };
    const ops = [
      (v) => euca.readIati(v),
      (v) => euca.readIati(ACTIVITY, v),
      (v) => euca.toIati(v),
      (v) => euca.toIati([record()], v),
      (v) => data.toIati(v, v),
      (v) => data.project(v),
      (v) => data.projectApplication(v),
      (v) => data.evaluateProject(v, v, v),
      (v) => data.projectEligibility(v, v, v),
      (v) => data.funding(v, v),
      (v) => data.funding("country", v),
      (v) => data.projectLeads(v),
      (v) => data.localLeads(v),
      (v) => data.projectsAfterRounds(v, v),
    ];
    for (let i = 0; i < 700; i++) {
      try {
        const out = ops[i % ops.length](value(0));
        if (out && typeof out.free === "function") out.free();
      } catch (e) {
        assert.ok(e instanceof Error, `case ${i}: threw ${String(e)}`);
        assert.equal(e.name, "EucaError", `case ${i}: ${e.stack}`);
        assert.ok(typeof e.code === "string" && Array.isArray(e.errors) && e.errors.length > 0);
      }
    }
    stillUsable();
  });
});
