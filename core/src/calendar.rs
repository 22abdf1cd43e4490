//! The dialogues in a calendar: rounds, seminars, due windows and projected rounds as iCalendar
//! (RFC 5545), written with the `icalendar` crate.
//!
//! Every event is an all-day event (`DTSTART;VALUE=DATE`, `DTEND` the day after the last, as RFC
//! 5545 wants) with a UID made from the record's id (`hrd-kz/1@euca`), so importing a newer
//! export updates the events instead of duplicating them. Dates keep their sources' precision:
//!
//! | the source gives | the event | in the summary | properties |
//! |---|---|---|---|
//! | a day, or days (`2007-05-08/2007-05-09`) | those days | – | `X-EUCA-PRECISION:day` |
//! | a month (`2008-06`) | the whole month, never pinned to the 1st | "known only to the month: 2008-06" | `X-EUCA-PRECISION:month` |
//! | a year (`2019`) | the whole year | "known only to the year: 2019" | `X-EUCA-PRECISION:year` |
//! | one of several dates (`[2024-10-17,2025-10-17]`) | one event per date, UIDs `…#1@euca`, `…#2@euca` | "one of 2 possible dates: …" | `X-EUCA-ALTERNATIVE:1/2` |
//! | a disputed date (two sources, two dates) | one event per alternative, likewise | "sources disagree: … or …" | `X-EUCA-ALTERNATIVE`, `X-EUCA-DISPUTED:TRUE` |
//!
//! One event per alternative, rather than one spanning them all: a single event spanning
//! 17 October 2024 to 17 October 2025 would claim a year-long meeting, while two one-day events,
//! each saying it is one of two, show the days the sources allow. Rounds known only from the
//! numbering are not exported (no source dates them). Projected rounds (at their nominal date),
//! their due windows and their civil-society consultation windows come from [`Dataset::plan`]:
//! their summaries begin with "Projected:", they carry `X-EUCA-PROJECTED:TRUE` and
//! `STATUS:TENTATIVE`. Every event has `X-EUCA-KIND` and `X-EUCA-RECORD`, `LOCATION` from the
//! record's place, `URL` from its first source address, the sources in `DESCRIPTION`, and
//! `TRANSP:TRANSPARENT` (it does not make anyone busy). `DTSTAMP` is midnight UTC of `as_of`, so
//! two exports with the same filter are identical.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveTime};
use icalendar::{Calendar, Component, EventLike, EventStatus, Property};
use serde::{Deserialize, Serialize};

use crate::cycle::{Phase, PlanItem, PlanOptions, round_title};
use crate::dataset::Dataset;
use crate::date::{Bounds, Date, Precision};
use crate::error::QueryError;
use crate::model::{Source, SourcedDate};
use crate::query::{EventKind, Period};

/// What a calendar event shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalendarKind {
    /// A round a source dates.
    Round,
    /// A civil-society seminar or forum.
    Seminar,
    /// The window in which a projected round is due.
    DueWindow,
    /// A projected round, at its nominal date.
    ProjectedRound,
    /// The civil-society consultation window before a projected round.
    ConsultationWindow,
}

impl CalendarKind {
    /// The kind's name in the documents and in `X-EUCA-KIND` (`due_window`).
    pub fn as_str(self) -> &'static str {
        match self {
            CalendarKind::Round => "round",
            CalendarKind::Seminar => "seminar",
            CalendarKind::DueWindow => "due_window",
            CalendarKind::ProjectedRound => "projected_round",
            CalendarKind::ConsultationWindow => "consultation_window",
        }
    }
}

/// What to put in a calendar. The default: every kind of event, for all five countries, at all
/// times, projected from today (UTC) one year ahead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CalendarFilter {
    /// Countries (codes or names, as [`Dataset::country`] takes them); empty: all.
    pub countries: Vec<String>,
    /// Only events that overlap this period (default: all of time).
    pub period: Period,
    /// Rounds the sources date.
    pub rounds: bool,
    /// Civil-society seminars and fora.
    pub seminars: bool,
    /// The due window of each projected round.
    pub due_windows: bool,
    /// Projected rounds at their nominal date.
    pub projected_rounds: bool,
    /// The civil-society consultation window before each projected round.
    pub consultations: bool,
    /// The day projections start from and the calendar's `DTSTAMP` (absent: today in UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<NaiveDate>,
    /// How far ahead to project, and how long before each round to consult civil society.
    pub plan: PlanOptions,
}

impl Default for CalendarFilter {
    fn default() -> CalendarFilter {
        CalendarFilter {
            countries: Vec::new(),
            period: Period::all(),
            rounds: true,
            seminars: true,
            due_windows: true,
            projected_rounds: true,
            consultations: true,
            as_of: None,
            plan: PlanOptions::default(),
        }
    }
}

