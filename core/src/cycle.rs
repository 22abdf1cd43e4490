//! Dialogue cycles: the status of each dialogue on any day, how regular each has been, the rounds
//! projected ahead, and the stages of one round's cycle.
//!
//! The EU means its human rights dialogues with the five Central Asian states to meet annually
//! (the [`Cadence`] of each dialogue), each round prepared with civil society and followed up.
//! This module answers, from the recorded rounds:
//!
//! - [`Dataset::status`] / [`Dataset::status_of`]: on a given day, is a dialogue not yet agreed,
//!   awaiting its first round, on schedule, due, overdue, suspended or ended, and how many days
//!   until due or overdue;
//! - [`Dataset::regularity`], [`Dataset::intervals`], [`Dataset::round_years`]: intervals between
//!   consecutive rounds, median and longest gap, the years with and without a round;
//! - [`Dataset::plan`]: the rounds due in the coming years, with the window in which to consult
//!   civil society before each;
//! - [`Dataset::stages_of`] / [`Dataset::round_stages`]: the five stages of a round's cycle
//!   (preparation, civil-society consultation, the round, follow-up, assessment), known or unknown.
//!
//! # How dates are read
//!
//! - **A round is dated by the day it began** (`2021-06-21/2021-06-23` began on 21 June). A
//!   round whose date is a month or a year may have begun on any day of it; a one-of date
//!   (`[2024-10-17,2025-10-17]`) on one of its days; a disputed date on a day any alternative
//!   allows. Windows and day counts are *widened* to cover every reading, never rounded to a day.
//! - **No data is not no round.** Rounds known only because a later round has a higher number
//!   (see [`Dataset::rounds_of`]) count as rounds, dated between their neighbours. A gap the
//!   numbering proves was filled is "unknown", not "no round"; only where consecutive numbers
//!   leave no room is a year "without a round".
//! - **A status answers for every reading.** Where the sources' dates leave the phase open, the
//!   status lists every possible phase, sets `certain` to false and says why in `reason`.
//! - **Status is what the records imply.** A round no source reports cannot count: "overdue" means
//!   no round is recorded (dated or proven by the numbering) since the due window closed.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::date::{Bounds, Date, Precision};
use crate::error::QueryError;
use crate::model::{
    Cadence, CycleStage, Dialogue, Lifecycle, Round, SeminarScope, Setting, Source, SourcedDate,
};
use crate::query::{RoundRecord, ordinal};

/// Where a dialogue stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// The dialogue had not yet been agreed (or begun).
    NotYetAgreed,
    /// Agreed, but no round has been held yet.
    AwaitingFirstRound,
    /// The next round is not yet due: less than the interval minus the tolerance has passed
    /// since the last round.
    OnSchedule,
    /// The next round is due: the day lies within the interval ± the tolerance after the last
    /// round.
    Due,
    /// The due window has closed without a recorded round.
    Overdue,
    /// The dialogue is suspended.
    Suspended,
    /// The dialogue has ended.
    Ended,
}

impl Phase {
    /// The phase's name in the documents (`awaiting_first_round`).
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::NotYetAgreed => "not_yet_agreed",
            Phase::AwaitingFirstRound => "awaiting_first_round",
            Phase::OnSchedule => "on_schedule",
            Phase::Due => "due",
            Phase::Overdue => "overdue",
            Phase::Suspended => "suspended",
            Phase::Ended => "ended",
        }
    }
}

/// The status of one dialogue on one day, as a flat record.
///
/// Day counts are ranges (`_min`, `_max`) over every reading of the partial dates; they are equal
/// when the dates are exact. A field is absent when it does not apply (no round yet, not due).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialogueStatus {
    /// The dialogue's id.
    pub dialogue: String,
    /// The country (ISO alpha-2).
    pub country: String,
    /// The day asked about.
    pub as_of: NaiveDate,
    /// The phase, when the sources settle it; absent when they do not (see `possible_phases`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
    /// True when exactly one phase is possible.
    pub certain: bool,
    /// Every phase the dates allow, in the order of [`Phase`] (one when certain).
    pub possible_phases: Vec<Phase>,
    /// Why the phase is uncertain: the dates that do not settle it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The stored id of the last round certainly held by `as_of` (absent for a derived round).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_round_id: Option<String>,
    /// Its number in the series, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_round_number: Option<u32>,
    /// Its date as the sources give it (EDTF); absent for a round known only from the numbering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_round_date: Option<String>,
    /// The first day it can have begun.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_round_earliest: Option<NaiveDate>,
    /// The last day it can have begun.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_round_latest: Option<NaiveDate>,
    /// How finely its date is known; absent for a derived round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_round_precision: Option<Precision>,
    /// True when the last round is known only from the numbering (no source dates it).
    pub last_round_derived: bool,
    /// Rounds certainly held by `as_of`, stored and derived.
    pub rounds_held: u32,
    /// Rounds whose dates leave open whether they were held by `as_of`.
    pub rounds_possibly_held: u32,
    /// The cadence's interval in months.
    pub interval_months: u32,
    /// The cadence's tolerance in months.
    pub tolerance_months: u32,
    /// The first day on which the next round can be due (the due window, widened over every
    /// reading of the last round's date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_earliest: Option<NaiveDate>,
    /// The last day of the due window, widened likewise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_latest: Option<NaiveDate>,
    /// Fewest days until the due window opens (0 when it may already be open); present when the
    /// dialogue may be on schedule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_until_due_min: Option<i64>,
    /// Most days until the due window opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_until_due_max: Option<i64>,
    /// Fewest days since the due window closed (0 when it may still be open); present when the
    /// dialogue may be overdue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_overdue_min: Option<i64>,
    /// Most days since the due window closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_overdue_max: Option<i64>,
    /// When the dialogue may be overdue, what shows it: `proven` when the next round's number
    /// shows that no round was held in between, `no_record` when the sources simply record none
    /// (a round may have taken place without a record: no data is not no round).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue_evidence: Option<Evidence>,
    /// The last lifecycle change (suspended, resumed, ended) certainly made by `as_of`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Lifecycle>,
    /// Its date as the sources give it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_date: Option<String>,
}

/// How the gap between two consecutive rounds compares with the cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    /// Sooner than the interval minus the tolerance.
    Early,
    /// Within the interval ± the tolerance.
    OnTime,
    /// Later than the interval plus the tolerance.
    Late,
    /// The dates allow more than one of these.
    CannotTell,
}

/// The gap between two consecutive rounds of a dialogue, as a flat record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundInterval {
    /// The dialogue's id.
    pub dialogue: String,
    /// The country (ISO alpha-2).
    pub country: String,
    /// The earlier round's stored id (absent when derived).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_id: Option<String>,
    /// The earlier round's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_number: Option<u32>,
    /// The earlier round's date as given (absent when derived).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_date: Option<String>,
    /// True when the earlier round is known only from the numbering.
    pub from_derived: bool,
    /// The later round's stored id (absent when derived).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_id: Option<String>,
    /// The later round's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_number: Option<u32>,
    /// The later round's date as given (absent when derived).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_date: Option<String>,
    /// True when the later round is known only from the numbering.
    pub to_derived: bool,
    /// The fewest days between the days the two rounds began (at least 1).
    pub days_min: i64,
    /// The most days between them.
    pub days_max: i64,
    /// True when both rounds are dated to the day, so the gap is known exactly.
    pub exact: bool,
    /// How the gap compares with the cadence. A gap longer than the cadence that no numbering
    /// proves (`evidence: no_record`) is `cannot_tell`: rounds may be missing from the records.
    pub timing: Timing,
    /// What shows the two rounds are consecutive: `proven` when their numbers (or the numbers of
    /// the agreement body's meetings they were held within) follow on, `no_record` when no round
    /// is recorded between them but one may have taken place (no data is not no round).
    pub evidence: Evidence,
}

/// Whether a dialogue held a round in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum YearStatus {
    /// A round certainly began in the year: a source dates it there, or the numbering places it
    /// there.
    Confirmed,
    /// A recorded round may have begun in it (its date is partial, one of several, disputed or
    /// known only from the numbering), or the records cannot rule out a round no source reports.
    Unknown,
    /// No round: consecutive round numbers on either side leave no room for one.
    None,
}

/// One year of one dialogue, as a flat record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundYear {
    /// The dialogue's id.
    pub dialogue: String,
    /// The country (ISO alpha-2).
    pub country: String,
    /// The year.
    pub year: i32,
    /// Whether a round was held.
    pub status: YearStatus,
    /// Rounds that certainly began in the year.
    pub rounds_certain: u32,
    /// Rounds that may have begun in it (including those certainly in it).
    pub rounds_possible: u32,
}

