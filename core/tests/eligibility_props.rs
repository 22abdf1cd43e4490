//! Laws of the eligibility engine, checked with proptest: evaluation never panics on any
//! application JSON (arbitrary values and mutations of a valid application), is deterministic,
//! batches equal one-by-one evaluation, `all`/`any`/`not`/`if` follow three-valued logic (checked
//! against a reference evaluator on random trees), widening a maximum never turns a pass into a
//! failure, and rule sets round-trip through JSON.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::OnceLock;

use chrono::NaiveDate;
use euca::{Application, Call, Columns, Dataset, Outcome, RuleSet, Verdict};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------------------------------------
// fixtures
// ---------------------------------------------------------------------------------------------

fn data() -> &'static Dataset {
    static DATA: OnceLock<Dataset> = OnceLock::new();
    DATA.get_or_init(|| Dataset::embedded().expect("the embedded dataset loads"))
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 9, 4).unwrap()
}

fn source() -> Value {
    json!({"title": "Guidelines (test)", "address": "https://example.org/g.pdf"})
}

fn criterion(id: &str, test: Value) -> Value {
    json!({"id": id, "statement": id, "citation": {"reference": id, "source": source()}, "test": test})
}

fn call_doc(criteria: Vec<Value>) -> Value {
    json!({"id": "prop", "version": "1", "kind": "call", "title": "Property call",
           "criteria": criteria, "sources": [source()]})
}

fn compile(doc: &Value) -> Call {
    Call::from_value_with(doc, data()).unwrap_or_else(|e| panic!("{e:?}"))
}

/// A call with a criterion of every kind, some nested, some from the full-application stage.
fn every_kind() -> &'static Call {
    static CALL: OnceLock<Call> = OnceLock::new();
    CALL.get_or_init(|| {
        let tj = json!({"established_in": {"any_of": ["TJ"]}});
        let mut doc = call_doc(vec![
            criterion("legal_form", json!({"legal_form": {"any_of": ["legal_person"]}})),
            criterion("non_profit", json!({"non_profit": {"who": "all_applicants"}})),
            criterion("org_type", json!({"org_type": {"any_of": ["21", "22", "23", "24", "60", "80"]}})),
            criterion("category", json!({"category": {"who": "co_applicants", "none_of": ["political_party"]}})),
            criterion("country", json!({"established_in": {"any_of": ["TJ"], "eu_member_states": true}})),
            criterion("registered", json!({"registered": {"min_years": 2, "as_of": "deadline"}})),
            criterion("track_record", json!({"track_record": {"min_projects": 1, "within_years": 5, "as_of": "evaluation"}})),
            criterion("not_intermediary", json!({"not_intermediary": {}})),
            criterion("annual_budget", json!({"annual_budget": {"min_percent": "50", "of": "requested"}})),
            criterion("bankrupt", json!({"not_excluded": {"situation": "bankrupt", "who": "affiliated_entities"}})),
            criterion("fraud", json!({"not_excluded": {"situation": "fraud"}})),
            criterion("partners", json!({"partners": {"of": "co_applicants_and_affiliated_entities", "meeting": tj, "min": 1, "max": 5}})),
            criterion("action_country", json!({"action_country": {"any_of": ["TJ", "KG"], "none_of": ["AF"]}})),
            criterion("sectors", json!({"sectors": {"any_of": ["15160", "15162", "15150"]}})),
            criterion("themes", json!({"themes": {"any_of": ["media"]}})),
            criterion("priorities", json!({"priorities": {"any_of": ["p1"]}})),
            criterion("activities", json!({"activities": {"none_of": ["sub_granting"]}})),
            criterion("duration", json!({"duration": {"min_months": 24, "max_months": 36}})),
            criterion("start", json!({"start": {"from": "2021-01-01", "to": "2021-06-30"}})),
            criterion("requested", json!({"requested": {"min": 20000000, "max": 40000000}})),
            criterion("share", json!({"eu_share": {"max_percent": "90", "min_percent": "10"}})),
            criterion("share_below", json!({"eu_share": {"max_percent": 100, "max_exclusive": true}})),
            criterion("indirect", json!({"indirect_cap": {"max_percent": "7"}})),
            criterion("contingency", json!({"contingency_cap": {"max_percent": "5"}})),
            criterion("ineligible", json!({"ineligible_costs": {"categories": ["land", "debt"]}})),
            criterion("deadline", json!({"deadline": {"at": "2020-09-04T13:30:00", "zone": "Europe/Brussels"}})),
            criterion("opens", json!({"opens": {"date": "2020-06-01"}})),
            criterion("composed", json!({"all": [
                {"any": [{"non_profit": {}}, {"not": {"category": {"any_of": ["company"]}}}]},
                {"if": {"when": tj, "then": {"eu_share": {"max_percent": "95"}}, "else": {"indirect_cap": {"max_percent": "6"}}}}
            ]})),
            json!({"id": "late", "statement": "late", "citation": {"reference": "x", "source": source()},
                   "stage": "full_application", "test": {"track_record": {"min_projects": 2, "within_years": 3, "as_of": "deadline"}}}),
        ]);
        doc["stages"] = json!(["concept_note", "full_application"]);
        compile(&doc)
    })
}

/// A full, eligible application.
fn good() -> Value {
    json!({
        "id": "good",
        "applicant": {
            "legal_form": "legal_person", "non_profit": true, "org_type": "22", "country": "TJ",
            "registered_on": "2015-03-01", "intermediary": false,
            "exclusions": {"bankrupt": false, "fraud": false},
            "completed_projects": [{"ended_on": "2019-06-30"}, {"ended_on": "2018-12-31"}],
            "annual_budget": 30000000,
            "categories": ["non_governmental_organisation"]
        },
        "co_applicants": [{"country": "TJ", "non_profit": true, "org_type": 21}],
        "affiliated_entities": [{"country": "TJ", "exclusions": {"bankrupt": false}}],
        "action": {"country": "TJ", "countries": ["KG"], "duration_months": 30, "start": "2021-01-01",
                   "sectors": ["15162"], "themes": ["media"], "priorities": ["p1"], "activities": ["training"]},
        "budget": {"currency": "EUR", "direct": 28987200, "indirect": 2029104, "contingency": 1449360,
                   "requested": 26975700,
                   "lines": [{"heading": "staff", "amount": 100}, {"heading": "travel", "category": "flights", "amount": 50}]},
        "submitted_at": "2020-09-04T10:00:00+02:00"
    })
}

// ---------------------------------------------------------------------------------------------
// arbitrary JSON
// ---------------------------------------------------------------------------------------------

/// Keys of every object of an application (and a few that are not), so that random objects often
/// hit real fields.
const KEYS: &[&str] = &[
    "id",
    "applicant",
    "co_applicants",
    "affiliated_entities",
    "action",
    "budget",
    "submitted_at",
    "name",
    "legal_form",
    "legal_person",
    "non_profit",
    "org_type",
    "categories",
    "country",
    "registered_on",
    "intermediary",
    "exclusions",
    "completed_projects",
    "annual_budget",
    "bankrupt",
    "convicted",
    "grave_misconduct",
    "unpaid_taxes",
    "fraud",
    "breach_of_contract",
    "ended_on",
    "title",
    "countries",
    "duration_months",
    "start",
    "sectors",
    "themes",
    "priorities",
    "activities",
    "currency",
    "direct",
    "indirect",
    "contingency",
    "requested",
    "lines",
    "heading",
    "category",
    "description",
    "amount",
    "unknown",
    "",
];

fn arb_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (0u64..100_000_000).prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(vec![
            "",
            "TJ",
            "GB",
            "EL",
            "22",
            "15162",
            "legal_person",
            "natural_person",
            "political_party",
            "non_governmental_organisation",
            "EUR",
            "USD",
            "eur",
            "1.5",
            "-1",
            "100.00",
            "1e3",
            "2020-09-04",
            "2020-02-30",
            "2020",
            "2020-09-04T13:30:00+02:00",
            "2020-09-04T13:30:00",
            "2020-09-04T13:30:00[Europe/Brussels]",
            "2020-03-29T02:30:00[Europe/Brussels]",
            "2020-09-04T13:30:00[Nowhere/City]",
            "9999-12-31T23:59:59Z",
            "0000-01-01T00:00:00Z",
            "18446744073709551616",
            "land",
            "media",
            "ä€😀",
        ])
        .prop_map(Value::from),
        "[ -~]{0,12}".prop_map(Value::from),
    ]
}

