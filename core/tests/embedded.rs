//! The embedded dataset: it loads, every record carries its source, a JSON round trip is the
//! identity, every confirmed round and seminar of the research notes (shared/domain/sources.md §2)
//! is in it, and no date is more precise than its source.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use euca::{Dataset, DatasetError, Disputable, Precision};
use serde_json::Value;

/// The dataset, or a panic listing every problem (`path [code] message`, one per line).
fn or_problems(read: Result<Dataset, DatasetError>, what: &str) -> Dataset {
    read.unwrap_or_else(|e| {
        let lines: Vec<String> = e
            .problems()
            .iter()
            .map(|p| format!("{} [{}] {}", p.path, p.code, p.message))
            .collect();
        panic!("{what}:\n{}", lines.join("\n"))
    })
}

fn embedded() -> Dataset {
    or_problems(Dataset::embedded(), "the embedded dataset is invalid")
}

#[test]
fn embedded_dataset_loads_without_problems() {
    let data = embedded();
    assert!(!data.version().is_empty());
    assert_eq!(data.central_asian_states().len(), 5);
    assert_eq!(data.dialogues().len(), 5);
}

/// `Dataset::embedded()` reads the embedded document straight into its records, without the checks
/// of `Dataset::from_json`. This proves that the document passes every check (unknown fields,
/// types, dates, references, sources) and that both ways read the same dataset.
#[test]
fn the_embedded_dataset_reads_the_same_checked_and_unchecked() {
    let document = Dataset::embedded_json().unwrap();
    let checked = or_problems(
        Dataset::from_json(&document),
        "the embedded dataset fails a check",
    );
    // The unchecked read itself is proven on the very document it reads by the unit test
    // `dataset::embedded_tests` (it is private; `embedded()` falls back to the checked read).
    let first = Dataset::read_embedded_document().unwrap();
    assert!(
        checked == first,
        "the first Dataset::embedded() differs from the checked read"
    );
    assert!(
        checked == embedded(),
        "Dataset::embedded() differs from the checked read"
    );
    // serde's Deserialize makes the same checks.
    let through_serde: Dataset = serde_json::from_str(&document).unwrap();
    assert_eq!(checked.to_json(), through_serde.to_json());
}

/// A dataset read through serde is checked as `Dataset::from_json` checks it: bad input is an
/// error naming every problem with its path, never a dataset that skipped the checks.
#[test]
fn a_dataset_read_through_serde_is_checked() {
    let bad = r#"{"version": "1", "countries": [{"code": "KZ", "bogus": 1}],
                 "dialogues": [{"id": "d", "country": "XX"}]}"#;
    let direct = Dataset::from_json(bad).unwrap_err();
    assert!(direct.problems().len() >= 2, "{direct}");
    let message = serde_json::from_str::<Dataset>(bad)
        .unwrap_err()
        .to_string();
    assert!(message.starts_with("invalid dataset: "), "{message}");
    for p in direct.problems() {
        assert!(
            message.contains(&p.path),
            "the serde error names `{}`: {message}",
            p.path
        );
    }
    assert!(message.contains("countries[0].bogus"), "{message}");
}

/// Walks every JSON object of the document and checks that each record (an object with an `id`
/// or a `code`) has at least one source with a title and an address or document.
fn check_sources(value: &Value, path: &str, missing: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            let is_record = map.contains_key("id") || map.contains_key("code");
            // A criterion of a rule set cites its source in `citation.source`.
            let cited = map
                .get("citation")
                .and_then(|c| c.get("source"))
                .is_some_and(|s| {
                    s.get("title").is_some()
                        && (s.get("address").is_some() || s.get("document").is_some())
                });
            if is_record && !cited && !path.starts_with("changes") {
                let ok = map
                    .get("sources")
                    .and_then(Value::as_array)
                    .is_some_and(|s| {
                        !s.is_empty()
                            && s.iter().all(|s| {
                                s.get("title").is_some()
                                    && (s.get("address").is_some() || s.get("document").is_some())
                            })
                    });
                if !ok {
                    missing.push(path.to_string());
                }
            }
            for (k, v) in map {
                check_sources(v, &format!("{path}.{k}"), missing);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                check_sources(v, &format!("{path}[{i}]"), missing);
            }
        }
        _ => {}
    }
}

