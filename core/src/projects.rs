//! Funded projects: the actions that the dialogues' instruments fund, as records that read from
//! and write to IATI (the International Aid Transparency Initiative's activity standard).
//!
//! A [`Project`] holds what euca knows of one funded action (or of a package of actions announced
//! together): its identifiers, title, recipient countries and regions with their percentages, the
//! instrument and the call it was funded under where known, the participating organisations with
//! their IATI roles and organisation types, the amounts (total cost and EU contribution, exact
//! money), the budgets and transactions an IATI file reports (summed by type and currency), its
//! dates at the precision the source gives, DAC sectors, the seed's project themes and the strategy
//! priorities it serves, the dialogue topics it answers where a source links them, its status and
//! its sources. Classifications that are euca's own rather than the sources' are listed in
//! `inferred`.
//!
//! Codes (countries, sectors, organisation types, roles, statuses) are IATI codes kept as text, so
//! that a record read from an IATI file keeps what the file says even when a code is outside its
//! codelist ([`crate::iati`] reports that as a warning). Loading a dataset checks them.

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::{Months, NaiveDate};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::application::{Action, Application, Budget, CodeValue, Organisation};
use crate::dataset::Dataset;
use crate::date::{Date, Precision};
use crate::error::{Code, DatasetError, Problem, QueryError};
use crate::eval::{Decision, Outcome, Verdict};
use crate::model::Source;
use crate::money::{Amount, Currency, Percent};
use crate::validate::source_problems;

/// A text in one language (an IATI `narrative`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Narrative {
    /// The text, as the source writes it.
    pub text: String,
    /// Its language (`xml:lang`, ISO 639-1 such as `fr`); absent: the record's default language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl Narrative {
    /// A text in the record's default language.
    pub fn new(text: impl Into<String>) -> Narrative {
        Narrative {
            text: text.into(),
            lang: None,
        }
    }
}

/// A description of a project (an IATI `description`), in one or more languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Description {
    /// The IATI DescriptionType code (`1` general, `2` objectives, `3` target groups, `4` other);
    /// absent: general.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The text in each language.
    pub narratives: Vec<Narrative>,
}

/// The organisation that reports an IATI activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportingOrg {
    /// Its IATI organisation identifier (`XI-IATI-EC_INTPA`).
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Its IATI organisation type code (`10` government, `40` multilateral ...).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub org_type: Option<String>,
    /// Its name in each language.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub name: Vec<Narrative>,
}

/// An organisation taking part in a project (an IATI `participating-org`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    /// Its name in each language.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub name: Vec<Narrative>,
    /// Its IATI organisation identifier, where known.
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Its IATI OrganisationRole code: `1` funding, `2` accountable, `3` extending, `4`
    /// implementing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Its IATI OrganisationType code; two or more when the classification cannot choose between
    /// them (`["22", "24"]`: a national NGO or one based in the partner country).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub org_types: Vec<String>,
    /// The country where it is based (ISO 3166-1 alpha-2), where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// True for the lead organisation (the lead applicant of the grant).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lead: bool,
    /// The IATI identifier of its own activity for this project, if it publishes one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_id: Option<String>,
    /// Its CRS channel code, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs_channel_code: Option<String>,
}

impl Participant {
    /// Its name in the default language (or the first one given).
    pub fn display_name(&self) -> Option<&str> {
        first_text(&self.name)
    }
}

/// A recipient country of a project, with its share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryShare {
    /// ISO 3166-1 alpha-2 code (`KG`).
    pub country: String,
    /// The share of the project for this country, where given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentage: Option<Percent>,
    /// The country's name as the source gives it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub narratives: Vec<Narrative>,
}

/// A recipient region of a project, with its share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionShare {
    /// The region's code (`619` Central Asia, regional, in the DAC vocabulary).
    pub region: String,
    /// The IATI RegionVocabulary code (`1` DAC, `2` UN, `99` the reporter's own); absent: DAC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vocabulary: Option<String>,
    /// Where a reporter's own vocabulary is defined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vocabulary_uri: Option<String>,
    /// The share of the project for this region, where given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentage: Option<Percent>,
    /// The region's name as the source gives it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub narratives: Vec<Narrative>,
}

