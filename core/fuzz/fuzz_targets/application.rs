//! Fuzzes evaluation: any text, read as an application (`Application::from_json`), is evaluated
//! against every call of the embedded dataset at every stage, and read as JSON Lines
//! (`read_jsonl`) and as a JSON list (`read_applications`). Nothing panics; what is read writes
//! back and reads again to the same application; each decision's verdict is the one its checks
//! imply and the verdict-only and batch paths agree with it; the grant adds up; JSON Lines read
//! the fast way give the applications that reading each line on its own gives, and evaluated as
//! they are read (`evaluate_jsonl`) the rows of those applications or `read_jsonl`'s problems;
//! `jsonl_lines` names the lines that are rows; the fast readers (`Application::read_fast`,
//! `read_applications_fast`) agree with the reporting ones.
//!
//! `scripts/fuzz 60 application` (seeds: the applications and batches of tests/fixtures and
//! tests/malformed).

#![no_main]

mod common;

use euca::{Application, read_applications, read_applications_fast, read_jsonl};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// At most this many applications of a batch are evaluated (reading is checked for all).
const EVALUATED: usize = 4;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let as_of = common::as_of(bytes);
    match Application::from_json(text) {
        Ok(app) => {
            let written = serde_json::to_string(&app).expect("an application writes as JSON");
            let again = Application::from_json(&written)
                .unwrap_or_else(|e| panic!("euca cannot read the application it wrote: {e}"));
            assert_eq!(again, app, "the round trip changed the application");
            for call in common::calls() {
                common::evaluate_everywhere(call, &app, as_of);
            }
        }
        Err(e) => common::check_error(&e),
    }
    // JSON Lines: the batch reader agrees with reading each non-blank line on its own.
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(
        euca::jsonl_lines(text).eq(lines.iter().copied()),
        "jsonl_lines names other lines"
    );
    let one_by_one: Vec<Result<Application, _>> =
        lines.iter().map(|l| Application::from_json(l)).collect();
    match read_jsonl(text) {
        Ok(apps) => {
            assert_eq!(apps.len(), lines.len(), "one application per line");
            for (i, (app, single)) in apps.iter().zip(&one_by_one).enumerate() {
                match single {
                    Ok(single) => assert_eq!(app, single, "line {i} reads differently alone"),
                    Err(e) => panic!("line {i} is read in a batch but not alone: {e}"),
                }
            }
            if let Some(call) = common::calls().first() {
                let batch = call.evaluate_many(&apps[..apps.len().min(EVALUATED)], as_of, None);
                for (i, app) in apps.iter().take(EVALUATED).enumerate() {
                    assert_eq!(batch.verdicts[i], call.evaluate(app, as_of, None).verdict);
                }
                // Evaluated as JSON Lines (each line as it is read, the fast way first): the
                // rows of evaluating what was read.
                if apps.len() <= EVALUATED {
                    let rows = call
                        .evaluate_jsonl(text, as_of, None)
                        .unwrap_or_else(|e| panic!("lines that read do not evaluate: {e}"));
                    assert_eq!(rows, call.evaluate_many(&apps, as_of, None));
                }
            }
        }
        Err(e) => {
            common::check_error(&e);
            assert!(
                one_by_one.iter().any(Result::is_err),
                "a batch is refused but every line reads alone: {e}"
            );
            // Evaluated as JSON Lines, the same problems.
            if let Some(call) = common::calls().first() {
                match call.evaluate_jsonl(text, as_of, None) {
                    Err(again) => assert_eq!(again, e, "evaluate_jsonl names other problems"),
                    Ok(_) => panic!("evaluate_jsonl evaluates lines read_jsonl refuses: {e}"),
                }
            }
        }
    }
    // A JSON list of applications: the same applications as reading each element.
    if let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) {
        let value = Value::Array(items);
        // The fast reader (what the WebAssembly package takes first) reads a list only when the
        // reporting reader does, to the same applications. (It may leave to the reporting reader
        // a list that reads, e.g. one with a repeated key, which the parsed value has merged.)
        let fast = read_applications_fast(text);
        match read_applications(&value) {
            Ok(apps) => {
                let items = value.as_array().map(Vec::as_slice).unwrap_or_default();
                assert_eq!(apps.len(), items.len());
                for (app, item) in apps.iter().zip(items) {
                    assert_eq!(Some(app), Application::from_value(item).ok().as_ref());
                    assert_eq!(Application::read_fast(item).as_ref(), Some(app));
                }
                if let Some(fast) = fast {
                    assert_eq!(fast, apps, "the fast reader reads the list differently");
                }
            }
            Err(e) => {
                common::check_error(&e);
                assert!(fast.is_none(), "the fast reader reads a list that is refused: {e}");
            }
        }
    }
});