#[test]
fn every_record_of_the_embedded_data_has_a_source() {
    let data = embedded();
    let mut missing = Vec::new();
    check_sources(&data.to_value(), "", &mut missing);
    assert!(missing.is_empty(), "records without a source: {missing:?}");
}

#[test]
fn json_round_trip_of_the_whole_dataset_is_the_identity() {
    let data = embedded();
    let text = data.to_json();
    let again = Dataset::from_json(&text).unwrap();
    assert_eq!(again, data);
    assert_eq!(again.to_json(), text);
}

#[test]
fn writing_the_dataset_keeps_every_field_of_the_embedded_files() {
    // The merged embedded files and the written dataset are the same JSON value: nothing was
    // dropped, renamed or reordered on the way in or out.
    let files: Value = serde_json::from_str(&Dataset::embedded_json().unwrap()).unwrap();
    let written = embedded().to_value();
    let (Value::Object(files), Value::Object(written)) = (files, written) else {
        panic!("both are objects");
    };
    for (key, value) in &files {
        assert_eq!(written.get(key), Some(value), "collection `{key}` changed");
    }
    assert_eq!(files.len(), written.len());
}

/// The rounds that sources.md §2 (and the later research notes) confirm, as (dialogue, number,
/// EDTF date). Numbers marked "inferred" there are checked too: the record says so in `inferred`.
const CONFIRMED_ROUNDS: &[(&str, u32, &str)] = &[
    ("hrd-kz", 1, "2008-10-15"),
    ("hrd-kz", 7, "2014-11-12"),
    ("hrd-kz", 10, "2017-11-29"),
    ("hrd-kz", 12, "2020-11-26"),
    ("hrd-kz", 13, "2021-12-02"),
    ("hrd-kz", 14, "2023-03-09"),
    ("hrd-kz", 16, "2025-03-06"),
    ("hrd-kg", 1, "2008-10"),
    ("hrd-kg", 8, "2017"),
    ("hrd-kg", 9, "2018-06-26"),
    ("hrd-kg", 10, "2020-09-24"),
    ("hrd-kg", 12, "2022-09-15"),
    ("hrd-kg", 13, "2023-11-09"),
    ("hrd-kg", 14, "2024-11-21"),
    ("hrd-tj", 1, "2008-10-31"),
    ("hrd-tj", 6, "2014-06-17"),
    ("hrd-tj", 7, "2015-06-11"),
    ("hrd-tj", 9, "2017-10-12"),
    ("hrd-tj", 12, "2020-11-11"),
    ("hrd-tj", 13, "2022-12-07"),
    ("hrd-tj", 14, "2023-12-14"),
    ("hrd-tj", 15, "[2024-10-17,2025-10-17]"),
    ("hrd-tm", 1, "2008-06"),
    ("hrd-tm", 2, "2009-06-30"),
    ("hrd-tm", 5, "2013-05-15"),
    ("hrd-tm", 6, "2014-09-15"),
    ("hrd-tm", 10, "2018-06-21"),
    ("hrd-tm", 11, "2019"),
    ("hrd-tm", 12, "2020-06-18"),
    ("hrd-tm", 15, "2023-12-18"),
    ("hrd-tm", 16, "2024-06-25"),
    ("hrd-tm", 17, "2025-06-17"),
    ("hrd-uz", 1, "2007-05-08/2007-05-09"),
    ("hrd-uz", 2, "2008-06-05"),
    ("hrd-uz", 8, "2014-11-18"),
    ("hrd-uz", 9, "2015"),
];