/// A sector of a project, with its share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectorShare {
    /// The sector's code (`15160` human rights, in the DAC 5-digit vocabulary).
    pub sector: String,
    /// The IATI SectorVocabulary code (`1` DAC 5-digit, `2` DAC 3-digit, ...); absent: DAC 5-digit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vocabulary: Option<String>,
    /// Where a reporter's own vocabulary is defined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vocabulary_uri: Option<String>,
    /// The share of the project in this sector, where given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentage: Option<Percent>,
    /// The code withdrawn in 2020 that the source gave, which euca reads as `code` (`15162` human
    /// rights (old), read as `15160`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced: Option<String>,
    /// The sector's name as the source gives it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub narratives: Vec<Narrative>,
}

impl SectorShare {
    /// True when the code is a DAC 5-digit purpose code (vocabulary `1` or none).
    pub fn is_dac(&self) -> bool {
        self.vocabulary.as_deref().is_none_or(|v| v == "1")
    }
}

/// What a date of a project marks.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DateKind {
    /// Planned start (IATI ActivityDateType `1`).
    PlannedStart,
    /// Actual start (`2`).
    ActualStart,
    /// Planned end (`3`).
    PlannedEnd,
    /// Actual end (`4`).
    ActualEnd,
    /// The start, where the source does not say whether planned or actual.
    Start,
    /// The end, where the source does not say whether planned or actual.
    End,
    /// When the project was announced or presented (not an IATI activity date).
    Announced,
    /// A code outside the ActivityDateType codelist, kept as the IATI file gives it.
    Other(String),
}

impl DateKind {
    /// The name in documents (`planned_start`), or the code of [`DateKind::Other`].
    pub fn as_str(&self) -> &str {
        match self {
            DateKind::PlannedStart => "planned_start",
            DateKind::ActualStart => "actual_start",
            DateKind::PlannedEnd => "planned_end",
            DateKind::ActualEnd => "actual_end",
            DateKind::Start => "start",
            DateKind::End => "end",
            DateKind::Announced => "announced",
            DateKind::Other(code) => code,
        }
    }

    /// Reads a name (`planned_start`); anything else is [`DateKind::Other`].
    pub fn from_name(name: &str) -> DateKind {
        match name {
            "planned_start" => DateKind::PlannedStart,
            "actual_start" => DateKind::ActualStart,
            "planned_end" => DateKind::PlannedEnd,
            "actual_end" => DateKind::ActualEnd,
            "start" => DateKind::Start,
            "end" => DateKind::End,
            "announced" => DateKind::Announced,
            other => DateKind::Other(other.to_string()),
        }
    }

    /// True for the kinds that mark a start.
    pub fn is_start(&self) -> bool {
        matches!(
            self,
            DateKind::PlannedStart | DateKind::ActualStart | DateKind::Start
        )
    }

    /// True for the kinds that mark an end.
    pub fn is_end(&self) -> bool {
        matches!(
            self,
            DateKind::PlannedEnd | DateKind::ActualEnd | DateKind::End
        )
    }
}

impl fmt::Display for DateKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for DateKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for DateKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DateKind;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date kind such as `planned_start`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateKind, E> {
                Ok(DateKind::from_name(v))
            }
        }
        d.deserialize_str(V)
    }
}

/// A dated moment of a project, at the precision the source gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityDate {
    /// What the date marks.
    #[serde(rename = "type")]
    pub kind: DateKind,
    /// When.
    pub date: Date,
    /// What the source says about it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub narratives: Vec<Narrative>,
}

/// Budgets or transactions of one type in one currency, summed.
///
/// Money is exact: `amount` is the sum of the values at or above zero and `deductions` the sum of
/// the negative ones (IATI allows negative transactions, such as a decommitment), both in minor
/// units of `currency`; the net is `amount − deductions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyTotal {
    /// The IATI BudgetType code (`1` original, `2` revised; absent: not stated, which IATI reads
    /// as original) or TransactionType code (`2` outgoing commitment, `3` disbursement, ...).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The IATI BudgetStatus code of budgets (`1` indicative, `2` committed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The currency; absent when neither the values nor the activity state one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// The sum of the values at or above zero, in minor units.
    pub amount: Amount,
    /// The sum of the negative values, as a positive number of minor units.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub deductions: Amount,
    /// How many budgets or transactions were summed.
    pub count: u32,
    /// The first day they cover (the earliest budget period start, the earliest transaction date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// The last day they cover (the latest budget period end, the latest transaction date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
}

fn is_zero(a: &Amount) -> bool {
    a.0 == 0
}

