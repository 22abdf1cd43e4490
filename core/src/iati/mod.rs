//! IATI 2.03 activity files: read into [`Project`] records, written from them.
//!
//! [`read_iati`] reads a whole `iati-activities` document; [`IatiReader`] streams one over any
//! [`std::io::BufRead`], an activity at a time, in memory bounded by the largest activity (the
//! document-size limit of rule sets does not apply). [`to_iati`] writes records as an IATI 2.03
//! document that the standard's schema accepts.
//!
//! Reading keeps what the file says and tells what it did not take:
//!
//! - identifiers, the reporting and participating organisations (roles, types, references),
//!   narratives in every language, recipient countries and regions with percentages, sectors
//!   with their vocabularies, activity dates by type, the activity status, and budgets and
//!   transactions summed by type and currency, as exact money: an IATI value is a decimal,
//!   converted to whole minor units of its currency (`1000000.99` GBP is 100 000 099 pence); a
//!   value finer than the minor unit is rounded to the nearest one (halves away from zero) with
//!   an `over_precise_money` warning, never silently;
//! - codes outside their codelists come back as `unknown_code` warnings beside the records, the
//!   code kept as given; withdrawn codes as `withdrawn_code` warnings, the DAC sector codes
//!   withdrawn in 2020 read as their successors where one active code takes their place
//!   (`15162` human rights (old) as `15160`; the mapping is euca's own, the codelist naming
//!   none), the record keeping the old code in `replaced`; the six that no one code succeeds
//!   (`23040`, `23067`, `23070`, `92010`, `92020`, `92030`) are kept as given;
//! - an empty `narrative` is not kept, with a `missing_field` warning at its path;
//! - every element and attribute euca does not read is counted and named in a `not_read` warning,
//!   never silently dropped (those beside the activities are tallied by name as they stream by,
//!   so that memory does not grow with their number);
//! - what makes an activity unreadable (a value euca holds that is not a number or a date, a
//!   required code or value missing, an element given twice where the standard allows one) is an
//!   error with the element's path, XPath-like: `iati-activities/iati-activity[3]/transaction[2]/value`.
//!   [`read_iati`] fails with every such problem of the file; [`ImportOptions::skip_invalid`]
//!   skips those activities instead, their problems becoming warnings. A file that is not
//!   well-formed XML is an `invalid_xml` error.
//!
//! Writing fills what the schema requires and the record lacks: a record without an IATI
//! identifier or reporting organisation gets one built from the caller's reporting-organisation
//! prefix ([`ExportOptions::prefix`]), flagged in [`Project::generated`]; a status, description,
//! participating organisation, activity date, budget period or transaction date that the record
//! does not hold is supplied (an activity status from the dates and [`ExportOptions::as_of`], a
//! date from the record's other dates) and named as supplied. The record's money is written as
//! IATI elements, so that a reader that knows nothing of euca sees it: the total cost as one
//! `budget` (type `1` original, status `1` indicative) over the action's period, whose bounds are
//! the first day of the start and the last day of the end (or of the stated duration), so a date
//! known only to the month or year gets no invented day; the EU contribution as an outgoing
//! commitment (`transaction` type `2`, as the EU publishes its grants) dated at the start. A
//! transaction needs a day: where the record gives the start only to the month or year, the
//! commitment is dated at its first day and an XML comment beside it says that day is not known
//! (with no start, the announcement's day is used, and said so). Each activity carries the euca
//! record itself in an extension element of euca's namespace ([`EUCA_NAMESPACE`]), which the
//! schema allows: reading the file back restores every field euca holds (sources, inferred
//! classifications, dates at their precision, amounts, themes ...) and drops what was supplied,
//! so that import∘export keeps every field; where the IATI part of the file was edited since, the
//! file's value wins, with a warning.

pub(crate) mod codelists;
mod read;
mod write;

use serde::{Deserialize, Serialize};

use crate::error::{Code, DatasetError};
use crate::model::Source;
use crate::projects::Project;

pub use read::IatiReader;
pub use write::{ExportOptions, to_iati};

