//! Runs tests/malformed/manifest.json against the Rust core: every malformed document (a dataset,
//! an extension, a rule set, an application, a batch) gives a `DatasetError` whose code and first
//! problem's JSON path are the ones its case names, never a panic; and after each, euca still
//! evaluates a valid application. Cases marked `generate` (10 000-level documents, 50 MB documents,
//! inputs at and past each limit) are made here from the manifest's parts, not committed. The
//! Python (bindings-python/tests/test_malformed.py) and JavaScript
//! (bindings-wasm/tests/malformed.test.mjs) runners apply the same manifest the same way.
//!
//! A case whose bytes are JSON is also given as a parsed value (`Dataset::from_value`,
//! `Call::from_value_with` ...), as the bindings give Python dicts and JavaScript objects, and must
//! give the same error, unless it says `text_only` (and why).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use euca::{Application, BatchResult, Call, Dataset, DatasetError, Verdict, read_applications};
use serde_json::Value;

fn malformed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/malformed")
}

/// The manifest's cases and settings.
struct Manifest {
    cases: Vec<Value>,
    as_of: NaiveDate,
    application_call: String,
    batch_call: String,
    valid_application: String,
    valid_verdict: Verdict,
}

fn manifest() -> Manifest {
    let dir = malformed_dir();
    let text = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    let m: Value = serde_json::from_str(&text).unwrap();
    let read = |key: &str| {
        let rel = m[key].as_str().unwrap_or_else(|| panic!("manifest.{key}"));
        std::fs::read_to_string(dir.join(rel)).unwrap()
    };
    Manifest {
        cases: m["cases"].as_array().unwrap().clone(),
        as_of: NaiveDate::parse_from_str(m["as_of"].as_str().unwrap(), "%Y-%m-%d").unwrap(),
        application_call: m["application_call"].as_str().unwrap().to_string(),
        batch_call: read("batch_call"),
        valid_application: read("valid_application"),
        valid_verdict: serde_json::from_value(m["valid_verdict"].clone()).unwrap(),
    }
}

/// The bytes of a generated case: `text` parts as they are, `repeat` parts `times` times (with
/// `separator` between; `{i}` is the repetition's index and `{i1}` the next one), and one `fill`
/// part of a character repeated until the whole document is `total_bytes` long.
fn generate(parts: &[Value]) -> Vec<u8> {
    let mut pieces: Vec<Option<String>> = Vec::new();
    let mut fill: Option<(String, usize)> = None;
    for part in parts {
        if let Some(text) = part.get("text").and_then(Value::as_str) {
            pieces.push(Some(text.to_string()));
        } else if let Some(unit) = part.get("repeat").and_then(Value::as_str) {
            let times = part["times"].as_u64().unwrap() as usize;
            let separator = part.get("separator").and_then(Value::as_str).unwrap_or("");
            let numbered = unit.contains("{i}") || unit.contains("{i1}");
            let mut out = String::with_capacity((unit.len() + separator.len()) * times);
            for i in 0..times {
                if i > 0 {
                    out.push_str(separator);
                }
                if numbered {
                    out.push_str(
                        &unit
                            .replace("{i1}", &(i + 1).to_string())
                            .replace("{i}", &i.to_string()),
                    );
                } else {
                    out.push_str(unit);
                }
            }
            pieces.push(Some(out));
        } else if let Some(ch) = part.get("fill").and_then(Value::as_str) {
            assert!(fill.is_none(), "one `fill` part per case");
            fill = Some((
                ch.to_string(),
                part["total_bytes"].as_u64().unwrap() as usize,
            ));
            pieces.push(None);
        } else {
            panic!("unknown part {part}");
        }
    }
    let fixed: usize = pieces.iter().flatten().map(String::len).sum();
    let mut out = Vec::new();
    for piece in pieces {
        match piece {
            Some(text) => out.extend_from_slice(text.as_bytes()),
            None => {
                let (ch, total) = fill.clone().unwrap();
                assert_eq!(ch.len(), 1, "`fill` is one ASCII character");
                out.extend(std::iter::repeat_n(ch.as_bytes()[0], total - fixed));
            }
        }
    }
    assert!(out.is_ascii(), "generated documents are ASCII");
    out
}

/// What a case gives: the input as bytes (as a file holds it) or as a parsed value.
enum Input<'a> {
    Bytes(&'a [u8]),
    Value(Value),
}

struct Context {
    data: Dataset,
    application_call: Call,
    batch_call: Call,
    as_of: NaiveDate,
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes)
        .expect("only datasets are given as bytes that are not UTF-8 (Dataset::from_slice)")
}

