//! What the benchmarks share: the peer-bench workload and the rule set it is evaluated against.
//!
//! The workload (../shared/peer-bench, 100 000 synthetic applications, seed 20200904) is read
//! from `$EUCA_PEERBENCH_DIR` (default `/tmp/peerbench`) and generated there with
//! `python3 workload.py` when missing; the rule set is benches/peer-bench-tj2020.call.json.

use std::path::PathBuf;

use euca::Call;

/// Applications in the workload.
pub const N: usize = 100_000;

/// Where the workload is, and where the benchmarks write what they report.
pub fn dir() -> PathBuf {
    std::env::var_os("EUCA_PEERBENCH_DIR")
        .map_or_else(|| PathBuf::from("/tmp/peerbench"), PathBuf::from)
}

/// The workload as JSON Lines, generated first when missing.
pub fn workload_text() -> String {
    let dir = dir();
    let file = dir.join(format!("apps-n{N}-s20200904.jsonl"));
    if !file.is_file() {
        let generator =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/peer-bench/workload.py");
        let status = std::process::Command::new("python3")
            .arg(&generator)
            .args(["--n", &N.to_string(), "--dir"])
            .arg(&dir)
            .status()
            .expect("python3 runs the peer-bench generator");
        assert!(status.success(), "{} failed", generator.display());
    }
    std::fs::read_to_string(&file).unwrap()
}

/// How many of the workload's applications its generator labels eligible, when its labels are
/// there.
#[allow(dead_code)]
pub fn eligible_labelled() -> Option<usize> {
    let labels =
        std::fs::read_to_string(dir().join(format!("apps-n{N}-s20200904.labels.jsonl"))).ok()?;
    let eligible = |line: &str| {
        serde_json::from_str::<serde_json::Value>(line).is_ok_and(|v| v["eligible"] == true)
    };
    Some(labels.lines().filter(|l| eligible(l)).count())
}

/// The synthetic rule set of the peer-bench, compiled.
pub fn call() -> Call {
    let rules = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../benches/peer-bench-tj2020.call.json"),
    )
    .unwrap();
    Call::from_json(&rules).unwrap()
}
