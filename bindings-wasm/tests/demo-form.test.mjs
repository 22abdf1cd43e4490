// The demo's form logic (www/form.js) under Node: which fields a call's criteria read, the widget
// each field gets from the application's JSON Schema, and euros to cents exactly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import {
  eurosToCents,
  formFields,
  formatCents,
  getPath,
  parsePath,
  prune,
  setPath,
  suggestedDay,
  widgetFor,
} from "../www/form.js";

const euca = createRequire(import.meta.url)("../pkg");
const data = euca.Dataset.embedded();
const schema = euca.applicationSchema();
const evaluator = (call, asOf) => (application) => {
  const d = call.evaluate(application, { asOf });
  try {
    return d.toJSON();
  } finally {
    d.free();
  }
};

test("paths", () => {
  assert.deepEqual(parsePath("co_applicants[0].exclusions.fraud"), ["co_applicants", 0, "exclusions", "fraud"]);
  const o = {};
  setPath(o, "co_applicants[1].country", "TJ");
  assert.ok(Array.isArray(o.co_applicants) && o.co_applicants.length === 2);
  assert.equal(getPath(o, "co_applicants[1].country"), "TJ");
  assert.deepEqual(prune({ a: {}, b: { c: 1 }, d: [{}] }), { b: { c: 1 }, d: [{}] });
});

test("euros to cents, exactly; what is not a plain number goes to euca unchanged", () => {
  assert.equal(eurosToCents("250000"), "25000000");
  assert.equal(eurosToCents("250 000.5"), "25000050");
  assert.equal(eurosToCents("0.07"), "7");
  assert.equal(eurosToCents("12.345"), "1234.5"); // euca: over-precise money
  assert.equal(eurosToCents("-500"), "-50000"); // euca: negative money
  assert.equal(eurosToCents("ten"), "ten"); // euca: invalid money
  assert.equal(formatCents(32100000), "321\u202f000.00");
  assert.equal(formatCents(7), "0.07");
});

test("widgets come from the application's JSON Schema", () => {
  const kind = (p) => widgetFor(schema, p).kind;
  assert.equal(kind("applicant.non_profit"), "yesno");
  assert.equal(kind("applicant.legal_form"), "choice");
  assert.equal(kind("applicant.categories"), "choices");
  assert.equal(kind("budget.requested"), "money");
  assert.equal(kind("submitted_at"), "instant");
  assert.equal(kind("applicant.registered_on"), "date");
  assert.equal(kind("action.duration_months"), "integer");
  assert.equal(kind("co_applicants"), "count");
  assert.equal(kind("co_applicants[0].exclusions.fraud"), "yesno");
  assert.equal(kind("action.sectors"), "list");
  assert.equal(kind("applicant"), "object");
  assert.equal(kind("applicant.country"), "text");
});

test("two calls give two different forms, each what its criteria read", () => {
  const fieldsOf = (id, application = {}) => {
    const call = data.call(id);
    const asOf = suggestedDay(call.criteria(), "2020-01-01");
    try {
      return formFields(evaluator(call, asOf), schema, application).map((f) => f.path);
    } finally {
      call.free();
    }
  };
  const tj = fieldsOf("tj-2020-cso");
  const uz = fieldsOf("uz-2015-eidhr-cbss");
  assert.ok(tj.includes("applicant.country") && !uz.includes("applicant.country"));
  assert.ok(uz.includes("applicant.legal_form") && !tj.includes("applicant.legal_form"));
  assert.ok(tj.includes("co_applicants"));
  const withPartner = fieldsOf("tj-2020-cso", { co_applicants: [{}] });
  assert.ok(withPartner.includes("co_applicants"), "the list keeps its own field");
  assert.ok(withPartner.includes("co_applicants[0].country"));
  assert.equal(suggestedDay(data.call("tj-2020-cso").criteria(), "x"), "2020-09-04");
});
