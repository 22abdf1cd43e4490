//! The questions a researcher asks of the dataset.
//!
//! Queries return plain records (flat, serialisable, one row each) so that a DataFrame takes them
//! as they are. Dates in results carry their precision and their first and last possible day; where
//! the sources leave an answer open, the result says so instead of guessing.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::date::{Bounds, Date, Precision, Relation};
use crate::disputed::Disputable;
use crate::error::QueryError;
use crate::model::{
    Attendance, Country, Dialogue, FormatChange, Inferred, PartyKind, Round, Setting, Source,
    SourcedDate,
};

/// A span of time to search in: both ends included, either end open.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// From the first day of this date (open when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// To the last day of this date (open when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
}

impl Period {
    /// All of time.
    pub fn all() -> Period {
        Period::default()
    }

    /// From the first day of `from` to the last day of `to`.
    pub fn between(from: Date, to: Date) -> Period {
        Period {
            from: Some(from),
            to: Some(to),
        }
    }

    /// The days a date covers: `2008` is the whole year, `2008/2010` three years.
    pub fn of(date: Date) -> Period {
        Period {
            from: Some(date.clone()),
            to: Some(date),
        }
    }

    /// From a date on.
    pub fn since(from: Date) -> Period {
        Period {
            from: Some(from),
            to: None,
        }
    }

    /// Up to a date.
    pub fn until(to: Date) -> Period {
        Period {
            from: None,
            to: Some(to),
        }
    }

    /// The first and last day of the period.
    pub fn bounds(&self) -> Bounds {
        Bounds {
            earliest: self.from.as_ref().map_or(NaiveDate::MIN, |d| d.earliest()),
            latest: self.to.as_ref().map_or(NaiveDate::MAX, |d| d.latest()),
        }
    }
}

impl From<Date> for Period {
    fn from(date: Date) -> Period {
        Period::of(date)
    }
}

/// Whether a record falls in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Within {
    /// Every day its date allows lies in the period.
    Certainly,
    /// Some days its date allows lie in the period, some do not: the sources do not settle it.
    Possibly,
}

/// The spans of days a sourced date allows: one per point of a one-of set or alternative.
fn spans(date: &SourcedDate) -> Vec<Bounds> {
    date.values()
        .into_iter()
        .flat_map(|d| match d {
            Date::OneOf(points) => points.iter().map(|p| p.bounds()).collect(),
            other => vec![other.bounds()],
        })
        .collect()
}

fn within(spans: &[Bounds], period: Bounds) -> Option<Within> {
    let overlaps = |b: &Bounds| b.latest >= period.earliest && b.earliest <= period.latest;
    let inside = |b: &Bounds| b.earliest >= period.earliest && b.latest <= period.latest;
    if !spans.is_empty() && spans.iter().all(inside) {
        Some(Within::Certainly)
    } else if spans.iter().any(overlaps) {
        Some(Within::Possibly)
    } else {
        None
    }
}

