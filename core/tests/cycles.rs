//! Dialogue cycles: status on every day from 2005 to 2030, the laws of status and projection
//! (proptest, on the embedded data and on generated dialogues), and the validation of the cycle
//! fields (stages, lifecycle, cadence, the rounds seminars prepare).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{Datelike, Days, NaiveDate};
use euca::{Dataset, Evidence, Phase, PlanOptions, Timing};
use proptest::prelude::*;
use serde_json::{Value, json};

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn embedded() -> Dataset {
    Dataset::embedded().unwrap()
}

fn rank(p: Phase) -> Option<u8> {
    match p {
        Phase::OnSchedule => Some(0),
        Phase::Due => Some(1),
        Phase::Overdue => Some(2),
        _ => None,
    }
}

/// The invariants every status has.
fn check_status(s: &euca::DialogueStatus) {
    let at = format!("{} on {}", s.dialogue, s.as_of);
    assert!(!s.possible_phases.is_empty(), "{at}: no phase");
    assert!(
        s.possible_phases.windows(2).all(|w| w[0] < w[1]),
        "{at}: phases not sorted"
    );
    assert_eq!(s.certain, s.possible_phases.len() == 1, "{at}");
    assert_eq!(
        s.phase,
        s.certain.then(|| s.possible_phases[0]),
        "{at}: phase"
    );
    assert_eq!(
        s.reason.is_some(),
        !s.certain,
        "{at}: reason {:?}",
        s.reason
    );
    if let (Some(a), Some(b)) = (s.due_earliest, s.due_latest) {
        assert!(a <= b, "{at}: due window");
    }
    if let Some(latest) = s.last_round_latest {
        assert!(latest <= s.as_of, "{at}: last round after as_of");
        assert!(s.last_round_earliest.unwrap() <= latest);
    }
    let may = |p| s.possible_phases.contains(&p);
    assert_eq!(
        s.days_until_due_max.is_some(),
        may(Phase::OnSchedule),
        "{at}"
    );
    assert_eq!(s.days_overdue_max.is_some(), may(Phase::Overdue), "{at}");
    if let (Some(lo), Some(hi)) = (s.days_until_due_min, s.days_until_due_max) {
        assert!(
            0 <= lo && lo <= hi && hi > 0,
            "{at}: days until due {lo}..{hi}"
        );
    }
    if let (Some(lo), Some(hi)) = (s.days_overdue_min, s.days_overdue_max) {
        assert!(
            0 <= lo && lo <= hi && hi > 0,
            "{at}: days overdue {lo}..{hi}"
        );
    }
    if s.certain && s.phase == Some(Phase::OnSchedule) {
        assert!(s.days_until_due_min.unwrap() > 0, "{at}");
    }
    if s.certain && s.phase == Some(Phase::Overdue) {
        assert!(s.days_overdue_min.unwrap() > 0, "{at}");
    }
}

#[test]
fn status_is_answered_for_every_day_from_2005_to_2030_for_all_five_dialogues() {
    let data = embedded();
    let mut day = ymd(2005, 1, 1);
    let mut days = 0;
    while day <= ymd(2030, 12, 31) {
        let all = data.status(day);
        assert_eq!(all.len(), 5);
        for s in &all {
            check_status(s);
        }
        // One dialogue by code gives the same record (checked every 97th day, to stay quick).
        if days % 97 == 0 {
            for s in &all {
                assert_eq!(&data.status_of(&s.country, day).unwrap(), s);
            }
        }
        day = day.succ_opt().unwrap();
        days += 1;
    }
    assert!(days > 9000);
}

