//! IATI import and export.
//!
//! - Every file of the standard's own test suite (`../shared/iati-activity/tests/activity-tests`)
//!   that should pass reads without error, and what euca read from each (identifiers, titles,
//!   descriptions, dates, the reporting and participating organisations, countries, sectors) is
//!   compared with what an independent XML parser (roxmltree) finds in the file; a few files are
//!   checked by hand for money and percentages.
//! - No file that should fail crashes the reader, and those whose fault lies in an element euca
//!   reads are reported with the element's path.
//! - Export is accepted by `xmllint --schema iati-activities-schema.xsd`, and import∘export keeps
//!   every field euca holds.
//!
//! The shared files live beside the project (`EUCA_SHARED` overrides where `shared/` is); where
//! they, or xmllint, are absent, the tests that need them say they skipped and pass.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use euca::iati::{ExportOptions, IatiReader, ImportOptions, read_iati, read_iati_with, to_iati};
use euca::{
    Amount, Code, Currency, Dataset, Date, DateKind, Generated, MoneyTotal, Narrative, Participant,
    Project,
};

fn shared_dir(what: &str) -> Option<PathBuf> {
    let shared = std::env::var_os("EUCA_SHARED").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
        PathBuf::from,
    );
    let dir = shared.join(what);
    if dir.exists() {
        Some(dir)
    } else {
        println!(
            "skipped: {} not found (the IATI schema and its tests live outside the project)",
            dir.display()
        );
        None
    }
}

