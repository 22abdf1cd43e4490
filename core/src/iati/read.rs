//! The streaming IATI reader: one activity at a time, as a small tree of the elements euca reads
//! (every other element is skipped as it streams by, counted and named), then turned into a
//! [`Project`].

use std::collections::HashMap;
use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::codelists::{self as lists, Listed};
use super::{EUCA_NAMESPACE, IatiWarning, ImportOptions, ImportedActivity};
use crate::dataset::read_record;
use crate::date::Date;
use crate::error::{Code, DatasetError, Problem};
use crate::money::{Amount, Currency, Percent};
use crate::projects::{
    ActivityDate, CountryShare, DateKind, Description, MoneyTotal, Narrative, Participant, Project,
    RegionShare, ReportingOrg, SectorShare,
};

const ROOT: &str = "iati-activities";
const ACTIVITY: &str = "iati-activity";
/// The name the tree gives euca's extension element, whatever its prefix in the file.
const EXTENSION: &str = "#euca";
/// The name the tree gives an element euca does not read (its own name is kept as its text).
const NOT_READ: &str = "#not-read";
/// The deepest the reader goes into an element it skips before calling the file unreasonable.
const MAX_DEPTH: usize = 256;

/// The children euca reads of an element (by the element's name); every other child is counted
/// and named in a `not_read` warning.
fn kept_children(parent: &str) -> &'static [&'static str] {
    match parent {
        ACTIVITY => &[
            "iati-identifier",
            "reporting-org",
            "title",
            "description",
            "participating-org",
            "activity-status",
            "activity-date",
            "recipient-country",
            "recipient-region",
            "sector",
            "budget",
            "transaction",
        ],
        "reporting-org" | "title" | "description" | "participating-org" | "activity-date"
        | "recipient-country" | "recipient-region" | "sector" => &["narrative"],
        "budget" => &["period-start", "period-end", "value"],
        "transaction" => &["transaction-type", "transaction-date", "value"],
        _ => &[],
    }
}

/// Whether euca reads the text of an element.
fn keeps_text(name: &str) -> bool {
    matches!(name, "narrative" | "iati-identifier" | "value" | EXTENSION)
}

/// Whether the schema lets an element repeat under its parent (its path then always carries an
/// index; a single element's path carries one only from its second occurrence, an error).
fn repeatable(parent: &str, name: &str) -> bool {
    match parent {
        ROOT => name == ACTIVITY,
        ACTIVITY => !matches!(
            name,
            "iati-identifier"
                | "reporting-org"
                | "title"
                | "activity-status"
                | "activity-scope"
                | "country-budget-items"
                | "collaboration-type"
                | "default-flow-type"
                | "default-finance-type"
                | "default-tied-status"
                | "capital-spend"
                | "conditions"
                | "crs-add"
                | "fss"
        ),
        "transaction" => matches!(name, "sector" | "aid-type"),
        "budget" => false,
        _ => name == "narrative",
    }
}

/// An element of an activity that euca reads.
#[derive(Debug, Default)]
struct El {
    name: String,
    path: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<El>,
    /// How many children of each name were seen (for their indices).
    seen: HashMap<String, u32>,
}

impl El {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// An attribute's value, trimmed; an empty value counts as absent.
    fn code(&self, key: &str) -> Option<String> {
        self.attr(key)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    }

    fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a El> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// Counts the elements not read, by name, keeping the first place of each.
#[derive(Debug, Default)]
pub(crate) struct NotReadTally {
    order: Vec<String>,
    by_key: HashMap<String, (IatiWarning, u64)>,
}

impl NotReadTally {
    /// Adds a `not_read` warning, summing it with the others of the same element.
    pub(crate) fn add(&mut self, w: IatiWarning) {
        let key = generic_path(&w.path);
        match self.by_key.get_mut(&key) {
            Some((first, activities)) => {
                first.count += w.count;
                *activities += 1;
            }
            None => {
                self.order.push(key.clone());
                self.by_key.insert(key, (w, 1));
            }
        }
    }

