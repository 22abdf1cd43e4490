//! The iCalendar export read back by an independent parser (the `calcard` crate): every event is
//! there once, with a stable UID, all-day dates that keep the sources' precision, its summary,
//! place, source and euca's own properties.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, HashSet};

use calcard::icalendar::{ICalendar, ICalendarComponentType, ICalendarValue, Uri};
use chrono::{Datelike, NaiveDate};
use euca::{CalendarFilter, CalendarKind, Dataset, Date, Disputable, Period, PlanOptions};

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Every kind of event, projected one year from a fixed day (so the test does not depend on
/// today).
fn filter() -> CalendarFilter {
    CalendarFilter {
        as_of: Some(ymd(2026, 11, 30)),
        ..CalendarFilter::default()
    }
}

/// One parsed event: property name → (parameters, value), as the parser reads them.
type Parsed = BTreeMap<String, (String, String)>;

/// A parsed value as text: text unescaped by the parser, a URI, a date `YYYYMMDD` or a UTC
/// date-time `YYYYMMDDTHHMMSSZ`, anything else as the parser names it.
fn text_of(value: &ICalendarValue) -> String {
    match value {
        ICalendarValue::Text(t) => t.clone(),
        ICalendarValue::Uri(Uri::Location(u)) => u.clone(),
        ICalendarValue::PartialDateTime(p) => {
            let date = format!(
                "{:04}{:02}{:02}",
                p.year.unwrap(),
                p.month.unwrap(),
                p.day.unwrap()
            );
            match (p.hour, p.minute, p.second) {
                (Some(h), Some(m), Some(s)) => format!("{date}T{h:02}{m:02}{s:02}Z"),
                _ => date,
            }
        }
        ICalendarValue::Status(s) => format!("{s:?}").to_uppercase(),
        ICalendarValue::CalendarScale(s) => format!("{s:?}").to_uppercase(),
        ICalendarValue::Method(m) => format!("{m:?}").to_uppercase(),
        ICalendarValue::Transparency(t) => format!("{t:?}").to_uppercase(),
        other => format!("{other:?}"),
    }
}

fn parse(text: &str) -> (Vec<(String, String)>, Vec<Parsed>) {
    let calendar = ICalendar::parse(text).expect("the calendar parses");
    let entries = |c: &calcard::icalendar::ICalendarComponent| -> Parsed {
        let mut map = Parsed::new();
        for e in &c.entries {
            assert_eq!(e.values.len(), 1, "{:?} has one value", e.name);
            let previous = map.insert(
                e.name.as_str().to_string(),
                (format!("{:?}", e.params), text_of(&e.values[0])),
            );
            assert!(previous.is_none(), "{} appears twice", e.name.as_str());
        }
        map
    };
    let root = calendar
        .components
        .iter()
        .find(|c| c.component_type == ICalendarComponentType::VCalendar)
        .expect("a VCALENDAR");
    let props = entries(root)
        .into_iter()
        .map(|(name, (_, value))| (name, value))
        .collect();
    let events = calendar
        .components
        .iter()
        .filter(|c| c.component_type == ICalendarComponentType::VEvent)
        .map(entries)
        .collect();
    (props, events)
}

fn date_value(event: &Parsed, name: &str) -> NaiveDate {
    let (params, value) = event.get(name).unwrap_or_else(|| panic!("{name} missing"));
    assert!(
        params.contains("Value(Date)"),
        "{name} is an all-day date: {params}"
    );
    NaiveDate::parse_from_str(value, "%Y%m%d").unwrap()
}

fn value<'a>(event: &'a Parsed, name: &str) -> Option<&'a str> {
    event.get(name).map(|(_, v)| v.as_str())
}