fn suite(kind: &str) -> Option<Vec<(String, String)>> {
    let dir = shared_dir("iati-activity")?
        .join("tests/activity-tests")
        .join(kind);
    let mut files = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let name = p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned();
                files.push((name, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    files.sort();
    Some(files)
}

const XML: &str = "http://www.w3.org/XML/1998/namespace";

/// Narratives of an element as roxmltree reads them (empty ones aside, as euca drops them).
fn narratives(node: roxmltree::Node) -> Vec<(String, Option<String>)> {
    node.children()
        .filter(|c| c.has_tag_name("narrative"))
        .map(|n| {
            (
                n.text().unwrap_or_default().to_string(),
                n.attribute((XML, "lang")).map(str::to_string),
            )
        })
        .filter(|(t, _)| !t.is_empty())
        .collect()
}

fn ours(items: &[Narrative]) -> Vec<(String, Option<String>)> {
    items
        .iter()
        .map(|n| (n.text.clone(), n.lang.clone()))
        .collect()
}

fn attr(node: roxmltree::Node, name: &str) -> Option<String> {
    node.attribute(name)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

fn date_code(kind: &DateKind) -> String {
    match kind {
        DateKind::PlannedStart => "1".into(),
        DateKind::ActualStart => "2".into(),
        DateKind::PlannedEnd => "3".into(),
        DateKind::ActualEnd => "4".into(),
        other => other.as_str().to_string(),
    }
}

/// What euca read from one activity equals what roxmltree finds in it.
fn compare(file: &str, node: roxmltree::Node, p: &Project) {
    let child = |name: &str| node.children().find(|c| c.has_tag_name(name));
    let children = |name: &'static str| node.children().filter(move |c| c.has_tag_name(name));
    let id = child("iati-identifier")
        .and_then(|n| n.text())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    assert_eq!(p.iati_identifier, id, "{file}: identifier");
    let title = child("title").map(narratives).unwrap_or_default();
    assert_eq!(ours(&p.title), title, "{file}: title");
    let descriptions: Vec<_> = children("description")
        .map(|d| (attr(d, "type"), narratives(d)))
        .collect();
    let read: Vec<_> = p
        .descriptions
        .iter()
        .map(|d| (d.kind.clone(), ours(&d.narratives)))
        .collect();
    assert_eq!(read, descriptions, "{file}: descriptions");
    let dates: Vec<_> = children("activity-date")
        .map(|d| {
            (
                attr(d, "type").unwrap(),
                d.attribute("iso-date").unwrap().to_string(),
                narratives(d),
            )
        })
        .collect();
    let read: Vec<_> = p
        .dates
        .iter()
        .map(|d| (date_code(&d.kind), d.date.to_string(), ours(&d.narratives)))
        .collect();
    assert_eq!(read, dates, "{file}: dates");
    let reporting =
        child("reporting-org").map(|r| (attr(r, "ref"), attr(r, "type"), narratives(r)));
    let read = p
        .reporting_org
        .as_ref()
        .map(|r| (r.reference.clone(), r.org_type.clone(), ours(&r.name)));
    assert_eq!(read, reporting, "{file}: reporting organisation");
    let participants: Vec<_> = children("participating-org")
        .map(|o| {
            (
                attr(o, "role"),
                attr(o, "ref"),
                attr(o, "type").into_iter().collect::<Vec<_>>(),
                attr(o, "activity-id"),
                narratives(o),
            )
        })
        .collect();
    let read: Vec<_> = p
        .participants
        .iter()
        .map(|o: &Participant| {
            (
                o.role.clone(),
                o.reference.clone(),
                o.org_types.clone(),
                o.activity_id.clone(),
                ours(&o.name),
            )
        })
        .collect();
    assert_eq!(read, participants, "{file}: participating organisations");
    let status = child("activity-status").and_then(|s| attr(s, "code"));
    assert_eq!(p.status, status, "{file}: status");
    let countries: Vec<_> = children("recipient-country")
        .map(|c| attr(c, "code").unwrap())
        .collect();
    let read: Vec<_> = p
        .recipient_countries
        .iter()
        .map(|c| c.country.clone())
        .collect();
    assert_eq!(read, countries, "{file}: recipient countries");
    let sectors: Vec<_> = children("sector")
        .map(|c| (attr(c, "code").unwrap(), attr(c, "vocabulary")))
        .collect();
    let read: Vec<_> = p
        .sectors
        .iter()
        .map(|s| (s.sector.clone(), s.vocabulary.clone()))
        .collect();
    assert_eq!(read, sectors, "{file}: sectors");
    assert_eq!(
        p.budgets.iter().map(|b| b.count).sum::<u32>() as usize,
        children("budget").count(),
        "{file}: budgets"
    );
    assert_eq!(
        p.transactions.iter().map(|b| b.count).sum::<u32>() as usize,
        children("transaction").count(),
        "{file}: transactions"
    );
}

#[test]
fn every_file_that_should_pass_reads_as_an_independent_parser_reads_it() {
    let Some(files) = suite("should-pass") else {
        return;
    };
    assert!(files.len() >= 37, "the suite has its files");
    for (name, text) in &files {
        let import = read_iati(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let doc = roxmltree::Document::parse(text).unwrap();
        let activities: Vec<_> = doc
            .root_element()
            .children()
            .filter(|c| c.has_tag_name("iati-activity"))
            .collect();
        assert_eq!(import.records.len(), activities.len(), "{name}: activities");
        for (node, p) in activities.iter().zip(&import.records) {
            compare(name, *node, p);
        }
        // Nothing euca leaves out goes unmentioned: every child element of an activity is read
        // or named in a `not_read` warning.
        for node in &activities {
            for c in node.children().filter(roxmltree::Node::is_element) {
                let tag = c.tag_name();
                let name_in_file = match tag.namespace() {
                    Some(_) => text
                        .get(c.range())
                        .and_then(|s| s.strip_prefix('<'))
                        .and_then(|s| s.split([' ', '>', '/']).next())
                        .unwrap()
                        .to_string(),
                    None => tag.name().to_string(),
                };
                let read = [
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
                ]
                .contains(&name_in_file.as_str());
                if !read {
                    assert!(
                        import.warnings.iter().any(|w| w.code == Code::NotRead
                            && w.path.contains(&format!("/{name_in_file}"))),
                        "{name}: `{name_in_file}` is neither read nor named as not read"
                    );
                }
            }
        }
    }
    println!(
        "{} files that should pass read as roxmltree reads them",
        files.len()
    );
}

/// A total as (type, status, currency, amount, count).
type Total = (
    Option<String>,
    Option<String>,
    Option<Currency>,
    Amount,
    u32,
);

fn total(
    kind: Option<&str>,
    status: Option<&str>,
    currency: Option<&str>,
    amount: u64,
    count: u32,
) -> Total {
    (
        kind.map(str::to_string),
        status.map(str::to_string),
        currency.map(|c| Currency::new(c).unwrap()),
        Amount(amount),
        count,
    )
}

fn totals(items: &[MoneyTotal]) -> Vec<Total> {
    items
        .iter()
        .map(|t| {
            (
                t.kind.clone(),
                t.status.clone(),
                t.currency,
                t.amount,
                t.count,
            )
        })
        .collect()
}

fn warned(warnings: &[euca::iati::IatiWarning], code: Code, path: &str) -> bool {
    warnings.iter().any(|w| w.code == code && w.path == path)
}

#[test]
fn money_and_percentages_of_the_suite_are_read_exactly() {
    let Some(files) = suite("should-pass") else {
        return;
    };
    let get = |name: &str| {
        let text = &files.iter().find(|(n, _)| n == name).unwrap().1;
        read_iati(text).unwrap()
    };
    let a = "iati-activities/iati-activity[1]";

    // 1000000.99 GBP is 100 000 099 pence; budgets are summed by type, status and currency.
    let budget = get("19-budget.xml");
    let p = &budget.records[0];
    assert_eq!(
        totals(&p.budgets),
        vec![
            total(None, None, Some("GBP"), 100_000_099, 1),
            total(Some("X"), None, Some("GBP"), 100_000_000, 1),
            total(Some("X"), Some("1"), Some("GBP"), 100_000_000, 1),
        ]
    );
    assert_eq!(p.budgets[0].from, Some(Date::parse("2011-01-01").unwrap()));
    assert_eq!(p.budgets[0].to, Some(Date::parse("2011-12-31").unwrap()));
    assert!(warned(
        &budget.warnings,
        Code::UnknownCode,
        &format!("{a}/budget[2]/@type")
    ));

    // Six transactions of 100: five in euros, one without any currency (and a warning).
    let tx = get("21-transaction.xml");
    let p = &tx.records[0];
    assert_eq!(
        totals(&p.transactions),
        vec![
            total(Some("X"), None, Some("EUR"), 50_000, 5),
            total(Some("X"), None, None, 10_000, 1),
        ]
    );
    assert!(warned(
        &tx.warnings,
        Code::MissingField,
        &format!("{a}/transaction[5]/value/@currency")
    ));
    for unread in ["provider-org", "receiver-org", "flow-type", "description"] {
        assert!(
            tx.warnings.iter().any(|w| w.code == Code::NotRead
                && w.path.starts_with(&format!("{a}/transaction["))
                && w.path.contains(unread)),
            "transaction/{unread} is named as not read"
        );
    }

    let decimal = get("27-decimal-currency.xml");
    let p = &decimal.records[0];
    assert_eq!(
        totals(&p.budgets),
        vec![total(None, None, Some("GBP"), 100_000_099, 1)]
    );
    assert_eq!(
        totals(&p.transactions),
        vec![total(Some("X"), None, Some("EUR"), 10_099, 1)]
    );
    assert!(warned(
        &decimal.warnings,
        Code::NotRead,
        &format!("{a}/planned-disbursement[1]")
    ));

    let pct = get("26-decimal-percentage.xml");
    let p = &pct.records[0];
    assert_eq!(
        p.recipient_countries[0].percentage.unwrap().to_string(),
        "55.5"
    );
    assert_eq!(
        p.recipient_regions[0].percentage.unwrap().to_string(),
        "11.1"
    );
    assert_eq!(p.recipient_regions[0].vocabulary.as_deref(), Some("AA"));
    assert_eq!(p.sectors[0].percentage.unwrap().to_string(), "70.9999");
    assert!(warned(
        &pct.warnings,
        Code::UnknownCode,
        &format!("{a}/recipient-country[1]/@code")
    ));
    assert!(warned(
        &pct.warnings,
        Code::UnknownCode,
        &format!("{a}/recipient-region[1]/@vocabulary")
    ));

    let sectors = get("34-sector.xml");
    let p = &sectors.records[0];
    assert_eq!(p.sectors.len(), 2);
    assert_eq!(p.sectors[1].narratives.len(), 2);

    let ext = get("03-top-level-extensibility.xml");
    assert!(warned(
        &ext.warnings,
        Code::NotRead,
        &format!("{a}/x:foo[1]")
    ));
    let other = get("05-other-identifier.xml");
    let w = other
        .warnings
        .iter()
        .find(|w| w.code == Code::NotRead && w.path == format!("{a}/other-identifier[1]"))
        .unwrap();
    assert_eq!(w.count, 6, "six other-identifiers, counted");
    let types = get("16-types.xml");
    for unread in [
        "contact-info[1]",
        "planned-disbursement[1]",
        "related-activity[1]",
        "conditions",
        "result[1]",
    ] {
        assert!(
            warned(&types.warnings, Code::NotRead, &format!("{a}/{unread}")),
            "{unread}"
        );
    }
}

/// Should-fail files whose fault lies in an element euca reads, what euca reports and where.
const REPORTED: &[(&str, Code, &str)] = &[
    (
        "01-empty-activity.xml",
        Code::MissingField,
        "iati-activity[1]/iati-identifier",
    ),
    (
        "01-empty-activity.xml",
        Code::MissingField,
        "iati-activity[1]/title",
    ),
    (
        "01-empty-activity.xml",
        Code::MissingField,
        "iati-activity[1]/activity-status",
    ),
    (
        "02-top-level-extensibility.xml",
        Code::NotRead,
        "iati-activity[1]/foo[1]",
    ),
    (
        "03-mixed-content-extensibility.xml",
        Code::NotRead,
        "iati-activity[1]/description[1]/foo",
    ),
    (
        "04-attribute-extensibility.xml",
        Code::NotRead,
        "iati-activity[1]/description[1]/@foo",
    ),
    (
        "05-code-attribute.xml",
        Code::MissingField,
        "iati-activity[1]/sector[1]/@code",
    ),
    (
        "16-last-updated-datetime.xml",
        Code::NotRead,
        "iati-activity[1]/@last-updated-datetime",
    ),
    (
        "17-bad-hierarchy.xml",
        Code::NotRead,
        "iati-activity[1]/@hierarchy",
    ),
    (
        "18-missing-iati-activities-version.xml",
        Code::MissingField,
        "@version",
    ),
    (
        "18-missing-iati-activities-version.xml",
        Code::MissingField,
        "iati-activity",
    ),
    (
        "19-has-iati-activity-version.xml",
        Code::NotRead,
        "iati-activity[1]/@version",
    ),
    (
        "20-two-reporting-orgs.xml",
        Code::DuplicateElement,
        "iati-activity[1]/reporting-org[2]",
    ),
    (
        "22-missing-title-narrative.xml",
        Code::MissingField,
        "iati-activity[1]/title/narrative",
    ),
    (
        "23-missing-description-narrative.xml",
        Code::MissingField,
        "iati-activity[1]/description[1]/narrative",
    ),
    (
        "24-two-titles.xml",
        Code::DuplicateElement,
        "iati-activity[1]/title[2]",
    ),
    (
        "26-two-activity-status.xml",
        Code::DuplicateElement,
        "iati-activity[1]/activity-status[2]",
    ),
    (
        "budget/01-missing-period-end.xml",
        Code::MissingField,
        "iati-activity[1]/budget[1]/period-end",
    ),
    (
        "budget/02-missing-period-start.xml",
        Code::MissingField,
        "iati-activity[1]/budget[1]/period-start",
    ),
    (
        "budget/03-missing-value.xml",
        Code::MissingField,
        "iati-activity[1]/budget[1]/value",
    ),
    (
        "budget/04-missing-attribute-period-start-iso-date.xml",
        Code::MissingField,
        "iati-activity[1]/budget[1]/period-start/@iso-date",
    ),
    (
        "budget/05-missing-attribute-period-end-iso-date.xml",
        Code::MissingField,
        "iati-activity[1]/budget[1]/period-end/@iso-date",
    ),
    (
        "budget/06-missing-attribute-value-date.xml",
        Code::MissingField,
        "iati-activity[1]/budget[1]/value/@value-date",
    ),
    (
        "budget/07-contains-text-period-start.xml",
        Code::NotRead,
        "iati-activity[1]/budget[1]/period-start/text()",
    ),
    (
        "budget/08-contains-text-period-end.xml",
        Code::NotRead,
        "iati-activity[1]/budget[1]/period-end/text()",
    ),
    (
        "budget/09-two-period-end.xml",
        Code::DuplicateElement,
        "iati-activity[1]/budget[1]/period-end[2]",
    ),
    (
        "budget/10-two-period-start.xml",
        Code::DuplicateElement,
        "iati-activity[1]/budget[1]/period-start[2]",
    ),
    (
        "budget/11-two-value.xml",
        Code::DuplicateElement,
        "iati-activity[1]/budget[1]/value[2]",
    ),
    (
        "budget/12-non-decimal-value.xml",
        Code::InvalidValue,
        "iati-activity[1]/budget[1]/value",
    ),
    (
        "budget/13-empty-decimal-value.xml",
        Code::InvalidValue,
        "iati-activity[1]/budget[1]/value",
    ),
    (
        "participating-org/01-activity-id-cardinality",
        Code::InvalidXml,
        "iati-activity[1]/reporting-org",
    ),
    (
        "participating-org/01-activity-id-empty.xml",
        Code::NotRead,
        "iati-activity[1]/reporting-org/@activity-id",
    ),
    (
        "sector/21-sector-missing-code.xml",
        Code::MissingField,
        "iati-activity[1]/sector[1]/@code",
    ),
    (
        "transaction/01-missing-transaction-type.xml",
        Code::MissingField,
        "iati-activity[1]/transaction[1]/transaction-type",
    ),
    (
        "transaction/02-missing-transaction-date.xml",
        Code::MissingField,
        "iati-activity[1]/transaction[1]/transaction-date",
    ),
    (
        "transaction/03-missing-value.xml",
        Code::MissingField,
        "iati-activity[1]/transaction[1]/value",
    ),
    (
        "transaction/05-two-transaction-date.xml",
        Code::DuplicateElement,
        "iati-activity[1]/transaction[1]/transaction-date[2]",
    ),
    (
        "transaction/05-two-transaction-type.xml",
        Code::DuplicateElement,
        "iati-activity[1]/transaction[1]/transaction-type[2]",
    ),
    (
        "transaction/06-two-transaction-date.xml",
        Code::DuplicateElement,
        "iati-activity[1]/transaction[1]/transaction-date[2]",
    ),
    (
        "transaction/07-two-values.xml",
        Code::DuplicateElement,
        "iati-activity[1]/transaction[1]/value[2]",
    ),
    (
        "transaction/19-missing-attribute-transaction-type-code.xml",
        Code::MissingField,
        "iati-activity[1]/transaction[1]/transaction-type/@code",
    ),
    (
        "transaction/20-missing-attribute-transaction-date-iso-code.xml",
        Code::MissingField,
        "iati-activity[1]/transaction[1]/transaction-date/@iso-date",
    ),
    (
        "transaction/21-missing-attribute-value-date.xml",
        Code::MissingField,
        "iati-activity[1]/transaction[1]/value/@value-date",
    ),
    (
        "transaction/22-incorrect-date-value-date.xml",
        Code::InvalidDate,
        "iati-activity[1]/transaction[1]/value/@value-date",
    ),
    (
        "transaction/23-incorrect-date-transaction-date.xml",
        Code::InvalidDate,
        "iati-activity[1]/transaction[1]/transaction-date/@iso-date",
    ),
    (
        "transaction/39-contains-text-transaction-type.xml",
        Code::NotRead,
        "iati-activity[1]/transaction[1]/transaction-type/text()",
    ),
    (
        "transaction/40-non-decimal-value.xml",
        Code::InvalidValue,
        "iati-activity[1]/transaction[1]/value",
    ),
    (
        "transaction/41-empty-decimal-value.xml",
        Code::InvalidValue,
        "iati-activity[1]/transaction[1]/value",
    ),
    (
        "transaction/42-contains-text-transaction-date.xml",
        Code::NotRead,
        "iati-activity[1]/transaction[1]/transaction-date/text()",
    ),
];

/// Every problem (errors and warnings) of a file, as (code, path), read three ways: whole, with
/// `skip_invalid`, and streamed; none may panic.
fn everything(text: &str) -> Vec<(Code, String)> {
    let mut out = Vec::new();
    match read_iati(text) {
        Ok(import) => out.extend(import.warnings.into_iter().map(|w| (w.code, w.path))),
        Err(e) => out.extend(e.into_problems().into_iter().map(|p| (p.code, p.path))),
    }
    let lenient = ImportOptions {
        skip_invalid: true,
        ..ImportOptions::default()
    };
    if let Ok(import) = read_iati_with(text, &lenient) {
        out.extend(import.warnings.into_iter().map(|w| (w.code, w.path)));
    }
    let mut stream = IatiReader::new(text.as_bytes());
    for item in stream.by_ref() {
        match item {
            Ok(a) => out.extend(a.warnings.into_iter().map(|w| (w.code, w.path))),
            Err(e) => out.extend(e.into_problems().into_iter().map(|p| (p.code, p.path))),
        }
    }
    out.extend(
        stream
            .document_warnings()
            .iter()
            .map(|w| (w.code, w.path.clone())),
    );
    out
}

#[test]
fn no_file_that_should_fail_crashes_the_reader_and_faults_in_elements_euca_reads_have_paths() {
    let Some(files) = suite("should-fail") else {
        return;
    };
    assert!(files.len() >= 200, "the suite has its files");
    let mut reported = Vec::new();
    for (name, text) in &files {
        reported.push((name.clone(), everything(text)));
    }
    for (file, code, path) in REPORTED {
        let (_, found) = reported
            .iter()
            .find(|(n, _)| n == file)
            .unwrap_or_else(|| panic!("{file} is in the suite"));
        let full = format!("iati-activities/{path}");
        assert!(
            found.iter().any(|(c, p)| c == code && *p == full),
            "{file}: expected `{code}` at `{full}`, got {found:?}"
        );
    }
    println!(
        "{} files that should fail read without a crash; {} faults in elements euca reads reported with their paths",
        files.len(),
        REPORTED.len()
    );
}

fn xmllint(xml: &str, name: &str) -> Option<()> {
    let schema = shared_dir("iati-activity")?.join("iati-activities-schema.xsd");
    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&file, xml).unwrap();
    let out = match Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(&file)
        .output()
    {
        Ok(out) => out,
        Err(_) => {
            println!("skipped: xmllint not found (Debian: apt-get install libxml2-utils)");
            return None;
        }
    };
    assert!(
        out.status.success(),
        "xmllint rejects {}:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(())
}

fn options() -> ExportOptions {
    ExportOptions {
        prefix: Some("XM-EUCA".into()),
        as_of: Some("2026-11-30".parse().unwrap()),
        ..ExportOptions::default()
    }
}

/// `p` as export then import gives it: with the identifier and reporting organisation the export
/// generated, flagged.
fn as_exported(p: &Project) -> Project {
    let mut q = p.clone();
    if q.iati_identifier.is_none() {
        let slug: String =
            q.id.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect::<String>()
                .split('-')
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("-");
        q.iati_identifier = Some(format!("XM-EUCA-{slug}"));
        if !q.generated.contains(&Generated::IatiIdentifier) {
            q.generated.push(Generated::IatiIdentifier);
        }
    }
    if q.reporting_org.is_none() {
        q.reporting_org = Some(euca::ReportingOrg {
            reference: Some("XM-EUCA".into()),
            org_type: Some("90".into()),
            name: vec![Narrative::new("XM-EUCA")],
        });
        if !q.generated.contains(&Generated::ReportingOrg) {
            q.generated.push(Generated::ReportingOrg);
        }
    }
    q
}

#[test]
fn the_embedded_projects_export_to_valid_iati_and_back_unchanged() {
    let data = Dataset::embedded().unwrap();
    let xml = to_iati(data.projects(), &options()).unwrap();
    let back = read_iati(&xml).unwrap();
    assert!(
        back.warnings.is_empty(),
        "a file euca wrote reads without a warning: {:?}",
        back.warnings
    );
    assert_eq!(back.version.as_deref(), Some("2.03"));
    assert_eq!(back.records.len(), data.projects().len());
    for (p, q) in data.projects().iter().zip(&back.records) {
        assert_eq!(*q, as_exported(p), "{} survives export and import", p.id);
        assert!(q.generated.contains(&Generated::IatiIdentifier));
    }
    // Exporting what was read back gives the same file: the generated identifiers are kept.
    assert_eq!(to_iati(&back.records, &options()).unwrap(), xml);
    xmllint(&xml, "embedded-projects.xml");
}

#[test]
fn records_read_from_the_suite_export_to_valid_iati_and_back_unchanged() {
    let Some(files) = suite("should-pass") else {
        return;
    };
    let mut records = Vec::new();
    for (_, text) in &files {
        records.extend(read_iati(text).unwrap().records);
    }
    let xml = to_iati(&records, &options()).unwrap();
    let back = read_iati(&xml).unwrap();
    assert_eq!(back.records.len(), records.len());
    for (p, q) in records.iter().zip(&back.records) {
        assert_eq!(*q, as_exported(p), "{} survives export and import", p.id);
    }
    xmllint(&xml, "suite-records.xml");
}

/// A record with every field euca holds, in awkward values.
fn full_record() -> Project {
    let json = r#"{
        "id": "project/test & <full> \"record\"",
        "iati_identifier": "XM-TEST-1",
        "reporting_org": {"ref": "XM-TEST", "type": "10", "name": [{"text": "Ministry & Co"}, {"text": "Министерство", "lang": "ru"}]},
        "title": [{"text": "Legal aid <for> all"}, {"text": "Aide juridique", "lang": "fr"}],
        "descriptions": [{"narratives": [{"text": "General"}]}, {"type": "2", "narratives": [{"text": "Objectives"}]}],
        "language": "en",
        "status": "2",
        "dates": [
            {"type": "planned_start", "date": "2019-01"},
            {"type": "actual_start", "date": "2019-02-03"},
            {"type": "end", "date": "[2021,2022]"},
            {"type": "announced", "date": "2018-12-01/2018-12-02", "narratives": [{"text": "press conference"}]}
        ],
        "duration_months": 30,
        "recipient_countries": [{"country": "KZ", "percentage": "60"}, {"country": "TJ", "percentage": "30.5"}],
        "recipient_regions": [{"region": "619", "vocabulary": "1", "percentage": "9.5", "narratives": [{"text": "Central Asia"}]}],
        "participants": [
            {"name": [{"text": "European Union"}], "role": "1", "ref": "XI-IATI-EC_INTPA"},
            {"name": [{"text": "NGO A"}], "role": "4", "org_types": ["22", "24"], "country": "KZ", "lead": true, "activity_id": "XM-A-1"},
            {"name": [{"text": "Partner without a role"}], "org_types": ["21"]}
        ],
        "instruments": ["eidhr-2014", "cso-la"],
        "funded_under": "EIDHR / CSO-LA",
        "call": "kz-2019-eidhr-cbss",
        "currency": "EUR",
        "total_cost": 31563500,
        "eu_contribution": 29985300,
        "covers": 2,
        "sectors": [
            {"sector": "15160", "percentage": "70", "replaced": "15162"},
            {"sector": "15150", "percentage": "30"},
            {"sector": "151", "vocabulary": "2"}
        ],
        "budgets": [
            {"type": "1", "status": "2", "currency": "EUR", "amount": 10000000, "count": 3, "from": "2019-01-01", "to": "2021-12-31"},
            {"type": "2", "currency": "JPY", "amount": 5000, "deductions": 700, "count": 2, "from": "2020-01-01", "to": "2020-12-31"}
        ],
        "transactions": [
            {"type": "2", "currency": "EUR", "amount": 29985300, "count": 1, "from": "2019-01-15", "to": "2019-01-15"},
            {"type": "3", "currency": "KWD", "amount": 1234567, "deductions": 1000, "count": 4, "from": "2019-02-01", "to": "2020-06-30"},
            {"type": "4", "amount": 100, "count": 1, "from": "2020-01-01", "to": "2020-01-01"}
        ],
        "themes": ["project-kind/vulnerable-groups"],
        "priorities": ["strategy-2007/human-rights"],
        "dialogue_topics": ["issue/torture"],
        "generated": [],
        "inferred": ["org_types", "sectors"],
        "sources": [{"title": "A page", "address": "https://example.org/a?b=1&c=2"}],
        "note": "A note with ]]> and </euca:project> inside"
    }"#;
    serde_json::from_str(json).unwrap()
}

#[test]
fn a_record_with_every_field_survives_export_and_import() {
    let p = full_record();
    let xml = to_iati(std::slice::from_ref(&p), &ExportOptions::default()).unwrap();
    let back = read_iati(&xml).unwrap();
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    assert_eq!(back.records, vec![p.clone()]);
    // The IATI part says what IATI can: the money exactly, per currency.
    assert!(xml.contains("<value currency=\"EUR\" value-date=\"2019-01-01\">100000.00</value>"));
    assert!(xml.contains("<value currency=\"JPY\" value-date=\"2020-01-01\">-700</value>"));
    assert!(xml.contains("<value currency=\"KWD\" value-date=\"2020-06-30\">1234.567</value>"));
    assert!(xml.contains("<value currency=\"KWD\" value-date=\"2020-06-30\">-1.000</value>"));
    assert!(xml.contains("<value value-date=\"2020-01-01\">1.00</value>"));
    assert!(xml.contains("<activity-date type=\"3\" iso-date=\"2022-12-31\"/>"));
    assert!(xml.contains("<sector code=\"15160\" percentage=\"70\"/>"));
    let iati_part = &xml[..xml.find("<euca:project").unwrap()];
    assert!(
        !iati_part.contains("2018-12-01"),
        "announcements are not IATI activity dates"
    );
    xmllint(&xml, "full-record.xml");
    // Read without the extension, the IATI part alone gives what IATI holds.
    let start = xml.find("<euca:project").unwrap();
    let end = xml.find("</euca:project>").unwrap() + "</euca:project>".len();
    let plain = format!("{}{}", &xml[..start], &xml[end..]);
    let q = &read_iati(&plain).unwrap().records[0];
    assert_eq!(q.id, "XM-TEST-1");
    assert_eq!(q.title, p.title);
    assert_eq!(q.recipient_countries, p.recipient_countries);
    // The record has an original budget and a commitment of its own: its total cost and EU
    // contribution are not written beside them, or an IATI reader would count the money twice.
    assert_eq!(q.budgets.len(), 2);
    assert_eq!(q.budgets[1].amount, Amount(5000));
    assert_eq!(q.budgets[1].deductions, Amount(700));
    assert_eq!(q.transactions[1].net(), 1_233_567);
    assert_eq!(q.transactions[0].kind.as_deref(), Some("2"));
    assert_eq!(q.transactions[0].amount, Amount(29_985_300));
    assert_eq!(q.transactions[0].count, 1);
    assert!(!xml.contains("euca: the total cost"));
    assert!(!xml.contains("euca: the EU contribution"));
    // Without budgets and transactions of its own, the record's total cost is one budget over
    // the action's period (actual start to the last day of the end `[2021,2022]`), and its EU
    // contribution an outgoing commitment dated at the actual start, a known day.
    let mut bare = p.clone();
    bare.budgets.clear();
    bare.transactions.clear();
    let xml = to_iati(std::slice::from_ref(&bare), &ExportOptions::default()).unwrap();
    assert_eq!(read_iati(&xml).unwrap().records, vec![bare.clone()]);
    xmllint(&xml, "full-record-bare.xml");
    let start = xml.find("<euca:project").unwrap();
    let end = xml.find("</euca:project>").unwrap() + "</euca:project>".len();
    let plain = format!("{}{}", &xml[..start], &xml[end..]);
    let q = &read_iati(&plain).unwrap().records[0];
    assert_eq!(q.budgets.len(), 1);
    let total = &q.budgets[0];
    assert_eq!(
        (total.kind.as_deref(), total.status.as_deref(), total.amount),
        (Some("1"), Some("1"), Amount(31_563_500))
    );
    assert_eq!(
        (
            total.from.as_ref().map(ToString::to_string),
            total.to.as_ref().map(ToString::to_string)
        ),
        (
            Some("2019-02-03".to_string()),
            Some("2022-12-31".to_string())
        )
    );
    assert_eq!(q.transactions.len(), 1);
    assert_eq!(q.transactions[0].kind.as_deref(), Some("2"));
    assert_eq!(q.transactions[0].amount, Amount(29_985_300));
    assert!(xml.contains("<transaction-date iso-date=\"2019-02-03\"/>"));
    assert!(q.sources.is_empty() && q.themes.is_empty());
}

#[test]
fn an_edited_file_keeps_the_files_values_and_says_so() {
    let p = full_record();
    let xml = to_iati(std::slice::from_ref(&p), &ExportOptions::default()).unwrap();
    let edited = xml.replace(
        "<narrative>Legal aid &lt;for&gt; all</narrative>",
        "<narrative>Legal aid for everyone</narrative>",
    );
    assert_ne!(edited, xml);
    let back = read_iati(&edited).unwrap();
    let q = &back.records[0];
    assert_eq!(q.title[0].text, "Legal aid for everyone");
    assert_eq!(q.sources, p.sources, "the rest comes from the extension");
    assert!(back.warnings.iter().any(|w| w.code == Code::InvalidValue
        && w.message.contains("`title`")
        && w.path == "iati-activities/iati-activity[1]"));
}

#[test]
fn a_record_without_identifiers_needs_a_prefix_and_gets_generated_ones() {
    let mut p = Project::new("project/kz/a b");
    p.title = vec![Narrative::new("A")];
    let e = to_iati(std::slice::from_ref(&p), &ExportOptions::default()).unwrap_err();
    let paths: Vec<_> = e
        .problems()
        .iter()
        .map(|x| (x.code, x.path.as_str()))
        .collect();
    assert_eq!(
        paths,
        vec![
            (Code::MissingField, "[0].iati_identifier"),
            (Code::MissingField, "[0].reporting_org")
        ]
    );
    let bad = ExportOptions {
        prefix: Some("XM EUCA".into()),
        ..ExportOptions::default()
    };
    assert_eq!(to_iati(&[], &bad).unwrap_err().code(), Code::InvalidValue);
    let xml = to_iati(std::slice::from_ref(&p), &options()).unwrap();
    assert!(xml.contains("<iati-identifier>XM-EUCA-project-kz-a-b</iati-identifier>"));
    assert!(xml.contains("<reporting-org ref=\"XM-EUCA\" type=\"90\">"));
    let q = &read_iati(&xml).unwrap().records[0];
    assert_eq!(
        q.generated,
        vec![Generated::IatiIdentifier, Generated::ReportingOrg]
    );
    assert_eq!(q.id, "project/kz/a b");
    assert_eq!(q.status, None, "the supplied status is not a fact");
    assert!(q.dates.is_empty() && q.descriptions.is_empty() && q.participants.is_empty());
    assert!(xml.contains("<activity-status code=\"2\"/>"));
    xmllint(&xml, "generated.xml");
}

fn activity(body: &str) -> String {
    format!(
        "<iati-activities version=\"2.03\"><iati-activity default-currency=\"EUR\">\
         <iati-identifier>XM-1</iati-identifier>{body}</iati-activity></iati-activities>"
    )
}

#[test]
fn money_is_exact_per_currency_and_over_precise_values_are_rounded_aloud() {
    let tx = |value: &str, currency: &str| {
        activity(&format!(
            "<transaction><transaction-type code=\"3\"/><transaction-date iso-date=\"2020-01-01\"/>\
             <value{currency} value-date=\"2020-01-01\">{value}</value></transaction>"
        ))
    };
    let read =
        |xml: String| read_iati(&xml).map(|i| (i.records[0].transactions.clone(), i.warnings));
    let (t, w) = read(tx("1234.5", "")).unwrap();
    assert_eq!(t[0].amount, Amount(123_450));
    assert_eq!(t[0].currency, Some(Currency::EUR), "the default currency");
    assert!(w.iter().all(|w| w.code != Code::OverPreciseMoney));
    let (t, _) = read(tx("1500", " currency=\"JPY\"")).unwrap();
    assert_eq!(t[0].amount, Amount(1500), "yen have no minor unit");
    let (t, _) = read(tx(".125", " currency=\"KWD\"")).unwrap();
    assert_eq!(t[0].amount, Amount(125), "fils are thousandths");
    let (t, w) = read(tx("100.005", "")).unwrap();
    assert_eq!(t[0].amount, Amount(10_001), "rounded half away from zero");
    let over = w.iter().find(|w| w.code == Code::OverPreciseMoney).unwrap();
    assert_eq!(
        over.path,
        "iati-activities/iati-activity[1]/transaction[1]/value"
    );
    assert!(over.message.contains("100.01"), "{}", over.message);
    let (t, _) = read(tx("-250.00", "")).unwrap();
    assert_eq!((t[0].amount, t[0].deductions), (Amount(0), Amount(25_000)));
    let e = read(tx("1e5", "")).unwrap_err();
    assert_eq!(e.code(), Code::InvalidValue);
    let e = read(tx("99999999999999999999999", "")).unwrap_err();
    assert!(e.problems()[0].message.contains("too large"));
    let e = read(tx("1", " currency=\"eur\"")).unwrap_err();
    assert_eq!(e.code(), Code::InvalidValue);
}

#[test]
fn withdrawn_sectors_map_to_their_successors_with_a_note() {
    let xml = activity(
        "<sector code=\"15162\" percentage=\"60\"/><sector vocabulary=\"1\" code=\"11321\" percentage=\"40\"/>\
         <sector vocabulary=\"2\" code=\"151\"/><sector vocabulary=\"99\" code=\"mine\"/><sector code=\"99999\"/>",
    );
    let import = read_iati(&xml).unwrap();
    let p = &import.records[0];
    assert_eq!(p.sectors[0].sector, "15160");
    assert_eq!(p.sectors[0].replaced.as_deref(), Some("15162"));
    assert_eq!(p.sectors[1].sector, "11321", "no successor: kept");
    assert_eq!(p.sectors[1].replaced, None);
    let a = "iati-activities/iati-activity[1]";
    assert!(warned(
        &import.warnings,
        Code::WithdrawnCode,
        &format!("{a}/sector[1]/@code")
    ));
    assert!(warned(
        &import.warnings,
        Code::WithdrawnCode,
        &format!("{a}/sector[2]/@code")
    ));
    assert!(warned(
        &import.warnings,
        Code::UnknownCode,
        &format!("{a}/sector[5]/@code")
    ));
    assert!(!warned(
        &import.warnings,
        Code::UnknownCode,
        &format!("{a}/sector[3]/@code")
    ));
    assert!(!warned(
        &import.warnings,
        Code::UnknownCode,
        &format!("{a}/sector[4]/@code")
    ));
}

#[test]
fn percentages_over_hundred_are_warned_on_import_and_rejected_in_a_dataset() {
    let xml = activity(
        "<recipient-country code=\"KZ\" percentage=\"80\"/><recipient-region code=\"619\" percentage=\"30\"/>\
         <sector code=\"15160\" percentage=\"33.333333\"/>",
    );
    let import = read_iati(&xml).unwrap();
    assert!(warned(
        &import.warnings,
        Code::PercentagesOverHundred,
        "iati-activities/iati-activity[1]/recipient-country"
    ));
    assert_eq!(
        import.records[0].sectors[0].percentage.unwrap().to_string(),
        "33.3333"
    );
    assert!(warned(
        &import.warnings,
        Code::InvalidValue,
        "iati-activities/iati-activity[1]/sector[1]/@percentage"
    ));
    let data = Dataset::embedded().unwrap();
    let e = data
        .extend(
            r#"{"add": {"projects": [{"id": "project/x", "title": [{"text": "X"}],
            "recipient_countries": [{"country": "KZ", "percentage": "70"}, {"country": "TJ", "percentage": "40"}],
            "sources": [{"title": "t", "address": "https://example.org"}]}]}}"#,
        )
        .unwrap_err();
    assert_eq!(e.problems()[0].code, Code::PercentagesOverHundred);
    assert_eq!(e.problems()[0].path, "add.projects[0].recipient_countries");
}

