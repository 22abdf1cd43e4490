// A TypeScript user of the Node build: checked by `tsc --noEmit` (tests/ts/tsconfig.json), never
// run. Every document type used here is generated from the Rust types (src/types.rs, tsify).
import {
  Call,
  Dataset,
  Decision,
  compare,
  dateRelation,
  parseDate,
  readIati,
  toIati,
  type Application,
  type BatchResult,
  type DateInfo,
  type DecisionJson,
  type DialogueStatus,
  type EucaError,
  type FundingRecord,
  type IatiImport,
  type IatiWarning,
  type LocalLeadShare,
  type PlanItem,
  type Project,
  type ProjectAfterRound,
  type ProjectEligibility,
  type ProjectLead,
  type Relation,
  type RuleSetJson,
  type TimelineRecord,
  type Verdict,
} from "../../pkg/node/euca.js";

const data: Dataset = Dataset.embedded();
const version: string = data.version;

const status: DialogueStatus[] = data.status("2025-01-01");
const phase: string | undefined = status[0].phase;
const tm: DialogueStatus = data.statusOf("TM", new Date());
const days: number | undefined = tm.days_until_due_min;
const plan: PlanItem[] = data.plan(2, "2025-07-01");
const records: TimelineRecord[] = data.timelineRecords();
const spans: Array<[string, string]> = records.map((r) => [r.start, r.end]);
const formats: string[] = data.formatOn("Turkmenistan", "2008-06").possible.map((s) => s.dialogue_type ?? "none");
const ics: string = data.toIcal({ countries: ["KZ"], as_of: "2025-01-01", plan: { years: 1 } });
const info: DateInfo = parseDate("[2018,2019]");
const relation: Relation = dateRelation("2008", new Date("2009-01-01"));

const application: Application = {
  id: "ngo-1",
  applicant: {
    legal_form: "legal_person",
    non_profit: true,
    categories: ["non_governmental_organisation"],
    country: "TJ",
    org_type: 22,
    annual_budget: 12_000_000n,
    exclusions: { bankrupt: false },
  },
  co_applicants: [{ country: "TJ" }],
  action: { country: "TJ", duration_months: 30, sectors: [15160, "15150"] },
  budget: { direct: 30_000_000, indirect: "2100000", requested: 30_000_000 },
  submitted_at: new Date("2020-09-04T10:00:00Z"),
};

const call: Call = data.call("tj-2020-cso");
const decision: Decision = call.evaluate(application, { asOf: "2020-09-01", stage: "concept_note" });
const verdict: Verdict = decision.verdict;
const max: number | undefined = decision.grant?.max_eu_contribution;
const citations: string[] = decision.checks.map((c) => c.citation.reference);
const questions: string[] = decision.missing.map((m) => m.question);
const json: DecisionJson = decision.toJSON();
const explained: string = decision.explain();
decision.free();

const batch: BatchResult = call.evaluateMany([application, {}], { asOf: new Date() });
const firstVerdict: Verdict = batch.verdicts[0];
const share: string | null = batch.eu_share[0];
const fromJsonl: BatchResult = call.evaluateJsonl('{"id": "a"}\n');

const doc: RuleSetJson = call.toJSON();
const mine: RuleSetJson = {
  id: "my-call",
  version: "1",
  kind: "call",
  title: "My call",
  extends: doc.id,
  criteria: [
    {
      id: "duration_max",
      statement: "Actions last at most 24 months.",
      citation: { reference: "Guidelines 1.3", source: { title: "My guidelines", document: "ref. 1" } },
      test: { duration: { max_months: 24 } },
    },
    {
      id: "tajik_lead",
      statement: "The lead is established in Tajikistan.",
      citation: { reference: "Guidelines 2.1.1", source: { title: "My guidelines", document: "ref. 1" } },
      test: { all: [{ established_in: { any_of: ["TJ"] } }, { not: { non_profit: {} } }] },
    },
  ],
  sources: [{ title: "My guidelines", document: "ref. 1" }],
};
const compiled: Call = Call.fromJsonWith(mine, data);
const rows = compare(call, compiled, [application], "2020-09-01");
const changed: boolean = rows[0].verdict_changed;
const matched: DecisionJson[] = data.match(application, "2020-09-01");

// Funded projects: records, IATI out and back in, the eligibility link, analyses as plain arrays.
const projects: Project[] = data.projects();
const kz: Project = data.project("project/kz/inclusive-kazakhstan");
const cents: number | bigint | string | undefined = kz.eu_contribution;
const ownProject: Project = {
  id: "project/kz/mine",
  title: [{ text: "Legal aid" }],
  recipient_countries: [{ country: "KZ", percentage: 100 }],
  participants: [{ name: [{ text: "Local NGO" }], role: "4", org_types: ["22"], country: "KZ", lead: true }],
  dates: [{ type: "start", date: "2020-01" }, { type: "planned_end", date: "2021-06-30" }],
  eu_contribution: 12_345_678,
  sources: [{ title: "My notes", document: "field notes" }],
};
const xml: string = toIati([ownProject, ...projects], { prefix: "XM-EUCA", as_of: "2026-11-30" });
const ours: string = data.toIati({ prefix: "XM-EUCA" }, ["project/kz/migrants-rights", ownProject]);
const imported: IatiImport = readIati(xml, { skip_invalid: true });
const warnings: IatiWarning[] = imported.warnings;
const funding: FundingRecord[] = data.funding("country", imported.records);
const eu: number = funding[0].eu_contribution;
const leads: ProjectLead[] = data.projectLeads();
const shares: LocalLeadShare[] = data.localLeads([ownProject]);
const after: ProjectAfterRound[] = data.projectsAfterRounds(12);
const app: Application = data.projectApplication(ownProject);
const checked: Decision = data.evaluateProject("project/kz/rule-of-law-for-all", null, "2023-03-01");
const unknownFields: string[] = checked.missing.map((m) => m.field);
checked.free();
const eligibility: ProjectEligibility[] = data.projectEligibility("2020-09-01", [ownProject], "tj-2020-cso");

try {
  data.country("XX");
} catch (e) {
  const error = e as EucaError;
  const where: string[] = error.errors.map((d) => `${d.code} at ${d.path}: ${d.message}`);
  console.log(error.name, error.code, where);
}

// Negative checks: each line must be a type error, so declarations that decayed to `any` (or
// lost a field's type) fail `tsc` here ("Unused '@ts-expect-error' directive").
// @ts-expect-error an Application has no field `applicnt`
const misspelt: Application = { applicnt: { country: "TJ" } };
// @ts-expect-error "maybe" is not a Verdict
const maybe: Verdict = "maybe";
// @ts-expect-error an application's id is a string, not a number
const numericId: Application = { id: 42 };
// @ts-expect-error `country` takes a code or a name as a string
data.country(42);
// @ts-expect-error Call has `evaluate`, not `evaluat`
call.evaluat(application);
// @ts-expect-error a Decision's verdict is a Verdict, not a number
const verdictNumber: number = decision.verdict;
console.log(misspelt, maybe, numericId, verdictNumber);

compiled.free();
call.free();
data.free();
console.log(version, phase, days, plan, spans, formats, ics, info, relation, verdict, max, citations,
  questions, json, explained, firstVerdict, share, fromJsonl, changed, matched, cents, ours, warnings, eu,
  leads, shares, after, app, unknownFields, eligibility);