/// Whether a regularity row describes one dialogue or the whole region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// One dialogue.
    Dialogue,
    /// The five dialogues together.
    Region,
}

/// How regular a dialogue (or the region) has been, as a flat record.
///
/// Gap statistics are over the intervals between consecutive rounds (stored and derived), as
/// ranges: `_min` and `_max` bound the statistic over every reading of the dates. Rounds known
/// only from the numbering widen them honestly: five undated rounds between two dated ones may
/// have come in four short gaps and one long one, or evenly; the bounds use only that each gap is
/// at least a day and that together they span the gap between the dated rounds. The mean gap
/// does not depend on when the undated rounds fell, so it stays narrow. The region row pools the
/// intervals of all dialogues and adds up their counts (its year counts are dialogue-years).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Regularity {
    /// One dialogue or the region.
    pub scope: Scope,
    /// The dialogue's id (absent for the region).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialogue: Option<String>,
    /// The country (absent for the region).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The first year examined: the year the dialogue began.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_year: Option<i32>,
    /// The last year examined: the last year its last recorded round can have begun in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_year: Option<i32>,
    /// Rounds known, stored and derived.
    pub rounds: u32,
    /// Rounds a source dates.
    pub rounds_dated: u32,
    /// Rounds known only from the numbering.
    pub rounds_derived: u32,
    /// Intervals between consecutive rounds.
    pub intervals: u32,
    /// Intervals known to the day.
    pub intervals_exact: u32,
    /// Intervals within the cadence's tolerance.
    pub intervals_on_time: u32,
    /// Intervals certainly shorter than the interval minus the tolerance.
    pub intervals_early: u32,
    /// Intervals certainly longer than the interval plus the tolerance.
    pub intervals_late: u32,
    /// Intervals the dates cannot classify (including gaps longer than the cadence that no
    /// numbering proves: rounds may be missing from the records).
    pub intervals_cannot_tell: u32,
    /// Intervals between rounds that no numbering proves consecutive: a round may have taken
    /// place between them without a record.
    pub intervals_no_record: u32,
    /// The shortest gap in days, lower bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortest_days_min: Option<i64>,
    /// The shortest gap in days, upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortest_days_max: Option<i64>,
    /// The median gap in days, lower bound (the mean of the two middle gaps for an even count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median_days_min: Option<f64>,
    /// The median gap in days, upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median_days_max: Option<f64>,
    /// The longest gap in days, lower bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longest_days_min: Option<i64>,
    /// The longest gap in days, upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longest_days_max: Option<i64>,
    /// The longest gap between rounds proven consecutive, lower bound: unlike `longest_days_*`,
    /// it leaves out gaps that may hide rounds the sources do not record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longest_proven_days_min: Option<i64>,
    /// The longest proven gap, upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longest_proven_days_max: Option<i64>,
    /// The mean gap in days, lower bound: the days from the first round to the last divided by
    /// the number of gaps (to one decimal). Unlike the median it does not depend on when the
    /// derived rounds fell, so it stays narrow where the records have holes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_days_min: Option<f64>,
    /// The mean gap in days, upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_days_max: Option<f64>,
    /// Years in which a round certainly began.
    pub years_confirmed: u32,
    /// Years in which the records leave open whether a round began.
    pub years_unknown: u32,
    /// Years in which no round can have begun.
    pub years_without_round: u32,
    /// Rounds per year between the first and the last round, lower bound (intervals ÷ years
    /// between the first and last round, 365.2425 days a year, to two decimals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounds_per_year_min: Option<f64>,
    /// Rounds per year, upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounds_per_year_max: Option<f64>,
    /// Civil-society seminars recorded as held to prepare a round of the dialogue (a seminar's
    /// `prepares`); each was held before the round it prepared.
    pub seminars_before_round: u32,
    /// Rounds with a recorded civil-society consultation (a stage or a preparing seminar).
    pub rounds_with_consultation: u32,
}

/// The number of weeks before a round in which [`Dataset::plan`] places the civil-society
/// consultation, unless told otherwise.
///
/// Four weeks: the consultations the sources date came 12 days (the NGO briefing of 3 September
/// 2014 before the Turkmenistan round of 15 September) and at most 13 days (the Tajikistan
/// seminar of December 2023 before the round of 14 December) before their rounds; four weeks
/// covers both and leaves time to organise.
pub const DEFAULT_CONSULTATION_WEEKS: u32 = 4;

/// The longest horizon [`Dataset::plan`] projects, in years (a longer one is cut to it; the
/// bindings reject it with an error instead).
pub const MAX_PLAN_YEARS: u32 = 9999;

/// What [`Dataset::plan`] projects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanOptions {
    /// Project the rounds whose due window opens within this many years after `as_of` (default 1;
    /// horizons are cut at [`MAX_PLAN_YEARS`]).
    pub years: u32,
    /// Place the civil-society consultation this many weeks before each projected round
    /// (default [`DEFAULT_CONSULTATION_WEEKS`]).
    pub consultation_weeks: u32,
}

impl Default for PlanOptions {
    fn default() -> PlanOptions {
        PlanOptions {
            years: 1,
            consultation_weeks: DEFAULT_CONSULTATION_WEEKS,
        }
    }
}

impl PlanOptions {
    /// The default options with another horizon.
    pub fn years(years: u32) -> PlanOptions {
        PlanOptions {
            years,
            ..PlanOptions::default()
        }
    }
}

/// A round projected from a dialogue's cadence and history, as a flat record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItem {
    /// A stable id (`hrd-kz/projected/17`), for calendars.
    pub id: String,
    /// The dialogue's id.
    pub dialogue: String,
    /// The country (ISO alpha-2).
    pub country: String,
    /// The projected round's number, when the last round has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// The first day a strict cadence would put it on (the interval after the round before).
    pub nominal_earliest: NaiveDate,
    /// The last such day (later than `nominal_earliest` when the round before is not dated to
    /// the day).
    pub nominal_latest: NaiveDate,
    /// The first day of the window in which it is due.
    pub due_earliest: NaiveDate,
    /// The last day of the due window.
    pub due_latest: NaiveDate,
    /// The first day of the civil-society consultation window (`consultation_weeks` before the
    /// nominal date).
    pub consultation_earliest: NaiveDate,
    /// The last day of the consultation window (the day before the nominal date).
    pub consultation_latest: NaiveDate,
    /// The projected round's phase on `as_of`: `on_schedule` (not yet due), `due` (the window
    /// contains `as_of`) or `overdue` (the window closed before `as_of`).
    pub phase: Phase,
    /// Days since the due window closed, for an overdue round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_overdue: Option<i64>,
    /// Always true: no source reports this round.
    pub projected: bool,
    /// What the projection rests on, in a sentence.
    pub basis: String,
}

/// One stage of a round's cycle, as a flat record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRecord {
    /// The round's id.
    pub round: String,
    /// The dialogue's id.
    pub dialogue: String,
    /// The country (ISO alpha-2).
    pub country: String,
    /// The round's number, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round_number: Option<u32>,
    /// Which stage.
    pub stage: CycleStage,
    /// True when a source shows the stage took place; false: nothing is recorded (unknown, not
    /// absent).
    pub known: bool,
    /// Its date as the sources give it, where they do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The first day it can have taken place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earliest: Option<NaiveDate>,
    /// The last day it can have taken place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest: Option<NaiveDate>,
    /// How finely its date is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<Precision>,
    /// Where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The record that shows it, when it is not the round itself (a seminar's id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The address of its first source that has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

// ---- helpers --------------------------------------------------------------------------------

/// `d` plus `n` calendar months (the end of a shorter month for a missing day); the last
/// representable day when out of range.
pub(crate) fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(n))
        .unwrap_or(NaiveDate::MAX)
}

fn add_days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(NaiveDate::MAX)
}

fn sub_days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(n)).unwrap_or(NaiveDate::MIN)
}

/// Days from `a` to `b` (negative when `b` comes first).
fn days(a: NaiveDate, b: NaiveDate) -> i64 {
    b.signed_duration_since(a).num_days()
}

/// The spans of days on which an event with this date can have *begun*: the start of an
/// interval, each point of a one-of set, each alternative of a disputed date.
pub(crate) fn start_spans(date: &SourcedDate) -> Vec<Bounds> {
    date.values()
        .into_iter()
        .flat_map(|d| match d {
            Date::Point(p) => vec![p.bounds()],
            Date::Interval { start, .. } => vec![start.bounds()],
            Date::OneOf(points) => points.iter().map(|p| p.bounds()).collect(),
        })
        .collect()
}

fn hull_of(spans: &[Bounds]) -> Option<Bounds> {
    let mut it = spans.iter().copied();
    let first = it.next()?;
    Some(it.fold(first, Bounds::hull))
}

