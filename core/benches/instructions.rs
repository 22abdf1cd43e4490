//! The work of the engine counted in instructions rather than timed: what `scripts/instructions`
//! runs under Valgrind's callgrind, which counts the instructions executed inside [`screen`]
//! alone. A count does not move with the load of the machine (the timings of this machine
//! vary by up to 2.7× from one hour to the next: BENCHMARKS.md), so a change to the engine can
//! be compared with the commit before it exactly.
//!
//! It reads the first `N` applications of the peer-bench workload (default 20 000; the
//! workload as in `support`) from their JSON Lines text with `read_jsonl` (counted as [`jsonl`]:
//! what every language's evaluation of JSON Lines reads before it evaluates), then evaluates them
//! once with `Call::evaluate_many`, every check recorded, as `batch_1m` does, and once with
//! `Call::verdict` each (the verdict only); and reads and evaluates the text at once with
//! `Call::evaluate_jsonl` ([`evaluate_jsonl`]).
//!
//! ```sh
//! scripts/instructions            # builds, runs it under callgrind, prints instructions per application
//! ```

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use chrono::NaiveDate;
use euca::{Application, BatchResult, Call, Verdict, read_jsonl};
use support::{call, workload_text};

mod support;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Every check of every application recorded, into the columns of a batch (what callgrind
/// counts as `screen`).
#[inline(never)]
fn screen(call: &Call, apps: &[Application], as_of: NaiveDate) -> BatchResult {
    call.evaluate_many(black_box(apps), as_of, None)
}

/// The verdict of each application alone, stopping at its first failure (`verdicts`).
#[inline(never)]
fn verdicts(call: &Call, apps: &[Application], as_of: NaiveDate) -> usize {
    black_box(apps)
        .iter()
        .filter(|a| call.verdict(a, as_of, None) == Verdict::Eligible)
        .count()
}

/// JSON Lines text read into applications (`jsonl`): what the evaluation of JSON Lines reads
/// before it evaluates, in every language.
#[inline(never)]
fn jsonl(text: &str) -> Vec<Application> {
    read_jsonl(black_box(text)).unwrap()
}

/// JSON Lines text read and evaluated, every check recorded, each line read into the
/// application of the line before (`evaluate_jsonl`): what Python's and Node's `evaluate_jsonl`
/// run.
#[inline(never)]
fn evaluate_jsonl(call: &Call, text: &str, as_of: NaiveDate) -> BatchResult {
    call.evaluate_jsonl(black_box(text), as_of, None).unwrap()
}

fn main() {
    let n: usize = std::env::var("EUCA_INSTRUCTIONS_N")
        .ok()
        .map_or(20_000, |s| {
            s.parse().expect("EUCA_INSTRUCTIONS_N is a number")
        });
    let text: String = workload_text()
        .lines()
        .take(n)
        .flat_map(|line| [line, "\n"])
        .collect();
    let apps = jsonl(&text);
    let call = call();
    let as_of = NaiveDate::from_ymd_opt(2020, 9, 4).unwrap();
    let batch = screen(&call, &apps, as_of);
    assert_eq!(evaluate_jsonl(&call, &text, as_of), batch);
    let eligible = verdicts(&call, &apps, as_of);
    let counted = batch
        .verdicts
        .iter()
        .filter(|v| **v == Verdict::Eligible)
        .count();
    assert_eq!(eligible, counted, "the verdicts agree with the batch's");
    println!("applications {}", apps.len());
}