/// The XML namespace of euca's extension element (`<euca:project>`), which carries the euca record
/// inside an exported IATI activity.
pub const EUCA_NAMESPACE: &str = "https://github.com/euca-project/euca/iati";

/// How to read an IATI file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOptions {
    /// Skip the activities that cannot be read, reporting their problems as warnings, instead of
    /// failing (default: fail).
    #[serde(default)]
    pub skip_invalid: bool,
    /// A source to give every record read (the file's address), so that the records can join a
    /// dataset, where every record needs one. Records that carry euca's extension keep their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// Something euca noticed while reading an IATI file that did not stop it: a code outside its
/// codelist, an element it does not read, a value rounded, a required element missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IatiWarning {
    /// The stable code (`unknown_code`, `withdrawn_code`, `not_read`, `over_precise_money`,
    /// `missing_field`, `percentages_over_hundred`, `invalid_value` ...).
    pub code: Code,
    /// What happened, in a sentence.
    pub message: String,
    /// Where, XPath-like (`iati-activities/iati-activity[3]/sector[2]/@code`); for `not_read`
    /// warnings of a whole file, the first place.
    pub path: String,
    /// The activity's position in the file (1 for the first), when the warning concerns one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<u64>,
    /// How many times it happened (the number of elements of that name not read).
    pub count: u64,
}

/// One activity read from an IATI file: the record and the warnings about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedActivity {
    /// The record.
    pub project: Project,
    /// What euca noticed while reading it.
    pub warnings: Vec<IatiWarning>,
}

/// A whole IATI file, read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IatiImport {
    /// The file's IATI version (`iati-activities/@version`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The records, in file order.
    pub records: Vec<Project>,
    /// The warnings about the file and its activities. `not_read` warnings are summed over the
    /// file: one per element name, with the number of elements and the first place.
    pub warnings: Vec<IatiWarning>,
}

/// Reads a whole IATI activity file (an `iati-activities` document).
///
/// # Errors
/// A [`DatasetError`] with every problem, each with the element's path: `invalid_xml` for text
/// that is not well-formed XML or not an `iati-activities` document, and the problems of each
/// activity that cannot be read (`invalid_value`, `invalid_date`, `missing_field`,
/// `duplicate_element` ...).
pub fn read_iati(text: &str) -> Result<IatiImport, DatasetError> {
    read_iati_with(text, &ImportOptions::default())
}

/// As [`read_iati`], with options.
///
/// # Errors
/// As [`read_iati`]; with `skip_invalid`, only the problems of the document itself.
pub fn read_iati_with(text: &str, options: &ImportOptions) -> Result<IatiImport, DatasetError> {
    read_iati_from(text.as_bytes(), options)
}

/// As [`read_iati`], from any buffered reader (a file, a decompressor), streaming.
///
/// # Errors
/// As [`read_iati_with`], plus `invalid_xml` for bytes that cannot be read or are not UTF-8.
pub fn read_iati_from<R: std::io::BufRead>(
    reader: R,
    options: &ImportOptions,
) -> Result<IatiImport, DatasetError> {
    let mut stream = IatiReader::with_options(reader, options.clone());
    let mut records = Vec::new();
    let mut warnings: Vec<IatiWarning> = Vec::new();
    let mut problems = Vec::new();
    let mut not_read = read::NotReadTally::default();
    for item in stream.by_ref() {
        match item {
            Ok(activity) => {
                for w in activity.warnings {
                    if w.code == Code::NotRead {
                        not_read.add(w);
                    } else {
                        warnings.push(w);
                    }
                }
                records.push(activity.project);
            }
            Err(e) => problems.extend(e.into_problems()),
        }
    }
    for w in stream.document_warnings() {
        if w.code == Code::NotRead {
            not_read.add(w.clone());
        } else {
            warnings.push(w.clone());
        }
    }
    if !problems.is_empty() {
        return Err(DatasetError::new(problems));
    }
    warnings.extend(not_read.into_warnings());
    Ok(IatiImport {
        version: stream.version().map(str::to_string),
        records,
        warnings,
    })
}
