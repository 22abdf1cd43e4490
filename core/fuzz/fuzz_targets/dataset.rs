//! Fuzzes dataset loading: any bytes, read as a whole dataset (`Dataset::from_slice`), give a
//! dataset or a typed error with at least one problem, never a panic, a hang or unbounded memory;
//! a dataset that loads writes back (`to_json`) and loads again to an equal dataset.
//! (Extensions of the embedded dataset: the `extension` target.)
//!
//! `scripts/fuzz 60 dataset` (seeds: the datasets of tests/fixtures and tests/malformed).

#![no_main]

mod common;

use euca::Dataset;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    match Dataset::from_slice(bytes) {
        Ok(data) => common::round_trips(&data, "dataset"),
        Err(e) => common::check_error(&e),
    }
});