/// One event of the calendar, as a flat record (what [`Dataset::to_ical`] writes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarEvent {
    /// The iCalendar UID, stable across exports (`hrd-kz/1@euca`).
    pub uid: String,
    /// What the event shows.
    pub kind: CalendarKind,
    /// The id of the record (or plan item) it comes from.
    pub record: String,
    /// The country (ISO alpha-2).
    pub country: String,
    /// The event's summary (title), with its precision or alternatives.
    pub summary: String,
    /// The first day of the all-day event.
    pub first_day: NaiveDate,
    /// The last day of the all-day event (included; `DTEND` is the day after).
    pub last_day: NaiveDate,
    /// How finely the source dates it (absent for projected events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<Precision>,
    /// The date of this event as the source gives it (EDTF), for recorded events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Which of several possible dates this is (1-based), when the record has several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative: Option<u32>,
    /// How many possible dates the record has (1 for most).
    pub alternatives: u32,
    /// True when the alternatives come from sources that disagree.
    pub disputed: bool,
    /// True for projected rounds, due windows and consultation windows.
    pub projected: bool,
    /// Where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The first source address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The longer text: date as given, sources, note.
    pub description: String,
}

/// The days a calendar event covers for each possible reading of a date: (span, precision,
/// EDTF of that reading).
fn readings(date: &SourcedDate) -> Vec<(Bounds, Precision, String)> {
    date.values()
        .into_iter()
        .flat_map(|d| match d {
            Date::Point(p) => vec![(p.bounds(), p.precision(), p.to_string())],
            Date::Interval { .. } => vec![(d.bounds(), d.precision(), d.to_string())],
            Date::OneOf(points) => points
                .iter()
                .map(|p| (p.bounds(), p.precision(), p.to_string()))
                .collect(),
        })
        .collect()
}

fn precision_word(p: Precision) -> &'static str {
    match p {
        Precision::Year => "year",
        Precision::Month => "month",
        Precision::Day => "day",
    }
}

fn describe_sources(sources: &[Source]) -> Vec<String> {
    sources
        .iter()
        .map(|s| {
            let at = s.address.as_deref().or(s.document.as_deref()).unwrap_or("");
            match &s.locator {
                Some(l) => format!("Source: {} — {at} ({l})", s.title),
                None => format!("Source: {} — {at}", s.title),
            }
        })
        .collect()
}

fn day_after(d: NaiveDate) -> NaiveDate {
    d.succ_opt().unwrap_or(d)
}

/// A recorded round or seminar, to be turned into events.
struct Recorded<'a> {
    kind: CalendarKind,
    id: &'a str,
    country: &'a str,
    title: String,
    date: &'a SourcedDate,
    place: Option<&'a str>,
    sources: Vec<Source>,
    note: Option<&'a str>,
}

impl Recorded<'_> {
    fn events(&self) -> Vec<CalendarEvent> {
        let all = readings(self.date);
        let n = u32::try_from(all.len()).unwrap_or(u32::MAX);
        let disputed = self.date.is_disputed();
        let url = self.sources.iter().find_map(|s| s.address.clone());
        let mut lines = vec![
            self.title.clone(),
            format!("Date as the sources give it: {}", self.date.display()),
        ];
        if let crate::disputed::Disputable::Disputed(d) = self.date {
            lines.push(format!("The sources disagree: {}", d.note));
        }
        lines.extend(describe_sources(&self.sources));
        if let Some(note) = self.note {
            lines.push(format!("Note: {note}"));
        }
        lines.push(format!("euca record: {}", self.id));
        let description = lines.join("\n");
        all.into_iter()
            .enumerate()
            .map(|(i, (span, precision, edtf))| {
                let k = u32::try_from(i + 1).unwrap_or(u32::MAX);
                let mut summary = self.title.clone();
                if precision != Precision::Day {
                    summary.push_str(&format!(
                        " (known only to the {}: {edtf})",
                        precision_word(precision)
                    ));
                }
                if n > 1 {
                    summary.push_str(&if disputed {
                        format!(" (sources disagree: {})", self.date.display())
                    } else {
                        format!(
                            " (one of {n} possible dates: {})",
                            self.date
                                .display()
                                .trim_matches(['[', ']'])
                                .replace(',', " or ")
                        )
                    });
                }
                CalendarEvent {
                    uid: if n > 1 {
                        format!("{}#{k}@euca", self.id)
                    } else {
                        format!("{}@euca", self.id)
                    },
                    kind: self.kind,
                    record: self.id.to_string(),
                    country: self.country.to_string(),
                    summary,
                    first_day: span.earliest,
                    last_day: span.latest,
                    precision: Some(precision),
                    date: Some(edtf),
                    alternative: (n > 1).then_some(k),
                    alternatives: n,
                    disputed,
                    projected: false,
                    place: self.place.map(str::to_string),
                    url: url.clone(),
                    description: description.clone(),
                }
            })
            .collect()
    }
}

