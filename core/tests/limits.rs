//! Every documented limit (core/src/limits.rs) at the limit, where the input is accepted (or
//! refused for its shape only), and one step past it, where it is the typed error with its code
//! and the JSON path of the first value past the limit, through each way in that the other suites
//! do not already cover. Large inputs are made here, not committed.
//!
//! Cases at and past a limit that live elsewhere (tests/malformed/manifest.json, run in Rust,
//! Python and JavaScript by core/tests/malformed.rs and the bindings' runners; and
//! core/tests/validation.rs): a dataset and an application at and past the size limit, a rule tree
//! at and past the depth limit, a rule set at and past the criteria limit, a dataset whose
//! `extends` chain is at and past the limit, and batches (a list and JSON Lines) at and past the
//! batch limit; a dataset's text nested to and past the depth limit. The last test here checks
//! that those cases are still there.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::OnceLock;

use chrono::NaiveDate;
use euca::limits::{MAX_BATCH, MAX_CRITERIA, MAX_DEPTH, MAX_DOCUMENT_BYTES, MAX_EXTENDS};
use euca::{
    Application, Call, Code, Dataset, DatasetError, Verdict, read_applications, read_jsonl,
};
use serde_json::{Value, json};

fn embedded() -> &'static Dataset {
    static DATA: OnceLock<Dataset> = OnceLock::new();
    DATA.get_or_init(|| Dataset::embedded().unwrap())
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn source() -> Value {
    json!({"title": "Guidelines for grant applicants", "address": "https://example.org/guidelines.pdf"})
}

/// A criterion: the action lasts at most 36 months (or the given test).
fn criterion(id: &str, test: Value) -> Value {
    json!({
        "id": id,
        "statement": "The action lasts at most 36 months.",
        "citation": {"reference": "Guidelines 2.1", "source": source()},
        "test": test,
    })
}

fn duration() -> Value {
    json!({"duration": {"max_months": 36}})
}

/// `n` criteria `{prefix}0` ... with the duration test.
fn criteria(prefix: &str, n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| criterion(&format!("{prefix}{i}"), duration()))
        .collect()
}

/// A rule set with the given parts (`criteria`, `replace`, `remove`, `extends` ...).
fn rule_set(id: &str, kind: &str, parts: Value) -> Value {
    let mut rs = json!({
        "id": id, "version": "1", "kind": kind, "title": format!("Rule set {id}"),
        "sources": [source()],
    });
    for (k, v) in parts.as_object().unwrap() {
        rs[k] = v.clone();
    }
    rs
}

/// The code and path of the first problem.
fn first(e: &DatasetError) -> (Code, String) {
    let p = &e.problems()[0];
    (p.code, p.path.clone())
}

/// Asserts the error's first problem (and the error's own code).
#[track_caller]
fn assert_error<T: std::fmt::Debug>(result: Result<T, DatasetError>, code: Code, path: &str) {
    let e = result.expect_err("an error past the limit");
    assert_eq!(first(&e), (code, path.to_string()), "{e}");
    assert_eq!(e.code(), code);
}

/// Asserts that an input refused at the limit is refused for its shape, not for its depth, and
/// that the shape problem is reported where it is.
#[track_caller]
fn assert_shape_error<T: std::fmt::Debug>(result: Result<T, DatasetError>, code: Code, path: &str) {
    let e = result.expect_err("a shape error");
    assert!(
        e.problems().iter().all(|p| p.code != Code::InputTooDeep),
        "at the limit, depth is not the problem: {e}"
    );
    assert!(
        e.problems()
            .iter()
            .any(|p| p.code == code && p.path == path),
        "expected `{}` at `{path}`: {:?}",
        code.as_str(),
        e.problems()
    );
}

/// JSON text of `value` with a note of `x`s that makes the text exactly `bytes` long.
fn padded(value: &Value, pointer: &str, bytes: usize) -> String {
    let mut v = value.clone();
    *v.pointer_mut(pointer).unwrap() = json!("");
    let base = serde_json::to_string(&v).unwrap().len();
    *v.pointer_mut(pointer).unwrap() = json!("x".repeat(bytes - base));
    let text = serde_json::to_string(&v).unwrap();
    assert_eq!(text.len(), bytes);
    text
}