/// One round of a dialogue as a flat record: a stored round, or one derived from the numbering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundRecord {
    /// The stored round's id; absent for a derived round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The dialogue's id.
    pub dialogue: String,
    /// The country (ISO alpha-2).
    pub country: String,
    /// Its number in the series, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// The date as the sources give it (EDTF; alternatives joined by ` or `); absent when derived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The first day it can have taken place.
    pub earliest: NaiveDate,
    /// The last day it can have taken place.
    pub latest: NaiveDate,
    /// How finely the date is known; absent when derived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<Precision>,
    /// True when no source dates it: it is known only because a later round has a higher number.
    pub derived: bool,
    /// True when sources disagree on its date.
    pub disputed: bool,
    /// Where it took place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// In person or by videoconference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendance: Option<Attendance>,
    /// The head of the EU delegation, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eu_lead: Option<String>,
    /// The head of the partner's delegation, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_lead: Option<String>,
    /// The agreement body (an id of a body) whose meeting the round was held within or beside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_with: Option<String>,
    /// That meeting's own number in the body's series (`18` for the 18th Sub-Committee).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_with_number: Option<u32>,
    /// Whether the round was held within that meeting or beside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_with_setting: Option<Setting>,
    /// Facts of the record that are inferred.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<Inferred>,
    /// Whether it falls in the period asked about (for period queries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<Within>,
    /// The sources; for a derived round, those of the numbered rounds that prove it.
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl RoundRecord {
    fn stored(round: &Round, country: &str) -> RoundRecord {
        let bounds = round.date.bounds();
        RoundRecord {
            id: Some(round.id.clone()),
            dialogue: round.dialogue.clone(),
            country: country.to_string(),
            number: round.number,
            date: Some(round.date.display()),
            earliest: bounds.earliest,
            latest: bounds.latest,
            precision: Some(round.date.precision()),
            derived: false,
            disputed: round.date.is_disputed(),
            place: round.place.clone(),
            attendance: round.attendance,
            eu_lead: round.leads.eu.clone(),
            partner_lead: round.leads.partner.clone(),
            held_with: round.held_with.as_ref().map(|m| m.body.clone()),
            held_with_number: round.held_with.as_ref().and_then(|m| m.number),
            held_with_setting: round.held_with.as_ref().map(|m| m.setting),
            inferred: round.inferred.clone(),
            within: None,
            sources: round.sources.clone(),
            note: round.note.clone(),
        }
    }
}

/// A seminar as a flat record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeminarRecord {
    /// The seminar's id.
    pub id: String,
    /// The host country (ISO alpha-2).
    pub country: String,
    /// The dialogue it feeds, for a bilateral seminar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialogue: Option<String>,
    /// `bilateral` or `regional`.
    pub scope: crate::model::SeminarScope,
    /// Its number in its series, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// Its title or topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The date as the sources give it (EDTF; alternatives joined by ` or `).
    pub date: String,
    /// The first day it can have taken place.
    pub earliest: NaiveDate,
    /// The last day it can have taken place.
    pub latest: NaiveDate,
    /// How finely the date is known (the coarsest alternative when disputed).
    pub precision: Precision,
    /// True when sources disagree on its date.
    pub disputed: bool,
    /// Where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Whether it falls in the period asked about (for period queries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<Within>,
    /// The sources (each alternative's too, when disputed).
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A format a dialogue may have had on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormatState {
    /// The dialogue type (`structured`, `ad_hoc` ...); absent: no dialogue yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialogue_type: Option<String>,
    /// The body it met in or beside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// How it met relative to that body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<Setting>,
    /// Since when (EDTF), for a format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Until when (EDTF): the date of the next change, if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// The sources of the format change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
}

/// The answer to "what format did this dialogue have on this date?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormatOn {
    /// The dialogue's id.
    pub dialogue: String,
    /// The country (ISO alpha-2).
    pub country: String,
    /// The date asked about (EDTF).
    pub on: String,
    /// True when exactly one state is possible.
    pub certain: bool,
    /// Every state the dates allow, oldest first (one when certain).
    pub possible: Vec<FormatState>,
    /// Why the answer is uncertain, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl FormatOn {
    /// The dialogue type when the answer is certain (`None` when uncertain or before the dialogue).
    pub fn dialogue_type(&self) -> Option<&str> {
        match self.possible.as_slice() {
            [only] => only.dialogue_type.as_deref(),
            _ => None,
        }
    }
}

/// What kind of event a timeline entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A strategy was adopted.
    StrategyAdopted,
    /// A strategy was reviewed or reported on.
    StrategyReviewed,
    /// An agreement was signed.
    AgreementSigned,
    /// An agreement entered into force.
    AgreementInForce,
    /// A dialogue was agreed.
    DialogueAgreed,
    /// A dialogue changed format.
    FormatChanged,
    /// A round of a dialogue took place.
    Round,
    /// A civil-society seminar took place.
    Seminar,
    /// An initiative was launched.
    InitiativeLaunched,
}