#[test]
fn the_calendar_round_trips_through_an_independent_parser() {
    let data = Dataset::embedded().unwrap();
    let filter = filter();
    let text = data.to_ical(&filter).unwrap();
    let expected = data.calendar_events(&filter).unwrap();
    let (props, events) = parse(&text);

    // The calendar itself.
    let prop = |name: &str| {
        props
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(prop("VERSION"), Some("2.0"));
    assert_eq!(prop("CALSCALE"), Some("GREGORIAN"));
    assert!(prop("PRODID").unwrap().contains("euca"));

    // Every event once, in order, with what calendar_events says.
    assert_eq!(events.len(), expected.len());
    let mut uids = HashSet::new();
    for (e, want) in events.iter().zip(&expected) {
        let uid = value(e, "UID").unwrap();
        assert!(uids.insert(uid.to_string()), "UID {uid} twice");
        assert_eq!(uid, want.uid);
        assert_eq!(date_value(e, "DTSTART"), want.first_day, "{uid}");
        assert_eq!(
            date_value(e, "DTEND"),
            want.last_day.succ_opt().unwrap(),
            "{uid}: DTEND is the day after"
        );
        assert_eq!(value(e, "SUMMARY").unwrap(), want.summary, "{uid}");
        assert_eq!(value(e, "DESCRIPTION").unwrap(), want.description, "{uid}");
        assert_eq!(value(e, "LOCATION"), want.place.as_deref(), "{uid}");
        assert_eq!(value(e, "URL"), want.url.as_deref(), "{uid}");
        assert_eq!(value(e, "X-EUCA-KIND"), Some(want.kind.as_str()), "{uid}");
        assert_eq!(value(e, "X-EUCA-RECORD"), Some(want.record.as_str()));
        assert_eq!(value(e, "DTSTAMP"), Some("20261130T000000Z"));
        assert_eq!(value(e, "TRANSP"), Some("TRANSPARENT"));
        if want.projected {
            assert_eq!(value(e, "X-EUCA-PROJECTED"), Some("TRUE"), "{uid}");
            assert_eq!(value(e, "STATUS"), Some("TENTATIVE"));
            assert!(want.summary.starts_with("Projected: "), "{uid}");
            assert!(value(e, "X-EUCA-PRECISION").is_none());
        } else {
            assert!(value(e, "X-EUCA-PROJECTED").is_none(), "{uid}");
            assert_eq!(value(e, "STATUS"), Some("CONFIRMED"));
            let precision = value(e, "X-EUCA-PRECISION").unwrap();
            let (first, last) = (want.first_day, want.last_day);
            match precision {
                "day" => {}
                "month" => {
                    // The whole month, never pinned to the 1st; the summary says so.
                    assert_eq!(first.day(), 1, "{uid}");
                    assert_eq!(last.succ_opt().unwrap().day(), 1, "{uid}");
                    assert!(want.summary.contains("known only to the month"), "{uid}");
                }
                "year" => {
                    assert_eq!((first.month(), first.day()), (1, 1), "{uid}");
                    assert_eq!((last.month(), last.day()), (12, 31), "{uid}");
                    assert!(want.summary.contains("known only to the year"), "{uid}");
                }
                other => panic!("{uid}: precision {other}"),
            }
        }
    }

    // Lines are CRLF-terminated and folded at 75 octets.
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "unfolded line: {line}");
        assert!(!line.contains('\n'));
    }

    // The same filter gives the same text, so UIDs are stable.
    assert_eq!(data.to_ical(&filter).unwrap(), text);
}

/// The events the data calls for, counted from the records themselves: one per reading of each
/// stored round's and seminar's date, and three per projected round.
#[test]
fn every_dated_record_is_in_the_calendar() {
    let data = Dataset::embedded().unwrap();
    let filter = filter();
    let (_, events) = parse(&data.to_ical(&filter).unwrap());
    let readings = |date: &Disputable<Date>| -> usize {
        date.values()
            .iter()
            .map(|d| match d {
                Date::OneOf(points) => points.len(),
                _ => 1,
            })
            .sum()
    };
    let rounds: usize = data.rounds().iter().map(|r| readings(&r.date)).sum();
    let seminars: usize = data.seminars().iter().map(|s| readings(&s.date)).sum();
    let plan = data.plan(ymd(2026, 11, 30), &PlanOptions::default());
    assert_eq!(events.len(), rounds + seminars + 3 * plan.len());
    let kind_count = |k: CalendarKind| {
        events
            .iter()
            .filter(|e| value(e, "X-EUCA-KIND") == Some(k.as_str()))
            .count()
    };
    assert_eq!(kind_count(CalendarKind::Round), rounds);
    assert_eq!(kind_count(CalendarKind::Seminar), seminars);
    assert_eq!(kind_count(CalendarKind::ProjectedRound), plan.len());
    assert_eq!(kind_count(CalendarKind::DueWindow), plan.len());
    assert_eq!(kind_count(CalendarKind::ConsultationWindow), plan.len());
    // Every stored round is there under its own id.
    let uids: HashSet<&str> = events.iter().filter_map(|e| value(e, "UID")).collect();
    for r in data.rounds() {
        assert!(
            uids.contains(format!("{}@euca", r.id).as_str())
                || uids.contains(format!("{}#1@euca", r.id).as_str()),
            "{} missing",
            r.id
        );
    }

    // The round dated one of two days: two one-day events, each saying so.
    let tj15: Vec<&Parsed> = events
        .iter()
        .filter(|e| value(e, "X-EUCA-RECORD") == Some("hrd-tj/15"))
        .collect();
    assert_eq!(tj15.len(), 2);
    assert_eq!(date_value(tj15[0], "DTSTART"), ymd(2024, 10, 17));
    assert_eq!(date_value(tj15[1], "DTSTART"), ymd(2025, 10, 17));
    assert_eq!(value(tj15[0], "X-EUCA-ALTERNATIVE"), Some("1/2"));
    assert_eq!(value(tj15[1], "UID"), Some("hrd-tj/15#2@euca"));
    assert!(
        value(tj15[0], "SUMMARY")
            .unwrap()
            .ends_with("(one of 2 possible dates: 2024-10-17 or 2025-10-17)")
    );

    // The disputed seminar: one event per source's version, flagged.
    let kz2009: Vec<&Parsed> = events
        .iter()
        .filter(|e| value(e, "X-EUCA-RECORD") == Some("seminar/kz/2009"))
        .collect();
    assert_eq!(kz2009.len(), 2);
    assert!(
        kz2009
            .iter()
            .all(|e| value(e, "X-EUCA-DISPUTED") == Some("TRUE"))
    );
    let spans: Vec<(NaiveDate, NaiveDate)> = kz2009
        .iter()
        .map(|e| (date_value(e, "DTSTART"), date_value(e, "DTEND")))
        .collect();
    assert!(spans.contains(&(ymd(2009, 6, 29), ymd(2009, 7, 1))));
    assert!(spans.contains(&(ymd(2009, 7, 1), ymd(2009, 8, 1))));

    // A round with a place and an address.
    let tm14 = events
        .iter()
        .find(|e| value(e, "UID") == Some("hrd-tm/14@euca"))
        .unwrap();
    assert_eq!(value(tm14, "LOCATION"), Some("Ashgabat"));
    assert_eq!(
        value(tm14, "URL"),
        Some(
            "https://eeas.europa.eu/eeas/turkmenistan-14th-human-rights-dialogue-eu-takes-place_en"
        )
    );
    assert_eq!(
        value(tm14, "SUMMARY").unwrap(),
        "14th EU–Turkmenistan human rights dialogue, Ashgabat"
    );
}

