//! The fixture kinds of dialogue cycles, run against the Rust core.
//!
//! | kind | input | result |
//! |---|---|---|
//! | `status` | `as_of`, optional `country` (absent: every dialogue), optional `extension` | one status record, or the list |
//! | `regularity` | optional `country` or `scope: "region"` (absent: every row) | one row, or the list |
//! | `intervals` | `country` | the gaps between its consecutive rounds |
//! | `round_years` | `country` | its years, with whether a round was held |
//! | `plan` | `as_of`, optional `years`, `consultation_weeks`, `country`, `extension` | the projected rounds |
//! | `stages_of` | `round` | the five stages of the round's cycle |
//! | `timeline_records` | optional `country`, `kind`, `status` | the flat timeline, filtered |
//! | `ical` | `filter` (a calendar filter document) | `{events: [{uid, dtstart, dtend, precision, projected}]}` read from the text |
//!
//! `extension` is applied with `Dataset::extend` first, so cases can add lifecycle changes or
//! another cadence without touching the embedded data.

use chrono::NaiveDate;
use euca::{CalendarFilter, Dataset, PlanOptions};
use serde_json::{Value, json};

fn to<T: serde::Serialize + ?Sized>(value: &T) -> Value {
    serde_json::to_value(value).expect("results serialise")
}

fn query_error(e: &euca::QueryError) -> Value {
    json!({"error": {"code": e.code().as_str(), "message": e.to_string()}})
}

fn day(input: &Value, key: &str) -> NaiveDate {
    let text = input
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("input.{key} must be a date string"));
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|e| panic!("input.{key}: {e}"))
}

fn number(input: &Value, key: &str) -> Option<u32> {
    input
        .get(key)
        .and_then(Value::as_u64)
        .map(|n| u32::try_from(n).expect("a small number"))
}

/// The dataset with `input.extension` applied, if any.
fn extended(data: &Dataset, input: &Value) -> Result<Dataset, Value> {
    match input.get("extension") {
        None => Ok(data.clone()),
        Some(extension) => data.extend(&extension.to_string()).map_err(|e| {
            json!({"error": {"code": e.code().as_str(),
                "problems": e.problems().iter()
                    .map(|p| json!({"code": p.code.as_str(), "path": p.path}))
                    .collect::<Vec<_>>()}})
        }),
    }
}

/// The country code `input.country` names, if given.
fn country(data: &Dataset, input: &Value) -> Result<Option<String>, Value> {
    match input.get("country").and_then(Value::as_str) {
        None => Ok(None),
        Some(c) => data
            .country(c)
            .map(|c| Some(c.id.clone()))
            .map_err(|e| query_error(&e)),
    }
}

/// Unfolds iCalendar text (RFC 5545 §3.1) into content lines.
fn content_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split("\r\n") {
        if let Some(rest) = raw.strip_prefix(' ').or_else(|| raw.strip_prefix('\t'))
            && let Some(last) = lines.last_mut()
        {
            last.push_str(rest);
            continue;
        }
        if !raw.is_empty() {
            lines.push(raw.to_string());
        }
    }
    lines
}

/// The events of iCalendar text, each as the values a fixture compares.
fn ical_events(text: &str) -> Value {
    let mut events = Vec::new();
    let mut current: Option<serde_json::Map<String, Value>> = None;
    for line in content_lines(text) {
        if line == "BEGIN:VEVENT" {
            current = Some(serde_json::Map::new());
        } else if line == "END:VEVENT" {
            events.push(Value::Object(current.take().expect("an open event")));
        } else if let Some(event) = current.as_mut() {
            let (name, value) = line.split_once(':').expect("a content line");
            let key = match name {
                "UID" => "uid",
                "DTSTART;VALUE=DATE" => "dtstart",
                "DTEND;VALUE=DATE" => "dtend",
                "X-EUCA-PRECISION" => "precision",
                "X-EUCA-PROJECTED" => "projected",
                "X-EUCA-KIND" => "kind",
                _ => continue,
            };
            event.insert(key.to_string(), Value::String(value.to_string()));
        }
    }
    json!({ "events": events })
}

pub fn run(data: &Dataset, kind: &str, input: &Value) -> Option<Result<Value, Value>> {
    let result = match kind {
        "status" => (|| {
            let data = extended(data, input)?;
            let as_of = day(input, "as_of");
            match input.get("country").and_then(Value::as_str) {
                Some(c) => data
                    .status_of(c, as_of)
                    .map(|s| to(&s))
                    .map_err(|e| query_error(&e)),
                None => Ok(to(&data.status(as_of))),
            }
        })(),
        "regularity" => (|| {
            let rows = data.regularity();
            if input.get("scope").and_then(Value::as_str) == Some("region") {
                return Ok(to(&rows.last()));
            }
            match country(data, input)? {
                Some(c) => Ok(to(&rows
                    .iter()
                    .find(|r| r.country.as_deref() == Some(c.as_str())))),
                None => Ok(to(&rows)),
            }
        })(),
        "intervals" => (|| {
            let c = country(data, input)?;
            let all = data.intervals();
            Ok(to(&all
                .iter()
                .filter(|i| c.as_ref().is_none_or(|c| &i.country == c))
                .collect::<Vec<_>>()))
        })(),
        "round_years" => (|| {
            let c = country(data, input)?;
            let all = data.round_years();
            Ok(to(&all
                .iter()
                .filter(|y| c.as_ref().is_none_or(|c| &y.country == c))
                .collect::<Vec<_>>()))
        })(),
        "plan" => (|| {
            let data = extended(data, input)?;
            let c = country(&data, input)?;
            let defaults = PlanOptions::default();
            let options = PlanOptions {
                years: number(input, "years").unwrap_or(defaults.years),
                consultation_weeks: number(input, "consultation_weeks")
                    .unwrap_or(defaults.consultation_weeks),
            };
            let plan = data.plan(day(input, "as_of"), &options);
            Ok(to(&plan
                .iter()
                .filter(|p| c.as_ref().is_none_or(|c| &p.country == c))
                .collect::<Vec<_>>()))
        })(),
        "stages_of" => {
            let round = input
                .get("round")
                .and_then(Value::as_str)
                .expect("input.round");
            data.stages_of(round)
                .map(|s| to(&s))
                .map_err(|e| query_error(&e))
        }
        "timeline_records" => (|| {
            let c = country(data, input)?;
            let records = data.timeline_records();
            let keep = |r: &&euca::TimelineRecord| {
                c.as_ref().is_none_or(|c| r.country.as_ref() == Some(c))
                    && input.get("kind").is_none_or(|k| to(&r.kind) == *k)
                    && input.get("status").is_none_or(|s| to(&r.status) == *s)
            };
            Ok(to(&records.iter().filter(keep).collect::<Vec<_>>()))
        })(),
        "ical" => {
            let filter: CalendarFilter =
                serde_json::from_value(input.get("filter").cloned().unwrap_or(json!({})))
                    .unwrap_or_else(|e| panic!("input.filter: {e}"));
            data.to_ical(&filter)
                .map(|text| ical_events(&text))
                .map_err(|e| query_error(&e))
        }
        _ => return None,
    };
    Some(result)
}