    /// One warning per element name, in the order first met.
    pub(crate) fn into_warnings(mut self) -> Vec<IatiWarning> {
        self.order
            .iter()
            .filter_map(|k| self.by_key.remove(k))
            .map(|(mut w, places)| {
                let what = generic_path(&w.path);
                w.message = if places > 1 {
                    format!(
                        "`{what}` is not read: {} in {places} places (the first at this path)",
                        plural(w.count, "element")
                    )
                } else {
                    w.message
                };
                w.activity = if places > 1 { None } else { w.activity };
                w
            })
            .collect()
    }
}

fn plural(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// A path without its indices (`iati-activity/transaction/value`).
fn generic_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for ch in path.chars() {
        match ch {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    BeforeRoot,
    InRoot,
    AfterRoot,
    Done,
}

/// Reads an IATI activity file one activity at a time, over any [`BufRead`].
///
/// Each item is an activity read ([`ImportedActivity`]: the record and its warnings) or the
/// problems that make it unreadable (the reader then goes on with the next activity). A file that
/// is not well-formed XML ends the stream with an `invalid_xml` error. Memory is bounded by the
/// largest activity, not by the file.
///
/// ```
/// use euca::iati::IatiReader;
///
/// let xml = r#"<iati-activities version="2.03"><iati-activity>
///   <iati-identifier>XM-EXAMPLE-1</iati-identifier>
///   <title><narrative>Legal aid</narrative><narrative xml:lang="ru">Правовая помощь</narrative></title>
/// </iati-activity></iati-activities>"#;
/// let mut reader = IatiReader::new(xml.as_bytes());
/// let first = reader.next().unwrap()?;
/// assert_eq!(first.project.iati_identifier.as_deref(), Some("XM-EXAMPLE-1"));
/// assert_eq!(first.project.title.len(), 2);
/// assert!(reader.next().is_none());
/// # Ok::<(), euca::DatasetError>(())
/// ```
pub struct IatiReader<R: BufRead> {
    xml: Reader<R>,
    buf: Vec<u8>,
    skip: Vec<u8>,
    options: ImportOptions,
    state: State,
    activities: u64,
    version: Option<String>,
    root_namespaces: Vec<(String, String)>,
    document_warnings: Vec<IatiWarning>,
    /// Where in `document_warnings` the `not_read` warning of each element name is.
    not_read_at: HashMap<String, usize>,
    root_seen: HashMap<String, u32>,
}

impl<R: BufRead> IatiReader<R> {
    /// A reader with the default options.
    pub fn new(reader: R) -> IatiReader<R> {
        IatiReader::with_options(reader, ImportOptions::default())
    }

    /// A reader with options.
    pub fn with_options(reader: R, options: ImportOptions) -> IatiReader<R> {
        let mut xml = Reader::from_reader(reader);
        xml.config_mut().check_end_names = true;
        IatiReader {
            xml,
            buf: Vec::new(),
            skip: Vec::new(),
            options,
            state: State::BeforeRoot,
            activities: 0,
            version: None,
            root_namespaces: Vec::new(),
            document_warnings: Vec::new(),
            not_read_at: HashMap::new(),
            root_seen: HashMap::new(),
        }
    }

    /// The file's IATI version (`iati-activities/@version`), once the root has been read.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The warnings about the file rather than one activity (a missing version, elements beside
    /// the activities, and, with `skip_invalid`, the problems of the activities skipped), so far.
    pub fn document_warnings(&self) -> &[IatiWarning] {
        &self.document_warnings
    }

    fn fatal(
        &mut self,
        path: &str,
        message: String,
    ) -> Option<Result<ImportedActivity, DatasetError>> {
        self.state = State::Done;
        Some(Err(DatasetError::new(vec![Problem::new(
            Code::InvalidXml,
            path,
            message,
        )])))
    }

    fn xml_error(
        &mut self,
        path: &str,
        e: &quick_xml::Error,
    ) -> Option<Result<ImportedActivity, DatasetError>> {
        let at = self.xml.error_position();
        self.fatal(path, format!("not well-formed XML: {e} (at byte {at})"))
    }

    /// Adds a warning about the file. `not_read` warnings are tallied by element name as they
    /// come (one warning, its count growing, the first place kept), so that a file of many
    /// elements beside the activities does not grow memory with them.
    fn document_warning(&mut self, code: Code, path: String, message: String) {
        if code == Code::NotRead {
            let key = generic_path(&path);
            if let Some(w) = self
                .not_read_at
                .get(&key)
                .and_then(|i| self.document_warnings.get_mut(*i))
            {
                w.count += 1;
                w.message = format!(
                    "`{key}` is not read: {} (the first at this path)",
                    plural(w.count, "time")
                );
                return;
            }
            self.not_read_at.insert(key, self.document_warnings.len());
        }
        self.document_warnings.push(IatiWarning {
            code,
            message,
            path,
            activity: None,
            count: 1,
        });
    }

    /// Skips the rest of an element whose start tag was just read (an error for a file that ends
    /// inside it, or nests deeper than [`MAX_DEPTH`]).
    fn skip_element(&mut self) -> Result<(), String> {
        let mut depth = 1usize;
        loop {
            self.skip.clear();
            match self.xml.read_event_into(&mut self.skip) {
                Ok(Event::Start(_)) => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(format!("elements nest deeper than {MAX_DEPTH} levels"));
                    }
                }
                Ok(Event::End(_)) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Ok(Event::Eof) => return Err("the document ends inside an element".into()),
                Ok(_) => {}
                Err(e) => {
                    return Err(format!(
                        "not well-formed XML: {e} (at byte {})",
                        self.xml.error_position()
                    ));
                }
            }
        }
    }

    /// Reads the root's attributes.
    fn root(&mut self, start: &BytesStart<'_>) -> Result<(), String> {
        let attrs = attributes(start)?;
        for (key, value) in attrs {
            match key.as_str() {
                "version" => self.version = Some(value.trim().to_string()),
                "generated-datetime" | "linked-data-default" => self.document_warning(
                    Code::NotRead,
                    format!("{ROOT}/@{key}"),
                    format!("attribute `{key}` is not read"),
                ),
                k if k == "xmlns" || k.starts_with("xmlns:") => {
                    let prefix = k.strip_prefix("xmlns:").unwrap_or("").to_string();
                    self.root_namespaces.push((prefix, value));
                }
                _ => self.document_warning(
                    Code::NotRead,
                    format!("{ROOT}/@{key}"),
                    format!("attribute `{key}` is not read"),
                ),
            }
        }
        if self.version.is_none() {
            self.document_warning(
                Code::MissingField,
                format!("{ROOT}/@version"),
                "the file does not say its IATI version (`iati-activities/@version`)".into(),
            );
        }
        Ok(())
    }

    /// Reads one activity whose start tag was just read (or, when `empty`, which has none).
    fn activity(&mut self, start: &BytesStart<'_>, empty: bool) -> Result<El, (String, String)> {
        let n = self.activities;
        let path = format!("{ROOT}/{ACTIVITY}[{n}]");
        let attrs = attributes(start).map_err(|m| (path.clone(), m))?;
        let root = El {
            name: ACTIVITY.to_string(),
            path,
            attrs,
            ..El::default()
        };
        if empty {
            return Ok(root);
        }
        let mut stack = vec![root];
        loop {
            self.buf.clear();
            let here = stack.last().map(|e| e.path.clone()).unwrap_or_default();
            let step = match self.xml.read_event_into(&mut self.buf) {
                Ok(event) => Step::of(event).map_err(|m| (here.clone(), m))?,
                Err(e) => {
                    return Err((
                        here,
                        format!(
                            "not well-formed XML: {e} (at byte {})",
                            self.xml.error_position()
                        ),
                    ));
                }
            };
            match step {
                Step::Open { raw, attrs, empty } => {
                    let Some(parent) = stack.last_mut() else {
                        return Err((here, "unbalanced element".into()));
                    };
                    let name = match &attrs {
                        Ok(a)
                            if parent.name == ACTIVITY
                                && is_extension(&raw, a, &self.root_namespaces) =>
                        {
                            EXTENSION.to_string()
                        }
                        _ => raw.clone(),
                    };
                    let count = parent.seen.entry(raw.clone()).or_insert(0);
                    *count += 1;
                    let index = *count;
                    let step = if index > 1 || repeatable(&parent.name, &raw) {
                        format!("{raw}[{index}]")
                    } else {
                        raw.clone()
                    };
                    let path = format!("{}/{step}", parent.path);
                    let kept =
                        name == EXTENSION || kept_children(&parent.name).contains(&name.as_str());
                    if !kept {
                        parent.children.push(El {
                            name: NOT_READ.into(),
                            path,
                            text: raw,
                            ..El::default()
                        });
                        if !empty {
                            self.skip_element().map_err(|m| (here.clone(), m))?;
                        }
                        continue;
                    }
                    let attrs = attrs.map_err(|m| (path.clone(), m))?;
                    let el = El {
                        name,
                        path,
                        attrs,
                        ..El::default()
                    };
                    if empty {
                        parent.children.push(el);
                    } else {
                        stack.push(el);
                    }
                }
                Step::Close => {
                    let Some(done) = stack.pop() else {
                        return Err((here, "unbalanced element".into()));
                    };
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => return Ok(done),
                    }
                }
                Step::Text(text) => {
                    if let Some(top) = stack.last_mut() {
                        top.text.push_str(&text);
                    }
                }
                Step::Eof => return Err((here, "the document ends inside an activity".into())),
                Step::Nothing => {}
            }
        }
    }
}

