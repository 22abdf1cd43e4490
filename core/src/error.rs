//! Errors: every one has a stable `code`, a message and, for input, the JSON path of the offending
//! value. The catalogue of codes is docs/errors.md.
//!
//! Loading and extending a dataset collect every problem they find ([`DatasetError`] holds a list of
//! [`Problem`]s); queries fail on the first bad argument ([`QueryError`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::date::DateError;

/// The stable code of a problem. The string form (`unknown_field`) is what every language shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Code {
    /// The text is not JSON (a syntax error, invalid UTF-8, empty input).
    InvalidJson,
    /// The document is larger than the documented limit.
    InputTooLarge,
    /// The document nests deeper than the documented limit.
    InputTooDeep,
    /// A value has the wrong JSON type.
    InvalidType,
    /// A value has the right type but is not one of the allowed values.
    InvalidValue,
    /// A required field is absent.
    MissingField,
    /// A field the schema does not know (often a misspelling).
    UnknownField,
    /// A date that is not a valid EDTF date of the supported subset.
    InvalidDate,
    /// Two records share an id.
    DuplicateId,
    /// A reference names a record that does not exist.
    UnresolvedReference,
    /// A record (or a change, or an alternative) without any source.
    MissingSource,
    /// A source without an address or a document, or without a title.
    InvalidSource,
    /// A disputed value with fewer than two alternatives or without a note.
    InvalidDispute,
    /// A round dated before its dialogue was agreed, without a note saying why.
    RoundBeforeDialogue,
    /// Two rounds of one dialogue with the same number.
    DuplicateRoundNumber,
    /// A round numbered higher than another but dated before it.
    RoundsOutOfOrder,
    /// A dialogue's format changes are not in date order.
    FormatsOutOfOrder,
    /// A correction or retraction names an id that is not in the dataset.
    UnknownId,
    /// A query names a country that is not in the dataset.
    UnknownCountry,
    /// A query names a record that is not in the dataset.
    UnknownRecord,
    /// A call overrides or removes a criterion it does not inherit.
    UnknownCriterion,
    /// A call overrides or removes one criterion twice.
    ConflictingOverride,
    /// Rule sets extend each other in a cycle.
    CircularExtends,
    /// A date-time without a UTC offset or a time zone.
    NaiveDatetime,
    /// A time zone that is not in the IANA database.
    UnknownTimeZone,
    /// A date-time that cannot be read, or a local time that a daylight-saving change makes ambiguous.
    InvalidInstant,
    /// An amount finer than a minor unit (a fraction of a cent).
    OverPreciseMoney,
    /// A negative amount.
    NegativeMoney,
    /// An amount over 2^53 − 1 minor units, or budget lines that add up to more.
    MoneyTooLarge,
    /// An IATI file that is not well-formed XML, or not an `iati-activities` document.
    InvalidXml,
    /// A code outside its IATI codelist (a warning on import; kept as given).
    UnknownCode,
    /// A code withdrawn from its IATI codelist (a warning on import; DAC sector codes withdrawn in
    /// 2020 are read as their successors).
    WithdrawnCode,
    /// An IATI element or attribute that euca does not read (a warning on import, counted).
    NotRead,
    /// An IATI element given twice where the standard allows one.
    DuplicateElement,
    /// Percentages that add up to more than 100.
    PercentagesOverHundred,
}

