//! Cross-checks euca's own code tables (countries, organisation types, DAC sectors) against the IATI
//! codelists in ../shared/iati-codelists (the folder beside the project; `EUCA_SHARED` overrides
//! where `shared/` is). These files are read at test time, never copied into the project; on a
//! machine without them each test says it skipped and passes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::path::PathBuf;

use euca::{CodeStatus, Dataset};

fn codelists_dir() -> Option<PathBuf> {
    let shared = std::env::var_os("EUCA_SHARED").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
        PathBuf::from,
    );
    let dir = shared.join("iati-codelists");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "skipped: {} not found (the IATI codelists live outside the project)",
            dir.display()
        );
        None
    }
}

/// One item of an IATI codelist.
#[derive(Debug)]
struct Item {
    name: String,
    category: Option<String>,
    withdrawn: bool,
    withdrawal_date: Option<String>,
}

/// Reads `<codelist-item>`s: code → (English name, category, status, withdrawal date).
fn read_codelist(dir: &std::path::Path, file: &str) -> HashMap<String, Item> {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let child_text = |node: roxmltree::Node, tag: &str| {
        node.children()
            .find(|c| c.has_tag_name(tag))
            .and_then(|c| c.text())
            .map(|t| t.trim().to_string())
    };
    doc.descendants()
        .filter(|n| n.has_tag_name("codelist-item"))
        .map(|item| {
            let code = child_text(item, "code").unwrap();
            let name = item
                .children()
                .find(|c| c.has_tag_name("name"))
                .and_then(|n| {
                    n.children().find(|c| {
                        c.has_tag_name("narrative")
                            && c.attribute(("http://www.w3.org/XML/1998/namespace", "lang"))
                                .is_none()
                    })
                })
                .and_then(|n| n.text())
                .unwrap_or_default()
                .trim()
                .to_string();
            (
                code,
                Item {
                    name,
                    category: child_text(item, "category"),
                    withdrawn: item.attribute("status") == Some("withdrawn"),
                    withdrawal_date: item.attribute("withdrawal-date").map(str::to_string),
                },
            )
        })
        .collect()
}

#[test]
fn organisation_types_agree_with_the_iati_codelist() {
    let Some(dir) = codelists_dir() else { return };
    let iati = read_codelist(&dir, "OrganisationType.xml");
    let data = Dataset::embedded().unwrap();
    let ours = data.organisation_types();
    assert_eq!(
        ours.len(),
        iati.len(),
        "euca lists every IATI organisation type"
    );
    for t in ours {
        let item = iati
            .get(&t.code)
            .unwrap_or_else(|| panic!("organisation type {} is not in the IATI codelist", t.code));
        assert_eq!(t.name, item.name, "name of organisation type {}", t.code);
    }
}

#[test]
fn sectors_agree_with_the_iati_codelist() {
    let Some(dir) = codelists_dir() else { return };
    let iati = read_codelist(&dir, "Sector.xml");
    let data = Dataset::embedded().unwrap();
    assert!(!data.sectors().is_empty());
    for s in data.sectors() {
        let item = iati
            .get(&s.code)
            .unwrap_or_else(|| panic!("sector {} is not in the IATI codelist", s.code));
        assert_eq!(s.name, item.name, "name of sector {}", s.code);
        assert_eq!(
            Some(&s.category),
            item.category.as_ref(),
            "category of {}",
            s.code
        );
        assert_eq!(
            s.status == CodeStatus::Withdrawn,
            item.withdrawn,
            "status of sector {}",
            s.code
        );
        assert_eq!(
            s.withdrawn_on.as_ref().map(ToString::to_string),
            item.withdrawal_date,
            "withdrawal date of sector {}",
            s.code
        );
        if let Some(successor) = &s.successor {
            let next = iati
                .get(successor)
                .unwrap_or_else(|| panic!("successor {successor} is not in the codelist"));
            assert!(
                !next.withdrawn,
                "successor {successor} of {} is active",
                s.code
            );
        }
    }
    // The codes withdrawn in 2020 that older EU records use are all there, mapped on.
    for code in ["15120", "15140", "15161", "15162", "15163", "15164"] {
        let s = data.sectors().iter().find(|s| s.code == code).unwrap();
        assert!(s.successor.is_some(), "{code} maps to its successor");
    }
    // Every code the codelist withdrew on 2020-02-28 is in the table, with its date; a successor
    // is euca's own mapping and its note says so, a code without one says euca maps it to none.
    let mut withdrawn_2020: Vec<&String> = iati
        .iter()
        .filter(|(_, item)| item.withdrawal_date.as_deref() == Some("2020-02-28"))
        .map(|(code, _)| code)
        .collect();
    withdrawn_2020.sort();
    assert_eq!(withdrawn_2020.len(), 26);
    for code in withdrawn_2020 {
        let s = data
            .sectors()
            .iter()
            .find(|s| &s.code == code)
            .unwrap_or_else(|| panic!("{code}, withdrawn in 2020, is not in the sector table"));
        let note = s.note.as_deref().unwrap_or_default();
        match &s.successor {
            Some(next) => assert!(
                note.contains(next.as_str()) && note.contains("euca's own"),
                "{code}: {note}"
            ),
            None => assert!(note.contains("maps it to none"), "{code}: {note}"),
        }
    }
}

#[test]
fn country_codes_and_names_agree_with_the_iati_codelist() {
    let Some(dir) = codelists_dir() else { return };
    let iati = read_codelist(&dir, "Country.xml");
    let data = Dataset::embedded().unwrap();
    for c in data.central_asian_states() {
        let item = iati
            .get(&c.id)
            .unwrap_or_else(|| panic!("country {} is not in the IATI codelist", c.id));
        assert!(
            item.name.eq_ignore_ascii_case(&c.name),
            "name of {}: IATI says {}, euca says {}",
            c.id,
            item.name,
            c.name
        );
    }
}