#[test]
fn skip_invalid_keeps_the_good_activities() {
    let xml = "<iati-activities version=\"2.03\">\
        <iati-activity><iati-identifier>A</iati-identifier></iati-activity>\
        <iati-activity><iati-identifier>B</iati-identifier><title/><title/></iati-activity>\
        <iati-activity><iati-identifier>C</iati-identifier></iati-activity>\
        </iati-activities>";
    let e = read_iati(xml).unwrap_err();
    assert_eq!(
        e.problems()[0].path,
        "iati-activities/iati-activity[2]/title[2]"
    );
    let lenient = ImportOptions {
        skip_invalid: true,
        ..ImportOptions::default()
    };
    let import = read_iati_with(xml, &lenient).unwrap();
    let ids: Vec<_> = import.records.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["A", "C"]);
    assert!(
        import
            .warnings
            .iter()
            .any(|w| w.code == Code::DuplicateElement
                && w.activity == Some(2)
                && w.path == "iati-activities/iati-activity[2]/title[2]")
    );
}

#[test]
fn elements_not_read_are_summed_over_a_file() {
    let one = "<iati-activity><iati-identifier>A</iati-identifier><result/><result/><location/></iati-activity>";
    let xml = format!("<iati-activities version=\"2.03\">{one}{one}{one}</iati-activities>");
    let import = read_iati(&xml).unwrap();
    let result = import
        .warnings
        .iter()
        .find(|w| w.code == Code::NotRead && w.path.ends_with("result[1]"))
        .unwrap();
    assert_eq!(result.count, 6);
    assert_eq!(result.path, "iati-activities/iati-activity[1]/result[1]");
    assert!(
        result.message.contains("6 elements in 3 places"),
        "{}",
        result.message
    );
    // Streamed, each activity names its own.
    let first = IatiReader::new(xml.as_bytes()).next().unwrap().unwrap();
    let w = first
        .warnings
        .iter()
        .find(|w| w.path.ends_with("result[1]"))
        .unwrap();
    assert_eq!((w.count, w.activity), (2, Some(1)));
}