impl MoneyTotal {
    /// The net amount in minor units (`amount − deductions`), which may be negative.
    pub fn net(&self) -> i128 {
        i128::from(self.amount.0) - i128::from(self.deductions.0)
    }
}

/// A field of a project record that euca generated when writing it to IATI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Generated {
    /// The IATI identifier was built from the caller's reporting-organisation prefix.
    IatiIdentifier,
    /// The reporting organisation is the caller's, not the source's.
    ReportingOrg,
}

/// A field of a project record whose value is euca's classification, not its sources' statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectField {
    /// The recipient countries.
    Countries,
    /// The participants' IATI organisation types.
    OrgTypes,
    /// The participants' IATI roles.
    Roles,
    /// The countries where participants are based.
    ParticipantCountries,
    /// The instruments.
    Instruments,
    /// The call.
    Call,
    /// The DAC sectors.
    Sectors,
    /// The seed's project themes.
    Themes,
    /// The strategy priorities served.
    Priorities,
    /// The dialogue topics answered.
    DialogueTopics,
    /// The EU contribution (the source gives an amount without saying whose it is, or gives parts).
    EuContribution,
    /// The total cost.
    TotalCost,
    /// The dates.
    Dates,
    /// The status.
    Status,
}

/// A funded project (or a package of projects announced together).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    /// Unique id in the dataset (`project/kz/inclusive-kazakhstan`); for a record read from IATI,
    /// its IATI identifier (or, when the file gives none, the activity's path in the file).
    pub id: String,
    /// The IATI activity identifier, where one is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iati_identifier: Option<String>,
    /// The organisation that reports it to IATI, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporting_org: Option<ReportingOrg>,
    /// Its title, in each language given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub title: Vec<Narrative>,
    /// Its descriptions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub descriptions: Vec<Description>,
    /// The default language of its texts (ISO 639-1), where stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The IATI ActivityStatus code (`1` pipeline, `2` implementation, `3` finalisation, `4`
    /// closed, `5` cancelled, `6` suspended), where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Its dates, each at the precision its source gives.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dates: Vec<ActivityDate>,
    /// Its duration in months, where a source states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_months: Option<u32>,
    /// The recipient countries (ISO alpha-2), with their shares where given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipient_countries: Vec<CountryShare>,
    /// The recipient regions, with their shares where given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipient_regions: Vec<RegionShare>,
    /// The organisations taking part (funders, implementers ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<Participant>,
    /// The funding instruments (ids of instruments of the dataset); two or more when a source
    /// names several without saying which funds this project (`EIDHR / CSO-LA`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instruments: Vec<String>,
    /// The instrument or programme as the source names it (`DCI bilateral`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funded_under: Option<String>,
    /// The call for proposals it was selected under (an id of a rule set of the dataset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
    /// The currency of `total_cost` and `eu_contribution` (the IATI activity's default currency);
    /// absent: EUR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// The total cost of the action, in minor units, where a source gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_cost: Option<Amount>,
    /// The EU contribution, in minor units, where a source gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eu_contribution: Option<Amount>,
    /// How many projects the record stands for, when it is a package announced together
    /// (absent: one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covers: Option<u32>,
    /// The sectors, with their shares where given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<SectorShare>,
    /// Budgets, summed by type, status and currency.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub budgets: Vec<MoneyTotal>,
    /// Transactions, summed by type and currency.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transactions: Vec<MoneyTotal>,
    /// The seed's kinds of project it is (ids of project kinds of the dataset).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<String>,
    /// The strategy priorities it serves (ids of priorities of the dataset).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub priorities: Vec<String>,
    /// The dialogue topics it answers, where a source links them (ids of priority issues).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dialogue_topics: Vec<String>,
    /// Fields euca generated when writing the record to IATI.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub generated: Vec<Generated>,
    /// Fields whose values are euca's classification, not the sources' statement.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<ProjectField>,
    /// Where the facts come from.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Anything a reader should know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn first_text(narratives: &[Narrative]) -> Option<&str> {
    narratives
        .iter()
        .find(|n| n.lang.is_none())
        .or_else(|| narratives.first())
        .map(|n| n.text.as_str())
}

