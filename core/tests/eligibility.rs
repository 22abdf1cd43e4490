//! The eligibility engine, criterion kind by criterion kind: pass, fail and unknown cases with the
//! values, missing fields and recourse each gives; `who`, stages, validity, currencies, the grant's
//! arithmetic, the ranking of missing fields, `explain`, compile errors, `compare`, matching and
//! batches. Every expected figure is worked out by hand from the rules in the comments beside it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::OnceLock;

use chrono::NaiveDate;
use euca::{
    Application, Call, Check, Code, Dataset, DatasetError, Decision, Outcome, RecourseKind,
    Verdict, compare, read_jsonl,
};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

const P: Outcome = Outcome::Pass;
const F: Outcome = Outcome::Fail;
const U: Outcome = Outcome::Unknown;

fn data() -> &'static Dataset {
    static DATA: OnceLock<Dataset> = OnceLock::new();
    DATA.get_or_init(|| Dataset::embedded().expect("the embedded dataset loads"))
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn source() -> Value {
    json!({"title": "Guidelines for applicants (test)", "address": "https://example.org/guidelines.pdf"})
}

/// A criterion with a statement and a citation.
fn criterion(id: &str, test: Value) -> Value {
    json!({
        "id": id,
        "statement": format!("The rule {id}"),
        "citation": {"reference": format!("Guidelines 2.1 ({id})"), "source": source()},
        "test": test,
    })
}

/// A call document with these criteria.
fn call_doc(id: &str, criteria: Vec<Value>) -> Value {
    json!({
        "id": id,
        "version": "1",
        "kind": "call",
        "title": format!("Test call {id}"),
        "criteria": criteria,
        "sources": [source()],
    })
}

fn compile(doc: &Value) -> Call {
    Call::from_value_with(doc, data()).unwrap_or_else(|e| panic!("the call compiles: {e:?}"))
}

fn compile_in(doc: &Value, dataset: &Dataset) -> Call {
    Call::from_value_with(doc, dataset).unwrap_or_else(|e| panic!("the call compiles: {e:?}"))
}

/// The (code, path) of every problem of a call that does not compile.
fn compile_problems(doc: &Value) -> Vec<(String, String)> {
    problems(Call::from_value_with(doc, data()).expect_err("the call must not compile"))
}

fn problems(e: DatasetError) -> Vec<(String, String)> {
    e.problems()
        .iter()
        .map(|p| (p.code.as_str().to_string(), p.path.clone()))
        .collect()
}

fn has_problem(found: &[(String, String)], code: &str, path: &str) -> bool {
    found.iter().any(|(c, p)| c == code && p == path)
}

fn app(v: Value) -> Application {
    Application::from_value(&v).unwrap_or_else(|e| panic!("the application reads: {e:?}"))
}

fn check<'a>(d: &'a Decision, id: &str) -> &'a Check {
    d.checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check `{id}` in {:?}", d.checks))
}

/// A full, eligible application for the tests below to vary.
fn good() -> Value {
    json!({
        "id": "good",
        "applicant": {
            "name": "Civil Rights Bureau",
            "legal_form": "legal_person",
            "non_profit": true,
            "org_type": "22",
            "country": "TJ",
            "registered_on": "2015-03-01",
            "intermediary": false,
            "exclusions": {"bankrupt": false, "convicted": false, "grave_misconduct": false,
                           "unpaid_taxes": false, "fraud": false, "breach_of_contract": false},
            "completed_projects": [{"ended_on": "2019-06-30"}, {"ended_on": "2018-12-31"}],
            "annual_budget": 30000000
        },
        "co_applicants": [{"country": "TJ", "non_profit": true, "org_type": "21"}],
        "action": {"country": "TJ", "duration_months": 30, "start": "2021-01-01",
                   "sectors": ["15160"], "themes": ["media"], "activities": ["training"]},
        "budget": {"direct": 28987200, "indirect": 2029104, "contingency": 1449360,
                   "requested": 26975700},
        "submitted_at": "2020-09-04T10:00:00+02:00"
    })
}

/// Sets `value` at a dotted path of a JSON object (creating objects on the way); `Null` removes.
fn set(mut doc: Value, path: &str, value: Value) -> Value {
    let keys: Vec<&str> = path.split('.').collect();
    let mut here = &mut doc;
    for k in &keys[..keys.len() - 1] {
        if here.get(*k).is_none() {
            here[*k] = json!({});
        }
        here = here.get_mut(*k).unwrap();
    }
    let last = keys[keys.len() - 1];
    if value.is_null() {
        here.as_object_mut().unwrap().remove(last);
    } else {
        here[last] = value;
    }
    doc
}

/// One row of a criterion table.
struct Case {
    name: String,
    test: Value,
    app: Value,
    as_of: &'static str,
    extra: Vec<Value>,
    want: Outcome,
    missing: Option<Vec<&'static str>>,
    fix: Option<Fix>,
    message: Option<&'static str>,
}

/// An expected recourse entry: its field, suggestion and a fragment of its message.
struct Fix {
    field: String,
    suggestion: Option<Value>,
    says: &'static str,
}

fn case(name: &str, test: &Value, app: Value, want: Outcome) -> Case {
    Case {
        name: name.to_string(),
        test: test.clone(),
        app,
        as_of: "2020-09-04",
        extra: Vec::new(),
        want,
        missing: None,
        fix: None,
        message: None,
    }
}