#[test]
fn files_that_are_not_iati_are_errors_with_their_place() {
    for (xml, path) in [
        ("", ""),
        ("not xml", ""),
        ("<html/>", ""),
        (
            "<iati-activities version=\"2.03\"><iati-activity>",
            "iati-activities/iati-activity[1]",
        ),
        (
            "<iati-activities version=\"2.03\"><iati-activity><title></iati-activity></iati-activities>",
            "iati-activities/iati-activity[1]/title",
        ),
        (
            "<iati-activities version=\"2.03\"></iati-activities><x/>",
            "",
        ),
        (
            "<iati-activities version=\"2.03\"><iati-activity><title><narrative>&bogus;</narrative></title></iati-activity></iati-activities>",
            "iati-activities/iati-activity[1]/title/narrative[1]",
        ),
    ] {
        let e = read_iati(xml).unwrap_err();
        assert_eq!(e.code(), Code::InvalidXml, "{xml}");
        assert_eq!(e.problems()[0].path, path, "{xml}");
    }
}

#[test]
fn narratives_in_every_language_and_entities_are_kept() {
    let xml = activity(
        "<title><narrative>Rights &amp; freedoms &#8211; &#x41;</narrative>\
         <narrative xml:lang=\"ru\">Права</narrative><narrative xml:lang=\"kk\"><![CDATA[<b>Құқықтар</b>]]></narrative></title>",
    );
    let p = read_iati(&xml).unwrap().records.remove(0);
    assert_eq!(
        ours(&p.title),
        vec![
            ("Rights & freedoms \u{2013} A".to_string(), None),
            ("Права".to_string(), Some("ru".to_string())),
            ("<b>Құқықтар</b>".to_string(), Some("kk".to_string())),
        ]
    );
}

