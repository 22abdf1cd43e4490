//! Runs the language-neutral cases of tests/fixtures/*.json against the Rust core.
//!
//! Each file holds a list of cases `{description, kind, input, expected}`. `kind` names the
//! operation; `expected` lists only what the case is about, and is compared with the result by
//! [`matches`]: objects by the keys `expected` names, lists element by element (same length),
//! everything else exactly. The Python and JavaScript runners apply the same rules to the same
//! files.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use euca::{Dataset, Date, Period};
use serde_json::{Value, json};

/// Fixture kinds of the eligibility engine (calls, applications, decisions).
#[path = "fixture_kinds/eligibility.rs"]
mod eligibility;

/// Fixture kinds of dialogue cycles (status, regularity, plan, stages, timeline records, iCalendar).
#[path = "fixture_kinds/cycles.rs"]
mod cycles;

/// Fixture kinds of funded projects (records, IATI import and export, eligibility, analyses).
#[path = "fixture_kinds/projects.rs"]
mod projects;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// Does `actual` satisfy `expected`? Returns the path of the first mismatch.
fn matches(expected: &Value, actual: &Value, path: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                let av = a.get(key).unwrap_or(&Value::Null);
                matches(ev, av, &format!("{path}.{key}"))?;
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                let full = serde_json::to_string(actual).unwrap();
                let mut shown: String = full.chars().take(1500).collect();
                if shown.len() < full.len() {
                    shown.push_str(" ...");
                }
                return Err(format!(
                    "{path}: expected {} items, got {}: {shown}",
                    e.len(),
                    a.len(),
                ));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                matches(ev, av, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        _ if expected == actual => Ok(()),
        _ => Err(format!("{path}: expected {expected}, got {actual}")),
    }
}

fn text(input: &Value, key: &str) -> String {
    input
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("input.{key} must be a string"))
        .to_string()
}

fn date(input: &Value, key: &str) -> Result<Date, Value> {
    Date::parse(&text(input, key)).map_err(|e| json!({"error": {"code": e.code()}}))
}

fn optional_date(input: &Value, key: &str) -> Result<Option<Date>, Value> {
    match input.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => date(input, key).map(Some),
    }
}

fn dataset_error(e: &euca::DatasetError) -> Value {
    json!({"error": {
        "code": e.code().as_str(),
        "problems": e.problems().iter()
            .map(|p| json!({"code": p.code.as_str(), "path": p.path, "message": p.message}))
            .collect::<Vec<_>>(),
    }})
}

fn query_error(e: &euca::QueryError) -> Value {
    json!({"error": {"code": e.code().as_str(), "message": e.to_string()}})
}