#[test]
fn gaps_the_sources_do_not_cover_are_unknown_not_missed_rounds() {
    // sources.md §2: Kazakhstan rounds 2–6 NOT FOUND. In every day between round 1 (15 October
    // 2008) and round 7 (12 November 2014) the status must not claim the dialogue certainly
    // overdue: rounds 2–6 happened, the sources just do not say when.
    let data = embedded();
    let mut day = ymd(2010, 1, 1);
    while day < ymd(2014, 11, 1) {
        let s = data.status_of("KZ", day).unwrap();
        assert_ne!(s.phase, Some(Phase::Overdue), "{day}");
        assert!(s.rounds_possibly_held > 0, "{day}");
        day = day.checked_add_days(Days::new(11)).unwrap();
    }
    // The same for every NOT FOUND stretch that a later round's number closes.
    for (country, from, to) in [
        ("KZ", ymd(2016, 3, 15), ymd(2017, 11, 28)),
        ("KZ", ymd(2019, 3, 29), ymd(2020, 11, 25)),
        ("KZ", ymd(2024, 7, 9), ymd(2025, 3, 5)),
        ("KG", ymd(2010, 6, 1), ymd(2016, 12, 31)),
        ("TJ", ymd(2010, 7, 1), ymd(2013, 12, 31)),
        ("TJ", ymd(2016, 10, 12), ymd(2017, 10, 11)),
        ("TJ", ymd(2018, 11, 1), ymd(2020, 6, 30)),
        ("TM", ymd(2010, 9, 1), ymd(2012, 12, 31)),
        ("TM", ymd(2015, 12, 1), ymd(2017, 12, 31)),
        ("UZ", ymd(2009, 9, 1), ymd(2013, 12, 31)),
    ] {
        let mut day = from;
        while day <= to {
            let s = data.status_of(country, day).unwrap();
            assert_ne!(s.phase, Some(Phase::Overdue), "{country} {day}");
            assert!(!s.certain, "{country} {day}");
            day = day.checked_add_days(Days::new(13)).unwrap();
        }
    }
    // Uzbekistan after 2015: no later round number closes the stretch (from 2019 the dialogue
    // meets within the Sub-Committee, numbered apart). The status may say overdue, but it says
    // the evidence is only that nothing is recorded, and the gap is not counted as late.
    let mut day = ymd(2016, 12, 1);
    while day < ymd(2019, 6, 24) {
        let s = data.status_of("UZ", day).unwrap();
        if s.days_overdue_max.is_some() {
            assert_eq!(s.overdue_evidence, Some(Evidence::NoRecord), "UZ {day}");
        }
        day = day.checked_add_days(Days::new(17)).unwrap();
    }
    let gap = data
        .intervals()
        .into_iter()
        .find(|i| i.country == "UZ" && i.from_number == Some(9))
        .unwrap();
    assert_eq!(gap.to_date.as_deref(), Some("2019-06-24"));
    assert_eq!(gap.evidence, Evidence::NoRecord);
    assert_eq!(gap.timing, Timing::CannotTell);
    // Every gap inside a numbered series is proven.
    for i in data.intervals() {
        let numbered = matches!((i.from_number, i.to_number), (Some(a), Some(b)) if a + 1 == b);
        if numbered {
            assert_eq!(i.evidence, Evidence::Proven, "{i:?}");
        }
    }
    // The years of those rounds are unknown, never "none".
    for y in data.round_years() {
        if y.rounds_possible > y.rounds_certain {
            assert_ne!(y.status, euca::YearStatus::None, "{y:?}");
        }
    }
}

// ---- generated dialogues ------------------------------------------------------------------

const SOURCE: &str = r#"[{"title": "Generated test data", "document": "proptest"}]"#;

/// A minimal valid document with one dialogue (agreed 2005-01-01) and these rounds.
fn document(interval: u32, tolerance: u32, rounds: &[(Option<u32>, String)]) -> String {
    let source: Value = serde_json::from_str(SOURCE).unwrap();
    let rounds: Vec<Value> = rounds
        .iter()
        .enumerate()
        .map(|(i, (number, date))| {
            let mut r = json!({"id": format!("r{i}"), "dialogue": "hrd-kz", "date": date, "sources": source});
            if let Some(n) = number {
                r["number"] = json!(n);
            }
            r
        })
        .collect();
    json!({
        "version": "test",
        "countries": [{"id": "KZ", "name": "Kazakhstan", "kind": "central_asian_state", "sources": source}],
        "dialogue_types": [{"id": "structured", "name": "Structured", "description": "x", "sources": source}],
        "dialogues": [{
            "id": "hrd-kz", "country": "KZ", "title": "Test dialogue", "agreed": "2005-01-01",
            "formats": [{"from": "2005-01-01", "dialogue_type": "structured", "sources": source}],
            "cadence": {"interval_months": interval, "tolerance_months": tolerance, "sources": source},
            "sources": source
        }],
        "rounds": rounds
    })
    .to_string()
}