#[test]
fn the_malformed_files_give_the_errors_their_readme_lists() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/malformed/iati");
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let mut listed = Vec::new();
    for line in readme.lines().filter(|l| l.starts_with("- `")) {
        let parts: Vec<&str> = line.split('`').collect();
        let (file, code, path) = (parts[1], parts[3], parts[5]);
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        if parts[2].contains("warning") {
            let import = euca::iati::read_iati_from(&bytes[..], &ImportOptions::default())
                .unwrap_or_else(|e| panic!("{file} reads: {e}"));
            assert!(
                import
                    .warnings
                    .iter()
                    .any(|w| w.code.as_str() == code && w.path == path),
                "{file}: expected a `{code}` warning at `{path}`, got {:?}",
                import.warnings
            );
            listed.push(file.to_string());
            continue;
        }
        let e = euca::iati::read_iati_from(&bytes[..], &ImportOptions::default()).expect_err(file);
        let first = &e.problems()[0];
        assert_eq!(
            (first.code.as_str(), first.path.as_str()),
            (code, path),
            "{file}: {}",
            first.message
        );
        listed.push(file.to_string());
    }
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xml"))
        .collect();
    files.sort();
    listed.sort();
    assert_eq!(
        files, listed,
        "every file is listed in the README, and no other"
    );
}