/// Runs one case and returns its result as JSON (errors as `{"error": {...}}`).
fn run(data: &Dataset, kind: &str, input: &Value) -> Value {
    let result: Result<Value, Value> = (|| match kind {
        "date" => {
            let d = date(input, "text")?;
            Ok(json!({
                "display": d.to_string(),
                "earliest": d.earliest().to_string(),
                "latest": d.latest().to_string(),
                "precision": d.precision(),
            }))
        }
        "date_relation" => {
            let a = date(input, "a")?;
            let b = date(input, "b")?;
            Ok(json!({"relation": a.relation(&b)}))
        }
        "country" => data
            .country(&text(input, "query"))
            .map(to)
            .map_err(|e| query_error(&e)),
        "dialogue" => data
            .dialogue(&text(input, "country"))
            .map(to)
            .map_err(|e| query_error(&e)),
        "format_on" => {
            let on = date(input, "on")?;
            data.format_on(&text(input, "country"), &on)
                .map(|f| to(&f))
                .map_err(|e| query_error(&e))
        }
        "rounds_of" => data
            .rounds_of(&text(input, "country"))
            .map(|r| to(&r))
            .map_err(|e| query_error(&e)),
        "rounds_in" => {
            let period = Period {
                from: optional_date(input, "from")?,
                to: optional_date(input, "to")?,
            };
            Ok(to(&data.rounds_in(&period)))
        }
        "seminars_in" => {
            let period = Period {
                from: optional_date(input, "from")?,
                to: optional_date(input, "to")?,
            };
            Ok(to(&data.seminars_in(&period)))
        }
        "countries_without_seminar_before" => {
            let d = date(input, "date")?;
            Ok(to(&data.countries_without_seminar_before(&d)))
        }
        "timeline" => {
            let events = data.timeline();
            let keep = |e: &euca::Event| {
                let kind_ok = input.get("kind").is_none_or(|k| json!(e.kind) == *k);
                let country_ok = input
                    .get("country")
                    .is_none_or(|c| e.country.as_deref() == c.as_str());
                kind_ok && country_ok
            };
            let filtered: Vec<&euca::Event> = events.iter().filter(|e| keep(e)).collect();
            Ok(to(&filtered))
        }
        "serving" => data
            .serving(&text(input, "priority"))
            .map(|s| to(&s))
            .map_err(|e| query_error(&e)),
        "load_dataset" => {
            let loaded = match input.get("document") {
                Some(Value::String(s)) => Dataset::from_json(s),
                Some(doc) => Dataset::from_json(&doc.to_string()),
                None => panic!("input.document is required"),
            };
            loaded
                .map(|d| json!({"version": d.version(), "rounds": d.rounds().len()}))
                .map_err(|e| dataset_error(&e))
        }
        "extend_dataset" => {
            let extension = input.get("extension").expect("input.extension");
            let text = match extension {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let extended = data.extend(&text).map_err(|e| dataset_error(&e))?;
            let mut out = json!({
                "changes": to(&extended.changes()),
                "rounds": extended.rounds().len(),
                "seminars": extended.seminars().len(),
            });
            if let Some(country) = input.get("rounds_of").and_then(Value::as_str) {
                out["rounds_of"] = to(&extended.rounds_of(country).map_err(|e| query_error(&e))?);
            }
            Ok(out)
        }
        other => match eligibility::run(data, other, input) {
            Some(result) => result,
            None => match cycles::run(data, other, input) {
                Some(result) => result,
                None => projects::run(data, other, input)
                    .unwrap_or_else(|| panic!("unknown fixture kind `{other}`")),
            },
        },
    })();
    result.unwrap_or_else(|e| e)
}

/// Any result as a JSON value.
fn to<T: serde::Serialize + ?Sized>(value: &T) -> Value {
    serde_json::to_value(value).expect("results serialise")
}

#[test]
fn every_fixture_case_passes() {
    let data = Dataset::embedded().expect("embedded dataset loads");
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixture files found");
    let mut failures = Vec::new();
    let mut count = 0;
    for file in &files {
        let cases: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = file.file_name().unwrap().to_string_lossy();
        for (i, case) in cases
            .as_array()
            .expect("a list of cases")
            .iter()
            .enumerate()
        {
            count += 1;
            let kind = case["kind"].as_str().expect("kind");
            let description = case["description"].as_str().expect("description");
            let actual = run(&data, kind, &case["input"]);
            if let Err(why) = matches(&case["expected"], &actual, "expected") {
                failures.push(format!("{name}[{i}] {description}: {why}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} fixture cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("{count} fixture cases passed");
}

#[test]
fn matching_rules_compare_only_what_is_expected() {
    let actual = json!({"a": 1, "b": [{"x": 1, "y": 2}], "c": "z"});
    assert!(matches(&json!({"a": 1}), &actual, "").is_ok());
    assert!(matches(&json!({"b": [{"x": 1}]}), &actual, "").is_ok());
    assert!(matches(&json!({"a": 2}), &actual, "").is_err());
    assert!(
        matches(&json!({"b": []}), &actual, "").is_err(),
        "lists compare their length"
    );
    assert!(
        matches(&json!({"d": 1}), &actual, "").is_err(),
        "a missing key is null"
    );
}