/// A date near a day, as a source might give it: the day, its month, its year, or one of two
/// days.
fn coarsen(day: NaiveDate, how: u8, other: NaiveDate) -> String {
    match how {
        0..=2 => day.format("%Y-%m-%d").to_string(),
        3 => day.format("%Y-%m").to_string(),
        4 => day.format("%Y").to_string(),
        _ if other > day => format!("[{},{}]", day.format("%Y-%m-%d"), other.format("%Y-%m-%d")),
        _ => day.format("%Y-%m-%d").to_string(),
    }
}

prop_compose! {
    /// A dialogue with rounds from 2006 on, numbered with gaps (derived rounds) or unnumbered,
    /// dated to the day, month, year or one of two days.
    fn arb_dialogue()(
        interval in 3u32..=24,
        tolerance_share in 0u32..=100,
        gaps in proptest::collection::vec((30u64..=900, 0u8..=5, 1u32..=3, any::<bool>(), 1u64..=400), 0..10),
    ) -> (u32, u32, Vec<(Option<u32>, String)>) {
        let tolerance = (interval - 1) * tolerance_share / 100;
        let mut day = ymd(2006, 1, 1);
        let mut number = 0;
        let mut rounds = Vec::new();
        let mut last_latest = day;
        for (gap, how, step, numbered, spread) in gaps {
            day = day.checked_add_days(Days::new(gap)).unwrap();
            // Keep dates in order: a coarse date must not start before the previous one ended.
            let other = day.checked_add_days(Days::new(spread)).unwrap();
            let text = coarsen(day, how, other);
            let parsed = euca::Date::parse(&text).unwrap();
            if parsed.earliest() <= last_latest {
                continue;
            }
            last_latest = parsed.latest();
            day = parsed.latest();
            number += step;
            rounds.push((numbered.then_some(number), text));
        }
        (interval, tolerance, rounds)
    }
}

fn arb_day() -> impl Strategy<Value = NaiveDate> {
    (0u64..=(26 * 366)).prop_map(|n| ymd(2005, 1, 1).checked_add_days(Days::new(n)).unwrap())
}

/// Rounds whose possible first day lies in `(from, to]`.
fn rounds_between(data: &Dataset, country: &str, from: NaiveDate, to: NaiveDate) -> bool {
    data.rounds_of(country)
        .unwrap()
        .iter()
        .any(|r| r.earliest <= to && r.latest > from)
}

/// Between two recorded rounds a dialogue only moves on (on schedule, then due, then overdue),
/// and once certainly overdue it stays overdue, the days counting up.
fn check_monotone(
    data: &Dataset,
    country: &str,
    a: NaiveDate,
    b: NaiveDate,
) -> Result<(), TestCaseError> {
    let (d1, d2) = if a <= b { (a, b) } else { (b, a) };
    let s1 = data.status_of(country, d1).unwrap();
    let s2 = data.status_of(country, d2).unwrap();
    check_status(&s1);
    check_status(&s2);
    if rounds_between(data, country, d1, d2) {
        return Ok(());
    }
    let ranks = |s: &euca::DialogueStatus| {
        let r: Vec<u8> = s.possible_phases.iter().filter_map(|p| rank(*p)).collect();
        (r.iter().min().copied(), r.iter().max().copied())
    };
    let (lo1, hi1) = ranks(&s1);
    let (lo2, hi2) = ranks(&s2);
    if let (Some(lo1), Some(lo2)) = (lo1, lo2) {
        prop_assert!(
            lo2 >= lo1,
            "{:?} then {:?}",
            s1.possible_phases,
            s2.possible_phases
        );
    }
    if let (Some(hi1), Some(hi2)) = (hi1, hi2) {
        prop_assert!(
            hi2 >= hi1,
            "{:?} then {:?}",
            s1.possible_phases,
            s2.possible_phases
        );
    }
    if s1.phase == Some(Phase::Overdue) {
        prop_assert_eq!(s2.phase, Some(Phase::Overdue));
        let elapsed = (d2 - d1).num_days();
        prop_assert_eq!(
            s2.days_overdue_min.unwrap(),
            s1.days_overdue_min.unwrap() + elapsed
        );
        prop_assert_eq!(
            s2.days_overdue_max.unwrap(),
            s1.days_overdue_max.unwrap() + elapsed
        );
    }
    Ok(())
}