mod robustness {
    use super::*;
    use proptest::prelude::*;

    fn seed() -> String {
        let p = super::full_record();
        to_iati(std::slice::from_ref(&p), &ExportOptions::default()).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Any damage to a file (a byte changed, a cut) gives records or errors, never a panic;
        /// and what is read writes back and reads again.
        #[test]
        fn damaged_files_never_crash_the_reader(cut in 0usize..4000, at in 0usize..4000, byte in any::<u8>()) {
            let mut bytes = seed().into_bytes();
            if let Some(b) = bytes.get_mut(at) {
                *b = byte;
            }
            bytes.truncate(cut.max(1) * bytes.len() / 4000 + 1);
            let lenient = ImportOptions { skip_invalid: true, ..ImportOptions::default() };
            for item in IatiReader::new(&bytes[..]) {
                let _ = item;
            }
            if let Ok(import) = euca::iati::read_iati_from(&bytes[..], &lenient) {
                let xml = to_iati(&import.records, &options()).unwrap();
                let again = read_iati(&xml).unwrap();
                prop_assert_eq!(again.records.len(), import.records.len());
            }
        }

        /// Any text in a narrative, an identifier or a note survives export and import.
        #[test]
        fn any_text_survives_export_and_import(title in "[^\u{0}-\u{8}\u{b}\u{c}\u{e}-\u{1f}\u{fffe}\u{ffff}\r]{1,40}", note in ".{0,40}") {
            let mut p = super::full_record();
            p.title = vec![Narrative::new(title)];
            p.note = Some(note);
            let xml = to_iati(std::slice::from_ref(&p), &ExportOptions::default()).unwrap();
            let back = read_iati(&xml).unwrap();
            prop_assert_eq!(&back.records[0], &p);
        }
    }
}