impl Project {
    /// A record with an id and nothing else (fill in the fields, then add sources).
    pub fn new(id: impl Into<String>) -> Project {
        Project {
            id: id.into(),
            iati_identifier: None,
            reporting_org: None,
            title: Vec::new(),
            descriptions: Vec::new(),
            language: None,
            status: None,
            dates: Vec::new(),
            duration_months: None,
            recipient_countries: Vec::new(),
            recipient_regions: Vec::new(),
            participants: Vec::new(),
            instruments: Vec::new(),
            funded_under: None,
            call: None,
            currency: None,
            total_cost: None,
            eu_contribution: None,
            covers: None,
            sectors: Vec::new(),
            budgets: Vec::new(),
            transactions: Vec::new(),
            themes: Vec::new(),
            priorities: Vec::new(),
            dialogue_topics: Vec::new(),
            generated: Vec::new(),
            inferred: Vec::new(),
            sources: Vec::new(),
            note: None,
        }
    }

    /// Reads a project record from JSON text (the shape of the dataset's `projects`).
    ///
    /// # Errors
    /// A [`DatasetError`] listing every problem with its JSON path: not JSON, unknown fields,
    /// wrong types, missing fields, invalid dates, over-precise or negative money. References to
    /// other records are checked only when the record joins a dataset.
    pub fn from_json(text: &str) -> Result<Project, DatasetError> {
        let value = crate::dataset::parse_document(text)?;
        Project::from_value(&value)
    }

    /// Reads a project record from a parsed JSON value.
    ///
    /// # Errors
    /// As [`Project::from_json`].
    pub fn from_value(value: &serde_json::Value) -> Result<Project, DatasetError> {
        let mut problems = Vec::new();
        match crate::dataset::read_record::<Project>(value, "", &mut problems) {
            Some(p) if problems.is_empty() => Ok(p),
            _ => Err(DatasetError::new(problems)),
        }
    }

    /// The record as JSON (keys in a fixed order, empty fields left out).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The title in the default language (or the first one given).
    pub fn title_text(&self) -> Option<&str> {
        first_text(&self.title)
    }

    /// The currency of `total_cost` and `eu_contribution` (EUR when absent).
    pub fn currency(&self) -> Currency {
        self.currency.unwrap_or_default()
    }

    /// True when the field is euca's classification rather than its sources' statement.
    pub fn is_inferred(&self, field: ProjectField) -> bool {
        self.inferred.contains(&field)
    }

    /// When it started: the actual start, else a start of unstated kind, else the planned start.
    pub fn start(&self) -> Option<&Date> {
        [
            DateKind::ActualStart,
            DateKind::Start,
            DateKind::PlannedStart,
        ]
        .iter()
        .find_map(|k| self.dates.iter().find(|d| &d.kind == k).map(|d| &d.date))
    }

    /// When it ended or ends: the actual end, else an end of unstated kind, else the planned end.
    pub fn end(&self) -> Option<&Date> {
        [DateKind::ActualEnd, DateKind::End, DateKind::PlannedEnd]
            .iter()
            .find_map(|k| self.dates.iter().find(|d| &d.kind == k).map(|d| &d.date))
    }

    /// The duration in months: `duration_months` when a source states it; else from the start and
    /// the end when both are days (whole months from the start to the day after the end, to the
    /// nearest month: 30 January 2019 to 30 January 2021 is 24) or both are months (counted
    /// inclusively: January 2019 to March 2021 is 27); else unknown.
    pub fn duration(&self) -> Option<u32> {
        if let Some(months) = self.duration_months {
            return Some(months);
        }
        let (Date::Point(start), Date::Point(end)) = (self.start()?, self.end()?) else {
            return None;
        };
        match (start.precision(), end.precision()) {
            (Precision::Day, Precision::Day) => {
                let after = end.latest().succ_opt()?;
                nearest_months(start.earliest(), after)
            }
            (Precision::Month, Precision::Month) => {
                let months = (end.year_value() - start.year_value()) * 12
                    + i32::try_from(end.month_value()?).ok()?
                    - i32::try_from(start.month_value()?).ok()?
                    + 1;
                u32::try_from(months).ok().filter(|m| *m > 0)
            }
            _ => None,
        }
    }

    /// The lead organisation: the participant marked `lead`, else the only implementing one.
    pub fn lead(&self) -> Option<&Participant> {
        self.participants.iter().find(|p| p.lead).or_else(|| {
            let mut implementing = self.participants.iter().filter(|p| is_implementing(p));
            match (implementing.next(), implementing.next()) {
                (Some(one), None) => Some(one),
                _ => None,
            }
        })
    }