/// One entry of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The date as the sources give it (EDTF; alternatives joined by ` or `).
    pub date: String,
    /// The first day it can have happened.
    pub earliest: NaiveDate,
    /// The last day it can have happened.
    pub latest: NaiveDate,
    /// How finely the date is known.
    pub precision: Precision,
    /// True when sources disagree on the date.
    pub disputed: bool,
    /// What happened.
    pub kind: EventKind,
    /// The country concerned (ISO alpha-2), if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The id of the record it comes from.
    pub record: String,
    /// A one-line description.
    pub title: String,
    /// The sources.
    pub sources: Vec<Source>,
}

/// The answer to "has this country had a civil-society seminar before this date?", for a
/// country where the answer is not a plain yes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeminarGap {
    /// The country (ISO alpha-2).
    pub country: String,
    /// Its name.
    pub name: String,
    /// True when a recorded seminar may have been before the date (its date is too coarse or
    /// disputed); false when no recorded seminar was.
    pub cannot_tell: bool,
    /// The ids of the seminars that may have been before the date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub maybe_before: Vec<String>,
}

/// What kind of record serves a strategy priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServingKind {
    /// A human rights dialogue.
    Dialogue,
    /// An initiative.
    Initiative,
    /// A funding instrument.
    Instrument,
    /// A kind of project.
    ProjectKind,
}

/// A record that serves a strategy priority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Serving {
    /// What kind of record.
    pub kind: ServingKind,
    /// Its id.
    pub id: String,
    /// Its name or description.
    pub title: String,
}

fn add_days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(d)
}

fn sub_days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(n)).unwrap_or(d)
}