#[test]
fn what_iati_cannot_hold_survives_through_the_extension() {
    let mut p = full_record();
    p.sectors.push(euca::SectorShare {
        sector: " ".into(),
        vocabulary: None,
        vocabulary_uri: None,
        percentage: None,
        replaced: None,
        narratives: Vec::new(),
    });
    p.transactions.push(MoneyTotal {
        kind: None,
        status: None,
        currency: Some(Currency::EUR),
        amount: Amount(5),
        deductions: Amount(0),
        count: 1,
        from: None,
        to: None,
    });
    p.dates.push(euca::ActivityDate {
        kind: DateKind::Other(String::new()),
        date: Date::parse("2020").unwrap(),
        narratives: Vec::new(),
    });
    p.participants.iter_mut().for_each(|x| x.role = None);
    p.reporting_org.as_mut().unwrap().name.clear();
    p.title.clear();
    let xml = to_iati(std::slice::from_ref(&p), &ExportOptions::default()).unwrap();
    let back = read_iati(&xml).unwrap();
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    assert_eq!(back.records, vec![p]);
    xmllint(&xml, "what-iati-cannot-hold.xml");
}

/// Every DAC sector code withdrawn on 2020-02-28 (Sector.xml) and what euca reads it as: its
/// successor (euca's own mapping, the codelist naming none), or itself where no one active code
/// takes its place.
const WITHDRAWN_IN_2020: &[(&str, Option<&str>)] = &[
    ("15120", Some("15111")),
    ("15140", Some("15110")),
    ("15161", Some("15151")),
    ("15162", Some("15160")),
    ("15163", Some("15153")),
    ("15164", Some("15170")),
    ("23010", Some("23110")),
    ("23020", Some("23310")),
    ("23030", Some("23210")),
    ("23040", None),
    ("23050", Some("23640")),
    ("23061", Some("23330")),
    ("23062", Some("23340")),
    ("23063", Some("23320")),
    ("23064", Some("23510")),
    ("23065", Some("23220")),
    ("23066", Some("23260")),
    ("23067", None),
    ("23068", Some("23240")),
    ("23069", Some("23250")),
    ("23070", None),
    ("23081", Some("23181")),
    ("23082", Some("23182")),
    ("92010", None),
    ("92020", None),
    ("92030", None),
];

#[test]
fn every_sector_code_withdrawn_in_2020_reads_as_its_successor_or_as_given_with_a_warning() {
    assert_eq!(WITHDRAWN_IN_2020.len(), 26);
    let body: String = WITHDRAWN_IN_2020
        .iter()
        .map(|(code, _)| format!("<sector code=\"{code}\"/>"))
        .collect();
    let import = read_iati(&activity(&body)).unwrap();
    let p = &import.records[0];
    assert_eq!(p.sectors.len(), WITHDRAWN_IN_2020.len());
    let data = Dataset::embedded().unwrap();
    for (i, ((old, new), s)) in WITHDRAWN_IN_2020.iter().zip(&p.sectors).enumerate() {
        let path = format!("iati-activities/iati-activity[1]/sector[{}]/@code", i + 1);
        let w = import
            .warnings
            .iter()
            .find(|w| w.code == Code::WithdrawnCode && w.path == path)
            .unwrap_or_else(|| panic!("{old}: no withdrawn_code warning at {path}"));
        let record = data
            .sectors()
            .iter()
            .find(|x| x.code == *old)
            .unwrap_or_else(|| panic!("{old} is not in the dataset's sector table"));
        assert_eq!(record.successor.as_deref(), *new, "{old} in the dataset");
        let note = record.note.as_deref().unwrap_or_default();
        match new {
            Some(new) => {
                assert_eq!(
                    (s.sector.as_str(), s.replaced.as_deref()),
                    (*new, Some(*old)),
                    "{old} is read as {new}"
                );
                assert!(w.message.contains(&format!("`{new}`")), "{}", w.message);
                assert!(note.contains("euca's own"), "{old}: {note}");
            }
            None => {
                assert_eq!(
                    (s.sector.as_str(), s.replaced.as_deref()),
                    (*old, None),
                    "{old} is kept as given"
                );
                assert!(w.message.contains("kept as given"), "{}", w.message);
                assert!(note.contains("maps it to none"), "{old}: {note}");
            }
        }
    }
}

#[test]
fn codes_outside_their_codelists_are_warned_for_every_attribute_euca_checks() {
    let file = |cur: &str,
                org: &str,
                desc: &str,
                role: &str,
                status: &str,
                date: &str,
                tx: &str| {
        format!(
            "<iati-activities version=\"2.03\"><iati-activity default-currency=\"{cur}\">\
             <iati-identifier>XM-1</iati-identifier>\
             <reporting-org ref=\"XM\" type=\"{org}\"><narrative>R</narrative></reporting-org>\
             <title><narrative>T</narrative></title>\
             <description type=\"{desc}\"><narrative>D</narrative></description>\
             <participating-org role=\"{role}\" type=\"{org}\"><narrative>P</narrative></participating-org>\
             <activity-status code=\"{status}\"/>\
             <activity-date type=\"{date}\" iso-date=\"2020-01-01\"/>\
             <transaction><transaction-type code=\"{tx}\"/><transaction-date iso-date=\"2020-01-01\"/>\
             <value currency=\"{cur}\" value-date=\"2020-01-01\">1</value></transaction>\
             </iati-activity></iati-activities>"
        )
    };
    let a = "iati-activities/iati-activity[1]";
    let paths: Vec<String> = [
        "/@default-currency",
        "/reporting-org/@type",
        "/description[1]/@type",
        "/participating-org[1]/@role",
        "/participating-org[1]/@type",
        "/activity-status/@code",
        "/activity-date[1]/@type",
        "/transaction[1]/transaction-type/@code",
        "/transaction[1]/value/@currency",
    ]
    .iter()
    .map(|p| format!("{a}{p}"))
    .collect();
    // Codes in their codelists: no warning.
    let good = read_iati(&file("EUR", "22", "1", "4", "2", "1", "3")).unwrap();
    for path in &paths {
        assert!(
            !warned(&good.warnings, Code::UnknownCode, path),
            "{path}: {:?}",
            good.warnings
        );
    }
    // Codes outside them: a warning at each place, and the code kept as given.
    let bad = read_iati(&file("XYZ", "77", "9", "7", "8", "9", "99")).unwrap();
    for path in &paths {
        assert!(
            warned(&bad.warnings, Code::UnknownCode, path),
            "{path}: {:?}",
            bad.warnings
        );
    }
    let p = &bad.records[0];
    assert_eq!(
        p.currency.map(|c| c.as_str().to_string()).as_deref(),
        Some("XYZ")
    );
    assert_eq!(
        p.reporting_org.as_ref().unwrap().org_type.as_deref(),
        Some("77")
    );
    assert_eq!(p.descriptions[0].kind.as_deref(), Some("9"));
    assert_eq!(p.participants[0].role.as_deref(), Some("7"));
    assert_eq!(p.participants[0].org_types, vec!["77".to_string()]);
    assert_eq!(p.status.as_deref(), Some("8"));
    assert_eq!(p.dates[0].kind, DateKind::Other("9".into()));
    assert_eq!(p.transactions[0].kind.as_deref(), Some("99"));
}

