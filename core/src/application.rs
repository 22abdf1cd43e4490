//! Applications for a grant: the lead applicant, co-applicants, affiliated entities, the action, the
//! budget and the submission time. Every field may be absent: an absent field makes the criteria
//! that read it undetermined, never failed.
//!
//! The shape is a superset of the peer-bench workload's (`id`, `applicant{legal_person, non_profit,
//! org_type, country, registered_on, intermediary, exclusions{...}}`, `co_applicants[]`,
//! `action{country, duration_months, sectors}`, `budget{direct, indirect, contingency, requested}`,
//! `submitted_at`), so its files load as they are. Codes (organisation types, sectors) may be JSON
//! numbers or strings.

use std::fmt;

use chrono::NaiveDate;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::dataset::{parse_document, read_record};
use crate::error::{Code, DatasetError, Problem};
use crate::instant::Instant;
use crate::money::{Amount, Currency};

/// A code of an IATI codelist (an organisation type, a DAC sector), read from a JSON number or
/// string and kept as text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CodeValue(pub String);

impl CodeValue {
    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CodeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for CodeValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CodeValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = CodeValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a code, as a number or a string")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<CodeValue, E> {
                Ok(CodeValue(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<CodeValue, E> {
                Ok(CodeValue(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CodeValue, E> {
                Ok(CodeValue(v.trim().to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl schemars::JsonSchema for CodeValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Code".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A code of an IATI codelist, as a number or a string",
            "type": ["string", "integer"]
        })
    }
}

impl From<&str> for CodeValue {
    fn from(s: &str) -> Self {
        CodeValue(s.to_string())
    }
}

/// The legal form of an applicant, as calls name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LegalForm {
    /// A legal person (an organisation with legal personality).
    LegalPerson,
    /// A natural person.
    NaturalPerson,
    /// An entity without legal personality.
    EntityWithoutLegalPersonality,
}

/// The categories of organisation the guidelines name (beside the IATI organisation types).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OrgCategory {
    /// A civil society organisation.
    CivilSocietyOrganisation,
    /// A non-governmental organisation.
    NonGovernmentalOrganisation,
    /// A community-based organisation.
    CommunityBasedOrganisation,
    /// An independent political foundation.
    PoliticalFoundation,
    /// A private-sector non-profit agency, institution or organisation.
    PrivateNonProfit,
    /// A public body or public-sector operator.
    PublicBody,
    /// A local authority.
    LocalAuthority,
    /// An international or regional inter-governmental organisation.
    InternationalOrganisation,
    /// A parliamentary body.
    ParliamentaryBody,
    /// A political party (excluded from EIDHR funding).
    PoliticalParty,
    /// A university, training or research body.
    AcademicInstitution,
    /// A for-profit company.
    Company,
}

/// The exclusion situations of the practical guide, as declarations (true = the situation applies).
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[schemars(deny_unknown_fields)]
pub struct Exclusions {
    /// Bankrupt, being wound up, or in an analogous situation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bankrupt: Option<bool>,
    /// Convicted of an offence concerning professional conduct.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub convicted: Option<bool>,
    /// Guilty of grave professional misconduct.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grave_misconduct: Option<bool>,
    /// Not in order with social security contributions or taxes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unpaid_taxes: Option<bool>,
    /// Subject of a judgment for fraud, corruption, a criminal organisation or another illegal
    /// activity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fraud: Option<bool>,
    /// Declared in serious breach of contract in another EU procedure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breach_of_contract: Option<bool>,
}

/// One of the exclusion situations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// Bankruptcy or an analogous situation.
    Bankrupt,
    /// Conviction for an offence concerning professional conduct.
    Convicted,
    /// Grave professional misconduct.
    GraveMisconduct,
    /// Unpaid taxes or social security contributions.
    UnpaidTaxes,
    /// Fraud, corruption, a criminal organisation or another illegal activity.
    Fraud,
    /// Serious breach of contract.
    BreachOfContract,
}

impl Exclusion {
    /// The field of [`Exclusions`] that declares it.
    pub fn field(self) -> &'static str {
        match self {
            Exclusion::Bankrupt => "bankrupt",
            Exclusion::Convicted => "convicted",
            Exclusion::GraveMisconduct => "grave_misconduct",
            Exclusion::UnpaidTaxes => "unpaid_taxes",
            Exclusion::Fraud => "fraud",
            Exclusion::BreachOfContract => "breach_of_contract",
        }
    }

    /// The declaration in an application, if given.
    pub fn declared(self, e: &Exclusions) -> Option<bool> {
        match self {
            Exclusion::Bankrupt => e.bankrupt,
            Exclusion::Convicted => e.convicted,
            Exclusion::GraveMisconduct => e.grave_misconduct,
            Exclusion::UnpaidTaxes => e.unpaid_taxes,
            Exclusion::Fraud => e.fraud,
            Exclusion::BreachOfContract => e.breach_of_contract,
        }
    }
}

/// A completed project in an applicant's track record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CompletedProject {
    /// Its title or reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// When it ended.
    #[serde(deserialize_with = "day::required")]
    pub ended_on: NaiveDate,
}