/// The address of the first source that has one.
pub(crate) fn first_address(sources: &[Source]) -> Option<String> {
    sources.iter().find_map(|s| s.address.clone())
}

/// The date a dialogue began: the earlier of its agreement and its first format.
fn dialogue_start(d: &Dialogue) -> Option<&SourcedDate> {
    d.agreed
        .iter()
        .chain(d.formats.first().map(|f| &f.from))
        .min_by_key(|date| date.bounds().earliest)
}

/// The cadence's interval minus and plus the tolerance, in months.
fn window_months(cadence: &Cadence) -> (u32, u32) {
    let interval = cadence.interval_months;
    let tolerance = cadence.tolerance();
    (
        interval.saturating_sub(tolerance),
        interval.saturating_add(tolerance),
    )
}

/// A round as the cycle sees it: stored or derived, with the days it can have begun on.
pub(crate) struct CycleRound<'a> {
    pub(crate) record: RoundRecord,
    pub(crate) round: Option<&'a Round>,
    pub(crate) starts: Vec<Bounds>,
    pub(crate) hull: Bounds,
}

impl CycleRound<'_> {
    /// "round 17 (`2025-06-17`)", "the round of `2024-06-21`", "round 3 (known only from the
    /// numbering)".
    fn describe(&self) -> String {
        match (&self.record.date, self.record.number) {
            (Some(date), Some(n)) => format!("round {n} (`{date}`)"),
            (Some(date), None) => format!("the round of `{date}`"),
            (None, Some(n)) => format!("round {n} (known only from the numbering)"),
            (None, None) => "a round known only from the numbering".to_string(),
        }
    }

    fn is_exact(&self) -> bool {
        !self.record.derived && self.hull.is_single_day()
    }

    fn held_by(&self, day: NaiveDate) -> bool {
        self.starts.iter().all(|s| s.latest <= day)
    }
}

/// Why rounds leave a status open, one phrase per round (consecutive derived rounds together):
/// "round 11 is dated only `2019`", "rounds 2–6 are known only from the numbering (held between
/// 2008-10-16 and 2014-11-11) and may or may not have been held by 2012-03-01".
fn round_reasons(rounds: &[&CycleRound], day: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let mut iter = rounds.iter().peekable();
    while let Some(r) = iter.next() {
        let open = !r.held_by(day);
        let tail = if open {
            format!(" and may or may not have been held by {day}")
        } else {
            String::new()
        };
        if r.record.derived {
            let (first, mut last, mut hull) = (r.record.number, r.record.number, r.hull);
            while let Some(next) = iter.peek() {
                let follows = last.is_some_and(|n| n.checked_add(1) == next.record.number);
                if next.record.derived && follows && next.held_by(day) != open {
                    hull = hull.hull(next.hull);
                    last = next.record.number;
                    iter.next();
                } else {
                    break;
                }
            }
            let which = match (first, last) {
                (Some(a), Some(b)) if a != b => format!("rounds {a}–{b} are"),
                (Some(a), _) => format!("round {a} is"),
                _ => "a round is".to_string(),
            };
            out.push(format!(
                "{which} known only from the numbering (held between {} and {}){tail}",
                hull.earliest, hull.latest
            ));
        } else {
            let name = match r.record.number {
                Some(n) => format!("round {n}"),
                None => "the round".to_string(),
            };
            let date = r.record.date.clone().unwrap_or_default();
            out.push(if open {
                format!("{name} is dated `{date}`{tail}")
            } else {
                format!("{name} is dated only `{date}`")
            });
        }
    }
    out
}

impl Dataset {
    /// The rounds of a dialogue (stored and derived) with the days each can have begun on, in
    /// the order of [`Dataset::rounds_of`].
    pub(crate) fn cycle_rounds(&self, dialogue: &Dialogue) -> Vec<CycleRound<'_>> {
        self.rounds_of(&dialogue.id)
            .unwrap_or_default()
            .into_iter()
            .map(|record| {
                let round = record
                    .id
                    .as_ref()
                    .and_then(|id| self.rounds.iter().find(|r| &r.id == id));
                let starts = match round {
                    Some(r) => start_spans(&r.date),
                    None => vec![Bounds {
                        earliest: record.earliest,
                        latest: record.latest,
                    }],
                };
                let hull = hull_of(&starts).unwrap_or(Bounds {
                    earliest: record.earliest,
                    latest: record.latest,
                });
                CycleRound {
                    record,
                    round,
                    starts,
                    hull,
                }
            })
            .collect()
    }

    fn country_name(&self, code: &str) -> String {
        self.countries
            .iter()
            .find(|c| c.id == code)
            .map_or_else(|| code.to_string(), |c| c.name.clone())
    }
}

// ---- lifecycle --------------------------------------------------------------------------------

/// A dialogue's state in one reading of its lifecycle dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Life {
    /// Active; `resumed` is when it last resumed (clipped to the day asked about), if ever.
    Active {
        resumed: Option<Bounds>,
    },
    Suspended,
    Ended,
}

/// The lifecycle states a dialogue may be in on `day`, and the changes whose dates leave it open.
fn lifecycle_states(d: &Dialogue, day: NaiveDate) -> (Vec<Life>, Vec<String>) {
    let mut state = Life::Active { resumed: None };
    let mut states = vec![state];
    let mut certain = 0usize;
    let mut possible = 0usize;
    for (j, change) in d.lifecycle.iter().enumerate() {
        let b = change.date.bounds();
        state = match change.change {
            Lifecycle::Suspended => Life::Suspended,
            Lifecycle::Ended => Life::Ended,
            Lifecycle::Resumed => Life::Active {
                resumed: Some(Bounds {
                    earliest: b.earliest,
                    latest: b.latest.min(day).max(b.earliest),
                }),
            },
        };
        states.push(state);
        if b.latest <= day {
            certain = j + 1;
        }
        if b.earliest <= day {
            possible = j + 1;
        }
    }
    let possible = possible.max(certain);
    let mut reasons = Vec::new();
    for change in d.lifecycle.iter().skip(certain).take(possible - certain) {
        reasons.push(format!(
            "the {} is dated only `{}`",
            match change.change {
                Lifecycle::Suspended => "suspension",
                Lifecycle::Resumed => "resumption",
                Lifecycle::Ended => "end",
            },
            change.date.display()
        ));
    }
    let out = states
        .into_iter()
        .skip(certain)
        .take(possible - certain + 1)
        .collect();
    (out, reasons)
}

// ---- status -----------------------------------------------------------------------------------

/// A round as seen from one day: the days up to that day it can have begun on.
struct Held<'r, 'a> {
    round: &'r CycleRound<'a>,
    clipped: Vec<Bounds>,
    certain: bool,
}

