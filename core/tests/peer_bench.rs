//! The synthetic peer-bench rule set (benches/peer-bench-tj2020.call.json), run through the same
//! engine as every call, agrees with the workload generator's labels on every application and every
//! criterion. The generator (../shared/peer-bench/workload.py) is an oracle independent of euca: it
//! breaks each criterion on purpose and records which. Skipped, saying so, when ../shared or
//! python3 is absent.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use euca::{Call, Dataset, Verdict, read_jsonl};
use serde_json::Value;

fn shared() -> PathBuf {
    std::env::var_os("EUCA_SHARED").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
        PathBuf::from,
    )
}

#[test]
fn euca_agrees_with_the_generator_labels_on_every_application_and_criterion() {
    let bench = shared().join("peer-bench");
    if !bench.join("workload.py").is_file() {
        println!("skipped: {} not found", bench.display());
        return;
    }
    let dir = std::env::temp_dir().join(format!("euca-peer-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let n = 5000;
    let status = Command::new("python3")
        .arg(bench.join("workload.py"))
        .args(["--n", &n.to_string(), "--dir"])
        .arg(&dir)
        .status();
    match status {
        Ok(s) if s.success() => {}
        other => {
            println!("skipped: could not run the generator with python3 ({other:?})");
            return;
        }
    }
    let apps_text =
        std::fs::read_to_string(dir.join(format!("apps-n{n}-s20200904.jsonl"))).unwrap();
    let labels_text =
        std::fs::read_to_string(dir.join(format!("apps-n{n}-s20200904.labels.jsonl"))).unwrap();
    let rules = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../benches/peer-bench-tj2020.call.json"),
    )
    .unwrap();
    let call = Call::from_json_with(&rules, &Dataset::embedded().unwrap()).unwrap();
    let apps = read_jsonl(&apps_text).unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2020, 9, 4).unwrap();
    let batch = call.evaluate_many(&apps, as_of, None);
    let mut disagreements = Vec::new();
    for (i, line) in labels_text.lines().enumerate() {
        let label: Value = serde_json::from_str(line).unwrap();
        let eligible = label["eligible"].as_bool().unwrap();
        let expected: BTreeSet<String> = label["failed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let got: BTreeSet<String> = batch
            .failed
            .get(i)
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        let verdict_ok = (batch.verdicts[i] == Verdict::Eligible) == eligible;
        if !verdict_ok || got != expected || !batch.missing.get(i).unwrap().is_empty() {
            disagreements.push(format!(
                "{}: expected {eligible} {expected:?}, got {:?} {got:?} missing {:?}",
                label["id"],
                batch.verdicts[i],
                batch.missing.get(i).unwrap()
            ));
        }
        // The full decision agrees with the fast path.
        if i < 300 {
            let full = call.evaluate(&apps[i], as_of, None);
            assert_eq!(full.verdict, batch.verdicts[i], "{}", label["id"]);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        disagreements.is_empty(),
        "{} of {n} disagree:\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