// ---------------------------------------------------------------------------------------------
// The size of a document: MAX_DOCUMENT_BYTES, `input_too_large` at the whole document.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_rule_set_at_the_size_limit_compiles_and_one_byte_more_is_too_large() {
    let call = rule_set(
        "sized",
        "call",
        json!({"criteria": criteria("c", 1), "notes": [""]}),
    );
    let at = padded(&call, "/notes/0", MAX_DOCUMENT_BYTES);
    let compiled = Call::from_json_with(&at, embedded()).unwrap();
    assert_eq!(compiled.criteria().len(), 1);
    let past = padded(&call, "/notes/0", MAX_DOCUMENT_BYTES + 1);
    assert_error(
        Call::from_json_with(&past, embedded()),
        Code::InputTooLarge,
        "",
    );
}

#[test]
fn an_extension_at_the_size_limit_is_applied_and_one_byte_more_is_too_large() {
    let extension = json!({"add": {"rounds": [{
        "id": "hrd-kz/limit", "dialogue": "hrd-kz", "date": "2099-03",
        "sources": [{"title": "Field notes", "document": "notes, March 2099"}],
        "note": "",
    }]}});
    let at = padded(&extension, "/add/rounds/0/note", MAX_DOCUMENT_BYTES);
    let extended = embedded().extend(&at).unwrap();
    assert_eq!(extended.rounds().len(), embedded().rounds().len() + 1);
    let past = padded(&extension, "/add/rounds/0/note", MAX_DOCUMENT_BYTES + 1);
    assert_error(embedded().extend(&past), Code::InputTooLarge, "");
}