fn arb_json() -> impl Strategy<Value = Value> {
    arb_leaf().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|kv| {
                Value::Object(
                    kv.into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

/// Every path (object keys and list indices) of a value, the root first.
fn paths(v: &Value) -> Vec<Vec<PathStep>> {
    let mut out = vec![Vec::new()];
    let mut i = 0;
    while i < out.len() {
        let here = out[i].clone();
        let node = at(v, &here).unwrap();
        match node {
            Value::Object(m) => {
                for k in m.keys() {
                    let mut p = here.clone();
                    p.push(PathStep::Key(k.clone()));
                    out.push(p);
                }
            }
            Value::Array(items) => {
                for j in 0..items.len() {
                    let mut p = here.clone();
                    p.push(PathStep::Index(j));
                    out.push(p);
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

#[derive(Debug, Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn at<'v>(v: &'v Value, path: &[PathStep]) -> Option<&'v Value> {
    path.iter().try_fold(v, |v, s| match s {
        PathStep::Key(k) => v.get(k),
        PathStep::Index(i) => v.get(*i),
    })
}

fn at_mut<'v>(v: &'v mut Value, path: &[PathStep]) -> Option<&'v mut Value> {
    path.iter().try_fold(v, |v, s| match s {
        PathStep::Key(k) => v.get_mut(k),
        PathStep::Index(i) => v.get_mut(*i),
    })
}

/// One change to a document: replace a value, remove it, or add a key (or item) beside it.
#[derive(Debug, Clone)]
enum Mutation {
    Replace(Index, Value),
    Remove(Index),
    Insert(Index, &'static str, Value),
}

fn arb_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), arb_json()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        any::<Index>().prop_map(Mutation::Remove),
        (any::<Index>(), prop::sample::select(KEYS), arb_json())
            .prop_map(|(i, k, v)| Mutation::Insert(i, k, v)),
    ]
}

fn mutate(mut doc: Value, mutations: &[Mutation]) -> Value {
    for m in mutations {
        let all = paths(&doc);
        match m {
            Mutation::Replace(i, v) => {
                let p = i.get(&all).clone();
                if let Some(slot) = at_mut(&mut doc, &p) {
                    *slot = v.clone();
                }
            }
            Mutation::Remove(i) => {
                let p = i.get(&all).clone();
                if let Some((last, parent)) = p.split_last() {
                    match (at_mut(&mut doc, parent), last) {
                        (Some(Value::Object(m)), PathStep::Key(k)) => {
                            m.remove(k);
                        }
                        (Some(Value::Array(items)), PathStep::Index(j)) => {
                            items.remove(*j);
                        }
                        _ => {}
                    }
                }
            }
            Mutation::Insert(i, key, v) => {
                let p = i.get(&all).clone();
                match at_mut(&mut doc, &p) {
                    Some(Value::Object(m)) => {
                        m.insert((*key).to_string(), v.clone());
                    }
                    Some(Value::Array(items)) => items.push(v.clone()),
                    _ => {}
                }
            }
        }
    }
    doc
}

/// Reads and evaluates a document every way there is, checking that the ways agree.
fn read_and_evaluate(doc: &Value) -> Result<(), TestCaseError> {
    let read = Application::from_value(doc);
    let text = doc.to_string();
    let from_text = Application::from_json(&text);
    prop_assert_eq!(read.is_ok(), from_text.is_ok());
    match read {
        Err(e) => {
            prop_assert!(!e.problems().is_empty());
            for p in e.problems() {
                prop_assert!(!p.message.is_empty());
            }
        }
        Ok(app) => {
            prop_assert_eq!(&app, &from_text.unwrap());
            let call = every_kind();
            for stage in [None, Some(euca::Stage::ConceptNote)] {
                let d = call.evaluate(&app, as_of(), stage);
                let batch = call.evaluate_many(std::slice::from_ref(&app), as_of(), stage);
                prop_assert_eq!(batch.verdicts[0], d.verdict);
                prop_assert!(!d.explain().is_empty());
                serde_json::to_string(&d).unwrap();
                if d.verdict == Verdict::Undetermined {
                    prop_assert!(d.checks.iter().any(|c| c.outcome == Outcome::Unknown));
                }
            }
            // The application writes back to a document that reads as the same application.
            let back = Application::from_value(&serde_json::to_value(&app).unwrap()).unwrap();
            prop_assert_eq!(back, app);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn evaluation_never_panics_on_arbitrary_json(doc in arb_json()) {
        read_and_evaluate(&doc)?;
    }

    #[test]
    fn evaluation_never_panics_on_arbitrary_objects(
        kv in prop::collection::vec((prop::sample::select(KEYS), arb_json()), 0..8)
    ) {
        let doc = Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect());
        read_and_evaluate(&doc)?;
    }

    #[test]
    fn evaluation_never_panics_on_mutations_of_a_valid_application(
        mutations in prop::collection::vec(arb_mutation(), 1..5)
    ) {
        read_and_evaluate(&mutate(good(), &mutations))?;
    }

    #[test]
    fn evaluation_is_deterministic(mutations in prop::collection::vec(arb_mutation(), 0..4)) {
        let doc = mutate(good(), &mutations);
        if let Ok(app) = Application::from_value(&doc) {
            let call = every_kind();
            let a = call.evaluate(&app, as_of(), None);
            let b = call.evaluate(&app, as_of(), None);
            let again = call.evaluate(&Application::from_value(&doc).unwrap(), as_of(), None);
            prop_assert_eq!(&a, &b);
            prop_assert_eq!(&a, &again);
            prop_assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&again).unwrap());
            prop_assert_eq!(a.explain(), again.explain());
        }
    }

    #[test]
    fn a_batch_equals_one_by_one(
        docs in prop::collection::vec(prop::collection::vec(arb_mutation(), 0..3), 0..8),
        concept_note in any::<bool>()
    ) {
        let apps: Vec<Application> = docs
            .iter()
            .filter_map(|m| Application::from_value(&mutate(good(), m)).ok())
            .collect();
        let call = every_kind();
        let stage = concept_note.then_some(euca::Stage::ConceptNote);
        let batch = call.evaluate_many(&apps, as_of(), stage);
        prop_assert_eq!(batch.len(), apps.len());
        for (i, app) in apps.iter().enumerate() {
            let d = call.evaluate(app, as_of(), stage);
            prop_assert_eq!(batch.verdicts[i], d.verdict);
            // The verdict alone, which stops at the first failure, agrees too.
            prop_assert_eq!(call.verdict(app, as_of(), stage), d.verdict);
            let failed: Vec<String> = d.checks.iter().filter(|c| c.outcome == Outcome::Fail).map(|c| c.id.clone()).collect();
            let open: Vec<String> = d.checks.iter().filter(|c| c.outcome == Outcome::Unknown).map(|c| c.id.clone()).collect();
            prop_assert_eq!(&batch.failed.get(i).unwrap(), &failed);
            prop_assert_eq!(&batch.missing.get(i).unwrap(), &open);
            prop_assert_eq!(batch.max_eu_contribution[i], d.grant.as_ref().and_then(|g| g.max_eu_contribution));
            prop_assert_eq!(batch.eu_share.get(i).unwrap(), d.grant.as_ref().and_then(|g| g.requested_share.as_deref()));
            prop_assert_eq!(batch.ids.get(i).unwrap(), app.id.as_deref());
        }
        #[cfg(feature = "parallel")]
        prop_assert_eq!(&call.evaluate_many_parallel(&apps, as_of(), stage), &batch);
        // In two parts, joined: the same rows (the Python bindings evaluate a batch in parts as
        // they read it).
        let cut = apps.len() / 2;
        let mut joined = call.evaluate_many(&apps[..cut], as_of(), stage);
        prop_assert!(joined.append(call.evaluate_many(&apps[cut..], as_of(), stage)).is_ok());
        prop_assert_eq!(joined, batch);
    }
}

// ---------------------------------------------------------------------------------------------
// Kleene logic on random trees
// ---------------------------------------------------------------------------------------------

/// The leaves: yes/no declarations of one organisation, each read by one test.
const LEAVES: [(&str, &str); 8] = [
    ("non_profit", "non_profit"),
    ("not_intermediary", "intermediary"),
    ("bankrupt", "exclusions.bankrupt"),
    ("convicted", "exclusions.convicted"),
    ("grave_misconduct", "exclusions.grave_misconduct"),
    ("unpaid_taxes", "exclusions.unpaid_taxes"),
    ("fraud", "exclusions.fraud"),
    ("breach_of_contract", "exclusions.breach_of_contract"),
];

#[derive(Debug, Clone)]
enum Tree {
    Leaf(usize),
    All(Vec<Tree>),
    Any(Vec<Tree>),
    Not(Box<Tree>),
    If(Box<Tree>, Box<Tree>, Option<Box<Tree>>),
}

fn arb_tree() -> impl Strategy<Value = Tree> {
    (0usize..LEAVES.len())
        .prop_map(Tree::Leaf)
        .prop_recursive(5, 48, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..4).prop_map(Tree::All),
                prop::collection::vec(inner.clone(), 1..4).prop_map(Tree::Any),
                inner.clone().prop_map(|t| Tree::Not(Box::new(t))),
                (inner.clone(), inner.clone(), prop::option::of(inner))
                    .prop_map(|(w, t, e)| Tree::If(Box::new(w), Box::new(t), e.map(Box::new))),
            ]
        })
}

