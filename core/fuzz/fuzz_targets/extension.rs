//! Fuzzes extending the embedded dataset: any text, read as an extension (`Dataset::extend`),
//! gives the extended dataset or a typed error with at least one problem, never a panic; an
//! extended dataset keeps the changes it had, and writes back (`to_json`) and loads again to an
//! equal dataset, its change log included.
//!
//! Each input that reads as an extension validates the whole embedded dataset again (milliseconds),
//! so this target runs far fewer inputs a second than the others.
//!
//! `scripts/fuzz 60 extension` (seeds: the extensions of tests/fixtures and tests/malformed, and
//! the fixtures' rule sets and projects as additions).

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let base = common::data();
    match base.extend(text) {
        Ok(extended) => {
            assert!(
                extended.changes().starts_with(base.changes()),
                "an extension lost or changed earlier changes"
            );
            common::round_trips(&extended, "extended dataset");
        }
        Err(e) => common::check_error(&e),
    }
});