#[test]
fn a_json_lines_line_at_the_size_limit_is_read_and_one_byte_more_is_too_large() {
    // The limit is on each line (each is a document); the batch as a whole is bounded by
    // MAX_BATCH applications instead.
    let app = json!({"id": ""});
    let at = format!("{{}}\n{}\n", padded(&app, "/id", MAX_DOCUMENT_BYTES));
    let apps = read_jsonl(&at).unwrap();
    assert_eq!(apps.len(), 2);
    assert_eq!(
        apps[1].id.as_ref().map(String::len),
        Some(MAX_DOCUMENT_BYTES - r#"{"id":""}"#.len())
    );
    let past = format!("{{}}\n{}\n", padded(&app, "/id", MAX_DOCUMENT_BYTES + 1));
    let e = read_jsonl(&past).unwrap_err();
    assert_eq!(first(&e), (Code::InputTooLarge, "[1]".to_string()), "{e}");
    assert!(e.problems()[0].message.starts_with("line 2: "), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Nesting: MAX_DEPTH levels of arrays and objects, `input_too_deep` at the first container past it.
// ---------------------------------------------------------------------------------------------

/// An application whose `action.sectors` nests arrays until the document is `depth` deep (the
/// object, `action` and `sectors` are the first three levels).
fn deep_application(depth: usize) -> String {
    let arrays = depth - 2;
    format!(
        "{{\"action\": {{\"sectors\": {}\"15160\"{}}}}}",
        "[".repeat(arrays),
        "]".repeat(arrays)
    )
}

#[test]
fn an_application_nested_to_the_limit_is_refused_for_its_shape_and_one_level_more_is_too_deep() {
    let at = deep_application(MAX_DEPTH);
    assert_shape_error(
        Application::from_json(&at),
        Code::InvalidType,
        "action.sectors[0]",
    );
    let past = deep_application(MAX_DEPTH + 1);
    // The 65th level is the 62nd array inside `sectors`.
    let path = format!("action.sectors{}", "[0]".repeat(MAX_DEPTH - 2));
    assert_error(Application::from_json(&past), Code::InputTooDeep, &path);
    // As a line of JSON Lines (the path names the line's application).
    assert_shape_error(
        read_jsonl(&format!("{{}}\n{at}\n")),
        Code::InvalidType,
        "[1].action.sectors[0]",
    );
    assert_error(
        read_jsonl(&format!("{{}}\n{past}\n")),
        Code::InputTooDeep,
        "[1]",
    );
    // Already parsed (how the bindings hand over a dict or a JS object): the same answers.
    let parsed = |text: &str| serde_json::from_str::<Value>(text).unwrap();
    assert_shape_error(
        Application::from_value(&parsed(&at)),
        Code::InvalidType,
        "action.sectors[0]",
    );
    assert_error(
        Application::from_value(&parsed(&past)),
        Code::InputTooDeep,
        &path,
    );
    let batch = Value::Array(vec![json!({}), parsed(&past)]);
    assert_error(
        read_applications(&batch),
        Code::InputTooDeep,
        &format!("[1].{path}"),
    );
}

/// An extension adding a round whose `note` nests objects until the document is `depth` deep
/// (the document, `add`, `rounds`, the round and `note` are the first five levels).
fn deep_extension(depth: usize) -> String {
    let objects = depth - 4;
    format!(
        "{{\"add\": {{\"rounds\": [{{\"id\": \"hrd-kz/deep\", \"note\": {}null{}}}]}}}}",
        "{\"a\": ".repeat(objects),
        "}".repeat(objects)
    )
}

#[test]
fn an_extension_nested_to_the_limit_is_refused_for_its_shape_and_one_level_more_is_too_deep() {
    let at = deep_extension(MAX_DEPTH);
    assert_shape_error(
        embedded().extend(&at),
        Code::InvalidType,
        "add.rounds[0].note",
    );
    let value: Value = serde_json::from_str(&at).unwrap();
    assert_shape_error(
        embedded().extend_value(value),
        Code::InvalidType,
        "add.rounds[0].note",
    );
    let past = deep_extension(MAX_DEPTH + 1);
    // The 65th level is the 61st object of the note.
    let path = format!("add.rounds[0].note{}", ".a".repeat(MAX_DEPTH - 4));
    assert_error(embedded().extend(&past), Code::InputTooDeep, &path);
    let value: Value = serde_json::from_str(&past).unwrap();
    assert_error(embedded().extend_value(value), Code::InputTooDeep, &path);
}

#[test]
fn a_parsed_dataset_nested_to_the_limit_is_refused_for_its_shape_and_one_level_more_is_too_deep() {
    // The text form is in validation.rs; this is the form the bindings give (a parsed value).
    let nested = |depth: usize| {
        let text = format!(
            "{{\"version\": \"1\", \"rounds\": {}{}}}",
            "[".repeat(depth - 1),
            "]".repeat(depth - 1)
        );
        serde_json::from_str::<Value>(&text).unwrap()
    };
    assert_shape_error(
        Dataset::from_value(nested(MAX_DEPTH)),
        Code::InvalidType,
        "rounds[0]",
    );
    let path = format!("rounds{}", "[0]".repeat(MAX_DEPTH - 1));
    assert_error(
        Dataset::from_value(nested(MAX_DEPTH + 1)),
        Code::InputTooDeep,
        &path,
    );
}

/// A test of `nots` negations around the duration test (two levels: the test and `duration`).
fn negated(nots: usize) -> Value {
    let mut test = duration();
    for _ in 0..nots {
        test = json!({"not": test});
    }
    test
}

#[test]
fn a_rule_tree_added_by_an_extension_at_the_limit_compiles_and_evaluates_and_one_level_more_is_too_deep()
 {
    // The document, `add`, `rule_sets`, the rule set, `criteria` and the criterion are six
    // levels; the test adds `nots` + 2.
    let extension = |nots: usize| {
        json!({"add": {"rule_sets": [rule_set(
            "deep-tree",
            "call",
            json!({"criteria": [criterion("duration_max", negated(nots))]}),
        )]}})
    };
    let nots = MAX_DEPTH - 8;
    let extended = embedded().extend(&extension(nots).to_string()).unwrap();
    let call = extended.call("deep-tree").unwrap();
    // An even number of negations is the test itself: 30 months pass, 40 fail.
    assert_eq!(nots % 2, 0);
    let as_of = day("2020-09-01");
    for (months, verdict) in [(30, Verdict::Eligible), (40, Verdict::Ineligible)] {
        let app = Application::from_value(&json!({"action": {"duration_months": months}})).unwrap();
        assert_eq!(
            call.evaluate(&app, as_of, None).verdict,
            verdict,
            "{months}"
        );
    }
    let path = format!(
        "add.rule_sets[0].criteria[0].test{}.duration",
        ".not".repeat(nots + 1)
    );
    assert_error(
        embedded().extend(&extension(nots + 1).to_string()),
        Code::InputTooDeep,
        &path,
    );
    assert_error(
        embedded().extend_value(extension(nots + 1)),
        Code::InputTooDeep,
        &path,
    );
}

// ---------------------------------------------------------------------------------------------
// Criteria: MAX_CRITERIA in each of `criteria`, `replace` and `remove`, and in a compiled call;
// `input_too_large` at the first criterion past the limit (or at `criteria` of the call).
// ---------------------------------------------------------------------------------------------

/// The embedded dataset with an instrument of `n` criteria `c0` ... added.
fn with_instrument(n: usize) -> Dataset {
    let instrument = rule_set(
        "limits-instrument",
        "instrument",
        json!({"criteria": criteria("c", n)}),
    );
    embedded()
        .extend(&json!({"add": {"rule_sets": [instrument]}}).to_string())
        .unwrap()
}

fn call_extending(parts: Value) -> String {
    let mut parts = parts;
    parts["extends"] = json!("limits-instrument");
    rule_set("limits-call", "call", parts).to_string()
}

#[test]
fn replace_and_remove_lists_at_the_limit_compile_and_one_more_is_too_large() {
    let data = with_instrument(MAX_CRITERIA);
    // Replacing every inherited criterion.
    let replace = |n: usize| {
        (0..n)
            .map(|i| criterion(&format!("c{i}"), json!({"duration": {"max_months": 24}})))
            .collect::<Vec<_>>()
    };
    let call = Call::from_json_with(
        &call_extending(json!({"replace": replace(MAX_CRITERIA)})),
        &data,
    )
    .unwrap();
    assert_eq!(call.criteria().len(), MAX_CRITERIA);
    assert!(call.criteria().iter().all(|c| c.origin == "limits-call"));
    assert_error(
        Call::from_json_with(
            &call_extending(json!({"replace": replace(MAX_CRITERIA + 1)})),
            &data,
        ),
        Code::InputTooLarge,
        &format!("replace[{MAX_CRITERIA}]"),
    );
    // Removing every inherited criterion (the call keeps one of its own).
    let remove = |n: usize| {
        (0..n)
            .map(|i| json!({"id": format!("c{i}"), "reason": "not in this call"}))
            .collect::<Vec<_>>()
    };
    let call = Call::from_json_with(
        &call_extending(json!({"remove": remove(MAX_CRITERIA), "criteria": criteria("own", 1)})),
        &data,
    )
    .unwrap();
    assert_eq!(call.criteria().len(), 1);
    assert_error(
        Call::from_json_with(
            &call_extending(
                json!({"remove": remove(MAX_CRITERIA + 1), "criteria": criteria("own", 1)}),
            ),
            &data,
        ),
        Code::InputTooLarge,
        &format!("remove[{MAX_CRITERIA}]"),
    );
}

#[test]
fn a_call_with_its_inherited_criteria_at_the_limit_compiles_and_one_more_is_too_large() {
    let inherited = MAX_CRITERIA - 24;
    let data = with_instrument(inherited);
    let call = Call::from_json_with(
        &call_extending(json!({"criteria": criteria("own", 24)})),
        &data,
    )
    .unwrap();
    assert_eq!(call.criteria().len(), MAX_CRITERIA);
    assert_error(
        Call::from_json_with(
            &call_extending(json!({"criteria": criteria("own", 25)})),
            &data,
        ),
        Code::InputTooLarge,
        "criteria",
    );
    // The same call added to the dataset by an extension: the path is the extension's.
    let past: Value =
        serde_json::from_str(&call_extending(json!({"criteria": criteria("own", 25)}))).unwrap();
    assert_error(
        data.extend_value(json!({"add": {"rule_sets": [past]}})),
        Code::InputTooLarge,
        "add.rule_sets[0].criteria",
    );
}

#[test]
fn a_rule_set_added_by_an_extension_past_the_criteria_limit_is_too_large() {
    // At the limit, the extension is accepted (with_instrument(MAX_CRITERIA) above).
    assert_eq!(
        with_instrument(MAX_CRITERIA)
            .call("limits-instrument")
            .unwrap()
            .criteria()
            .len(),
        MAX_CRITERIA
    );
    let instrument = rule_set(
        "limits-instrument",
        "instrument",
        json!({"criteria": criteria("c", MAX_CRITERIA + 1)}),
    );
    assert_error(
        embedded().extend_value(json!({"add": {"rule_sets": [instrument]}})),
        Code::InputTooLarge,
        &format!("add.rule_sets[0].criteria[{MAX_CRITERIA}]"),
    );
}

// ---------------------------------------------------------------------------------------------
// `extends` chains: MAX_EXTENDS rule sets, `input_too_deep` at `extends`.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_call_on_a_chain_at_the_limit_compiles_and_one_link_more_is_too_deep() {
    // An extension adds a chain of MAX_EXTENDS rule sets, l0 -> l1 -> ... -> the root instrument.
    let root = MAX_EXTENDS - 1;
    let mut links: Vec<Value> = (0..root)
        .map(|i| {
            rule_set(
                &format!("l{i}"),
                "call",
                json!({"extends": format!("l{}", i + 1)}),
            )
        })
        .collect();
    links.push(rule_set(
        &format!("l{root}"),
        "instrument",
        json!({"criteria": criteria("c", 1)}),
    ));
    let data = embedded()
        .extend_value(json!({"add": {"rule_sets": links}}))
        .unwrap();
    assert_eq!(data.call("l0").unwrap().chain().len(), MAX_EXTENDS);
    // A call on l1 makes a chain of MAX_EXTENDS; on l0, one more.
    let on = |parent: &str| rule_set("on-chain", "call", json!({"extends": parent})).to_string();
    let call = Call::from_json_with(&on("l1"), &data).unwrap();
    assert_eq!(call.chain().len(), MAX_EXTENDS);
    assert_eq!(call.criteria().len(), 1);
    assert_error(
        Call::from_json_with(&on("l0"), &data),
        Code::InputTooDeep,
        "extends",
    );
}

// ---------------------------------------------------------------------------------------------
// Batches: MAX_BATCH applications; blank lines of JSON Lines do not count.
// ---------------------------------------------------------------------------------------------

#[test]
fn blank_lines_do_not_count_towards_the_batch_limit() {
    // MAX_BATCH applications, each followed by a blank line: 2 * MAX_BATCH lines, one batch. (One
    // application more is `jsonl-past-batch-limit` of tests/malformed: reading it line by line to
    // report the error takes seconds in a debug build, so it is not repeated here.)
    let text = "{}\n\n".repeat(MAX_BATCH);
    assert_eq!(read_jsonl(&text).unwrap().len(), MAX_BATCH);
}

// ---------------------------------------------------------------------------------------------
// The cases at and past the limits that the other suites hold.
// ---------------------------------------------------------------------------------------------

#[test]
fn the_malformed_manifest_keeps_its_cases_at_and_past_each_limit() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/malformed");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let cases = manifest["cases"].as_array().unwrap();
    let expected = |name: &str| -> Value {
        let case = cases
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("tests/malformed has no case `{name}`"));
        case.get("expected_error")
            .cloned()
            .unwrap_or_else(|| case["expected"].clone())
    };
    let error = |code: &str, path: &str| json!({"code": code, "path": path});
    let batch_path = format!("[{MAX_BATCH}]");
    let criteria_path = format!("criteria[{MAX_CRITERIA}]");
    let table = [
        ("dataset-at-size-limit", json!("ok")),
        ("dataset-past-size-limit", error("input_too_large", "")),
        ("application-at-size-limit", json!("ok")),
        ("application-past-size-limit", error("input_too_large", "")),
        ("rule-tree-at-depth-limit", json!("ok")),
        ("rule-set-at-criteria-limit", json!("ok")),
        (
            "rule-set-past-criteria-limit",
            error("input_too_large", &criteria_path),
        ),
        ("dataset-at-extends-limit", json!("ok")),
        (
            "dataset-past-extends-limit",
            error("input_too_deep", "rule_sets[0].extends"),
        ),
        ("jsonl-at-batch-limit", json!("ok")),
        (
            "jsonl-past-batch-limit",
            error("input_too_large", &batch_path),
        ),
        ("list-at-batch-limit", json!("ok")),
        (
            "list-past-batch-limit",
            error("input_too_large", &batch_path),
        ),
    ];
    for (name, want) in table {
        assert_eq!(expected(name), want, "{name}");
    }
    assert_eq!(
        expected("rule-tree-past-depth-limit")["code"],
        "input_too_deep"
    );
}