/// Runs one case's operation: `Ok` when the input was read (and evaluated), else its error.
fn run(kind: &str, input: Input<'_>, cx: &Context) -> Result<(), DatasetError> {
    match (kind, input) {
        ("dataset", Input::Bytes(b)) => Dataset::from_slice(b).map(drop),
        ("dataset", Input::Value(v)) => Dataset::from_value(v).map(drop),
        ("extension", Input::Bytes(b)) => cx.data.extend(text(b)).map(drop),
        ("extension", Input::Value(v)) => cx.data.extend_value(v).map(drop),
        ("rule_set", Input::Bytes(b)) => Call::from_json(text(b)).map(drop),
        ("rule_set", Input::Value(v)) => Call::from_value_with(&v, &cx.data).map(drop),
        ("application", Input::Bytes(b)) => cx
            .application_call
            .evaluate_json(text(b), cx.as_of, None)
            .map(drop),
        ("application", Input::Value(v)) => Application::from_value(&v)
            .map(|a| drop(cx.application_call.evaluate(&a, cx.as_of, None))),
        ("applications_jsonl", Input::Bytes(b)) => cx
            .batch_call
            .evaluate_jsonl(text(b), cx.as_of, None)
            .map(drop),
        // A list of applications has no text form in the bindings: it is always a parsed list.
        ("applications", Input::Bytes(b)) => {
            let value: Value = serde_json::from_slice(b).expect("a list case is JSON");
            run(kind, Input::Value(value), cx)
        }
        ("applications", Input::Value(v)) => read_applications(&v)
            .map(|apps| drop(cx.batch_call.evaluate_many(&apps, cx.as_of, None))),
        // A batch read back (a pickle, an object handed back from JavaScript): its columns.
        ("batch_result", Input::Bytes(b)) => BatchResult::from_json(text(b)).map(drop),
        ("batch_result", Input::Value(v)) => BatchResult::from_value(&v).map(drop),
        (other, _) => panic!("unknown kind `{other}`"),
    }
}

/// Compares a result with what the case expects; `Err` says how it differs.
fn check(case: &Value, result: &Result<(), DatasetError>) -> Result<(), String> {
    match (case.get("expected_error"), result) {
        (None, Ok(())) => Ok(()),
        (None, Err(e)) => Err(format!("expected no error, got {}", shown(e))),
        (Some(want), Ok(())) => Err(format!("expected {want}, got no error")),
        (Some(want), Err(e)) => {
            let first = &e.problems()[0];
            let code = want["code"].as_str().unwrap();
            let path = want["path"].as_str().unwrap();
            if e.code().as_str() == code && first.code.as_str() == code && first.path == path {
                Ok(())
            } else {
                Err(format!("expected `{code}` at `{path}`, got {}", shown(e)))
            }
        }
    }
}

fn shown(e: &DatasetError) -> String {
    let p = &e.problems()[0];
    let message: String = p.message.chars().take(200).collect();
    format!(
        "`{}` at `{}` ({message}; {} problems)",
        p.code.as_str(),
        p.path,
        e.problems().len()
    )
}

#[test]
fn every_malformed_document_gives_its_error_and_euca_stays_usable() {
    let m = manifest();
    let data = Dataset::embedded().unwrap();
    let cx = Context {
        application_call: data.call(&m.application_call).unwrap(),
        batch_call: Call::from_json(&m.batch_call).unwrap(),
        data,
        as_of: m.as_of,
    };
    let valid = Application::from_json(&m.valid_application).unwrap();
    let dir = malformed_dir();
    let mut failures = Vec::new();
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for case in &m.cases {
        let name = case["name"].as_str().unwrap();
        let kind = case["kind"].as_str().unwrap();
        *counts.entry(kind.to_string()).or_default() += 1;
        let bytes = match (case.get("file"), case.get("generate")) {
            (Some(file), None) => std::fs::read(dir.join(file.as_str().unwrap())).unwrap(),
            (None, Some(parts)) => generate(parts.as_array().unwrap()),
            _ => panic!("{name}: a case has a `file` or `generate`"),
        };
        let label = format!("{kind} `{name}`");
        let result = run(kind, Input::Bytes(&bytes), &cx);
        if let Err(why) = check(case, &result) {
            failures.push(format!("{label}: {why}"));
        }
        // The same document as a parsed value, as the bindings pass dicts and objects (JSON
        // Lines are text by nature).
        if case.get("text_only").is_none()
            && kind != "applications_jsonl"
            && let Ok(value) = serde_json::from_slice::<Value>(&bytes)
        {
            let result = run(kind, Input::Value(value), &cx);
            if let Err(why) = check(case, &result) {
                failures.push(format!("{label} (as a value): {why}"));
            }
        }
        // Still usable: a valid application gets its verdict.
        let decision = cx.application_call.evaluate(&valid, cx.as_of, None);
        assert_eq!(decision.verdict, m.valid_verdict, "after {label}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} malformed cases failed:\n{}",
        failures.len(),
        m.cases.len(),
        failures.join("\n")
    );
    println!("{} malformed cases passed: {counts:?}", m.cases.len());
}

#[test]
fn the_manifest_covers_every_kind_and_at_least_60_documents() {
    let m = manifest();
    let dir = malformed_dir();
    let mut names = std::collections::HashSet::new();
    for case in &m.cases {
        let name = case["name"].as_str().unwrap();
        let kind = case["kind"].as_str().unwrap();
        assert!(
            names.insert((kind, name)),
            "two cases named {kind} `{name}`"
        );
        assert!(
            case["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{name}: a description"
        );
        if let Some(file) = case.get("file") {
            assert!(dir.join(file.as_str().unwrap()).is_file(), "{name}: {file}");
        }
        let expected = case.get("expected_error");
        assert!(
            expected.is_some() != (case.get("expected").and_then(Value::as_str) == Some("ok")),
            "{name}: `expected_error` or `\"expected\": \"ok\"`"
        );
        if let Some(e) = expected {
            let code = e["code"].as_str().unwrap();
            assert!(
                euca::Code::ALL.iter().any(|c| c.as_str() == code),
                "{name}: `{code}` is not a code"
            );
            assert!(e["path"].is_string(), "{name}: a path");
        }
    }
    let files = m.cases.iter().filter(|c| c.get("file").is_some()).count();
    assert!(files >= 60, "only {files} committed documents");
    for kind in [
        "dataset",
        "extension",
        "rule_set",
        "application",
        "applications",
        "applications_jsonl",
        "batch_result",
    ] {
        assert!(
            m.cases.iter().any(|c| c["kind"] == kind),
            "no `{kind}` case"
        );
    }
    // Every committed file is a case (none is forgotten).
    for sub in [
        "datasets",
        "extensions",
        "rule_sets",
        "applications",
        "batches",
        "batch_results",
    ] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let rel = format!("{sub}/{}", entry.unwrap().file_name().to_string_lossy());
            assert!(
                m.cases.iter().any(|c| c["file"] == rel.as_str()),
                "{rel} is not in the manifest"
            );
        }
    }
}