/// An organisation (or person) applying: the lead applicant, a co-applicant or an affiliated entity.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[schemars(deny_unknown_fields)]
pub struct Organisation {
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its legal form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_form: Option<LegalForm>,
    /// Whether it is a legal person (the peer-bench shape; `legal_form` says more).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_person: Option<bool>,
    /// Whether it is non-profit-making.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_profit: Option<bool>,
    /// Its IATI organisation type (`22` National NGO).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_type: Option<CodeValue>,
    /// The guidelines' categories it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<OrgCategory>>,
    /// The country where it is established (ISO 3166 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// When it was registered.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "day::optional"
    )]
    pub registered_on: Option<NaiveDate>,
    /// Whether it acts as an intermediary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intermediary: Option<bool>,
    /// Its declarations on the exclusion situations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusions: Option<Exclusions>,
    /// Projects it has completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_projects: Option<Vec<CompletedProject>>,
    /// Its annual budget, in minor units of the application's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_budget: Option<Amount>,
}

/// The action the grant would fund.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[schemars(deny_unknown_fields)]
pub struct Action {
    /// Its title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The country where it is carried out (ISO alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Further countries where it is carried out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub countries: Option<Vec<String>>,
    /// How long it lasts, in months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_months: Option<u32>,
    /// When it starts.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "day::optional"
    )]
    pub start: Option<NaiveDate>,
    /// Its DAC sector codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sectors: Option<Vec<CodeValue>>,
    /// The call's themes or priorities it addresses (as the call names them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub themes: Option<Vec<String>>,
    /// Strategy priorities it serves (dataset priority ids).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priorities: Option<Vec<String>>,
    /// Kinds of activity it includes (as the call names them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activities: Option<Vec<String>>,
}

/// A budget line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct BudgetLine {
    /// The budget heading (`human_resources`, `travel`, `equipment` ...).
    pub heading: String,
    /// A cost category the call may declare ineligible (`land`, `debt`, `exchange_loss` ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// What it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its amount in minor units.
    pub amount: Amount,
}

/// The budget of the action.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[schemars(deny_unknown_fields)]
pub struct Budget {
    /// The currency of every amount (ISO 4217; EUR when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// Direct eligible costs, in minor units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct: Option<Amount>,
    /// Indirect costs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indirect: Option<Amount>,
    /// The contingency reserve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contingency: Option<Amount>,
    /// The EU contribution requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested: Option<Amount>,
    /// Budget lines (their sum is the direct costs when `direct` is absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<BudgetLine>>,
}

impl Budget {
    /// The currency (EUR when absent).
    pub fn currency(&self) -> Currency {
        self.currency.unwrap_or_default()
    }