    /// The project as an application for a grant, for checking it against a call's rules:
    /// the lead organisation as applicant (name, organisation type when one is given, country),
    /// the other implementing organisations as co-applicants, the action (title, recipient
    /// countries, duration from [`Project::duration`], start day, DAC sectors, strategy
    /// priorities) and the budget (currency, the EU contribution as the amount requested).
    ///
    /// Nothing is assumed: what the record does not hold (legal form, non-profit status, direct
    /// and indirect costs, the submission time ...) stays absent, so the criteria that need it
    /// come out undetermined and the decision lists it as missing.
    pub fn to_application(&self) -> Application {
        let lead = self.lead();
        let applicant = lead.map(organisation);
        let others: Vec<Organisation> = self
            .participants
            .iter()
            .filter(|p| is_implementing(p) && lead.is_none_or(|l| !std::ptr::eq(*p, l)))
            .map(organisation)
            .collect();
        let countries: Vec<String> = self
            .recipient_countries
            .iter()
            .map(|c| c.country.clone())
            .collect();
        let sectors: Vec<CodeValue> = self
            .sectors
            .iter()
            .filter(|s| s.is_dac())
            .map(|s| CodeValue(s.sector.clone()))
            .collect();
        let start = match self.start() {
            Some(Date::Point(p)) if p.precision() == Precision::Day => Some(p.earliest()),
            _ => None,
        };
        let action = Action {
            title: self.title_text().map(str::to_string),
            country: match countries.as_slice() {
                [one] => Some(one.clone()),
                _ => None,
            },
            countries: (countries.len() > 1).then_some(countries),
            duration_months: self.duration(),
            start,
            sectors: (!sectors.is_empty()).then_some(sectors),
            themes: None,
            priorities: (!self.priorities.is_empty()).then(|| self.priorities.clone()),
            activities: None,
        };
        let budget = Budget {
            currency: Some(self.currency()),
            requested: self.eu_contribution,
            ..Budget::default()
        };
        Application {
            id: Some(self.id.clone()),
            applicant,
            co_applicants: (!others.is_empty()).then_some(others),
            affiliated_entities: None,
            action: Some(action),
            budget: Some(budget),
            submitted_at: None,
        }
    }
}

fn is_implementing(p: &Participant) -> bool {
    p.role.as_deref() == Some("4")
}

fn organisation(p: &Participant) -> Organisation {
    Organisation {
        name: p.display_name().map(str::to_string),
        org_type: match p.org_types.as_slice() {
            [one] => Some(CodeValue(one.clone())),
            _ => None,
        },
        country: p.country.clone(),
        ..Organisation::default()
    }
}

/// Whole months from `from` to `to`, to the nearest month (half a month or more rounds up).
fn nearest_months(from: NaiveDate, to: NaiveDate) -> Option<u32> {
    if to <= from {
        return None;
    }
    let mut months = 0u32;
    while from.checked_add_months(Months::new(months + 1))? <= to {
        months += 1;
        if months > 12 * 200 {
            return None;
        }
    }
    let floor = from.checked_add_months(Months::new(months))?;
    let ceil = from.checked_add_months(Months::new(months + 1))?;
    let rest = (to - floor).num_days();
    let whole = (ceil - floor).num_days();
    Some(if rest * 2 >= whole && rest > 0 {
        months + 1
    } else {
        months
    })
}

/// A project checked against a call's rules, as a flat record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectEligibility {
    /// The project's id.
    pub project: String,
    /// The call (rule set) it was checked against.
    pub call: String,
    /// Eligible, ineligible or undetermined.
    pub verdict: Verdict,
    /// The criteria it fails.
    pub failed: Vec<String>,
    /// The criteria that the record does not say enough to decide.
    pub undetermined: Vec<String>,
    /// The application fields that would decide them (those that settle the verdict first).
    pub missing: Vec<String>,
}

impl ProjectEligibility {
    /// The flat record of a decision on a project.
    pub fn of(project: &Project, decision: &Decision) -> ProjectEligibility {
        let with = |outcome: Outcome| {
            decision
                .checks
                .iter()
                .filter(|c| c.outcome == outcome)
                .map(|c| c.id.clone())
                .collect::<Vec<_>>()
        };
        ProjectEligibility {
            project: project.id.clone(),
            call: decision.rule_set.id.clone(),
            verdict: decision.verdict,
            failed: with(Outcome::Fail),
            undetermined: with(Outcome::Unknown),
            missing: decision.missing.iter().map(|m| m.field.clone()).collect(),
        }
    }
}

impl Dataset {
    /// The funded projects of the dataset.
    pub fn projects(&self) -> &[Project] {
        &self.projects
    }

