//! Writing project records as an IATI 2.03 activity file, and restoring a record from euca's
//! extension when the file is read back.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::EUCA_NAMESPACE;
use super::codelists as lists;
use super::read::money_text;
use crate::date::Date;
use crate::error::{Code, DatasetError, Problem};
use crate::money::{Amount, Currency};
use crate::projects::{DateKind, Generated, MoneyTotal, Narrative, Project, ReportingOrg};

/// How to write records as IATI.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportOptions {
    /// The reporting organisation's IATI organisation identifier (`XM-DAC-...`, or the prefix a
    /// publisher registered). A record without an IATI identifier gets `PREFIX-` followed by its
    /// id (letters and digits kept, anything else a hyphen); a record without a reporting
    /// organisation gets this one. Both are flagged in [`Project::generated`]. Required only when
    /// some record lacks either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// The name written for a generated reporting organisation (default: the prefix).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporting_org_name: Option<String>,
    /// The IATI organisation type of a generated reporting organisation (default `90`, other).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporting_org_type: Option<String>,
    /// The day against which a status is supplied for a record that has none (before its start:
    /// `1` pipeline; after its end: `4` closed; otherwise `2` implementation), and the date used
    /// where the schema needs one and the record has no date at all (default: today in UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<NaiveDate>,
}

/// What euca writes in its extension element: the record as euca holds it (after generating any
/// identifier) and the fields the IATI part supplies only because the schema requires them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Extension {
    /// The record.
    pub(crate) record: Project,
    /// The fields of the IATI part that do not say what the record holds: written only because
    /// the schema requires them (`status`, `descriptions`, `participants`, `dates`, `title`,
    /// `reporting_org`, budget periods, transaction dates), or written in part because IATI cannot
    /// hold the rest (a code left empty, a transaction without a type). Reading takes these
    /// fields from the record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) supplied: Vec<String>,
}

/// Writes project records as an IATI 2.03 activity file (`iati-activities`, version `2.03`), one
/// `iati-activity` per record, each carrying the euca record in euca's extension element so that
/// reading the file back with [`super::read_iati`] restores every field.
///
/// # Errors
/// A [`DatasetError`] with a `missing_field` problem (path `[i].iati_identifier` or
/// `[i].reporting_org`) for each record that lacks an IATI identifier or a reporting organisation
/// when no [`ExportOptions::prefix`] is given, and `invalid_value` for a prefix that is empty or
/// contains white space.
pub fn to_iati(projects: &[Project], options: &ExportOptions) -> Result<String, DatasetError> {
    let mut problems = Vec::new();
    let prefix = options.prefix.as_deref().map(str::trim);
    if let Some(p) = options.prefix.as_deref()
        && (p.trim().is_empty() || p.trim().chars().any(char::is_whitespace))
    {
        problems.push(Problem::new(
                Code::InvalidValue,
                "prefix",
                format!("invalid reporting-organisation prefix `{p}`: an IATI organisation identifier has no spaces"),
            ));
    }
    let mut prepared = Vec::with_capacity(projects.len());
    for (i, p) in projects.iter().enumerate() {
        let mut record = p.clone();
        if record.iati_identifier.is_none() {
            match prefix {
                Some(prefix) => {
                    record.iati_identifier = Some(format!("{prefix}-{}", slug(&record.id)));
                    if !record.generated.contains(&Generated::IatiIdentifier) {
                        record.generated.push(Generated::IatiIdentifier);
                    }
                }
                None => problems.push(Problem::new(
                    Code::MissingField,
                    format!("[{i}].iati_identifier"),
                    format!(
                        "project `{}` has no IATI identifier: give a reporting-organisation prefix to build one",
                        record.id
                    ),
                )),
            }
        }
        if record.reporting_org.is_none() {
            match prefix {
                Some(prefix) => {
                    record.reporting_org = Some(ReportingOrg {
                        reference: Some(prefix.to_string()),
                        org_type: Some(
                            options
                                .reporting_org_type
                                .clone()
                                .unwrap_or_else(|| "90".to_string()),
                        ),
                        name: vec![Narrative::new(
                            options
                                .reporting_org_name
                                .clone()
                                .unwrap_or_else(|| prefix.to_string()),
                        )],
                    });
                    if !record.generated.contains(&Generated::ReportingOrg) {
                        record.generated.push(Generated::ReportingOrg);
                    }
                }
                None => problems.push(Problem::new(
                    Code::MissingField,
                    format!("[{i}].reporting_org"),
                    format!(
                        "project `{}` has no reporting organisation: give a reporting-organisation prefix to build one",
                        record.id
                    ),
                )),
            }
        }
        prepared.push(record);
    }
    if !problems.is_empty() {
        return Err(DatasetError::new(problems));
    }
    let as_of = options
        .as_of
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<iati-activities version=\"2.03\">\n");
    for record in &prepared {
        let supplied = activity(&mut out, record, as_of);
        let ext = Extension {
            record: record.clone(),
            supplied,
        };
        let json = serde_json::to_string(&ext).unwrap_or_default();
        let _ = writeln!(
            out,
            "    <euca:project xmlns:euca=\"{EUCA_NAMESPACE}\">{}</euca:project>",
            text(&json)
        );
        out.push_str("  </iati-activity>\n");
    }
    out.push_str("</iati-activities>\n");
    Ok(out)
}