impl Code {
    /// The stable string form, as documented in docs/errors.md.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidJson => "invalid_json",
            Code::InputTooLarge => "input_too_large",
            Code::InputTooDeep => "input_too_deep",
            Code::InvalidType => "invalid_type",
            Code::InvalidValue => "invalid_value",
            Code::MissingField => "missing_field",
            Code::UnknownField => "unknown_field",
            Code::InvalidDate => "invalid_date",
            Code::DuplicateId => "duplicate_id",
            Code::UnresolvedReference => "unresolved_reference",
            Code::MissingSource => "missing_source",
            Code::InvalidSource => "invalid_source",
            Code::InvalidDispute => "invalid_dispute",
            Code::RoundBeforeDialogue => "round_before_dialogue",
            Code::DuplicateRoundNumber => "duplicate_round_number",
            Code::RoundsOutOfOrder => "rounds_out_of_order",
            Code::FormatsOutOfOrder => "formats_out_of_order",
            Code::UnknownId => "unknown_id",
            Code::UnknownCountry => "unknown_country",
            Code::UnknownRecord => "unknown_record",
            Code::UnknownCriterion => "unknown_criterion",
            Code::ConflictingOverride => "conflicting_override",
            Code::CircularExtends => "circular_extends",
            Code::NaiveDatetime => "naive_datetime",
            Code::UnknownTimeZone => "unknown_time_zone",
            Code::InvalidInstant => "invalid_instant",
            Code::OverPreciseMoney => "over_precise_money",
            Code::NegativeMoney => "negative_money",
            Code::MoneyTooLarge => "money_too_large",
            Code::InvalidXml => "invalid_xml",
            Code::UnknownCode => "unknown_code",
            Code::WithdrawnCode => "withdrawn_code",
            Code::NotRead => "not_read",
            Code::DuplicateElement => "duplicate_element",
            Code::PercentagesOverHundred => "percentages_over_hundred",
        }
    }

    /// Every code, in catalogue order.
    pub const ALL: [Code; 35] = [
        Code::InvalidJson,
        Code::InputTooLarge,
        Code::InputTooDeep,
        Code::InvalidType,
        Code::InvalidValue,
        Code::MissingField,
        Code::UnknownField,
        Code::InvalidDate,
        Code::DuplicateId,
        Code::UnresolvedReference,
        Code::MissingSource,
        Code::InvalidSource,
        Code::InvalidDispute,
        Code::RoundBeforeDialogue,
        Code::DuplicateRoundNumber,
        Code::RoundsOutOfOrder,
        Code::FormatsOutOfOrder,
        Code::UnknownId,
        Code::UnknownCountry,
        Code::UnknownRecord,
        Code::UnknownCriterion,
        Code::ConflictingOverride,
        Code::CircularExtends,
        Code::NaiveDatetime,
        Code::UnknownTimeZone,
        Code::InvalidInstant,
        Code::OverPreciseMoney,
        Code::NegativeMoney,
        Code::MoneyTooLarge,
        Code::InvalidXml,
        Code::UnknownCode,
        Code::WithdrawnCode,
        Code::NotRead,
        Code::DuplicateElement,
        Code::PercentagesOverHundred,
    ];
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing wrong with an input document, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The stable code.
    pub code: Code,
    /// What is wrong, in a sentence (lowercase, no final period, input in backticks).
    pub message: String,
    /// The JSON path of the offending value (`rounds[3].date`); empty for the whole document.
    pub path: String,
}

impl Problem {
    /// A problem with its code, message and path.
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            code,
            message: message.into(),
            path: path.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{} at `{}`", self.message, self.path)
        }
    }
}

/// A dataset or an extension that cannot be loaded: every problem found, with its path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DatasetError {
    problems: Vec<Problem>,
}

impl DatasetError {
    /// An error from the problems found (at least one).
    pub fn new(problems: Vec<Problem>) -> DatasetError {
        DatasetError { problems }
    }

    /// The code of the first problem (what a caller that wants one code shows).
    pub fn code(&self) -> Code {
        self.problems
            .first()
            .map(|p| p.code)
            .unwrap_or(Code::InvalidValue)
    }

    /// Every problem: first those found while reading records (in document order), then those of
    /// each validation rule.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The problems, taken out of the error.
    pub fn into_problems(self) -> Vec<Problem> {
        self.problems
    }
}

impl fmt::Display for DatasetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [] => f.write_str("invalid dataset"),
            [one] => write!(f, "{one}"),
            [first, rest @ ..] => write!(f, "{first} (and {} more problems)", rest.len()),
        }
    }
}

/// A query that cannot be answered because an argument is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// No country of the dataset has this code or name.
    #[error(
        "unknown country `{input}`: use an ISO 3166 code (`KZ`, `KAZ`) or a name (`Kazakhstan`)"
    )]
    UnknownCountry {
        /// What the caller gave.
        input: String,
    },
    /// No record of the dataset has this id.
    #[error("unknown {what} `{input}`")]
    UnknownRecord {
        /// What kind of record was looked for (`priority`, `dialogue`).
        what: &'static str,
        /// What the caller gave.
        input: String,
    },
    /// A date argument that cannot be read.
    #[error(transparent)]
    InvalidDate(#[from] DateError),
}

impl QueryError {
    /// The stable code.
    pub fn code(&self) -> Code {
        match self {
            QueryError::UnknownCountry { .. } => Code::UnknownCountry,
            QueryError::UnknownRecord { .. } => Code::UnknownRecord,
            QueryError::InvalidDate(_) => Code::InvalidDate,
        }
    }
}