    /// A funded project by id (or by IATI identifier).
    ///
    /// # Errors
    /// [`QueryError::UnknownRecord`] when no project has this id or IATI identifier.
    pub fn project(&self, id: &str) -> Result<&Project, QueryError> {
        self.projects
            .iter()
            .find(|p| p.id == id)
            .or_else(|| {
                self.projects
                    .iter()
                    .find(|p| p.iati_identifier.as_deref() == Some(id))
            })
            .ok_or_else(|| QueryError::UnknownRecord {
                what: "project",
                input: id.to_string(),
            })
    }

    /// Checks a project against a call's rules: `call` names the rule set (any call of the
    /// dataset), or, when absent, the call the project was funded under. `as_of` is the
    /// evaluation day. The decision lists the fields the record does not hold as missing.
    ///
    /// # Errors
    /// [`QueryError::UnknownRecord`] when the call does not exist, or when `call` is absent and the
    /// project names none.
    pub fn evaluate_project(
        &self,
        project: &Project,
        call: Option<&str>,
        as_of: NaiveDate,
    ) -> Result<Decision, QueryError> {
        let id = call
            .or(project.call.as_deref())
            .ok_or_else(|| QueryError::UnknownRecord {
                what: "call of project",
                input: project.id.clone(),
            })?;
        let call = self.call(id)?;
        Ok(call.evaluate(&project.to_application(), as_of, None))
    }

    /// "Was each funded project eligible under its call's published rules?": every project of the
    /// dataset that names its call, checked against it on `as_of`, one flat record each.
    pub fn project_eligibility(&self, as_of: NaiveDate) -> Vec<ProjectEligibility> {
        self.projects
            .iter()
            .filter(|p| p.call.is_some())
            .filter_map(|p| {
                let decision = self.evaluate_project(p, None, as_of).ok()?;
                Some(ProjectEligibility::of(p, &decision))
            })
            .collect()
    }
}

/// The problems of the dataset's projects: sources, references to countries, instruments, calls,
/// sectors, organisation types, project kinds, priorities and dialogue topics, IATI codes,
/// percentages (each at most 100, and together at most 100 for the recipient countries and
/// regions, and for the sectors of each vocabulary), dates in order, a title.
pub(crate) fn problems(d: &Dataset, unreadable: &HashSet<String>) -> Vec<Problem> {
    let mut out = Vec::new();
    let countries: HashSet<&str> = d.countries.iter().map(|c| c.id.as_str()).collect();
    let instruments: HashSet<&str> = d.instruments.iter().map(|c| c.id.as_str()).collect();
    let calls: HashSet<&str> = d.rule_sets.iter().map(|c| c.id.as_str()).collect();
    let sectors: HashSet<&str> = d.sectors.iter().map(|c| c.code.as_str()).collect();
    let org_types: HashSet<&str> = d
        .organisation_types
        .iter()
        .map(|c| c.code.as_str())
        .collect();
    let kinds: HashSet<&str> = d.project_kinds.iter().map(|c| c.id.as_str()).collect();
    let topics: HashSet<&str> = d.priority_issues.iter().map(|c| c.id.as_str()).collect();
    let priorities: HashSet<&str> = d
        .strategies
        .iter()
        .flat_map(|s| s.priorities.iter().map(|p| p.id.as_str()))
        .collect();
    let mut reference = |known: &HashSet<&str>, id: &str, path: String, what: &str| {
        if !known.contains(id) && !unreadable.contains(id) {
            out.push(Problem::new(
                Code::UnresolvedReference,
                path,
                format!("`{id}` is not the id of any {what} in the dataset"),
            ));
        }
    };
    let mut identifiers: HashMap<&str, usize> = HashMap::new();
    let mut later: Vec<Problem> = Vec::new();
    for (i, p) in d.projects.iter().enumerate() {
        let at = format!("projects[{i}]");
        for (j, c) in p.recipient_countries.iter().enumerate() {
            reference(
                &countries,
                &c.country,
                format!("{at}.recipient_countries[{j}].country"),
                "country",
            );
        }
        for (j, x) in p.instruments.iter().enumerate() {
            reference(
                &instruments,
                x,
                format!("{at}.instruments[{j}]"),
                "instrument",
            );
        }
        if let Some(call) = &p.call {
            reference(&calls, call, format!("{at}.call"), "call (rule set)");
        }
        for (j, s) in p.sectors.iter().enumerate() {
            if s.is_dac() {
                reference(
                    &sectors,
                    &s.sector,
                    format!("{at}.sectors[{j}].sector"),
                    "sector",
                );
            }
        }
        for (j, x) in p.participants.iter().enumerate() {
            for (k, t) in x.org_types.iter().enumerate() {
                reference(
                    &org_types,
                    t,
                    format!("{at}.participants[{j}].org_types[{k}]"),
                    "organisation type",
                );
            }
        }
        if let Some(t) = p.reporting_org.as_ref().and_then(|r| r.org_type.as_ref()) {
            reference(
                &org_types,
                t,
                format!("{at}.reporting_org.type"),
                "organisation type",
            );
        }
        for (j, x) in p.themes.iter().enumerate() {
            reference(&kinds, x, format!("{at}.themes[{j}]"), "project kind");
        }
        for (j, x) in p.priorities.iter().enumerate() {
            reference(
                &priorities,
                x,
                format!("{at}.priorities[{j}]"),
                "strategy priority",
            );
        }
        for (j, x) in p.dialogue_topics.iter().enumerate() {
            reference(
                &topics,
                x,
                format!("{at}.dialogue_topics[{j}]"),
                "priority issue",
            );
        }
        later.extend(record_problems(p, &at));
        if let Some(id) = &p.iati_identifier
            && let Some(first) = identifiers.insert(id, i)
        {
            later.push(Problem::new(
                Code::DuplicateId,
                format!("{at}.iati_identifier"),
                format!("IATI identifier `{id}` is also `projects[{first}]`'s"),
            ));
        }
    }
    out.extend(later);
    out
}