/// What one XML event means for the tree of an activity (owning its data, so that the reader's
/// buffer is free again).
enum Step {
    Open {
        raw: String,
        attrs: Result<Vec<(String, String)>, String>,
        empty: bool,
    },
    Close,
    Text(String),
    Eof,
    Nothing,
}

impl Step {
    fn of(event: Event<'_>) -> Result<Step, String> {
        Ok(match event {
            Event::Start(s) => Step::Open {
                raw: String::from_utf8_lossy(s.name().as_ref()).into_owned(),
                attrs: attributes(&s),
                empty: false,
            },
            Event::Empty(s) => Step::Open {
                raw: String::from_utf8_lossy(s.name().as_ref()).into_owned(),
                attrs: attributes(&s),
                empty: true,
            },
            Event::End(_) => Step::Close,
            Event::Text(t) => Step::Text(
                t.xml_content(XmlVersion::Implicit1_0)
                    .map_err(|e| format!("text that is not UTF-8: {e}"))?
                    .into_owned(),
            ),
            Event::CData(t) => Step::Text(
                t.decode()
                    .map_err(|e| format!("text that is not UTF-8: {e}"))?
                    .into_owned(),
            ),
            Event::GeneralRef(r) => Step::Text(match r.resolve_char_ref() {
                Ok(Some(ch)) => ch.to_string(),
                Ok(None) => {
                    let name = r.decode().map_err(|e| format!("not UTF-8: {e}"))?;
                    quick_xml::escape::resolve_predefined_entity(&name)
                        .ok_or_else(|| {
                            format!(
                                "unknown entity `&{name};`: IATI files use only the five predefined XML entities"
                            )
                        })?
                        .to_string()
                }
                Err(e) => return Err(format!("invalid character reference: {e}")),
            }),
            Event::Eof => Step::Eof,
            Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => Step::Nothing,
        })
    }
}

/// Whether an element is euca's extension: its prefix (or the default namespace) is bound to
/// [`EUCA_NAMESPACE`] on the element itself or on the root.
fn is_extension(raw: &str, attrs: &[(String, String)], root: &[(String, String)]) -> bool {
    let (prefix, local) = match raw.split_once(':') {
        Some((p, l)) => (p, l),
        None => ("", raw),
    };
    if local != "project" {
        return false;
    }
    let declared = if prefix.is_empty() {
        "xmlns".to_string()
    } else {
        format!("xmlns:{prefix}")
    };
    attrs
        .iter()
        .find(|(k, _)| *k == declared)
        .map(|(_, v)| v.as_str())
        .or_else(|| {
            root.iter()
                .find(|(p, _)| p == prefix)
                .map(|(_, v)| v.as_str())
        })
        == Some(EUCA_NAMESPACE)
}

/// The attributes of a tag, unescaped; an error for a malformed or repeated attribute.
fn attributes(start: &BytesStart<'_>) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for attr in start.attributes().with_checks(true) {
        let attr = attr.map_err(|e| format!("malformed attribute: {e}"))?;
        let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| format!("attribute `{key}`: {e}"))?
            .into_owned();
        out.push((key, value));
    }
    Ok(out)
}

