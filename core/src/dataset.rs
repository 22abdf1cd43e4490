//! The dataset: every record, loaded from JSON, validated, extended by users, written back.
//!
//! The embedded dataset lives in `core/data/*.json` (one file per group of collections, each a part
//! of one dataset document), which [`Dataset::embedded`] reads collection by collection, each when
//! it is first used. [`Dataset::from_json`] reads a
//! whole document, [`Dataset::to_json`] writes it back (a round trip is the identity), and
//! [`Dataset::extend`] adds, corrects or retracts records, each change with its own source.

use std::sync::{Arc, OnceLock};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Code, DatasetError, Problem};
use crate::model::{
    Agreement, Body, Country, Dialogue, DialogueType, Initiative, Instrument, Objective,
    OrganisationType, PriorityIssue, ProjectKind, Round, Sector, Seminar, Source, Strategy,
};
use crate::projects::Project;
use crate::report::Step;
use crate::rules::RuleSet;
use crate::validate;

/// The largest document [`Dataset::from_json`] and [`Dataset::extend`] accept, in bytes (16 MiB).
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;

/// The deepest nesting of arrays and objects a document may have.
pub const MAX_DEPTH: usize = 64;

/// The names of the collections of a dataset document, in the order they are written.
pub const COLLECTIONS: [&str; 17] = [
    "countries",
    "strategies",
    "agreements",
    "bodies",
    "dialogue_types",
    "objectives",
    "priority_issues",
    "dialogues",
    "rounds",
    "seminars",
    "initiatives",
    "instruments",
    "project_kinds",
    "projects",
    "organisation_types",
    "sectors",
    "rule_sets",
];

/// What a change to the dataset did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeAction {
    /// A record was added (it carries its own sources).
    Add,
    /// Fields of a record were corrected.
    Correct,
    /// A record was retracted.
    Retract,
}

/// One change made by [`Dataset::extend`], kept so that nothing a user gave is lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// What was done.
    pub action: ChangeAction,
    /// The id (or code) of the record.
    pub id: String,
    /// The fields a correction set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// The sources of a correction or retraction (an added record carries its own).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

// The embedded dataset: core/data/*.json and core/data/rules/*.json merged by the build script
// (core/build.rs) into the members of one document, each collection's a part of its own.
include!(concat!(env!("OUT_DIR"), "/embedded_parts.rs"));

/// Declares [`Dataset`], and how the embedded dataset is made of the embedded document's parts, from
/// one list of collections.
macro_rules! dataset_collections {
    ($($field:ident: $record:ty,)*) => {
        /// The sourced dataset: countries, strategies, agreements, dialogues, rounds, seminars,
        /// initiatives, instruments, funded projects and the code tables euca uses.
        ///
        /// Read one with [`Dataset::from_json`], or with serde: its `Deserialize` makes the same
        /// checks and fails with every problem they find, in one message.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        pub struct Dataset {
            pub(crate) version: String,
            $(
                #[serde(default, skip_serializing_if = "no_records")]
                pub(crate) $field: Records<$record>,
            )*
        }

        impl Dataset {
            /// The embedded dataset, each collection still to be read from its part of the
            /// embedded document (see [`Records`]).
            fn embedded_parts() -> Dataset {
                Dataset {
                    version: EMBEDDED_VERSION.to_string(),
                    $($field: Records::embedded(),)*
                }
            }

            /// Reads every collection not read yet.
            fn read_every_collection(&self) {
                $(let _ = self.$field.len();)*
            }
        }

        $(impl Embedded for $record {
            fn part() -> Option<&'static str> {
                embedded_part_of!($field)
            }
        })*

        /// The JSON of a member of the embedded document, if it has one (every part linked: for
        /// the whole document and the tests; a collection's first use reads its own).
        pub(crate) fn embedded_part(key: &str) -> Option<&'static str> {
            match key {
                $(stringify!($field) => <$record as Embedded>::part(),)*
                _ => None,
            }
        }
    };
}

dataset_collections! {
    countries: Country,
    strategies: Strategy,
    agreements: Agreement,
    bodies: Body,
    dialogue_types: DialogueType,
    objectives: Objective,
    priority_issues: PriorityIssue,
    dialogues: Dialogue,
    rounds: Round,
    seminars: Seminar,
    initiatives: Initiative,
    instruments: Instrument,
    project_kinds: ProjectKind,
    projects: Project,
    organisation_types: OrganisationType,
    sectors: Sector,
    rule_sets: RuleSet,
    changes: Change,
}

impl<'de> Deserialize<'de> for Dataset {
    /// Reads a dataset document as [`Dataset::from_value`] does, with every check.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Dataset, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Dataset::from_value(value).map_err(|e| {
            let problems: Vec<String> = e.problems().iter().map(ToString::to_string).collect();
            serde::de::Error::custom(format!("invalid dataset: {}", problems.join("; ")))
        })
    }
}