    /// Direct costs: `direct`, or else the sum of the lines.
    pub fn direct_costs(&self) -> Option<Amount> {
        self.direct.or_else(|| {
            self.lines
                .as_ref()
                // Saturating: read lines add up to at most [`Amount::MAX`] (checked on reading).
                .map(|lines| {
                    Amount(
                        lines
                            .iter()
                            .fold(0u64, |sum, l| sum.saturating_add(l.amount.0)),
                    )
                })
        })
    }
}

/// An application for a grant.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[schemars(deny_unknown_fields)]
pub struct Application {
    /// The application's reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The lead applicant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant: Option<Organisation>,
    /// The co-applicants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co_applicants: Option<Vec<Organisation>>,
    /// The affiliated entities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliated_entities: Option<Vec<Organisation>>,
    /// The action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    /// The budget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Budget>,
    /// When it was submitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<Instant>,
}

impl Application {
    /// Reads an application from JSON text.
    ///
    /// # Errors
    /// A [`DatasetError`] listing every problem with its JSON path: not JSON, unknown fields,
    /// wrong types, invalid dates, naive or invalid instants, over-precise or negative money.
    pub fn from_json(text: &str) -> Result<Application, DatasetError> {
        let value = parse_document(text)?;
        Application::from_value(&value)
    }

    /// Reads an application from a parsed JSON value.
    ///
    /// # Errors
    /// As [`Application::from_json`].
    pub fn from_value(value: &Value) -> Result<Application, DatasetError> {
        Application::from_value_at(value, "")
    }

    /// Reads an application from any serde deserializer when it reads as it is: no unknown field,
    /// no value that cannot be read, budget lines within [`Amount::MAX`]. `None` otherwise, and
    /// nothing more is said: read it then with [`Application::from_value_at`] (or
    /// [`crate::read_jsonl`]), which names every problem with its path and agrees with this on
    /// every application that reads. What the JSON Lines reader and the bindings use on the
    /// common path, without building a JSON value or tracking paths.
    pub fn read_fast<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Option<Application> {
        let app: Application = crate::read_known(deserializer)?;
        app.within_limits().then_some(app)
    }

    /// Whether an application built by a reader of its own (the bindings' readers of native
    /// objects) is within the limits every reader checks: budget lines that add up to at most
    /// [`Amount::MAX`] when `direct` is absent. Such a reader takes the application only then, and
    /// otherwise leaves it to [`Application::from_value_at`], which reports the problem.
    pub fn within_limits(&self) -> bool {
        lines_too_large(self, "").is_none()
    }

    /// Reads an application whose problems are reported under `path` (`[3]` for the fourth of a
    /// batch).
    ///
    /// # Errors
    /// As [`Application::from_json`].
    pub fn from_value_at(value: &Value, path: &str) -> Result<Application, DatasetError> {
        if !value.is_object() {
            return Err(DatasetError::new(vec![Problem::new(
                Code::InvalidType,
                path,
                format!(
                    "an application is a JSON object, not {}",
                    crate::dataset::json_kind(value)
                ),
            )]));
        }
        // Natively, the common case first: the value reads as it is, and only when it does not
        // is it read again the way that reports every problem with its path. In WebAssembly, only
        // the reporting reader: serde_json's reader of JSON values is then not compiled for the
        // application (about 10 KB of `euca/screen` gzipped). The module's batches of plain
        // objects and JSON Lines have readers of their own; one application given as JSON text,
        // or an object that is not plain, comes here (BENCHMARKS.md times it).
        if !cfg!(target_arch = "wasm32")
            && let Some(app) = Application::read_fast(value)
        {
            return Ok(app);
        }
        Application::reported(value, path)
    }