impl<R: BufRead> Iterator for IatiReader<R> {
    type Item = Result<ImportedActivity, DatasetError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.state {
                State::Done => return None,
                State::BeforeRoot => {
                    self.buf.clear();
                    let event = match self.xml.read_event_into(&mut self.buf) {
                        Ok(e) => e.into_owned(),
                        Err(e) => return self.xml_error("", &e),
                    };
                    match event {
                        Event::Start(_) | Event::Empty(_) => {
                            let (s, empty) = match event {
                                Event::Empty(s) => (s, true),
                                Event::Start(s) => (s, false),
                                _ => continue,
                            };
                            let name = String::from_utf8_lossy(s.name().as_ref()).into_owned();
                            if name != ROOT {
                                return self.fatal(
                                    "",
                                    format!("the document's root element is `{name}`, not `{ROOT}`: this is not an IATI activity file"),
                                );
                            }
                            if let Err(m) = self.root(&s) {
                                return self.fatal(ROOT, m);
                            }
                            if empty {
                                self.document_warning(
                                    Code::MissingField,
                                    format!("{ROOT}/{ACTIVITY}"),
                                    "the file has no `iati-activity`".into(),
                                );
                                self.state = State::AfterRoot;
                            } else {
                                self.state = State::InRoot;
                            }
                        }
                        Event::Text(t) => {
                            if !t.iter().all(u8::is_ascii_whitespace) {
                                return self.fatal(
                                    "",
                                    "text before the root element: this is not an XML document"
                                        .into(),
                                );
                            }
                        }
                        Event::Eof => {
                            return self.fatal("", "the document is empty".into());
                        }
                        Event::End(_) | Event::CData(_) | Event::GeneralRef(_) => {
                            return self.fatal(
                                "",
                                "content before the root element: this is not an XML document"
                                    .into(),
                            );
                        }
                        Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
                    }
                }
                State::InRoot => {
                    self.buf.clear();
                    let event = match self.xml.read_event_into(&mut self.buf) {
                        Ok(e) => e.into_owned(),
                        Err(e) => return self.xml_error(ROOT, &e),
                    };
                    match event {
                        Event::Start(_) | Event::Empty(_) => {
                            let (s, empty) = match event {
                                Event::Empty(s) => (s, true),
                                Event::Start(s) => (s, false),
                                _ => continue,
                            };
                            let name = String::from_utf8_lossy(s.name().as_ref()).into_owned();
                            let count = self.root_seen.entry(name.clone()).or_insert(0);
                            *count += 1;
                            let index = *count;
                            if name == ACTIVITY {
                                self.activities += 1;
                                let tree = match self.activity(&s, empty) {
                                    Ok(tree) => tree,
                                    Err((path, message)) => return self.fatal(&path, message),
                                };
                                let n = self.activities;
                                let (result, warnings) = interpret(tree, n, &self.options);
                                match result {
                                    Ok(project) => {
                                        return Some(Ok(ImportedActivity { project, warnings }));
                                    }
                                    Err(problems) if self.options.skip_invalid => {
                                        let path = format!("{ROOT}/{ACTIVITY}[{n}]");
                                        self.document_warnings.push(IatiWarning {
                                            code: Code::InvalidValue,
                                            message: format!(
                                                "activity skipped: it has {}",
                                                plural(problems.len() as u64, "problem")
                                            ),
                                            path,
                                            activity: Some(n),
                                            count: 1,
                                        });
                                        self.document_warnings.extend(problems.into_iter().map(
                                            |p| IatiWarning {
                                                code: p.code,
                                                message: p.message,
                                                path: p.path,
                                                activity: Some(n),
                                                count: 1,
                                            },
                                        ));
                                    }
                                    Err(problems) => {
                                        return Some(Err(DatasetError::new(problems)));
                                    }
                                }
                            } else {
                                let step = if index > 1 {
                                    format!("{name}[{index}]")
                                } else {
                                    name.clone()
                                };
                                self.document_warning(
                                    Code::NotRead,
                                    format!("{ROOT}/{step}"),
                                    format!("`{name}` is not read"),
                                );
                                if !empty && let Err(m) = self.skip_element() {
                                    return self.fatal(ROOT, m);
                                }
                            }
                        }
                        Event::End(_) => {
                            if self.activities == 0 {
                                self.document_warning(
                                    Code::MissingField,
                                    format!("{ROOT}/{ACTIVITY}"),
                                    "the file has no `iati-activity`".into(),
                                );
                            }
                            self.state = State::AfterRoot;
                        }
                        Event::Text(t) => {
                            if !t.iter().all(u8::is_ascii_whitespace) {
                                self.document_warning(
                                    Code::NotRead,
                                    format!("{ROOT}/text()"),
                                    "text between activities is not read".into(),
                                );
                            }
                        }
                        Event::CData(_) | Event::GeneralRef(_) => self.document_warning(
                            Code::NotRead,
                            format!("{ROOT}/text()"),
                            "text between activities is not read".into(),
                        ),
                        Event::Eof => {
                            return self
                                .fatal(ROOT, format!("the document ends before `</{ROOT}>`"));
                        }
                        Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
                    }
                }
                State::AfterRoot => {
                    self.buf.clear();
                    let event = match self.xml.read_event_into(&mut self.buf) {
                        Ok(e) => e.into_owned(),
                        Err(e) => return self.xml_error("", &e),
                    };
                    match event {
                        Event::Eof => {
                            self.state = State::Done;
                            return None;
                        }
                        Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
                        Event::Comment(_) | Event::PI(_) => {}
                        _ => {
                            return self.fatal(
                                "",
                                format!("content after `</{ROOT}>`: an XML document has one root element"),
                            );
                        }
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// turning the tree of an activity into a record

/// What reading one activity found: its warnings, its problems, and the elements not read.
struct Ctx {
    n: u64,
    warnings: Vec<IatiWarning>,
    problems: Vec<Problem>,
    not_read: Vec<(String, String, u64)>,
}

impl Ctx {
    fn warn(&mut self, code: Code, path: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(IatiWarning {
            code,
            message: message.into(),
            path: path.into(),
            activity: Some(self.n),
            count: 1,
        });
    }

    fn error(&mut self, code: Code, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(code, path, message));
    }

    /// Counts an element, attribute or text not read, by its path without indices.
    fn not_read(&mut self, path: &str) {
        let key = generic_path(path);
        match self.not_read.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, count)) => *count += 1,
            None => self.not_read.push((key, path.to_string(), 1)),
        }
    }

    /// Reports the attributes of `el` other than `held` (namespace declarations aside), the text
    /// of an element whose text euca does not read, and the children it skipped.
    fn leftovers(&mut self, el: &El, held: &[&str]) {
        for (key, _) in &el.attrs {
            if key == "xmlns" || key.starts_with("xmlns:") || held.contains(&key.as_str()) {
                continue;
            }
            self.not_read(&format!("{}/@{key}", el.path));
        }
        if !keeps_text(&el.name) && !el.text.trim().is_empty() {
            self.not_read(&format!("{}/text()", el.path));
        }
        for child in el.children(NOT_READ) {
            self.not_read(&child.path);
        }
    }

    /// Checks a code against a codelist, warning when it is withdrawn or not listed.
    fn code_in(&mut self, code: &str, path: &str, what: &str, active: &[&str], withdrawn: &[&str]) {
        match lists::listed(code, active, withdrawn) {
            Listed::Active => {}
            Listed::Withdrawn => self.warn(
                Code::WithdrawnCode,
                path,
                format!(
                    "{what} `{code}` has been withdrawn from its IATI codelist; it is kept as given"
                ),
            ),
            Listed::Unknown => self.warn(
                Code::UnknownCode,
                path,
                format!("`{code}` is not in the IATI {what} codelist; it is kept as given"),
            ),
        }
    }

    fn narratives(&mut self, el: &El) -> Vec<Narrative> {
        let mut out = Vec::new();
        for n in el.children("narrative") {
            self.leftovers(n, &["xml:lang"]);
            if n.text.is_empty() {
                self.warn(
                    Code::MissingField,
                    n.path.clone(),
                    "an empty `narrative` has no text: it is not kept",
                );
                continue;
            }
            out.push(Narrative {
                text: n.text.clone(),
                lang: n.code("xml:lang"),
            });
        }
        out
    }

    /// At most one child of a name: an error for a second one.
    fn single<'a>(&mut self, el: &'a El, name: &str) -> Option<&'a El> {
        let mut found = el.children.iter().filter(|c| c.name == name);
        let first = found.next();
        for extra in found {
            self.error(
                Code::DuplicateElement,
                extra.path.clone(),
                format!("a second `{name}`: the IATI standard allows one"),
            );
        }
        first
    }

    fn percentage(&mut self, el: &El) -> Option<Percent> {
        let text = el.attr("percentage")?;
        let path = format!("{}/@percentage", el.path);
        match decimal(text, 4) {
            Ok(d) if d.negative && d.units > 0 => {
                self.error(
                    Code::InvalidValue,
                    path,
                    format!("a negative percentage `{}`", text.trim()),
                );
                None
            }
            Ok(d) => {
                let whole = d.units / 10_000;
                let frac = d.units % 10_000;
                match Percent::parse(&format!("{whole}.{frac:04}")) {
                    Ok(p) => {
                        if d.rounded {
                            self.warn(
                                Code::InvalidValue,
                                path.clone(),
                                format!(
                                    "percentage `{}` has more than four decimals; euca keeps `{p}`",
                                    text.trim()
                                ),
                            );
                        }
                        if p > Percent::whole(100) {
                            self.warn(
                                Code::PercentagesOverHundred,
                                path,
                                format!("a percentage of `{p}` is over 100"),
                            );
                        }
                        Some(p)
                    }
                    Err(m) => {
                        self.error(Code::InvalidValue, path, m);
                        None
                    }
                }
            }
            Err(m) => {
                self.error(
                    Code::InvalidValue,
                    path,
                    format!("percentage `{}` cannot be read: {m}", text.trim()),
                );
                None
            }
        }
    }

    /// A required `iso-date` attribute euca holds: an error when invalid; `missing` says what a
    /// missing one is (an error, or a warning).
    fn iso_date(&mut self, el: &El, key: &str, missing_is_error: bool) -> Option<Date> {
        let path = format!("{}/@{key}", el.path);
        match el.attr(key) {
            None => {
                let message = format!("`{}` has no `{key}`", el.name);
                if missing_is_error {
                    self.error(Code::MissingField, path, message);
                } else {
                    self.warn(Code::MissingField, path, message);
                }
                None
            }
            Some(text) => match iso_date(text) {
                Ok(d) => Some(d),
                Err(m) => {
                    self.error(Code::InvalidDate, path, m);
                    None
                }
            },
        }
    }
}

