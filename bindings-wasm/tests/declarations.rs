//! The TypeScript declarations (src/types.rs) describe what the core really returns and reads.
//!
//! Each declaration type is a Rust struct with `deny_unknown_fields`; real core values (every
//! query of the embedded dataset, every rule set, decisions on every fixture application under
//! every call ...) are serialised, read back through the declaration type and serialised again:
//! a field the declaration lacks, a wrong type or a wrong enum value fails here, so the .d.ts
//! cannot drift from the core.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use chrono::NaiveDate;
use euca::calendar::CalendarFilter;
use euca::{Application, Dataset, Date, Period, PlanOptions};
use euca_wasm::types;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Reads `value`'s JSON through the declaration type `T` and checks nothing changes.
fn declared<T: Serialize + DeserializeOwned>(what: &str, value: &impl Serialize) {
    let json = serde_json::to_value(value).unwrap();
    let typed: T = serde_json::from_value(json.clone())
        .unwrap_or_else(|e| panic!("{what} does not fit its declaration: {e}\n{json:#}"));
    assert_eq!(
        serde_json::to_value(&typed).unwrap(),
        json,
        "{what} changes through its declaration"
    );
}

fn each<T: Serialize + DeserializeOwned, V: Serialize>(what: &str, values: &[V]) {
    assert!(!values.is_empty(), "{what}: nothing to check");
    for (i, v) in values.iter().enumerate() {
        declared::<T>(&format!("{what}[{i}]"), v);
    }
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

const COUNTRIES: [&str; 5] = ["KZ", "KG", "TJ", "TM", "UZ"];
const DAYS: [&str; 6] = [
    "2004-06-01",
    "2008-06-15",
    "2012-01-01",
    "2019-07-01",
    "2021-01-15",
    "2026-11-30",
];

#[test]
fn dataset_records_and_queries() {
    let data = Dataset::embedded().unwrap();
    each::<types::Country, _>("countries", data.countries());
    each::<types::Dialogue, _>("dialogues", data.dialogues());
    each::<types::Country, _>("central_asian_states", &data.central_asian_states());
    each::<types::Strategy, _>("strategies", data.strategies());
    each::<types::PriorityRecord, _>("priorities", &data.priorities());
    each::<types::Agreement, _>("agreements", data.agreements());
    each::<types::Body, _>("bodies", data.bodies());
    each::<types::DialogueType, _>("dialogue_types", data.dialogue_types());
    each::<types::Objective, _>("objectives", data.objectives());
    each::<types::PriorityIssue, _>("priority_issues", data.priority_issues());
    each::<types::Round, _>("rounds", data.rounds());
    each::<types::Seminar, _>("seminars", data.seminars());
    each::<types::Initiative, _>("initiatives", data.initiatives());
    each::<types::Instrument, _>("instruments", data.instruments());
    each::<types::ProjectKind, _>("project_kinds", data.project_kinds());
    each::<types::OrganisationType, _>("organisation_types", data.organisation_types());
    each::<types::Sector, _>("sectors", data.sectors());
    for c in COUNTRIES {
        each::<types::RoundRecord, _>(c, &data.rounds_of(c).unwrap());
        for d in ["2005", "2008-06", "2008-06-15", "2014", "[2018,2019]"] {
            declared::<types::FormatOn>(c, &data.format_on(c, &Date::parse(d).unwrap()).unwrap());
        }
    }
    let y2008 = Period::of(Date::parse("2008").unwrap());
    each::<types::RoundRecord, _>("rounds_in", &data.rounds_in(&y2008));
    each::<types::RoundRecord, _>("rounds_in(all)", &data.rounds_in(&Period::all()));
    each::<types::SeminarRecord, _>("seminars", &data.seminar_records());
    each::<types::SeminarRecord, _>("seminars_in", &data.seminars_in(&Period::all()));
    each::<types::SeminarGap, _>(
        "countries_without_seminar_before",
        &data.countries_without_seminar_before(&Date::parse("2010").unwrap()),
    );
    each::<types::TimelineEvent, _>("timeline", &data.timeline());
    each::<types::TimelineRecord, _>("timeline_records", &data.timeline_records());
    let priorities: Vec<String> = serde_json::to_value(data.strategies())
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["priorities"].as_array().cloned().unwrap_or_default())
        .filter_map(|p| p["id"].as_str().map(str::to_string))
        .collect();
    for p in &priorities {
        for s in data.serving(p).unwrap() {
            declared::<types::Serving>(p, &s);
        }
    }
    let source = serde_json::json!({"title": "My notes", "document": "field notes"});
    let extended = data
        .extend(
            &serde_json::json!({
                "correct": [{"id": "hrd-kz/16", "set": {"place": "Brussels"}, "sources": [source], "note": "n"}],
                "retract": [{"id": "hrd-kg/1", "sources": [source]}],
            })
            .to_string(),
        )
        .unwrap();
    each::<types::Change, _>("changes", extended.changes());
}