fn tree_json(t: &Tree) -> Value {
    match t {
        Tree::Leaf(i) => match LEAVES[*i].0 {
            "non_profit" => json!({"non_profit": {}}),
            "not_intermediary" => json!({"not_intermediary": {}}),
            s => json!({"not_excluded": {"situation": s}}),
        },
        Tree::All(ts) => json!({"all": ts.iter().map(tree_json).collect::<Vec<_>>()}),
        Tree::Any(ts) => json!({"any": ts.iter().map(tree_json).collect::<Vec<_>>()}),
        Tree::Not(t) => json!({"not": tree_json(t)}),
        Tree::If(w, t, e) => {
            let mut v = json!({"when": tree_json(w), "then": tree_json(t)});
            if let Some(e) = e {
                v["else"] = tree_json(e);
            }
            json!({"if": v})
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum K {
    T,
    F,
    U,
}

/// The reference: strong Kleene conjunction, disjunction and negation; a conditional whose
/// condition is unknown has the outcome both branches share, else unknown (no `else`: passes).
fn reference(t: &Tree, leaves: &[K; 8]) -> K {
    match t {
        Tree::Leaf(i) => leaves[*i],
        Tree::All(ts) => {
            let v: Vec<K> = ts.iter().map(|x| reference(x, leaves)).collect();
            if v.contains(&K::F) {
                K::F
            } else if v.contains(&K::U) {
                K::U
            } else {
                K::T
            }
        }
        Tree::Any(ts) => {
            let v: Vec<K> = ts.iter().map(|x| reference(x, leaves)).collect();
            if v.contains(&K::T) {
                K::T
            } else if v.contains(&K::U) {
                K::U
            } else {
                K::F
            }
        }
        Tree::Not(x) => match reference(x, leaves) {
            K::T => K::F,
            K::F => K::T,
            K::U => K::U,
        },
        Tree::If(w, then, otherwise) => {
            let then = reference(then, leaves);
            let otherwise = otherwise.as_ref().map_or(K::T, |o| reference(o, leaves));
            match reference(w, leaves) {
                K::T => then,
                K::F => otherwise,
                K::U if then == otherwise => then,
                K::U => K::U,
            }
        }
    }
}

/// An organisation whose leaves have the given outcomes.
fn organisation(leaves: &[K; 8]) -> Value {
    let mut org = json!({"exclusions": {}});
    for (i, (_, field)) in LEAVES.iter().enumerate() {
        // `non_profit` passes when true; the others pass when false.
        let pass = i == 0;
        let v = match leaves[i] {
            K::T => json!(pass),
            K::F => json!(!pass),
            K::U => continue,
        };
        match field.split_once('.') {
            Some((_, f)) => org["exclusions"][f] = v,
            None => org[*field] = v,
        }
    }
    org
}

fn outcome(k: K) -> Outcome {
    match k {
        K::T => Outcome::Pass,
        K::F => Outcome::Fail,
        K::U => Outcome::Unknown,
    }
}

fn arb_k() -> impl Strategy<Value = K> {
    prop_oneof![Just(K::T), Just(K::F), Just(K::U)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn all_any_not_if_follow_kleene_logic(
        tree in arb_tree(),
        leaves in prop::array::uniform8(arb_k()),
        others in prop::array::uniform8(arb_k())
    ) {
        let expected = outcome(reference(&tree, &leaves));
        let test = tree_json(&tree);
        // As a criterion on the lead applicant, and as the condition a partner must meet (counted
        // among co-applicants whose other member is decided by `others`: at least one must meet it).
        let call = compile(&call_doc(vec![
            criterion("tree", test.clone()),
            criterion("partner", json!({"partners": {"meeting": test, "min": 1}})),
        ]));
        let app = Application::from_value(&json!({
            "applicant": organisation(&leaves),
            "co_applicants": [organisation(&leaves), organisation(&others)],
        })).unwrap();
        let d = call.evaluate(&app, as_of(), None);
        prop_assert_eq!(d.checks[0].outcome, expected, "{}", serde_json::to_string(&tree_json(&tree)).unwrap());
        let other = outcome(reference(&tree, &others));
        let any = outcome(match (reference(&tree, &leaves), reference(&tree, &others)) {
            (K::T, _) | (_, K::T) => K::T,
            (K::U, _) | (_, K::U) => K::U,
            _ => K::F,
        });
        prop_assert_eq!(d.checks[1].outcome, any, "partner outcomes {:?} and {:?}", expected, other);
        // The verdict is the conjunction of the checks, and the fast path agrees.
        let verdict = match (expected, any) {
            (Outcome::Fail, _) | (_, Outcome::Fail) => Verdict::Ineligible,
            (Outcome::Unknown, _) | (_, Outcome::Unknown) => Verdict::Undetermined,
            _ => Verdict::Eligible,
        };
        prop_assert_eq!(d.verdict, verdict);
        let batch = call.evaluate_many(std::slice::from_ref(&app), as_of(), None);
        prop_assert_eq!(batch.verdicts[0], verdict);
        // An unknown check says which answers it waits for.
        if expected == Outcome::Unknown {
            prop_assert!(!d.checks[0].missing.is_empty());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// widening a maximum
// ---------------------------------------------------------------------------------------------

/// Limits of a call: requested max (cents), duration max (months), share max, indirect and
/// contingency caps (percent, in hundredths of a percent).
#[derive(Debug, Clone, Copy)]
struct Limits {
    requested: u64,
    duration: u32,
    share: u32,
    share_exclusive: bool,
    indirect: u32,
    contingency: u32,
}

fn percent(hundredths: u32) -> String {
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

fn limits_call(l: &Limits) -> Call {
    let tj = json!({"established_in": {"any_of": ["TJ"]}});
    compile(&call_doc(vec![
        criterion(
            "requested",
            json!({"requested": {"min": 100, "max": l.requested}}),
        ),
        criterion(
            "duration",
            json!({"duration": {"min_months": 6, "max_months": l.duration}}),
        ),
        criterion(
            "share",
            json!({"eu_share": {"max_percent": percent(l.share), "max_exclusive": l.share_exclusive}}),
        ),
        criterion(
            "indirect",
            json!({"indirect_cap": {"max_percent": percent(l.indirect)}}),
        ),
        criterion(
            "contingency",
            json!({"contingency_cap": {"max_percent": percent(l.contingency)}}),
        ),
        // A conditional maximum whose branches both widen with the others.
        criterion(
            "conditional",
            json!({"if": {"when": tj,
            "then": {"requested": {"max": l.requested}},
            "else": {"requested": {"max": l.requested / 2}}}}),
        ),
    ]))
}

fn arb_limits() -> impl Strategy<Value = Limits> {
    (
        1u64..100_000_000,
        6u32..60,
        1u32..10_000,
        any::<bool>(),
        0u32..2_000,
        0u32..1_000,
    )
        .prop_map(
            |(requested, duration, share, share_exclusive, indirect, contingency)| Limits {
                requested,
                duration,
                share,
                share_exclusive,
                indirect,
                contingency,
            },
        )
}

fn arb_widening() -> impl Strategy<Value = (u64, u32, u32, bool, u32, u32)> {
    (
        0u64..50_000_000,
        0u32..24,
        0u32..2_000,
        any::<bool>(),
        0u32..1_000,
        0u32..1_000,
    )
}

fn arb_budget() -> impl Strategy<Value = Value> {
    (
        prop::option::of(0u64..100_000_000),
        prop::option::of(0u64..10_000_000),
        prop::option::of(0u64..5_000_000),
        prop::option::of(0u64..100_000_000),
        prop::option::of(0u32..80),
        prop::option::of(prop::sample::select(vec!["TJ", "KZ"])),
    )
        .prop_map(
            |(direct, indirect, contingency, requested, duration, country)| {
                let mut budget = Map::new();
                for (k, v) in [
                    ("direct", direct),
                    ("indirect", indirect),
                    ("contingency", contingency),
                    ("requested", requested),
                ] {
                    if let Some(v) = v {
                        budget.insert(k.into(), json!(v));
                    }
                }
                let mut app = json!({"budget": budget, "action": {}, "applicant": {}});
                if let Some(d) = duration {
                    app["action"]["duration_months"] = json!(d);
                }
                if let Some(c) = country {
                    app["applicant"]["country"] = json!(c);
                }
                app
            },
        )
}

fn rank(o: Outcome) -> u8 {
    match o {
        Outcome::Fail => 0,
        Outcome::Unknown => 1,
        _ => 2,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn widening_a_maximum_never_turns_a_pass_into_a_fail(
        l in arb_limits(),
        (dr, dd, ds, relax, di, dc) in arb_widening(),
        doc in arb_budget()
    ) {
        let wide = Limits {
            requested: l.requested + dr,
            duration: l.duration + dd,
            share: l.share + ds,
            // An exclusive maximum may become inclusive, never the other way.
            share_exclusive: l.share_exclusive && !relax,
            indirect: l.indirect + di,
            contingency: l.contingency + dc,
        };
        let app = Application::from_value(&doc).unwrap();
        let narrow_d = limits_call(&l).evaluate(&app, as_of(), None);
        let wide_d = limits_call(&wide).evaluate(&app, as_of(), None);
        for (a, b) in narrow_d.checks.iter().zip(&wide_d.checks) {
            prop_assert_eq!(&a.id, &b.id);
            prop_assert!(rank(b.outcome) >= rank(a.outcome), "`{}`: {:?} → {:?}", a.id, a.outcome, b.outcome);
        }
        prop_assert!(rank_verdict(wide_d.verdict) >= rank_verdict(narrow_d.verdict));
        // The grant can only grow: more eligible costs, a larger maximum.
        if let (Some(a), Some(b)) = (&narrow_d.grant, &wide_d.grant) {
            prop_assert!(b.total_eligible >= a.total_eligible);
            prop_assert!(b.max_eu_contribution.unwrap_or(0) >= a.max_eu_contribution.unwrap_or(0));
            prop_assert!(b.max_eu_contribution.is_some());
            // The maximum the rules allow is itself allowed: requesting it passes the money checks.
            let max = b.max_eu_contribution.unwrap();
            if max >= 100 && b.indirect_eligible == b.indirect && b.contingency_eligible == b.contingency
                && doc["budget"].get("indirect").is_some() && doc["budget"].get("contingency").is_some()
            {
                let mut at_max = doc.clone();
                at_max["budget"]["requested"] = json!(max);
                let d = limits_call(&wide).evaluate(&Application::from_value(&at_max).unwrap(), as_of(), None);
                for id in ["requested", "share"] {
                    let c = d.checks.iter().find(|c| c.id == id).unwrap();
                    prop_assert_eq!(c.outcome, Outcome::Pass, "`{}` at the maximum {}: {}", id, max, c.message);
                }
            }
        }
    }
}

fn rank_verdict(v: Verdict) -> u8 {
    match v {
        Verdict::Ineligible => 0,
        Verdict::Undetermined => 1,
        Verdict::Eligible => 2,
    }
}

// ---------------------------------------------------------------------------------------------
// rule sets round-trip through JSON
// ---------------------------------------------------------------------------------------------

fn arb_who() -> impl Strategy<Value = Option<&'static str>> {
    prop::option::of(prop::sample::select(vec![
        "lead",
        "co_applicants",
        "all_applicants",
        "affiliated_entities",
    ]))
}

fn with_who(mut v: Value, who: Option<&str>) -> Value {
    if let Some(w) = who {
        v["who"] = json!(w);
    }
    v
}

fn arb_percent() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0u32..1000).prop_map(|p| json!(p)),
        (0u32..1000, 0u32..10_000).prop_map(|(w, f)| json!(format!("{w}.{f:04}"))),
        (0u32..100).prop_map(|p| json!(format!("{p}"))),
    ]
}

fn arb_date() -> impl Strategy<Value = String> {
    (1990i32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

fn arb_codes(pool: &'static [&'static str]) -> impl Strategy<Value = Vec<&'static str>> {
    prop::sample::subsequence(pool, 0..=pool.len().min(3))
}

const COUNTRIES: &[&str] = &["TJ", "KG", "KZ", "UZ", "TM", "DE", "FR", "GB", "AF", "RU"];
const WORDS: &[&str] = &[
    "media",
    "elections",
    "15160",
    "15162",
    "training",
    "p1",
    "land",
];

fn arb_as_of() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("deadline")),
        Just(json!("evaluation")),
        arb_date().prop_map(|d| json!({"date": d}))
    ]
}

fn arb_leaf_test() -> impl Strategy<Value = Value> {
    let set = || {
        (arb_codes(WORDS), arb_codes(WORDS)).prop_map(|(a, n)| {
            let mut v = json!({});
            if !a.is_empty() {
                v["any_of"] = json!(a);
            }
            if !n.is_empty() {
                v["none_of"] = json!(n);
            }
            v
        })
    };
    prop_oneof![
        (arb_who(), prop::sample::subsequence(vec!["legal_person", "natural_person", "entity_without_legal_personality"], 1..=3))
            .prop_map(|(w, f)| json!({"legal_form": with_who(json!({"any_of": f}), w)})),
        arb_who().prop_map(|w| json!({"non_profit": with_who(json!({}), w)})),
        arb_who().prop_map(|w| json!({"not_intermediary": with_who(json!({}), w)})),
        (arb_who(), prop::collection::vec(prop_oneof![Just(json!("22")), Just(json!(21)), Just(json!("80"))], 1..3))
            .prop_map(|(w, c)| json!({"org_type": with_who(json!({"any_of": c}), w)})),
        (arb_who(), prop::sample::subsequence(vec!["civil_society_organisation", "public_body", "political_party", "company"], 0..=2))
            .prop_map(|(w, c)| json!({"category": with_who(json!({"any_of": c, "none_of": ["political_party"]}), w)})),
        (arb_who(), arb_codes(COUNTRIES), any::<bool>(), any::<bool>(), arb_codes(COUNTRIES)).prop_map(|(w, a, eu, any, n)| {
            let mut v = with_who(json!({"any_of": a, "none_of": n}), w);
            if eu {
                v["eu_member_states"] = json!(true);
            }
            if any {
                v["any_country"] = json!(true);
            }
            json!({"established_in": v})
        }),
        (arb_who(), 0u32..20, arb_as_of()).prop_map(|(w, y, a)| json!({"registered": with_who(json!({"min_years": y, "as_of": a}), w)})),
        (arb_who(), 0u32..10, 0u32..10, arb_as_of())
            .prop_map(|(w, n, y, a)| json!({"track_record": with_who(json!({"min_projects": n, "within_years": y, "as_of": a}), w)})),
        (arb_who(), arb_percent(), prop_oneof![Just(json!("requested")), (0u64..1_000_000_000).prop_map(|a| json!({"amount": a}))])
            .prop_map(|(w, p, of)| json!({"annual_budget": with_who(json!({"min_percent": p, "of": of}), w)})),
        (arb_who(), prop::sample::select(vec!["bankrupt", "convicted", "grave_misconduct", "unpaid_taxes", "fraud", "breach_of_contract"]))
            .prop_map(|(w, s)| json!({"not_excluded": with_who(json!({"situation": s}), w)})),
        (prop::option::of(prop::sample::select(vec!["co_applicants", "affiliated_entities", "co_applicants_and_affiliated_entities"])),
         prop::option::of(0u32..5), prop::option::of(0u32..9), prop::option::of(prop::sample::select(partner_conditions())))
            .prop_map(|(of, min, max, meeting)| {
                let mut v = json!({});
                if let Some(of) = of { v["of"] = json!(of); }
                if let Some(m) = min { v["min"] = json!(m); }
                if let Some(m) = max { v["max"] = json!(m); }
                if let Some(meeting) = meeting { v["meeting"] = meeting; }
                json!({"partners": v})
            }),
        set().prop_map(|s| json!({"action_country": s})),
        set().prop_map(|s| json!({"sectors": s})),
        set().prop_map(|s| json!({"themes": s})),
        set().prop_map(|s| json!({"priorities": s})),
        set().prop_map(|s| json!({"activities": s})),
        (prop::option::of(0u32..60), prop::option::of(0u32..60)).prop_map(|(a, b)| {
            let mut v = json!({});
            if let Some(a) = a { v["min_months"] = json!(a); }
            if let Some(b) = b { v["max_months"] = json!(b); }
            json!({"duration": v})
        }),
        (prop::option::of(arb_date()), prop::option::of(arb_date())).prop_map(|(a, b)| {
            let mut v = json!({});
            if let Some(a) = a { v["from"] = json!(a); }
            if let Some(b) = b { v["to"] = json!(b); }
            json!({"start": v})
        }),
        (prop::option::of(0u64..1_000_000_000), prop::option::of(0u64..1_000_000_000)).prop_map(|(a, b)| {
            let mut v = json!({});
            if let Some(a) = a { v["min"] = json!(a); }
            if let Some(b) = b { v["max"] = json!(format!("{b}")); }
            json!({"requested": v})
        }),
        (prop::option::of(arb_percent()), any::<bool>(), prop::option::of(arb_percent())).prop_map(|(mx, ex, mn)| {
            let mut v = json!({});
            if let Some(m) = mx { v["max_percent"] = m; }
            if ex { v["max_exclusive"] = json!(true); }
            if let Some(m) = mn { v["min_percent"] = m; }
            json!({"eu_share": v})
        }),
        arb_percent().prop_map(|p| json!({"indirect_cap": {"max_percent": p}})),
        arb_percent().prop_map(|p| json!({"contingency_cap": {"max_percent": p}})),
        arb_codes(WORDS).prop_map(|c| json!({"ineligible_costs": {"categories": c}})),
        (arb_codes(WORDS), arb_percent()).prop_map(|(h, p)| json!({"heading_cap": {"heading": h.first().copied().unwrap_or("equipment"), "max_percent": p}})),
        prop_oneof![
            Just(json!({"at": "2020-09-04T13:30:00", "zone": "Europe/Brussels"})),
            Just(json!({"at": "2020-09-04T11:30:00Z"})),
            arb_date().prop_map(|d| json!({"date": d})),
            arb_date().prop_map(|d| json!({"date": d, "zone": "Asia/Dushanbe"})),
        ]
        .prop_flat_map(|d| prop_oneof![Just(json!({"deadline": d.clone()})), Just(json!({"opens": d}))]),
    ]
}

/// Conditions a partner may be asked to meet: on the partner alone, or (an annual budget against
/// the request) on the application's budget too.
fn partner_conditions() -> Vec<Value> {
    vec![
        json!({"established_in": {"any_of": ["TJ"]}}),
        json!({"not": {"established_in": {"any_of": ["TJ", "KG"]}}}),
        json!({"all": [{"established_in": {"any_of": ["TJ"]}}, {"non_profit": {}}]}),
        json!({"any": [{"org_type": {"any_of": ["21"]}}, {"category": {"none_of": ["political_party"]}}]}),
        json!({"not_excluded": {"situation": "bankrupt"}}),
        json!({"annual_budget": {"min_percent": "50", "of": "requested"}}),
    ]
}

fn arb_test() -> impl Strategy<Value = Value> {
    arb_leaf_test().prop_recursive(3, 24, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(|ts| json!({"all": ts})),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|ts| json!({"any": ts})),
            inner.clone().prop_map(|t| json!({"not": t})),
            (inner.clone(), inner.clone(), prop::option::of(inner)).prop_map(|(w, t, e)| {
                let mut v = json!({"when": w, "then": t});
                if let Some(e) = e {
                    v["else"] = e;
                }
                json!({"if": v})
            }),
        ]
    })
}