/// A decimal read exactly: its sign and its value in units of 10^-decimals.
struct Decimal {
    negative: bool,
    units: u64,
    /// True when the text had more decimals than asked for (rounded to the nearest unit, halves
    /// away from zero).
    rounded: bool,
}

/// Reads an `xsd:decimal` (`-12.50`, `+3`, `.5`, `7.`) exactly, in units of 10^-decimals.
fn decimal(text: &str, decimals: u32) -> Result<Decimal, String> {
    let t = text.trim();
    let (negative, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, t.get(1..).unwrap_or("")),
        Some(b'+') => (false, t.get(1..).unwrap_or("")),
        _ => (false, t),
    };
    let (whole, fraction) = rest.split_once('.').unwrap_or((rest, ""));
    if whole.is_empty() && fraction.is_empty() {
        return Err("expected digits".into());
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err("expected a decimal number such as `1000.50`".into());
    }
    let too_large = || {
        format!(
            "money too large: at most {} minor units (2^53 - 1)",
            Amount::MAX.0
        )
    };
    let mut units: u128 = 0;
    for b in whole.bytes() {
        units = units
            .checked_mul(10)
            .and_then(|u| u.checked_add(u128::from(b - b'0')))
            .filter(|u| *u <= u128::from(u64::MAX))
            .ok_or_else(too_large)?;
    }
    let mut digits = fraction.bytes();
    for _ in 0..decimals {
        let d = digits.next().map_or(0, |b| b - b'0');
        units = units
            .checked_mul(10)
            .and_then(|u| u.checked_add(u128::from(d)))
            .ok_or_else(too_large)?;
    }
    let rest: Vec<u8> = digits.collect();
    let rounded = rest.iter().any(|b| *b != b'0');
    if rest.first().is_some_and(|b| *b >= b'5') {
        units += 1;
    }
    let units = u64::try_from(units)
        .ok()
        .filter(|u| *u <= Amount::MAX.0)
        .ok_or_else(too_large)?;
    Ok(Decimal {
        negative: negative && units > 0,
        units,
        rounded,
    })
}

/// Reads an `xsd:date` (`2013-11-27`, optionally with a time zone) as a day.
fn iso_date(text: &str) -> Result<Date, String> {
    let t = text.trim();
    let day = t.get(..10).unwrap_or(t);
    let zone = t.get(10..).unwrap_or("");
    let zone_ok = zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6
            && (zone.starts_with('+') || zone.starts_with('-'))
            && zone.get(3..4) == Some(":"));
    let shape = day.len() == 10
        && day.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape || !zone_ok {
        return Err(format!(
            "invalid date `{t}`: expected an ISO 8601 day such as `2013-11-27`"
        ));
    }
    Date::parse(day).map_err(|e| e.to_string())
}