#[test]
fn dialogue_cycles() {
    let data = Dataset::embedded().unwrap();
    for d in DAYS {
        each::<types::DialogueStatus, _>(d, &data.status(day(d)));
        for years in [1, 3] {
            let plan = data.plan(day(d), &PlanOptions::years(years));
            for item in &plan {
                declared::<types::PlanItem>(d, item);
                declared::<types::TimelineRecord>(d, &data.plan_record(item));
            }
        }
    }
    each::<types::RoundInterval, _>("intervals", &data.intervals());
    each::<types::RoundYear, _>("round_years", &data.round_years());
    each::<types::Regularity, _>("regularity", &data.regularity());
    each::<types::StageRecord, _>("round_stages", &data.round_stages());
    let filter = CalendarFilter {
        as_of: Some(day("2025-01-01")),
        ..CalendarFilter::default()
    };
    each::<types::CalendarEvent, _>("calendar_events", &data.calendar_events(&filter).unwrap());
    declared::<types::CalendarFilter>("calendar filter", &filter);
}

/// Every application and rule set in tests/fixtures that the core reads.
fn fixture_documents() -> (Vec<Application>, Vec<Value>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut apps = Vec::new();
    let mut rule_sets = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let cases: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for case in cases.as_array().unwrap() {
            let input = &case["input"];
            let mut candidates: Vec<&Value> = vec![&input["application"]];
            if let Some(list) = input["applications"].as_array() {
                candidates.extend(list);
            }
            for a in candidates {
                if let Ok(app) = Application::from_value(a) {
                    apps.push(app);
                }
            }
            for key in ["call", "call_a", "call_b"] {
                if input[key].is_object() {
                    rule_sets.push(input[key].clone());
                }
            }
            if let Some(list) = input["rule_sets"].as_array() {
                rule_sets.extend(list.iter().cloned());
            }
        }
    }
    (apps, rule_sets)
}

#[test]
fn rule_sets_calls_and_decisions() {
    let data = Dataset::embedded().unwrap();
    each::<types::RuleSetJson, _>("rule_sets", data.rule_sets());
    let (apps, fixture_rule_sets) = fixture_documents();
    assert!(apps.len() > 50, "only {} fixture applications", apps.len());
    each::<types::Application, _>("fixture applications", &apps);
    let mut compiled = 0;
    for r in &fixture_rule_sets {
        if let Ok(call) = euca::Call::from_value_with(r, &data) {
            declared::<types::RuleSetJson>("fixture rule set", call.rule_set());
            each::<types::CallCriterion, _>("fixture criteria", call.criteria());
            compiled += 1;
        }
    }
    assert!(compiled > 5, "only {compiled} fixture rule sets compile");

    let calls = data.calls();
    assert!(!calls.is_empty());
    for call in &calls {
        each::<types::CallCriterion, _>(call.id(), call.criteria());
        each::<types::RuleSetRef, _>(call.id(), call.chain());
        if let Some(v) = call.validity() {
            declared::<types::RuleValidity>(call.id(), v);
        }
        for as_of in ["2015-10-01", "2020-09-01", "2023-05-01"] {
            for stage in [None, Some(euca::Stage::ConceptNote)] {
                for app in &apps {
                    declared::<types::DecisionJson>(
                        call.id(),
                        &call.evaluate(app, day(as_of), stage),
                    );
                }
                declared::<types::BatchResult>(
                    call.id(),
                    &call.evaluate_many(&apps, day(as_of), stage),
                );
            }
        }
    }
    for pair in calls.windows(2) {
        each::<types::Comparison, _>(
            "compare",
            &euca::compare(&pair[0], &pair[1], &apps, day("2020-09-01")),
        );
    }
    each::<types::DecisionJson, _>(
        "match_calls",
        &data.match_calls(&apps[0], day("2020-09-01")),
    );
}