fn arb_rule_set() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec((arb_test(), prop::option::of(prop::sample::select(vec!["concept_note", "full_application"]))), 0..5),
        prop::collection::vec(arb_test(), 0..2),
        prop::option::of(prop::sample::select(vec!["2007", "2014-01", "2020-09-04"])),
        prop::option::of(prop::sample::select(vec!["EUR", "USD"])),
        any::<bool>(),
        prop::option::of(0u64..10_000_000_000),
    )
        .prop_map(|(criteria, replace, validity, currency, call, envelope)| {
            let mut doc = json!({
                "id": "rs", "version": "3", "kind": if call { "call" } else { "instrument" },
                "title": "A random rule set",
                "criteria": criteria.iter().enumerate().map(|(i, (t, stage))| {
                    let mut c = criterion(&format!("c{i}"), t.clone());
                    if let Some(s) = stage { c["stage"] = json!(s); }
                    c
                }).collect::<Vec<_>>(),
                "replace": replace.iter().enumerate().map(|(i, t)| criterion(&format!("r{i}"), t.clone())).collect::<Vec<_>>(),
                "remove": [{"id": "gone", "reason": "not in this call"}],
                "stages": ["concept_note", "full_application"],
                "notes": ["a note"],
                "sources": [source()],
            });
            if call {
                doc["extends"] = json!("some-instrument");
                doc["country"] = json!("TJ");
                doc["instrument"] = json!("eidhr");
            }
            if let Some(v) = validity { doc["validity"] = json!({"from": v, "to": "2030"}); }
            if let Some(c) = currency { doc["currency"] = json!(c); }
            if let Some(e) = envelope { doc["envelope"] = json!(e); }
            doc
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn rule_sets_round_trip_through_json(doc in arb_rule_set()) {
        let parsed: RuleSet = serde_json::from_value(doc.clone()).unwrap_or_else(|e| panic!("{e}: {doc}"));
        let written = serde_json::to_value(&parsed).unwrap();
        let again: RuleSet = serde_json::from_value(written.clone()).unwrap();
        prop_assert_eq!(&again, &parsed);
        prop_assert_eq!(serde_json::to_value(&again).unwrap(), written.clone());
        // Through text, as a user would store it.
        let text = serde_json::to_string_pretty(&parsed).unwrap();
        let from_text: RuleSet = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&from_text, &parsed);
    }

    #[test]
    fn a_compiled_call_writes_back_its_rule_set(tests in prop::collection::vec(arb_test(), 1..5)) {
        let doc = call_doc(tests.iter().enumerate().map(|(i, t)| criterion(&format!("c{i}"), t.clone())).collect());
        // Random parameters may be rejected when compiled (a deadline counted to that is not
        // there, an empty `all`); those that compile write back what they read.
        if let Ok(call) = Call::from_value_with(&doc, data()) {
            let back = Call::from_json_with(&call.to_json(), data()).unwrap();
            prop_assert_eq!(back.rule_set(), call.rule_set());
            prop_assert_eq!(back.criteria(), call.criteria());
            // And it evaluates any application without panicking, identically after the trip.
            let app = Application::from_value(&good()).unwrap();
            prop_assert_eq!(call.evaluate(&app, as_of(), None), back.evaluate(&app, as_of(), None));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// batches given as columns
// ---------------------------------------------------------------------------------------------

/// The columns of a table of applications and the values each may take: enough of them to
/// change every criterion of `every_kind` (and of random calls) either way.
fn column_pools() -> Vec<(&'static str, Vec<Value>)> {
    vec![
        ("id", vec![json!("a"), json!("b"), json!("c")]),
        (
            "applicant.legal_form",
            vec![
                json!("legal_person"),
                json!("natural_person"),
                json!("entity_without_legal_personality"),
            ],
        ),
        ("applicant.legal_person", vec![json!(true), json!(false)]),
        ("applicant.non_profit", vec![json!(true), json!(false)]),
        (
            "applicant.org_type",
            vec![json!("22"), json!("70"), json!(21)],
        ),
        (
            "applicant.categories",
            vec![
                json!(["non_governmental_organisation"]),
                json!(["company"]),
                json!(["political_party"]),
            ],
        ),
        (
            "applicant.country",
            vec![json!("TJ"), json!("FR"), json!("AF"), json!("US")],
        ),
        (
            "applicant.registered_on",
            vec![
                json!("2015-03-01"),
                json!("2018-09-04"),
                json!("2018-09-05"),
                json!("2020-01-01"),
            ],
        ),
        ("applicant.intermediary", vec![json!(true), json!(false)]),
        (
            "applicant.exclusions.bankrupt",
            vec![json!(true), json!(false)],
        ),
        (
            "applicant.exclusions.fraud",
            vec![json!(true), json!(false)],
        ),
        (
            "applicant.completed_projects",
            vec![
                json!([{"ended_on": "2019-06-30"}]),
                json!([]),
                json!([{"ended_on": "2010-01-01"}, {"ended_on": "2019-01-01"}]),
            ],
        ),
        (
            "applicant.annual_budget",
            vec![json!(30000000), json!(100), json!(13487850)],
        ),
        (
            "co_applicants",
            vec![
                json!([{"country": "TJ", "non_profit": true, "org_type": 21}]),
                json!([]),
                json!([{"country": "FR"}, {"country": "TJ", "non_profit": false}]),
                json!([{"country": "TJ", "categories": ["political_party"]}]),
                json!([{"country": "KG", "annual_budget": 13487850}, {"country": "FR"}]),
            ],
        ),
        (
            "affiliated_entities",
            vec![
                json!([{"country": "TJ", "exclusions": {"bankrupt": false}}]),
                json!([{"country": "KG", "exclusions": {"bankrupt": true}}]),
                json!([]),
            ],
        ),
        (
            "action.country",
            vec![json!("TJ"), json!("AF"), json!("KG")],
        ),
        (
            "action.countries",
            vec![json!(["KG"]), json!(["AF"]), json!([])],
        ),
        (
            "action.duration_months",
            vec![json!(30), json!(12), json!(36), json!(37)],
        ),
        // An impossible day too: a table holding it is refused, as its rows are, whether or not
        // a criterion reads it.
        (
            "action.start",
            vec![
                json!("2021-01-01"),
                json!("2020-12-31"),
                json!("2021-07-01"),
                json!("2021-02-30"),
            ],
        ),
        (
            "action.sectors",
            vec![
                json!(["15162"]),
                json!(["15150"]),
                json!([15160, 11110]),
                json!(["99810"]),
            ],
        ),
        ("action.themes", vec![json!(["media"]), json!(["health"])]),
        ("action.priorities", vec![json!(["p1"]), json!(["p2"])]),
        (
            "action.activities",
            vec![json!(["training"]), json!(["sub_granting"])],
        ),
        ("budget.currency", vec![json!("EUR"), json!("USD")]),
        (
            "budget.direct",
            vec![json!(28987200), json!(1000000), json!(50000000)],
        ),
        (
            "budget.indirect",
            vec![json!(2029104), json!(5000000), json!(0)],
        ),
        ("budget.contingency", vec![json!(1449360), json!(9000000)]),
        (
            "budget.requested",
            vec![json!(26975700), json!(10000000), json!(45000000)],
        ),
        (
            "budget.lines",
            vec![
                json!([{"heading": "staff", "amount": 100}]),
                json!([{"heading": "land", "category": "land", "amount": 500}]),
                json!([]),
            ],
        ),
        (
            "submitted_at",
            vec![
                json!("2020-09-04T10:00:00+02:00"),
                json!("2020-09-04T13:30:01+02:00"),
                json!("2020-05-01T00:00:00Z"),
            ],
        ),
    ]
}

/// Each row's first item, each item's code and how many codes there are (see `JsonTable`).
type NumberedItems = (Vec<usize>, Vec<u32>, u32);

/// A table of JSON cells: some columns with codes (their cells' JSON text, numbered in the
/// order met), the others without.
#[derive(Debug, Clone)]
struct JsonTable {
    paths: Vec<String>,
    cells: Vec<Vec<Value>>,
    codes: Vec<Option<(Vec<u32>, u32)>>,
    /// For a column of lists numbered item by item: each row's first item, each item's code
    /// (its JSON text, numbered in the order met), and how many codes there are.
    items: Vec<Option<NumberedItems>>,
    rows: usize,
    /// How many cells of each column have been placed.
    placed: std::sync::Arc<Vec<std::sync::atomic::AtomicUsize>>,
}

impl JsonTable {
    fn new(columns: Vec<(String, Vec<Value>, bool)>, rows: usize) -> JsonTable {
        JsonTable::itemized(
            columns
                .into_iter()
                .map(|(path, cells, coded)| (path, cells, coded, false))
                .collect(),
            rows,
        )
    }

    /// A table whose columns of lists (`true` last) are numbered item by item too.
    fn itemized(columns: Vec<(String, Vec<Value>, bool, bool)>, rows: usize) -> JsonTable {
        let mut table = JsonTable {
            paths: Vec::new(),
            cells: Vec::new(),
            codes: Vec::new(),
            items: Vec::new(),
            rows,
            placed: std::sync::Arc::new(
                columns
                    .iter()
                    .map(|_| std::sync::atomic::AtomicUsize::new(0))
                    .collect(),
            ),
        };
        for (path, cells, coded, itemized) in columns {
            let codes = coded.then(|| number(cells.iter()));
            let items = itemized
                .then(|| {
                    let lists: Vec<&Vec<Value>> =
                        cells.iter().map(Value::as_array).collect::<Option<_>>()?;
                    let mut starts = vec![0];
                    for list in &lists {
                        starts.push(starts.last().unwrap() + list.len());
                    }
                    let (codes, count) = number(lists.iter().flat_map(|l| l.iter()));
                    Some((starts, codes, count))
                })
                .flatten();
            table.paths.push(path);
            table.cells.push(cells);
            table.codes.push(codes);
            table.items.push(items);
        }
        table
    }

    /// Row `row`'s application, every cell placed.
    fn application(&self, row: usize) -> Option<Application> {
        let mut app = Application::default();
        (0..self.paths.len())
            .all(|c| self.place(&mut app, c, row))
            .then_some(app)
    }
}

/// Values numbered by their JSON text, in the order met, and how many there are.
fn number<'a>(values: impl Iterator<Item = &'a Value>) -> (Vec<u32>, u32) {
    let mut seen: Vec<String> = Vec::new();
    let codes = values
        .map(|v| {
            let text = v.to_string();
            let at = seen.iter().position(|s| *s == text).unwrap_or_else(|| {
                seen.push(text);
                seen.len() - 1
            });
            u32::try_from(at).unwrap()
        })
        .collect();
    (codes, u32::try_from(seen.len()).unwrap())
}

impl Columns for JsonTable {
    fn rows(&self) -> usize {
        self.rows
    }

    fn items(&self, column: usize) -> Option<euca::Items<'_>> {
        self.items[column]
            .as_ref()
            .map(|(starts, codes, count)| euca::Items {
                starts,
                codes,
                count: *count,
            })
    }

    fn paths(&self) -> &[String] {
        &self.paths
    }

    fn codes(&self, column: usize) -> Option<(&[u32], u32)> {
        self.codes[column]
            .as_ref()
            .map(|(codes, n)| (codes.as_slice(), *n))
    }

    fn place(&self, app: &mut Application, column: usize, row: usize) -> bool {
        self.placed[column].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut doc = serde_json::to_value(&*app).unwrap();
        let mut at = &mut doc;
        let steps: Vec<&str> = self.paths[column].split('.').collect();
        let (last, objects) = steps.split_last().unwrap();
        for step in objects {
            let Value::Object(map) = at else { return false };
            at = map.entry((*step).to_string()).or_insert_with(|| json!({}));
        }
        let Value::Object(map) = at else { return false };
        map.insert((*last).to_string(), self.cells[column][row].clone());
        match Application::from_value(&doc) {
            Ok(read) => {
                *app = read;
                true
            }
            Err(_) => false,
        }
    }
}

/// Columns (each present, with or without codes) and rows of values drawn from their pools.
fn arb_table() -> impl Strategy<Value = JsonTable> {
    let pools = column_pools();
    let n = pools.len();
    (
        prop::collection::vec((any::<bool>(), any::<bool>(), any::<bool>()), n),
        1usize..40,
    )
        .prop_flat_map(move |(which, rows)| {
            let pools = column_pools();
            let chosen: Vec<(String, Vec<Value>, bool, bool)> = pools
                .into_iter()
                .zip(which)
                .filter(|(_, (present, _, _))| *present)
                .map(|((path, pool), (_, coded, itemized))| {
                    (path.to_string(), pool, coded, itemized)
                })
                .collect();
            let draws: Vec<_> = chosen
                .iter()
                .map(|(_, pool, _, _)| {
                    prop::collection::vec(prop::sample::select(pool.clone()), rows)
                })
                .collect();
            (Just(chosen), draws, Just(rows))
        })
        .prop_map(|(chosen, draws, rows)| {
            let columns = chosen
                .into_iter()
                .zip(draws)
                .map(|((path, _, coded, itemized), cells)| (path, cells, coded, itemized))
                .collect();
            JsonTable::itemized(columns, rows)
        })
}

/// A batch evaluated from columns equals the batch of the rows' applications.
fn columns_agree(
    call: &Call,
    table: &JsonTable,
    stage: Option<euca::Stage>,
) -> Result<(), TestCaseError> {
    let apps: Option<Vec<Application>> = (0..table.rows).map(|r| table.application(r)).collect();
    let by_columns = call.evaluate_columns(table, as_of(), stage);
    match apps {
        Some(apps) => {
            let expected = call.evaluate_many(&apps, as_of(), stage);
            prop_assert_eq!(by_columns, Some(expected));
        }
        // A row that does not read: neither does the table.
        None => prop_assert!(by_columns.is_none()),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn a_batch_of_columns_equals_the_batch_of_its_rows(table in arb_table(), concept_note in any::<bool>()) {
        let stage = concept_note.then_some(euca::Stage::ConceptNote);
        columns_agree(every_kind(), &table, stage)?;
    }

    #[test]
    fn a_batch_of_columns_equals_the_batch_of_its_rows_for_random_calls(
        tests in prop::collection::vec(arb_test(), 1..5),
        table in arb_table(),
    ) {
        let doc = call_doc(tests.iter().enumerate().map(|(i, t)| criterion(&format!("c{i}"), t.clone())).collect());
        if let Ok(call) = Call::from_value_with(&doc, data()) {
            columns_agree(&call, &table, None)?;
        }
    }
}

/// A table of `rows` rows cycling through `lead` countries, `requested` amounts and `partners`
/// lists of co-applicants numbered item by item (and the lists not numbered whole).
fn partners_table(partners: &[Value], rows: usize) -> JsonTable {
    let cycle = |pool: Vec<Value>| (0..rows).map(|r| pool[r % pool.len()].clone()).collect();
    JsonTable::itemized(
        vec![
            (
                "applicant.country".to_string(),
                cycle(vec![json!("TJ"), json!("FR")]),
                true,
                false,
            ),
            (
                "budget.requested".to_string(),
                cycle(vec![json!(10000000), json!(45000000), json!(26975700)]),
                false,
                false,
            ),
            (
                "co_applicants".to_string(),
                cycle(partners.to_vec()),
                false,
                true,
            ),
        ],
        rows,
    )
}

/// A `partners` test whose condition reads only the partner is counted from the codes of the
/// partners: its list's cells are placed once for each distinct partner, not once for each row,
/// and the batch equals the batch of the rows' applications.
#[test]
fn partners_are_counted_from_their_codes() {
    let call = compile(&call_doc(vec![
        criterion(
            "tj_partner_if_lead_tj",
            json!({"if": {"when": {"established_in": {"any_of": ["TJ"]}},
                          "then": {"partners": {"meeting": {"established_in": {"any_of": ["TJ"]}}, "min": 1}}}}),
        ),
        criterion(
            "two_or_three",
            json!({"partners": {"meeting": {"any": [{"non_profit": {}}, {"established_in": {"any_of": ["KG"]}}]}, "min": 2, "max": 3}}),
        ),
    ]));
    // Lists of up to five drawn from four partners: many distinct lists (more than the whole
    // list's codes would be worth), few distinct partners; rows enough for parts on each core.
    let pool = [
        json!({"country": "TJ", "non_profit": true}),
        json!({"country": "FR"}),
        json!({"country": "KG", "non_profit": false}),
        json!({"country": "TJ", "non_profit": false}),
    ];
    let rows = 1500;
    let lists: Vec<Value> = (0..rows)
        .map(|i| {
            let draws = (0..i % 6).map(|k| pool[(i * 7919 / 4usize.pow(k as u32)) % 4].clone());
            Value::Array(draws.collect())
        })
        .collect();
    let table = partners_table(&lists, rows);
    let apps: Vec<Application> = (0..rows).map(|r| table.application(r).unwrap()).collect();
    let before = table.placed[2].load(std::sync::atomic::Ordering::Relaxed);
    let by_columns = call.evaluate_columns(&table, as_of(), None);
    let placed = table.placed[2].load(std::sync::atomic::Ordering::Relaxed) - before;
    let expected = call.evaluate_many(&apps, as_of(), None);
    assert_eq!(by_columns, Some(expected.clone()));
    for id in ["tj_partner_if_lead_tj", "two_or_three"] {
        let failing = (0..rows)
            .filter(|&r| {
                expected
                    .failed
                    .get(r)
                    .unwrap()
                    .to_vec()
                    .contains(&id.to_string())
            })
            .count();
        assert!(
            failing > 0 && failing < rows,
            "{id} fails on {failing} rows of {rows}"
        );
    }
    // Four distinct partners: each placed once to check it, and at most once for each of the
    // two tests in each part, never once for each row.
    assert!(placed < 100, "the list was placed {placed} times");
}

/// A condition on the partner that reads the application too (an annual budget against the
/// request) is not counted from the codes of the partners: the same partner meets it in one row
/// and not in another.
#[test]
fn a_condition_that_reads_the_budget_is_asked_on_each_row() {
    let call = compile(&call_doc(vec![criterion(
        "partner_budget",
        json!({"partners": {"meeting": {"annual_budget": {"min_percent": "50", "of": "requested"}}, "min": 1}}),
    )]));
    let partners = [json!([{"country": "KG", "annual_budget": 13487850}])];
    let table = partners_table(&partners, 6);
    let apps: Vec<Application> = (0..6).map(|r| table.application(r).unwrap()).collect();
    let expected = call.evaluate_many(&apps, as_of(), None);
    // 13 487 850 is half of 26 975 700 and more than half of 10 000 000, but not of 45 000 000.
    assert_eq!(expected.failed.get(1).unwrap().to_vec(), ["partner_budget"]);
    assert!(expected.failed.get(0).unwrap().to_vec().is_empty());
    assert_eq!(call.evaluate_columns(&table, as_of(), None), Some(expected));
}

/// A partner that does not read stops the batch (as it stops the batch of the rows'
/// applications), whichever test reads its list; items that break the rules of `Items` are
/// refused.
#[test]
fn counted_partners_are_read_and_their_items_checked() {
    let call = compile(&call_doc(vec![criterion(
        "tj_partner",
        json!({"partners": {"meeting": {"established_in": {"any_of": ["TJ"]}}, "min": 1}}),
    )]));
    let unreadable = [
        json!([{"country": "TJ"}]),
        json!([{"country": "TJ"}, {"legal_form": "no such form"}]),
    ];
    let table = partners_table(&unreadable, 4);
    assert!(table.application(1).is_none());
    assert!(call.evaluate_columns(&table, as_of(), None).is_none());
    // Read even when no criterion counts the list.
    let other = compile(&call_doc(vec![criterion(
        "lead_tj",
        json!({"established_in": {"any_of": ["TJ"]}}),
    )]));
    assert!(other.evaluate_columns(&table, as_of(), None).is_none());

    let good = partners_table(
        &[json!([{"country": "TJ"}, {"country": "FR"}]), json!([])],
        4,
    );
    assert!(call.evaluate_columns(&good, as_of(), None).is_some());
    // Starts that would read other items than the rows' (the lists shifted by one, or the last
    // item left out) and are refused rather than counted: the lists' codes say nothing wrong.
    let mut shifted = good.clone();
    shifted.items[2] = Some((vec![1, 2, 2, 4, 4], vec![0, 1, 0, 1], 2));
    assert!(call.evaluate_columns(&shifted, as_of(), None).is_none());
    let mut short = good.clone();
    short.items[2] = Some((vec![0, 2, 2, 3, 3], vec![0, 1, 0, 1], 2));
    assert!(call.evaluate_columns(&short, as_of(), None).is_none());
    let mut past = good;
    past.items[2] = Some((vec![0, 2, 2, 4, 4], vec![0, 1, 0, 2], 2));
    assert!(call.evaluate_columns(&past, as_of(), None).is_none());
}

/// Codes that break the trait's rules (one short, one past the count) are refused, never read as
/// another combination's outcome.
#[test]
fn a_table_whose_codes_break_the_rules_is_refused() {
    let cells = vec![json!("TJ"), json!("FR"), json!("TJ")];
    let good = JsonTable::new(vec![("applicant.country".to_string(), cells, true)], 3);
    let call = every_kind();
    assert!(call.evaluate_columns(&good, as_of(), None).is_some());
    let mut short = good.clone();
    short.codes[0] = Some((vec![0, 1], 2));
    assert!(call.evaluate_columns(&short, as_of(), None).is_none());
    let mut past = good.clone();
    past.codes[0] = Some((vec![0, 1, 2], 2));
    assert!(call.evaluate_columns(&past, as_of(), None).is_none());
    let mut huge = good;
    huge.codes[0] = Some((vec![0, 1, 0], u32::MAX));
    assert!(call.evaluate_columns(&huge, as_of(), None).is_none());
}

/// A cell of a coded column that only a criterion of a later stage reads is still read at an
/// earlier stage: the criterion is not evaluated then, so its rows never place the cell, and the
/// batch is refused as its rows are.
#[test]
fn a_coded_cell_read_only_by_a_criterion_of_a_later_stage_is_still_read() {
    let mut doc = call_doc(vec![
        criterion(
            "legal_form",
            json!({"legal_form": {"any_of": ["legal_person"]}}),
        ),
        json!({"id": "registered", "statement": "registered", "citation": {"reference": "x", "source": source()},
               "stage": "full_application", "test": {"registered": {"min_years": 2, "as_of": "evaluation"}}}),
    ]);
    doc["stages"] = json!(["concept_note", "full_application"]);
    let call = compile(&doc);
    let days = |last: &str| {
        JsonTable::new(
            vec![
                (
                    "applicant.legal_form".to_string(),
                    vec![json!("legal_person"); 3],
                    true,
                ),
                (
                    "applicant.registered_on".to_string(),
                    vec![json!("2015-03-01"), json!("2015-03-01"), json!(last)],
                    true,
                ),
            ],
            3,
        )
    };
    for stage in [
        None,
        Some(euca::Stage::ConceptNote),
        Some(euca::Stage::FullApplication),
    ] {
        assert!(
            call.evaluate_columns(&days("2016-01-01"), as_of(), stage)
                .is_some()
        );
        assert!(
            call.evaluate_columns(&days("2015-02-30"), as_of(), stage)
                .is_none(),
            "{stage:?}"
        );
    }
}

/// A call of 70 criteria, remembered by codes and evaluated on each row in turn, failing and
/// unknown among the first 64 and past them, gives the batch of the rows' applications, each
/// row's failed and missing criteria in the call's order.
#[test]
fn a_call_of_more_than_64_criteria_gives_the_batch_of_its_rows() {
    // Criterion k: a duration (coded column) from 20 + k % 13 months, a request (a column
    // without codes) of at most 20 000 000 + 150 000 * k cents, or the lead's legal form (no
    // column: unknown on every row), in turn.
    let criteria: Vec<Value> = (0..70u64)
        .map(|k| {
            let test = match k % 3 {
                0 => json!({"duration": {"min_months": 20 + k % 13}}),
                1 => json!({"requested": {"max": 20_000_000 + 150_000 * k}}),
                _ if k % 2 == 0 => json!({"legal_form": {"any_of": ["legal_person"]}}),
                _ => json!({"duration": {"max_months": 25 + k % 11}}),
            };
            criterion(&format!("c{k}"), test)
        })
        .collect();
    let call = compile(&call_doc(criteria));
    let rows = 900;
    let durations: Vec<Value> = (0..rows).map(|r| json!(18 + r % 20)).collect();
    let requested: Vec<Value> = (0..rows)
        .map(|r| json!(19_000_000 + (r as u64 * 7919 % 90) * 150_000))
        .collect();
    let table = JsonTable::itemized(
        vec![
            ("action.duration_months".to_string(), durations, true, false),
            ("budget.requested".to_string(), requested, false, false),
        ],
        rows,
    );
    let apps: Vec<Application> = (0..rows).map(|r| table.application(r).unwrap()).collect();
    let expected = call.evaluate_many(&apps, as_of(), None);
    assert_eq!(
        call.evaluate_columns(&table, as_of(), None),
        Some(expected.clone())
    );
    // The rows do fail and miss criteria on both sides of the word's end, in order.
    let ids = |list: &euca::CriterionIds, r: usize| list.get(r).unwrap().to_vec();
    let failed_past = (0..rows)
        .filter(|&r| {
            ids(&expected.failed, r)
                .iter()
                .any(|id| id == "c64" || id == "c69")
        })
        .count();
    let failed_before = (0..rows)
        .filter(|&r| ids(&expected.failed, r).iter().any(|id| id == "c63"))
        .count();
    assert!(
        failed_past > 0 && failed_before > 0,
        "{failed_before} {failed_past}"
    );
    let missing = ids(&expected.missing, 0);
    assert!(
        missing.contains(&"c62".to_string()) && missing.contains(&"c68".to_string()),
        "{missing:?}"
    );
    let number = |id: &String| id[1..].parse::<u32>().unwrap();
    for r in 0..rows {
        let failed = ids(&expected.failed, r);
        assert!(
            failed.windows(2).all(|w| number(&w[0]) < number(&w[1])),
            "{failed:?}"
        );
    }
}
