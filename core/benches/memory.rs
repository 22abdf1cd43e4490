//! The peak memory (and the time, one run) of a batch of 1 000 000 applications in Rust: what
//! issue 8 asks of each language. Each row runs in a process of its own (this binary again, with
//! the row's name), which reads its input, resets its peak RSS (`VmHWM`, through
//! `/proc/self/clear_refs`), evaluates once and reports its RSS before the evaluation and its peak
//! during it. Linux only (the figures are read from `/proc/self/status`).
//!
//! The applications are the peer-bench workload (as in `engine.rs`: `$EUCA_PEERBENCH_DIR`,
//! default `/tmp/peerbench`), each of the 100 000 ten times over, evaluated against
//! benches/peer-bench-tj2020.call.json.
//!
//! ```sh
//! cargo bench -p euca --features parallel --bench memory    # every row (about a minute)
//! cargo bench -p euca --features parallel --bench memory -- jsonl
//! ```
//!
//! Each row's count of eligible applications is checked against the generator's labels.
//!
//! Prints a markdown table, and the rows as JSON to `$EUCA_PEERBENCH_DIR/euca-rust-mem-1m.json`,
//! which benches/bench_report.py puts in BENCHMARKS.md's table of the 1 M batch.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

use std::time::Instant;

use chrono::NaiveDate;
use euca::read_jsonl;
use support::{N, call, dir, eligible_labelled, workload_text};

mod support;

// As in engine.rs: the allocator a Rust application that screens batches should choose.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TIMES: usize = 10;

/// Set in a row's own process: the row it runs.
const ROW: &str = "EUCA_MEMORY_ROW";

/// The rows: name, what it evaluates.
const ROWS: [(&str, &str); 3] = [
    (
        "rust-euca-1m-one-core",
        "`Call::evaluate_many`, 1 M applications in memory (100 000 distinct, each 10 times), one core",
    ),
    (
        "rust-euca-1m-all-cores",
        "`Call::evaluate_many_parallel`, the same 1 M applications, all cores",
    ),
    (
        "rust-euca-1m-jsonl",
        if cfg!(feature = "parallel") {
            "`Call::evaluate_jsonl`, 1 M lines of text (613 MB), all cores"
        } else {
            "`Call::evaluate_jsonl`, 1 M lines of text (613 MB), one core"
        },
    ),
];

/// A figure of `/proc/self/status` (`VmRSS`, `VmHWM`) in MiB.
fn status_mib(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with(&format!("{field}:")))
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"));
    let kib: f64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap();
    kib / 1024.0
}

/// Sets the peak RSS to the RSS now (`5` to `/proc/self/clear_refs`, Linux 4.0 and later).
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
        && status_mib("VmHWM") <= status_mib("VmRSS") + 1.0
}

/// Runs one row in this process and prints its result as one line of JSON.
fn row(name: &str) {
    let call = call();
    let day = NaiveDate::from_ymd_opt(2020, 9, 4).unwrap();
    let text = workload_text();
    let run: Box<dyn Fn() -> usize> = if name == "rust-euca-1m-jsonl" {
        let million = text.repeat(TIMES);
        drop(text);
        Box::new(move || {
            let batch = call.evaluate_jsonl(&million, day, None).unwrap();
            batch.counts().0
        })
    } else {
        let apps = read_jsonl(&text).unwrap();
        drop(text);
        let million: Vec<_> = apps.iter().cycle().take(N * TIMES).cloned().collect();
        drop(apps);
        let parallel = name == "rust-euca-1m-all-cores";
        Box::new(move || {
            #[cfg(feature = "parallel")]
            if parallel {
                return call.evaluate_many_parallel(&million, day, None).counts().0;
            }
            assert!(!parallel, "the all-cores row needs --features parallel");
            call.evaluate_many(&million, day, None).counts().0
        })
    };
    let peak_reset = reset_peak();
    let before = status_mib("VmRSS");
    let start = Instant::now();
    let eligible = std::hint::black_box(run());
    let seconds = start.elapsed().as_secs_f64();
    let peak = status_mib("VmHWM");
    let out = serde_json::json!({
        "impl": name,
        "median_s": seconds,
        "us_per_app": seconds * 1e6 / (N * TIMES) as f64,
        "rss_before_eval_mib": before,
        "peak_rss_mib": peak,
        "eval_rss_delta_mib": peak - before,
        "peak_reset_ok": peak_reset,
        "eligible": eligible,
    });
    println!("RESULT {out}");
}

fn main() {
    if let Some(name) = std::env::var_os(ROW) {
        let name = name.to_string_lossy();
        let (name, _) = ROWS
            .iter()
            .find(|(row, _)| *row == name)
            .unwrap_or_else(|| panic!("{ROW}={name} is not a row"));
        row(name);
        return;
    }
    // `cargo bench` passes `--bench`; any other argument picks the rows whose names contain it.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wanted: Vec<_> = ROWS
        .iter()
        .filter(|(name, _)| args.is_empty() || args.iter().any(|a| name.contains(a.as_str())))
        .filter(|(name, _)| cfg!(feature = "parallel") || !name.contains("all-cores"))
        .collect();
    if wanted.is_empty() {
        println!("no row matches {args:?}: nothing measured, nothing written");
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let expected = eligible_labelled().map(|n| n * TIMES);
    let mut results = Vec::new();
    println!("| row | time | µs/app | RSS before eval MiB | peak RSS in eval MiB | eval Δ MiB |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, label) in wanted {
        let output = std::process::Command::new(&exe)
            .env(ROW, name)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8(output.stdout).unwrap();
        let line = stdout
            .lines()
            .find_map(|l| l.strip_prefix("RESULT "))
            .unwrap_or_else(|| panic!("{name} printed no result: {stdout}"));
        let mut r: serde_json::Value = serde_json::from_str(line).unwrap();
        // Every row evaluates the same applications: the same verdicts, the generator's.
        let eligible = r["eligible"].as_u64().and_then(|n| usize::try_from(n).ok());
        if let Some(expected) = expected {
            assert_eq!(eligible, Some(expected), "{name}: eligible applications");
        }
        r["label"] = (*label).into();
        let f = |k: &str| r[k].as_f64().unwrap();
        println!(
            "| `{name}` {label} | {:.2} s | {:.3} | {:.0} | {:.0} | {:.0} |",
            f("median_s"),
            f("us_per_app"),
            f("rss_before_eval_mib"),
            f("peak_rss_mib"),
            f("eval_rss_delta_mib")
        );
        results.push(r);
    }
    let file = dir().join("euca-rust-mem-1m.json");
    std::fs::write(&file, serde_json::to_string_pretty(&results).unwrap()).unwrap();
    println!("\n(written to {})", file.display());
}