impl Dataset {
    /// The events a calendar with this filter holds, as flat records, oldest first (see the
    /// [module docs](crate::calendar) for how partial, one-of and disputed dates become events).
    ///
    /// # Errors
    /// [`QueryError::UnknownCountry`] for a country in the filter that the dataset does not know.
    pub fn calendar_events(
        &self,
        filter: &CalendarFilter,
    ) -> Result<Vec<CalendarEvent>, QueryError> {
        let mut wanted: BTreeSet<String> = BTreeSet::new();
        for c in &filter.countries {
            wanted.insert(self.country(c)?.id.clone());
        }
        let keep_country = |code: &str| wanted.is_empty() || wanted.contains(code);
        let period = filter.period.bounds();
        let as_of = filter.as_of.unwrap_or_else(today);
        let mut out: Vec<CalendarEvent> = Vec::new();
        let titles: Vec<(String, String)> = self
            .timeline()
            .into_iter()
            .filter(|e| matches!(e.kind, EventKind::Round | EventKind::Seminar))
            .map(|e| (e.record, e.title))
            .collect();
        let title_of = |id: &str| {
            titles
                .iter()
                .find(|(r, _)| r == id)
                .map(|(_, t)| t.clone())
                .unwrap_or_else(|| id.to_string())
        };
        if filter.rounds {
            for r in self.rounds.iter() {
                let Some(d) = self.dialogues.iter().find(|d| d.id == r.dialogue) else {
                    continue;
                };
                if !keep_country(&d.country) {
                    continue;
                }
                out.extend(
                    Recorded {
                        kind: CalendarKind::Round,
                        id: &r.id,
                        country: &d.country,
                        title: title_of(&r.id),
                        date: &r.date,
                        place: r.place.as_deref(),
                        sources: all_sources(&r.date, &r.sources),
                        note: r.note.as_deref(),
                    }
                    .events(),
                );
            }
        }
        if filter.seminars {
            for s in self.seminars.iter().filter(|s| keep_country(&s.country)) {
                out.extend(
                    Recorded {
                        kind: CalendarKind::Seminar,
                        id: &s.id,
                        country: &s.country,
                        title: title_of(&s.id),
                        date: &s.date,
                        place: s.place.as_deref(),
                        sources: all_sources(&s.date, &s.sources),
                        note: s.note.as_deref(),
                    }
                    .events(),
                );
            }
        }
        if filter.due_windows || filter.projected_rounds || filter.consultations {
            for item in self
                .plan(as_of, &filter.plan)
                .iter()
                .filter(|p| keep_country(&p.country))
            {
                out.extend(self.projected_events(item, filter));
            }
        }
        out.retain(|e| e.last_day >= period.earliest && e.first_day <= period.latest);
        out.sort_by(|a, b| {
            (a.first_day, a.last_day, a.kind, &a.uid).cmp(&(
                b.first_day,
                b.last_day,
                b.kind,
                &b.uid,
            ))
        });
        Ok(out)
    }

    fn projected_events(&self, item: &PlanItem, filter: &CalendarFilter) -> Vec<CalendarEvent> {
        let title = round_title(self, &item.country, item.number);
        let state = match item.phase {
            Phase::Overdue => format!(
                " — overdue by {} days",
                item.days_overdue.unwrap_or_default()
            ),
            Phase::Due => " — due now".to_string(),
            _ => String::new(),
        };
        let description = [
            "Projected by euca from the dialogue's cadence; no source reports this round."
                .to_string(),
            format!("Basis: {}", item.basis),
            format!(
                "Nominal date: {} to {}",
                item.nominal_earliest, item.nominal_latest
            ),
            format!("Due: {} to {}", item.due_earliest, item.due_latest),
            format!(
                "Consult civil society: {} to {}",
                item.consultation_earliest, item.consultation_latest
            ),
            format!("euca plan item: {}", item.id),
        ]
        .join("\n");
        let event =
            |kind: CalendarKind, suffix: &str, summary: String, first, last| CalendarEvent {
                uid: format!("{}{suffix}@euca", item.id),
                kind,
                record: item.id.clone(),
                country: item.country.clone(),
                summary,
                first_day: first,
                last_day: last,
                precision: None,
                date: None,
                alternative: None,
                alternatives: 1,
                disputed: false,
                projected: true,
                place: None,
                url: None,
                description: description.clone(),
            };
        let mut out = Vec::new();
        if filter.projected_rounds {
            out.push(event(
                CalendarKind::ProjectedRound,
                "",
                format!("Projected: {title}{state}"),
                item.nominal_earliest,
                item.nominal_latest,
            ));
        }
        if filter.due_windows {
            out.push(event(
                CalendarKind::DueWindow,
                "/due",
                format!("Projected: {title} due{state}"),
                item.due_earliest,
                item.due_latest,
            ));
        }
        if filter.consultations {
            out.push(event(
                CalendarKind::ConsultationWindow,
                "/consultation",
                format!("Projected: civil-society consultation before the {title}"),
                item.consultation_earliest,
                item.consultation_latest,
            ));
        }
        out
    }

