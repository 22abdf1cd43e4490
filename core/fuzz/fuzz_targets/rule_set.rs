//! Fuzzes rule-set loading: any text, read as a rule set and compiled against the embedded
//! dataset (`Call::from_json_with`), gives a call or a typed error, never a panic. A call that
//! compiles writes back (`to_json`) and compiles again to an equal call; its flattened form is JSON;
//! added to the dataset by an extension, it compiles to the same criteria; it evaluates an empty
//! and a full application at every stage with a verdict consistent with its checks (the common
//! invariants of `common.rs`); and compared with itself it changes nothing.
//!
//! `scripts/fuzz 60 rule_set` (seeds: the rule sets of tests/fixtures, tests/malformed and the
//! embedded data).

#![no_main]

mod common;

use euca::{Application, Call, compare};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

/// An application that answers most questions, so that criteria pass or fail rather than wait.
fn full_application() -> &'static Application {
    static APP: std::sync::OnceLock<Application> = std::sync::OnceLock::new();
    APP.get_or_init(|| {
        Application::from_json(include_str!(
            "../../../tests/malformed/valid/application.json"
        ))
        .expect("the valid application of tests/malformed reads")
    })
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let data = common::data();
    let call = match Call::from_json_with(text, data) {
        Ok(call) => call,
        Err(e) => {
            common::check_error(&e);
            return;
        }
    };
    // Written back, it compiles to the same call.
    let written = call.to_json();
    match Call::from_json_with(&written, data) {
        Ok(again) => assert_eq!(again, call, "the round trip changed the call"),
        Err(e) => panic!("euca cannot compile the rule set it wrote: {e}\n{written}"),
    }
    let flat: Value = serde_json::from_str(&call.to_flat_json()).expect("the flat call is JSON");
    assert_eq!(
        flat["criteria"].as_array().map(Vec::len),
        Some(call.criteria().len())
    );
    // Added to the dataset, a rule set with a new id compiles to the same criteria.
    if data.rule_sets().iter().all(|r| r.id != call.id()) {
        let rule_set: Value = serde_json::from_str(&written).expect("to_json writes JSON");
        if let Ok(extended) = data.extend_value(json!({"add": {"rule_sets": [rule_set]}})) {
            let compiled = extended
                .call(call.id())
                .expect("an added rule set compiles in the dataset");
            assert_eq!(compiled.criteria(), call.criteria());
        }
    }
    let as_of = common::as_of(bytes);
    let apps = [Application::default(), full_application().clone()];
    for app in &apps {
        common::evaluate_everywhere(&call, app, as_of);
    }
    // Compared with itself, nothing changes.
    for c in compare(&call, &call, &apps, as_of) {
        assert!(
            !c.verdict_changed && !c.grant_changed && c.changes.is_empty(),
            "a call differs from itself: {c:?}"
        );
    }
});