    /// [`Application::from_value_at`] of an object by the reader that reports every problem
    /// with its path, which reads every application that reads as [`Application::read_fast`]
    /// reads it.
    fn reported(value: &Value, path: &str) -> Result<Application, DatasetError> {
        let mut problems = Vec::new();
        match read_record::<Application>(value, path, &mut problems) {
            Some(app) if problems.is_empty() => match lines_too_large(&app, path) {
                Some(problem) => Err(DatasetError::new(vec![problem])),
                None => Ok(app),
            },
            // Every field of an application is shallow, so a value nested past the limit cannot
            // be read: checked only when reading failed, it costs the valid applications nothing.
            _ => match crate::dataset::value_depth_exceeding(value, crate::dataset::MAX_DEPTH) {
                Some(depth) => {
                    let deep = crate::limits::deep_value_path(value);
                    Err(crate::dataset::too_deep(
                        &crate::dataset::join_path(path, &deep),
                        depth,
                    ))
                }
                None => Err(DatasetError::new(problems)),
            },
        }
    }
}

/// The problem of budget lines that add up to more than [`Amount::MAX`], when `direct` is
/// absent (the lines are then the direct costs).
fn lines_too_large(app: &Application, path: &str) -> Option<Problem> {
    let budget = app.budget.as_ref()?;
    if budget.direct.is_some() {
        return None;
    }
    let sum: u128 = budget
        .lines
        .as_ref()?
        .iter()
        .map(|l| u128::from(l.amount.0))
        .sum();
    (sum > u128::from(Amount::MAX.0)).then(|| {
        Problem::new(
            Code::MoneyTooLarge,
            crate::dataset::join_path(path, "budget.lines"),
            format!(
                "money too large `{sum}`: the budget lines add up to more than {} minor units (2^53 - 1)",
                Amount::MAX.0
            ),
        )
    })
}

/// A day of an application (`registered_on`, `start`, `ended_on`) read from its text as the
/// readers of applications read it: surrounding spaces trimmed, a whole day required.
///
/// # Errors
/// What is wrong with the text (`February 2015 has 28 days`, or that a day is needed).
pub fn parse_day(text: &str) -> Result<NaiveDate, String> {
    if let Some(day) = plain_day(text) {
        return Ok(day);
    }
    let date = crate::date::Date::parse(text.trim()).map_err(|e| e.to_string())?;
    if date.is_exact_day() {
        Ok(date.earliest())
    } else {
        Err(format!(
            "invalid date `{text}`: a day such as `2015-03-01` is needed here"
        ))
    }
}