/// A collection of records. Shared, so that cloning a dataset (as every `Dataset::embedded()`
/// call does) copies no record: a dataset is never changed in place; `extend` builds a new one.
///
/// A collection of the embedded dataset is read from its part of the embedded document when it is
/// first used (a dereference), once per process, so that `Dataset::embedded()` reads nothing and a
/// program pays only for the collections it uses. That read skips the checks of
/// [`Dataset::from_json`]: the crate's tests prove that each part reads, and reads as the checked
/// read of the whole document does (`every_embedded_collection_reads_unchecked_as_the_checked_read_does`).
pub(crate) struct Records<T>(Arc<Lazy<T>>);

struct Lazy<T> {
    read: OnceLock<Vec<T>>,
    /// Whether the records are the embedded collection's, read from its part when first used.
    embedded: bool,
}

/// A record type whose collection has a part of the embedded document: a static of its own, so
/// that a program that never reads the collection does not link it (build.rs).
pub(crate) trait Embedded {
    /// The collection's JSON in the embedded document, if it has one.
    fn part() -> Option<&'static str>;
}

impl<T> Records<T> {
    fn embedded() -> Records<T> {
        Records(Arc::new(Lazy {
            read: OnceLock::new(),
            embedded: true,
        }))
    }
}

impl<T: DeserializeOwned + Embedded> std::ops::Deref for Records<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        self.0
            .read
            .get_or_init(|| read_part(if self.0.embedded { T::part() } else { None }))
    }
}

/// The records of a part of the embedded document. A part that does not read (only if core/data
/// was edited without running the crate's tests, which read every part) reads as no records
/// rather than stopping the program. Not inlined: the readers of the records are then shared with
/// the other readers of their type rather than copied into each collection's first use (300 KB
/// of the `.wasm` built for speed).
///
/// In WebAssembly the part is read as a JSON value and then by [`crate::report`], the reader
/// that names the problems of the user's documents, which the module has anyway: each record
/// type's reading is compiled there only, not once more for JSON text (the rule sets and
/// sectors about 60 KB of `euca/screen`'s code; with the other change of BENCHMARKS.md's "Late
/// morning of 2026-12-02", 86 KB of the browsers' module gzipped). Natively it is read straight
/// from its text, which is faster.
#[inline(never)]
fn read_part<T: DeserializeOwned>(part: Option<&str>) -> Vec<T> {
    part.and_then(|json| {
        if cfg!(target_arch = "wasm32") {
            read_part_as_value(json)
        } else {
            serde_json::from_str(json).ok()
        }
    })
    .unwrap_or_default()
}

/// [`read_part`] in WebAssembly: the part read as a JSON value, then by [`crate::report`].
fn read_part_as_value<T: DeserializeOwned>(json: &str) -> Option<Vec<T>> {
    let value = crate::json::read(json).ok()?;
    crate::report::read::<Vec<T>>(&value).result.ok()
}

impl<T> From<Vec<T>> for Records<T> {
    fn from(records: Vec<T>) -> Records<T> {
        Records(Arc::new(Lazy {
            read: OnceLock::from(records),
            embedded: false,
        }))
    }
}

impl<T> Default for Records<T> {
    fn default() -> Records<T> {
        Records::from(Vec::new())
    }
}

impl<T> Clone for Records<T> {
    fn clone(&self) -> Records<T> {
        Records(Arc::clone(&self.0))
    }
}

impl<T: DeserializeOwned + Embedded + PartialEq> PartialEq for Records<T> {
    fn eq(&self, other: &Records<T>) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || **self == **other
    }
}

impl<T: DeserializeOwned + Embedded + Eq> Eq for Records<T> {}

impl<T: DeserializeOwned + Embedded + std::fmt::Debug> std::fmt::Debug for Records<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: DeserializeOwned + Embedded + Serialize> Serialize for Records<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

fn no_records<T: DeserializeOwned + Embedded>(records: &Records<T>) -> bool {
    records.is_empty()
}

/// The embedded document as one compact JSON text, its members in order.
fn embedded_text() -> String {
    let mut text = String::from("{");
    for (i, key) in EMBEDDED_KEYS.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!("{key:?}:"));
        match (*key, embedded_part(key)) {
            ("version", _) => text.push_str(&format!("{EMBEDDED_VERSION:?}")),
            (_, Some(part)) => text.push_str(part),
            // A member that is not a collection of a dataset (the crate's tests refuse one).
            (_, None) => text.push_str("null"),
        }
    }
    text.push('}');
    text
}

static EMBEDDED_DATASET: OnceLock<Result<Dataset, DatasetError>> = OnceLock::new();