/// Turns the tree of activity `n` into a record: the record, or the problems that make it
/// unreadable; and the warnings either way.
fn interpret(
    tree: El,
    n: u64,
    options: &ImportOptions,
) -> (Result<Project, Vec<Problem>>, Vec<IatiWarning>) {
    let mut cx = Ctx {
        n,
        warnings: Vec::new(),
        problems: Vec::new(),
        not_read: Vec::new(),
    };
    let mut p = Project::new(tree.path.clone());
    cx.leftovers(&tree, &["xml:lang", "default-currency"]);
    p.language = tree.code("xml:lang");
    let mut default_currency = None;
    if let Some(code) = tree.code("default-currency") {
        let path = format!("{}/@default-currency", tree.path);
        match Currency::new(&code) {
            Ok(c) => {
                cx.code_in(
                    &code,
                    &path,
                    "Currency",
                    lists::CURRENCY,
                    lists::CURRENCY_WITHDRAWN,
                );
                default_currency = Some(c);
                p.currency = Some(c);
            }
            Err(m) => cx.error(Code::InvalidValue, path, m),
        }
    }

    // identifier
    match cx.single(&tree, "iati-identifier") {
        Some(el) => {
            cx.leftovers(el, &[]);
            let id = el.text.trim();
            if id.is_empty() {
                cx.warn(
                    Code::MissingField,
                    el.path.clone(),
                    "the activity's `iati-identifier` is empty",
                );
            } else {
                p.iati_identifier = Some(id.to_string());
                p.id = id.to_string();
            }
        }
        None => cx.warn(
            Code::MissingField,
            format!("{}/iati-identifier", tree.path),
            "the activity has no `iati-identifier`",
        ),
    }

    // reporting organisation
    match cx.single(&tree, "reporting-org") {
        Some(el) => {
            cx.leftovers(el, &["ref", "type"]);
            let org_type = el.code("type");
            if let Some(t) = &org_type {
                cx.code_in(
                    t,
                    &format!("{}/@type", el.path),
                    "OrganisationType",
                    lists::ORGANISATION_TYPE,
                    lists::ORGANISATION_TYPE_WITHDRAWN,
                );
            }
            let name = cx.narratives(el);
            if name.is_empty() {
                cx.warn(
                    Code::MissingField,
                    format!("{}/narrative", el.path),
                    "the reporting organisation has no name (`narrative`)",
                );
            }
            p.reporting_org = Some(ReportingOrg {
                reference: el.code("ref"),
                org_type,
                name,
            });
        }
        None => cx.warn(
            Code::MissingField,
            format!("{}/reporting-org", tree.path),
            "the activity has no `reporting-org`",
        ),
    }

    // title and descriptions
    match cx.single(&tree, "title") {
        Some(el) => {
            cx.leftovers(el, &[]);
            p.title = cx.narratives(el);
            if p.title.is_empty() {
                cx.warn(
                    Code::MissingField,
                    format!("{}/narrative", el.path),
                    "the title has no text (`narrative`)",
                );
            }
        }
        None => cx.warn(
            Code::MissingField,
            format!("{}/title", tree.path),
            "the activity has no `title`",
        ),
    }
    let mut any_description = false;
    for el in tree.children("description") {
        any_description = true;
        cx.leftovers(el, &["type"]);
        let kind = el.code("type");
        if let Some(k) = &kind {
            cx.code_in(
                k,
                &format!("{}/@type", el.path),
                "DescriptionType",
                lists::DESCRIPTION_TYPE,
                &[],
            );
        }
        let narratives = cx.narratives(el);
        if narratives.is_empty() {
            cx.warn(
                Code::MissingField,
                format!("{}/narrative", el.path),
                "the description has no text (`narrative`)",
            );
        }
        p.descriptions.push(Description { kind, narratives });
    }
    if !any_description {
        cx.warn(
            Code::MissingField,
            format!("{}/description", tree.path),
            "the activity has no `description`",
        );
    }

    // participating organisations
    let mut any_participant = false;
    for el in tree.children("participating-org") {
        any_participant = true;
        cx.leftovers(
            el,
            &["ref", "type", "role", "activity-id", "crs-channel-code"],
        );
        let role = el.code("role");
        match &role {
            Some(r) => cx.code_in(
                r,
                &format!("{}/@role", el.path),
                "OrganisationRole",
                lists::ORGANISATION_ROLE,
                lists::ORGANISATION_ROLE_WITHDRAWN,
            ),
            None => cx.warn(
                Code::MissingField,
                format!("{}/@role", el.path),
                "the participating organisation has no `role`",
            ),
        }
        let org_types: Vec<String> = el.code("type").into_iter().collect();
        for t in &org_types {
            cx.code_in(
                t,
                &format!("{}/@type", el.path),
                "OrganisationType",
                lists::ORGANISATION_TYPE,
                lists::ORGANISATION_TYPE_WITHDRAWN,
            );
        }
        p.participants.push(Participant {
            name: cx.narratives(el),
            reference: el.code("ref"),
            role,
            org_types,
            country: None,
            lead: false,
            activity_id: el.code("activity-id"),
            crs_channel_code: el.code("crs-channel-code"),
        });
    }
    if !any_participant {
        cx.warn(
            Code::MissingField,
            format!("{}/participating-org", tree.path),
            "the activity has no `participating-org`",
        );
    }

    // status and dates
    match cx.single(&tree, "activity-status") {
        Some(el) => {
            cx.leftovers(el, &["code"]);
            match el.code("code") {
                Some(code) => {
                    cx.code_in(
                        &code,
                        &format!("{}/@code", el.path),
                        "ActivityStatus",
                        lists::ACTIVITY_STATUS,
                        lists::ACTIVITY_STATUS_WITHDRAWN,
                    );
                    p.status = Some(code);
                }
                None => cx.warn(
                    Code::MissingField,
                    format!("{}/@code", el.path),
                    "the activity status has no `code`",
                ),
            }
        }
        None => cx.warn(
            Code::MissingField,
            format!("{}/activity-status", tree.path),
            "the activity has no `activity-status`",
        ),
    }
    let mut any_date = false;
    for el in tree.children("activity-date") {
        any_date = true;
        cx.leftovers(el, &["type", "iso-date"]);
        let kind = match el.code("type") {
            Some(code) => {
                cx.code_in(
                    &code,
                    &format!("{}/@type", el.path),
                    "ActivityDateType",
                    lists::ACTIVITY_DATE_TYPE,
                    &[],
                );
                Some(match code.as_str() {
                    "1" => DateKind::PlannedStart,
                    "2" => DateKind::ActualStart,
                    "3" => DateKind::PlannedEnd,
                    "4" => DateKind::ActualEnd,
                    other => DateKind::Other(other.to_string()),
                })
            }
            None => {
                cx.error(
                    Code::MissingField,
                    format!("{}/@type", el.path),
                    "the activity date has no `type`",
                );
                None
            }
        };
        let date = cx.iso_date(el, "iso-date", true);
        let narratives = cx.narratives(el);
        if let (Some(kind), Some(date)) = (kind, date) {
            p.dates.push(ActivityDate {
                kind,
                date,
                narratives,
            });
        }
    }
    if !any_date {
        cx.warn(
            Code::MissingField,
            format!("{}/activity-date", tree.path),
            "the activity has no `activity-date`",
        );
    }

    // where
    for el in tree.children("recipient-country") {
        cx.leftovers(el, &["code", "percentage"]);
        let percentage = cx.percentage(el);
        let Some(code) = el.code("code") else {
            cx.error(
                Code::MissingField,
                format!("{}/@code", el.path),
                "the recipient country has no `code`",
            );
            continue;
        };
        cx.code_in(
            &code,
            &format!("{}/@code", el.path),
            "Country",
            lists::COUNTRY,
            lists::COUNTRY_WITHDRAWN,
        );
        p.recipient_countries.push(CountryShare {
            country: code,
            percentage,
            narratives: cx.narratives(el),
        });
    }
    for el in tree.children("recipient-region") {
        cx.leftovers(el, &["code", "vocabulary", "vocabulary-uri", "percentage"]);
        let percentage = cx.percentage(el);
        let vocabulary = el.code("vocabulary");
        if let Some(v) = &vocabulary {
            cx.code_in(
                v,
                &format!("{}/@vocabulary", el.path),
                "RegionVocabulary",
                lists::REGION_VOCABULARY,
                &[],
            );
        }
        let Some(code) = el.code("code") else {
            cx.error(
                Code::MissingField,
                format!("{}/@code", el.path),
                "the recipient region has no `code`",
            );
            continue;
        };
        if vocabulary.as_deref().is_none_or(|v| v == "1") {
            cx.code_in(
                &code,
                &format!("{}/@code", el.path),
                "Region",
                lists::REGION,
                lists::REGION_WITHDRAWN,
            );
        }
        p.recipient_regions.push(RegionShare {
            region: code,
            vocabulary,
            vocabulary_uri: el.code("vocabulary-uri"),
            percentage,
            narratives: cx.narratives(el),
        });
    }
    let geography: u64 = p
        .recipient_countries
        .iter()
        .filter_map(|c| c.percentage)
        .chain(p.recipient_regions.iter().filter_map(|r| r.percentage))
        .map(Percent::ppm)
        .sum();
    if geography > Percent::whole(100).ppm() {
        cx.warn(
            Code::PercentagesOverHundred,
            format!("{}/recipient-country", tree.path),
            format!(
                "the percentages of the recipient countries and regions add up to {}, over 100",
                crate::projects::percent_text(geography)
            ),
        );
    }

    // sectors
    for el in tree.children("sector") {
        cx.leftovers(el, &["code", "vocabulary", "vocabulary-uri", "percentage"]);
        let percentage = cx.percentage(el);
        let vocabulary = el.code("vocabulary");
        if let Some(v) = &vocabulary {
            cx.code_in(
                v,
                &format!("{}/@vocabulary", el.path),
                "SectorVocabulary",
                lists::SECTOR_VOCABULARY,
                &[],
            );
        }
        let Some(mut code) = el.code("code") else {
            cx.error(
                Code::MissingField,
                format!("{}/@code", el.path),
                "the sector has no `code`",
            );
            continue;
        };
        let code_path = format!("{}/@code", el.path);
        let mut replaced = None;
        match vocabulary.as_deref() {
            None | Some("1") => match lists::listed(&code, lists::SECTOR, lists::SECTOR_WITHDRAWN) {
                Listed::Active => {}
                Listed::Withdrawn => match lists::sector_successor(&code) {
                    Some(next) => {
                        cx.warn(
                            Code::WithdrawnCode,
                            code_path,
                            format!(
                                "DAC sector `{code}` was withdrawn in 2020; euca reads it as its successor `{next}` and keeps `{code}` in `replaced`"
                            ),
                        );
                        replaced = Some(std::mem::replace(&mut code, next.to_string()));
                    }
                    None => cx.warn(
                        Code::WithdrawnCode,
                        code_path,
                        format!(
                            "DAC sector `{code}` has been withdrawn and has no successor euca knows; it is kept as given"
                        ),
                    ),
                },
                Listed::Unknown => cx.warn(
                    Code::UnknownCode,
                    code_path,
                    format!("`{code}` is not in the IATI Sector codelist; it is kept as given"),
                ),
            },
            Some("2") => cx.code_in(
                &code,
                &code_path,
                "SectorCategory",
                lists::SECTOR_CATEGORY,
                lists::SECTOR_CATEGORY_WITHDRAWN,
            ),
            Some(_) => {}
        }
        p.sectors.push(SectorShare {
            sector: code,
            vocabulary,
            vocabulary_uri: el.code("vocabulary-uri"),
            percentage,
            replaced,
            narratives: cx.narratives(el),
        });
    }
    let mut vocabularies: Vec<Option<String>> = Vec::new();
    for s in &p.sectors {
        let v = if s.is_dac() {
            None
        } else {
            s.vocabulary.clone()
        };
        if !vocabularies.contains(&v) {
            vocabularies.push(v);
        }
    }
    for v in vocabularies {
        let total: u64 = p
            .sectors
            .iter()
            .filter(|s| {
                (if s.is_dac() {
                    None
                } else {
                    s.vocabulary.clone()
                }) == v
            })
            .filter_map(|s| s.percentage)
            .map(Percent::ppm)
            .sum();
        if total > Percent::whole(100).ppm() {
            cx.warn(
                Code::PercentagesOverHundred,
                format!("{}/sector", tree.path),
                format!(
                    "the percentages of the sectors of vocabulary `{}` add up to {}, over 100",
                    v.as_deref().unwrap_or("1"),
                    crate::projects::percent_text(total)
                ),
            );
        }
    }

    // money
    let mut budgets: Vec<MoneyTotal> = Vec::new();
    for el in tree.children("budget") {
        cx.leftovers(el, &["type", "status"]);
        let kind = el.code("type");
        if let Some(k) = &kind {
            cx.code_in(
                k,
                &format!("{}/@type", el.path),
                "BudgetType",
                lists::BUDGET_TYPE,
                &[],
            );
        }
        let status = el.code("status");
        if let Some(s) = &status {
            cx.code_in(
                s,
                &format!("{}/@status", el.path),
                "BudgetStatus",
                lists::BUDGET_STATUS,
                &[],
            );
        }
        let period = |cx: &mut Ctx, name: &str| match cx.single(el, name) {
            Some(child) => {
                cx.leftovers(child, &["iso-date"]);
                cx.iso_date(child, "iso-date", false)
            }
            None => {
                cx.warn(
                    Code::MissingField,
                    format!("{}/{name}", el.path),
                    format!("the budget has no `{name}`"),
                );
                None
            }
        };
        let from = period(&mut cx, "period-start");
        let to = period(&mut cx, "period-end");
        let Some(value) = value(&mut cx, el, "budget", default_currency) else {
            continue;
        };
        if !add(&mut budgets, kind, status, value, from, to) {
            cx.error(
                Code::MoneyTooLarge,
                el.path.clone(),
                sum_too_large("budgets"),
            );
        }
    }
    let mut transactions: Vec<MoneyTotal> = Vec::new();
    for el in tree.children("transaction") {
        cx.leftovers(el, &[]);
        let kind = match cx.single(el, "transaction-type") {
            Some(t) => {
                cx.leftovers(t, &["code"]);
                match t.code("code") {
                    Some(code) => {
                        cx.code_in(
                            &code,
                            &format!("{}/@code", t.path),
                            "TransactionType",
                            lists::TRANSACTION_TYPE,
                            &[],
                        );
                        Some(code)
                    }
                    None => {
                        cx.error(
                            Code::MissingField,
                            format!("{}/@code", t.path),
                            "the transaction type has no `code`",
                        );
                        None
                    }
                }
            }
            None => {
                cx.error(
                    Code::MissingField,
                    format!("{}/transaction-type", el.path),
                    "the transaction has no `transaction-type`",
                );
                None
            }
        };
        let date = match cx.single(el, "transaction-date") {
            Some(d) => {
                cx.leftovers(d, &["iso-date"]);
                cx.iso_date(d, "iso-date", false)
            }
            None => {
                cx.warn(
                    Code::MissingField,
                    format!("{}/transaction-date", el.path),
                    "the transaction has no `transaction-date`",
                );
                None
            }
        };
        let value = value(&mut cx, el, "transaction", default_currency);
        if let (Some(kind), Some(value)) = (kind, value)
            && !add(
                &mut transactions,
                Some(kind),
                None,
                value,
                date.clone(),
                date,
            )
        {
            cx.error(
                Code::MoneyTooLarge,
                el.path.clone(),
                sum_too_large("transactions"),
            );
        }
    }
    p.budgets = budgets;
    p.transactions = transactions;

    let extensions: Vec<&El> = tree.children(EXTENSION).collect();
    let mut ext_record = None;
    for (i, el) in extensions.iter().enumerate() {
        if i > 0 {
            cx.error(
                Code::DuplicateElement,
                el.path.clone(),
                "a second euca extension: an activity carries one",
            );
            continue;
        }
        ext_record = extension(&mut cx, el);
    }

    if let Some(source) = &options.source {
        p.sources.push(source.clone());
    }
    if let Some(ext) = ext_record {
        let at = tree.path.clone();
        p = super::write::reconcile(p, ext, &mut |message| {
            cx.warn(Code::InvalidValue, at.clone(), message);
        });
    }

    let mut warnings = cx.warnings;
    warnings.extend(cx.not_read.into_iter().map(|(key, path, count)| {
        let name = key.rsplit('/').next().unwrap_or(&key).to_string();
        IatiWarning {
            code: Code::NotRead,
            message: if count > 1 {
                format!("`{name}` is not read ({count} of them)")
            } else {
                format!("`{name}` is not read")
            },
            path,
            activity: Some(n),
            count,
        }
    }));
    if cx.problems.is_empty() {
        (Ok(p), warnings)
    } else {
        (Err(cx.problems), warnings)
    }
}