/// The problems of one project record that need no other record, with paths under `at`.
pub(crate) fn record_problems(p: &Project, at: &str) -> Vec<Problem> {
    use crate::iati::codelists as lists;
    let mut out = source_problems(&p.sources, at);
    let mut push = |code: Code, path: String, message: String| {
        out.push(Problem::new(code, path, message));
    };
    if p.title.iter().all(|n| n.text.trim().is_empty()) {
        push(
            Code::MissingField,
            format!("{at}.title"),
            "a project needs a title".into(),
        );
    }
    let in_list = |code: &str, list: &[&str]| list.contains(&code);
    if let Some(status) = &p.status
        && !in_list(status, lists::ACTIVITY_STATUS)
    {
        push(
            Code::InvalidValue,
            format!("{at}.status"),
            format!("`{status}` is not an IATI activity status (`1` to `6`)"),
        );
    }
    for (j, x) in p.participants.iter().enumerate() {
        if let Some(role) = &x.role
            && !in_list(role, lists::ORGANISATION_ROLE)
        {
            push(
                Code::InvalidValue,
                format!("{at}.participants[{j}].role"),
                format!("`{role}` is not an IATI organisation role (`1` to `4`)"),
            );
        }
        if let Some(c) = &x.country
            && !(c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))
        {
            push(
                Code::InvalidValue,
                format!("{at}.participants[{j}].country"),
                format!("`{c}` is not an ISO 3166 alpha-2 code (two capital letters)"),
            );
        }
    }
    for (j, date) in p.dates.iter().enumerate() {
        if let DateKind::Other(kind) = &date.kind {
            push(
                Code::InvalidValue,
                format!("{at}.dates[{j}].type"),
                format!(
                    "unknown date type `{kind}`: expected `planned_start`, `actual_start`, `planned_end`, `actual_end`, `start`, `end` or `announced`"
                ),
            );
        }
    }
    if let (Some(start), Some(end)) = (p.start(), p.end())
        && start.relation(end) == crate::date::Relation::After
    {
        push(
            Code::InvalidValue,
            format!("{at}.dates"),
            format!("the project ends (`{end}`) before it starts (`{start}`)"),
        );
    }
    for (j, r) in p.recipient_regions.iter().enumerate() {
        if r.vocabulary.as_deref().is_none_or(|v| v == "1")
            && lists::listed(&r.region, lists::REGION, lists::REGION_WITHDRAWN)
                == lists::Listed::Unknown
        {
            push(
                Code::InvalidValue,
                format!("{at}.recipient_regions[{j}].region"),
                format!("`{}` is not a DAC region code", r.region),
            );
        }
    }
    let hundred = Percent::whole(100);
    let mut over = |items: Vec<(String, Option<Percent>)>, what: &str, path: String| {
        let mut total = 0u64;
        for (item_path, pct) in &items {
            if let Some(pct) = pct {
                total += pct.ppm();
                if *pct > hundred {
                    push(
                        Code::PercentagesOverHundred,
                        item_path.clone(),
                        format!("a percentage of `{pct}` is over 100"),
                    );
                }
            }
        }
        if total > hundred.ppm() {
            push(
                Code::PercentagesOverHundred,
                path,
                format!(
                    "the percentages of the {what} add up to {}, over 100",
                    percent_text(total)
                ),
            );
        }
    };
    let mut geography: Vec<(String, Option<Percent>)> = p
        .recipient_countries
        .iter()
        .enumerate()
        .map(|(j, c)| {
            (
                format!("{at}.recipient_countries[{j}].percentage"),
                c.percentage,
            )
        })
        .collect();
    geography.extend(p.recipient_regions.iter().enumerate().map(|(j, c)| {
        (
            format!("{at}.recipient_regions[{j}].percentage"),
            c.percentage,
        )
    }));
    over(
        geography,
        "recipient countries and regions",
        format!("{at}.recipient_countries"),
    );
    let mut vocabularies: Vec<Option<&str>> = Vec::new();
    for s in &p.sectors {
        let v = if s.is_dac() {
            None
        } else {
            s.vocabulary.as_deref()
        };
        if !vocabularies.contains(&v) {
            vocabularies.push(v);
        }
    }
    for v in vocabularies {
        let items = p
            .sectors
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                (if s.is_dac() {
                    None
                } else {
                    s.vocabulary.as_deref()
                }) == v
            })
            .map(|(j, s)| (format!("{at}.sectors[{j}].percentage"), s.percentage))
            .collect();
        over(items, "sectors", format!("{at}.sectors"));
    }
    out
}