/// The phases a dialogue whose last round began on some day of `anchor` can be in on `day`.
fn phases_for(anchor: Bounds, day: NaiveDate, early: u32, late: u32) -> Vec<Phase> {
    let overdue = |x: NaiveDate| add_months(x, late) < day;
    let on_schedule = |x: NaiveDate| add_months(x, early) > day;
    let mut out = Vec::new();
    if overdue(anchor.earliest) {
        out.push(Phase::Overdue);
    }
    if on_schedule(anchor.latest) {
        out.push(Phase::OnSchedule);
    }
    if !overdue(anchor.latest) {
        // The earliest reading that is not overdue is the best chance of "due".
        let first = if overdue(anchor.earliest) {
            let (mut lo, mut hi) = (anchor.earliest, anchor.latest);
            while days(lo, hi) > 1 {
                let mid = add_days(lo, u64::try_from(days(lo, hi) / 2).unwrap_or(1));
                if overdue(mid) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            hi
        } else {
            anchor.earliest
        };
        if !on_schedule(first) {
            out.push(Phase::Due);
        }
    }
    out
}

impl Dataset {
    /// The status of every dialogue on a day: one flat record per dialogue, in dataset order.
    ///
    /// See [`Dataset::status_of`] for what a status says.
    pub fn status(&self, as_of: NaiveDate) -> Vec<DialogueStatus> {
        self.dialogues
            .iter()
            .map(|d| self.dialogue_status(d, as_of))
            .collect()
    }

    /// The status of one dialogue (by country code or name, or the dialogue's id) on a day.
    ///
    /// The phase follows from the last round held by `as_of` and the dialogue's [`Cadence`]: on
    /// schedule until the interval minus the tolerance has passed, due until the interval plus
    /// the tolerance has passed, overdue after that; a suspended or ended dialogue is neither.
    /// Everything dated on `as_of` itself counts as done by then. Rounds known only from the
    /// numbering count, dated between their neighbours; where any date on which the answer
    /// depends is partial, every possible phase is listed, `certain` is false and `reason` names
    /// the dates. A resumed dialogue is due a cadence after the later of its resumption and its
    /// last round.
    ///
    /// # Errors
    /// As [`Dataset::dialogue`]: an unknown country, or one without a dialogue.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use euca::{Dataset, Phase};
    ///
    /// let data = Dataset::embedded()?;
    /// // The 12th Turkmenistan round was held on 18 June 2020; in January 2021 the next was not due.
    /// let s = data.status_of("TM", NaiveDate::from_ymd_opt(2021, 1, 15).unwrap())?;
    /// assert_eq!(s.phase, Some(Phase::OnSchedule));
    /// assert_eq!(s.last_round_number, Some(12));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn status_of(
        &self,
        country_or_id: &str,
        as_of: NaiveDate,
    ) -> Result<DialogueStatus, QueryError> {
        let dialogue = self.dialogue(country_or_id)?;
        Ok(self.dialogue_status(dialogue, as_of))
    }

    fn dialogue_status(&self, d: &Dialogue, day: NaiveDate) -> DialogueStatus {
        let rounds = self.cycle_rounds(d);
        let (early, late) = window_months(&d.cadence);
        let held: Vec<Held> = rounds
            .iter()
            .filter_map(|r| {
                let clipped: Vec<Bounds> = r
                    .starts
                    .iter()
                    .filter(|s| s.earliest <= day)
                    .map(|s| Bounds {
                        earliest: s.earliest,
                        latest: s.latest.min(day),
                    })
                    .collect();
                if clipped.is_empty() {
                    return None;
                }
                let certain = r.starts.iter().all(|s| s.latest <= day);
                Some(Held {
                    round: r,
                    clipped,
                    certain,
                })
            })
            .collect();
        let certain_rounds: Vec<&Held> = held.iter().filter(|h| h.certain).collect();
        // The last round began no earlier than the latest first day of the rounds surely held.
        let floor = certain_rounds.iter().map(|h| h.round.hull.earliest).max();
        let mut readings: Vec<Bounds> = Vec::new();
        let mut uncertain_rounds: Vec<&CycleRound> = Vec::new();
        for h in &held {
            let before = readings.len();
            let mut contributes = !h.certain;
            for span in &h.clipped {
                let lo = floor.map_or(span.earliest, |f| span.earliest.max(f));
                if lo <= span.latest {
                    readings.push(Bounds {
                        earliest: lo,
                        latest: span.latest,
                    });
                    contributes |= lo < span.latest;
                }
            }
            contributes |= readings.len() > before + 1;
            if contributes {
                uncertain_rounds.push(h.round);
            }
        }

        let mut phases: BTreeSet<Phase> = BTreeSet::new();
        let mut reasons: Vec<String> = Vec::new();
        let mut anchor_hull: Option<Bounds> = None;

        // Has the dialogue begun?
        let start = dialogue_start(d);
        let (may_not_have_begun, may_have_begun) = match start {
            Some(s) if certain_rounds.is_empty() => {
                let b = s.bounds();
                (b.latest > day, b.earliest <= day)
            }
            _ => (false, true),
        };
        if may_not_have_begun {
            phases.insert(Phase::NotYetAgreed);
            if may_have_begun && let Some(s) = start {
                reasons.push(format!(
                    "the sources date the dialogue's start only as `{}`",
                    s.display()
                ));
            }
        }

        if may_have_begun {
            let (states, life_reasons) = lifecycle_states(d, day);
            if states.len() > 1 {
                reasons.extend(life_reasons);
            }
            let mut round_phases: BTreeSet<Phase> = BTreeSet::new();
            for state in states {
                match state {
                    Life::Suspended => {
                        phases.insert(Phase::Suspended);
                    }
                    Life::Ended => {
                        phases.insert(Phase::Ended);
                    }
                    Life::Active { resumed } => {
                        if certain_rounds.is_empty() {
                            round_phases.insert(Phase::AwaitingFirstRound);
                        }
                        for reading in &readings {
                            let anchor = match resumed {
                                Some(r) => Bounds {
                                    earliest: reading.earliest.max(r.earliest),
                                    latest: reading.latest.max(r.latest),
                                },
                                None => *reading,
                            };
                            round_phases.extend(phases_for(anchor, day, early, late));
                            anchor_hull = Some(match anchor_hull {
                                Some(h) => h.hull(anchor),
                                None => anchor,
                            });
                        }
                    }
                }
            }
            if round_phases.len() > 1 {
                reasons.extend(round_reasons(&uncertain_rounds, day));
            }
            phases.extend(round_phases);
        }

        let possible_phases: Vec<Phase> = phases.into_iter().collect();
        let certain = possible_phases.len() == 1;
        let phase = if certain {
            possible_phases.first().copied()
        } else {
            None
        };
        let last = certain_rounds
            .iter()
            .map(|h| h.round)
            .max_by_key(|r| (r.hull.earliest, r.hull.latest, r.record.number));
        let may_be = |p: Phase| possible_phases.contains(&p);
        let (mut due_earliest, mut due_latest) = (None, None);
        let (mut until_min, mut until_max, mut overdue_min, mut overdue_max) =
            (None, None, None, None);
        if let Some(a) = anchor_hull {
            let opens = (add_months(a.earliest, early), add_months(a.latest, early));
            let closes = (add_months(a.earliest, late), add_months(a.latest, late));
            due_earliest = Some(opens.0);
            due_latest = Some(closes.1);
            if may_be(Phase::OnSchedule) {
                until_min = Some(days(day, opens.0).max(0));
                until_max = Some(days(day, opens.1).max(0));
            }
            if may_be(Phase::Overdue) {
                overdue_min = Some(days(closes.1, day).max(0));
                overdue_max = Some(days(closes.0, day).max(0));
            }
        }
        let overdue_evidence = may_be(Phase::Overdue).then(|| {
            let next = last
                .and_then(|r| r.record.number)
                .and_then(|n| n.checked_add(1));
            let proven = next.is_some_and(|n| {
                rounds.iter().any(|r| {
                    r.record.number == Some(n) && !r.record.derived && r.hull.earliest > day
                })
            });
            if proven {
                Evidence::Proven
            } else {
                Evidence::NoRecord
            }
        });
        let last_change = d
            .lifecycle
            .iter()
            .rev()
            .find(|c| c.date.bounds().latest <= day);
        DialogueStatus {
            dialogue: d.id.clone(),
            country: d.country.clone(),
            as_of: day,
            phase,
            certain,
            reason: (!certain && !reasons.is_empty()).then(|| reasons.join("; ")),
            possible_phases,
            last_round_id: last.and_then(|r| r.record.id.clone()),
            last_round_number: last.and_then(|r| r.record.number),
            last_round_date: last.and_then(|r| r.record.date.clone()),
            last_round_earliest: last.map(|r| r.hull.earliest),
            last_round_latest: last.map(|r| r.hull.latest),
            last_round_precision: last.and_then(|r| r.record.precision),
            last_round_derived: last.is_some_and(|r| r.record.derived),
            rounds_held: u32::try_from(certain_rounds.len()).unwrap_or(u32::MAX),
            rounds_possibly_held: u32::try_from(held.len() - certain_rounds.len())
                .unwrap_or(u32::MAX),
            interval_months: d.cadence.interval_months,
            tolerance_months: d.cadence.tolerance(),
            due_earliest,
            due_latest,
            days_until_due_min: until_min,
            days_until_due_max: until_max,
            days_overdue_min: overdue_min,
            days_overdue_max: overdue_max,
            overdue_evidence,
            lifecycle: last_change.map(|c| c.change),
            lifecycle_date: last_change.map(|c| c.date.display()),
        }
    }
}

/// What shows that a dialogue is overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// A later round is numbered as the next one: no round was held in between.
    Proven,
    /// No round is recorded, but the sources may have missed one.
    NoRecord,
}

// ---- regularity -------------------------------------------------------------------------------

/// Whether two rounds are proven consecutive: their numbers follow on, or they were held within
/// meetings of one agreement body whose numbers follow on.
fn consecutive(a: &RoundRecord, b: &RoundRecord) -> Evidence {
    let numbered =
        matches!((a.number, b.number), (Some(x), Some(y)) if x.checked_add(1) == Some(y));
    let meetings = a.held_with.is_some()
        && a.held_with == b.held_with
        && a.held_with_setting == Some(Setting::Within)
        && b.held_with_setting == Some(Setting::Within)
        && matches!(
            (a.held_with_number, b.held_with_number),
            (Some(x), Some(y)) if x.checked_add(1) == Some(y)
        );
    if numbered || meetings {
        Evidence::Proven
    } else {
        Evidence::NoRecord
    }
}