impl Dataset {
    /// The dataset that ships with euca. Each collection is read from the embedded document when
    /// it is first used, once per process; the datasets this gives share those records.
    ///
    /// The reads skip the checks of [`Dataset::from_json`] (references, ids, sources), which the
    /// crate's tests prove every collection of the embedded data passes, and that each reads as
    /// the checked read of the whole document does. Were core/data edited into a state that does
    /// not read and released without running those tests, a collection that does not read would
    /// be empty rather than stop the program.
    ///
    /// # Errors
    /// Never: the build script (core/build.rs) stops the build of an embedded document without
    /// a version. The `Result` keeps the signature of every other way to get a dataset.
    pub fn embedded() -> Result<Dataset, DatasetError> {
        EMBEDDED_DATASET
            .get_or_init(Dataset::embedded_unread)
            .clone()
    }

    /// What the first [`Dataset::embedded()`] of a process does: a new dataset of the embedded
    /// document's parts, none read yet. For the benchmarks (criterion
    /// `dataset/embedded_first_call`); use `embedded()`.
    ///
    /// # Errors
    /// As [`Dataset::embedded`].
    #[doc(hidden)]
    pub fn embedded_unread() -> Result<Dataset, DatasetError> {
        Ok(Dataset::embedded_parts())
    }

    /// Reads the whole embedded document into a new dataset, every collection, without the
    /// checks the crate's tests prove it passes: what a program that uses every collection of
    /// [`Dataset::embedded()`] reads once. For the benchmarks (criterion
    /// `dataset/embedded_every_collection`); use `embedded()`, which reads each collection once.
    ///
    /// # Errors
    /// As [`Dataset::embedded`].
    #[doc(hidden)]
    pub fn read_embedded_document() -> Result<Dataset, DatasetError> {
        let dataset = Dataset::embedded_parts();
        dataset.read_every_collection();
        Ok(dataset)
    }

    /// The embedded dataset as one JSON document, before validation.
    ///
    /// # Errors
    /// Never for a built euca: the build script (core/build.rs) stops the build when a file of
    /// the embedded data is not a JSON object or a collection appears in two files.
    pub fn embedded_json() -> Result<String, DatasetError> {
        let doc = embedded_document()?;
        serde_json::to_string_pretty(&doc).map_err(|e| {
            DatasetError::new(vec![Problem::new(Code::InvalidJson, "", e.to_string())])
        })
    }

    /// Reads a whole dataset document.
    ///
    /// # Errors
    /// A [`DatasetError`] listing every problem with its JSON path: text that is not JSON, a
    /// document over [`MAX_DOCUMENT_BYTES`] or deeper than [`MAX_DEPTH`], unknown fields, wrong
    /// types, missing fields, invalid dates, duplicate ids, references that do not resolve, a round
    /// dated before its dialogue existed (unless noted), a record without a source.
    pub fn from_json(text: &str) -> Result<Dataset, DatasetError> {
        let value = parse_document(text)?;
        Dataset::from_value(value)
    }

    /// Reads a dataset document from bytes, rejecting invalid UTF-8 with a clear error.
    ///
    /// # Errors
    /// As [`Dataset::from_json`], plus `invalid_json` for bytes that are not UTF-8.
    pub fn from_slice(bytes: &[u8]) -> Result<Dataset, DatasetError> {
        Dataset::from_json(utf8(bytes)?)
    }

    /// Reads a dataset document already parsed into a JSON value.
    ///
    /// # Errors
    /// As [`Dataset::from_json`].
    pub fn from_value(value: Value) -> Result<Dataset, DatasetError> {
        if let Some(depth) = value_depth_exceeding(&value, MAX_DEPTH) {
            return Err(too_deep(&crate::limits::deep_value_path(&value), depth));
        }
        let (dataset, mut problems, unreadable) = decode(&value);
        problems.extend(validate::validate(&dataset, &unreadable));
        if problems.is_empty() {
            Ok(dataset)
        } else {
            Err(DatasetError::new(problems))
        }
    }