/// No projected round before the last one known by `as_of` (a plan made on a past day does not
/// know later records; a round known only from the numbering is known once it must have begun);
/// projected rounds follow each other.
fn check_plan(
    data: &Dataset,
    as_of: NaiveDate,
    years: u32,
    weeks: u32,
) -> Result<(), TestCaseError> {
    let plan = data.plan(
        as_of,
        &PlanOptions {
            years,
            consultation_weeks: weeks,
        },
    );
    for d in data.dialogues() {
        let last = data
            .rounds_of(&d.id)
            .unwrap()
            .iter()
            .filter(|r| {
                if r.derived {
                    r.latest <= as_of
                } else {
                    r.earliest <= as_of
                }
            })
            .map(|r| r.latest)
            .max();
        let mut previous: Option<&euca::PlanItem> = None;
        for item in plan.iter().filter(|p| p.dialogue == d.id) {
            prop_assert!(item.projected);
            if let Some(last) = last {
                prop_assert!(item.due_earliest > last, "{item:?} before {last}");
                prop_assert!(item.nominal_earliest > last, "{item:?} before {last}");
            }
            prop_assert!(item.due_earliest <= item.nominal_earliest);
            prop_assert!(item.nominal_earliest <= item.nominal_latest);
            prop_assert!(item.nominal_latest <= item.due_latest);
            prop_assert!(item.consultation_earliest <= item.consultation_latest);
            prop_assert_eq!(
                item.consultation_earliest,
                item.nominal_earliest - Days::new(u64::from(weeks) * 7)
            );
            if weeks > 0 {
                prop_assert!(item.consultation_latest < item.nominal_latest);
            }
            if let Some(p) = previous {
                prop_assert!(item.nominal_earliest > p.nominal_earliest);
                prop_assert!(item.due_earliest > p.due_earliest);
            } else {
                // Only the first projected round can be already overdue.
                prop_assert!(item.phase != Phase::Overdue || item.due_latest < as_of);
            }
            if previous.is_some() {
                prop_assert!(item.phase != Phase::Overdue);
            }
            previous = Some(item);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Status is monotone in time: between two recorded rounds a dialogue only moves on (on
    /// schedule, then due, then overdue), and once certainly overdue it stays overdue, the days
    /// counting up, until a later round is recorded.
    #[test]
    fn law_status_is_monotone_in_time(
        (interval, tolerance, rounds) in arb_dialogue(),
        a in arb_day(),
        b in arb_day(),
    ) {
        let data = Dataset::from_json(&document(interval, tolerance, &rounds)).unwrap();
        check_monotone(&data, "KZ", a, b)?;
    }

    /// The same law on the embedded data.
    #[test]
    fn law_status_is_monotone_in_time_for_the_five_dialogues(
        country in 0usize..5,
        a in arb_day(),
        b in arb_day(),
    ) {
        let code = ["KZ", "KG", "TJ", "TM", "UZ"][country];
        check_monotone(&embedded(), code, a, b)?;
    }

    /// Projection never places a round before the last known one, and projected rounds follow
    /// each other.
    #[test]
    fn law_projection_never_precedes_the_last_known_round(
        (interval, tolerance, rounds) in arb_dialogue(),
        as_of in arb_day(),
        years in 0u32..=4,
        weeks in 0u32..=12,
    ) {
        let data = Dataset::from_json(&document(interval, tolerance, &rounds)).unwrap();
        check_plan(&data, as_of, years, weeks)?;
    }

    /// The same law on the embedded data.
    #[test]
    fn law_projection_never_precedes_the_last_known_round_for_the_five_dialogues(
        as_of in arb_day(),
        years in 0u32..=4,
        weeks in 0u32..=12,
    ) {
        check_plan(&embedded(), as_of, years, weeks)?;
    }
}

#[test]
fn status_handles_the_ends_of_the_calendar() {
    let data = embedded();
    for day in [
        NaiveDate::MIN,
        NaiveDate::MAX,
        ymd(1, 1, 1),
        ymd(9999, 12, 31),
    ] {
        for s in data.status(day) {
            check_status(&s);
        }
        let _ = data.plan(day, &PlanOptions::years(3));
    }
    assert_eq!(
        data.status(ymd(1900, 1, 1))[0].phase,
        Some(Phase::NotYetAgreed)
    );
    assert_eq!(ymd(2030, 1, 1).year(), 2030);
}

// ---- validation of the cycle fields ---------------------------------------------------------

fn problems(extension: Value) -> Vec<(String, String)> {
    let err = embedded().extend(&extension.to_string()).unwrap_err();
    err.problems()
        .iter()
        .map(|p| (p.code.as_str().to_string(), p.path.clone()))
        .collect()
}

fn source() -> Value {
    serde_json::from_str(SOURCE).unwrap()
}

fn round_with(stages: Value) -> Value {
    json!({"add": {"rounds": [{"id": "hrd-kz/17", "dialogue": "hrd-kz", "number": 17,
        "date": "2026-03-10", "stages": stages, "sources": source()}]}})
}

#[test]
fn stages_are_validated() {
    let p = problems(round_with(json!([{"stage": "round", "sources": source()}])));
    assert_eq!(
        p,
        vec![(
            "invalid_value".into(),
            "add.rounds[0].stages[0].stage".into()
        )]
    );
    let p = problems(round_with(json!([
        {"stage": "civil_society_consultation", "date": "2026-04", "sources": source()},
        {"stage": "follow_up", "date": "2026-02-01", "sources": source()},
        {"stage": "preparation", "sources": []}
    ])));
    assert!(p.contains(&(
        "invalid_value".into(),
        "add.rounds[0].stages[0].date".into()
    )));
    assert!(p.contains(&(
        "invalid_value".into(),
        "add.rounds[0].stages[1].date".into()
    )));
    assert!(p.contains(&(
        "missing_source".into(),
        "add.rounds[0].stages[2].sources".into()
    )));
    let p = problems(round_with(
        json!([{"stage": "briefing", "sources": source()}]),
    ));
    assert_eq!(p[0].0, "invalid_value");
    // A stage on the round's own day, or in its month, is fine.
    let ok = round_with(json!([
        {"stage": "civil_society_consultation", "date": "2026-03", "sources": source()},
        {"stage": "follow_up", "date": "2026-03-10", "sources": source()},
        {"stage": "assessment", "sources": source()}
    ]));
    let data = embedded().extend(&ok.to_string()).unwrap();
    let stages = data.stages_of("hrd-kz/17").unwrap();
    let known: Vec<bool> = stages.iter().map(|s| s.known).collect();
    assert_eq!(known, vec![false, true, true, true, true]);
}

#[test]
fn the_round_a_seminar_prepares_is_validated() {
    let seminar = |prepares: &str, date: &str, dialogue: &str| {
        json!({"add": {"seminars": [{"id": "seminar/test", "scope": "bilateral", "country": "KZ",
            "dialogue": dialogue, "date": date, "prepares": prepares, "sources": source()}]}})
    };
    assert_eq!(
        problems(seminar("hrd-kz/99", "2014-11", "hrd-kz")),
        vec![(
            "unresolved_reference".into(),
            "add.seminars[0].prepares".into()
        )]
    );
    assert_eq!(
        problems(seminar("hrd-kg/14", "2024-11", "hrd-kz")),
        vec![("invalid_value".into(), "add.seminars[0].prepares".into())]
    );
    assert_eq!(
        problems(seminar("hrd-kz/7", "2014-12", "hrd-kz")),
        vec![("invalid_value".into(), "add.seminars[0].prepares".into())]
    );
    let data = embedded()
        .extend(&seminar("hrd-kz/7", "2014-11", "hrd-kz").to_string())
        .unwrap();
    let kz = data
        .regularity()
        .into_iter()
        .find(|r| r.country.as_deref() == Some("KZ"))
        .unwrap();
    assert_eq!(kz.seminars_before_round, 1);
    assert_eq!(kz.rounds_with_consultation, 1);
}

fn lifecycle(changes: Value) -> Value {
    json!({"correct": [{"id": "hrd-kz", "set": {"lifecycle": changes}, "sources": source()}]})
}

#[test]
fn lifecycle_changes_are_validated() {
    let change = |c: &str, d: &str| json!({"change": c, "date": d, "sources": source()});
    let p = problems(lifecycle(json!([change("resumed", "2010")])));
    assert_eq!(
        p,
        vec![(
            "invalid_value".into(),
            "correct[0].set.lifecycle[0].change".into()
        )]
    );
    let p = problems(lifecycle(json!([
        change("suspended", "2012"),
        change("suspended", "2013")
    ])));
    assert_eq!(
        p,
        vec![(
            "invalid_value".into(),
            "correct[0].set.lifecycle[1].change".into()
        )]
    );
    let p = problems(lifecycle(json!([
        change("suspended", "2013"),
        change("resumed", "2012")
    ])));
    assert_eq!(
        p,
        vec![(
            "invalid_value".into(),
            "correct[0].set.lifecycle[1].date".into()
        )]
    );
    let p = problems(lifecycle(json!([change("suspended", "2001")])));
    assert_eq!(
        p,
        vec![(
            "invalid_value".into(),
            "correct[0].set.lifecycle[0].date".into()
        )]
    );
    // Ended in December 2020, yet rounds are recorded in 2021, 2023 and 2025; and nothing comes
    // after an end.
    let p = problems(lifecycle(json!([
        change("ended", "2020-12"),
        change("resumed", "2022")
    ])));
    assert!(p.contains(&(
        "invalid_value".into(),
        "correct[0].set.lifecycle[1].change".into()
    )));
    assert_eq!(
        p.iter()
            .filter(|(code, path)| code == "invalid_value" && path.starts_with("rounds["))
            .count(),
        3,
        "{p:?}"
    );
    let p = problems(lifecycle(
        json!([{"change": "paused", "date": "2012", "sources": source()}]),
    ));
    assert_eq!(p[0].0, "invalid_value");
    let p = problems(lifecycle(
        json!([{"change": "suspended", "date": "2012", "sources": []}]),
    ));
    assert_eq!(
        p,
        vec![(
            "missing_source".into(),
            "correct[0].set.lifecycle[0].sources".into()
        )]
    );
}

#[test]
fn a_cadence_tolerance_must_be_shorter_than_the_interval() {
    let p = problems(json!({"correct": [{"id": "hrd-kz", "set": {"cadence": {
        "interval_months": 6, "tolerance_months": 6, "sources": source()}}, "sources": source()}]}));
    assert_eq!(
        p,
        vec![(
            "invalid_value".into(),
            "correct[0].set.cadence.tolerance_months".into()
        )]
    );
    // Absent, the tolerance is a quarter of the interval.
    let data = embedded();
    assert!(data.dialogues().iter().all(|d| d.cadence.tolerance() == 3));
}

#[test]
fn a_huge_planning_horizon_is_cut_and_returns_promptly() {
    let data = euca::Dataset::embedded().unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let huge = data.plan(as_of, &euca::PlanOptions::years(u32::MAX));
    let cut = data.plan(as_of, &euca::PlanOptions::years(euca::MAX_PLAN_YEARS));
    assert_eq!(huge.len(), cut.len());
    assert!(huge.iter().all(|i| i.projected));
}

#[test]
fn a_plan_made_on_a_past_day_projects_from_the_rounds_held_by_then() {
    let data = euca::Dataset::embedded().unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let plan = data.plan(as_of, &euca::PlanOptions::years(1));
    // Every dialogue had rounds by 2020 and none has ended: each projects a next round.
    for country in ["KZ", "KG", "TJ", "TM", "UZ"] {
        let item = plan.iter().find(|i| i.country == country).expect(country);
        assert!(
            item.due_earliest <= chrono::NaiveDate::from_ymd_opt(2021, 1, 1).unwrap(),
            "{country}: {item:?}"
        );
    }
    // Turkmenistan's 11th round (2019) is the last held by then: the 12th is projected next.
    let tm = plan.iter().find(|i| i.country == "TM").unwrap();
    assert_eq!(tm.number, Some(12));
}

#[test]
fn overdue_says_whether_a_later_round_proves_it_or_there_is_only_no_record() {
    let data = euca::Dataset::embedded().unwrap();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // Turkmenistan's 2nd round was in June 2009 and the 5th in May 2013: rounds 3 and 4 are known
    // from the numbering, so 2011 cannot be "overdue" on no record alone.
    let tm = data.status_of("TM", day("2011-12-31")).unwrap();
    assert_ne!(tm.overdue_evidence, Some(euca::Evidence::Proven));
    // As of today no round after the last recorded one proves a gap: only no record.
    let uz = data.status_of("UZ", day("2026-11-30")).unwrap();
    if uz.possible_phases.contains(&euca::Phase::Overdue) {
        assert_eq!(uz.overdue_evidence, Some(euca::Evidence::NoRecord));
    }
    // Kazakhstan's 13th round (2 December 2021) and 14th (9 March 2023): on 1 March 2023 the
    // 14th had not been held, the 13th was the last, and the 14th's number proves no round came
    // in between.
    let kz = data.status_of("KZ", day("2023-03-01")).unwrap();
    if kz.possible_phases.contains(&euca::Phase::Overdue) {
        assert_eq!(kz.overdue_evidence, Some(euca::Evidence::Proven));
    }
}

#[test]
fn a_dialogue_without_a_cadence_is_annual() {
    let mut doc: Value = serde_json::from_str(&document(12, 3, &[])).unwrap();
    doc["dialogues"][0]
        .as_object_mut()
        .unwrap()
        .remove("cadence");
    let data = Dataset::from_json(&doc.to_string()).unwrap();
    let cadence = &data.dialogues()[0].cadence;
    assert_eq!(cadence.interval_months, 12);
    assert_eq!(cadence.tolerance(), 3);
    assert!(!cadence.sources.is_empty());
}

#[test]
fn a_plan_item_becomes_a_projected_timeline_record() {
    let data = embedded();
    let plan = data.plan(
        ymd(2026, 1, 1),
        &PlanOptions {
            years: 1,
            consultation_weeks: 6,
        },
    );
    assert!(!plan.is_empty());
    for item in &plan {
        let record = data.plan_record(item);
        assert_eq!(record.status, euca::RecordStatus::Projected);
        assert_eq!(record.record.as_deref(), Some(item.id.as_str()));
        assert_eq!(record.country.as_deref(), Some(item.country.as_str()));
        assert_eq!(record.kind, euca::EventKind::Round);
        assert_eq!(
            (record.start, record.end),
            (item.due_earliest, item.due_latest)
        );
        assert_eq!(record.round_number, item.number);
        assert!(record.title.ends_with("(projected)"), "{}", record.title);
        assert_eq!(
            (record.date, record.precision, record.source),
            (None, None, None)
        );
    }
}