/// `project/kz/a b` → `project-kz-a-b`: letters and digits kept, runs of anything else one hyphen.
fn slug(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for ch in id.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Text for an attribute value (`&`, `<`, `>`, `'` and `"` escaped).
fn esc(text: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(text)
}

/// Text for element content (`&`, `<` and `>` escaped).
fn text(text: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::partial_escape(text)
}

/// ` name="value"` when the value is given.
fn attr(out: &mut String, name: &str, value: Option<&str>) {
    if let Some(v) = value {
        let _ = write!(out, " {name}=\"{}\"", esc(v));
    }
}

fn narratives(out: &mut String, indent: &str, items: &[Narrative]) {
    for n in items {
        let _ = write!(out, "{indent}<narrative");
        attr(out, "xml:lang", n.lang.as_deref());
        let _ = writeln!(out, ">{}</narrative>", text(&n.text));
    }
}

/// An element with attributes and narratives (self-closing when it has none).
fn with_narratives(
    out: &mut String,
    name: &str,
    attrs: &[(&str, Option<&str>)],
    items: &[Narrative],
) {
    let _ = write!(out, "    <{name}");
    for (k, v) in attrs {
        attr(out, k, *v);
    }
    if items.is_empty() {
        out.push_str("/>\n");
    } else {
        out.push_str(">\n");
        narratives(out, "      ", items);
        let _ = writeln!(out, "    </{name}>");
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The IATI ActivityDateType code a date is written with, if any.
fn date_code(kind: &DateKind) -> Option<&str> {
    match kind {
        DateKind::PlannedStart | DateKind::Start => Some("1"),
        DateKind::ActualStart => Some("2"),
        DateKind::PlannedEnd | DateKind::End => Some("3"),
        DateKind::ActualEnd => Some("4"),
        DateKind::Announced => None,
        DateKind::Other(code) => Some(code),
    }
}

/// Writes one activity (without its extension and closing tag); returns the fields supplied.
fn activity(out: &mut String, p: &Project, as_of: NaiveDate) -> Vec<String> {
    let mut supplied: Vec<String> = Vec::new();
    out.push_str("  <iati-activity");
    attr(out, "xml:lang", p.language.as_deref());
    attr(
        out,
        "default-currency",
        p.currency.as_ref().map(Currency::as_str),
    );
    out.push_str(">\n");
    let _ = writeln!(
        out,
        "    <iati-identifier>{}</iati-identifier>",
        text(p.iati_identifier.as_deref().unwrap_or_default())
    );
    let reporting = p.reporting_org.clone().unwrap_or(ReportingOrg {
        reference: None,
        org_type: None,
        name: Vec::new(),
    });
    let _ = write!(out, "    <reporting-org");
    let _ = writeln!(
        out,
        " ref=\"{}\" type=\"{}\">",
        esc(reporting.reference.as_deref().unwrap_or_default()),
        esc(reporting.org_type.as_deref().unwrap_or_default())
    );
    if reporting.name.is_empty() {
        supplied.push("reporting_org".into());
        let name = reporting.reference.clone().unwrap_or_default();
        narratives(out, "      ", &[Narrative::new(name)]);
    } else {
        narratives(out, "      ", &reporting.name);
    }
    out.push_str("    </reporting-org>\n");

    out.push_str("    <title>\n");
    if p.title.is_empty() {
        supplied.push("title".into());
        narratives(out, "      ", &[Narrative::new(p.id.clone())]);
    } else {
        narratives(out, "      ", &p.title);
    }
    out.push_str("    </title>\n");

    if p.descriptions.iter().all(|d| d.narratives.is_empty()) {
        supplied.push("descriptions".into());
        let text = p.title_text().unwrap_or(&p.id).to_string();
        out.push_str("    <description>\n");
        narratives(out, "      ", &[Narrative::new(text)]);
        out.push_str("    </description>\n");
    } else {
        for d in &p.descriptions {
            let _ = write!(out, "    <description");
            attr(out, "type", d.kind.as_deref());
            out.push_str(">\n");
            narratives(out, "      ", &d.narratives);
            out.push_str("    </description>\n");
        }
    }

    let with_role: Vec<_> = p.participants.iter().filter(|x| x.role.is_some()).collect();
    if with_role.is_empty() {
        supplied.push("participants".into());
        with_narratives(
            out,
            "participating-org",
            &[
                ("ref", reporting.reference.as_deref()),
                ("type", reporting.org_type.as_deref()),
                ("role", Some("2")),
            ],
            &reporting.name,
        );
    }
    for x in with_role {
        let org_type = match x.org_types.as_slice() {
            [one] => Some(one.as_str()),
            _ => None,
        };
        with_narratives(
            out,
            "participating-org",
            &[
                ("ref", x.reference.as_deref()),
                ("type", org_type),
                ("role", x.role.as_deref()),
                ("activity-id", x.activity_id.as_deref()),
                ("crs-channel-code", x.crs_channel_code.as_deref()),
            ],
            &x.name,
        );
    }

    let status = match &p.status {
        Some(s) => s.clone(),
        None => {
            supplied.push("status".into());
            supplied_status(p, as_of).to_string()
        }
    };
    let _ = writeln!(out, "    <activity-status code=\"{}\"/>", esc(&status));

    let mut dates_written = 0;
    for d in &p.dates {
        let Some(code) = date_code(&d.kind) else {
            continue;
        };
        if code.trim().is_empty() {
            push_once(&mut supplied, "dates");
            continue;
        }
        let iso = if d.kind.is_end() {
            d.date.latest()
        } else {
            d.date.earliest()
        };
        if !d.date.is_exact_day() {
            // IATI needs a day; the record has none. Say which day was written and why (the
            // euca extension below keeps the date as the record gives it).
            comment(
                out,
                "    ",
                &format!(
                    "the record gives this date as {}, {}: the day written is its {} day, not a known one",
                    d.date,
                    match d.date.precision() {
                        crate::date::Precision::Day => "not as a single day".to_string(),
                        _ => format!("only to the {}", precision_word(&d.date)),
                    },
                    if d.kind.is_end() { "last" } else { "first" }
                ),
            );
        }
        with_narratives(
            out,
            "activity-date",
            &[("type", Some(code)), ("iso-date", Some(&day(iso)))],
            &d.narratives,
        );
        dates_written += 1;
    }
    if dates_written == 0 {
        push_once(&mut supplied, "dates");
        let iso = p
            .dates
            .iter()
            .map(|d| d.date.earliest())
            .min()
            .unwrap_or(as_of);
        with_narratives(
            out,
            "activity-date",
            &[("type", Some("1")), ("iso-date", Some(&day(iso)))],
            &[Narrative::new(
                "supplied by euca: IATI requires an activity date and euca knows none of this activity's planned or actual dates",
            )],
        );
    }

    for c in &p.recipient_countries {
        if c.country.trim().is_empty() {
            push_once(&mut supplied, "recipient_countries");
            continue;
        }
        let pct = c.percentage.map(|x| x.to_string());
        with_narratives(
            out,
            "recipient-country",
            &[("code", Some(&c.country)), ("percentage", pct.as_deref())],
            &c.narratives,
        );
    }
    for r in &p.recipient_regions {
        if r.region.trim().is_empty() {
            push_once(&mut supplied, "recipient_regions");
            continue;
        }
        let pct = r.percentage.map(|x| x.to_string());
        with_narratives(
            out,
            "recipient-region",
            &[
                ("code", Some(&r.region)),
                ("vocabulary", r.vocabulary.as_deref()),
                ("vocabulary-uri", r.vocabulary_uri.as_deref()),
                ("percentage", pct.as_deref()),
            ],
            &r.narratives,
        );
    }
    for s in &p.sectors {
        if s.sector.trim().is_empty() {
            push_once(&mut supplied, "sectors");
            continue;
        }
        let pct = s.percentage.map(|x| x.to_string());
        with_narratives(
            out,
            "sector",
            &[
                ("vocabulary", s.vocabulary.as_deref()),
                ("vocabulary-uri", s.vocabulary_uri.as_deref()),
                ("code", Some(&s.sector)),
                ("percentage", pct.as_deref()),
            ],
            &s.narratives,
        );
    }

    let mut budgets_supplied = false;
    for b in &p.budgets {
        let from = b.from.as_ref().map(Date::earliest);
        let to = b.to.as_ref().map(Date::latest);
        if from.is_none() || to.is_none() {
            budgets_supplied = true;
        }
        let from = day(from.unwrap_or(as_of));
        let to = day(to.unwrap_or(as_of));
        for (negative, amount) in parts(b) {
            let _ = write!(out, "    <budget");
            attr(out, "type", b.kind.as_deref());
            attr(out, "status", b.status.as_deref());
            out.push_str(">\n");
            let _ = writeln!(out, "      <period-start iso-date=\"{from}\"/>");
            let _ = writeln!(out, "      <period-end iso-date=\"{to}\"/>");
            value(out, b.currency, negative, amount, &from);
            out.push_str("    </budget>\n");
        }
    }
    // A record with an original budget of its own already says what the action costs: a total
    // written beside it would be summed with it by any IATI reader.
    let own_original_budget = p.budgets.iter().any(|b| b.kind.as_deref() == Some("1"));
    if let Some(total) = p.total_cost.filter(|_| !own_original_budget) {
        // The total cost of the action is its budget: one `budget` (original, indicative) over
        // the action's period, whose bounds are the first day of the start and the last day of
        // the end (or of the stated duration), so a start known to the month is not given a day.
        let (from, to) = action_period(p);
        if from.is_none() || to.is_none() {
            budgets_supplied = true;
        }
        let from = day(from.unwrap_or(as_of));
        let to = day(to.unwrap_or(as_of));
        out.push_str("    <budget type=\"1\" status=\"1\">\n");
        comment(
            out,
            "      ",
            &format!(
                "euca: the total cost of the action (every funder's share, not only the EU's), as one budget over the action's period ({}); IATI's guidance prefers yearly budgets, and euca knows no split by year",
                period_text(p)
            ),
        );
        let _ = writeln!(out, "      <period-start iso-date=\"{from}\"/>");
        let _ = writeln!(out, "      <period-end iso-date=\"{to}\"/>");
        value(out, Some(p.currency()), false, total, &from);
        out.push_str("    </budget>\n");
    }
    if budgets_supplied {
        supplied.push("budgets".into());
    }
    let mut transactions_supplied = false;
    for t in &p.transactions {
        let date = match &t.to {
            Some(d) => day(d.latest()),
            None => {
                transactions_supplied = true;
                day(as_of)
            }
        };
        if t.kind.as_deref().is_none_or(|k| k.trim().is_empty()) {
            // A transaction needs a type: the record keeps it in the extension only.
            transactions_supplied = true;
            continue;
        }
        for (negative, amount) in parts(t) {
            out.push_str("    <transaction>\n");
            let _ = writeln!(
                out,
                "      <transaction-type code=\"{}\"/>",
                esc(t.kind.as_deref().unwrap_or_default())
            );
            let _ = writeln!(out, "      <transaction-date iso-date=\"{date}\"/>");
            value(out, t.currency, negative, amount, &date);
            out.push_str("    </transaction>\n");
        }
    }
    // Likewise a record with a commitment of its own: the EU contribution is not added to it.
    let own_commitment = p
        .transactions
        .iter()
        .any(|t| t.kind.as_deref() == Some("2"));
    if let Some(eu) = p.eu_contribution.filter(|_| !own_commitment) {
        // The EU contribution is the EU's firm obligation to the action: an outgoing commitment
        // (transaction type 2), as the EU publishes its grants, dated at the start.
        let (date, note) = match commitment_day(p) {
            Some(found) => found,
            None => {
                transactions_supplied = true;
                (
                    as_of,
                    "the record has no start or announcement date, so the commitment is dated at the day of the export".to_string(),
                )
            }
        };
        let date = day(date);
        out.push_str("    <transaction>\n");
        comment(
            out,
            "      ",
            &format!("euca: the EU contribution, as an outgoing commitment; {note}"),
        );
        out.push_str("      <transaction-type code=\"2\"/>\n");
        let _ = writeln!(out, "      <transaction-date iso-date=\"{date}\"/>");
        value(out, Some(p.currency()), false, eu, &date);
        out.push_str("    </transaction>\n");
    }
    if transactions_supplied {
        supplied.push("transactions".into());
    }
    supplied
}

/// An XML comment (a `--` in the text, which a comment cannot hold, becomes `- -`).
fn comment(out: &mut String, indent: &str, text: &str) {
    let _ = writeln!(out, "{indent}<!-- {} -->", text.replace("--", "- -"));
}

/// The first and last day of the action: the start's first day, and the end's last day or, with
/// no end, the last day of the duration the record states counted from the start's last day.
fn action_period(p: &Project) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let start = p.start();
    let end = p.end().map(Date::latest).or_else(|| {
        let months = p.duration_months?;
        let from = start?.latest();
        let later = from.checked_add_months(chrono::Months::new(months))?;
        // N months from the 31 January end on the last day of the month N months on (chrono
        // clamps the day there: that day is already the last of the action); otherwise on the day
        // before the same day of the month.
        if later.day() == from.day() {
            later.pred_opt()
        } else {
            Some(later)
        }
    });
    (start.map(Date::earliest), end)
}

/// The action's period as the record gives it (`from 2019-01 to 2021-03`), for a comment.
fn period_text(p: &Project) -> String {
    let start = p
        .start()
        .map_or_else(|| "unknown".to_string(), ToString::to_string);
    let end = match (p.end(), p.duration_months) {
        (Some(e), _) => e.to_string(),
        (None, Some(m)) => format!("{m} months"),
        (None, None) => "unknown".to_string(),
    };
    let days = if p.start().is_some_and(Date::is_exact_day)
        && (p.end().is_none_or(Date::is_exact_day))
    {
        ""
    } else {
        "; the record gives them only to the month or year, so the period runs from the first day of the start to the last day of the end"
    };
    format!("from {start} to {end}{days}")
}

/// The day an EU contribution is committed on, and what to say about it: the start's day; the
/// first day of a start known only to the month or year (said so: the day is not known); else the
/// announcement's (said so too); none when the record has neither.
fn commitment_day(p: &Project) -> Option<(NaiveDate, String)> {
    if let Some(start) = p.start() {
        return Some(if start.is_exact_day() {
            (start.earliest(), format!("dated at the start, {start}"))
        } else {
            (
                start.earliest(),
                format!(
                    "dated at the first day of the start, {start}: the record gives the start only to the {}, and the day written is not known",
                    precision_word(start)
                ),
            )
        });
    }
    let announced = p
        .dates
        .iter()
        .find(|d| d.kind == DateKind::Announced)
        .map(|d| &d.date)?;
    Some(if announced.is_exact_day() {
        (
            announced.earliest(),
            format!("the record gives no start, so it is dated at the announcement, {announced}"),
        )
    } else {
        (
            announced.earliest(),
            format!(
                "the record gives no start, so it is dated at the first day of the announcement, {announced}, known only to the {}: the day written is not known",
                precision_word(announced)
            ),
        )
    })
}

fn precision_word(d: &Date) -> &'static str {
    match d.precision() {
        crate::date::Precision::Year => "year",
        crate::date::Precision::Month => "month",
        crate::date::Precision::Day => "day",
    }
}

/// Adds a field to the list of those supplied (or left out), once.
fn push_once(supplied: &mut Vec<String>, field: &str) {
    if !supplied.iter().any(|s| s == field) {
        supplied.push(field.to_string());
    }
}

/// The values a total is written as: its amount, and its deductions as a negative value.
fn parts(t: &MoneyTotal) -> Vec<(bool, Amount)> {
    let mut out = Vec::new();
    if t.amount.0 > 0 || t.deductions.0 == 0 {
        out.push((false, t.amount));
    }
    if t.deductions.0 > 0 {
        out.push((true, t.deductions));
    }
    out
}

fn value(out: &mut String, currency: Option<Currency>, negative: bool, amount: Amount, date: &str) {
    let decimals = currency.map_or(2, |c| lists::decimals(c.as_str()));
    let _ = write!(out, "      <value");
    attr(out, "currency", currency.as_ref().map(Currency::as_str));
    let _ = writeln!(
        out,
        " value-date=\"{date}\">{}</value>",
        money_text(negative, amount.0, decimals)
    );
}

/// The status written for a record without one: pipeline before its start, closed after its
/// end, implementation otherwise.
fn supplied_status(p: &Project, as_of: NaiveDate) -> &'static str {
    if p.start().is_some_and(|s| s.earliest() > as_of) {
        "1"
    } else if p.end().is_some_and(|e| e.latest() < as_of) {
        "4"
    } else {
        "2"
    }
}