#[test]
fn dates() {
    for text in [
        "2005",
        "2008-06",
        "2008-10-15",
        "2007-05-08/2007-05-09",
        "[2018,2019]",
    ] {
        let d = Date::parse(text).unwrap();
        declared::<types::DateInfo>(
            text,
            &types::DateInfo {
                display: d.to_string(),
                earliest: d.earliest().to_string(),
                latest: d.latest().to_string(),
                precision: d.precision(),
            },
        );
        declared::<types::Precision>(text, &d.precision());
    }
    for r in [
        euca::Relation::Before,
        euca::Relation::Same,
        euca::Relation::After,
        euca::Relation::CannotTell,
    ] {
        declared::<types::Relation>("relation", &r);
    }
}

/// Every `read_iati` input of tests/fixtures that reads, and the export options the cases give.
fn fixture_iati() -> (Vec<String>, Vec<Value>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut xml = Vec::new();
    let mut export_options = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let cases: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for case in cases.as_array().unwrap() {
            match case["kind"].as_str() {
                Some("read_iati") => xml.push(case["input"]["xml"].as_str().unwrap().to_string()),
                Some("to_iati") if case["input"]["options"].is_object() => {
                    export_options.push(case["input"]["options"].clone());
                }
                _ => {}
            }
        }
    }
    (xml, export_options)
}

#[test]
fn projects_iati_and_analyses() {
    use euca::analysis::{after_rounds, funding, local_leads, project_leads};
    use euca::iati::{ExportOptions, ImportOptions, read_iati, read_iati_with, to_iati};

    let data = Dataset::embedded().unwrap();
    each::<types::Project, _>("projects", data.projects());
    let (files, export_options) = fixture_iati();
    assert!(files.len() > 5, "only {} IATI fixture files", files.len());
    let mut read: Vec<euca::Project> = Vec::new();
    for xml in &files {
        let options = ImportOptions {
            skip_invalid: true,
            source: None,
        };
        if let Ok(imported) = read_iati_with(xml, &options) {
            declared::<types::IatiImport>("read_iati", &imported);
            each::<types::IatiWarning, _>("warnings", &imported.warnings);
            read.extend(imported.records);
        }
    }
    // The IATI standard's own test files, where ../shared holds them (core/tests/iati.rs reads
    // them too): every element euca reads, in every form the standard allows.
    let suite = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/iati-activity/tests/activity-tests/should-pass");
    if suite.is_dir() {
        let mut folders = vec![suite];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|x| x == "xml") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let imported = read_iati(&text).unwrap();
                    declared::<types::IatiImport>(&path.display().to_string(), &imported);
                    read.extend(imported.records);
                }
            }
        }
    } else {
        println!("skipped: the IATI test suite (no {})", suite.display());
    }
    assert!(!read.is_empty());
    each::<types::Project, _>("records read from IATI", &read);
    declared::<types::ImportOptions>(
        "import options",
        &ImportOptions {
            skip_invalid: true,
            source: data.projects()[0].sources.first().cloned(),
        },
    );
    assert!(!export_options.is_empty());
    for o in &export_options {
        let options: ExportOptions = serde_json::from_value(o.clone()).unwrap();
        declared::<types::ExportOptions>("export options", &options);
        let xml = to_iati(data.projects(), &options).unwrap();
        each::<types::Project, _>("exported and read back", &read_iati(&xml).unwrap().records);
    }

    let mut all: Vec<euca::Project> = data.projects().to_vec();
    all.extend(read);
    for by in euca::FundingBy::ALL {
        declared::<types::FundingBy>("by", &by);
        each::<types::FundingRecord, _>(by.as_str(), &funding(&all, by));
    }
    each::<types::ProjectLead, _>("project_leads", &project_leads(&all));
    each::<types::LocalLeadShare, _>("local_leads", &local_leads(&all));
    each::<types::ProjectAfterRound, _>("after_rounds", &after_rounds(&data, &all, 24));
    each::<types::Application, _>(
        "project applications",
        &all.iter()
            .map(euca::Project::to_application)
            .collect::<Vec<_>>(),
    );
    each::<types::ProjectEligibility, _>(
        "project_eligibility",
        &data.project_eligibility(day("2023-03-01")),
    );
    let call = data.call("tj-2020-cso").unwrap();
    for p in &all {
        let decision = call.evaluate(&p.to_application(), day("2020-09-01"), None);
        declared::<types::DecisionJson>(&p.id, &decision);
        declared::<types::ProjectEligibility>(&p.id, &euca::ProjectEligibility::of(p, &decision));
    }
}