/// Parts per million as a percentage text (`100.5`).
pub(crate) fn percent_text(ppm: u64) -> String {
    let whole = ppm / 10_000;
    let frac = ppm % 10_000;
    if frac == 0 {
        whole.to_string()
    } else {
        let digits = format!("{frac:04}");
        format!("{whole}.{}", digits.trim_end_matches('0'))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn dated(kind: DateKind, date: &str) -> ActivityDate {
        ActivityDate {
            kind,
            date: Date::parse(date).unwrap(),
            narratives: Vec::new(),
        }
    }

    #[test]
    fn durations_follow_the_precision_of_the_dates() {
        let mut p = Project::new("p");
        p.dates = vec![
            dated(DateKind::Start, "2019-01-30"),
            dated(DateKind::End, "2021-01-30"),
        ];
        assert_eq!(p.duration(), Some(24));
        p.dates = vec![
            dated(DateKind::Start, "2019-01"),
            dated(DateKind::End, "2021-03"),
        ];
        assert_eq!(p.duration(), Some(27));
        p.dates = vec![
            dated(DateKind::Start, "2014-07-08"),
            dated(DateKind::End, "2018"),
        ];
        assert_eq!(p.duration(), None);
        p.duration_months = Some(36);
        assert_eq!(p.duration(), Some(36));
        p.duration_months = None;
        p.dates = vec![
            dated(DateKind::ActualStart, "2019-01-01"),
            dated(DateKind::PlannedEnd, "2021-03-31"),
        ];
        assert_eq!(p.duration(), Some(27));
    }

    #[test]
    fn date_kinds_read_their_names_and_keep_other_codes() {
        for kind in [
            DateKind::PlannedStart,
            DateKind::ActualEnd,
            DateKind::Announced,
            DateKind::Other("xx".into()),
        ] {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(serde_json::from_str::<DateKind>(&json).unwrap(), kind);
        }
    }

    #[test]
    fn the_lead_is_marked_or_the_only_implementer() {
        let mut p = Project::new("p");
        let org = |role: &str, lead: bool| Participant {
            name: vec![Narrative::new(role)],
            reference: None,
            role: Some(role.to_string()),
            org_types: vec!["22".into()],
            country: Some("KZ".into()),
            lead,
            activity_id: None,
            crs_channel_code: None,
        };
        p.participants = vec![org("1", false), org("4", false)];
        assert_eq!(p.lead().unwrap().role.as_deref(), Some("4"));
        p.participants.push(org("4", false));
        assert!(p.lead().is_none());
        p.participants[2].lead = true;
        let app = p.to_application();
        assert_eq!(app.co_applicants.unwrap().len(), 1);
        assert_eq!(
            app.applicant.unwrap().org_type,
            Some(CodeValue("22".into()))
        );
    }
}