fn timing(from: Bounds, to: Bounds, early: u32, late: u32) -> Timing {
    // Certainly on time: even the widest reading fits; certainly early or late: even the
    // narrowest reading does not.
    let soonest_due = add_months(from.latest, early);
    let latest_due = add_months(from.earliest, late);
    if to.latest < add_months(from.earliest, early) {
        Timing::Early
    } else if to.earliest > add_months(from.latest, late) {
        Timing::Late
    } else if to.earliest >= soonest_due && to.latest <= latest_due {
        Timing::OnTime
    } else {
        Timing::CannotTell
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Gaps between rounds, for order statistics over every reading of the dates.
///
/// A gap between two rounds a source dates is known to lie in `[lo, hi]`. The `k` gaps of a run
/// of derived rounds between two dated rounds are not independent: each is at least a day, and
/// together they span the gap between the dated rounds, `[total_min, total_max]` days. So in a
/// run at most `k - 1` gaps can be short (the last must make up the total), and the run's gaps
/// cannot all be long. The bounds below are exact for each statistic taken alone, under these
/// constraints (correlations through shared partially dated rounds are ignored, which can only
/// widen them).
#[derive(Default)]
struct GapStats {
    /// `(lo, hi)` of each gap outside a run.
    gaps: Vec<(i64, i64)>,
    /// `(k, total_min, total_max)` of each run of `k` gaps.
    runs: Vec<(i64, i64, i64)>,
}

impl GapStats {
    fn count(&self) -> i64 {
        i64::try_from(self.gaps.len()).unwrap_or(i64::MAX)
            + self.runs.iter().map(|r| r.0).sum::<i64>()
    }

    /// The most gaps that can be at most `v` days in one reading.
    fn most_at_most(&self, v: i64) -> i64 {
        let single = self.gaps.iter().filter(|g| g.0 <= v).count();
        let runs: i64 = self
            .runs
            .iter()
            .map(|&(k, total_min, _)| {
                if v < 1 {
                    0
                } else if k.saturating_mul(v) >= total_min {
                    k
                } else {
                    k - 1
                }
            })
            .sum();
        i64::try_from(single).unwrap_or(i64::MAX) + runs
    }

    /// The most gaps that can be at least `v` days in one reading.
    fn most_at_least(&self, v: i64) -> i64 {
        let single = self.gaps.iter().filter(|g| g.1 >= v).count();
        let runs: i64 = self
            .runs
            .iter()
            .map(|&(k, _, total_max)| {
                if v <= 1 {
                    k
                } else {
                    // m gaps of at least v and k - m of at least one day fit in total_max.
                    ((total_max - k).max(0) / (v - 1)).min(k)
                }
            })
            .sum();
        i64::try_from(single).unwrap_or(i64::MAX) + runs
    }

    fn upper(&self) -> i64 {
        self.gaps
            .iter()
            .map(|g| g.1)
            .chain(self.runs.iter().map(|r| r.2))
            .max()
            .unwrap_or(1)
            .max(1)
    }

    /// The least and greatest value the `j`-th shortest gap (1-based) can have.
    fn order(&self, j: i64) -> (i64, i64) {
        let n = self.count();
        // Smallest v such that j gaps can be at most v.
        let (mut lo, mut hi) = (1i64, self.upper());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.most_at_most(mid) >= j {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        let least = lo;
        // Largest v such that n - j + 1 gaps can be at least v.
        let (mut lo, mut hi) = (1i64, self.upper());
        while lo < hi {
            let mid = lo + (hi - lo + 1) / 2;
            if self.most_at_least(mid) > n - j {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        (least, lo.max(least))
    }

    fn fill(&self, row: &mut Regularity) {
        let n = self.count();
        if n == 0 {
            return;
        }
        let shortest = self.order(1);
        let longest = self.order(n);
        let median = if n % 2 == 1 {
            let m = self.order(n / 2 + 1);
            (m.0 as f64, m.1 as f64)
        } else {
            let a = self.order(n / 2);
            let b = self.order(n / 2 + 1);
            ((a.0 + b.0) as f64 / 2.0, (a.1 + b.1) as f64 / 2.0)
        };
        row.shortest_days_min = Some(shortest.0);
        row.shortest_days_max = Some(shortest.1);
        row.median_days_min = Some(median.0);
        row.median_days_max = Some(median.1);
        row.longest_days_min = Some(longest.0);
        row.longest_days_max = Some(longest.1);
    }

    fn fill_longest_proven(&self, row: &mut Regularity) {
        let n = self.count();
        if n > 0 {
            let longest = self.order(n);
            row.longest_proven_days_min = Some(longest.0);
            row.longest_proven_days_max = Some(longest.1);
        }
    }
}

impl Dataset {
    /// The gap between each two consecutive rounds of every dialogue (stored and derived), in
    /// dialogue order then date order; one flat record per gap.
    ///
    /// A gap runs from the day one round began to the day the next began, as a range over every
    /// reading of their dates (two rounds are at least a day apart); `timing` compares it with
    /// the cadence.
    pub fn intervals(&self) -> Vec<RoundInterval> {
        self.dialogues
            .iter()
            .flat_map(|d| self.dialogue_intervals(d))
            .collect()
    }

    fn dialogue_intervals(&self, d: &Dialogue) -> Vec<RoundInterval> {
        let rounds = self.cycle_rounds(d);
        let (early, late) = window_months(&d.cadence);
        rounds
            .windows(2)
            .filter_map(|pair| {
                let [a, b] = pair else { return None };
                let days_min = days(a.hull.latest, b.hull.earliest).max(1);
                let days_max = days(a.hull.earliest, b.hull.latest).max(days_min);
                let evidence = consecutive(&a.record, &b.record);
                let timing = match (timing(a.hull, b.hull, early, late), evidence) {
                    (Timing::Late, Evidence::NoRecord) => Timing::CannotTell,
                    (t, _) => t,
                };
                Some(RoundInterval {
                    dialogue: d.id.clone(),
                    country: d.country.clone(),
                    from_id: a.record.id.clone(),
                    from_number: a.record.number,
                    from_date: a.record.date.clone(),
                    from_derived: a.record.derived,
                    to_id: b.record.id.clone(),
                    to_number: b.record.number,
                    to_date: b.record.date.clone(),
                    to_derived: b.record.derived,
                    days_min,
                    days_max,
                    exact: a.is_exact() && b.is_exact(),
                    timing,
                    evidence,
                })
            })
            .collect()
    }

    /// Every year of every dialogue, from the year it began to the last year its last recorded
    /// round can have begun in: whether a round began in it (`confirmed`), may have (`unknown`:
    /// a partial, disputed or derived date, or a stretch the numbering does not cover), or
    /// cannot have (`none`: consecutive numbers on either side leave no room).
    pub fn round_years(&self) -> Vec<RoundYear> {
        self.dialogues
            .iter()
            .flat_map(|d| self.dialogue_years(d, &self.cycle_rounds(d)))
            .collect()
    }

    fn dialogue_years(&self, d: &Dialogue, rounds: &[CycleRound]) -> Vec<RoundYear> {
        let first_year = dialogue_start(d)
            .map(|s| s.bounds().earliest.year())
            .or_else(|| rounds.iter().map(|r| r.hull.earliest.year()).min());
        let last_year = rounds.iter().map(|r| r.hull.latest.year()).max();
        let (Some(first_year), Some(last_year)) = (first_year, last_year) else {
            return Vec::new();
        };
        // The numbering is complete from the first numbered round to the last: any round
        // between them has a number, and every number is a round (stored or derived).
        let numbered: Vec<&CycleRound> = rounds
            .iter()
            .filter(|r| r.record.number.is_some())
            .collect();
        let covered = match (
            numbered.iter().map(|r| r.hull.latest).min(),
            numbered.iter().map(|r| r.hull.earliest).max(),
        ) {
            (Some(from), Some(to)) => Some((from, to)),
            _ => None,
        };
        let mut out = Vec::new();
        for year in first_year.min(last_year)..=last_year {
            let (Some(jan1), Some(dec31)) = (
                NaiveDate::from_ymd_opt(year, 1, 1),
                NaiveDate::from_ymd_opt(year, 12, 31),
            ) else {
                continue;
            };
            let mut certain = 0u32;
            let mut possible = 0u32;
            for r in rounds {
                if r.hull.earliest >= jan1 && r.hull.latest <= dec31 {
                    certain += 1;
                    possible += 1;
                } else if r
                    .starts
                    .iter()
                    .any(|s| s.earliest <= dec31 && s.latest >= jan1)
                {
                    possible += 1;
                }
            }
            let status = if certain > 0 {
                YearStatus::Confirmed
            } else if possible == 0 && covered.is_some_and(|(from, to)| from < jan1 && dec31 < to) {
                YearStatus::None
            } else {
                YearStatus::Unknown
            };
            out.push(RoundYear {
                dialogue: d.id.clone(),
                country: d.country.clone(),
                year,
                status,
                rounds_certain: certain,
                rounds_possible: possible,
            });
        }
        out
    }

    /// How regular each dialogue has been, one flat record per dialogue and a last one for the
    /// region: rounds known (dated and derived), the gaps between consecutive rounds (shortest,
    /// median and longest, as ranges over every reading of the dates), how many gaps kept to the
    /// cadence, the years with a round, without one and unknown (see [`Dataset::round_years`]),
    /// rounds per year, and the civil-society seminars held before the round they prepared.
    pub fn regularity(&self) -> Vec<Regularity> {
        let mut rows = Vec::new();
        let mut region = Regularity::empty(Scope::Region);
        let mut region_gaps = GapStats::default();
        let mut region_proven = GapStats::default();
        let mut any_rate = false;
        let (mut span_min_sum, mut span_max_sum, mut gaps_sum) = (0i64, 0i64, 0i64);
        let (mut rate_min, mut rate_max) = (0.0, 0.0);
        for d in self.dialogues.iter() {
            let rounds = self.cycle_rounds(d);
            let intervals = self.dialogue_intervals(d);
            let years = self.dialogue_years(d, &rounds);
            let mut row = Regularity::empty(Scope::Dialogue);
            row.dialogue = Some(d.id.clone());
            row.country = Some(d.country.clone());
            row.first_year = years.first().map(|y| y.year);
            row.last_year = years.last().map(|y| y.year);
            row.rounds = count(rounds.len());
            row.rounds_derived = count(rounds.iter().filter(|r| r.record.derived).count());
            row.rounds_dated = row.rounds - row.rounds_derived;
            row.intervals = count(intervals.len());
            row.intervals_exact = count(intervals.iter().filter(|i| i.exact).count());
            for i in &intervals {
                match i.timing {
                    Timing::Early => row.intervals_early += 1,
                    Timing::OnTime => row.intervals_on_time += 1,
                    Timing::Late => row.intervals_late += 1,
                    Timing::CannotTell => row.intervals_cannot_tell += 1,
                }
            }
            row.intervals_no_record = count(
                intervals
                    .iter()
                    .filter(|i| i.evidence == Evidence::NoRecord)
                    .count(),
            );
            let gaps = gap_stats(&rounds, &intervals, false);
            gaps.fill(&mut row);
            let proven = gap_stats(&rounds, &intervals, true);
            proven.fill_longest_proven(&mut row);
            if let (Some(first), Some(last)) = (rounds.first(), rounds.last())
                && !intervals.is_empty()
            {
                let n = intervals.len() as f64;
                let span_min =
                    days(first.hull.latest, last.hull.earliest).max(intervals.len() as i64);
                let span_max = days(first.hull.earliest, last.hull.latest).max(span_min);
                row.mean_days_min = Some(round1(span_min as f64 / n));
                row.mean_days_max = Some(round1(span_max as f64 / n));
                span_min_sum += span_min;
                span_max_sum += span_max;
                gaps_sum += intervals.len() as i64;
            }
            for y in &years {
                match y.status {
                    YearStatus::Confirmed => row.years_confirmed += 1,
                    YearStatus::Unknown => row.years_unknown += 1,
                    YearStatus::None => row.years_without_round += 1,
                }
            }
            if let (Some(first), Some(last)) = (rounds.first(), rounds.last()) {
                let n = rounds.len() as f64 - 1.0;
                let span_min = days(first.hull.latest, last.hull.earliest);
                let span_max = days(first.hull.earliest, last.hull.latest);
                if n > 0.0 && span_min > 0 {
                    let per_year = |span: i64| round2(n * 365.2425 / span as f64);
                    row.rounds_per_year_min = Some(per_year(span_max));
                    row.rounds_per_year_max = Some(per_year(span_min));
                    rate_min += n * 365.2425 / span_max as f64;
                    rate_max += n * 365.2425 / span_min as f64;
                    any_rate = true;
                }
            }
            let round_ids: Vec<&str> = rounds
                .iter()
                .filter_map(|r| r.record.id.as_deref())
                .collect();
            row.seminars_before_round = count(
                self.seminars
                    .iter()
                    .filter(|s| {
                        s.prepares
                            .as_deref()
                            .is_some_and(|p| round_ids.contains(&p))
                    })
                    .count(),
            );
            row.rounds_with_consultation = count(
                rounds
                    .iter()
                    .filter_map(|r| r.round)
                    .filter(|r| {
                        r.stages
                            .iter()
                            .any(|s| s.stage == CycleStage::CivilSocietyConsultation)
                            || self
                                .seminars
                                .iter()
                                .any(|s| s.prepares.as_deref() == Some(r.id.as_str()))
                    })
                    .count(),
            );

            region.first_year = min_opt(region.first_year, row.first_year);
            region.last_year = max_opt(region.last_year, row.last_year);
            region.rounds += row.rounds;
            region.rounds_dated += row.rounds_dated;
            region.rounds_derived += row.rounds_derived;
            region.intervals += row.intervals;
            region.intervals_exact += row.intervals_exact;
            region.intervals_on_time += row.intervals_on_time;
            region.intervals_early += row.intervals_early;
            region.intervals_late += row.intervals_late;
            region.intervals_cannot_tell += row.intervals_cannot_tell;
            region.intervals_no_record += row.intervals_no_record;
            region.years_confirmed += row.years_confirmed;
            region.years_unknown += row.years_unknown;
            region.years_without_round += row.years_without_round;
            region.seminars_before_round += row.seminars_before_round;
            region.rounds_with_consultation += row.rounds_with_consultation;
            region_gaps.gaps.extend(gaps.gaps);
            region_gaps.runs.extend(gaps.runs);
            region_proven.gaps.extend(proven.gaps);
            region_proven.runs.extend(proven.runs);
            rows.push(row);
        }
        region_gaps.fill(&mut region);
        region_proven.fill_longest_proven(&mut region);
        if gaps_sum > 0 {
            region.mean_days_min = Some(round1(span_min_sum as f64 / gaps_sum as f64));
            region.mean_days_max = Some(round1(span_max_sum as f64 / gaps_sum as f64));
        }
        if any_rate {
            region.rounds_per_year_min = Some(round2(rate_min));
            region.rounds_per_year_max = Some(round2(rate_max));
        }
        rows.push(region);
        rows
    }
}

/// The gaps of a dialogue: runs of derived rounds between two dated rounds, and single gaps.
///
/// With `proven_only`, gaps between rounds no numbering proves consecutive are left out (a run of
/// derived rounds is proven by the numbering that derives it).
fn gap_stats(rounds: &[CycleRound], intervals: &[RoundInterval], proven_only: bool) -> GapStats {
    let mut stats = GapStats::default();
    let mut last_dated: Option<(usize, &CycleRound)> = None;
    let mut in_run = vec![false; intervals.len()];
    for (i, r) in rounds.iter().enumerate() {
        if r.record.derived {
            continue;
        }
        if let Some((j, a)) = last_dated {
            let k = i - j;
            if k > 1 {
                stats.runs.push((
                    i64::try_from(k).unwrap_or(i64::MAX),
                    days(a.hull.latest, r.hull.earliest).max(1),
                    days(a.hull.earliest, r.hull.latest),
                ));
                for flag in in_run.iter_mut().skip(j).take(k) {
                    *flag = true;
                }
            }
        }
        last_dated = Some((i, r));
    }
    for (interval, run) in intervals.iter().zip(in_run) {
        if !run && (!proven_only || interval.evidence == Evidence::Proven) {
            stats.gaps.push((interval.days_min, interval.days_max));
        }
    }
    stats
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn min_opt(a: Option<i32>, b: Option<i32>) -> Option<i32> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn max_opt(a: Option<i32>, b: Option<i32>) -> Option<i32> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

impl Regularity {
    fn empty(scope: Scope) -> Regularity {
        Regularity {
            scope,
            dialogue: None,
            country: None,
            first_year: None,
            last_year: None,
            rounds: 0,
            rounds_dated: 0,
            rounds_derived: 0,
            intervals: 0,
            intervals_exact: 0,
            intervals_on_time: 0,
            intervals_early: 0,
            intervals_late: 0,
            intervals_no_record: 0,
            intervals_cannot_tell: 0,
            shortest_days_min: None,
            shortest_days_max: None,
            median_days_min: None,
            median_days_max: None,
            longest_days_min: None,
            longest_days_max: None,
            longest_proven_days_min: None,
            longest_proven_days_max: None,
            mean_days_min: None,
            mean_days_max: None,
            years_confirmed: 0,
            years_unknown: 0,
            years_without_round: 0,
            rounds_per_year_min: None,
            rounds_per_year_max: None,
            seminars_before_round: 0,
            rounds_with_consultation: 0,
        }
    }
}

// ---- plan ---------------------------------------------------------------------------------------

impl Dataset {
    /// The rounds due within `options.years` years after `as_of`, projected for each dialogue
    /// from its cadence and its last recorded round, oldest first; every item is `projected`.
    ///
    /// Projection starts after the *last recorded* round (stored or derived), so it never places
    /// a round before a known one: the first projected round's due window and nominal date start
    /// no earlier than the day after the last day the last known round can have taken place
    /// (for a round dated `[2024-10-17,2025-10-17]`, 18 October 2025). [`Dataset::status`]
    /// instead answers for each reading of that date separately, so its due window can open
    /// earlier (July 2025, had the round been held in 2024). Each round is due in the
    /// interval ± the tolerance after the one before; its civil-society consultation window is
    /// the `options.consultation_weeks` weeks before its nominal date. A next round whose nominal
    /// date has passed by `as_of` without a record is still listed (phase `due`, or `overdue`
    /// once its window has closed), and the rounds after it are projected from `as_of`, the
    /// earliest day it can still take place. A dialogue whose last recorded change
    /// is a suspension or an end gets no projection; one without any round is projected from the
    /// day it was agreed.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use euca::{Dataset, PlanOptions};
    ///
    /// let data = Dataset::embedded()?;
    /// let day = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
    /// let plan = data.plan(day, &PlanOptions::default());
    /// let tm = plan.iter().find(|p| p.country == "TM").unwrap();
    /// // The 17th Turkmenistan round was held on 17 June 2025: the 18th is due a year later.
    /// assert_eq!(tm.number, Some(18));
    /// assert_eq!(tm.nominal_earliest, NaiveDate::from_ymd_opt(2026, 6, 17).unwrap());
    /// assert!(plan.iter().all(|p| p.projected));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn plan(&self, as_of: NaiveDate, options: &PlanOptions) -> Vec<PlanItem> {
        let mut items: Vec<PlanItem> = self
            .dialogues
            .iter()
            .flat_map(|d| self.dialogue_plan(d, as_of, options))
            .collect();
        items.sort_by(|a, b| {
            (a.due_earliest, &a.country, a.nominal_earliest).cmp(&(
                b.due_earliest,
                &b.country,
                b.nominal_earliest,
            ))
        });
        items
    }

    fn dialogue_plan(
        &self,
        d: &Dialogue,
        as_of: NaiveDate,
        options: &PlanOptions,
    ) -> Vec<PlanItem> {
        if d.lifecycle
            .last()
            .is_some_and(|c| matches!(c.change, Lifecycle::Suspended | Lifecycle::Ended))
        {
            return Vec::new();
        }
        let interval = d.cadence.interval_months;
        let tolerance = d.cadence.tolerance();
        let (early, late) = window_months(&d.cadence);
        if interval == 0 {
            return Vec::new();
        }
        // Only rounds known by `as_of` count: a plan made on a past day does not know the rounds
        // recorded after it. A dated round that may have begun by then counts; a round known only
        // from the numbering counts once it must have begun (until then it is the round the plan
        // projects).
        let rounds: Vec<CycleRound> = self
            .cycle_rounds(d)
            .into_iter()
            .filter(|r| {
                if r.record.derived {
                    r.hull.latest <= as_of
                } else {
                    r.hull.earliest <= as_of
                }
            })
            .collect();
        let last = rounds
            .iter()
            .max_by_key(|r| (r.hull.latest, r.hull.earliest, r.record.number));
        // The last round began between the latest first day and the latest last day of all.
        let (mut anchor, floor, mut basis, mut number) = match last {
            Some(r) => {
                let lo = rounds
                    .iter()
                    .map(|r| r.hull.earliest)
                    .max()
                    .unwrap_or(r.hull.earliest);
                (
                    Bounds {
                        earliest: lo,
                        latest: r.hull.latest,
                    },
                    // A round comes after the last one ended.
                    rounds.iter().map(|r| r.record.latest).max(),
                    r.describe(),
                    r.record.number,
                )
            }
            None => match dialogue_start(d) {
                Some(s) => (
                    s.bounds(),
                    None,
                    format!("the dialogue's start (`{}`)", s.display()),
                    Some(0),
                ),
                None => return Vec::new(),
            },
        };
        if let Some(c) = d.lifecycle.last() {
            let b = c.date.bounds();
            if c.change == Lifecycle::Resumed && b.latest > anchor.latest {
                anchor = Bounds {
                    earliest: anchor.earliest.max(b.earliest),
                    latest: b.latest,
                };
                basis = format!("the resumption (`{}`)", c.date.display());
            }
        }
        let years = options.years.min(MAX_PLAN_YEARS);
        let horizon = add_months(as_of, years.saturating_mul(12));
        let weeks = u64::from(options.consultation_weeks) * 7;
        let cadence = format!("{interval} months (± {tolerance})");
        let mut out = Vec::new();
        let mut k = 0u32;
        // Enough steps for the horizon; a cap keeps odd inputs finite.
        let cap = years.saturating_mul(12) / interval.max(1) + 3;
        while k < cap {
            k += 1;
            number = number.and_then(|n| n.checked_add(1));
            let mut due = Bounds {
                earliest: add_months(anchor.earliest, early),
                latest: add_months(anchor.latest, late),
            };
            let mut nominal = Bounds {
                earliest: add_months(anchor.earliest, interval),
                latest: add_months(anchor.latest, interval),
            };
            if let Some(floor) = floor.filter(|_| k == 1) {
                let after = add_days(floor, 1);
                due.earliest = due.earliest.max(after).min(due.latest);
                nominal.earliest = nominal.earliest.max(after).min(nominal.latest);
            }
            if due.earliest > horizon {
                break;
            }
            let phase = if due.latest < as_of {
                Phase::Overdue
            } else if due.earliest <= as_of {
                Phase::Due
            } else {
                Phase::OnSchedule
            };
            let id = match (number, last.and_then(|r| r.record.id.as_deref())) {
                (Some(n), _) => format!("{}/projected/{n}", d.id),
                (None, Some(after)) => format!("{}/projected/{after}+{k}", d.id),
                (None, None) => format!("{}/projected/+{k}", d.id),
            };
            let name = match number {
                Some(n) => format!("round {n}"),
                None => "the next round".to_string(),
            };
            out.push(PlanItem {
                id,
                dialogue: d.id.clone(),
                country: d.country.clone(),
                number,
                nominal_earliest: nominal.earliest,
                nominal_latest: nominal.latest,
                due_earliest: due.earliest,
                due_latest: due.latest,
                consultation_earliest: sub_days(nominal.earliest, weeks),
                consultation_latest: sub_days(nominal.latest, 1)
                    .max(sub_days(nominal.earliest, weeks)),
                phase,
                days_overdue: (phase == Phase::Overdue).then(|| days(due.latest, as_of)),
                projected: true,
                basis: format!("{name}: {cadence} after {basis}"),
            });
            basis = if nominal.latest < as_of {
                format!("{as_of}, the earliest day {name}, not recorded by then, can take place")
            } else {
                format!("the projected {name}")
            };
            let next = Bounds {
                earliest: nominal.earliest.max(as_of),
                latest: nominal.latest.max(as_of),
            };
            if next.earliest <= anchor.earliest && next.latest <= anchor.latest {
                // The calendar has run out (dates saturate): nothing later can be projected.
                break;
            }
            anchor = next;
        }
        out
    }
}

// ---- stages -------------------------------------------------------------------------------------

impl Dataset {
    /// The five stages of one round's cycle (preparation, civil-society consultation, the round,
    /// follow-up, assessment), in cycle order: one record per recorded stage (a stage recorded
    /// twice, such as a consultation in Brussels and a local seminar, has two), and one with
    /// `known: false` for each stage nothing records. Seminars whose `prepares` names the round
    /// are its civil-society consultation.
    ///
    /// # Errors
    /// [`QueryError::UnknownRecord`] when no stored round has this id.
    pub fn stages_of(&self, round_id: &str) -> Result<Vec<StageRecord>, QueryError> {
        let round = self
            .rounds
            .iter()
            .find(|r| r.id == round_id)
            .ok_or_else(|| QueryError::UnknownRecord {
                what: "round",
                input: round_id.to_string(),
            })?;
        Ok(self.stage_records(round))
    }

    /// The stages of every stored round's cycle, round by round as [`Dataset::stages_of`] gives
    /// them.
    pub fn round_stages(&self) -> Vec<StageRecord> {
        self.rounds
            .iter()
            .flat_map(|r| self.stage_records(r))
            .collect()
    }

    fn stage_records(&self, round: &Round) -> Vec<StageRecord> {
        let country = self
            .dialogues
            .iter()
            .find(|d| d.id == round.dialogue)
            .map(|d| d.country.clone())
            .unwrap_or_default();
        let blank = |stage: CycleStage| StageRecord {
            round: round.id.clone(),
            dialogue: round.dialogue.clone(),
            country: country.clone(),
            round_number: round.number,
            stage,
            known: false,
            date: None,
            earliest: None,
            latest: None,
            precision: None,
            place: None,
            record: None,
            source: None,
            note: None,
        };
        let dated = |mut row: StageRecord, date: Option<&SourcedDate>| {
            if let Some(date) = date {
                let b = date.bounds();
                row.date = Some(date.display());
                row.earliest = Some(b.earliest);
                row.latest = Some(b.latest);
                row.precision = Some(date.precision());
            }
            row
        };
        let mut out = Vec::new();
        for stage in CycleStage::ALL {
            let before = out.len();
            if stage == CycleStage::Round {
                let mut row = blank(stage);
                row.known = true;
                row.place = round.place.clone();
                row.source = first_address(&round.sources);
                row.note = round.note.clone();
                out.push(dated(row, Some(&round.date)));
                continue;
            }
            for s in round.stages.iter().filter(|s| s.stage == stage) {
                let mut row = blank(stage);
                row.known = true;
                row.place = s.place.clone();
                row.source = first_address(&s.sources);
                row.note = s.note.clone();
                out.push(dated(row, s.date.as_ref()));
            }
            if stage == CycleStage::CivilSocietyConsultation {
                for s in self
                    .seminars
                    .iter()
                    .filter(|s| s.prepares.as_deref() == Some(round.id.as_str()))
                {
                    let mut row = blank(stage);
                    row.known = true;
                    row.place = s.place.clone();
                    row.record = Some(s.id.clone());
                    row.source = first_address(&s.sources);
                    row.note = Some(match (&s.title, s.scope) {
                        (Some(t), _) => format!("civil-society seminar: {t}"),
                        (None, SeminarScope::Regional) => "regional civil-society forum".into(),
                        (None, SeminarScope::Bilateral) => "civil-society seminar".into(),
                    });
                    out.push(dated(row, Some(&s.date)));
                }
            }
            if out.len() == before {
                out.push(blank(stage));
            }
        }
        out
    }
}

/// A one-line title of a round: `12th EU–Turkmenistan human rights dialogue`.
pub(crate) fn round_title(data: &Dataset, country: &str, number: Option<u32>) -> String {
    let name = data.country_name(country);
    match number {
        Some(n) => format!("{} EU–{name} human rights dialogue", ordinal(n)),
        None => format!("EU–{name} human rights dialogue"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn months_clamp_to_the_end_of_shorter_months() {
        assert_eq!(add_months(ymd(2024, 1, 31), 1), ymd(2024, 2, 29));
        assert_eq!(add_months(ymd(2023, 1, 31), 1), ymd(2023, 2, 28));
        assert_eq!(add_months(NaiveDate::MAX, 1), NaiveDate::MAX);
    }

    #[test]
    fn phases_of_an_exact_anchor() {
        let a = Bounds::day(ymd(2020, 6, 18));
        let at = |d| phases_for(a, d, 9, 15);
        assert_eq!(at(ymd(2021, 3, 17)), vec![Phase::OnSchedule]);
        assert_eq!(at(ymd(2021, 3, 18)), vec![Phase::Due]);
        assert_eq!(at(ymd(2021, 9, 18)), vec![Phase::Due]);
        assert_eq!(at(ymd(2021, 9, 19)), vec![Phase::Overdue]);
    }

    #[test]
    fn phases_of_a_year_anchor_cover_every_reading() {
        let a = Bounds {
            earliest: ymd(2019, 1, 1),
            latest: ymd(2019, 12, 31),
        };
        // 1 March 2020: due if the round was before June 2019, on schedule otherwise.
        let mut p = phases_for(a, ymd(2020, 3, 1), 9, 15);
        p.sort();
        assert_eq!(p, vec![Phase::OnSchedule, Phase::Due]);
        // 1 June 2020: overdue if in January–February 2019, on schedule if after August 2019.
        let mut p = phases_for(a, ymd(2020, 6, 1), 9, 15);
        p.sort();
        assert_eq!(p, vec![Phase::OnSchedule, Phase::Due, Phase::Overdue]);
        // 15 October 2020: no reading is still on schedule.
        let mut p = phases_for(a, ymd(2020, 10, 15), 9, 15);
        p.sort();
        assert_eq!(p, vec![Phase::Due, Phase::Overdue]);
    }

    #[test]
    fn with_no_tolerance_due_may_be_skipped_between_two_days() {
        // Readings 30 and 31 January; the window is the single day a month later.
        let a = Bounds {
            earliest: ymd(2023, 1, 30),
            latest: ymd(2023, 1, 31),
        };
        // Both readings land on 28 February: due on that day.
        assert_eq!(phases_for(a, ymd(2023, 2, 28), 1, 1), vec![Phase::Due]);
        let mut p = phases_for(a, ymd(2023, 3, 1), 1, 1);
        p.sort();
        assert_eq!(p, vec![Phase::Overdue]);
    }

    #[test]
    fn gap_statistics_respect_runs_of_derived_rounds() {
        // One gap of 10 days, and a run of two gaps that together span 30 days.
        let stats = GapStats {
            gaps: vec![(10, 10)],
            runs: vec![(2, 30, 30)],
        };
        assert_eq!(stats.count(), 3);
        // Shortest: 1 (1 + 29), at most 10. Longest: at least 15 (15 + 15), at most 29.
        assert_eq!(stats.order(1), (1, 10));
        assert_eq!(stats.order(3), (15, 29));
        // Median: 10 (with 1 + 29) to 15 (with 15 + 15).
        assert_eq!(stats.order(2), (10, 15));
        let mut row = Regularity::empty(Scope::Dialogue);
        stats.fill(&mut row);
        assert_eq!(row.median_days_min, Some(10.0));
        assert_eq!(row.longest_days_max, Some(29));
        // Without runs the bounds are those of the gaps.
        let plain = GapStats {
            gaps: vec![(5, 8), (1, 1), (20, 30), (9, 9)],
            runs: Vec::new(),
        };
        assert_eq!(plain.order(1), (1, 1));
        assert_eq!(plain.order(2), (5, 8));
        assert_eq!(plain.order(3), (9, 9));
        assert_eq!(plain.order(4), (20, 30));
    }

    #[test]
    fn lifecycle_states_follow_the_changes() {
        let change = |c: Lifecycle, d: &str| crate::model::LifecycleChange {
            change: c,
            date: crate::disputed::Disputable::Agreed(Date::parse(d).unwrap()),
            sources: Vec::new(),
            note: None,
        };
        let data = Dataset::embedded().unwrap();
        let mut d = data.dialogue("KZ").unwrap().clone();
        d.lifecycle = vec![
            change(Lifecycle::Suspended, "2012"),
            change(Lifecycle::Resumed, "2013-05-02"),
        ];
        let (states, reasons) = lifecycle_states(&d, ymd(2011, 6, 1));
        assert_eq!(states, vec![Life::Active { resumed: None }]);
        assert!(reasons.is_empty());
        let (states, reasons) = lifecycle_states(&d, ymd(2012, 6, 1));
        assert_eq!(
            states,
            vec![Life::Active { resumed: None }, Life::Suspended]
        );
        assert_eq!(reasons, vec!["the suspension is dated only `2012`"]);
        let (states, _) = lifecycle_states(&d, ymd(2013, 6, 1));
        assert_eq!(
            states,
            vec![Life::Active {
                resumed: Some(Bounds::day(ymd(2013, 5, 2)))
            }]
        );
    }

    #[test]
    fn timing_compares_a_gap_with_the_cadence() {
        let d = |y, m, dd| Bounds::day(ymd(y, m, dd));
        assert_eq!(timing(d(2020, 6, 18), d(2021, 7, 6), 9, 15), Timing::OnTime);
        assert_eq!(
            timing(d(2023, 12, 18), d(2024, 6, 25), 9, 15),
            Timing::Early
        );
        assert_eq!(timing(d(2021, 12, 2), d(2023, 3, 9), 9, 15), Timing::Late);
        let y2019 = Bounds {
            earliest: ymd(2019, 1, 1),
            latest: ymd(2019, 12, 31),
        };
        assert_eq!(timing(d(2018, 6, 21), y2019, 9, 15), Timing::CannotTell);
    }
}