/// A day written exactly `YYYY-MM-DD` (ten ASCII characters) that exists: what nearly every
/// application gives, read without the general date parser. `None` for anything else, which
/// [`parse_day`] hands to that parser (so every message stays its).
fn plain_day(text: &str) -> Option<NaiveDate> {
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = text.as_bytes() else {
        return None;
    };
    let digits = |ds: &[u8]| {
        ds.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(digits(&[y0, y1, y2, y3])?).ok()?;
    if year == 0 {
        return None;
    }
    NaiveDate::from_ymd_opt(year, digits(&[m0, m1])?, digits(&[d0, d1])?)
}

/// Days in an application (`2015-03-01`), read with euca's date messages: an impossible or
/// malformed day is an `invalid_date` that says what is wrong (`February 2015 has 28 days`).
pub(crate) mod day {
    use std::fmt;

    use chrono::NaiveDate;
    use serde::Deserializer;
    use serde::de::{self, Visitor};

    struct Day;

    impl Visitor<'_> for Day {
        type Value = NaiveDate;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a day such as `2015-03-01`")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<NaiveDate, E> {
            super::parse_day(v).map_err(E::custom)
        }
    }

    struct MaybeDay;

    impl<'de> Visitor<'de> for MaybeDay {
        type Value = Option<NaiveDate>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a day such as `2015-03-01`")
        }

        fn visit_none<E: de::Error>(self) -> Result<Option<NaiveDate>, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Option<NaiveDate>, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<NaiveDate>, D::Error> {
            d.deserialize_str(Day).map(Some)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<NaiveDate>, E> {
            Day.visit_str(v).map(Some)
        }
    }

    /// An evaluation day, the `as_of` of a decision or a batch read back: a day as [`required`]
    /// reads it, or else as chrono writes one, for a year euca's dates do not have but an
    /// evaluation may be asked for (`0000-03-01`, `+10000-01-01`), so that what euca wrote reads
    /// back. An impossible day (`2020-02-30`) is still an invalid date.
    pub(crate) fn as_of<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        d.deserialize_str(AsOf)
    }

    struct AsOf;

    impl Visitor<'_> for AsOf {
        type Value = NaiveDate;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a day such as `2015-03-01`")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<NaiveDate, E> {
            super::parse_day(v)
                .or_else(|e| v.parse::<NaiveDate>().map_err(|_| e))
                .map_err(E::custom)
        }
    }

    pub(crate) fn required<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        d.deserialize_str(Day)
    }

    pub(super) fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        d.deserialize_option(MaybeDay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    include!("../../tests/fixture_applications.rs");

    /// WebAssembly reads a JSON value with the reporting reader alone: it reads each
    /// application of the fixtures, and damaged copies of them (wrong types, nulls, unknown
    /// fields, removed fields, anywhere in the application), as the common path does, and
    /// refuses those it refuses, naming their problems.
    #[test]
    fn the_reporting_reader_alone_reads_applications_as_the_common_path() {
        // Objects only: serde would read a struct from a list, which from_value_at refuses first.
        let fixtures: Vec<Value> = fixture_applications()
            .into_iter()
            .filter(Value::is_object)
            .collect();
        assert!(
            fixtures.len() > 200,
            "only {} fixture applications",
            fixtures.len()
        );
        let mut damaged = Vec::new();
        for value in fixtures.iter().step_by(4) {
            damaged.extend(crate::report::damaged(value, 12, true));
        }
        let (mut read, mut refused) = (0, 0);
        for value in fixtures.iter().chain(&damaged) {
            let fast = Application::read_fast(value);
            let reported = Application::reported(value, "");
            assert_eq!(fast, reported.clone().ok(), "{value}");
            match reported {
                Ok(_) => read += 1,
                Err(e) => {
                    refused += 1;
                    assert!(!e.problems().is_empty(), "{value}");
                }
            }
        }
        assert!(read > 500, "only {read} applications read");
        assert!(refused > 1000, "only {refused} applications refused");
    }

    /// The day the general date parser reads from `text`, as `parse_day` did before its fast
    /// path.
    fn general(text: &str) -> Option<NaiveDate> {
        let date = crate::date::Date::parse(text.trim()).ok()?;
        date.is_exact_day().then(|| date.earliest())
    }

    #[test]
    fn plain_days_read_as_the_general_date_parser_reads_them() {
        let mut cases: Vec<String> = [
            "2015-03-01",
            " 2015-03-01",
            "2015-03-01 ",
            "2015-3-01",
            "2015-03",
            "2015",
            "+015-03-01",
            "2015/03/01",
            "2015-03-0a",
            "２015-03-01",
            "[2015-03-01,2015-03-02]",
            "2015-03-01/2015-03-02",
        ]
        .map(String::from)
        .to_vec();
        for year in [
            0, 1, 999, 1000, 1582, 1900, 2000, 2015, 2019, 2020, 2100, 9999,
        ] {
            for month in 0..=42 {
                for day in 0..=32 {
                    cases.push(format!("{year:04}-{month:02}-{day:02}"));
                }
            }
        }
        let mut plain = 0;
        for case in &cases {
            let expected = general(case);
            if let Some(day) = plain_day(case) {
                assert_eq!(Some(day), expected, "{case}");
                plain += 1;
            }
            assert_eq!(parse_day(case).ok(), expected, "{case}");
        }
        // Every real day written plainly takes the fast path: 11 years (not 0000), 2000 and 2020
        // leap years, and `2015-03-01` of the cases above.
        assert_eq!(plain, 9 * 365 + 2 * 366 + 1, "{plain}");
    }
}