#[test]
fn an_empty_narrative_is_warned_with_its_path_not_dropped_silently() {
    let xml = activity(
        "<title><narrative/><narrative xml:lang=\"ru\">Т</narrative></title>\
         <description><narrative></narrative></description>",
    );
    let import = read_iati(&xml).unwrap();
    let p = &import.records[0];
    assert_eq!(
        p.title,
        vec![Narrative {
            text: "Т".into(),
            lang: Some("ru".into())
        }]
    );
    let a = "iati-activities/iati-activity[1]";
    for path in [
        format!("{a}/title/narrative[1]"),
        format!("{a}/description[1]/narrative[1]"),
    ] {
        let w = import
            .warnings
            .iter()
            .find(|w| w.path == path)
            .unwrap_or_else(|| panic!("no warning at {path}: {:?}", import.warnings));
        assert_eq!(w.code, Code::MissingField);
        assert!(w.message.contains("empty `narrative`"), "{}", w.message);
    }
    assert!(!warned(
        &import.warnings,
        Code::MissingField,
        &format!("{a}/title/narrative[2]")
    ));
}

#[test]
fn elements_beside_the_activities_are_tallied_by_name_not_kept_one_by_one() {
    let mut xml = String::from("<iati-activities version=\"2.03\">");
    for i in 0..10_000 {
        xml.push_str("<foo/><bar>x</bar>");
        if i % 1000 == 0 {
            xml.push_str("stray text");
        }
    }
    xml.push_str("<iati-activity><iati-identifier>A</iati-identifier><result/></iati-activity>");
    xml.push_str("<foo/></iati-activities>");
    let mut reader = IatiReader::new(xml.as_bytes());
    let activities = reader.by_ref().count();
    assert_eq!(activities, 1);
    let doc = reader.document_warnings();
    assert_eq!(doc.len(), 3, "one warning per name: {doc:?}");
    let count = |path: &str| {
        doc.iter()
            .find(|w| w.code == Code::NotRead && w.path == path)
            .map(|w| w.count)
    };
    assert_eq!(count("iati-activities/foo"), Some(10_001));
    assert_eq!(count("iati-activities/bar"), Some(10_000));
    assert_eq!(count("iati-activities/text()"), Some(10));
    let foo = doc
        .iter()
        .find(|w| w.path == "iati-activities/foo")
        .unwrap();
    assert!(foo.message.contains("10001 times"), "{}", foo.message);
    // A whole read gives the same, beside the activity's own.
    let import = read_iati(&xml).unwrap();
    let not_read: Vec<_> = import
        .warnings
        .iter()
        .filter(|w| w.code == Code::NotRead)
        .map(|w| (w.path.as_str(), w.count))
        .collect();
    assert_eq!(
        not_read,
        vec![
            ("iati-activities/iati-activity[1]/result[1]", 1),
            ("iati-activities/foo", 10_001),
            ("iati-activities/bar", 10_000),
            ("iati-activities/text()", 10),
        ]
    );
}

/// The embedded projects that have money, as (id, total cost and its budget period, EU
/// contribution and its commitment day, whether that day is one the record does not give).
#[allow(clippy::type_complexity)]
const MONEY: &[(&str, Option<(u64, &str, &str)>, Option<(u64, &str, bool)>)] = &[
    (
        "project/kz/inclusive-kazakhstan",
        Some((31_563_500, "2019-01-01", "2021-03-31")),
        Some((29_985_300, "2019-01-01", true)),
    ),
    (
        "project/kz/migrants-rights",
        Some((31_578_900, "2019-01-30", "2021-06-30")),
        Some((30_000_000, "2019-01-30", false)),
    ),
    (
        "project/kz/eidhr-2009-package",
        None,
        Some((67_000_000, "2010-01-13", false)),
    ),
    (
        "project/tj/human-rights-obligations-monitoring",
        Some((51_367_100, "2017-07-04", "2019-07-03")),
        None,
    ),
    (
        "project/kg/youth-and-human-rights-2025",
        None,
        Some((500_000_000, "2025-03-01", true)),
    ),
    (
        "project/kg/rule-of-law-programme-2",
        None,
        Some((1_300_000_000, "2016-01-01", true)),
    ),
];

#[test]
fn the_export_of_the_embedded_projects_shows_their_money_to_a_plain_iati_reader() {
    let data = Dataset::embedded().unwrap();
    let xml = to_iati(data.projects(), &options()).unwrap();
    // What a reader that knows nothing of euca's extension sees.
    let plain: String = xml
        .lines()
        .filter(|l| !l.contains("<euca:project"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(!plain.contains("euca:project"));
    let read = read_iati(&plain).unwrap();
    let chunks: Vec<&str> = plain.split("<iati-activity").skip(1).collect();
    assert_eq!(read.records.len(), data.projects().len());
    assert_eq!(chunks.len(), data.projects().len());
    let text = |d: &Option<Date>| d.as_ref().map(ToString::to_string).unwrap_or_default();
    let mut seen = 0;
    for ((p, q), chunk) in data.projects().iter().zip(&read.records).zip(&chunks) {
        let expected = MONEY.iter().find(|(id, _, _)| *id == p.id);
        let (total, eu) = expected.map_or((None, None), |(_, t, e)| (*t, *e));
        assert_eq!(p.total_cost.map(|a| a.0), total.map(|t| t.0), "{}", p.id);
        assert_eq!(p.eu_contribution.map(|a| a.0), eu.map(|e| e.0), "{}", p.id);
        match total {
            Some((amount, from, to)) => {
                let b = &q.budgets[..];
                assert_eq!(b.len(), 1, "{}", p.id);
                assert_eq!(
                    (b[0].kind.as_deref(), b[0].status.as_deref(), b[0].currency),
                    (Some("1"), Some("1"), Some(Currency::EUR)),
                    "{}",
                    p.id
                );
                assert_eq!(b[0].amount, Amount(amount), "{}", p.id);
                assert_eq!(
                    (text(&b[0].from), text(&b[0].to)),
                    (from.into(), to.into()),
                    "{}",
                    p.id
                );
            }
            None => assert!(q.budgets.is_empty(), "{}", p.id),
        }
        match eu {
            Some((amount, day, unknown_day)) => {
                let t = &q.transactions[..];
                assert_eq!(t.len(), 1, "{}", p.id);
                assert_eq!(
                    (t[0].kind.as_deref(), t[0].currency, t[0].amount),
                    (Some("2"), Some(Currency::EUR), Amount(amount)),
                    "{}: an outgoing commitment",
                    p.id
                );
                assert_eq!(
                    (text(&t[0].from), text(&t[0].to)),
                    (day.into(), day.into()),
                    "{}",
                    p.id
                );
                let tx = &chunk
                    [chunk.find("<transaction>").unwrap()..chunk.find("</transaction>").unwrap()];
                assert!(tx.contains(&format!("value-date=\"{day}\"")), "{tx}");
                assert_eq!(
                    tx.contains("the day written is not known"),
                    unknown_day,
                    "{}: a day the record does not give is said so beside it: {tx}",
                    p.id
                );
            }
            None => assert!(q.transactions.is_empty(), "{}", p.id),
        }
        seen += usize::from(total.is_some() || eu.is_some());
    }
    assert_eq!(seen, MONEY.len());
    xmllint(&plain, "embedded-projects-plain.xml");
}
