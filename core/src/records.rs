//! The timeline as flat records, for data frames and charts.
//!
//! [`Dataset::timeline`] gives dated events with their sources; [`Dataset::timeline_records`]
//! gives the same events one flat row each (country, kind, start, end, precision, place, round
//! number, status, first source), plus the rounds known only from the numbering. Projected rounds
//! from [`Dataset::plan`] convert with [`Dataset::plan_record`], so a chart can show the past and
//! the plan together.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::cycle::{PlanItem, first_address, round_title};
use crate::dataset::Dataset;
use crate::date::Precision;
use crate::model::Inferred;
use crate::query::EventKind;

/// How a timeline record is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    /// Its sources state every fact of it.
    Confirmed,
    /// Some facts are inferred (a number counted between rounds, a year read from the text, a
    /// place); the record's `inferred` says which.
    Inferred,
    /// Known only because a later round has a higher number; no source dates it.
    Derived,
    /// Projected from the cadence; no source reports it.
    Projected,
}

/// One timeline entry as a flat record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineRecord {
    /// The id of the record it comes from (a plan item's id when projected; absent when derived).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The country concerned (ISO alpha-2), if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// What happened.
    pub kind: EventKind,
    /// A one-line description.
    pub title: String,
    /// The first day it can have happened (for a projected round, the first day it is due).
    pub start: NaiveDate,
    /// The last day it can have happened (for a projected round, the last day it is due).
    pub end: NaiveDate,
    /// The date as the sources give it (EDTF; alternatives joined by ` or `); absent when
    /// derived or projected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// How finely the date is known; absent when derived or projected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<Precision>,
    /// True when sources disagree on the date.
    pub disputed: bool,
    /// Where, for rounds and seminars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The round's number, for rounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round_number: Option<u32>,
    /// Confirmed, inferred, derived or projected.
    pub status: RecordStatus,
    /// The address of its first source that has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

fn status_of(inferred: &[Inferred]) -> RecordStatus {
    if inferred.is_empty() {
        RecordStatus::Confirmed
    } else {
        RecordStatus::Inferred
    }
}

impl Dataset {
    /// The timeline as flat records, oldest first: every event of [`Dataset::timeline`] (with
    /// the place, round number and status of rounds and seminars) and every round known only
    /// from the numbering (status `derived`, spanning the days it can have taken place).
    pub fn timeline_records(&self) -> Vec<TimelineRecord> {
        let mut out: Vec<TimelineRecord> = self
            .timeline()
            .into_iter()
            .map(|e| {
                let (place, round_number, status) = match e.kind {
                    EventKind::Round => self
                        .rounds
                        .iter()
                        .find(|r| r.id == e.record)
                        .map_or((None, None, RecordStatus::Confirmed), |r| {
                            (r.place.clone(), r.number, status_of(&r.inferred))
                        }),
                    EventKind::Seminar => self
                        .seminars
                        .iter()
                        .find(|s| s.id == e.record)
                        .map_or((None, None, RecordStatus::Confirmed), |s| {
                            (s.place.clone(), None, status_of(&s.inferred))
                        }),
                    _ => (None, None, RecordStatus::Confirmed),
                };
                TimelineRecord {
                    record: Some(e.record),
                    country: e.country,
                    kind: e.kind,
                    title: e.title,
                    start: e.earliest,
                    end: e.latest,
                    date: Some(e.date),
                    precision: Some(e.precision),
                    disputed: e.disputed,
                    place,
                    round_number,
                    status,
                    source: first_address(&e.sources),
                }
            })
            .collect();
        for d in self.dialogues.iter() {
            for r in self
                .rounds_of(&d.id)
                .unwrap_or_default()
                .into_iter()
                .filter(|r| r.derived)
            {
                out.push(TimelineRecord {
                    record: None,
                    country: Some(d.country.clone()),
                    kind: EventKind::Round,
                    title: format!(
                        "{} (known only from the numbering)",
                        round_title(self, &d.country, r.number)
                    ),
                    start: r.earliest,
                    end: r.latest,
                    date: None,
                    precision: None,
                    disputed: false,
                    place: None,
                    round_number: r.number,
                    status: RecordStatus::Derived,
                    source: first_address(&r.sources),
                });
            }
        }
        sort_records(&mut out);
        out
    }

    /// A projected round as a timeline record (status `projected`, spanning its due window).
    pub fn plan_record(&self, item: &PlanItem) -> TimelineRecord {
        TimelineRecord {
            record: Some(item.id.clone()),
            country: Some(item.country.clone()),
            kind: EventKind::Round,
            title: format!(
                "{} (projected)",
                round_title(self, &item.country, item.number)
            ),
            start: item.due_earliest,
            end: item.due_latest,
            date: None,
            precision: None,
            disputed: false,
            place: None,
            round_number: item.number,
            status: RecordStatus::Projected,
            source: None,
        }
    }
}

/// Orders records by start, end, kind and record id (derived rounds, which have no id, last
/// among equals).
pub fn sort_records(records: &mut [TimelineRecord]) {
    records.sort_by(|a, b| {
        (
            a.start,
            a.end,
            a.kind,
            a.record.is_none(),
            &a.record,
            a.round_number,
        )
            .cmp(&(
                b.start,
                b.end,
                b.kind,
                b.record.is_none(),
                &b.record,
                b.round_number,
            ))
    });
}