#[test]
fn filters_select_countries_periods_and_kinds() {
    let data = Dataset::embedded().unwrap();
    let only = |f: CalendarFilter| parse(&data.to_ical(&f).unwrap()).1;
    let tm_2020s = only(CalendarFilter {
        countries: vec!["Turkmenistan".into()],
        period: Period::between(Date::parse("2020").unwrap(), Date::parse("2022").unwrap()),
        due_windows: false,
        projected_rounds: false,
        consultations: false,
        ..filter()
    });
    let uids: Vec<&str> = tm_2020s.iter().filter_map(|e| value(e, "UID")).collect();
    assert_eq!(
        uids,
        vec!["hrd-tm/12@euca", "hrd-tm/13@euca", "hrd-tm/14@euca"]
    );

    let projected = only(CalendarFilter {
        rounds: false,
        seminars: false,
        ..filter()
    });
    assert!(!projected.is_empty());
    assert!(
        projected
            .iter()
            .all(|e| value(e, "X-EUCA-PROJECTED") == Some("TRUE"))
    );
    let nothing = only(CalendarFilter {
        rounds: false,
        seminars: false,
        due_windows: false,
        projected_rounds: false,
        consultations: false,
        ..filter()
    });
    assert!(nothing.is_empty());

    let err = data
        .to_ical(&CalendarFilter {
            countries: vec!["XX".into()],
            ..filter()
        })
        .unwrap_err();
    assert_eq!(err.code().as_str(), "unknown_country");

    // A filter is a plain document too.
    let from_json: CalendarFilter = serde_json::from_str(
        r#"{"countries": ["KZ"], "as_of": "2026-11-30", "plan": {"years": 2}}"#,
    )
    .unwrap();
    assert_eq!(from_json.plan.years, 2);
    assert_eq!(from_json.plan.consultation_weeks, 4);
    assert!(from_json.rounds && from_json.seminars);
    assert!(serde_json::from_str::<CalendarFilter>(r#"{"contries": []}"#).is_err());
}

/// A calendar client matches events by UID: a recorded round or seminar keeps its UID whatever
/// day the calendar is made on and whatever the filter, so re-importing updates, never
/// duplicates.
#[test]
fn uids_of_recorded_events_do_not_depend_on_the_day_or_the_filter() {
    let data = Dataset::embedded().unwrap();
    let recorded = |f: CalendarFilter| -> BTreeMap<String, (String, NaiveDate)> {
        data.calendar_events(&f)
            .unwrap()
            .into_iter()
            .filter(|e| matches!(e.kind, CalendarKind::Round | CalendarKind::Seminar))
            .map(|e| (e.uid, (e.record, e.first_day)))
            .collect()
    };
    let on = |day: NaiveDate| CalendarFilter {
        as_of: Some(day),
        ..CalendarFilter::default()
    };
    let all = recorded(on(ymd(2026, 11, 30)));
    assert!(all.len() > 40);
    assert_eq!(recorded(on(ymd(2019, 1, 1))), all, "another day");
    let kz = recorded(CalendarFilter {
        countries: vec!["KZ".to_string()],
        ..on(ymd(2026, 11, 30))
    });
    assert!(!kz.is_empty());
    for (uid, event) in &kz {
        assert_eq!(all.get(uid), Some(event), "{uid} with a country filter");
    }
    // Each UID names the record it comes from.
    for (uid, (record, _)) in &all {
        assert!(uid.starts_with(record.as_str()), "{uid} for {record}");
        assert!(uid.ends_with("@euca"), "{uid}");
    }
}