    /// The calendar as iCalendar text (RFC 5545): every event of
    /// [`Dataset::calendar_events`], all-day, with stable UIDs (see the
    /// [module docs](crate::calendar)).
    ///
    /// # Errors
    /// As [`Dataset::calendar_events`].
    ///
    /// ```
    /// use euca::{CalendarFilter, Dataset};
    ///
    /// let data = Dataset::embedded()?;
    /// let filter = CalendarFilter {
    ///     countries: vec!["TM".into()],
    ///     due_windows: false,
    ///     projected_rounds: false,
    ///     consultations: false,
    ///     ..CalendarFilter::default()
    /// };
    /// let ics = data.to_ical(&filter)?;
    /// assert!(ics.starts_with("BEGIN:VCALENDAR"));
    /// // The first structured round is known only to the month: the whole of June 2008.
    /// assert!(ics.contains("DTSTART;VALUE=DATE:20080601"));
    /// assert!(ics.contains("DTEND;VALUE=DATE:20080701"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_ical(&self, filter: &CalendarFilter) -> Result<String, QueryError> {
        let events = self.calendar_events(filter)?;
        let as_of = filter.as_of.unwrap_or_else(today);
        let stamp = as_of.and_time(NaiveTime::MIN).and_utc();
        let mut calendar = Calendar::empty();
        for (key, value) in [
            ("VERSION", "2.0".to_string()),
            (
                "PRODID",
                format!("-//euca//euca {}//EN", env!("CARGO_PKG_VERSION")),
            ),
            ("CALSCALE", "GREGORIAN".to_string()),
            ("METHOD", "PUBLISH".to_string()),
            (
                "X-WR-CALNAME",
                "EU–Central Asia human rights dialogues (euca)".to_string(),
            ),
            ("X-EUCA-DATASET-VERSION", self.version.clone()),
        ] {
            calendar.append_property(Property::new(key, value));
        }
        for e in &events {
            let mut event = icalendar::Event::new();
            event
                .uid(&e.uid)
                .timestamp(stamp)
                .summary(&e.summary)
                .description(&e.description)
                .starts(e.first_day)
                .ends(day_after(e.last_day))
                .status(if e.projected {
                    EventStatus::Tentative
                } else {
                    EventStatus::Confirmed
                })
                .add_property("TRANSP", "TRANSPARENT")
                .add_property("X-EUCA-KIND", e.kind.as_str())
                .add_property("X-EUCA-RECORD", &e.record);
            if let Some(place) = &e.place {
                event.location(place);
            }
            if let Some(url) = &e.url {
                event.url(url);
            }
            if let Some(p) = e.precision {
                event.add_property("X-EUCA-PRECISION", precision_word(p));
            }
            if let Some(date) = &e.date {
                event.add_property("X-EUCA-DATE", date);
            }
            if let Some(k) = e.alternative {
                event.add_property("X-EUCA-ALTERNATIVE", format!("{k}/{}", e.alternatives));
            }
            if e.disputed {
                event.add_property("X-EUCA-DISPUTED", "TRUE");
            }
            if e.projected {
                event.add_property("X-EUCA-PROJECTED", "TRUE");
            }
            calendar.push(event.done());
        }
        Ok(calendar.done().to_string())
    }
}

/// Today in UTC.
fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

fn all_sources(date: &SourcedDate, own: &[Source]) -> Vec<Source> {
    let mut sources = own.to_vec();
    if let crate::disputed::Disputable::Disputed(dispute) = date {
        for alternative in &dispute.alternatives {
            for s in &alternative.sources {
                if !sources.contains(s) {
                    sources.push(s.clone());
                }
            }
        }
    }
    sources
}