#[test]
fn every_confirmed_round_of_the_sources_is_in_the_dataset_with_its_date() {
    let data = embedded();
    let mut missing = Vec::new();
    for &(dialogue, number, date) in CONFIRMED_ROUNDS {
        let found = data
            .rounds()
            .iter()
            .find(|r| r.dialogue == dialogue && r.number == Some(number));
        match found {
            Some(r) if r.date.display() == date => {}
            Some(r) => missing.push(format!(
                "{dialogue} round {number}: dated `{}`, sources say `{date}`",
                r.date.display()
            )),
            None => missing.push(format!("{dialogue} round {number} ({date}) is missing")),
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// The Uzbekistan rounds held within the PCA Sub-Committee from 2019 (sources.md §2.5, "later":
/// the 15th meeting on 24 June 2019, the 18th on 29 March 2022, the 20th in 2024), as (meeting
/// number of the Sub-Committee, EDTF date, place). They carry no round number of their own.
const CONFIRMED_SUB_COMMITTEE_ROUNDS: &[(u32, &str, &str)] = &[
    (15, "2019-06-24", "Brussels"),
    (18, "2022-03-29", "Tashkent"),
    (20, "2024-06-21", "Tashkent"),
];

#[test]
fn every_confirmed_sub_committee_round_of_uzbekistan_is_in_the_dataset() {
    let data = embedded();
    for &(meeting, date, place) in CONFIRMED_SUB_COMMITTEE_ROUNDS {
        let round = data
            .rounds()
            .iter()
            .find(|r| {
                r.dialogue == "hrd-uz"
                    && r.held_with.as_ref().map(|h| (h.body.as_str(), h.number))
                        == Some(("pca-uz/subcommittee-jha-hr", Some(meeting)))
            })
            .unwrap_or_else(|| panic!("the Sub-Committee's meeting {meeting} is missing"));
        assert_eq!(round.date.display(), date, "meeting {meeting}");
        assert_eq!(round.place.as_deref(), Some(place), "meeting {meeting}");
        assert_eq!(
            round.number, None,
            "meeting {meeting} has no dialogue round number"
        );
        assert!(!round.sources.is_empty());
    }
}

#[test]
fn rounds_known_only_from_the_numbering_are_not_stored() {
    let data = embedded();
    // Kazakhstan's 11th and 15th rounds and Tajikistan's 8th are known only because later rounds
    // have higher numbers (sources.md §2): the queries derive them, the data does not store them.
    for (dialogue, number) in [("hrd-kz", 11), ("hrd-kz", 15), ("hrd-tj", 8)] {
        assert!(
            !data
                .rounds()
                .iter()
                .any(|r| r.dialogue == dialogue && r.number == Some(number)),
            "{dialogue} round {number} is stored"
        );
    }
}

#[test]
fn dates_keep_the_precision_of_their_sources() {
    let data = embedded();
    let round = |dialogue: &str, number: u32| {
        data.rounds()
            .iter()
            .find(|r| r.dialogue == dialogue && r.number == Some(number))
            .unwrap()
    };
    // "first structured dialogues ... in October 2008": a month, not a day.
    assert_eq!(round("hrd-kg", 1).date.precision(), Precision::Month);
    // "took place for the first time in June 2008 in Ashgabad".
    assert_eq!(round("hrd-tm", 1).date.precision(), Precision::Month);
    // Year-only rounds stay years.
    assert_eq!(round("hrd-tm", 11).date.precision(), Precision::Year);
    // "Seminars were held ... with the Kyrgyz Republic in March 2009 in Bishkek".
    let kg = data
        .seminars()
        .iter()
        .find(|s| s.country == "KG" && s.date.display() == "2009-03")
        .expect("the Bishkek seminar of March 2009");
    assert_eq!(kg.date.precision(), Precision::Month);
    // Dialogues agreed in a year or a month keep that precision.
    let uz = data.dialogue("UZ").unwrap();
    assert_eq!(uz.agreed.as_ref().unwrap().display(), "2007");
}

#[test]
fn a_fact_the_sources_disagree_on_keeps_both_versions_with_their_sources() {
    let data = embedded();
    let kz = data
        .seminars()
        .iter()
        .find(|s| s.country == "KZ" && s.date.bounds().earliest.to_string().starts_with("2009"))
        .expect("the Kazakhstan seminar of 2009");
    let Disputable::Disputed(dispute) = &kz.date else {
        panic!("the Kazakhstan seminar's date is disputed");
    };
    let values: Vec<String> = dispute
        .alternatives
        .iter()
        .map(|a| a.value.to_string())
        .collect();
    assert!(values.contains(&"2009-07".to_string()), "{values:?}");
    assert!(
        values.contains(&"2009-06-29/2009-06-30".to_string()),
        "{values:?}"
    );
    assert!(dispute.alternatives.iter().all(|a| !a.sources.is_empty()));
    assert!(!dispute.note.is_empty());
}

#[test]
fn every_first_seminar_of_the_factsheet_is_in_the_dataset() {
    let data = embedded();
    for country in ["UZ", "KG", "TJ", "KZ"] {
        assert!(
            data.seminars().iter().any(|s| s.country == country
                && s.date.bounds().earliest.to_string().as_str() < "2009-12-31"),
            "no 2008/2009 seminar for {country}"
        );
    }
}

/// The seminars that sources.md §2 (and the later research notes) confirm, as (country, EDTF date
/// or the first alternative of a disputed one, place).
const CONFIRMED_SEMINARS: &[(&str, &str, &str)] = &[
    ("UZ", "2008-10-02/2008-10-03", "Tashkent"),
    ("KG", "2009-03", "Bishkek"),
    ("TJ", "2009-06", "Dushanbe"),
    ("KZ", "2009-07", "Almaty"),
    ("KZ", "2011", "Almaty"),
    ("KG", "2013-09-26", "Bishkek"),
    ("TJ", "2014", "Dushanbe"),
    ("KG", "2014-10-29/2014-10-30", "Osh"),
    ("KZ", "2021-10-06", "Almaty"),
    ("TJ", "2023-12", "Dushanbe"),
];

#[test]
fn every_confirmed_seminar_of_the_sources_is_in_the_dataset() {
    let data = embedded();
    let mut missing = Vec::new();
    for &(country, date, place) in CONFIRMED_SEMINARS {
        let found = data.seminars().iter().any(|s| {
            s.country == country
                && s.date.values().first().map(|d| d.to_string()).as_deref() == Some(date)
                && s.place.as_deref() == Some(place)
        });
        if !found {
            missing.push(format!("{country} {date} {place}"));
        }
    }
    assert!(missing.is_empty(), "missing seminars: {missing:?}");
}

#[test]
fn the_timeline_holds_every_kind_of_event_in_date_order_each_with_precision_and_sources() {
    use euca::EventKind::*;
    let data = embedded();
    let events = data.timeline();
    for pair in events.windows(2) {
        assert!(
            (pair[0].earliest, pair[0].latest) <= (pair[1].earliest, pair[1].latest),
            "{} ({}) comes before {} ({})",
            pair[0].record,
            pair[0].date,
            pair[1].record,
            pair[1].date
        );
    }
    for e in &events {
        assert!(
            !e.sources.is_empty(),
            "{} ({:?}) has no source",
            e.record,
            e.kind
        );
        assert!(e.earliest <= e.latest, "{}", e.record);
        let parsed = euca::Date::parse(e.date.split(" or ").next().unwrap()).unwrap();
        if !e.disputed {
            assert_eq!(parsed.precision(), e.precision, "{}", e.record);
        }
    }
    for kind in [
        StrategyAdopted,
        StrategyReviewed,
        AgreementSigned,
        AgreementInForce,
        DialogueAgreed,
        FormatChanged,
        Round,
        Seminar,
        InitiativeLaunched,
    ] {
        assert!(
            events.iter().any(|e| e.kind == kind),
            "the timeline has no {kind:?} event"
        );
    }
    // Every stored round and seminar is on it.
    for r in data.rounds() {
        assert!(
            events.iter().any(|e| e.kind == Round && e.record == r.id),
            "{}",
            r.id
        );
    }
    for s in data.seminars() {
        assert!(
            events.iter().any(|e| e.kind == Seminar && e.record == s.id),
            "{}",
            s.id
        );
    }
}

/// One row of the research notes' table of funded projects (sources.md §6.2): its number, the
/// record's id, the title as the notes give it (the record's title contains it), the recipient
/// countries, the total cost and EU contribution in cents where the notes give them (row 5's
/// amount read as the EU contribution is euca's, and marked inferred; row 12 gives amounts only
/// for parts, so none is recorded), the dates as (kind, EDTF, precision), the fields marked
/// inferred, and the start of the source's address.
struct Row {
    n: u32,
    id: &'static str,
    title: &'static str,
    countries: &'static [&'static str],
    total_cost: Option<u64>,
    eu_contribution: Option<u64>,
    dates: &'static [(&'static str, &'static str, Precision)],
    inferred: &'static [&'static str],
    source: &'static str,
}

const USUAL: &[&str] = &["org_types", "sectors", "themes", "priorities"];
const WITH_COUNTRIES: &[&str] = &[
    "org_types",
    "participant_countries",
    "sectors",
    "themes",
    "priorities",
];

/// The 28 rows of sources.md §6.2.
#[rustfmt::skip]
const SOURCES_PROJECTS: &[Row] = {
    use Precision::{Day, Month, Year};
    &[
        Row { n: 1, id: "project/kz/inclusive-kazakhstan", title: "Inclusive Kazakhstan", countries: &["KZ"], total_cost: Some(31_563_500), eu_contribution: Some(29_985_300), dates: &[("start", "2019-01", Month), ("end", "2021-03", Month)], inferred: USUAL, source: "https://en.inform.kz/" },
        Row { n: 2, id: "project/kz/migrants-rights", title: "Strengthening legal protection of migrants' rights in Kazakhstan", countries: &["KZ"], total_cost: Some(31_578_900), eu_contribution: Some(30_000_000), dates: &[("start", "2019-01-30", Day), ("planned_end", "2021-01-30", Day), ("end", "2021-06", Month)], inferred: WITH_COUNTRIES, source: "https://lprc.kz/" },
        Row { n: 3, id: "project/kz/democratic-policing", title: "Service-oriented model of democratic policing", countries: &["KZ"], total_cost: None, eu_contribution: None, dates: &[("start", "2020-02", Month)], inferred: WITH_COUNTRIES, source: "https://lprc.kz/" },
        Row { n: 4, id: "project/kz/rule-of-law-for-all", title: "Coordinated Civil Society Action to Promote the Rule of Law for All", countries: &["KZ"], total_cost: None, eu_contribution: None, dates: &[("start", "2024", Year), ("end", "2026", Year), ("announced", "2024-04-11", Day)], inferred: &["org_types", "participant_countries", "call", "sectors", "themes", "priorities"], source: "https://lprc.kz/" },
        Row { n: 5, id: "project/kz/eidhr-2009-package", title: "EIDHR 2009 package of five projects", countries: &["KZ"], total_cost: None, eu_contribution: Some(67_000_000), dates: &[("announced", "2010-01-13", Day)], inferred: &["org_types", "sectors", "themes", "priorities", "eu_contribution"], source: "http://eeas.europa.eu/" },
        Row { n: 6, id: "project/central-asia/transnational-coalition", title: "A transnational civil society coalition in support of fundamental rights in Central Asia", countries: &["KZ", "TJ", "TM"], total_cost: None, eu_contribution: None, dates: &[("start", "2014-04", Month), ("end", "2016-09", Month)], inferred: USUAL, source: "https://www.iphronline.org/" },
        Row { n: 7, id: "project/central-asia/freedom-from-torture", title: "Action for freedom from torture in Kazakhstan and Tajikistan", countries: &["KZ", "TJ"], total_cost: None, eu_contribution: None, dates: &[("start", "2013-12", Month), ("end", "2016-06", Month)], inferred: USUAL, source: "https://archiwum.hfhr.pl/" },
        Row { n: 8, id: "project/tj/human-rights-obligations-monitoring", title: "Coordinated civil society action to monitor the implementation of international and national human rights obligations in Tajikistan", countries: &["TJ"], total_cost: Some(51_367_100), eu_contribution: None, dates: &[("start", "2017-07-04", Day), ("announced", "2017-05-02", Day)], inferred: WITH_COUNTRIES, source: "https://www.iphronline.org/" },
        Row { n: 9, id: "project/tj/paths-to-justice", title: "Paths to Justice: Strengthening Human Rights through Torture Prevention and Penitentiary System Reform", countries: &["TJ"], total_cost: None, eu_contribution: None, dates: &[("start", "2024-02", Month), ("end", "2026-04", Month)], inferred: USUAL, source: "https://notorturetj.org/" },
        Row { n: 10, id: "project/kg/torture-and-impunity", title: "Strengthening the fight against torture and impunity in Kyrgyzstan: Prevention, Accountability, Remedy and Reparation", countries: &["KG"], total_cost: None, eu_contribution: None, dates: &[], inferred: USUAL, source: "https://gmr.lbg.ac.at/" },
        Row { n: 11, id: "project/kg/rule-of-law-transparency", title: "Promotion of the respect of Rule of Law with particular emphasis on Transparency and Accountability", countries: &["KG"], total_cost: None, eu_contribution: None, dates: &[("start", "2014-07-08", Day), ("end", "2018", Year)], inferred: WITH_COUNTRIES, source: "https://gmr.lbg.ac.at/" },
        Row { n: 12, id: "project/kg/anti-torture-projects", title: "Anti-torture projects in Kyrgyzstan", countries: &["KG"], total_cost: None, eu_contribution: None, dates: &[("start", "2018", Year)], inferred: USUAL, source: "https://24.kg/" },
        Row { n: 13, id: "project/kg/public-councils", title: "Strengthening Civil Society Participation in Public Councils in Kyrgyzstan", countries: &["KG"], total_cost: None, eu_contribution: None, dates: &[("start", "2017", Year), ("end", "2018", Year)], inferred: USUAL, source: "https://eeas.europa.eu/" },
        Row { n: 14, id: "project/kg/monitoring-for-justice", title: "Monitoring for Justice", countries: &["KG"], total_cost: None, eu_contribution: None, dates: &[("start", "2022", Year), ("actual_end", "2025-09-23", Day)], inferred: USUAL, source: "https://www.mpfpr.de/" },
        Row { n: 15, id: "project/kg/youth-and-human-rights-2025", title: "youth, women's organisations, the Ombudsman and the National Anti-Torture Agency", countries: &["KG"], total_cost: None, eu_contribution: Some(500_000_000), dates: &[("announced", "2025-03", Month)], inferred: USUAL, source: "https://24.kg/" },
        Row { n: 16, id: "project/kg/rule-of-law-programme-2", title: "Rule of Law programme (phase 2)", countries: &["KG"], total_cost: None, eu_contribution: Some(1_300_000_000), dates: &[("start", "2016", Year)], inferred: USUAL, source: "https://timesca.com/" },
        Row { n: 17, id: "project/uz/independent-teacher-associations", title: "Empowering Independent Teacher Associations in Uzbekistan", countries: &["UZ"], total_cost: None, eu_contribution: None, dates: &[("start", "2020-03", Month)], inferred: USUAL, source: "https://for.kg/" },
        Row { n: 18, id: "project/uz/womens-rights", title: "Strengthening civil society to promote women's rights through advocacy, protection and empowerment of women in Uzbekistan", countries: &["UZ"], total_cost: None, eu_contribution: None, dates: &[("start", "2020-03", Month)], inferred: USUAL, source: "https://for.kg/" },
        Row { n: 19, id: "project/uz/transparent-inclusive-governance", title: "Transparent and inclusive governance through innovation and cooperation between civil society and local authorities", countries: &["UZ"], total_cost: None, eu_contribution: None, dates: &[("start", "2020-03", Month)], inferred: USUAL, source: "https://for.kg/" },
        Row { n: 20, id: "project/uz/innovative-uzbekistan", title: "Innovative Uzbekistan", countries: &["UZ"], total_cost: None, eu_contribution: None, dates: &[("start", "2020-03", Month)], inferred: USUAL, source: "https://for.kg/" },
        Row { n: 21, id: "project/uz/youth-participation", title: "Promotion of youth participation in local decision-making", countries: &["UZ"], total_cost: None, eu_contribution: None, dates: &[("start", "2020-03", Month)], inferred: USUAL, source: "https://for.kg/" },
        Row { n: 22, id: "project/uz/empowering-voices", title: "Empowering Voices for Inclusive Development: Strengthening CSOs in Samarkand, Namangan and Tashkent Focusing on Women and Youth", countries: &["UZ"], total_cost: None, eu_contribution: None, dates: &[("start", "2024", Year), ("end", "2026", Year), ("announced", "2024-04-03", Day)], inferred: USUAL, source: "https://afew.org/" },
        Row { n: 23, id: "project/uz/equality", title: "EQUALITY", countries: &["UZ"], total_cost: None, eu_contribution: None, dates: &[("start", "2025-05", Month)], inferred: WITH_COUNTRIES, source: "https://news-pravda.com/" },
        Row { n: 24, id: "project/uz/shield", title: "SHIELD", countries: &["UZ"], total_cost: None, eu_contribution: None, dates: &[("start", "2025-05", Month)], inferred: USUAL, source: "https://news-pravda.com/" },
        Row { n: 25, id: "project/uz/human-rights-in-action", title: "Human Rights in Action", countries: &["UZ"], total_cost: None, eu_contribution: None, dates: &[("start", "2025-05", Month)], inferred: USUAL, source: "https://news-pravda.com/" },
        Row { n: 26, id: "project/uz/digital-rights-media", title: "Uzbekistan Digital Rights and Media Initiative (UDRMI)", countries: &["UZ"], total_cost: None, eu_contribution: None, dates: &[("start", "2025-05", Month)], inferred: USUAL, source: "https://news-pravda.com/" },
        Row { n: 27, id: "project/uz/inclusive-development", title: "Empowerment of civil society for inclusive development in Uzbekistan", countries: &["UZ"], total_cost: None, eu_contribution: None, dates: &[("start", "2025-05", Month)], inferred: WITH_COUNTRIES, source: "https://news-pravda.com/" },
        Row { n: 28, id: "project/tm/small-grants-2023", title: "small grants to local Turkmen civil society organisations", countries: &["TM"], total_cost: None, eu_contribution: None, dates: &[("start", "2023", Year)], inferred: USUAL, source: "https://menafn.com/" },
    ]
};

#[test]
fn every_funded_project_of_the_sources_is_in_the_dataset_as_the_notes_give_it() {
    let data = embedded();
    assert_eq!(SOURCES_PROJECTS.len(), 28);
    assert_eq!(
        data.projects().len(),
        SOURCES_PROJECTS.len(),
        "one record per row"
    );
    let mut wrong = Vec::new();
    for (i, row) in SOURCES_PROJECTS.iter().enumerate() {
        assert_eq!(row.n as usize, i + 1);
        let Ok(p) = data.project(row.id) else {
            wrong.push(format!("row {}: `{}` is missing", row.n, row.id));
            continue;
        };
        let mut check = |what: &str, ok: bool, got: String| {
            if !ok {
                wrong.push(format!("row {} (`{}`): {what}: {got}", row.n, row.id));
            }
        };
        let title = p.title_text().unwrap_or_default();
        check("title", title.contains(row.title), title.to_string());
        let countries: Vec<&str> = p
            .recipient_countries
            .iter()
            .map(|c| c.country.as_str())
            .collect();
        check(
            "countries",
            countries == row.countries,
            format!("{countries:?}"),
        );
        check(
            "total cost",
            p.total_cost.map(|a| a.0) == row.total_cost,
            format!("{:?}", p.total_cost),
        );
        check(
            "EU contribution",
            p.eu_contribution.map(|a| a.0) == row.eu_contribution,
            format!("{:?}", p.eu_contribution),
        );
        let money = p.total_cost.is_some() || p.eu_contribution.is_some();
        check(
            "currency",
            !money || p.currency.map(|c| c.as_str().to_string()).as_deref() == Some("EUR"),
            format!("{:?}", p.currency),
        );
        let dates: Vec<(String, String, Precision)> = p
            .dates
            .iter()
            .map(|d| (d.kind.to_string(), d.date.to_string(), d.date.precision()))
            .collect();
        let expected: Vec<(String, String, Precision)> = row
            .dates
            .iter()
            .map(|(k, d, pr)| ((*k).to_string(), (*d).to_string(), *pr))
            .collect();
        check("dates", dates == expected, format!("{dates:?}"));
        let inferred = serde_json::to_value(&p.inferred).unwrap();
        check(
            "inferred",
            inferred == serde_json::json!(row.inferred),
            inferred.to_string(),
        );
        check(
            "source",
            p.sources.iter().any(|s| {
                s.address
                    .as_deref()
                    .is_some_and(|a| a.starts_with(row.source))
            }),
            format!(
                "{:?}",
                p.sources.iter().map(|s| &s.address).collect::<Vec<_>>()
            ),
        );
        let note = p.note.as_deref().unwrap_or_default();
        check(
            "note",
            note.contains(&format!("row {})", row.n)) && note.contains("not an IATI record"),
            note.to_string(),
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