    /// Writes the dataset as one JSON document (pretty-printed, keys in a fixed order).
    pub fn to_json(&self) -> String {
        // Serialising plain data structs with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The dataset as a JSON value.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Adds, corrects or retracts records, returning the extended dataset.
    ///
    /// The extension document has up to three parts, applied in this order:
    /// - `retract`: `[{"id", "sources", "note"}]` removes records by id;
    /// - `correct`: `[{"id", "set": {field: value}, "sources", "note"}]` replaces fields of a record
    ///   (a `null` value removes an optional field); the correction's sources are added to the
    ///   record's;
    /// - `add`: `{"rounds": [...], "seminars": [...], ...}` adds records, each with its own sources.
    ///
    /// Every change is kept in the dataset's `changes`, so [`Dataset::to_json`] writes it out.
    ///
    /// # Errors
    /// A [`DatasetError`] listing every problem, with paths into the extension document
    /// (`add.rounds[0].date`, `correct[1].id`): anything [`Dataset::from_json`] rejects, an unknown
    /// id, a correction or retraction without a source, an attempt to change an id.
    pub fn extend(&self, extension: &str) -> Result<Dataset, DatasetError> {
        let value = parse_document(extension)?;
        self.extend_value(value)
    }

    /// As [`Dataset::extend`], from a JSON value.
    ///
    /// # Errors
    /// As [`Dataset::extend`].
    pub fn extend_value(&self, extension: Value) -> Result<Dataset, DatasetError> {
        if let Some(depth) = value_depth_exceeding(&extension, MAX_DEPTH) {
            return Err(too_deep(&crate::limits::deep_value_path(&extension), depth));
        }
        crate::extend::apply(self, extension)
    }

    /// The dataset's version (`2026.11.30` for the data published that day).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The changes made by [`Dataset::extend`], oldest first.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// The five Central Asian states and the EU.
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// The EU strategies for Central Asia, oldest first.
    pub fn strategies(&self) -> &[Strategy] {
        &self.strategies
    }

    /// The agreements between the EU and the five states.
    pub fn agreements(&self) -> &[Agreement] {
        &self.agreements
    }

    /// The agreement bodies dialogues meet in or beside.
    pub fn bodies(&self) -> &[Body] {
        &self.bodies
    }

    /// The dialogue types of the EU Guidelines on human rights dialogues.
    pub fn dialogue_types(&self) -> &[DialogueType] {
        &self.dialogue_types
    }

    /// The objectives of the dialogues.
    pub fn objectives(&self) -> &[Objective] {
        &self.objectives
    }

    /// The priority issues the EU raises in its human rights dialogues.
    pub fn priority_issues(&self) -> &[PriorityIssue] {
        &self.priority_issues
    }

    /// The five dialogues.
    pub fn dialogues(&self) -> &[Dialogue] {
        &self.dialogues
    }

    /// Every stored round (rounds known only by a later round's number are not stored; see
    /// [`Dataset::rounds_in`]).
    pub fn rounds(&self) -> &[Round] {
        &self.rounds
    }

    /// Every stored civil-society seminar.
    pub fn seminars(&self) -> &[Seminar] {
        &self.seminars
    }

    /// Initiatives and standing practices under the strategy.
    pub fn initiatives(&self) -> &[Initiative] {
        &self.initiatives
    }

    /// Funding instruments and programmes.
    pub fn instruments(&self) -> &[Instrument] {
        &self.instruments
    }

    /// The kinds of project the dialogues lead to.
    pub fn project_kinds(&self) -> &[ProjectKind] {
        &self.project_kinds
    }

    /// The IATI organisation types euca uses.
    pub fn organisation_types(&self) -> &[OrganisationType] {
        &self.organisation_types
    }

    /// The DAC sector codes euca uses, including those withdrawn in 2020.
    pub fn sectors(&self) -> &[Sector] {
        &self.sectors
    }

    /// The eligibility rule sets: instruments' and calls' (as written, not compiled).
    pub fn rule_sets(&self) -> &[RuleSet] {
        &self.rule_sets
    }

    /// Every call of the dataset one can apply to, compiled: instruments' own rule sets are not
    /// calls, and the common part of a call with lots is left out (its lots are listed; `call(id)`
    /// still gives it).
    pub fn calls(&self) -> Vec<crate::Call> {
        self.rule_sets
            .iter()
            .filter(|r| r.kind == crate::rules::RuleSetKind::Call && !r.common_part)
            .filter_map(|r| crate::call::compile(r, self, "").ok())
            .collect()
    }

    /// A call (or an instrument's rule set) by id, compiled.
    ///
    /// # Errors
    /// [`crate::QueryError::UnknownRecord`] when no rule set has this id, or when it does not compile.
    pub fn call(&self, id: &str) -> Result<crate::Call, crate::QueryError> {
        let unknown = || crate::QueryError::UnknownRecord {
            what: "call",
            input: id.to_string(),
        };
        let rule_set = self
            .rule_sets
            .iter()
            .find(|r| r.id == id)
            .ok_or_else(unknown)?;
        crate::call::compile(rule_set, self, "").map_err(|_| unknown())
    }
}

fn utf8(bytes: &[u8]) -> Result<&str, DatasetError> {
    std::str::from_utf8(bytes).map_err(|e| {
        DatasetError::new(vec![Problem::new(
            Code::InvalidJson,
            "",
            format!(
                "the document is not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )])
    })
}

/// Checks size and depth, then parses JSON text into a value.
pub(crate) fn parse_document(text: &str) -> Result<Value, DatasetError> {
    let fail =
        |code, message: String| Err(DatasetError::new(vec![Problem::new(code, "", message)]));
    if text.len() > MAX_DOCUMENT_BYTES {
        return fail(
            Code::InputTooLarge,
            format!(
                "the document is {} bytes; the limit is {MAX_DOCUMENT_BYTES} bytes",
                text.len()
            ),
        );
    }
    if text.trim().is_empty() {
        return fail(Code::InvalidJson, "the document is empty".to_string());
    }
    if let Some(depth) = depth_exceeding(text, MAX_DEPTH) {
        return Err(too_deep(&crate::limits::deep_text_path(text), depth));
    }
    crate::json::read(text).map_err(|e| match e {
        crate::json::ReadError::Syntax(e) => DatasetError::new(vec![Problem::new(
            Code::InvalidJson,
            "",
            format!(
                "not valid JSON: {} (line {}, column {})",
                strip_position(&e.to_string()),
                e.line(),
                e.column()
            ),
        )]),
        crate::json::ReadError::DuplicateKey { path, line, column } => {
            let key = path.rsplit(['.', '[']).next().unwrap_or(&path).to_string();
            DatasetError::new(vec![Problem::new(
                Code::InvalidJson,
                path,
                format!(
                    "the key `{key}` appears twice in one object (line {line}, column {column}): which value is meant cannot be told"
                ),
            )])
        }
    })
}

/// The error of a document nested deeper than [`MAX_DEPTH`], at the first container past it.
pub(crate) fn too_deep(path: &str, depth: usize) -> DatasetError {
    DatasetError::new(vec![Problem::new(
        Code::InputTooDeep,
        path,
        format!("the document nests deeper than {MAX_DEPTH} levels (at least {depth})"),
    )])
}

/// The nesting depth of a parsed value, if it exceeds `limit` (walked without recursion).
pub(crate) fn value_depth_exceeding(value: &Value, limit: usize) -> Option<usize> {
    let mut stack: Vec<(&Value, usize)> = vec![(value, 0)];
    while let Some((v, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match v {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(map) => Box::new(map.values()),
            _ => continue,
        };
        let depth = depth + 1;
        if depth > limit {
            return Some(depth);
        }
        stack.extend(children.map(|c| (c, depth)));
    }
    None
}

/// serde_json appends " at line L column C"; the message gives them separately.
fn strip_position(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

/// The nesting depth of arrays and objects, if it exceeds `limit` (scanning bytes, outside strings).
pub(crate) fn depth_exceeding(text: &str, limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(depth);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The embedded document, parsed.
fn embedded_document() -> Result<Value, DatasetError> {
    serde_json::from_str(&embedded_text()).map_err(|e| {
        DatasetError::new(vec![Problem::new(
            Code::InvalidJson,
            "",
            format!("the embedded dataset is not valid JSON: {e}"),
        )])
    })
}

/// Decodes a document into a dataset, collecting the problems of every record (unknown fields,
/// wrong types, missing fields, invalid dates) instead of stopping at the first.
fn decode(value: &Value) -> (Dataset, Vec<Problem>, Vec<String>) {
    let mut problems = Vec::new();
    let mut unreadable = Vec::new();
    let mut dataset = Dataset {
        version: String::new(),
        countries: Records::default(),
        strategies: Records::default(),
        agreements: Records::default(),
        bodies: Records::default(),
        dialogue_types: Records::default(),
        objectives: Records::default(),
        priority_issues: Records::default(),
        dialogues: Records::default(),
        rounds: Records::default(),
        seminars: Records::default(),
        initiatives: Records::default(),
        instruments: Records::default(),
        project_kinds: Records::default(),
        projects: Records::default(),
        organisation_types: Records::default(),
        sectors: Records::default(),
        rule_sets: Records::default(),
        changes: Records::default(),
    };
    let Some(doc) = value.as_object() else {
        problems.push(Problem::new(
            Code::InvalidType,
            "",
            format!(
                "a dataset document is a JSON object, not {}",
                json_kind(value)
            ),
        ));
        return (dataset, problems, unreadable);
    };
    match doc.get("version") {
        Some(Value::String(v)) if !v.trim().is_empty() => dataset.version = v.clone(),
        Some(Value::String(_)) => problems.push(Problem::new(
            Code::InvalidValue,
            "version",
            "the dataset version is empty",
        )),
        Some(other) => problems.push(Problem::new(
            Code::InvalidType,
            "version",
            format!("the dataset version is a string, not {}", json_kind(other)),
        )),
        None => problems.push(Problem::new(
            Code::MissingField,
            "version",
            "missing field `version`",
        )),
    }
    for key in doc.keys() {
        if key != "version" && key != "changes" && !COLLECTIONS.contains(&key.as_str()) {
            problems.push(Problem::new(
                Code::UnknownField,
                key.clone(),
                format!(
                    "unknown field `{key}`{}",
                    suggestion(
                        key,
                        COLLECTIONS.iter().copied().chain(["version", "changes"])
                    )
                ),
            ));
        }
    }
    let p = &mut problems;
    let u = &mut unreadable;
    dataset.countries = read_records(doc, "countries", "", p, u).into();
    dataset.strategies = read_records(doc, "strategies", "", p, u).into();
    dataset.agreements = read_records(doc, "agreements", "", p, u).into();
    dataset.bodies = read_records(doc, "bodies", "", p, u).into();
    dataset.dialogue_types = read_records(doc, "dialogue_types", "", p, u).into();
    dataset.objectives = read_records(doc, "objectives", "", p, u).into();
    dataset.priority_issues = read_records(doc, "priority_issues", "", p, u).into();
    dataset.dialogues = read_records(doc, "dialogues", "", p, u).into();
    dataset.rounds = read_records(doc, "rounds", "", p, u).into();
    dataset.seminars = read_records(doc, "seminars", "", p, u).into();
    dataset.initiatives = read_records(doc, "initiatives", "", p, u).into();
    dataset.instruments = read_records(doc, "instruments", "", p, u).into();
    dataset.project_kinds = read_records(doc, "project_kinds", "", p, u).into();
    dataset.projects = read_records(doc, "projects", "", p, u).into();
    dataset.organisation_types = read_records(doc, "organisation_types", "", p, u).into();
    dataset.sectors = read_records(doc, "sectors", "", p, u).into();
    dataset.rule_sets = read_records(doc, "rule_sets", "", p, u).into();
    dataset.changes = read_records(doc, "changes", "", p, u).into();
    (dataset, problems, unreadable)
}

/// The JSON type of a value, in words.
pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// ", did you mean `x`?" when a known name is close to the given one.
pub(crate) fn suggestion<'a>(given: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    known
        .into_iter()
        .map(|k| (edit_distance(given, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| format!("; did you mean `{k}`?"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let delete = previous.get(j + 1).copied().unwrap_or(0) + 1;
            let insert = current.get(j).copied().unwrap_or(0) + 1;
            current.push(substitute.min(delete).min(insert));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

/// Reads the list `doc[key]` record by record; `prefix` is prepended to paths (`add.`).
pub(crate) fn read_records<T: DeserializeOwned>(
    doc: &Map<String, Value>,
    key: &str,
    prefix: &str,
    problems: &mut Vec<Problem>,
    unreadable: &mut Vec<String>,
) -> Vec<T> {
    match doc.get(key) {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let record = read_record(item, &format!("{prefix}{key}[{i}]"), problems);
                if record.is_none() {
                    // Remember its id, so that references to it are not reported as well.
                    for field in ["id", "code"] {
                        if let Some(id) = item.get(field).and_then(Value::as_str) {
                            unreadable.push(id.to_string());
                        }
                    }
                }
                record
            })
            .collect(),
        Some(other) => {
            problems.push(Problem::new(
                Code::InvalidType,
                format!("{prefix}{key}"),
                format!("`{key}` is a list of records, not {}", json_kind(other)),
            ));
            Vec::new()
        }
    }
}

/// Reads one record, reporting every unknown field and every value that cannot be read, with
/// their paths.
///
/// serde stops at the first bad value, so a record is decoded again with each value that failed
/// set to `null` (an optional field then reads as absent, and the decoder goes on to the values
/// after it, in lists too) and its keys moved to the end of their objects: every other key is then
/// visited (and its unknown fields reported) before the decoder reaches a known failure again.
/// When it does, that failure is moved out of the way once more, until every known failure has come
/// round without a new one. Lists keep their order, since their indices are part of the paths.
pub(crate) fn read_record<T: DeserializeOwned>(
    value: &Value,
    path: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    // Records are objects (serde would otherwise read a struct from a list, field by field).
    if !value.is_object() {
        problems.push(Problem::new(
            Code::InvalidType,
            path,
            format!("a record is a JSON object, not {}", json_kind(value)),
        ));
        return None;
    }
    let mut work: Option<Value> = None;
    let mut unknown: Vec<String> = Vec::new();
    let mut failed: Vec<String> = Vec::new();
    let mut errors: Vec<Problem> = Vec::new();
    let mut repeats = 0usize;
    let record = loop {
        let current = work.as_ref().unwrap_or(value);
        let reported = crate::report::read::<T>(current);
        for field in reported.unknown {
            if !unknown.contains(&field) {
                unknown.push(field);
            }
        }
        match reported.result {
            Ok(record) => break Some(record),
            Err(failure) => {
                let at = failure.at;
                let e = failure.error;
                let inner = crate::report::path_text(&at);
                let mut next = current.clone();
                if failed.contains(&inner) {
                    repeats += 1;
                    if repeats > failed.len() || !move_to_end(&mut next, &at) {
                        break None;
                    }
                    work = Some(next);
                    continue;
                }
                if failed.len() >= 32 {
                    break None;
                }
                repeats = 0;
                let problem = type_problem(&e.to_string(), &join_path(path, &inner));
                let missing = problem.code == Code::MissingField;
                errors.push(problem);
                failed.push(inner.clone());
                if !missing {
                    set_null(&mut next, &at);
                }
                if !move_to_end(&mut next, &at) {
                    break None;
                }
                work = Some(next);
            }
        }
    };
    for field in unknown {
        let full = join_path(path, &field);
        let name = field
            .rsplit(['.', '['])
            .next()
            .unwrap_or(&field)
            .to_string();
        problems.push(Problem::new(
            Code::UnknownField,
            full,
            format!("unknown field `{name}`"),
        ));
    }
    let failed_any = !errors.is_empty();
    problems.extend(errors);
    if failed_any { None } else { record }
}

/// Moves the object key at the end of `path` (and each object key above it) to the end of its
/// object. Returns false when nothing could be moved (the failure is not under an object key).
fn move_to_end(value: &mut Value, path: &[Step]) -> bool {
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    match (first, value) {
        (Step::Key(key), Value::Object(map)) => {
            let Some(mut child) = map.shift_remove(key) else {
                return false;
            };
            move_to_end(&mut child, rest);
            map.insert(key.clone(), child);
            true
        }
        (Step::Index(index), Value::Array(items)) => match items.get_mut(*index) {
            Some(child) => move_to_end(child, rest),
            None => false,
        },
        // An externally tagged enum: an object whose one key names the variant.
        (Step::Variant(variant), Value::Object(map)) => match map.get_mut(variant) {
            Some(child) => {
                move_to_end(child, rest);
                true
            }
            None => false,
        },
        _ => false,
    }
}

/// Sets the value at `path` to `null` (nothing when the path is empty or not found).
fn set_null(value: &mut Value, path: &[Step]) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let child = match (first, value) {
        (Step::Key(key), Value::Object(map)) => map.get_mut(key),
        (Step::Variant(variant), Value::Object(map)) => map.get_mut(variant),
        (Step::Index(index), Value::Array(items)) => items.get_mut(*index),
        _ => None,
    };
    if let Some(child) = child {
        if rest.is_empty() {
            *child = Value::Null;
        } else {
            set_null(child, rest);
        }
    }
}

/// Joins a record path and a path inside the record (`rounds[3]` + `date` = `rounds[3].date`).
pub(crate) fn join_path(outer: &str, inner: &str) -> String {
    match (outer.is_empty(), inner.is_empty()) {
        (_, true) => outer.to_string(),
        (true, false) => inner.to_string(),
        (false, false) if inner.starts_with('[') => format!("{outer}{inner}"),
        (false, false) => format!("{outer}.{inner}"),
    }
}

/// Classifies a deserialisation error by its message.
fn type_problem(message: &str, path: &str) -> Problem {
    let code = if message.starts_with("missing field") {
        Code::MissingField
    } else if message.starts_with("invalid type") {
        Code::InvalidType
    } else if message.starts_with("unknown field") {
        // A record that denies unknown fields stops at the first one it meets.
        Code::UnknownField
    } else if message.starts_with("invalid date") || message.starts_with("unsupported date") {
        Code::InvalidDate
    } else if message.starts_with("naive datetime") {
        Code::NaiveDatetime
    } else if message.starts_with("unknown time zone") {
        Code::UnknownTimeZone
    } else if message.starts_with("invalid instant") || message.starts_with("local time") {
        Code::InvalidInstant
    } else if message.starts_with("over-precise money") {
        Code::OverPreciseMoney
    } else if message.starts_with("negative money") {
        Code::NegativeMoney
    } else if message.starts_with("money too large") {
        Code::MoneyTooLarge
    } else {
        Code::InvalidValue
    };
    let path = if code == Code::MissingField {
        // The path points at the record; name the missing field in it.
        match message.split('`').nth(1) {
            Some(field) => join_path(path, field),
            None => path.to_string(),
        }
    } else {
        path.to_string()
    };
    Problem::new(code, path, message)
}

#[cfg(test)]
mod embedded_tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    /// `Dataset::embedded()` reads each collection from its part of the embedded document without
    /// the checks of `from_json`, and a part that does not read would read as no records. This
    /// proves that every part reads, and that the checked read of the whole document finds no
    /// problem and the same dataset.
    #[test]
    fn every_embedded_collection_reads_unchecked_as_the_checked_read_does() {
        for key in EMBEDDED_KEYS {
            assert!(
                key == "version" || key == "changes" || COLLECTIONS.contains(&key),
                "`{key}` of the embedded document is not a collection of a dataset"
            );
        }
        let unchecked = Dataset::embedded_parts();
        macro_rules! each_part_reads {
            ($($field:ident),*) => {$(
                if let Some(json) = embedded_part(stringify!($field)) {
                    part_reads_as(json, &unchecked.$field, stringify!($field));
                }
            )*};
        }
        each_part_reads!(
            countries,
            strategies,
            agreements,
            bodies,
            dialogue_types,
            objectives,
            priority_issues,
            dialogues,
            rounds,
            seminars,
            initiatives,
            instruments,
            project_kinds,
            projects,
            organisation_types,
            sectors,
            rule_sets,
            changes
        );
        let checked = Dataset::from_json(&embedded_text()).unwrap_or_else(|e| {
            let lines: Vec<String> = e
                .problems()
                .iter()
                .map(|p| format!("{} [{}] {}", p.path, p.code, p.message))
                .collect();
            panic!("the embedded document fails a check:\n{}", lines.join("\n"))
        });
        assert!(checked == unchecked, "the two reads differ");
    }

    fn part_reads_as<T: DeserializeOwned + Embedded + PartialEq>(
        json: &str,
        records: &Records<T>,
        name: &str,
    ) {
        let read: Vec<T> = serde_json::from_str(json)
            .unwrap_or_else(|e| panic!("the embedded {name} do not read: {e}"));
        assert!(!read.is_empty(), "the embedded {name} are empty");
        assert!(read[..] == records[..], "the embedded {name} differ");
        // As WebAssembly reads it.
        let as_value: Vec<T> = read_part_as_value(json)
            .unwrap_or_else(|| panic!("the embedded {name} do not read as a JSON value"));
        assert!(
            as_value == read,
            "the embedded {name} read as a JSON value differ"
        );
    }

    /// The embedded dataset reads a collection when it is first used, and only that one; the
    /// datasets `Dataset::embedded()` gives share what was read.
    #[test]
    fn an_embedded_collection_is_read_when_first_used_and_only_it() {
        // What `Dataset::embedded()` holds (a new one: that of the process may have been used).
        let dataset = Dataset::embedded_unread().expect("the embedded dataset reads");
        let read = |d: &Dataset| {
            [
                d.countries.0.read.get().is_some(),
                d.rounds.0.read.get().is_some(),
                d.rule_sets.0.read.get().is_some(),
            ]
        };
        assert_eq!(read(&dataset), [false, false, false]);
        let copy = dataset.clone();
        assert!(!dataset.rounds.is_empty());
        assert_eq!(read(&dataset), [false, true, false]);
        assert_eq!(read(&copy), [false, true, false], "a clone shares the read");
        assert!(dataset.rule_sets().iter().any(|r| r.id == "tj-2020-cso"));
        assert_eq!(read(&copy), [false, true, true]);
    }

    /// Threads that first use a collection at once read it once, and see the same records.
    #[test]
    fn threads_that_first_use_an_embedded_collection_at_once_share_one_read() {
        let dataset = Dataset::embedded_unread().expect("the embedded dataset reads");
        let start = std::sync::Barrier::new(4);
        let seen: Vec<usize> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    scope.spawn(|| {
                        start.wait();
                        dataset.rule_sets.as_ptr() as usize
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(seen.iter().all(|p| *p == seen[0]), "one read: {seen:?}");
        assert!(!dataset.rule_sets.is_empty());
    }

    /// A part of the embedded document that does not read (the crate's tests above keep that from
    /// being released) reads as no records, without stopping the program.
    #[test]
    fn an_embedded_part_that_does_not_read_reads_as_no_records() {
        let records: Vec<Country> = read_part(Some("[{\"iso2\": 7}]"));
        assert!(records.is_empty());
        let absent: Vec<Country> = read_part(None);
        assert!(absent.is_empty());
    }

    /// The build script reads each data file as plain JSON, where a repeated key would keep its
    /// last value silently: each file is read here with euca's own reader, which refuses them.
    #[test]
    fn no_embedded_data_file_repeats_a_key() {
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let mut files = Vec::new();
        for dir in [data.clone(), data.join("rules")] {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "json") {
                    files.push(path);
                }
            }
        }
        assert!(files.len() > 13, "the data files are found: {files:?}");
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            match crate::json::read(&text) {
                Ok(_) => {}
                Err(crate::json::ReadError::DuplicateKey { path: at, line, .. }) => {
                    panic!("{}: `{at}` is repeated (line {line})", path.display())
                }
                Err(crate::json::ReadError::Syntax(e)) => panic!("{}: {e}", path.display()),
            }
        }
    }
}