/// The record an activity of the file stands for, when it carries euca's extension: the
/// extension's record, except where the file's IATI elements say something else than the record
/// would be written as (the file was edited since): there the file's value is kept, and `warn`
/// is told. Fields the IATI part only supplied are the record's.
pub(crate) fn reconcile(read: Project, ext: Extension, warn: &mut dyn FnMut(String)) -> Project {
    let Extension { record, supplied } = ext;
    // What the file would hold had it been written from the record and not touched since.
    let mut written = String::from("<iati-activities version=\"2.03\">\n");
    // Supplied fields are not compared, so the day they were supplied against does not matter.
    let any_day = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    let _ = activity(&mut written, &record, any_day);
    written.push_str("  </iati-activity>\n</iati-activities>\n");
    let expected = super::IatiReader::new(written.as_bytes())
        .next()
        .and_then(Result::ok)
        .map(|a| a.project);
    let Some(expected) = expected else {
        warn("euca's extension holds a record that cannot be written back; it is ignored".into());
        return read;
    };
    let mut out = record;
    let is_supplied = |field: &str| supplied.iter().any(|s| s == field);
    macro_rules! field {
        ($name:ident, $label:literal) => {
            if !is_supplied($label) && expected.$name != read.$name {
                warn(
                    format!(
                        "the file's `{}` differs from the euca record in its extension (edited since it was written?): the file's is kept",
                        $label
                    ),
                );
                out.$name = read.$name.clone();
            }
        };
    }
    field!(iati_identifier, "iati_identifier");
    field!(reporting_org, "reporting_org");
    field!(title, "title");
    field!(descriptions, "descriptions");
    field!(language, "language");
    field!(status, "status");
    field!(dates, "dates");
    field!(recipient_countries, "recipient_countries");
    field!(recipient_regions, "recipient_regions");
    field!(participants, "participants");
    field!(sectors, "sectors");
    field!(budgets, "budgets");
    field!(transactions, "transactions");
    field!(currency, "currency");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(start: &str, months: u32) -> Project {
        let mut p: Project = serde_json::from_value(serde_json::json!({
            "id": "p", "title": [{"text": "t"}], "dates": [{"type": "actual_start", "date": start}],
            "duration_months": months, "sources": [{"title": "s", "address": "https://example.org"}]
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        p.duration_months = Some(months);
        p
    }

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn an_action_of_n_months_ends_the_day_before_the_same_day_n_months_on() {
        assert_eq!(action_period(&project("2019-01-15", 1)).1, ymd(2019, 2, 14));
        assert_eq!(
            action_period(&project("2019-01-01", 24)).1,
            ymd(2020, 12, 31)
        );
        // No 31 February: the last day of February is the action's last.
        assert_eq!(action_period(&project("2019-01-31", 1)).1, ymd(2019, 2, 28));
        assert_eq!(action_period(&project("2020-01-31", 1)).1, ymd(2020, 2, 29));
        // A start known to the month runs from its first day to the end counted from its last.
        assert_eq!(
            action_period(&project("2019-03", 12)),
            (ymd(2019, 3, 1), ymd(2020, 3, 30))
        );
    }
}
