//! What the fuzz targets share: the embedded dataset and its calls (read once per process), the
//! evaluation days, and the invariants every error and every decision must keep.

#![allow(dead_code)]

use std::sync::OnceLock;

use chrono::NaiveDate;
use euca::{Application, Call, Dataset, DatasetError, Decision, Outcome, Stage, Verdict};

/// The embedded dataset, read once.
pub fn data() -> &'static Dataset {
    static DATA: OnceLock<Dataset> = OnceLock::new();
    DATA.get_or_init(|| Dataset::embedded().expect("the embedded dataset loads"))
}

/// Every call of the embedded dataset, compiled once.
pub fn calls() -> &'static [Call] {
    static CALLS: OnceLock<Vec<Call>> = OnceLock::new();
    CALLS.get_or_init(|| {
        let calls = data().calls();
        assert!(!calls.is_empty(), "the embedded dataset has calls");
        calls
    })
}

/// Evaluation days: before, inside and after the embedded calls' periods. An input picks one by
/// its length, so that a run is reproducible from the input alone.
pub fn as_of(input: &[u8]) -> NaiveDate {
    const DAYS: [(i32, u32, u32); 4] = [(2008, 1, 1), (2016, 6, 30), (2020, 9, 1), (2026, 1, 1)];
    let (y, m, d) = DAYS[input.len() % DAYS.len()];
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid day")
}

/// A loaded dataset writes back and reads again to the same dataset.
pub fn round_trips(data: &Dataset, what: &str) {
    let json = data.to_json();
    match Dataset::from_json(&json) {
        Ok(again) => assert_eq!(&again, data, "{what}: the round trip changed the dataset"),
        Err(e) => panic!("{what}: euca cannot read what it wrote: {e}"),
    }
}

/// An error says what is wrong: at least one problem, each with a message.
pub fn check_error(e: &DatasetError) {
    assert!(!e.problems().is_empty(), "an error without problems");
    assert_eq!(e.code(), e.problems()[0].code);
    for p in e.problems() {
        assert!(!p.message.is_empty(), "a problem without a message: {p:?}");
    }
    assert!(!e.to_string().is_empty());
}

/// The verdict the checks imply (Kleene logic: a failure decides, then an unknown).
fn verdict_of_checks(decision: &Decision) -> Verdict {
    let outcomes = || decision.checks.iter().map(|c| c.outcome);
    if outcomes().any(|o| o == Outcome::Fail) {
        Verdict::Ineligible
    } else if outcomes().any(|o| o == Outcome::Unknown) {
        Verdict::Undetermined
    } else {
        Verdict::Eligible
    }
}

/// Evaluates an application against a call at every stage (and with none), and checks that the
/// full decision, the verdict-only path and the batch path agree with one another and with
/// themselves.
pub fn evaluate_everywhere(call: &Call, app: &Application, as_of: NaiveDate) {
    let mut stages: Vec<Option<Stage>> = vec![None];
    stages.extend(call.stages().iter().copied().map(Some));
    for stage in stages {
        let decision = call.evaluate(app, as_of, stage);
        check_decision(call, app, as_of, stage, &decision);
    }
}

/// The invariants of one decision.
pub fn check_decision(
    call: &Call,
    app: &Application,
    as_of: NaiveDate,
    stage: Option<Stage>,
    decision: &Decision,
) {
    let label = format!("call `{}`, stage {stage:?}, as of {as_of}", call.id());
    // The verdict is the one the checks imply, and the fast paths give the same.
    assert_eq!(
        decision.verdict,
        verdict_of_checks(decision),
        "{label}: verdict vs checks"
    );
    assert_eq!(
        call.verdict(app, as_of, stage),
        decision.verdict,
        "{label}: verdict-only path"
    );
    assert_eq!(decision.rule_set, call.rule_set_ref());
    assert_eq!(decision.as_of, as_of);
    assert_eq!(decision.application, app.id);
    // One check per criterion, in the call's order (after the validity check, if any).
    let ids: Vec<&str> = decision.checks.iter().map(|c| c.id.as_str()).collect();
    let mut expected: Vec<&str> = Vec::new();
    if call.validity().is_some() {
        expected.push("in_force");
    }
    expected.extend(call.criteria().iter().map(|c| c.criterion.id.as_str()));
    assert_eq!(ids, expected, "{label}: one check per criterion");
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        unique.len(),
        ids.len(),
        "{label}: two checks share an id: {ids:?}"
    );
    // What is missing belongs to checks that cannot be told.
    for m in &decision.missing {
        for id in &m.criteria {
            assert!(
                decision
                    .checks
                    .iter()
                    .any(|c| &c.id == id && c.outcome == Outcome::Unknown),
                "{label}: missing `{}` names `{id}`, which is not unknown",
                m.field
            );
        }
    }
    if decision.verdict == Verdict::Eligible {
        assert!(
            decision.missing.is_empty(),
            "{label}: eligible with fields missing"
        );
    }
    // The grant adds up.
    if let Some(g) = &decision.grant {
        assert!(g.indirect_eligible <= g.indirect, "{label}: {g:?}");
        assert!(g.contingency_eligible <= g.contingency, "{label}: {g:?}");
        let sum = g
            .direct
            .checked_add(g.indirect_eligible)
            .and_then(|s| s.checked_add(g.contingency_eligible));
        assert_eq!(sum, Some(g.total_eligible), "{label}: {g:?}");
        assert_eq!(g.currency, call.currency());
    }
    // The batch path (columns, prepared limits) agrees with the full decision.
    let batch = call.evaluate_many(std::slice::from_ref(app), as_of, stage);
    assert_eq!(batch.len(), 1);
    assert_eq!(
        batch.verdicts[0], decision.verdict,
        "{label}: batch verdict"
    );
    let with = |o: Outcome| -> Vec<String> {
        decision
            .checks
            .iter()
            .filter(|c| c.outcome == o)
            .map(|c| c.id.clone())
            .collect()
    };
    assert_eq!(
        batch.failed.get(0).map(|row| row.to_vec()),
        Some(with(Outcome::Fail)),
        "{label}: batch failed"
    );
    assert_eq!(
        batch.missing.get(0).map(|row| row.to_vec()),
        Some(with(Outcome::Unknown)),
        "{label}: batch missing"
    );
    assert_eq!(
        batch.max_eu_contribution[0],
        decision.grant.as_ref().and_then(|g| g.max_eu_contribution),
        "{label}: batch maximum contribution"
    );
    assert_eq!(
        batch.eu_share.get(0).flatten(),
        decision
            .grant
            .as_ref()
            .and_then(|g| g.requested_share.as_deref()),
        "{label}: batch EU share"
    );
    // A decision is plain data: it writes and reads back, and explains itself.
    let json = serde_json::to_string(decision).expect("a decision writes as JSON");
    let back: Decision = serde_json::from_str(&json).expect("a decision reads back");
    assert_eq!(&back, decision, "{label}: decision round trip");
    let text = decision.explain();
    assert!(
        text.contains(&decision.verdict.as_str().to_uppercase()),
        "{label}: explain names the verdict"
    );
}