/// A value read exactly: (currency, negative, minor units).
type Value = (Option<Currency>, bool, u64);

/// Reads the `value` of a budget or transaction: an error when absent, repeated or not a number.
fn value(cx: &mut Ctx, el: &El, what: &str, default: Option<Currency>) -> Option<Value> {
    let Some(v) = cx.single(el, "value") else {
        cx.error(
            Code::MissingField,
            format!("{}/value", el.path),
            format!("the {what} has no `value`"),
        );
        return None;
    };
    cx.leftovers(v, &["currency", "value-date"]);
    match v.attr("value-date") {
        None => cx.warn(
            Code::MissingField,
            format!("{}/@value-date", v.path),
            "the value has no `value-date`",
        ),
        Some(text) => {
            if let Err(m) = iso_date(text) {
                cx.warn(
                    Code::InvalidDate,
                    format!("{}/@value-date", v.path),
                    format!("{m} (the value date is not kept)"),
                );
            }
        }
    }
    let currency = match v.code("currency") {
        Some(code) => {
            let path = format!("{}/@currency", v.path);
            match Currency::new(&code) {
                Ok(c) => {
                    cx.code_in(
                        &code,
                        &path,
                        "Currency",
                        lists::CURRENCY,
                        lists::CURRENCY_WITHDRAWN,
                    );
                    Some(c)
                }
                Err(m) => {
                    cx.error(Code::InvalidValue, path, m);
                    return None;
                }
            }
        }
        None => default,
    };
    let decimals = currency.map_or(2, |c| lists::decimals(c.as_str()));
    if currency.is_none() {
        cx.warn(
            Code::MissingField,
            format!("{}/@currency", v.path),
            "the value has no currency and the activity no `default-currency`; it is summed without a currency, read with two decimals",
        );
    }
    let text = v.text.trim();
    match decimal(text, decimals) {
        Ok(d) => {
            if d.rounded {
                let unit = if decimals == 0 {
                    "a whole unit".to_string()
                } else {
                    format!("{decimals} decimals")
                };
                cx.warn(
                    Code::OverPreciseMoney,
                    v.path.clone(),
                    format!(
                        "over-precise money `{text}`: {} has {unit}, so euca keeps {} (rounded to the nearest minor unit)",
                        currency.map_or("the value".to_string(), |c| c.to_string()),
                        money_text(d.negative, d.units, decimals)
                    ),
                );
            }
            Some((currency, d.negative, d.units))
        }
        Err(m) => {
            let message = if text.is_empty() {
                "the value is empty".to_string()
            } else {
                format!("value `{text}` cannot be read: {m}")
            };
            let code = if m.starts_with("money too large") {
                Code::MoneyTooLarge
            } else {
                Code::InvalidValue
            };
            cx.error(code, v.path.clone(), message);
            None
        }
    }
}