impl Case {
    fn on(mut self, as_of: &'static str) -> Case {
        self.as_of = as_of;
        self
    }
    fn extra(mut self, c: Value) -> Case {
        self.extra.push(c);
        self
    }
    /// The fields the check reports missing (for an unknown outcome).
    fn missing(mut self, fields: &[&'static str]) -> Case {
        self.missing = Some(fields.to_vec());
        self
    }
    fn fix(mut self, field: &str, suggestion: Option<Value>, says: &'static str) -> Case {
        self.fix = Some(Fix {
            field: field.to_string(),
            suggestion,
            says,
        });
        self
    }
    /// A fragment the check's message must contain.
    fn says(mut self, fragment: &'static str) -> Case {
        self.message = Some(fragment);
        self
    }
}

/// Runs a table: the check `c` of a call with the case's criterion (plus extras) has the expected
/// outcome, the decision's verdict follows, the fast batch path agrees, and unknown, failing and
/// passing cases carry their missing fields and recourse. Every failing row is reported.
fn run(cases: Vec<Case>) {
    let mut failures = Vec::new();
    for c in &cases {
        let mut criteria = vec![criterion("c", c.test.clone())];
        criteria.extend(c.extra.iter().cloned());
        let call = compile(&call_doc("t", criteria));
        let application = app(c.app.clone());
        let d = call.evaluate(&application, day(c.as_of), None);
        let got = check(&d, "c");
        let mut why = Vec::new();
        if got.outcome != c.want {
            why.push(format!("outcome {:?}, expected {:?}", got.outcome, c.want));
        }
        if c.extra.is_empty() {
            let expected = match c.want {
                Outcome::Pass => Verdict::Eligible,
                Outcome::Fail => Verdict::Ineligible,
                _ => Verdict::Undetermined,
            };
            if d.verdict != expected {
                why.push(format!("verdict {:?}, expected {expected:?}", d.verdict));
            }
        }
        let batch = call.evaluate_many(std::slice::from_ref(&application), day(c.as_of), None);
        if batch.verdicts[0] != d.verdict {
            why.push(format!(
                "batch verdict {:?} differs from {:?}",
                batch.verdicts[0], d.verdict
            ));
        }
        let in_failed = batch.failed.get(0).unwrap().iter().any(|x| x == "c");
        let in_missing = batch.missing.get(0).unwrap().iter().any(|x| x == "c");
        if in_failed != (c.want == F) || in_missing != (c.want == U) {
            why.push(format!(
                "batch failed {:?} missing {:?}",
                batch.failed.get(0).unwrap(),
                batch.missing.get(0).unwrap()
            ));
        }
        if let Some(m) = &c.missing {
            if got.missing != *m {
                why.push(format!("missing {:?}, expected {m:?}", got.missing));
            }
            if c.extra.is_empty() {
                for field in m {
                    let asked = d.recourse.iter().any(|r| {
                        r.kind == RecourseKind::Answer
                            && r.field == *field
                            && r.message.ends_with('?')
                    });
                    if !asked {
                        why.push(format!("no question about `{field}` in {:?}", d.recourse));
                    }
                }
            }
        }
        if c.want == U && got.missing.is_empty() && c.missing.is_none() {
            why.push("an unknown check must name what is missing (or the case must say)".into());
        }
        if c.want != U && !got.missing.is_empty() {
            why.push(format!(
                "a settled check lists missing fields {:?}",
                got.missing
            ));
        }
        if let Some(f) = &c.fix {
            let found = d.recourse.iter().any(|r| {
                r.criterion == "c"
                    && r.kind == RecourseKind::Change
                    && r.field == f.field
                    && r.suggestion == f.suggestion
                    && r.message.contains(f.says)
            });
            if !found {
                why.push(format!(
                    "no recourse on `{}` suggesting {:?} saying `{}` in {:?}",
                    f.field, f.suggestion, f.says, d.recourse
                ));
            }
        }
        if c.want == P && c.extra.is_empty() && !d.recourse.is_empty() {
            why.push(format!(
                "an eligible decision has recourse {:?}",
                d.recourse
            ));
        }
        if let Some(fragment) = c.message
            && !got.message.contains(fragment)
        {
            why.push(format!(
                "message `{}` does not say `{fragment}`",
                got.message
            ));
        }
        if !why.is_empty() {
            failures.push(format!("{}: {}", c.name, why.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// A deadline criterion ("13:30 Brussels time" on 4 September 2020, i.e. 11:30:00 UTC).
fn deadline_criterion() -> Value {
    criterion(
        "deadline",
        json!({"deadline": {"at": "2020-09-04T13:30:00", "zone": "Europe/Brussels"}}),
    )
}

// ---------------------------------------------------------------------------------------------
// applicants
// ---------------------------------------------------------------------------------------------

#[test]
fn legal_form() {
    let t = json!({"legal_form": {"any_of": ["legal_person"]}});
    let persons =
        json!({"legal_form": {"any_of": ["natural_person", "entity_without_legal_personality"]}});
    let natural = json!({"legal_form": {"any_of": ["natural_person"]}});
    let g = good();
    run(vec![
        case("legal person", &t, g.clone(), P),
        case(
            "natural person",
            &t,
            set(g.clone(), "applicant.legal_form", json!("natural_person")),
            F,
        ),
        case(
            "peer-bench legal_person: true",
            &t,
            set(
                set(g.clone(), "applicant.legal_form", Value::Null),
                "applicant.legal_person",
                json!(true),
            ),
            P,
        ),
        case(
            "legal_person: false is not a legal person",
            &t,
            set(
                set(g.clone(), "applicant.legal_form", Value::Null),
                "applicant.legal_person",
                json!(false),
            ),
            F,
        ),
        // Not a legal person: a natural person or an entity without legal personality, both allowed.
        case(
            "not a legal person, both other forms allowed",
            &persons,
            set(
                set(g.clone(), "applicant.legal_form", Value::Null),
                "applicant.legal_person",
                json!(false),
            ),
            P,
        ),
        // ... only one of them allowed: which one is it?
        case(
            "not a legal person, one other form allowed",
            &natural,
            set(
                set(g.clone(), "applicant.legal_form", Value::Null),
                "applicant.legal_person",
                json!(false),
            ),
            U,
        )
        .missing(&["applicant.legal_form"]),
        case(
            "form not given",
            &t,
            set(g.clone(), "applicant.legal_form", Value::Null),
            U,
        )
        .missing(&["applicant.legal_form"]),
        case(
            "no lead applicant",
            &t,
            set(g.clone(), "applicant", Value::Null),
            U,
        )
        .missing(&["applicant"]),
    ]);
}

/// A full decision names the organisation that is not described, and the field to give.
#[test]
fn an_organisation_not_described_is_named_in_the_check() {
    let call = compile(&call_doc(
        "fx-undescribed",
        vec![criterion("np", json!({"non_profit": {}}))],
    ));
    let d = call.evaluate(
        &app(set(good(), "applicant", Value::Null)),
        day("2020-09-04"),
        None,
    );
    let np = check(&d, "np");
    assert_eq!(np.outcome, Outcome::Unknown);
    assert_eq!(np.missing, ["applicant"]);
    assert!(
        np.message.contains("the lead applicant is not described"),
        "{}",
        np.message
    );
}

#[test]
fn non_profit() {
    let t = json!({"non_profit": {}});
    let g = good();
    run(vec![
        case("non-profit", &t, g.clone(), P),
        case(
            "for profit",
            &t,
            set(g.clone(), "applicant.non_profit", json!(false)),
            F,
        ),
        case(
            "not said",
            &t,
            set(g.clone(), "applicant.non_profit", Value::Null),
            U,
        )
        .missing(&["applicant.non_profit"]),
    ]);
}

#[test]
fn org_type() {
    let t = json!({"org_type": {"any_of": ["21", 22]}});
    let g = good();
    run(vec![
        case("national NGO 22 (text)", &t, g.clone(), P),
        case(
            "international NGO 21 (number)",
            &t,
            set(g.clone(), "applicant.org_type", json!(21)),
            P,
        ),
        case(
            "private sector 70",
            &t,
            set(g.clone(), "applicant.org_type", json!("70")),
            F,
        ),
        case(
            "not said",
            &t,
            set(g.clone(), "applicant.org_type", Value::Null),
            U,
        )
        .missing(&["applicant.org_type"]),
    ]);
}

#[test]
fn category_including_categories_derived_from_the_org_type() {
    let t = json!({"category": {"any_of": ["non_governmental_organisation", "community_based_organisation"],
                                "none_of": ["political_party"]}});
    let no_parties = json!({"category": {"none_of": ["political_party"]}});
    let g = set(good(), "applicant.org_type", Value::Null);
    let cats = |v: Value| set(g.clone(), "applicant.categories", v);
    run(vec![
        case(
            "an NGO",
            &t,
            cats(json!(["non_governmental_organisation"])),
            P,
        ),
        case(
            "a CBO",
            &t,
            cats(json!(["community_based_organisation"])),
            P,
        ),
        case("a political party", &t, cats(json!(["political_party"])), F),
        case(
            "an NGO that is also a party: none_of wins",
            &t,
            cats(json!(["non_governmental_organisation", "political_party"])),
            F,
        ),
        case("a company", &t, cats(json!(["company"])), F),
        case("no category at all", &t, cats(json!([])), F),
        case(
            "no category, only exclusions",
            &no_parties,
            cats(json!([])),
            P,
        ),
        // Derived from the IATI type: 21 → NGO and CSO; 70 → company; 10 → public body.
        case(
            "derived: type 21 is an NGO",
            &t,
            set(g.clone(), "applicant.org_type", json!("21")),
            P,
        ),
        case(
            "derived: type 70 is a company",
            &t,
            set(g.clone(), "applicant.org_type", json!(70)),
            F,
        ),
        case(
            "derived: a public body is not a party",
            &no_parties,
            set(g.clone(), "applicant.org_type", json!("10")),
            P,
        ),
        case(
            "derived: type 30 maps to no category",
            &t,
            set(g.clone(), "applicant.org_type", json!("30")),
            U,
        )
        .missing(&["applicant.categories"]),
        case(
            "given categories win over the type",
            &t,
            set(
                cats(json!(["public_body"])),
                "applicant.org_type",
                json!("22"),
            ),
            F,
        ),
        case("neither categories nor type", &t, g.clone(), U).missing(&["applicant.categories"]),
    ]);
}

#[test]
fn established_in_named_countries_any_country_and_none_of() {
    let named = json!({"established_in": {"any_of": ["TJ", "KG"]}});
    let any = json!({"established_in": {"any_country": true}});
    let any_but = json!({"established_in": {"any_country": true, "none_of": ["RU"]}});
    let tj_or_eu_not_fr =
        json!({"established_in": {"any_of": ["TJ"], "eu_member_states": true, "none_of": ["FR"]}});
    let g = good();
    let lead = |c: &str| set(g.clone(), "applicant.country", json!(c));
    run(vec![
        case("TJ", &named, lead("TJ"), P),
        case("KG", &named, lead("KG"), P),
        case("KZ", &named, lead("KZ"), F),
        case(
            "not said",
            &named,
            set(g.clone(), "applicant.country", Value::Null),
            U,
        )
        .missing(&["applicant.country"]),
        case("any country: KZ", &any, lead("KZ"), P),
        case(
            "any country needs no answer",
            &any,
            set(g.clone(), "applicant.country", Value::Null),
            P,
        ),
        case("any but RU: FR", &any_but, lead("FR"), P),
        case("any but RU: RU", &any_but, lead("RU"), F),
        case(
            "any but RU: not said",
            &any_but,
            set(g.clone(), "applicant.country", Value::Null),
            U,
        )
        .missing(&["applicant.country"]),
        case("TJ or EU but not FR: DE", &tj_or_eu_not_fr, lead("DE"), P),
        case("TJ or EU but not FR: FR", &tj_or_eu_not_fr, lead("FR"), F),
        case("TJ or EU but not FR: TJ", &tj_or_eu_not_fr, lead("TJ"), P),
        case("TJ or EU but not FR: US", &tj_or_eu_not_fr, lead("US"), F),
    ]);
}

#[test]
fn established_in_eu_member_states_follows_the_uk_withdrawal() {
    let eu = json!({"established_in": {"eu_member_states": true}});
    let g = set(good(), "applicant.country", json!("GB"));
    // No deadline: membership on the evaluation date. The UK was a member until 31 January 2020.
    run(vec![
        case("GB on 2020-01-31", &eu, g.clone(), P).on("2020-01-31"),
        case("GB on 2020-02-01", &eu, g.clone(), F).on("2020-02-01"),
        case("GB in 2015", &eu, g.clone(), P).on("2015-06-01"),
        case(
            "HR before its accession on 2013-07-01",
            &eu,
            set(g.clone(), "applicant.country", json!("HR")),
            F,
        )
        .on("2013-06-30"),
        case(
            "HR after",
            &eu,
            set(g.clone(), "applicant.country", json!("HR")),
            P,
        )
        .on("2013-07-01"),
        case(
            "EL is Greece",
            &eu,
            set(g.clone(), "applicant.country", json!("EL")),
            P,
        ),
        case(
            "TJ is not a member",
            &eu,
            set(g.clone(), "applicant.country", json!("TJ")),
            F,
        ),
    ]);
    // With a deadline, membership is read on the deadline's day, not on the evaluation date.
    let before = criterion(
        "deadline",
        json!({"deadline": {"at": "2020-01-31T12:00:00", "zone": "Europe/Brussels"}}),
    );
    let after = criterion(
        "deadline",
        json!({"deadline": {"at": "2020-02-03T12:00:00", "zone": "Europe/Brussels"}}),
    );
    run(vec![
        case(
            "GB, deadline 2020-01-31, evaluated later",
            &eu,
            g.clone(),
            P,
        )
        .on("2020-06-01")
        .extra(before),
        case(
            "GB, deadline 2020-02-03, evaluated earlier",
            &eu,
            g.clone(),
            F,
        )
        .on("2020-01-15")
        .extra(after),
    ]);
}

#[test]
fn who_co_applicants_all_applicants_and_affiliated_entities() {
    let co = json!({"established_in": {"who": "co_applicants", "any_of": ["TJ"]}});
    let all = json!({"non_profit": {"who": "all_applicants"}});
    let aff = json!({"established_in": {"who": "affiliated_entities", "any_of": ["TJ"]}});
    let g = good();
    run(vec![
        case(
            "co: all TJ",
            &co,
            set(
                g.clone(),
                "co_applicants",
                json!([{"country": "TJ"}, {"country": "TJ"}]),
            ),
            P,
        ),
        case(
            "co: one KZ",
            &co,
            set(
                g.clone(),
                "co_applicants",
                json!([{"country": "TJ"}, {"country": "KZ"}]),
            ),
            F,
        )
        .fix("co_applicants[1]", None, "replace this partner"),
        case(
            "co: none, passes",
            &co,
            set(g.clone(), "co_applicants", json!([])),
            P,
        ),
        case(
            "co: list not given",
            &co,
            set(g.clone(), "co_applicants", Value::Null),
            U,
        )
        .missing(&["co_applicants"]),
        case(
            "co: one without a country",
            &co,
            set(g.clone(), "co_applicants", json!([{"country": "TJ"}, {}])),
            U,
        )
        .missing(&["co_applicants[1].country"]),
        case(
            "co: a failure wins over an unknown",
            &co,
            set(g.clone(), "co_applicants", json!([{}, {"country": "KZ"}])),
            F,
        ),
        case("all: lead and co non-profit", &all, g.clone(), P),
        case(
            "all: a co-applicant for profit",
            &all,
            set(
                g.clone(),
                "co_applicants",
                json!([{"non_profit": true}, {"non_profit": false}]),
            ),
            F,
        ),
        case(
            "all: lead for profit",
            &all,
            set(g.clone(), "applicant.non_profit", json!(false)),
            F,
        ),
        case(
            "all: lead non-profit, co-applicants not given",
            &all,
            set(g.clone(), "co_applicants", Value::Null),
            U,
        )
        .missing(&["co_applicants"]),
        // A decisive failure wins even when other answers are unknown.
        case(
            "all: lead for profit, co-applicants not given",
            &all,
            set(
                set(g.clone(), "applicant.non_profit", json!(false)),
                "co_applicants",
                Value::Null,
            ),
            F,
        ),
        case(
            "aff: none given as a list",
            &aff,
            set(g.clone(), "affiliated_entities", json!([])),
            P,
        ),
        case(
            "aff: TJ",
            &aff,
            set(g.clone(), "affiliated_entities", json!([{"country": "TJ"}])),
            P,
        ),
        case(
            "aff: KZ",
            &aff,
            set(g.clone(), "affiliated_entities", json!([{"country": "KZ"}])),
            F,
        ),
        case("aff: not given", &aff, g.clone(), U).missing(&["affiliated_entities"]),
    ]);
}

#[test]
fn registered_counts_whole_years_to_the_evaluation_date_the_deadline_or_a_date() {
    let eval = json!({"registered": {"min_years": 2, "as_of": "evaluation"}});
    let deadline = json!({"registered": {"min_years": 2, "as_of": "deadline"}});
    let fixed = json!({"registered": {"min_years": 3, "as_of": {"date": "2019-12-31"}}});
    let g = good();
    let reg = |d: &str| set(g.clone(), "applicant.registered_on", json!(d));
    run(vec![
        // Registered on the same calendar date two years before qualifies; a day later does not.
        case(
            "evaluation: same calendar date",
            &eval,
            reg("2018-09-04"),
            P,
        ),
        case("evaluation: a day short", &eval, reg("2018-09-05"), F).says("2018-09-04"),
        case("evaluation: long ago", &eval, reg("1999-01-01"), P),
        case(
            "evaluation: not said",
            &eval,
            set(g.clone(), "applicant.registered_on", Value::Null),
            U,
        )
        .missing(&["applicant.registered_on"]),
        // Counted to the deadline (4 September 2020), even when evaluated months later.
        case(
            "deadline: same calendar date",
            &deadline,
            reg("2018-09-04"),
            P,
        )
        .on("2021-03-01")
        .extra(deadline_criterion()),
        case("deadline: a day short", &deadline, reg("2018-09-05"), F)
            .on("2021-03-01")
            .extra(deadline_criterion()),
        case("fixed date: 2016-12-31", &fixed, reg("2016-12-31"), P),
        case("fixed date: 2017-01-01", &fixed, reg("2017-01-01"), F),
    ]);
    // The deadline's calendar date is the one in its own zone: 23:30 in Dushanbe on 4 September
    // is 18:30 UTC on the 4th, but "2020-09-05T01:00:00+05:00" is on the 5th.
    let late = criterion(
        "deadline",
        json!({"deadline": {"at": "2020-09-05T01:00:00+05:00"}}),
    );
    run(vec![
        case(
            "deadline on the 5th in its own offset",
            &deadline,
            reg("2018-09-05"),
            P,
        )
        .extra(late.clone()),
        case(
            "deadline on the 5th: a day short",
            &deadline,
            reg("2018-09-06"),
            F,
        )
        .extra(late),
    ]);
}

#[test]
fn track_record() {
    // Two projects ended in the three years up to 4 September 2020: from 2017-09-04 to 2020-09-04.
    let t = json!({"track_record": {"min_projects": 2, "within_years": 3, "as_of": "evaluation"}});
    let g = good();
    let ended = |days: &[&str]| {
        set(
            g.clone(),
            "applicant.completed_projects",
            Value::Array(days.iter().map(|d| json!({"ended_on": d})).collect()),
        )
    };
    run(vec![
        case(
            "both window ends count",
            &t,
            ended(&["2017-09-04", "2020-09-04"]),
            P,
        ),
        case(
            "one ended too early",
            &t,
            ended(&["2017-09-03", "2020-01-01"]),
            F,
        )
        .fix("applicant.completed_projects", None, "needs 1 more"),
        case(
            "one ends after the date",
            &t,
            ended(&["2019-01-01", "2020-09-05"]),
            F,
        ),
        case("none", &t, ended(&[]), F).fix("applicant.completed_projects", None, "needs 2 more"),
        case(
            "three",
            &t,
            ended(&["2018-01-01", "2019-01-01", "2020-01-01"]),
            P,
        ),
        case(
            "not said",
            &t,
            set(g.clone(), "applicant.completed_projects", Value::Null),
            U,
        )
        .missing(&["applicant.completed_projects"]),
    ]);
}

#[test]
fn not_intermediary() {
    let t = json!({"not_intermediary": {}});
    let g = good();
    run(vec![
        case("manages the action itself", &t, g.clone(), P),
        case(
            "an intermediary",
            &t,
            set(g.clone(), "applicant.intermediary", json!(true)),
            F,
        )
        .fix(
            "applicant.intermediary",
            Some(json!(false)),
            "not act as an intermediary",
        ),
        case(
            "not said",
            &t,
            set(g.clone(), "applicant.intermediary", Value::Null),
            U,
        )
        .missing(&["applicant.intermediary"]),
    ]);
}

#[test]
fn annual_budget() {
    // At least 50 % of the requested 90 000.00 = 45 000.00.
    let of_requested = json!({"annual_budget": {"min_percent": "50", "of": "requested"}});
    // At least 100 % of a fixed 50 000.00.
    let of_amount = json!({"annual_budget": {"min_percent": 100, "of": {"amount": 5000000}}});
    let g = set(good(), "budget.requested", json!(9000000));
    let ab = |v: u64| set(g.clone(), "applicant.annual_budget", json!(v));
    run(vec![
        case("exactly half", &of_requested, ab(4500000), P),
        case("a cent short", &of_requested, ab(4499999), F).fix(
            "budget.requested",
            None,
            "request less",
        ),
        case(
            "not said",
            &of_requested,
            set(g.clone(), "applicant.annual_budget", Value::Null),
            U,
        )
        .missing(&["applicant.annual_budget"]),
        case(
            "request not said",
            &of_requested,
            set(ab(4500000), "budget.requested", Value::Null),
            U,
        )
        .missing(&["budget.requested"]),
        case("fixed: equal", &of_amount, ab(5000000), P),
        case("fixed: a cent short", &of_amount, ab(4999999), F),
        case(
            "fixed: another currency",
            &of_amount,
            set(ab(9000000), "budget.currency", json!("USD")),
            U,
        )
        .missing(&[])
        .says("no exchange-rate conversion"),
    ]);
}

#[test]
fn not_excluded_for_every_situation() {
    let situations = [
        "bankrupt",
        "convicted",
        "grave_misconduct",
        "unpaid_taxes",
        "fraud",
        "breach_of_contract",
    ];
    let mut cases = Vec::new();
    for s in situations {
        let t = json!({"not_excluded": {"situation": s}});
        let g = good();
        cases.push(case(&format!("{s}: declared not"), &t, g.clone(), P));
        cases.push(case(
            &format!("{s}: declared"),
            &t,
            set(g.clone(), &format!("applicant.exclusions.{s}"), json!(true)),
            F,
        ));
        let field: &'static str = Box::leak(format!("applicant.exclusions.{s}").into_boxed_str());
        cases.push(
            case(
                &format!("{s}: not declared"),
                &t,
                set(g.clone(), &format!("applicant.exclusions.{s}"), Value::Null),
                U,
            )
            .missing(&[field]),
        );
        cases.push(
            case(
                &format!("{s}: no declarations"),
                &t,
                set(g.clone(), "applicant.exclusions", Value::Null),
                U,
            )
            .missing(&[field]),
        );
    }
    run(cases);
}

// ---------------------------------------------------------------------------------------------
// partnership
// ---------------------------------------------------------------------------------------------

#[test]
fn partners_count_with_kleene_logic() {
    let min1 = json!({"partners": {"meeting": {"established_in": {"any_of": ["TJ"]}}, "min": 1}});
    let two_to_three = json!({"partners": {"min": 2, "max": 3}});
    let max1 = json!({"partners": {"meeting": {"established_in": {"any_of": ["TJ"]}}, "max": 1}});
    let both = json!({"partners": {"of": "co_applicants_and_affiliated_entities",
                                   "meeting": {"established_in": {"any_of": ["TJ"]}}, "min": 2}});
    let aff = json!({"partners": {"of": "affiliated_entities", "min": 1}});
    let g = good();
    let co = |v: Value| set(g.clone(), "co_applicants", v);
    run(vec![
        case("min 1: one TJ", &min1, co(json!([{"country": "TJ"}])), P),
        case("min 1: one KZ", &min1, co(json!([{"country": "KZ"}])), F).fix(
            "co_applicants",
            None,
            "add 1 more partner meeting the condition",
        ),
        case("min 1: none", &min1, co(json!([])), F),
        case(
            "min 1: list not given",
            &min1,
            set(g.clone(), "co_applicants", Value::Null),
            U,
        )
        .missing(&["co_applicants"]),
        case("min 1: one without a country", &min1, co(json!([{}])), U)
            .missing(&["co_applicants[0].country"]),
        case(
            "min 1: KZ and one unknown",
            &min1,
            co(json!([{"country": "KZ"}, {}])),
            U,
        ),
        case(
            "min 1: TJ and one unknown",
            &min1,
            co(json!([{"country": "TJ"}, {}])),
            P,
        ),
        case("2 to 3: two", &two_to_three, co(json!([{}, {}])), P),
        case("2 to 3: three", &two_to_three, co(json!([{}, {}, {}])), P),
        case("2 to 3: one", &two_to_three, co(json!([{}])), F),
        case(
            "2 to 3: four",
            &two_to_three,
            co(json!([{}, {}, {}, {}])),
            F,
        )
        .fix("co_applicants", None, "at most 3"),
        case(
            "2 to 3: not given",
            &two_to_three,
            set(g.clone(), "co_applicants", Value::Null),
            U,
        ),
        case(
            "max 1: two TJ",
            &max1,
            co(json!([{"country": "TJ"}, {"country": "TJ"}])),
            F,
        ),
        case(
            "max 1: TJ and KZ",
            &max1,
            co(json!([{"country": "TJ"}, {"country": "KZ"}])),
            P,
        ),
        // One certain, one possible: at most one may or may not hold.
        case(
            "max 1: TJ and one unknown",
            &max1,
            co(json!([{"country": "TJ"}, {}])),
            U,
        ),
        case(
            "both lists: TJ + TJ",
            &both,
            set(
                co(json!([{"country": "TJ"}])),
                "affiliated_entities",
                json!([{"country": "TJ"}]),
            ),
            P,
        ),
        case(
            "both lists: TJ, affiliated not given",
            &both,
            co(json!([{"country": "TJ"}])),
            U,
        )
        .missing(&["affiliated_entities"]),
        case(
            "both lists: KZ + KZ",
            &both,
            set(
                co(json!([{"country": "KZ"}])),
                "affiliated_entities",
                json!([{"country": "KZ"}]),
            ),
            F,
        ),
        case(
            "affiliated: one",
            &aff,
            set(g.clone(), "affiliated_entities", json!([{}])),
            P,
        ),
        case(
            "affiliated: none",
            &aff,
            set(g.clone(), "affiliated_entities", json!([])),
            F,
        )
        .fix("affiliated_entities", None, "add 1 more partner"),
    ]);
}

// ---------------------------------------------------------------------------------------------
// action
// ---------------------------------------------------------------------------------------------

#[test]
fn action_country() {
    let t = json!({"action_country": {"any_of": ["TJ"]}});
    let not_af = json!({"action_country": {"none_of": ["AF"]}});
    let g = good();
    run(vec![
        case("in TJ", &t, g.clone(), P),
        case(
            "in KZ",
            &t,
            set(g.clone(), "action.country", json!("KZ")),
            F,
        )
        .fix("action.country", Some(json!(["TJ"])), "only in `TJ`"),
        case(
            "in TJ and KZ: every country must be allowed",
            &t,
            set(g.clone(), "action.countries", json!(["KZ"])),
            F,
        ),
        case(
            "in TJ, listed twice",
            &t,
            set(g.clone(), "action.countries", json!(["TJ"])),
            P,
        ),
        case(
            "only `countries`",
            &t,
            set(
                set(g.clone(), "action.country", Value::Null),
                "action.countries",
                json!(["TJ"]),
            ),
            P,
        ),
        case(
            "not said",
            &t,
            set(g.clone(), "action.country", Value::Null),
            U,
        )
        .missing(&["action.country"]),
        case("none of AF: TJ", &not_af, g.clone(), P),
        case(
            "none of AF: AF",
            &not_af,
            set(g.clone(), "action.country", json!("AF")),
            F,
        )
        .fix("action.country", None, "remove `AF`"),
    ]);
}

#[test]
fn sectors_count_withdrawn_codes_as_their_successors() {
    let t = json!({"sectors": {"any_of": ["15160", "15150"]}});
    let not_hr = json!({"sectors": {"none_of": ["15160"]}});
    // A call written before 2020 names the withdrawn code itself.
    let old = json!({"sectors": {"any_of": ["15162"]}});
    let g = good();
    let s = |v: Value| set(g.clone(), "action.sectors", v);
    run(vec![
        case("15160", &t, s(json!(["15160"])), P),
        case("15150 as a number", &t, s(json!([15150])), P),
        case(
            "withdrawn 15162 counts as 15160",
            &t,
            s(json!(["15162"])),
            P,
        ),
        case(
            "withdrawn 15161 counts as 15151, not listed",
            &t,
            s(json!(["15161"])),
            F,
        ),
        case("11110 only", &t, s(json!(["11110"])), F).fix(
            "action.sectors",
            Some(json!(["15160", "15150"])),
            "add one of `15160`, `15150`",
        ),
        case("one of several", &t, s(json!(["11110", "15150"])), P),
        case("none", &t, s(json!([])), F),
        case(
            "not said",
            &t,
            set(g.clone(), "action.sectors", Value::Null),
            U,
        )
        .missing(&["action.sectors"]),
        case(
            "none of 15160: 15162 is 15160",
            &not_hr,
            s(json!(["15162"])),
            F,
        ),
        case("none of 15160: 15170", &not_hr, s(json!(["15170"])), P),
        case(
            "call names 15162: application says 15162",
            &old,
            s(json!(["15162"])),
            P,
        ),
        case(
            "call names 15162: application says 15160",
            &old,
            s(json!(["15160"])),
            P,
        ),
        case(
            "call names 15162: application says 15170",
            &old,
            s(json!(["15170"])),
            F,
        ),
    ]);
}

#[test]
fn themes_priorities_and_activities() {
    let themes = json!({"themes": {"any_of": ["media", "elections"], "none_of": ["religion"]}});
    let priorities = json!({"priorities": {"any_of": ["strategy-2007/human-rights"]}});
    let activities = json!({"activities": {"none_of": ["sub_granting", "political_campaigns"]}});
    let g = good();
    run(vec![
        case("themes: media", &themes, g.clone(), P),
        case(
            "themes: health",
            &themes,
            set(g.clone(), "action.themes", json!(["health"])),
            F,
        )
        .fix(
            "action.themes",
            Some(json!(["media", "elections"])),
            "add one of",
        ),
        case(
            "themes: media and religion",
            &themes,
            set(g.clone(), "action.themes", json!(["media", "religion"])),
            F,
        )
        .fix("action.themes", None, "remove `religion`"),
        case(
            "themes: none",
            &themes,
            set(g.clone(), "action.themes", json!([])),
            F,
        ),
        case(
            "themes: not said",
            &themes,
            set(g.clone(), "action.themes", Value::Null),
            U,
        )
        .missing(&["action.themes"]),
        case(
            "priorities: served",
            &priorities,
            set(
                g.clone(),
                "action.priorities",
                json!(["strategy-2007/human-rights"]),
            ),
            P,
        ),
        case(
            "priorities: another",
            &priorities,
            set(g.clone(), "action.priorities", json!(["energy"])),
            F,
        ),
        case("priorities: not said", &priorities, g.clone(), U).missing(&["action.priorities"]),
        case("activities: training", &activities, g.clone(), P),
        case(
            "activities: none at all",
            &activities,
            set(g.clone(), "action.activities", json!([])),
            P,
        ),
        case(
            "activities: a campaign",
            &activities,
            set(
                g.clone(),
                "action.activities",
                json!(["training", "political_campaigns"]),
            ),
            F,
        )
        .fix("action.activities", None, "remove `political_campaigns`"),
        case(
            "activities: not said",
            &activities,
            set(g.clone(), "action.activities", Value::Null),
            U,
        )
        .missing(&["action.activities"]),
    ]);
}

#[test]
fn duration() {
    let t = json!({"duration": {"min_months": 24, "max_months": 36}});
    let g = good();
    let m = |n: u32| set(g.clone(), "action.duration_months", json!(n));
    run(vec![
        case("24: the minimum", &t, m(24), P),
        case("36: the maximum", &t, m(36), P),
        case("23", &t, m(23), F).fix("action.duration_months", Some(json!(24)), "extend by 1"),
        case("40", &t, m(40), F).fix(
            "action.duration_months",
            Some(json!(36)),
            "duration 40 months exceeds the maximum of 36: reduce by 4",
        ),
        case(
            "not said",
            &t,
            set(g.clone(), "action.duration_months", Value::Null),
            U,
        )
        .missing(&["action.duration_months"]),
    ]);
}

#[test]
fn start_window() {
    let t = json!({"start": {"from": "2021-01-01", "to": "2021-06-30"}});
    let g = good();
    let s = |d: &str| set(g.clone(), "action.start", json!(d));
    run(vec![
        case("first day", &t, s("2021-01-01"), P),
        case("last day", &t, s("2021-06-30"), P),
        case("a day early", &t, s("2020-12-31"), F).fix(
            "action.start",
            Some(json!("2021-01-01")),
            "on or after",
        ),
        case("a day late", &t, s("2021-07-01"), F).fix(
            "action.start",
            Some(json!("2021-06-30")),
            "on or before",
        ),
        case(
            "not said",
            &t,
            set(g.clone(), "action.start", Value::Null),
            U,
        )
        .missing(&["action.start"]),
    ]);
}

// ---------------------------------------------------------------------------------------------
// money
// ---------------------------------------------------------------------------------------------

#[test]
fn requested() {
    // Between 200 000.00 and 400 000.00 EUR.
    let t = json!({"requested": {"min": 20000000, "max": 40000000}});
    let g = good();
    let r = |v: u64| set(g.clone(), "budget.requested", json!(v));
    run(vec![
        case("the minimum", &t, r(20000000), P),
        case("the maximum", &t, r(40000000), P),
        case("a cent below", &t, r(19999999), F)
            .fix("budget.requested", Some(json!(20000000)), "request at least 0.01 more"),
        case("450 000", &t, r(45000000), F).fix(
            "budget.requested",
            Some(json!(40000000)),
            "request 450 000.00 EUR exceeds 400 000.00 EUR: reduce it by 50 000.00",
        ),
        case("not said", &t, set(g.clone(), "budget.requested", Value::Null), U).missing(&["budget.requested"]),
        case("no budget", &t, set(g.clone(), "budget", Value::Null), U).missing(&["budget.requested"]),
        case("in USD", &t, set(r(30000000), "budget.currency", json!("USD")), U)
            .missing(&[])
            .says("the budget is in USD, the call's amounts in EUR: euca does no exchange-rate conversion"),
    ]);
}

#[test]
fn eu_share() {
    // Direct 10 000.00 + indirect 700.00 + contingency 500.00 = total 11 200.00.
    // 90 % of 11 200.00 = 10 080.00; 80 % = 8 960.00; 50 % = 5 600.00.
    let max90 = json!({"eu_share": {"max_percent": "90"}});
    let below80 = json!({"eu_share": {"max_percent": "80", "max_exclusive": true}});
    let below100 = json!({"eu_share": {"max_percent": 100, "max_exclusive": true}});
    let min50 = json!({"eu_share": {"min_percent": "50"}});
    let b = json!({"direct": 1000000, "indirect": 70000, "contingency": 50000});
    let g = set(good(), "budget", b);
    let r = |v: u64| set(g.clone(), "budget.requested", json!(v));
    run(vec![
        case("exactly 90 %", &max90, r(1008000), P),
        case("a cent over 90 %", &max90, r(1008001), F).fix(
            "budget.requested",
            Some(json!(1008000)),
            "request at most 10 080.00",
        ),
        case("80 % exactly is not below 80 %", &below80, r(896000), F).fix(
            "budget.requested",
            Some(json!(895999)),
            "request at most 8 959.99",
        ),
        case("a cent below 80 %", &below80, r(895999), P),
        case(
            "100 %: an own contribution is required",
            &below100,
            r(1120000),
            F,
        )
        .fix(
            "budget.requested",
            Some(json!(1119999)),
            "must be below 100 %",
        ),
        case("a cent below 100 %", &below100, r(1119999), P),
        case("at least 50 %: exactly", &min50, r(560000), P),
        case("at least 50 %: a cent short", &min50, r(559999), F).fix(
            "budget.requested",
            Some(json!(560000)),
            "request at least 5 600.00",
        ),
        case(
            "contingency not said",
            &max90,
            set(r(1008000), "budget.contingency", Value::Null),
            U,
        )
        .missing(&["budget.contingency"]),
        case("request not said", &max90, g.clone(), U).missing(&["budget.requested"]),
        // A share compares amounts of one budget (all in USD): no conversion is needed.
        case(
            "in USD",
            &max90,
            set(r(1008000), "budget.currency", json!("USD")),
            P,
        ),
    ]);
}

#[test]
fn indirect_and_contingency_caps() {
    // 7 % of 10 000.00 = 700.00; 5 % = 500.00; 7 % of 0.99 = 0.0693 → 0.06 (rounded down).
    let ind = json!({"indirect_cap": {"max_percent": "7"}});
    let con = json!({"contingency_cap": {"max_percent": "5"}});
    let b =
        json!({"direct": 1000000, "indirect": 70000, "contingency": 50000, "requested": 1000000});
    let g = set(good(), "budget", b);
    run(vec![
        case("indirect 7 %", &ind, g.clone(), P),
        case(
            "indirect a cent over",
            &ind,
            set(g.clone(), "budget.indirect", json!(70001)),
            F,
        )
        .fix(
            "budget.indirect",
            Some(json!(70000)),
            "reduce them to at most 700.00 (by 0.01)",
        ),
        case(
            "indirect on 0.99: 0.06 allowed",
            &ind,
            set(
                set(g.clone(), "budget.direct", json!(99)),
                "budget.indirect",
                json!(6),
            ),
            P,
        ),
        case(
            "indirect on 0.99: 0.07 is over",
            &ind,
            set(
                set(g.clone(), "budget.direct", json!(99)),
                "budget.indirect",
                json!(7),
            ),
            F,
        ),
        case(
            "indirect not said",
            &ind,
            set(g.clone(), "budget.indirect", Value::Null),
            U,
        )
        .missing(&["budget.indirect"]),
        case(
            "direct not said",
            &ind,
            set(g.clone(), "budget.direct", Value::Null),
            U,
        )
        .missing(&["budget.direct"]),
        case(
            "direct from the budget lines",
            &ind,
            set(
                set(g.clone(), "budget.direct", Value::Null),
                "budget.lines",
                json!([{"heading": "staff", "amount": 600000}, {"heading": "travel", "amount": 400000}]),
            ),
            P,
        ),
        case("contingency 5 %", &con, g.clone(), P),
        case(
            "contingency a cent over",
            &con,
            set(g.clone(), "budget.contingency", json!(50001)),
            F,
        )
        .fix(
            "budget.contingency",
            Some(json!(50000)),
            "reduce it to at most 500.00",
        ),
        case(
            "contingency not said",
            &con,
            set(g.clone(), "budget.contingency", Value::Null),
            U,
        )
        .missing(&["budget.contingency"]),
    ]);
}

#[test]
fn ineligible_costs() {
    let t = json!({"ineligible_costs": {"categories": ["land", "debt"]}});
    let g = good();
    let lines = |v: Value| set(g.clone(), "budget.lines", v);
    run(vec![
        case("eligible lines", &t, lines(json!([{"heading": "staff", "amount": 100}, {"heading": "travel", "category": "flights", "amount": 5}])), P),
        case("a line buys land", &t,
             lines(json!([{"heading": "staff", "amount": 100}, {"heading": "other", "category": "land", "amount": 5}])), F)
            .fix("budget.lines[1]", None, "remove the line of category `land`"),
        case("lines not given", &t, g.clone(), U).missing(&["budget.lines"]),
    ]);
}

#[test]
fn heading_cap() {
    // Equipment at most 20 % of direct costs (lines: 800.00 staff + 200.00 equipment = 1 000.00).
    let t = json!({"heading_cap": {"heading": "equipment", "max_percent": "20"}});
    let g = set(good(), "budget.direct", Value::Null);
    let lines = |equipment: u64| {
        set(
            g.clone(),
            "budget.lines",
            json!([{"heading": "staff", "amount": 100000 - equipment},
                   {"heading": "equipment", "amount": equipment}]),
        )
    };
    run(vec![
        case("equipment exactly 20 %", &t, lines(20000), P),
        case("no equipment", &t, lines(0), P),
        // Direct costs are the lines' sum, so cutting equipment lowers them too: at most
        // 20 % × 799.90 / 80 % = 199.97, and then 199.97 of 999.87 is within 20 %.
        case("equipment 20.01 %", &t, lines(20010), F).fix(
            "budget.lines",
            Some(json!(19997)),
            "the `equipment` lines (200.10) exceed 20 % of direct costs: reduce them to at most 199.97 (by 0.13)",
        ),
        case(
            "equipment cut as suggested, the staff lines unchanged",
            &t,
            set(
                g.clone(),
                "budget.lines",
                json!([{"heading": "staff", "amount": 79990}, {"heading": "equipment", "amount": 19997}]),
            ),
            P,
        ),
        case(
            "a cent more than suggested",
            &t,
            set(
                g.clone(),
                "budget.lines",
                json!([{"heading": "staff", "amount": 79990}, {"heading": "equipment", "amount": 19998}]),
            ),
            F,
        ),

        case("lines not given", &t, good(), U).missing(&["budget.lines"]),
    ]);
}

// ---------------------------------------------------------------------------------------------
// timing
// ---------------------------------------------------------------------------------------------

#[test]
fn deadline_in_a_zone_to_the_second_across_offsets() {
    // 13:30 Brussels time on 4 September 2020 (summer time, +02:00) is 11:30:00 UTC.
    let brussels = json!({"deadline": {"at": "2020-09-04T13:30:00", "zone": "Europe/Brussels"}});
    let instant = json!({"deadline": {"at": "2020-09-04T11:30:00Z"}});
    let g = good();
    let at = |s: &str| set(g.clone(), "submitted_at", json!(s));
    let mut cases = Vec::new();
    for t in [&brussels, &instant] {
        cases.extend([
            case(
                "+02:00 on the second",
                t,
                at("2020-09-04T13:30:00+02:00"),
                P,
            ),
            case(
                "+02:00 a second late",
                t,
                at("2020-09-04T13:30:01+02:00"),
                F,
            ),
            case(
                "+05:00 on the second",
                t,
                at("2020-09-04T16:30:00+05:00"),
                P,
            ),
            case(
                "+05:00 a second late",
                t,
                at("2020-09-04T16:30:01+05:00"),
                F,
            ),
            case("Z on the second", t, at("2020-09-04T11:30:00Z"), P),
            case("Z a second late", t, at("2020-09-04T11:30:01Z"), F),
            case("a second early", t, at("2020-09-04T11:29:59Z"), P),
            case(
                "zone in brackets",
                t,
                at("2020-09-04T13:30:00[Europe/Brussels]"),
                P,
            ),
            case(
                "Dushanbe zone, a second late",
                t,
                at("2020-09-04T16:30:01[Asia/Dushanbe]"),
                F,
            ),
            case(
                "London summer time",
                t,
                at("2020-09-04T12:30:00[Europe/London]"),
                P,
            ),
            case("a day late", t, at("2020-09-05T09:00:00+02:00"), F),
            case(
                "not said",
                t,
                set(g.clone(), "submitted_at", Value::Null),
                U,
            )
            .missing(&["submitted_at"]),
        ]);
    }
    // In winter Brussels is +01:00: 13:30 on 30 November 2015 is 12:30:00 UTC.
    let winter = json!({"deadline": {"at": "2015-11-30T13:30", "zone": "Europe/Brussels"}});
    cases.extend([
        case("winter: 12:30:00Z", &winter, at("2015-11-30T12:30:00Z"), P).on("2015-12-01"),
        case(
            "winter: 13:30:00+02:00 is 11:30Z",
            &winter,
            at("2015-11-30T13:30:00+02:00"),
            P,
        )
        .on("2015-12-01"),
        case(
            "winter: 13:30:01+01:00",
            &winter,
            at("2015-11-30T13:30:01+01:00"),
            F,
        )
        .on("2015-12-01"),
    ]);
    run(cases);
}

#[test]
fn a_deadline_known_only_by_its_day_is_undetermined_on_that_day() {
    // The day 4 September 2020 begins first at UTC+14 (2020-09-03T10:00:00Z) and ends last at
    // UTC−12 (2020-09-05T12:00:00Z).
    let t = json!({"deadline": {"date": "2020-09-04"}});
    // In Brussels the day runs from 2020-09-03T22:00:00Z to 2020-09-04T22:00:00Z.
    let z = json!({"deadline": {"date": "2020-09-04", "zone": "Europe/Brussels"}});
    let g = good();
    let at = |s: &str| set(g.clone(), "submitted_at", json!(s));
    run(vec![
        case(
            "before the day begins anywhere",
            &t,
            at("2020-09-03T09:59:59Z"),
            P,
        ),
        case(
            "as the day begins at UTC+14",
            &t,
            at("2020-09-03T10:00:00Z"),
            P,
        ),
        case(
            "a second into the day somewhere",
            &t,
            at("2020-09-03T10:00:01Z"),
            U,
        )
        .missing(&[]),
        case(
            "on the day in Brussels",
            &t,
            at("2020-09-04T12:00:00+02:00"),
            U,
        )
        .missing(&[]),
        case(
            "as the day ends at UTC−12",
            &t,
            at("2020-09-05T12:00:00Z"),
            U,
        )
        .missing(&[]),
        case(
            "after the day has ended everywhere",
            &t,
            at("2020-09-05T12:00:01Z"),
            F,
        ),
        case(
            "zone: before the day",
            &z,
            at("2020-09-03T23:59:59+02:00"),
            P,
        ),
        case("zone: on the day", &z, at("2020-09-04T09:00:00+02:00"), U).missing(&[]),
        case(
            "zone: after the day",
            &z,
            at("2020-09-05T00:00:01+02:00"),
            F,
        ),
    ]);
}

#[test]
fn opens() {
    // Opens at midnight Brussels time on 1 June 2020 = 2020-05-31T22:00:00Z.
    let t = json!({"opens": {"at": "2020-06-01T00:00:00", "zone": "Europe/Brussels"}});
    let g = good();
    let at = |s: &str| set(g.clone(), "submitted_at", json!(s));
    run(vec![
        case("as it opens", &t, at("2020-05-31T22:00:00Z"), P),
        case("a second early", &t, at("2020-05-31T21:59:59Z"), F),
        case("later", &t, g.clone(), P),
        case(
            "not said",
            &t,
            set(g.clone(), "submitted_at", Value::Null),
            U,
        )
        .missing(&["submitted_at"]),
    ]);
}

// ---------------------------------------------------------------------------------------------
// composition: all, any, not, if (Kleene)
// ---------------------------------------------------------------------------------------------

/// Two independent leaves: `non_profit` (p) and `not_intermediary` (q), each pass, fail or unknown.
fn pq(p: Outcome, q: Outcome) -> Value {
    let flag = |o: Outcome, pass: bool| match o {
        Outcome::Pass => json!(pass),
        Outcome::Fail => json!(!pass),
        _ => Value::Null,
    };
    let g = set(good(), "applicant.non_profit", flag(p, true));
    set(g, "applicant.intermediary", flag(q, false))
}

#[test]
fn all_any_not_if_follow_kleene_logic() {
    let p = json!({"non_profit": {}});
    let q = json!({"not_intermediary": {}});
    let all = json!({"all": [p, q]});
    let any = json!({"any": [p, q]});
    let not = json!({"not": p});
    let if_then = json!({"if": {"when": p, "then": q}});
    let if_else = json!({"if": {"when": p, "then": q, "else": {"not": q}}});
    let mut cases = Vec::new();
    let outcomes = [P, F, U];
    for a in outcomes {
        for b in outcomes {
            let and = match (a, b) {
                (F, _) | (_, F) => F,
                (U, _) | (_, U) => U,
                _ => P,
            };
            let or = match (a, b) {
                (P, _) | (_, P) => P,
                (U, _) | (_, U) => U,
                _ => F,
            };
            // if p then q (else nothing): p unknown → both branches considered: q, or pass.
            let then_only = match a {
                P => b,
                F => P,
                _ => {
                    if b == P {
                        P
                    } else {
                        U
                    }
                }
            };
            // if p then q else not q: the branches disagree unless q is unknown.
            let not_b = match b {
                P => F,
                F => P,
                o => o,
            };
            let branches = match a {
                P => b,
                F => not_b,
                _ => U,
            };
            cases.push(case(&format!("all {a:?} {b:?}"), &all, pq(a, b), and));
            cases.push(case(&format!("any {a:?} {b:?}"), &any, pq(a, b), or));
            cases.push(case(
                &format!("if {a:?} then {b:?}"),
                &if_then,
                pq(a, b),
                then_only,
            ));
            cases.push(case(
                &format!("if {a:?} then {b:?} else not"),
                &if_else,
                pq(a, b),
                branches,
            ));
        }
        let negated = match a {
            P => F,
            F => P,
            o => o,
        };
        cases.push(case(&format!("not {a:?}"), &not, pq(a, P), negated));
    }
    // Every case above that is unknown names what is missing through the leaves it read.
    for c in &mut cases {
        if c.want == U {
            c.missing = None;
        }
    }
    run(cases);
}

#[test]
fn a_conditional_partnership_requirement_depends_on_where_the_lead_is_established() {
    // A lead established in TJ needs one TJ co-applicant; a lead from elsewhere needs two.
    let tj = json!({"established_in": {"any_of": ["TJ"]}});
    let t = json!({"if": {
        "when": tj,
        "then": {"partners": {"meeting": tj, "min": 1}},
        "else": {"partners": {"meeting": tj, "min": 2}}
    }});
    let g = good();
    let lead =
        |c: Value, co: Value| set(set(g.clone(), "applicant.country", c), "co_applicants", co);
    run(vec![
        case(
            "TJ lead, one TJ partner",
            &t,
            lead(json!("TJ"), json!([{"country": "TJ"}])),
            P,
        ),
        case(
            "TJ lead, no TJ partner",
            &t,
            lead(json!("TJ"), json!([{"country": "KZ"}])),
            F,
        )
        .fix("co_applicants", None, "add 1 more partner"),
        case(
            "DE lead, one TJ partner",
            &t,
            lead(json!("DE"), json!([{"country": "TJ"}])),
            F,
        )
        .fix("co_applicants", None, "add 1 more partner"),
        case(
            "DE lead, two TJ partners",
            &t,
            lead(json!("DE"), json!([{"country": "TJ"}, {"country": "TJ"}])),
            P,
        ),
        // The lead's country unknown: two TJ partners satisfy both branches, one only the first.
        case(
            "lead unknown, two TJ partners",
            &t,
            lead(Value::Null, json!([{"country": "TJ"}, {"country": "TJ"}])),
            P,
        ),
        case(
            "lead unknown, one TJ partner",
            &t,
            lead(Value::Null, json!([{"country": "TJ"}])),
            U,
        )
        .missing(&["applicant.country"]),
        case(
            "lead unknown, no partner",
            &t,
            lead(Value::Null, json!([])),
            F,
        ),
    ]);
}

// ---------------------------------------------------------------------------------------------
// stages, validity, currency
// ---------------------------------------------------------------------------------------------

fn restricted_call() -> Call {
    let mut doc = call_doc(
        "restricted",
        vec![
            criterion("non_profit", json!({"non_profit": {}})),
            json!({
                "id": "registered",
                "statement": "Registered for two years",
                "citation": {"reference": "Guidelines 2.1.1", "source": source()},
                "stage": "full_application",
                "test": {"registered": {"min_years": 2, "as_of": "evaluation"}}
            }),
        ],
    );
    doc["stages"] = json!(["concept_note", "full_application"]);
    compile(&doc)
}

#[test]
fn a_criterion_from_the_full_application_stage_is_not_applicable_at_the_concept_note() {
    let call = restricted_call();
    let a = app(set(good(), "applicant.registered_on", json!("2020-01-01")));
    let concept = call.evaluate(&a, day("2020-09-04"), Some(euca::Stage::ConceptNote));
    assert_eq!(
        check(&concept, "registered").outcome,
        Outcome::NotApplicable
    );
    assert!(
        check(&concept, "registered")
            .message
            .contains("full_application")
    );
    assert_eq!(concept.verdict, Verdict::Eligible);
    assert_eq!(concept.stage, Some(euca::Stage::ConceptNote));
    let full = call.evaluate(&a, day("2020-09-04"), Some(euca::Stage::FullApplication));
    assert_eq!(check(&full, "registered").outcome, Outcome::Fail);
    assert_eq!(full.verdict, Verdict::Ineligible);
    // Without a stage, the last stage: every criterion applies.
    let last = call.evaluate(&a, day("2020-09-04"), None);
    assert_eq!(last.verdict, Verdict::Ineligible);
    assert_eq!(last.stage, Some(euca::Stage::FullApplication));
    // The batch path agrees at both stages.
    let batch = call.evaluate_many(
        std::slice::from_ref(&a),
        day("2020-09-04"),
        Some(euca::Stage::ConceptNote),
    );
    assert_eq!(batch.verdicts, vec![Verdict::Eligible]);
    let batch = call.evaluate_many(std::slice::from_ref(&a), day("2020-09-04"), None);
    assert_eq!(batch.verdicts, vec![Verdict::Ineligible]);
    assert_eq!(batch.failed.get(0).unwrap(), vec!["registered".to_string()]);
    // The explanation says which stage.
    assert!(concept.explain().contains("Stage: concept note."));
}

/// A batch written as JSON reads back equal, through `BatchResult::from_json` and through plain
/// serde; a column of another length than `verdicts` is refused by both, naming the column.
#[test]
fn a_batch_reads_back_and_refuses_columns_of_another_length() {
    let call = compile(&call_doc(
        "x",
        vec![criterion("non_profit", json!({"non_profit": {}}))],
    ));
    let mut for_profit = good();
    for_profit["applicant"]["non_profit"] = json!(false);
    let apps = vec![app(good()), app(for_profit)];
    let batch = call.evaluate_many(&apps, day("2020-09-04"), None);
    assert_eq!(batch.failed.get(1).unwrap(), vec!["non_profit".to_string()]);
    let text = serde_json::to_string(&batch).unwrap();
    assert_eq!(euca::BatchResult::from_json(&text).unwrap(), batch);
    assert_eq!(
        serde_json::from_str::<euca::BatchResult>(&text).unwrap(),
        batch
    );
    // A year euca's own dates do not have, which an evaluation may be asked for, reads back too.
    for far in ["0000-03-01", "+10000-01-01"] {
        let far_batch = call.evaluate_many(&apps, far.parse().unwrap(), None);
        let far_text = serde_json::to_string(&far_batch).unwrap();
        assert!(far_text.contains(far), "{far_text}");
        assert_eq!(euca::BatchResult::from_json(&far_text).unwrap(), far_batch);
    }
    for column in [
        "ids",
        "max_eu_contribution",
        "eu_share",
        "failed",
        "missing",
    ] {
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v[column].as_array_mut().unwrap().pop();
        let e = euca::BatchResult::from_value(&v).unwrap_err();
        assert_eq!(
            problems(e),
            vec![("invalid_value".to_string(), column.to_string())]
        );
        let e = serde_json::from_value::<euca::BatchResult>(v).unwrap_err();
        assert!(
            e.to_string().contains(&format!(
                "column `{column}` has 1 entries but `verdicts` has 2"
            )),
            "{e}"
        );
    }
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["rule_set"] = json!("x");
    assert!(serde_json::from_value::<euca::BatchResult>(v.clone()).is_err());
    let e = euca::BatchResult::from_value_at(&v, "batch").unwrap_err();
    assert_eq!(
        problems(e),
        vec![("unknown_field".to_string(), "batch.rule_set".to_string())]
    );
}

#[test]
fn a_stage_the_call_does_not_have_is_a_compile_error() {
    let doc = call_doc(
        "x",
        vec![json!({
            "id": "late",
            "statement": "A rule of the full application",
            "citation": {"reference": "2.1", "source": source()},
            "stage": "full_application",
            "test": {"non_profit": {}}
        })],
    );
    let found = compile_problems(&doc);
    assert!(
        has_problem(&found, "invalid_value", "criteria[0].stage"),
        "{found:?}"
    );
}

fn instrument_and_call() -> (Dataset, Value) {
    let instrument = json!({
        "id": "test-instrument",
        "version": "2",
        "kind": "instrument",
        "title": "A test instrument",
        "validity": {"from": "2007", "to": "2013"},
        "criteria": [
            criterion("non_profit", json!({"non_profit": {}})),
            criterion("indirect", json!({"indirect_cap": {"max_percent": "7"}})),
            criterion("contingency", json!({"contingency_cap": {"max_percent": "5"}})),
            criterion("duration", json!({"duration": {"max_months": 36}})),
        ],
        "sources": [source()],
    });
    let dataset = data()
        .extend(&json!({"add": {"rule_sets": [instrument]}}).to_string())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let call = json!({
        "id": "test-call-2010",
        "version": "1",
        "kind": "call",
        "title": "A call of the test instrument",
        "extends": "test-instrument",
        "validity": {"from": "2010-03", "to": "2013"},
        "criteria": [criterion("requested", json!({"requested": {"max": 40000000}}))],
        "replace": [criterion("duration", json!({"duration": {"min_months": 12, "max_months": 24}}))],
        "remove": [{"id": "contingency", "reason": "this call does not fund a contingency reserve"}],
        "sources": [source()],
    });
    (dataset, call)
}

#[test]
fn a_call_extends_its_instrument_and_each_criterion_remembers_its_origin() {
    let (dataset, doc) = instrument_and_call();
    let call = compile_in(&doc, &dataset);
    let ids: Vec<(&str, &str)> = call
        .criteria()
        .iter()
        .map(|c| (c.criterion.id.as_str(), c.origin.as_str()))
        .collect();
    assert_eq!(
        ids,
        vec![
            ("non_profit", "test-instrument"),
            ("indirect", "test-instrument"),
            ("duration", "test-call-2010"),
            ("requested", "test-call-2010"),
        ]
    );
    assert_eq!(
        call.chain()
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>(),
        ["test-instrument", "test-call-2010"]
    );
    // The call's own validity, where it has one.
    assert_eq!(call.validity().unwrap().from.to_string(), "2010-03");
    let mut open = doc.clone();
    open.as_object_mut().unwrap().remove("validity");
    let open = compile_in(&open, &dataset);
    // Without a validity of its own, a call is bounded by the start of its instrument's (2007),
    // not by its end (2013): it can run past its regulation's last year, never before its first.
    let v = open.validity().unwrap();
    assert_eq!(
        (v.from.to_string(), v.to.is_none()),
        ("2007".to_string(), true)
    );
    assert!(open.in_force_on(day("2020-01-01")));
    assert!(!open.in_force_on(day("2006-12-31")));
    let a = app(set(good(), "action.duration_months", json!(24)));
    let late = open.evaluate(&a, day("2020-01-01"), None);
    assert_eq!(check(&late, "in_force").outcome, Outcome::Pass);
    let early = open.evaluate(&a, day("2006-06-01"), None);
    let in_force = check(&early, "in_force");
    assert_eq!(in_force.outcome, Outcome::Fail);
    assert_eq!(in_force.origin, "test-instrument");
    assert!(in_force.citation.reference.contains("test-instrument"));
    assert_eq!(early.verdict, Verdict::Ineligible);
    assert_eq!(
        open.verdict(
            &app(set(good(), "action.duration_months", json!(24))),
            day("2006-06-01"),
            None
        ),
        Verdict::Ineligible
    );
    let flat: Value = serde_json::from_str(&call.to_flat_json()).unwrap();
    assert_eq!(flat["criteria"][2]["origin"], "test-call-2010");
    assert_eq!(flat["criteria"][2]["test"]["duration"]["max_months"], 24);
}

#[test]
fn the_rules_must_be_in_force_on_the_evaluation_date() {
    let (dataset, doc) = instrument_and_call();
    let call = compile_in(&doc, &dataset);
    let a = app(set(good(), "action.duration_months", json!(24)));
    let during = call.evaluate(&a, day("2010-05-01"), None);
    assert_eq!(check(&during, "in_force").outcome, Outcome::Pass);
    assert_eq!(during.verdict, Verdict::Eligible);
    // "2013" ends on its last day.
    let last_day = call.evaluate(&a, day("2013-12-31"), None);
    assert_eq!(check(&last_day, "in_force").outcome, Outcome::Pass);
    let after = call.evaluate(&a, day("2014-01-01"), None);
    let in_force = check(&after, "in_force");
    assert_eq!(in_force.outcome, Outcome::Fail);
    assert!(
        in_force.message.contains("not in force on 2014-01-01"),
        "{}",
        in_force.message
    );
    assert_eq!(after.verdict, Verdict::Ineligible);
    assert!(after.explain().contains("in_force"));
    let before = call.evaluate(&a, day("2010-02-28"), None);
    assert_eq!(before.verdict, Verdict::Ineligible);
    let batch = call.evaluate_many(std::slice::from_ref(&a), day("2014-01-01"), None);
    assert_eq!(batch.failed.get(0).unwrap(), vec!["in_force".to_string()]);
    // The decision records what it used, so that it can be reproduced.
    assert_eq!(after.as_of, day("2014-01-01"));
    assert_eq!(after.rule_set.id, "test-call-2010");
    assert_eq!(after.rule_set.version, "1");
    assert_eq!(call.evaluate(&a, day("2014-01-01"), None), after);
}

#[test]
fn an_amount_in_another_currency_leaves_its_checks_undetermined_and_gives_no_grant() {
    let call = compile(&call_doc(
        "money",
        vec![
            criterion("non_profit", json!({"non_profit": {}})),
            criterion("requested", json!({"requested": {"max": 40000000}})),
            criterion("share", json!({"eu_share": {"max_percent": "90"}})),
        ],
    ));
    let a = app(set(good(), "budget.currency", json!("USD")));
    let d = call.evaluate(&a, day("2020-09-04"), None);
    assert_eq!(d.verdict, Verdict::Undetermined);
    assert_eq!(check(&d, "non_profit").outcome, Outcome::Pass);
    let c = check(&d, "requested");
    assert_eq!(c.outcome, Outcome::Unknown);
    assert!(
        c.message.contains("USD") && c.message.contains("no exchange-rate conversion"),
        "{}",
        c.message
    );
    // A share compares amounts of one budget, all in USD: it needs no conversion.
    assert_eq!(check(&d, "share").outcome, Outcome::Pass);
    assert!(
        d.grant.is_none(),
        "no grant across currencies: {:?}",
        d.grant
    );
    let batch = call.evaluate_many(std::slice::from_ref(&a), day("2020-09-04"), None);
    assert_eq!(batch.max_eu_contribution, vec![None]);
    assert_eq!(batch.eu_share, [None::<&str>]);
    // A call in USD takes the same budget at its word.
    let mut usd = call_doc(
        "usd",
        vec![criterion(
            "requested",
            json!({"requested": {"max": 40000000}}),
        )],
    );
    usd["currency"] = json!("USD");
    let d = compile(&usd).evaluate(&a, day("2020-09-04"), None);
    assert_eq!(d.verdict, Verdict::Eligible);
    assert_eq!(d.grant.unwrap().currency.as_str(), "USD");
}

// ---------------------------------------------------------------------------------------------
// the grant
// ---------------------------------------------------------------------------------------------

fn grant_call(extra: Vec<Value>) -> Call {
    let mut criteria = vec![
        criterion("indirect", json!({"indirect_cap": {"max_percent": "7"}})),
        criterion(
            "contingency",
            json!({"contingency_cap": {"max_percent": "5"}}),
        ),
        criterion(
            "requested",
            json!({"requested": {"min": 20000000, "max": 40000000}}),
        ),
        criterion("share", json!({"eu_share": {"max_percent": "90"}})),
    ];
    criteria.extend(extra);
    compile(&call_doc("grant", criteria))
}

#[test]
fn the_grant_within_caps_and_the_maximum_eu_contribution() {
    let call = grant_call(Vec::new());
    // Direct 289 872.00; indirect 20 291.04 = exactly 7 %; contingency 14 493.60 = exactly 5 %.
    // Total eligible 289 872.00 + 20 291.04 + 14 493.60 = 324 656.64.
    // 90 % of it = 292 190.976 → 292 190.97 (rounded down), below the call's 400 000.00.
    // Requested 269 757.00 / 324 656.64 = 83.0900...% → "83.08".
    let d = call.evaluate(&app(good()), day("2020-09-04"), None);
    assert_eq!(d.verdict, Verdict::Eligible);
    let g = d.grant.unwrap();
    assert_eq!(g.direct, 28987200);
    assert_eq!(g.indirect_eligible, 2029104);
    assert_eq!(g.contingency_eligible, 1449360);
    assert_eq!(g.total_eligible, 32465664);
    assert_eq!(g.max_eu_contribution, Some(29219097));
    assert_eq!(g.min_eu_contribution, Some(20000000));
    assert_eq!(g.requested, Some(26975700));
    assert_eq!(g.requested_share.as_deref(), Some("83.08"));

    // Indirect 30 000.00 is over the cap of 20 291.04: only the cap is eligible; the same for a
    // contingency of 20 000.00 over 14 493.60. The totals do not change; the checks fail.
    let over = set(
        set(good(), "budget.indirect", json!(3000000)),
        "budget.contingency",
        json!(2000000),
    );
    let d = call.evaluate(&app(over), day("2020-09-04"), None);
    assert_eq!(d.verdict, Verdict::Ineligible);
    let g = d.grant.unwrap();
    assert_eq!((g.indirect, g.indirect_eligible), (3000000, 2029104));
    assert_eq!((g.contingency, g.contingency_eligible), (2000000, 1449360));
    assert_eq!(g.total_eligible, 32465664);
    assert!(
        g.notes.iter().any(|n| n.contains("above the cap")),
        "{:?}",
        g.notes
    );

    // A large action: direct 500 000.00, indirect 35 000.00, contingency 0 → total 535 000.00;
    // 90 % = 481 500.00, above the call's maximum: the maximum is 400 000.00.
    let large = set(
        set(
            set(good(), "budget.direct", json!(50000000)),
            "budget.indirect",
            json!(3500000),
        ),
        "budget.contingency",
        json!(0),
    );
    let g = call
        .evaluate(&app(large), day("2020-09-04"), None)
        .grant
        .unwrap();
    assert_eq!(g.total_eligible, 53500000);
    assert_eq!(g.max_eu_contribution, Some(40000000));

    // Indirect and contingency not given: counted as 0, and said so.
    let bare = set(
        set(good(), "budget.indirect", Value::Null),
        "budget.contingency",
        Value::Null,
    );
    let g = call
        .evaluate(&app(bare), day("2020-09-04"), None)
        .grant
        .unwrap();
    assert_eq!(g.total_eligible, 28987200);
    // 90 % of 289 872.00 = 260 884.80.
    assert_eq!(g.max_eu_contribution, Some(26088480));
    assert!(
        g.notes
            .iter()
            .any(|n| n.contains("indirect costs are not given"))
    );
}

#[test]
fn grant_rounding_is_down_to_the_cent_and_an_exclusive_maximum_stays_below() {
    let call = compile(&call_doc(
        "r",
        vec![criterion(
            "share",
            json!({"eu_share": {"max_percent": "90"}}),
        )],
    ));
    // 90 % of 0.99 = 0.891 → 0.89.
    let tiny = json!({"budget": {"direct": 99, "indirect": 0, "contingency": 0, "requested": 89}});
    let g = call
        .evaluate(&app(tiny), day("2020-09-04"), None)
        .grant
        .unwrap();
    assert_eq!(g.max_eu_contribution, Some(89));
    // 33.3333 % of 100.00 = 33.33333 → 33.33.
    let third = compile(&call_doc(
        "t",
        vec![criterion(
            "share",
            json!({"eu_share": {"max_percent": "33.3333"}}),
        )],
    ));
    let b =
        json!({"budget": {"direct": 10000, "indirect": 0, "contingency": 0, "requested": 3333}});
    let d = third.evaluate(&app(b), day("2020-09-04"), None);
    assert_eq!(d.grant.unwrap().max_eu_contribution, Some(3333));
    assert_eq!(d.verdict, Verdict::Eligible);
    // Below 100 % of 11 200.00: at most 11 199.99.
    let below = compile(&call_doc(
        "b",
        vec![criterion(
            "share",
            json!({"eu_share": {"max_percent": 100, "max_exclusive": true}}),
        )],
    ));
    let b = json!({"budget": {"direct": 1000000, "indirect": 70000, "contingency": 50000, "requested": 1000000}});
    assert_eq!(
        below
            .evaluate(&app(b.clone()), day("2020-09-04"), None)
            .grant
            .unwrap()
            .max_eu_contribution,
        Some(1119999)
    );
    // Below 95 % of 100.01 = 95.0095 → 95.00 (not exact, so the cent rounded down is already below).
    let b95 = compile(&call_doc(
        "b95",
        vec![criterion(
            "share",
            json!({"eu_share": {"max_percent": 95, "max_exclusive": true}}),
        )],
    ));
    let odd = json!({"budget": {"direct": 10001, "indirect": 0, "contingency": 0}});
    assert_eq!(
        b95.evaluate(&app(odd), day("2020-09-04"), None)
            .grant
            .unwrap()
            .max_eu_contribution,
        Some(9500)
    );
    // Only a call maximum: the least of it and the total eligible costs.
    let only_max = compile(&call_doc(
        "m",
        vec![criterion("req", json!({"requested": {"max": 40000000}}))],
    ));
    let small = json!({"budget": {"direct": 1000000}});
    assert_eq!(
        only_max
            .evaluate(&app(small), day("2020-09-04"), None)
            .grant
            .unwrap()
            .max_eu_contribution,
        Some(1000000)
    );
    // No limit at all: no maximum.
    let none = compile(&call_doc(
        "n",
        vec![criterion("np", json!({"non_profit": {}}))],
    ));
    let g = none
        .evaluate(&app(good()), day("2020-09-04"), None)
        .grant
        .unwrap();
    assert_eq!(g.max_eu_contribution, None);
    assert_eq!(g.total_eligible, 32465664);
    // No direct costs: no grant.
    assert!(
        none.evaluate(
            &app(json!({"budget": {"requested": 5}})),
            day("2020-09-04"),
            None
        )
        .grant
        .is_none()
    );
}

#[test]
fn conditional_caps_with_an_unknown_condition_use_the_stricter_branch() {
    let tj = json!({"established_in": {"any_of": ["TJ"]}});
    // The EU share may be 95 % when the lead is local, else 90 %; indirect costs 10 % when local,
    // else 7 %; the request at most 400 000.00 when local, else 300 000.00.
    let call = compile(&call_doc(
        "cond",
        vec![
            criterion(
                "share",
                json!({"if": {"when": tj, "then": {"eu_share": {"max_percent": "95"}},
                                              "else": {"eu_share": {"max_percent": "90"}}}}),
            ),
            criterion(
                "indirect",
                json!({"if": {"when": tj, "then": {"indirect_cap": {"max_percent": "10"}},
                                                 "else": {"indirect_cap": {"max_percent": "7"}}}}),
            ),
            criterion(
                "requested",
                json!({"if": {"when": tj, "then": {"requested": {"max": 40000000}},
                                                  "else": {"requested": {"max": 30000000}}}}),
            ),
        ],
    ));
    // Direct 1 000 000.00, indirect 100 000.00, contingency 0.
    let b =
        json!({"direct": 100000000, "indirect": 10000000, "contingency": 0, "requested": 20000000});
    let base = set(good(), "budget", b);
    // Local lead: indirect 100 000.00 = 10 % is eligible; total 1 100 000.00; 95 % = 1 045 000.00;
    // the call's maximum 400 000.00 is less.
    let local = call
        .evaluate(&app(base.clone()), day("2020-09-04"), None)
        .grant
        .unwrap();
    assert_eq!(local.indirect_eligible, 10000000);
    assert_eq!(local.total_eligible, 110000000);
    assert_eq!(local.max_eu_contribution, Some(40000000));
    // Foreign lead: indirect within 7 % = 70 000.00; total 1 070 000.00; maximum 300 000.00.
    let foreign = call.evaluate(
        &app(set(base.clone(), "applicant.country", json!("DE"))),
        day("2020-09-04"),
        None,
    );
    let g = foreign.grant.unwrap();
    assert_eq!(g.indirect_eligible, 7000000);
    assert_eq!(g.total_eligible, 107000000);
    assert_eq!(g.max_eu_contribution, Some(30000000));
    // Unknown: the stricter branch of each, and a note that says so.
    let unknown = call.evaluate(
        &app(set(base.clone(), "applicant.country", Value::Null)),
        day("2020-09-04"),
        None,
    );
    let g = unknown.grant.unwrap();
    assert_eq!(
        g.indirect_eligible, 7000000,
        "the stricter indirect cap (7 %)"
    );
    assert_eq!(g.total_eligible, 107000000);
    assert_eq!(g.max_eu_contribution, Some(30000000));
    assert!(
        g.notes.iter().any(|n| n.contains("stricter branch")),
        "{:?}",
        g.notes
    );
    // A share cap that binds: small budget, direct 100 000.00, no indirect: 90 % = 90 000.00.
    let small = set(
        set(base, "applicant.country", Value::Null),
        "budget.direct",
        json!(10000000),
    );
    let small = set(small, "budget.indirect", json!(0));
    let g = call
        .evaluate(&app(small), day("2020-09-04"), None)
        .grant
        .unwrap();
    assert_eq!(g.max_eu_contribution, Some(9000000));
}

#[test]
fn a_conditional_minimum_with_an_unknown_condition_uses_the_stricter_branch() {
    let tj = json!({"established_in": {"any_of": ["TJ"]}});
    let call = compile(&call_doc(
        "cond-min",
        vec![criterion(
            "requested",
            json!({"if": {"when": tj, "then": {"requested": {"min": 5000000}},
                                                   "else": {"requested": {"min": 10000000}}}}),
        )],
    ));
    let a = set(
        set(good(), "applicant.country", Value::Null),
        "budget.requested",
        json!(20000000),
    );
    let g = call
        .evaluate(&app(a), day("2020-09-04"), None)
        .grant
        .unwrap();
    assert_eq!(g.min_eu_contribution, Some(10000000));
}

// ---------------------------------------------------------------------------------------------
// missing fields, recourse and explanations
// ---------------------------------------------------------------------------------------------

#[test]
fn missing_fields_are_ranked_and_one_that_settles_the_verdict_says_so() {
    let call = compile(&call_doc(
        "m",
        vec![
            criterion("non_profit", json!({"non_profit": {}})),
            criterion("requested", json!({"requested": {"max": 40000000}})),
            criterion("share", json!({"eu_share": {"max_percent": "90"}})),
            criterion("duration", json!({"duration": {"max_months": 36}})),
        ],
    ));
    // Request and non-profit status missing: the request holds up two criteria (each waiting
    // only for it), the status one. Neither alone settles the verdict.
    let a = set(
        set(good(), "budget.requested", Value::Null),
        "applicant.non_profit",
        Value::Null,
    );
    let d = call.evaluate(&app(a), day("2020-09-04"), None);
    assert_eq!(d.verdict, Verdict::Undetermined);
    let fields: Vec<&str> = d.missing.iter().map(|m| m.field.as_str()).collect();
    assert_eq!(fields, ["budget.requested", "applicant.non_profit"]);
    assert_eq!(d.missing[0].criteria, ["requested", "share"]);
    assert!(d.missing.iter().all(|m| !m.settles));
    // The recourse of an undetermined application is the questions, in the same order.
    assert!(d.recourse.iter().all(|r| r.kind == RecourseKind::Answer));
    assert_eq!(
        d.recourse
            .iter()
            .map(|r| r.field.as_str())
            .collect::<Vec<_>>(),
        ["budget.requested", "applicant.non_profit"]
    );
    assert_eq!(
        d.recourse[0].message,
        "How much EU contribution is requested?"
    );
    assert_eq!(
        d.recourse[1].message,
        "Is the lead applicant non-profit-making?"
    );
    // Only the request missing: its answer alone settles the verdict.
    let a = set(good(), "budget.requested", Value::Null);
    let d = call.evaluate(&app(a), day("2020-09-04"), None);
    assert_eq!(d.missing.len(), 1);
    assert!(d.missing[0].settles);
    // A field that one criterion waits for alone comes before one that shares a criterion with
    // another field: the contingency and the direct costs both hold up `share`, the duration
    // holds up `duration` alone.
    let a = set(
        set(
            set(good(), "budget.contingency", Value::Null),
            "budget.direct",
            Value::Null,
        ),
        "action.duration_months",
        Value::Null,
    );
    let d = call.evaluate(&app(a), day("2020-09-04"), None);
    let fields: Vec<&str> = d.missing.iter().map(|m| m.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "action.duration_months",
            "budget.contingency",
            "budget.direct"
        ]
    );
    // A failure already decides: nothing settles it, and the recourse is the change, not questions.
    let a = set(
        set(good(), "budget.requested", Value::Null),
        "action.duration_months",
        json!(40),
    );
    let d = call.evaluate(&app(a), day("2020-09-04"), None);
    assert_eq!(d.verdict, Verdict::Ineligible);
    assert!(d.missing.iter().all(|m| !m.settles));
    assert_eq!(d.recourse.len(), 1);
    assert_eq!(d.recourse[0].kind, RecourseKind::Change);
    assert_eq!(d.recourse[0].criterion, "duration");
}

#[test]
fn recourse_is_limited_to_what_an_applicant_can_change() {
    let call = compile(&call_doc(
        "r",
        vec![
            criterion(
                "registered",
                json!({"registered": {"min_years": 2, "as_of": "evaluation"}}),
            ),
            criterion("country", json!({"established_in": {"any_of": ["TJ"]}})),
            criterion("duration", json!({"duration": {"max_months": 36}})),
            criterion("requested", json!({"requested": {"max": 40000000}})),
        ],
    ));
    let a = set(
        set(
            set(
                set(good(), "applicant.registered_on", json!("2020-01-01")),
                "applicant.country",
                json!("KZ"),
            ),
            "action.duration_months",
            json!(40),
        ),
        "budget.requested",
        json!(45000000),
    );
    let d = call.evaluate(&app(a), day("2020-09-04"), None);
    assert_eq!(d.verdict, Verdict::Ineligible);
    // The lead's registration date and country cannot be changed: no recourse for them.
    let on: Vec<&str> = d.recourse.iter().map(|r| r.criterion.as_str()).collect();
    assert_eq!(on, ["duration", "requested"]);
    assert_eq!(
        d.recourse[0].message,
        "duration 40 months exceeds the maximum of 36: reduce by 4"
    );
    assert_eq!(
        d.recourse[1].message,
        "request 450 000.00 EUR exceeds 400 000.00 EUR: reduce it by 50 000.00"
    );
}

#[test]
fn recourse_inside_any_offers_each_branch() {
    let call = compile(&call_doc(
        "any",
        vec![criterion(
            "short_or_small",
            json!({"any": [
                {"duration": {"max_months": 24}},
                {"requested": {"max": 20000000}}
            ]}),
        )],
    ));
    let d = call.evaluate(&app(good()), day("2020-09-04"), None);
    assert_eq!(d.verdict, Verdict::Ineligible);
    let fields: Vec<&str> = d.recourse.iter().map(|r| r.field.as_str()).collect();
    assert_eq!(fields, ["action.duration_months", "budget.requested"]);
    assert!(d.recourse.iter().all(|r| r.message.starts_with("either: ")));
}

#[test]
fn explain_names_the_verdict_the_failed_criteria_with_their_citations_and_the_recourse() {
    let call = compile(&call_doc(
        "explained",
        vec![
            criterion("non_profit", json!({"non_profit": {}})),
            criterion("duration", json!({"duration": {"max_months": 36}})),
            criterion(
                "registered",
                json!({"registered": {"min_years": 2, "as_of": "evaluation"}}),
            ),
        ],
    ));
    let a = set(
        set(good(), "action.duration_months", json!(40)),
        "applicant.registered_on",
        Value::Null,
    );
    let d = call.evaluate(&app(a), day("2020-09-04"), None);
    let text = d.explain();
    assert!(text.contains("INELIGIBLE"), "{text}");
    assert!(text.contains("explained (version 1)"), "{text}");
    assert!(text.contains("as of 2020-09-04"), "{text}");
    assert!(text.contains("✗ duration"), "{text}");
    assert!(text.contains("Guidelines 2.1 (duration)"), "{text}");
    assert!(
        text.contains("https://example.org/guidelines.pdf"),
        "{text}"
    );
    assert!(
        text.contains("duration 40 months exceeds the maximum of 36: reduce by 4"),
        "{text}"
    );
    assert!(text.contains("? registered"), "{text}");
    assert!(text.contains("✓ non_profit"), "{text}");
    assert!(
        text.contains("1 of 3 criteria are met, 1 are not, 1 cannot be told yet"),
        "{text}"
    );
    // An undetermined decision explains the questions to answer.
    let a = set(good(), "applicant.registered_on", Value::Null);
    let text = call.evaluate(&app(a), day("2020-09-04"), None).explain();
    assert!(text.contains("UNDETERMINED"), "{text}");
    assert!(
        text.contains("When was the lead applicant registered?"),
        "{text}"
    );
    // An eligible one says so and gives the grant.
    let text = call
        .evaluate(&app(good()), day("2020-09-04"), None)
        .explain();
    assert!(
        text.contains("ELIGIBLE") && !text.contains("INELIGIBLE"),
        "{text}"
    );
    assert!(text.contains("total eligible costs 324 656.64"), "{text}");
}

#[test]
fn decisions_are_data_that_serialise() {
    let call = grant_call(Vec::new());
    let d = call.evaluate(&app(good()), day("2020-09-04"), None);
    let v = serde_json::to_value(&d).unwrap();
    assert_eq!(v["verdict"], "eligible");
    assert_eq!(v["as_of"], "2020-09-04");
    assert_eq!(v["rule_set"], json!({"id": "grant", "version": "1"}));
    assert_eq!(v["application"], "good");
    assert_eq!(v["checks"][0]["outcome"], "pass");
    assert_eq!(
        v["checks"][0]["citation"]["reference"],
        "Guidelines 2.1 (indirect)"
    );
    assert_eq!(v["checks"][0]["read"]["budget.indirect"], 2029104);
    assert_eq!(v["grant"]["max_eu_contribution"], 29219097);
    let back: Decision = serde_json::from_value(v).unwrap();
    assert_eq!(back, d);
}

// ---------------------------------------------------------------------------------------------
// compile errors and document errors
// ---------------------------------------------------------------------------------------------

#[test]
fn extends_naming_no_rule_set_is_an_error() {
    let mut doc = call_doc("orphan", vec![criterion("np", json!({"non_profit": {}}))]);
    doc["extends"] = json!("no-such-instrument");
    let found = compile_problems(&doc);
    assert_eq!(
        found,
        vec![("unresolved_reference".to_string(), "extends".to_string())]
    );
    // Its overrides cannot be checked against a parent that is not there: one problem, not three.
    doc["replace"] = json!([criterion(
        "duration",
        json!({"duration": {"max_months": 24}})
    )]);
    doc["remove"] = json!([{"id": "contingency", "reason": "x"}]);
    let found = compile_problems(&doc);
    assert_eq!(
        found,
        vec![("unresolved_reference".to_string(), "extends".to_string())]
    );
}

#[test]
fn a_cycle_of_extends_is_an_error() {
    let a = json!({"id": "cycle-a", "version": "1", "kind": "call", "title": "A", "extends": "cycle-b",
                   "criteria": [criterion("x", json!({"non_profit": {}}))], "sources": [source()]});
    let b = json!({"id": "cycle-b", "version": "1", "kind": "call", "title": "B", "extends": "cycle-a",
                   "criteria": [criterion("y", json!({"non_profit": {}}))], "sources": [source()]});
    // Two user rule sets that extend each other cannot join a dataset.
    let e = data()
        .extend(&json!({"add": {"rule_sets": [a.clone(), b.clone()]}}).to_string())
        .expect_err("a cycle");
    let found = problems(e);
    assert!(
        found
            .iter()
            .any(|(c, p)| c == "circular_extends" && p.starts_with("add.rule_sets[")),
        "{found:?}"
    );
    // A call that a dataset's rule set extends cannot itself extend that rule set.
    let base = json!({"id": "cycle-a", "version": "1", "kind": "instrument", "title": "A",
                      "criteria": [criterion("x", json!({"non_profit": {}}))], "sources": [source()]});
    let dataset = data()
        .extend(&json!({"add": {"rule_sets": [base, b]}}).to_string())
        .unwrap();
    let e = Call::from_value_with(&a, &dataset).expect_err("a cycle");
    assert_eq!(
        problems(e),
        vec![("circular_extends".to_string(), "extends".to_string())]
    );
}

#[test]
fn overrides_of_unknown_criteria_and_overrides_twice_are_errors() {
    let (dataset, doc) = instrument_and_call();
    let mut unknown = doc.clone();
    unknown["replace"] = json!([criterion("no_such", json!({"non_profit": {}}))]);
    unknown["remove"] = json!([{"id": "nor_this", "reason": "x"}]);
    let found = problems(Call::from_value_with(&unknown, &dataset).unwrap_err());
    assert!(
        has_problem(&found, "unknown_criterion", "replace[0].id"),
        "{found:?}"
    );
    assert!(
        has_problem(&found, "unknown_criterion", "remove[0].id"),
        "{found:?}"
    );
    // A bad country code does not hide them: every problem is reported at once.
    let mut country = unknown.clone();
    country["country"] = json!("XX");
    let found = problems(Call::from_value_with(&country, &dataset).unwrap_err());
    for (code, path) in [
        ("invalid_value", "country"),
        ("unknown_criterion", "replace[0].id"),
        ("unknown_criterion", "remove[0].id"),
    ] {
        assert!(
            has_problem(&found, code, path),
            "{code} at {path}: {found:?}"
        );
    }
    // Replaced twice, or replaced and removed: never a silent first match.
    let mut twice = doc.clone();
    twice["replace"] = json!([
        criterion("duration", json!({"duration": {"max_months": 24}})),
        criterion("duration", json!({"duration": {"max_months": 30}})),
    ]);
    let found = problems(Call::from_value_with(&twice, &dataset).unwrap_err());
    assert!(
        has_problem(&found, "conflicting_override", "replace[1].id"),
        "{found:?}"
    );
    let mut both = doc.clone();
    both["remove"] = json!([{"id": "duration", "reason": "x"}]);
    let found = problems(Call::from_value_with(&both, &dataset).unwrap_err());
    assert!(
        has_problem(&found, "conflicting_override", "replace[0].id"),
        "{found:?}"
    );
    // An instrument has nothing to replace.
    let mut inst = call_doc("i", vec![criterion("np", json!({"non_profit": {}}))]);
    inst["kind"] = json!("instrument");
    inst["replace"] = json!([criterion("np", json!({"non_profit": {}}))]);
    let found = compile_problems(&inst);
    assert!(
        has_problem(&found, "unknown_criterion", "replace[0].id"),
        "{found:?}"
    );
}

#[test]
fn a_duplicate_criterion_id_is_an_error() {
    let doc = call_doc(
        "dup",
        vec![
            criterion("np", json!({"non_profit": {}})),
            criterion("np", json!({"not_intermediary": {}})),
        ],
    );
    assert!(has_problem(
        &compile_problems(&doc),
        "duplicate_id",
        "criteria[1].id"
    ));
    // Adding a criterion a call inherits, instead of replacing it.
    let (dataset, mut doc) = instrument_and_call();
    doc["criteria"] = json!([criterion("non_profit", json!({"non_profit": {}}))]);
    let found = problems(Call::from_value_with(&doc, &dataset).unwrap_err());
    assert!(
        has_problem(&found, "duplicate_id", "criteria[0].id"),
        "{found:?}"
    );
}

#[test]
fn partners_meeting_takes_organisation_tests_only() {
    let doc = call_doc(
        "p",
        vec![criterion(
            "p",
            json!({"partners": {"meeting": {"duration": {"max_months": 3}}, "min": 1}}),
        )],
    );
    assert!(has_problem(
        &compile_problems(&doc),
        "invalid_value",
        "criteria[0].test.partners.meeting"
    ));
    let doc = call_doc(
        "p",
        vec![criterion(
            "p",
            json!({"partners": {"meeting": {"non_profit": {}}}}),
        )],
    );
    assert!(has_problem(
        &compile_problems(&doc),
        "invalid_value",
        "criteria[0].test.partners"
    ));
    // An organisation test in `all` is fine.
    let ok = call_doc(
        "p",
        vec![criterion(
            "p",
            json!({"partners": {"meeting": {"all": [{"non_profit": {}}, {"established_in": {"any_of": ["TJ"]}}]}, "min": 1}}),
        )],
    );
    compile(&ok);
}

#[test]
fn deadlines_that_cannot_be_resolved_are_errors_with_their_codes() {
    let bad = |test: Value| compile_problems(&call_doc("d", vec![criterion("deadline", test)]));
    let found = bad(json!({"deadline": {"at": "2020-09-04T13:30:00", "zone": "Europe/Atlantis"}}));
    assert!(
        has_problem(
            &found,
            "unknown_time_zone",
            "criteria[0].test.deadline.zone"
        ),
        "{found:?}"
    );
    let found = bad(json!({"deadline": {"at": "2020-09-04T13:30:00"}}));
    assert!(
        has_problem(&found, "naive_datetime", "criteria[0].test.deadline.at"),
        "{found:?}"
    );
    let found = bad(json!({"deadline": {"at": "4 September, 13:30", "zone": "Europe/Brussels"}}));
    assert!(
        has_problem(&found, "invalid_instant", "criteria[0].test.deadline.at"),
        "{found:?}"
    );
    // 02:30 on 29 March 2020 did not happen in Brussels.
    let found = bad(json!({"deadline": {"at": "2020-03-29T02:30:00", "zone": "Europe/Brussels"}}));
    assert!(
        has_problem(&found, "invalid_instant", "criteria[0].test.deadline.at"),
        "{found:?}"
    );
    let found = bad(json!({"deadline": {}}));
    assert!(
        has_problem(&found, "invalid_value", "criteria[0].test.deadline"),
        "{found:?}"
    );
    let found = bad(json!({"opens": {"date": "2020-06-01", "zone": "Mars/Olympus"}}));
    assert!(
        has_problem(&found, "unknown_time_zone", "criteria[0].test.opens.zone"),
        "{found:?}"
    );
    // Counting to a deadline needs one.
    let found = compile_problems(&call_doc(
        "d",
        vec![criterion(
            "r",
            json!({"registered": {"min_years": 1, "as_of": "deadline"}}),
        )],
    ));
    assert!(
        has_problem(&found, "invalid_value", "criteria"),
        "{found:?}"
    );
}

#[test]
fn parameters_the_types_cannot_check_are_checked_with_their_paths() {
    let found = compile_problems(&call_doc(
        "params",
        vec![
            criterion(
                "a",
                json!({"established_in": {"any_of": ["tj", "TJ"], "none_of": ["Kazakhstan"]}}),
            ),
            criterion(
                "b",
                json!({"duration": {"min_months": 40, "max_months": 36}}),
            ),
            criterion("c", json!({"requested": {}})),
            criterion("d", json!({"all": []})),
            criterion("e", json!({"themes": {}})),
            criterion("f", json!({"established_in": {}})),
        ],
    ));
    for (code, path) in [
        ("invalid_value", "criteria[0].test.established_in.any_of[0]"),
        (
            "invalid_value",
            "criteria[0].test.established_in.none_of[0]",
        ),
        ("invalid_value", "criteria[1].test.duration.min_months"),
        ("invalid_value", "criteria[2].test.requested"),
        ("invalid_value", "criteria[3].test.all"),
        ("invalid_value", "criteria[4].test.themes"),
        ("invalid_value", "criteria[5].test.established_in"),
    ] {
        assert!(
            has_problem(&found, code, path),
            "{code} at {path}: {found:?}"
        );
    }
    assert_eq!(found.len(), 7, "{found:?}");
}

#[test]
fn unknown_fields_in_rule_sets_are_reported_with_their_paths() {
    let mut doc = call_doc(
        "typos",
        vec![
            criterion("a", json!({"duration": {"max_month": 36}})),
            criterion("b", json!({"non_profit": {"whom": "lead"}})),
        ],
    );
    doc["titel"] = json!("typo");
    doc["criteria"][1]["statment"] = json!("typo");
    let found = compile_problems(&doc);
    for path in [
        "titel",
        "criteria[0].test.duration.max_month",
        "criteria[1].statment",
        "criteria[1].test.non_profit.whom",
    ] {
        assert!(
            has_problem(&found, "unknown_field", path),
            "{path}: {found:?}"
        );
    }
    // A kind that does not exist.
    let found = compile_problems(&call_doc(
        "k",
        vec![criterion("a", json!({"durations": {"max_months": 36}}))],
    ));
    assert!(
        found
            .iter()
            .any(|(c, p)| c == "invalid_value" && p == "criteria[0].test"),
        "{found:?}"
    );
}

#[test]
fn money_in_rule_sets_is_whole_cents() {
    let found = compile_problems(&call_doc(
        "m",
        vec![criterion("r", json!({"requested": {"max": 1.5}}))],
    ));
    assert!(
        has_problem(
            &found,
            "over_precise_money",
            "criteria[0].test.requested.max"
        ),
        "{found:?}"
    );
    let found = compile_problems(&call_doc(
        "m",
        vec![criterion("r", json!({"requested": {"min": -1}}))],
    ));
    assert!(
        has_problem(&found, "negative_money", "criteria[0].test.requested.min"),
        "{found:?}"
    );
    let found = compile_problems(&call_doc(
        "m",
        vec![criterion(
            "r",
            json!({"eu_share": {"max_percent": "90.12345"}}),
        )],
    ));
    assert!(
        has_problem(
            &found,
            "invalid_value",
            "criteria[0].test.eu_share.max_percent"
        ),
        "{found:?}"
    );
    // Whole cents written as a string or a float are fine.
    compile(&call_doc(
        "m",
        vec![criterion(
            "r",
            json!({"requested": {"min": "100.00", "max": 40000000.0}}),
        )],
    ));
}

#[test]
fn application_errors_carry_codes_and_paths_and_all_are_collected() {
    let e = Application::from_value(&json!({
        "submitted_at": "2020-09-04T13:30:00",
        "budget": {"requested": 2500.5, "indirect": -3, "direct": "12.5", "currency": "euro"},
        "applicant": {"non_proft": true, "country": "TJ", "registered_on": "2020-02-30"},
        "action": {"duration_months": -1, "sectors": [true]},
        "extra": 1
    }))
    .unwrap_err();
    let found = problems(e);
    for (code, path) in [
        ("naive_datetime", "submitted_at"),
        ("over_precise_money", "budget.requested"),
        ("negative_money", "budget.indirect"),
        ("over_precise_money", "budget.direct"),
        ("invalid_value", "budget.currency"),
        ("unknown_field", "applicant.non_proft"),
        ("unknown_field", "extra"),
        ("invalid_date", "applicant.registered_on"),
        ("invalid_value", "action.duration_months"),
        ("invalid_type", "action.sectors[0]"),
    ] {
        assert!(
            has_problem(&found, code, path),
            "{code} at {path}: {found:?}"
        );
    }
    // Problems in several members of a list are all reported.
    let found = problems(
        Application::from_value(&json!({"co_applicants": [
            {"country": 7, "non_profit": "yes"},
            {"registered_on": "yesterday"},
            {"annual_budget": 0.5}
        ]}))
        .unwrap_err(),
    );
    for (code, path) in [
        ("invalid_type", "co_applicants[0].country"),
        ("invalid_type", "co_applicants[0].non_profit"),
        ("invalid_date", "co_applicants[1].registered_on"),
        ("over_precise_money", "co_applicants[2].annual_budget"),
    ] {
        assert!(
            has_problem(&found, code, path),
            "{code} at {path}: {found:?}"
        );
    }
    let e = Application::from_json("[1, 2]").unwrap_err();
    assert_eq!(e.code(), Code::InvalidType);
    let e = Application::from_json("{").unwrap_err();
    assert_eq!(e.code(), Code::InvalidJson);
    // Time zones and instants.
    let found = problems(
        Application::from_value(&json!({"submitted_at": "2020-09-04T13:30:00[Europe/Atlantis]"}))
            .unwrap_err(),
    );
    assert_eq!(
        found,
        vec![("unknown_time_zone".to_string(), "submitted_at".to_string())]
    );
    let found = problems(Application::from_value(&json!({"submitted_at": "soon"})).unwrap_err());
    assert_eq!(
        found,
        vec![("invalid_instant".to_string(), "submitted_at".to_string())]
    );
}

#[test]
fn a_deeply_nested_application_is_an_error_not_a_stack_overflow() {
    let deep = format!("{{\"x\": {}1{}}}", "[".repeat(10_000), "]".repeat(10_000));
    let e = Application::from_json(&deep).unwrap_err();
    assert_eq!(e.code(), Code::InputTooDeep);
    let call = grant_call(Vec::new());
    let e = call
        .evaluate_jsonl(&deep, day("2020-09-04"), None)
        .unwrap_err();
    assert_eq!(e.problems()[0].code, Code::InputTooDeep);
    assert_eq!(e.problems()[0].path, "[0]");
}

// ---------------------------------------------------------------------------------------------
// compare, match, batches
// ---------------------------------------------------------------------------------------------

#[test]
fn compare_names_the_verdicts_grants_and_criteria_that_change() {
    let a = compile(&call_doc(
        "call-2019",
        vec![
            criterion("duration", json!({"duration": {"max_months": 36}})),
            criterion("requested", json!({"requested": {"max": 40000000}})),
            criterion("non_profit", json!({"non_profit": {}})),
        ],
    ));
    let b = compile(&call_doc(
        "call-2021",
        vec![
            criterion("duration", json!({"duration": {"max_months": 24}})),
            criterion("requested", json!({"requested": {"max": 30000000}})),
            criterion("intermediary", json!({"not_intermediary": {}})),
        ],
    ));
    let apps = vec![
        app(set(good(), "id", json!("thirty-months"))),
        app(set(
            set(good(), "id", json!("short")),
            "action.duration_months",
            json!(20),
        )),
        app(set(
            set(good(), "id", json!("no-budget")),
            "budget",
            Value::Null,
        )),
    ];
    let out = compare(&a, &b, &apps, day("2020-09-04"));
    assert_eq!(out.len(), 3);
    // 30 months: eligible under 2019 (≤ 36), ineligible under 2021 (> 24). Maximum: 400 000.00
    // → 300 000.00 (both below the total eligible costs of 324 656.64).
    let first = &out[0];
    assert_eq!(
        (first.index, first.application.as_deref()),
        (0, Some("thirty-months"))
    );
    assert_eq!(
        (first.verdict_a, first.verdict_b),
        (Verdict::Eligible, Verdict::Ineligible)
    );
    assert!(first.verdict_changed);
    assert_eq!(
        (first.max_eu_contribution_a, first.max_eu_contribution_b),
        (Some(32465664), Some(30000000))
    );
    assert!(first.grant_changed);
    let changes: Vec<(&str, Option<Outcome>, Option<Outcome>)> = first
        .changes
        .iter()
        .map(|c| (c.id.as_str(), c.a, c.b))
        .collect();
    assert_eq!(
        changes,
        vec![
            ("duration", Some(P), Some(F)),
            ("non_profit", Some(P), None),
            ("intermediary", None, Some(P)),
        ]
    );
    assert!(
        first.why.contains("`duration`: pass → fail"),
        "{}",
        first.why
    );
    assert!(
        first
            .why
            .contains("maximum EU contribution: 324 656.64 → 300 000.00"),
        "{}",
        first.why
    );
    // 20 months: eligible under both; the criteria differ, the grant changes.
    let second = &out[1];
    assert_eq!(
        (second.verdict_a, second.verdict_b),
        (Verdict::Eligible, Verdict::Eligible)
    );
    assert!(!second.verdict_changed);
    assert!(second.grant_changed);
    // No budget: both undetermined, no grant either side.
    let third = &out[2];
    // (30 months also fails the 2021 maximum of 24.)
    assert_eq!(
        (third.verdict_a, third.verdict_b),
        (Verdict::Undetermined, Verdict::Ineligible)
    );
    assert!(!third.grant_changed);
    assert_eq!(third.max_eu_contribution_a, None);
    // A call compared with itself changes nothing.
    for c in compare(&a, &a, &apps, day("2020-09-04")) {
        assert!(!c.verdict_changed && !c.grant_changed && c.changes.is_empty());
        assert_eq!(c.why, "no difference");
    }
}

#[test]
fn match_calls_lists_the_calls_in_force_eligible_first() {
    let mk = |id: &str, validity: Value, criteria: Vec<Value>| {
        let mut doc = call_doc(id, criteria);
        doc["validity"] = validity;
        doc
    };
    let in_force = json!({"from": "2020-01-01", "to": "2020-12-31"});
    let rule_sets = json!([
        mk(
            "match-fails",
            in_force.clone(),
            vec![criterion("d", json!({"duration": {"max_months": 12}}))]
        ),
        mk(
            "match-open",
            in_force.clone(),
            vec![criterion(
                "t",
                json!({"track_record": {"min_projects": 1, "within_years": 5, "as_of": "evaluation"}})
            )]
        ),
        mk(
            "match-ok",
            in_force.clone(),
            vec![criterion("np", json!({"non_profit": {}}))]
        ),
        mk(
            "match-expired",
            json!({"from": "2010", "to": "2013"}),
            vec![criterion("np", json!({"non_profit": {}}))]
        ),
        mk(
            "match-ok-too",
            in_force,
            vec![criterion(
                "c",
                json!({"action_country": {"any_of": ["TJ"]}})
            )]
        ),
    ]);
    let dataset = data()
        .extend(&json!({"add": {"rule_sets": rule_sets}}).to_string())
        .unwrap();
    let a = app(set(good(), "applicant.completed_projects", Value::Null));
    let ours = |ds: &[Decision]| -> Vec<(String, Verdict)> {
        ds.iter()
            .filter(|d| d.rule_set.id.starts_with("match-"))
            .map(|d| (d.rule_set.id.clone(), d.verdict))
            .collect()
    };
    let found = dataset.match_calls(&a, day("2020-09-04"));
    assert_eq!(
        ours(&found),
        vec![
            ("match-ok".to_string(), Verdict::Eligible),
            ("match-ok-too".to_string(), Verdict::Eligible),
            ("match-open".to_string(), Verdict::Undetermined),
            ("match-fails".to_string(), Verdict::Ineligible),
        ]
    );
    // Every decision in the list, ours or embedded, is ordered eligible, undetermined, ineligible.
    assert!(found.windows(2).all(|w| w[0].verdict <= w[1].verdict));
    assert!(found.iter().all(|d| d.as_of == day("2020-09-04")));
    // In 2012 only the expired call was in force.
    assert_eq!(
        ours(&dataset.match_calls(&a, day("2012-01-01"))),
        vec![("match-expired".to_string(), Verdict::Eligible)]
    );
}

#[test]
fn evaluate_jsonl_reports_line_errors_with_paths() {
    let call = grant_call(Vec::new());
    let good_line = good().to_string();
    let text = format!(
        "{good_line}\n\n{}\n{}\n{}\n",
        json!({"id": "naive", "submitted_at": "2020-09-04T13:30:00"}),
        json!({"id": "typo", "budget": {"requestd": 1}}),
        "{not json"
    );
    let e = call
        .evaluate_jsonl(&text, day("2020-09-04"), None)
        .unwrap_err();
    let found = problems(e.clone());
    // The blank line is skipped: the naive datetime is application [1], on line 3.
    assert!(
        has_problem(&found, "naive_datetime", "[1].submitted_at"),
        "{found:?}"
    );
    assert!(
        has_problem(&found, "unknown_field", "[2].budget.requestd"),
        "{found:?}"
    );
    assert!(has_problem(&found, "invalid_json", "[3]"), "{found:?}");
    assert!(
        e.problems()[0].message.starts_with("line 3: "),
        "{}",
        e.problems()[0].message
    );
    // Good lines evaluate into columns in input order.
    let text = format!(
        "{good_line}\n{}\n\n{}\n",
        set(good(), "id", json!("late"))
            .to_string()
            .replace("10:00:00+02:00", "13:30:01+02:00"),
        set(
            set(good(), "id", json!("open")),
            "budget.requested",
            Value::Null
        )
    );
    let call = grant_call(vec![deadline_criterion()]);
    let batch = call.evaluate_jsonl(&text, day("2020-09-04"), None).unwrap();
    assert_eq!(batch.len(), 3);
    assert_eq!(batch.ids, [Some("good"), Some("late"), Some("open")]);
    assert_eq!(
        batch.verdicts,
        vec![
            Verdict::Eligible,
            Verdict::Ineligible,
            Verdict::Undetermined
        ]
    );
    assert_eq!(batch.failed.get(1).unwrap(), vec!["deadline".to_string()]);
    assert_eq!(
        batch.missing.get(2).unwrap(),
        vec!["requested".to_string(), "share".to_string()]
    );
    assert_eq!(batch.max_eu_contribution[0], Some(29219097));
    assert_eq!(batch.eu_share.get(0), Some(Some("83.08")));
    assert_eq!(batch.counts(), (1, 1, 1));
    // The full decision of a row, on demand.
    let apps = read_jsonl(&text).unwrap();
    // The same rows as reading every line first (on one thread each line is evaluated as read).
    assert_eq!(batch, call.evaluate_many(&apps, day("2020-09-04"), None));
    let d = call.decision(&apps, &batch, 1).unwrap();
    assert_eq!(d.verdict, Verdict::Ineligible);
    assert!(call.decision(&apps, &batch, 3).is_none());
    // An empty text is an empty batch.
    assert!(
        call.evaluate_jsonl("\n\n", day("2020-09-04"), None)
            .unwrap()
            .is_empty()
    );
}

/// Application `i` of a batch whose verdicts vary: its own id and requested amount, every third
/// submitted late, every eleventh without its contingency.
fn varied(i: u64) -> Value {
    let mut app = set(good(), "id", json!(format!("A-{i}")));
    app = set(app, "budget.requested", json!(20_000_000 + i * 1_000));
    if i.is_multiple_of(3) {
        app = set(app, "submitted_at", json!("2020-09-04T13:30:01+02:00"));
    }
    if i.is_multiple_of(11) {
        app = set(app, "budget.contingency", Value::Null);
    }
    app
}

/// Thousands of lines (many parts, when the lines are read and evaluated in parts on all cores
/// with the `parallel` feature): the rows of reading every line first, in input order, blank
/// lines and Windows line ends skipped; one bad line, even in the last part, fails the batch
/// with its problem at its row's path, after the parts before it were evaluated.
#[test]
fn evaluate_jsonl_of_many_lines_gives_the_rows_of_its_applications() {
    let call = grant_call(vec![deadline_criterion()]);
    let mut text = String::from("\r\n");
    for i in 0..5_000u64 {
        text.push_str(&varied(i).to_string());
        text.push_str(if i % 2 == 0 { "\r\n" } else { "\n" });
        if i % 7 == 0 {
            text.push_str("  \t \n");
        }
    }
    let as_of = day("2020-09-04");
    let batch = call.evaluate_jsonl(&text, as_of, None).unwrap();
    let apps = read_jsonl(&text).unwrap();
    assert_eq!(apps.len(), 5_000);
    assert_eq!(batch, call.evaluate_many(&apps, as_of, None));
    assert_eq!(batch.ids.get(4_999), Some(Some("A-4999")));
    let (eligible, ineligible, undetermined) = batch.counts();
    assert!(eligible > 0 && ineligible > 0 && undetermined > 0);
    let lines: Vec<&str> = euca::jsonl_lines(&text).collect();
    assert_eq!(lines.len(), 5_000);
    assert_eq!(Application::from_json(lines[4_321]).unwrap(), apps[4_321]);

    let bad = text.clone() + "{\"id\": \"late\", \"budget\": {\"requestd\": 1}}\n";
    let e = call.evaluate_jsonl(&bad, as_of, None).unwrap_err();
    let found = problems(e);
    assert!(
        has_problem(&found, "unknown_field", "[5000].budget.requestd"),
        "{found:?}"
    );
}

#[test]
fn evaluate_each_gives_the_rows_of_the_applications_it_reads_and_stops_at_one_it_cannot() {
    let call = grant_call(vec![deadline_criterion()]);
    let apps: Vec<Application> = (0..3_000u64)
        .map(|i| Application::from_value(&varied(i)).unwrap())
        .collect();
    let as_of = day("2020-09-04");
    let reads = std::sync::atomic::AtomicUsize::new(0);
    let batch = call
        .evaluate_each(apps.len(), as_of, None, |i| {
            reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            apps.get(i).cloned()
        })
        .unwrap();
    assert_eq!(batch, call.evaluate_many(&apps, as_of, None));
    assert_eq!(reads.into_inner(), apps.len(), "each application read once");
    let (eligible, ineligible, undetermined) = batch.counts();
    assert!(eligible > 0 && ineligible > 0 && undetermined > 0);

    // One application that does not read, near the end: no batch (the caller reads it the
    // way that names its problems).
    let unread = call.evaluate_each(apps.len(), as_of, None, |i| {
        (i != 2_900).then(|| apps[i].clone())
    });
    assert!(unread.is_none());
    // Over the batch limit: nothing is read.
    let over = call.evaluate_each(euca::limits::MAX_BATCH + 1, as_of, None, |_| {
        panic!("read past the batch limit")
    });
    assert!(over.is_none());
    let none = call.evaluate_each(0, as_of, None, |_| None).unwrap();
    assert_eq!(none, call.evaluate_many(&[], as_of, None));
}

#[test]
fn a_batch_equals_one_by_one() {
    let call = grant_call(vec![
        deadline_criterion(),
        criterion(
            "duration",
            json!({"duration": {"min_months": 24, "max_months": 36}}),
        ),
        criterion(
            "partners",
            json!({"partners": {"meeting": {"established_in": {"any_of": ["TJ"]}}, "min": 1}}),
        ),
    ]);
    let variants = [
        good(),
        set(good(), "action.duration_months", json!(12)),
        set(good(), "budget.requested", Value::Null),
        set(good(), "budget.indirect", json!(9999999)),
        set(good(), "co_applicants", Value::Null),
        set(good(), "co_applicants", json!([{"country": "KZ"}])),
        set(good(), "submitted_at", json!("2020-09-04T13:30:01+02:00")),
        set(good(), "budget.currency", json!("USD")),
        json!({}),
    ];
    let apps: Vec<Application> = variants.into_iter().map(app).collect();
    let as_of = day("2020-09-04");
    let batch = call.evaluate_many(&apps, as_of, None);
    let all = call.evaluate_all(&apps, as_of, None);
    assert_eq!(batch.len(), apps.len());
    for (i, a) in apps.iter().enumerate() {
        let d = call.evaluate(a, as_of, None);
        assert_eq!(d, all[i]);
        assert_eq!(batch.verdicts[i], d.verdict, "row {i}");
        let failed: Vec<String> = d
            .checks
            .iter()
            .filter(|c| c.outcome == F)
            .map(|c| c.id.clone())
            .collect();
        let open: Vec<String> = d
            .checks
            .iter()
            .filter(|c| c.outcome == U)
            .map(|c| c.id.clone())
            .collect();
        assert_eq!(batch.failed.get(i).unwrap(), failed, "row {i}");
        assert_eq!(batch.missing.get(i).unwrap(), open, "row {i}");
        assert_eq!(
            batch.max_eu_contribution[i],
            d.grant.as_ref().and_then(|g| g.max_eu_contribution),
            "row {i}"
        );
        assert_eq!(
            batch.eu_share.get(i).unwrap(),
            d.grant.as_ref().and_then(|g| g.requested_share.as_deref()),
            "row {i}"
        );
        assert_eq!(call.decision(&apps, &batch, i).unwrap(), d);
    }
    #[cfg(feature = "parallel")]
    assert_eq!(call.evaluate_many_parallel(&apps, as_of, None), batch);

    // Parts of a batch join into the whole; a part of another date or stage is refused, whole.
    let mut joined = call.evaluate_many(&apps[..3], as_of, None);
    joined
        .append(call.evaluate_many(&apps[3..], as_of, None))
        .unwrap();
    assert_eq!(joined, batch);
    let other_day = call.evaluate_many(&apps[..2], day("2020-09-05"), None);
    let refused = joined.append(other_day.clone()).unwrap_err();
    assert_eq!(*refused, other_day);
    let other_stage = call.evaluate_many(&apps[..2], as_of, Some(euca::Stage::ConceptNote));
    assert_eq!(
        *joined.append(other_stage.clone()).unwrap_err(),
        other_stage
    );
    assert_eq!(joined, batch, "a refused part adds no row");

    // On all cores a batch is evaluated in parts whose columns are then joined, each column on
    // a thread of its own: many parts (of at least 256 rows each), rows of every kind in each,
    // give the rows of evaluating the batch whole, in order.
    #[cfg(feature = "parallel")]
    {
        let many: Vec<Application> = (0..5_000)
            .map(|i| {
                let mut a = apps[i % apps.len()].clone();
                a.id = (i % 7 != 0).then(|| format!("A-{i}"));
                a
            })
            .collect();
        let whole = call.evaluate_many(&many, as_of, None);
        assert_eq!(call.evaluate_many_parallel(&many, as_of, None), whole);
        let each = call.evaluate_each(many.len(), as_of, None, |i| many.get(i).cloned());
        assert_eq!(each.as_ref(), Some(&whole));
        assert_eq!(whole.ids.get(4_999), Some(Some("A-4999")));
        assert_eq!(whole.ids.get(4_998), Some(None));
    }
}

#[test]
fn rule_sets_write_back_to_the_same_document() {
    let (dataset, doc) = instrument_and_call();
    let call = compile_in(&doc, &dataset);
    let again = compile_in(&serde_json::from_str(&call.to_json()).unwrap(), &dataset);
    assert_eq!(again.rule_set(), call.rule_set());
    assert_eq!(again.criteria(), call.criteria());
}

#[test]
fn money_past_two_to_the_fifty_third_is_refused_with_its_path() {
    // 2^53 - 1 minor units is the largest amount: exact as a JavaScript number and a Python float.
    let max = 9_007_199_254_740_991_u64;
    let ok = Application::from_value(&json!({"budget": {"requested": max}})).unwrap();
    assert_eq!(ok.budget.unwrap().requested.unwrap().0, max);
    for (doc, path) in [
        (
            json!({"budget": {"requested": max + 1}}),
            "budget.requested",
        ),
        (json!({"budget": {"direct": u64::MAX}}), "budget.direct"),
        (
            json!({"budget": {"indirect": "9007199254740992"}}),
            "budget.indirect",
        ),
        (
            json!({"budget": {"contingency": 1e300}}),
            "budget.contingency",
        ),
        // Lines each within the limit that add up past it, when they are the direct costs.
        (
            json!({"budget": {"lines": [{"heading": "a", "amount": max}, {"heading": "b", "amount": 1}]}}),
            "budget.lines",
        ),
    ] {
        let found = problems(Application::from_value(&doc).unwrap_err());
        assert_eq!(
            found,
            vec![("money_too_large".to_string(), path.to_string())],
            "{doc}"
        );
    }
    // With `direct` given, the lines are a breakdown and their sum is not the direct costs.
    let with_direct = json!({"budget": {"direct": 100, "lines": [{"heading": "a", "amount": max}, {"heading": "b", "amount": 1}]}});
    assert!(Application::from_value(&with_direct).is_ok());
    // A rule set's amounts have the same limit.
    let doc = call_doc(
        "too-large",
        vec![criterion(
            "requested_range",
            json!({"requested": {"max": max + 1}}),
        )],
    );
    assert!(has_problem(
        &compile_problems(&doc),
        "money_too_large",
        "criteria[0].test.requested.max"
    ));
}

#[test]
fn the_common_part_of_a_call_with_lots_is_not_a_call_one_applies_to() {
    let calls: Vec<String> = data().calls().iter().map(|c| c.id().to_string()).collect();
    assert!(!calls.iter().any(|id| id == "tj-2023-hrd-cso"), "{calls:?}");
    assert!(
        calls.iter().any(|id| id == "tj-2023-hrd-cso/lot-1"),
        "{calls:?}"
    );
    assert!(
        calls.iter().any(|id| id == "tj-2023-hrd-cso/lot-2"),
        "{calls:?}"
    );
    let common = data().call("tj-2023-hrd-cso").unwrap();
    assert!(common.is_common_part());
    assert!(
        !data()
            .call("tj-2023-hrd-cso/lot-1")
            .unwrap()
            .is_common_part()
    );
}

#[test]
fn a_call_is_open_to_the_day_of_its_deadline_in_its_own_zone() {
    let call = data().call("tj-2020-cso").unwrap();
    assert_eq!(call.deadline_day(), Some(day("2020-09-04")));
    assert!(call.open_on(day("2020-09-04")));
    assert!(!call.open_on(day("2020-09-05")));
    // Matching on the day after leaves it out.
    let app = app(good());
    let ids = |d: &str| -> Vec<String> {
        data()
            .match_calls(&app, day(d))
            .iter()
            .map(|x| x.rule_set.id.clone())
            .collect()
    };
    assert!(ids("2020-09-01").contains(&"tj-2020-cso".to_string()));
    assert!(!ids("2020-09-05").contains(&"tj-2020-cso".to_string()));
}

#[test]
fn a_decision_records_every_rule_set_of_its_chain_with_its_version() {
    let (dataset, doc) = instrument_and_call();
    let call = Call::from_value_with(&doc, &dataset).unwrap();
    let d = call.evaluate(&app(good()), day("2011-06-01"), None);
    let v = serde_json::to_value(&d).unwrap();
    assert_eq!(
        v["chain"],
        json!([
            {"id": "test-instrument", "version": "2"},
            {"id": "test-call-2010", "version": "1"}
        ])
    );
    assert_eq!(
        v["rule_set"],
        json!({"id": "test-call-2010", "version": "1"})
    );
    // A new version of the instrument shows in the decisions made under it, though the call's
    // own version is unchanged.
    let bumped = dataset
        .extend(
            &json!({"correct": [{"id": "test-instrument", "set": {"version": "3"},
                                 "sources": [source()]}]})
            .to_string(),
        )
        .unwrap();
    let again = Call::from_value_with(&doc, &bumped).unwrap().evaluate(
        &app(good()),
        day("2011-06-01"),
        None,
    );
    assert_eq!(again.rule_set, d.rule_set);
    assert_eq!(again.chain[0].version, "3");
    assert_ne!(again.chain, d.chain);
    // Decisions written before the chain was recorded still read.
    let mut old = v.clone();
    old.as_object_mut().unwrap().remove("chain");
    let back: Decision = serde_json::from_value(old).unwrap();
    assert!(back.chain.is_empty());
}

#[test]
fn compare_flags_a_grant_change_even_where_the_maximum_binds_both_ways() {
    let with_cap = |percent: &str| {
        compile(&call_doc(
            &format!("indirect-{percent}"),
            vec![
                criterion("requested", json!({"requested": {"max": 10000000}})),
                criterion(
                    "indirect",
                    json!({"indirect_cap": {"max_percent": percent}}),
                ),
            ],
        ))
    };
    let (a, b) = (with_cap("7"), with_cap("2"));
    let out = compare(&a, &b, &[app(good())], day("2020-09-04"));
    let c = &out[0];
    // The call's maximum (100 000.00) binds under both calls...
    assert_eq!(c.max_eu_contribution_a, Some(10000000));
    assert_eq!(c.max_eu_contribution_b, Some(10000000));
    // ...but fewer indirect costs are eligible under the 2 % cap, so the total eligible costs
    // differ, and the comparison says so.
    assert!(c.grant_changed, "{c:?}");
    assert!(c.why.contains("total eligible costs"), "{}", c.why);
    assert!(c.why.contains("eligible indirect costs"), "{}", c.why);
}

#[test]
fn lines_of_ineligible_categories_are_left_out_of_the_eligible_costs_and_headings_are_summed() {
    let call = grant_call(vec![criterion(
        "ineligible",
        json!({"ineligible_costs": {"categories": ["land"]}}),
    )]);
    let mut a = set(good(), "budget.direct", Value::Null);
    a = set(
        a,
        "budget.lines",
        json!([
            {"heading": "staff", "amount": 20000000},
            {"heading": "equipment", "amount": 8987200},
            {"heading": "equipment", "category": "land", "amount": 1000000}
        ]),
    );
    let d = call.evaluate(&app(a), day("2020-09-04"), None);
    let g = d.grant.unwrap();
    // 289 872.00 of eligible lines; the 10 000.00 of land is not an eligible cost.
    assert_eq!(g.direct, 28987200);
    assert_eq!(g.total_eligible, 28987200 + 2029104 + 1449360);
    assert_eq!(
        g.headings,
        std::collections::BTreeMap::from([
            ("equipment".to_string(), 8987200),
            ("staff".to_string(), 20000000)
        ])
    );
    assert!(
        g.notes
            .iter()
            .any(|n| n.contains("1 budget line of an ineligible category")
                && n.contains("10 000.00")),
        "{:?}",
        g.notes
    );

    // Direct costs declared beside lines that disagree: the declared amount, and a note.
    let mut b = set(
        good(),
        "budget.lines",
        json!([{"heading": "staff", "amount": 100}]),
    );
    b = set(b, "id", json!("both"));
    let g = call
        .evaluate(&app(b), day("2020-09-04"), None)
        .grant
        .unwrap();
    assert_eq!(g.direct, 28987200);
    assert!(
        g.notes
            .iter()
            .any(|n| n.contains("the declared amount is used")),
        "{:?}",
        g.notes
    );
}

#[test]
fn a_criterion_citing_a_source_without_a_title_is_reported_at_its_path() {
    let (dataset, mut doc) = instrument_and_call();
    doc["criteria"][0]["citation"]["source"]["title"] = json!(" ");
    doc["replace"][0]["citation"]["source"]["title"] = json!("");
    let found = problems(Call::from_value_with(&doc, &dataset).unwrap_err());
    for path in [
        "criteria[0].citation.source.title",
        "replace[0].citation.source.title",
    ] {
        assert!(
            has_problem(&found, "invalid_source", path),
            "{path}: {found:?}"
        );
    }
}

#[test]
fn a_line_of_an_ineligible_category_does_not_count_against_a_heading_cap() {
    let call = compile(&call_doc(
        "heading-and-land",
        vec![
            criterion(
                "equipment",
                json!({"heading_cap": {"heading": "equipment", "max_percent": "20"}}),
            ),
            criterion(
                "land",
                json!({"ineligible_costs": {"categories": ["land"]}}),
            ),
        ],
    ));
    let mut a = set(good(), "budget.direct", Value::Null);
    a = set(
        a,
        "budget.lines",
        json!([{"heading": "staff", "amount": 80000}, {"heading": "equipment", "amount": 20000},
               {"heading": "equipment", "category": "land", "amount": 50000}]),
    );
    let d = call.evaluate(&app(a), day("2020-09-04"), None);
    // 200.00 of equipment against 20 % of the 1 000.00 of eligible direct costs: within the cap;
    // the land line fails its own criterion instead.
    assert_eq!(check(&d, "equipment").outcome, Outcome::Pass);
    assert_eq!(check(&d, "land").outcome, Outcome::Fail);
    assert_eq!(d.grant.unwrap().direct, 100000);
}

#[test]
fn a_category_excluded_only_under_a_condition_stays_in_everyones_direct_costs() {
    // Land is ineligible only for leads established outside Tajikistan: the criterion decides
    // that case; the grant does not take land out of every applicant's costs.
    let call = grant_call(vec![criterion(
        "land-abroad",
        json!({"if": {"when": {"established_in": {"any_of": ["TJ"]}},
                      "then": {"ineligible_costs": {"categories": ["debt"]}},
                      "else": {"ineligible_costs": {"categories": ["land"]}}}}),
    )]);
    let mut a = set(good(), "budget.direct", Value::Null);
    a = set(
        a,
        "budget.lines",
        json!([{"heading": "staff", "amount": 27987200},
               {"heading": "other", "category": "land", "amount": 1000000}]),
    );
    let g = call
        .evaluate(&app(a), day("2020-09-04"), None)
        .grant
        .unwrap();
    assert_eq!(g.direct, 28987200);
}