fn all_sources(date: &SourcedDate, own: &[Source]) -> Vec<Source> {
    let mut sources = own.to_vec();
    if let Disputable::Disputed(dispute) = date {
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

impl Dataset {
    /// A country by ISO 3166 alpha-2 or alpha-3 code or by name (any case): `KG`, `KGZ`,
    /// `Kyrgyzstan` and `Kyrgyz Republic` all find the same record.
    ///
    /// # Errors
    /// [`QueryError::UnknownCountry`] when nothing matches.
    pub fn country(&self, code_or_name: &str) -> Result<&Country, QueryError> {
        let wanted = code_or_name.trim();
        self.countries
            .iter()
            .find(|c| {
                c.id.eq_ignore_ascii_case(wanted)
                    || c.alpha3
                        .as_deref()
                        .is_some_and(|a| a.eq_ignore_ascii_case(wanted))
                    || c.name.eq_ignore_ascii_case(wanted)
                    || c.other_names.iter().any(|n| n.eq_ignore_ascii_case(wanted))
            })
            .ok_or_else(|| QueryError::UnknownCountry {
                input: code_or_name.to_string(),
            })
    }

    /// The five Central Asian states (without the EU), in dataset order.
    pub fn central_asian_states(&self) -> Vec<&Country> {
        self.countries
            .iter()
            .filter(|c| c.kind == PartyKind::CentralAsianState)
            .collect()
    }

    /// A country's human rights dialogue, by country code or name, or by the dialogue's id.
    ///
    /// # Errors
    /// [`QueryError::UnknownCountry`] for an unknown country; [`QueryError::UnknownRecord`] for a
    /// country without a dialogue (the EU).
    pub fn dialogue(&self, country_or_id: &str) -> Result<&Dialogue, QueryError> {
        if let Some(d) = self.dialogues.iter().find(|d| d.id == country_or_id) {
            return Ok(d);
        }
        let country = self.country(country_or_id)?;
        self.dialogues
            .iter()
            .find(|d| d.country == country.id)
            .ok_or_else(|| QueryError::UnknownRecord {
                what: "dialogue",
                input: country_or_id.to_string(),
            })
    }

    fn country_of_dialogue(&self, dialogue: &str) -> String {
        self.dialogues
            .iter()
            .find(|d| d.id == dialogue)
            .map(|d| d.country.clone())
            .unwrap_or_default()
    }

    /// Every round of a dialogue, stored and derived, in order of number then date.
    ///
    /// A round is derived when a later round's number proves it took place although no source
    /// dates it; its first and last possible day follow from its neighbours (it came after the
    /// round before and before the round after).
    ///
    /// # Errors
    /// As [`Dataset::dialogue`].
    pub fn rounds_of(&self, country_or_id: &str) -> Result<Vec<RoundRecord>, QueryError> {
        let dialogue = self.dialogue(country_or_id)?;
        Ok(self.dialogue_rounds(dialogue))
    }

    /// The first day a dialogue can have existed: the earlier of its agreement and first format.
    fn dialogue_start(dialogue: &Dialogue) -> NaiveDate {
        dialogue
            .agreed
            .iter()
            .chain(dialogue.formats.first().map(|f| &f.from))
            .map(|d| d.bounds().earliest)
            .min()
            .unwrap_or(NaiveDate::MIN)
    }

    fn dialogue_rounds(&self, dialogue: &Dialogue) -> Vec<RoundRecord> {
        let stored: Vec<&Round> = self
            .rounds
            .iter()
            .filter(|r| r.dialogue == dialogue.id)
            .collect();
        let mut records: Vec<RoundRecord> = stored
            .iter()
            .map(|r| RoundRecord::stored(r, &dialogue.country))
            .collect();
        let mut numbered: Vec<&Round> = stored
            .iter()
            .copied()
            .filter(|r| r.number.is_some())
            .collect();
        numbered.sort_by_key(|r| r.number);
        let mut derived = Vec::new();
        let mut previous: Option<&Round> = None;
        for next in numbered {
            let Some(n_next) = next.number else { continue };
            let n_prev = previous.and_then(|p| p.number).unwrap_or(0);
            for k in (n_prev + 1)..n_next {
                let earliest = match previous {
                    Some(p) => add_days(p.date.bounds().earliest, u64::from(k - n_prev)),
                    None => Self::dialogue_start(dialogue),
                };
                let latest = sub_days(next.date.bounds().latest, u64::from(n_next - k));
                let mut sources = previous.map(|p| p.sources.clone()).unwrap_or_default();
                for s in &next.sources {
                    if !sources.contains(s) {
                        sources.push(s.clone());
                    }
                }
                let note = match previous {
                    Some(p) => format!(
                        "known only from the numbering: round {k} falls between round {} ({}) and round {n_next} ({})",
                        n_prev,
                        p.date.display(),
                        next.date.display()
                    ),
                    None => format!(
                        "known only from the numbering: round {k} came before round {n_next} ({})",
                        next.date.display()
                    ),
                };
                derived.push(RoundRecord {
                    id: None,
                    dialogue: dialogue.id.clone(),
                    country: dialogue.country.clone(),
                    number: Some(k),
                    date: None,
                    earliest,
                    latest: latest.max(earliest),
                    precision: None,
                    derived: true,
                    disputed: false,
                    place: None,
                    attendance: None,
                    eu_lead: None,
                    partner_lead: None,
                    held_with: None,
                    held_with_number: None,
                    held_with_setting: None,
                    inferred: Vec::new(),
                    within: None,
                    sources,
                    note: Some(note),
                });
            }
            previous = Some(next);
        }
        records.extend(derived);
        records.extend(self.meetings_known_by_number(dialogue, &stored));
        records.sort_by_key(|r| (r.earliest, r.number, r.latest));
        records
    }

    /// Rounds known only from the numbering of the body a dialogue meets *within*: Uzbekistan's
    /// dialogue is held within the PCA Sub-Committee, so the Sub-Committee's 16th meeting, between
    /// its recorded 15th (2019) and 17th (2021), was a round too, though no source dates it.
    fn meetings_known_by_number(&self, dialogue: &Dialogue, stored: &[&Round]) -> Vec<RoundRecord> {
        let mut within: Vec<(&str, u32, &Round)> = stored
            .iter()
            // Only rounds without a number of their own: where the dialogue numbers its rounds,
            // that numbering already derives the missing ones, and the body's meetings between
            // two numbered rounds would count them twice.
            .filter(|r| r.number.is_none())
            .filter_map(|r| {
                let m = r.held_with.as_ref()?;
                (m.setting == Setting::Within).then_some((m.body.as_str(), m.number?, *r))
            })
            .collect();
        within.sort_by_key(|(body, n, _)| (*body, *n));
        let mut out = Vec::new();
        for pair in within.windows(2) {
            let [(body_a, m_a, a), (body_b, m_b, b)] = pair else {
                continue;
            };
            if body_a != body_b || m_b <= m_a {
                continue;
            }
            let body = self
                .bodies
                .iter()
                .find(|x| x.id == *body_a)
                .map_or_else(|| (*body_a).to_string(), |x| x.name.clone());
            for k in (m_a + 1)..*m_b {
                let mut sources = a.sources.clone();
                for s in &b.sources {
                    if !sources.contains(s) {
                        sources.push(s.clone());
                    }
                }
                let earliest = add_days(a.date.bounds().earliest, u64::from(k - m_a));
                let latest = sub_days(b.date.bounds().latest, u64::from(m_b - k));
                out.push(RoundRecord {
                    id: None,
                    dialogue: dialogue.id.clone(),
                    country: dialogue.country.clone(),
                    number: None,
                    date: None,
                    earliest,
                    latest: latest.max(earliest),
                    precision: None,
                    derived: true,
                    disputed: false,
                    place: None,
                    attendance: None,
                    eu_lead: None,
                    partner_lead: None,
                    held_with: Some((*body_a).to_string()),
                    held_with_number: Some(k),
                    held_with_setting: Some(Setting::Within),
                    inferred: Vec::new(),
                    within: None,
                    sources,
                    note: Some(format!(
                        "known only from the numbering of the {body}'s meetings, within which the dialogue is held: meeting {k} falls between meeting {m_a} ({}) and meeting {m_b} ({})",
                        a.date.display(),
                        b.date.display()
                    )),
                });
            }
        }
        out
    }

    /// Every round of every dialogue (stored and derived) that falls, certainly or possibly, in a
    /// period; each record says which in `within`.
    pub fn rounds_in(&self, period: &Period) -> Vec<RoundRecord> {
        let range = period.bounds();
        let mut out = Vec::new();
        for dialogue in self.dialogues.iter() {
            for mut record in self.dialogue_rounds(dialogue) {
                let record_spans = match &record.id {
                    Some(id) => self
                        .rounds
                        .iter()
                        .find(|r| &r.id == id)
                        .map(|r| spans(&r.date))
                        .unwrap_or_default(),
                    None => vec![Bounds {
                        earliest: record.earliest,
                        latest: record.latest,
                    }],
                };
                if let Some(w) = within(&record_spans, range) {
                    record.within = Some(w);
                    out.push(record);
                }
            }
        }
        out.sort_by(|a, b| (a.earliest, &a.country).cmp(&(b.earliest, &b.country)));
        out
    }

    /// Every seminar, oldest first.
    pub fn seminar_records(&self) -> Vec<SeminarRecord> {
        self.seminars_in(&Period::all())
            .into_iter()
            .map(|mut s| {
                s.within = None;
                s
            })
            .collect()
    }

    /// The seminars that fall, certainly or possibly, in a period; each says which in `within`.
    pub fn seminars_in(&self, period: &Period) -> Vec<SeminarRecord> {
        let range = period.bounds();
        let mut out: Vec<SeminarRecord> = self
            .seminars
            .iter()
            .filter_map(|s| {
                let w = within(&spans(&s.date), range)?;
                let bounds = s.date.bounds();
                Some(SeminarRecord {
                    id: s.id.clone(),
                    country: s.country.clone(),
                    dialogue: s.dialogue.clone(),
                    scope: s.scope,
                    number: s.number,
                    title: s.title.clone(),
                    date: s.date.display(),
                    earliest: bounds.earliest,
                    latest: bounds.latest,
                    precision: s.date.precision(),
                    disputed: s.date.is_disputed(),
                    place: s.place.clone(),
                    within: Some(w),
                    sources: all_sources(&s.date, &s.sources),
                    note: s.note.clone(),
                })
            })
            .collect();
        out.sort_by(|a, b| (a.earliest, a.latest, &a.id).cmp(&(b.earliest, b.latest, &b.id)));
        out
    }

    /// The Central Asian states that had no civil-society seminar (bilateral, of their dialogue)
    /// before a date; a state whose recorded seminar may or may not have been before it is listed
    /// with `cannot_tell`.
    pub fn countries_without_seminar_before(&self, date: &Date) -> Vec<SeminarGap> {
        let day = date.earliest();
        let mut out = Vec::new();
        for country in self.central_asian_states() {
            let mut certainly = false;
            let mut maybe = Vec::new();
            for s in self.seminars.iter().filter(|s| {
                s.country == country.id && s.scope == crate::model::SeminarScope::Bilateral
            }) {
                let spans = spans(&s.date);
                if spans.iter().all(|b| b.latest < day) {
                    certainly = true;
                } else if spans.iter().any(|b| b.earliest < date.latest()) {
                    maybe.push(s.id.clone());
                }
            }
            if !certainly {
                out.push(SeminarGap {
                    country: country.id.clone(),
                    name: country.name.clone(),
                    cannot_tell: !maybe.is_empty(),
                    maybe_before: maybe,
                });
            }
        }
        out
    }

    /// The format a country's dialogue had on a date. A partial date (`2008`) asks about some day
    /// within it; where a format change's date is too coarse to settle the answer, every possible
    /// format is returned and `certain` is false.
    ///
    /// # Errors
    /// As [`Dataset::dialogue`].
    pub fn format_on(&self, country_or_id: &str, on: &Date) -> Result<FormatOn, QueryError> {
        let dialogue = self.dialogue(country_or_id)?;
        let q = on.bounds();
        let formats: &[FormatChange] = &dialogue.formats;
        let mut possible = Vec::new();
        let mut reasons = Vec::new();
        if let Some(first) = formats.first() {
            let t0 = first.from.bounds();
            if q.earliest < t0.latest {
                possible.push(FormatState {
                    dialogue_type: None,
                    body: None,
                    setting: None,
                    since: None,
                    until: Some(first.from.display()),
                    sources: Vec::new(),
                });
            }
        }
        for (i, change) in formats.iter().enumerate() {
            let t = change.from.bounds();
            let next = formats.get(i + 1);
            let start = q.earliest.max(t.earliest);
            let ends_after = next.is_none_or(|n| start < n.from.bounds().latest);
            if start <= q.latest && ends_after {
                possible.push(FormatState {
                    dialogue_type: Some(change.dialogue_type.clone()),
                    body: change.body.clone(),
                    setting: change.setting,
                    since: Some(change.from.display()),
                    until: next.map(|n| n.from.display()),
                    sources: all_sources(&change.from, &change.sources),
                });
            }
        }
        for change in formats {
            let t = change.from.bounds();
            if t.relation(&q) == Relation::CannotTell && !t.is_single_day() {
                reasons.push(format!(
                    "the sources date the change to `{}` only as `{}`",
                    change.dialogue_type,
                    change.from.display()
                ));
            } else if t.relation(&q) == Relation::CannotTell {
                reasons.push(format!(
                    "`{}` is too coarse to tell whether it was before the change to `{}` on `{}`",
                    on,
                    change.dialogue_type,
                    change.from.display()
                ));
            }
        }
        let certain = possible.len() == 1;
        Ok(FormatOn {
            dialogue: dialogue.id.clone(),
            country: dialogue.country.clone(),
            on: on.to_string(),
            certain,
            possible,
            reason: if certain || reasons.is_empty() {
                None
            } else {
                Some(reasons.join("; "))
            },
        })
    }

    /// Every dated event (strategy adoption and reviews, agreements signed and in force,
    /// dialogues agreed, format changes, rounds, seminars, initiative launches), oldest first,
    /// each with its precision and sources. Rounds known only from the numbering are not events
    /// (no source dates them); [`Dataset::rounds_of`] lists them.
    pub fn timeline(&self) -> Vec<Event> {
        let mut events = Vec::new();
        let mut push = |date: &SourcedDate,
                        kind: EventKind,
                        country: Option<&str>,
                        record: &str,
                        title: String,
                        sources: &[Source]| {
            let bounds = date.bounds();
            events.push(Event {
                date: date.display(),
                earliest: bounds.earliest,
                latest: bounds.latest,
                precision: date.precision(),
                disputed: date.is_disputed(),
                kind,
                country: country.map(str::to_string),
                record: record.to_string(),
                title,
                sources: all_sources(date, sources),
            });
        };
        for s in self.strategies.iter() {
            push(
                &s.adopted,
                EventKind::StrategyAdopted,
                None,
                &s.id,
                format!("{} adopted by the {}", s.title, s.adopted_by),
                &s.sources,
            );
            for r in &s.reviews {
                push(
                    &r.date,
                    EventKind::StrategyReviewed,
                    None,
                    &r.id,
                    r.title.clone(),
                    &r.sources,
                );
            }
        }
        for a in self.agreements.iter() {
            if let Some(signed) = &a.signed {
                push(
                    signed,
                    EventKind::AgreementSigned,
                    Some(&a.country),
                    &a.id,
                    format!("{} signed", a.title),
                    &a.sources,
                );
            }
            if let Some(in_force) = &a.in_force {
                push(
                    in_force,
                    EventKind::AgreementInForce,
                    Some(&a.country),
                    &a.id,
                    format!("{} enters into force", a.title),
                    &a.sources,
                );
            }
        }
        let name = |code: &str| {
            self.countries
                .iter()
                .find(|c| c.id == code)
                .map_or_else(|| code.to_string(), |c| c.name.clone())
        };
        for d in self.dialogues.iter() {
            let country = name(&d.country);
            if let Some(agreed) = &d.agreed {
                push(
                    agreed,
                    EventKind::DialogueAgreed,
                    Some(&d.country),
                    &d.id,
                    match &d.agreed_at {
                        Some(at) => format!("Human rights dialogue with {country} agreed ({at})"),
                        None => format!("Human rights dialogue with {country} agreed"),
                    },
                    &d.sources,
                );
            }
            // The first format is when the dialogue began; a dialogue without an agreement date
            // (Turkmenistan's ad hoc dialogue) enters the timeline there.
            let skip = usize::from(d.agreed.is_some());
            for (i, f) in d.formats.iter().enumerate().skip(skip) {
                let kind = type_phrase(&f.dialogue_type);
                let setting = match (&f.setting, &f.body) {
                    (Some(setting), Some(body)) => {
                        format!(", {} {}", setting.phrase(), self.body_name(body))
                    }
                    _ => String::new(),
                };
                let title = if i == 0 {
                    format!("Human rights dialogue with {country} begins ({kind}{setting})")
                } else {
                    format!("Human rights dialogue with {country} becomes {kind}{setting}")
                };
                push(
                    &f.from,
                    EventKind::FormatChanged,
                    Some(&d.country),
                    &d.id,
                    title,
                    &f.sources,
                );
            }
        }
        for r in self.rounds.iter() {
            let country = self.country_of_dialogue(&r.dialogue);
            let title = match (r.number, &r.place) {
                (Some(n), Some(p)) => format!(
                    "{} EU–{} human rights dialogue, {p}",
                    ordinal(n),
                    name(&country)
                ),
                (Some(n), None) => {
                    format!("{} EU–{} human rights dialogue", ordinal(n), name(&country))
                }
                (None, Some(p)) => format!("EU–{} human rights dialogue, {p}", name(&country)),
                (None, None) => format!("EU–{} human rights dialogue", name(&country)),
            };
            push(
                &r.date,
                EventKind::Round,
                Some(&country),
                &r.id,
                title,
                &r.sources,
            );
        }
        for s in self.seminars.iter() {
            let title = match (&s.title, &s.place) {
                (Some(t), Some(p)) => format!("{t}, {p}"),
                (Some(t), None) => t.clone(),
                (None, Some(p)) => format!("EU–{} civil society seminar, {p}", name(&s.country)),
                (None, None) => format!("EU–{} civil society seminar", name(&s.country)),
            };
            push(
                &s.date,
                EventKind::Seminar,
                Some(&s.country),
                &s.id,
                title,
                &s.sources,
            );
        }
        for i in self.initiatives.iter() {
            if let Some(launched) = &i.launched {
                push(
                    launched,
                    EventKind::InitiativeLaunched,
                    None,
                    &i.id,
                    format!("{} launched", i.title),
                    &i.sources,
                );
            }
        }
        events.sort_by(|a, b| {
            (a.earliest, a.latest, a.kind, &a.record)
                .cmp(&(b.earliest, b.latest, b.kind, &b.record))
        });
        events
    }

    fn body_name(&self, id: &str) -> String {
        self.bodies
            .iter()
            .find(|b| b.id == id)
            .map_or_else(|| id.to_string(), |b| b.name.clone())
    }

    /// What serves a strategy priority: dialogues, initiatives, instruments and kinds of project.
    ///
    /// # Errors
    /// [`QueryError::UnknownRecord`] when no strategy has a priority with this id.
    pub fn serving(&self, priority: &str) -> Result<Vec<Serving>, QueryError> {
        let known = self
            .strategies
            .iter()
            .flat_map(|s| &s.priorities)
            .any(|p| p.id == priority);
        if !known {
            return Err(QueryError::UnknownRecord {
                what: "strategy priority",
                input: priority.to_string(),
            });
        }
        let serves = |list: &[String]| list.iter().any(|p| p == priority);
        let mut out = Vec::new();
        for d in self.dialogues.iter().filter(|d| serves(&d.serves)) {
            out.push(Serving {
                kind: ServingKind::Dialogue,
                id: d.id.clone(),
                title: d.title.clone(),
            });
        }
        for i in self.initiatives.iter().filter(|i| serves(&i.serves)) {
            out.push(Serving {
                kind: ServingKind::Initiative,
                id: i.id.clone(),
                title: i.title.clone(),
            });
        }
        for i in self.instruments.iter().filter(|i| serves(&i.serves)) {
            out.push(Serving {
                kind: ServingKind::Instrument,
                id: i.id.clone(),
                title: i.name.clone(),
            });
        }
        for p in self.project_kinds.iter().filter(|p| serves(&p.serves)) {
            out.push(Serving {
                kind: ServingKind::ProjectKind,
                id: p.id.clone(),
                title: p.description.clone(),
            });
        }
        Ok(out)
    }
}

/// A dialogue type id as words (`agreement_based` → `agreement-based`).
fn type_phrase(id: &str) -> String {
    match id {
        "agreement_based" => "agreement-based".to_string(),
        other => other.replace('_', " "),
    }
}

/// `1st`, `2nd`, `3rd`, `11th`, `22nd`.
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}