/// Minor units as decimal text (`-1234.50`).
pub(crate) fn money_text(negative: bool, units: u64, decimals: u32) -> String {
    let sign = if negative { "-" } else { "" };
    if decimals == 0 {
        return format!("{sign}{units}");
    }
    let scale = 10u64.pow(decimals);
    let width = decimals as usize;
    format!("{sign}{}.{:0width$}", units / scale, units % scale)
}

/// The message of totals past [`Amount::MAX`].
fn sum_too_large(what: &str) -> String {
    format!(
        "money too large: the {what} of this type and currency add up to more than {} minor units (2^53 - 1)",
        Amount::MAX.0
    )
}

/// Adds a value to the total of its type, status and currency; false when the total would pass
/// [`Amount::MAX`] (the value is then not added).
fn add(
    totals: &mut Vec<MoneyTotal>,
    kind: Option<String>,
    status: Option<String>,
    (currency, negative, units): Value,
    from: Option<Date>,
    to: Option<Date>,
) -> bool {
    let index = match totals
        .iter()
        .position(|t| t.kind == kind && t.status == status && t.currency == currency)
    {
        Some(i) => i,
        None => {
            totals.push(MoneyTotal {
                kind,
                status,
                currency,
                amount: Amount(0),
                deductions: Amount(0),
                count: 0,
                from: None,
                to: None,
            });
            totals.len() - 1
        }
    };
    let Some(t) = totals.get_mut(index) else {
        return true;
    };
    let sum = if negative {
        &mut t.deductions
    } else {
        &mut t.amount
    };
    match sum.0.checked_add(units).filter(|s| *s <= Amount::MAX.0) {
        Some(s) => sum.0 = s,
        None => return false,
    }
    t.count = t.count.saturating_add(1);
    if let Some(from) = from
        && t.from
            .as_ref()
            .is_none_or(|f| from.earliest() < f.earliest())
    {
        t.from = Some(from);
    }
    if let Some(to) = to
        && t.to.as_ref().is_none_or(|f| to.latest() > f.latest())
    {
        t.to = Some(to);
    }
    true
}

/// The euca record carried by the extension element, if it can be read.
fn extension(cx: &mut Ctx, el: &El) -> Option<super::write::Extension> {
    cx.leftovers(el, &[]);
    let value: serde_json::Value = match serde_json::from_str(el.text.trim()) {
        Ok(v) => v,
        Err(e) => {
            cx.warn(
                Code::InvalidValue,
                el.path.clone(),
                format!("euca's extension is not JSON ({e}); it is ignored"),
            );
            return None;
        }
    };
    let mut problems = Vec::new();
    let ext = read_record::<super::write::Extension>(&value, "", &mut problems);
    for p in problems {
        cx.warn(
            p.code,
            format!("{}/{}", el.path, p.path),
            format!("in euca's extension: {}; it is ignored", p.message),
        );
    }
    ext
}