/// Every application value under `application` or `applications` keys of a fixture case.
fn fixture_applications(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                match (k.as_str(), child) {
                    ("application", app) => out.push(app.clone()),
                    ("applications", Value::Array(apps)) => out.extend(apps.iter().cloned()),
                    _ => {}
                }
                fixture_applications(child, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| fixture_applications(i, out)),
        _ => {}
    }
}

/// The fast readers (what JSON Lines, Python dicts and JavaScript objects take first) read an
/// application exactly when the reporting readers do, and to the same value: over every
/// application of tests/fixtures and every malformed application case.
#[test]
fn the_fast_readers_agree_with_the_reporting_readers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests");
    let mut apps = Vec::new();
    for entry in std::fs::read_dir(root.join("fixtures")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            fixture_applications(&doc, &mut apps);
        }
    }
    let fixture_count = apps.len();
    let m = manifest();
    let dir = malformed_dir();
    for case in &m.cases {
        let kind = case["kind"].as_str().unwrap();
        let Some(file) = case.get("file").and_then(Value::as_str) else {
            continue;
        };
        let Ok(value) = serde_json::from_slice::<Value>(&std::fs::read(dir.join(file)).unwrap())
        else {
            continue;
        };
        match (kind, value) {
            ("application", v) => apps.push(v),
            ("applications", Value::Array(items)) => apps.extend(items),
            _ => {}
        }
    }
    assert!(fixture_count >= 200, "{fixture_count} fixture applications");
    // An application given as a list (serde would read a struct from it field by field).
    apps.push(serde_json::json!(["APP-1", {"country": "TJ"}]));
    apps.push(serde_json::json!([]));
    let (mut read, mut refused) = (0, 0);
    for (i, value) in apps.iter().enumerate() {
        let reporting = Application::from_value(value);
        let fast = Application::read_fast(value);
        match (&reporting, &fast) {
            (Ok(a), Some(b)) => {
                assert_eq!(a, b, "application {i}: {value}");
                read += 1;
            }
            (Err(_), None) => refused += 1,
            (Ok(_), None) if value.is_object() => {
                panic!("application {i} reads but not the fast way: {value}")
            }
            (Ok(_), None) => unreachable!(),
            (Err(e), Some(_)) if !value.is_object() => {
                // A list reads as a struct field by field in serde; the reporting reader and the
                // batch readers refuse a top-level list, and the bindings only pass objects here.
                assert_eq!(e.code().as_str(), "invalid_type");
            }
            (Err(e), Some(_)) => panic!("application {i} reads the fast way only: {e}"),
        }
        // One at a time as a JSON array text, as the WebAssembly package passes objects.
        let text = format!("[{value}]");
        if !value.is_object() {
            assert!(
                euca::read_applications_fast(&text).is_none(),
                "{i}: {value}"
            );
        }
        let batch = read_applications(&Value::Array(vec![value.clone()]));
        match (batch, euca::read_applications_fast(&text)) {
            (Ok(a), Some(b)) => assert_eq!(a, b, "application {i} in a list"),
            (Err(_), None) => {}
            (Ok(_), None) => panic!("application {i} reads in a list but not the fast way"),
            (Err(e), Some(_)) => panic!("application {i} reads in a list the fast way only: {e}"),
        }
    }
    assert!(
        read >= 200 && refused >= 20,
        "{read} read, {refused} refused"
    );
}
