//! Loading, validating and extending dataset documents: every rule reports its code and JSON path, and every problem of a document is collected.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use euca::dataset::{MAX_DEPTH, MAX_DOCUMENT_BYTES};
use euca::{ChangeAction, Code, Dataset, DatasetError, Source};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// The minimal valid document and helpers to break it.
// ---------------------------------------------------------------------------------------------

/// A one-source list for a record, titled `title`.
fn sources(title: &str) -> Value {
    json!([{"title": title, "address": format!("https://example.org/{}", title.replace(' ', "-"))}])
}

/// A small valid dataset document: one state and the EU, one strategy, agreement, body and
/// dialogue, two rounds, one seminar with a disputed date and one record of every code table.
fn minimal() -> Value {
    json!({
        "version": "2026.01.01-test",
        "countries": [
            {"id": "KZ", "alpha3": "KAZ", "name": "Kazakhstan", "kind": "central_asian_state",
             "sources": sources("iso 3166")},
            {"id": "EU", "name": "European Union", "kind": "european_union",
             "sources": sources("iso 3166 reserved codes")}
        ],
        "strategies": [{
            "id": "strategy-2007",
            "title": "The EU and Central Asia: Strategy for a New Partnership",
            "adopted": "2007-06-22",
            "adopted_by": "European Council",
            "priorities": [{"id": "strategy-2007/human-rights",
                            "name": "Human rights, rule of law, good governance and democratisation",
                            "sources": sources("strategy 2007")}],
            "sources": sources("strategy 2007")
        }],
        "agreements": [{"id": "pca-kz", "kind": "pca",
                        "title": "Partnership and Cooperation Agreement with Kazakhstan",
                        "country": "KZ", "signed": "1995-01-23", "in_force": "1999-07-01",
                        "sources": sources("pca kz")}],
        "bodies": [{"id": "kz-cooperation-committee", "name": "EU–Kazakhstan Cooperation Committee",
                    "agreement": "pca-kz", "sources": sources("pca kz")}],
        "dialogue_types": [
            {"id": "structured", "name": "Structured dialogue",
             "description": "A dialogue held at regular intervals.", "sources": sources("guidelines")},
            {"id": "ad_hoc", "name": "Ad hoc dialogue",
             "description": "A dialogue held when the occasion arises.", "sources": sources("guidelines")}
        ],
        "dialogues": [{
            "id": "hrd-kz",
            "country": "KZ",
            "title": "EU–Kazakhstan Human Rights Dialogue",
            "agreed": "2008-06",
            "formats": [
                {"from": "2008-06", "dialogue_type": "ad_hoc", "sources": sources("factsheet")},
                {"from": "2009-01", "dialogue_type": "structured", "body": "kz-cooperation-committee",
                 "setting": "in_the_margins", "sources": sources("factsheet")}
            ],
            "cadence": {"interval_months": 12, "sources": sources("factsheet")},
            "serves": ["strategy-2007/human-rights"],
            "sources": sources("factsheet")
        }],
        "rounds": [
            {"id": "hrd-kz/1", "dialogue": "hrd-kz", "number": 1, "date": "2008-10-15",
             "place": "Astana", "sources": sources("press release 1")},
            {"id": "hrd-kz/2", "dialogue": "hrd-kz", "number": 2, "date": "2009-10",
             "place": "Brussels", "sources": sources("press release 2")}
        ],
        "seminars": [{
            "id": "seminar/kz/2009",
            "scope": "bilateral",
            "country": "KZ",
            "dialogue": "hrd-kz",
            "date": {
                "alternatives": [
                    {"value": "2009-07", "sources": sources("factsheet")},
                    {"value": "2009-06-29/2009-06-30", "sources": sources("concept note")}
                ],
                "note": "the factsheet says July; the concept note gives 29-30 June"
            },
            "place": "Almaty",
            "sources": sources("concept note")
        }],
        "initiatives": [{"id": "rule-of-law-initiative", "title": "Rule of Law Initiative",
                         "description": "Cooperation on legal and judicial reform.",
                         "launched": "2008-11", "serves": ["strategy-2007/human-rights"],
                         "sources": sources("strategy 2007")}],
        "instruments": [{"id": "eidhr-2007",
                         "name": "European Instrument for Democracy and Human Rights",
                         "short_name": "EIDHR", "kind": "financing_instrument",
                         "legal_basis": "Regulation (EC) No 1889/2006",
                         "validity": {"from": "2007", "to": "2013"},
                         "serves": ["strategy-2007/human-rights"],
                         "sources": sources("regulation 1889 2006")}],
        "project_kinds": [{"id": "project-kind/vulnerable-groups",
                           "description": "Projects protecting vulnerable groups",
                           "sectors": ["15160"], "serves": ["strategy-2007/human-rights"],
                           "sources": sources("seed")}],
        "organisation_types": [{"code": "22", "name": "National NGO",
                                "sources": sources("iati organisation type")}],
        "sectors": [{"code": "15160", "name": "Human rights", "category": "151",
                     "status": "active", "sources": sources("iati sector")}]
    })
}

/// Splits a JSON pointer into its parent and its last key.
fn split(pointer: &str) -> (&str, &str) {
    pointer
        .rsplit_once('/')
        .unwrap_or_else(|| panic!("`{pointer}` is not a JSON pointer"))
}

/// The value at `pointer`, which must exist.
fn at<'a>(doc: &'a mut Value, pointer: &str) -> &'a mut Value {
    doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("nothing at `{pointer}`"))
}

/// Sets (or adds) the value at `pointer`; `-` as the last key appends to a list.
fn set(doc: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = split(pointer);
    match at(doc, parent) {
        Value::Object(map) => {
            map.insert(key.to_string(), value);
        }
        Value::Array(items) if key == "-" => items.push(value),
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
        other => panic!("cannot set `{key}` in {other}"),
    }
}

/// Removes the value at `pointer` and returns it.
fn remove(doc: &mut Value, pointer: &str) -> Value {
    let (parent, key) = split(pointer);
    match at(doc, parent) {
        Value::Object(map) => map.shift_remove(key).unwrap(),
        Value::Array(items) => items.remove(key.parse::<usize>().unwrap()),
        other => panic!("cannot remove `{key}` from {other}"),
    }
}

/// The minimal document with `edit` applied.
fn edited(edit: impl FnOnce(&mut Value)) -> Value {
    let mut doc = minimal();
    edit(&mut doc);
    doc
}

/// (code, path) pairs, sorted so that comparisons do not depend on the order rules run in.
fn pairs(problems: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = problems
        .iter()
        .map(|(c, p)| ((*c).to_string(), (*p).to_string()))
        .collect();
    out.sort();
    out
}

/// The (code, path) pairs of an error, sorted; every code must be the string form of its enum.
fn codes_and_paths(error: &DatasetError) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = error
        .problems()
        .iter()
        .map(|p| {
            assert!(!p.message.is_empty(), "a problem without a message: {p:?}");
            (p.code.as_str().to_string(), p.path.clone())
        })
        .collect();
    out.sort();
    out
}

/// Describes every problem of an error, one a line, for failure messages.
fn describe(error: &DatasetError) -> String {
    error
        .problems()
        .iter()
        .map(|p| format!("  {} [{}] {}", p.path, p.code, p.message))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Loads a document that must be valid.
fn load(doc: Value) -> Dataset {
    Dataset::from_value(doc)
        .unwrap_or_else(|e| panic!("the document should load, but:\n{}", describe(&e)))
}

/// The error of a document that must be invalid.
fn error_of(result: Result<Dataset, DatasetError>) -> DatasetError {
    match result {
        Ok(_) => panic!("the document should be rejected, but it loaded"),
        Err(e) => e,
    }
}

/// The (code, path) pairs of the problems of a document that must be invalid.
fn problems(doc: Value) -> Vec<(String, String)> {
    codes_and_paths(&error_of(Dataset::from_value(doc)))
}

/// The (code, path) pairs of the problems of JSON text that must be rejected.
fn text_problems(text: &str) -> Vec<(String, String)> {
    codes_and_paths(&error_of(Dataset::from_json(text)))
}

/// The one problem's message of an invalid document, checking its code and path.
fn only_message(doc: Value, code: Code, path: &str) -> String {
    let error = error_of(Dataset::from_value(doc));
    match error.problems() {
        [one] => {
            assert_eq!((one.code, one.path.as_str()), (code, path), "{one:?}");
            one.message.clone()
        }
        _ => panic!("expected one problem, got:\n{}", describe(&error)),
    }
}

/// A JSON text nested `depth` arrays deep.
fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

// ---------------------------------------------------------------------------------------------
// The minimal document loads and round-trips.
// ---------------------------------------------------------------------------------------------

#[test]
fn minimal_document_loads_from_a_value_and_from_text() {
    let from_value = load(minimal());
    let from_text = Dataset::from_json(&minimal().to_string()).unwrap();
    assert_eq!(from_value, from_text);
    let from_bytes = Dataset::from_slice(minimal().to_string().as_bytes()).unwrap();
    assert_eq!(from_value, from_bytes);

    assert_eq!(from_value.version(), "2026.01.01-test");
    assert_eq!(from_value.countries().len(), 2);
    assert_eq!(from_value.rounds().len(), 2);
    assert!(from_value.seminars()[0].date.is_disputed());
    assert_eq!(from_value.seminars()[0].date.values().len(), 2);
    assert!(from_value.changes().is_empty());
}

#[test]
fn minimal_document_round_trips_through_json_identically() {
    let d = load(minimal());
    let text = d.to_json();
    let again = Dataset::from_json(&text).unwrap();
    assert_eq!(again, d);
    assert_eq!(again.to_json(), text, "to_json is not stable");
    // Nothing of the input is lost or added (object comparison ignores key order).
    assert_eq!(d.to_value(), minimal());
}

// ---------------------------------------------------------------------------------------------
// Unknown fields.
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_fields_at_every_level_are_all_reported_in_one_load() {
    let doc = edited(|d| {
        set(d, "/comment", json!("top level"));
        set(d, "/rounds/0/venue", json!("Astana"));
        set(d, "/rounds/1/sources/0/lang", json!("en"));
        set(
            d,
            "/seminars/0/date/alternatives/0/confidence",
            json!("high"),
        );
        set(d, "/seminars/0/date/reason", json!("a key beside `note`"));
        set(d, "/dialogues/0/cadence/every", json!("year"));
        set(d, "/strategies/0/priorities/0/rank", json!(1));
    });
    assert_eq!(
        problems(doc),
        pairs(&[
            ("unknown_field", "comment"),
            ("unknown_field", "rounds[0].venue"),
            ("unknown_field", "rounds[1].sources[0].lang"),
            (
                "unknown_field",
                "seminars[0].date.alternatives[0].confidence"
            ),
            ("unknown_field", "seminars[0].date.reason"),
            ("unknown_field", "dialogues[0].cadence.every"),
            ("unknown_field", "strategies[0].priorities[0].rank"),
        ])
    );
}

#[test]
fn misspelt_collection_name_suggests_the_right_one() {
    let doc = edited(|d| {
        let types = remove(d, "/organisation_types");
        set(d, "/organization_types", types);
    });
    let message = only_message(doc, Code::UnknownField, "organization_types");
    assert!(
        message.contains("did you mean `organisation_types`"),
        "{message}"
    );
}

#[test]
fn unknown_field_far_from_any_known_name_has_no_suggestion() {
    let doc = edited(|d| set(d, "/zzzzzzzzzzzz", json!([])));
    let message = only_message(doc, Code::UnknownField, "zzzzzzzzzzzz");
    assert!(!message.contains("did you mean"), "{message}");
}

// ---------------------------------------------------------------------------------------------
// Types, required fields, values, dates.
// ---------------------------------------------------------------------------------------------

#[test]
fn values_of_the_wrong_json_type_are_invalid_type() {
    let doc = edited(|d| {
        set(d, "/version", json!(2026));
        set(d, "/rounds/0/number", json!("one"));
        set(d, "/seminars/0/date", json!(2009));
        set(d, "/organisation_types", json!({"code": "22"}));
    });
    assert_eq!(
        problems(doc),
        pairs(&[
            ("invalid_type", "version"),
            ("invalid_type", "rounds[0].number"),
            ("invalid_type", "seminars[0].date"),
            ("invalid_type", "organisation_types"),
        ])
    );
}

#[test]
fn missing_required_fields_are_named_in_the_path() {
    let doc = edited(|d| {
        remove(d, "/version");
        remove(d, "/rounds/0/date");
        remove(d, "/rounds/1/sources/0/title");
        remove(d, "/seminars/0/date/note");
        remove(d, "/initiatives/0/sources");
    });
    assert_eq!(
        problems(doc),
        pairs(&[
            ("missing_field", "version"),
            ("missing_field", "rounds[0].date"),
            ("missing_field", "rounds[1].sources[0].title"),
            ("missing_field", "seminars[0].date.note"),
            ("missing_field", "initiatives[0].sources"),
        ])
    );
}

#[test]
fn values_outside_their_enumeration_are_invalid_value() {
    let doc = edited(|d| {
        set(d, "/countries/0/kind", json!("central_asia"));
        set(d, "/version", json!("  "));
    });
    // The country record cannot be read; references to `KZ` are not reported a second time.
    assert_eq!(
        problems(doc),
        pairs(&[
            ("invalid_value", "countries[0].kind"),
            ("invalid_value", "version"),
        ])
    );
}

#[test]
fn impossible_dates_are_invalid_date_at_the_path_of_the_date() {
    let doc = edited(|d| {
        set(d, "/rounds/0/date", json!("2009-02-30"));
        set(d, "/rounds/1/date", json!("2009-13"));
        set(
            d,
            "/seminars/0/date/alternatives/1/value",
            json!("2009-06-31"),
        );
        set(d, "/instruments/0/validity/to", json!("2013-00"));
        set(d, "/initiatives/0/launched", json!("2008-11-31"));
    });
    assert_eq!(
        problems(doc),
        pairs(&[
            ("invalid_date", "rounds[0].date"),
            ("invalid_date", "rounds[1].date"),
            ("invalid_date", "seminars[0].date.alternatives[1].value"),
            ("invalid_date", "instruments[0].validity.to"),
            ("invalid_date", "initiatives[0].launched"),
        ])
    );
}

#[test]
fn an_unknown_field_after_an_invalid_value_in_one_record_is_still_reported() {
    let doc = edited(|d| {
        set(d, "/rounds/0/date", json!("2009-13"));
        set(d, "/rounds/0/venue", json!("Astana"));
    });
    assert_eq!(
        problems(doc),
        pairs(&[
            ("invalid_date", "rounds[0].date"),
            ("unknown_field", "rounds[0].venue"),
        ])
    );
}

#[test]
fn a_leap_day_in_a_leap_year_is_a_valid_date() {
    load(edited(|d| set(d, "/rounds/1/date", json!("2012-02-29"))));
}

// ---------------------------------------------------------------------------------------------
// Ids and references.
// ---------------------------------------------------------------------------------------------

#[test]
fn two_records_sharing_an_id_across_collections_are_duplicate_id() {
    let doc = edited(|d| {
        set(d, "/instruments/0/id", json!("rule-of-law-initiative"));
        set(d, "/rounds/1/id", json!("hrd-kz"));
    });
    assert_eq!(
        problems(doc),
        pairs(&[
            ("duplicate_id", "instruments[0].id"),
            ("duplicate_id", "rounds[1].id"),
        ])
    );
}

#[test]
fn duplicate_codes_in_code_tables_are_duplicate_id() {
    let doc = edited(|d| {
        let sector = at(d, "/sectors/0").clone();
        set(d, "/sectors/-", sector);
        let organisation_type = at(d, "/organisation_types/0").clone();
        set(d, "/organisation_types/-", organisation_type);
    });
    assert_eq!(
        problems(doc),
        pairs(&[
            ("duplicate_id", "sectors[1].code"),
            ("duplicate_id", "organisation_types[1].code"),
        ])
    );
}

#[test]
fn a_second_dialogue_for_the_same_country_is_rejected() {
    let doc = edited(|d| {
        let mut second = at(d, "/dialogues/0").clone();
        set(&mut second, "/id", json!("hrd-kz-bis"));
        set(d, "/dialogues/-", second);
    });
    assert_eq!(
        problems(doc),
        pairs(&[("duplicate_id", "dialogues[1].country")])
    );
}

/// Each reference of the model, broken on its own: (pointer, value, path of the problem).
const BROKEN_REFERENCES: [(&str, &str, &str); 16] = [
    ("/rounds/0/dialogue", "hrd-xx", "rounds[0].dialogue"),
    ("/dialogues/0/country", "EU", "dialogues[0].country"),
    ("/dialogues/0/country", "XX", "dialogues[0].country"),
    (
        "/dialogues/0/formats/1/body",
        "kz-nowhere",
        "dialogues[0].formats[1].body",
    ),
    (
        "/dialogues/0/formats/0/dialogue_type",
        "agreement_based",
        "dialogues[0].formats[0].dialogue_type",
    ),
    (
        "/dialogues/0/serves/0",
        "strategy-2007/nowhere",
        "dialogues[0].serves[0]",
    ),
    (
        "/project_kinds/0/sectors/0",
        "15150",
        "project_kinds[0].sectors[0]",
    ),
    (
        "/project_kinds/0/serves/0",
        "strategy-2007/nowhere",
        "project_kinds[0].serves[0]",
    ),
    (
        "/instruments/0/serves/0",
        "strategy-2007",
        "instruments[0].serves[0]",
    ),
    (
        "/instruments/0/successor",
        "ndici-2021",
        "instruments[0].successor",
    ),
    (
        "/instruments/0/predecessor",
        "eidhr-2000",
        "instruments[0].predecessor",
    ),
    ("/sectors/0/successor", "15199", "sectors[0].successor"),
    ("/seminars/0/dialogue", "hrd-uz", "seminars[0].dialogue"),
    ("/bodies/0/agreement", "pca-uz", "bodies[0].agreement"),
    (
        "/strategies/0/succeeded_by",
        "strategy-2019",
        "strategies[0].succeeded_by",
    ),
    (
        "/initiatives/0/part_of",
        "water-initiative",
        "initiatives[0].part_of",
    ),
];

#[test]
fn each_reference_to_a_missing_record_is_unresolved_reference() {
    for (pointer, value, path) in BROKEN_REFERENCES {
        let doc = edited(|d| set(d, pointer, json!(value)));
        assert_eq!(
            problems(doc),
            pairs(&[("unresolved_reference", path)]),
            "{pointer} = {value}"
        );
    }
}

#[test]
fn every_broken_reference_of_a_document_is_reported_at_once() {
    let doc = edited(|d| {
        for (pointer, value, _) in BROKEN_REFERENCES {
            set(d, pointer, json!(value));
        }
    });
    let mut expected: Vec<(&str, &str)> = BROKEN_REFERENCES
        .iter()
        .map(|(_, _, path)| ("unresolved_reference", *path))
        .collect();
    expected.dedup();
    assert_eq!(problems(doc), pairs(&expected));
}

#[test]
fn a_dialogue_with_the_eu_is_unresolved_because_it_must_be_with_a_central_asian_state() {
    let doc = edited(|d| set(d, "/dialogues/0/country", json!("EU")));
    let message = only_message(doc, Code::UnresolvedReference, "dialogues[0].country");
    assert!(message.contains("Central Asian state"), "{message}");
}

#[test]
fn a_round_held_with_an_unknown_body_is_unresolved_reference() {
    let doc = edited(|d| {
        set(
            d,
            "/rounds/1/held_with",
            json!({"body": "kz-nowhere", "number": 11, "setting": "back_to_back"}),
        );
    });
    assert_eq!(
        problems(doc),
        pairs(&[("unresolved_reference", "rounds[1].held_with.body")])
    );
}

// ---------------------------------------------------------------------------------------------
// Sources and disputes.
// ---------------------------------------------------------------------------------------------

#[test]
fn records_without_sources_are_missing_source() {
    let doc = edited(|d| {
        for pointer in [
            "/rounds/0/sources",
            "/countries/1/sources",
            "/strategies/0/priorities/0/sources",
            "/dialogues/0/cadence/sources",
            "/dialogues/0/formats/1/sources",
            "/seminars/0/date/alternatives/0/sources",
            "/sectors/0/sources",
        ] {
            set(d, pointer, json!([]));
        }
    });
    assert_eq!(
        problems(doc),
        pairs(&[
            ("missing_source", "rounds[0].sources"),
            ("missing_source", "countries[1].sources"),
            ("missing_source", "strategies[0].priorities[0].sources"),
            ("missing_source", "dialogues[0].cadence.sources"),
            ("missing_source", "dialogues[0].formats[1].sources"),
            ("missing_source", "seminars[0].date.alternatives[0].sources"),
            ("missing_source", "sectors[0].sources"),
        ])
    );
}

#[test]
fn a_source_needs_an_address_or_a_document_and_a_title() {
    let doc = edited(|d| {
        remove(d, "/rounds/0/sources/0/address");
        set(d, "/rounds/1/sources/0/address", json!("  "));
        set(d, "/instruments/0/sources/0/title", json!(""));
        set(
            d,
            "/seminars/0/date/alternatives/1/sources/0",
            json!({"title": "concept note", "locator": "p. 2"}),
        );
    });
    assert_eq!(
        problems(doc),
        pairs(&[
            ("invalid_source", "rounds[0].sources[0]"),
            ("invalid_source", "rounds[1].sources[0]"),
            ("invalid_source", "instruments[0].sources[0].title"),
            (
                "invalid_source",
                "seminars[0].date.alternatives[1].sources[0]"
            ),
        ])
    );
}

#[test]
fn a_source_with_a_document_instead_of_an_address_is_valid() {
    load(edited(|d| {
        set(
            d,
            "/rounds/0/sources/0",
            json!({"title": "Council document", "document": "ST 10113/07", "locator": "para. 4"}),
        );
    }));
}

#[test]
fn a_dispute_needs_two_alternatives_and_a_note() {
    let one_alternative = edited(|d| {
        remove(d, "/seminars/0/date/alternatives/1");
    });
    assert_eq!(
        problems(one_alternative),
        pairs(&[("invalid_dispute", "seminars[0].date.alternatives")])
    );

    let empty_note = edited(|d| set(d, "/seminars/0/date/note", json!(" ")));
    assert_eq!(
        problems(empty_note),
        pairs(&[("invalid_dispute", "seminars[0].date.note")])
    );

    let both_on_a_dialogue = edited(|d| {
        set(
            d,
            "/dialogues/0/agreed",
            json!({"alternatives": [], "note": ""}),
        );
    });
    assert_eq!(
        problems(both_on_a_dialogue),
        pairs(&[
            ("invalid_dispute", "dialogues[0].agreed.alternatives"),
            ("invalid_dispute", "dialogues[0].agreed.note"),
        ])
    );
}

// ---------------------------------------------------------------------------------------------
// Rounds and formats in time.
// ---------------------------------------------------------------------------------------------

#[test]
fn round_dated_before_its_dialogue_is_an_error_unless_noted() {
    let early = || edited(|d| set(d, "/rounds/0/date", json!("2007-10")));
    assert_eq!(
        problems(early()),
        pairs(&[("round_before_dialogue", "rounds[0].date")])
    );

    let mut noted = early();
    set(
        &mut noted,
        "/rounds/0/note",
        json!("the sources count an exploratory meeting as the first round"),
    );
    load(noted);
}

#[test]
fn a_round_in_the_month_its_dialogue_was_agreed_is_not_before_it() {
    load(edited(|d| set(d, "/rounds/0/date", json!("2008-06-01"))));
}

#[test]
fn an_empty_note_does_not_excuse_a_round_before_its_dialogue() {
    let doc = edited(|d| {
        set(d, "/rounds/0/date", json!("2007-10"));
        set(d, "/rounds/0/note", json!(""));
    });
    assert_eq!(
        problems(doc),
        pairs(&[("round_before_dialogue", "rounds[0].date")])
    );
}

#[test]
fn two_rounds_of_a_dialogue_with_one_number_are_duplicate_round_number() {
    let doc = edited(|d| set(d, "/rounds/1/number", json!(1)));
    assert_eq!(
        problems(doc),
        pairs(&[("duplicate_round_number", "rounds[1].number")])
    );
}

#[test]
fn round_numbers_past_the_limit_are_invalid_so_derived_rounds_stay_bounded() {
    use euca::limits::MAX_ROUND_NUMBER;
    // At the limit: accepted (the rounds between are derived, 998 of them).
    let at = edited(|d| set(d, "/rounds/1/number", json!(MAX_ROUND_NUMBER)));
    let data = load(at);
    assert_eq!(
        data.rounds_of("hrd-kz").unwrap().len(),
        MAX_ROUND_NUMBER as usize
    );
    // Past it: an error naming the number, never four billion derived rounds.
    let past = edited(|d| set(d, "/rounds/1/number", json!(MAX_ROUND_NUMBER + 1)));
    assert_eq!(
        problems(past),
        pairs(&[("invalid_value", "rounds[1].number")])
    );
    let huge = edited(|d| set(d, "/rounds/1/number", json!(u32::MAX)));
    assert_eq!(
        problems(huge),
        pairs(&[("invalid_value", "rounds[1].number")])
    );
    // The meetings of the body a round is held within are bounded alike.
    let meeting = |n: u32| {
        edited(|d| {
            set(
                d,
                "/rounds/1/held_with",
                json!({"body": "kz-cooperation-committee", "number": n, "setting": "within"}),
            );
        })
    };
    assert!(Dataset::from_value(meeting(MAX_ROUND_NUMBER)).is_ok());
    for n in [0, MAX_ROUND_NUMBER + 1] {
        assert_eq!(
            problems(meeting(n)),
            pairs(&[("invalid_value", "rounds[1].held_with.number")])
        );
    }
}

#[test]
fn a_higher_numbered_round_dated_before_a_lower_one_is_out_of_order() {
    let doc = edited(|d| set(d, "/rounds/1/date", json!("2008-09")));
    assert_eq!(
        problems(doc),
        pairs(&[("rounds_out_of_order", "rounds[1].date")])
    );
}

#[test]
fn rounds_whose_order_cannot_be_told_are_not_out_of_order() {
    // Round 2 in October 2008 may be after round 1 on 15 October 2008.
    load(edited(|d| set(d, "/rounds/1/date", json!("2008-10"))));
}

#[test]
fn format_changes_out_of_date_order_are_formats_out_of_order() {
    let doc = edited(|d| set(d, "/dialogues/0/formats/1/from", json!("2008-01")));
    assert_eq!(
        problems(doc),
        pairs(&[("formats_out_of_order", "dialogues[0].formats[1].from")])
    );
}

// ---------------------------------------------------------------------------------------------
// Codes.
// ---------------------------------------------------------------------------------------------

#[test]
fn bad_iso_codes_are_invalid_value() {
    let doc = edited(|d| {
        set(d, "/countries/0/alpha3", json!("KA"));
        set(d, "/countries/1/id", json!("Eu"));
    });
    assert_eq!(
        problems(doc),
        pairs(&[
            ("invalid_value", "countries[0].alpha3"),
            ("invalid_value", "countries[1].id"),
        ])
    );
}

#[test]
fn bad_dac_and_iati_codes_are_invalid_value() {
    let doc = edited(|d| {
        set(d, "/sectors/0/code", json!("1516X"));
        set(d, "/project_kinds/0/sectors/0", json!("1516X"));
        set(d, "/organisation_types/0/code", json!("220"));
    });
    assert_eq!(
        problems(doc),
        pairs(&[
            ("invalid_value", "sectors[0].code"),
            ("invalid_value", "organisation_types[0].code"),
        ])
    );

    let wrong_category = edited(|d| set(d, "/sectors/0/category", json!("152")));
    assert_eq!(
        problems(wrong_category),
        pairs(&[("invalid_value", "sectors[0].category")])
    );
}

// ---------------------------------------------------------------------------------------------
// Whole documents: not JSON, too large, too deep, not an object.
// ---------------------------------------------------------------------------------------------

#[test]
fn text_that_is_not_json_is_invalid_json() {
    for text in ["{\"version\": ", "{version: \"1\"}", "[1, 2,]", "{} {}"] {
        assert_eq!(
            text_problems(text),
            pairs(&[("invalid_json", "")]),
            "{text}"
        );
    }
}

#[test]
fn empty_input_is_invalid_json() {
    for text in ["", "   \n\t"] {
        assert_eq!(
            text_problems(text),
            pairs(&[("invalid_json", "")]),
            "{text:?}"
        );
    }
    assert_eq!(
        codes_and_paths(&error_of(Dataset::from_slice(b""))),
        pairs(&[("invalid_json", "")])
    );
}

#[test]
fn invalid_utf8_is_invalid_json() {
    let mut bytes = minimal().to_string().into_bytes();
    bytes.splice(2..2, [0xff, 0xfe]);
    let error = error_of(Dataset::from_slice(&bytes));
    assert_eq!(codes_and_paths(&error), pairs(&[("invalid_json", "")]));
    assert!(error.problems()[0].message.contains("UTF-8"), "{error}");
}

#[test]
fn a_document_nested_ten_thousand_levels_is_too_deep_without_overflowing_the_stack() {
    // The path names the first container past the limit, so the user sees where.
    let past = |prefix: &str, levels: usize| format!("{prefix}{}", "[0]".repeat(levels));
    assert_eq!(
        text_problems(&nested(10_000)),
        pairs(&[("input_too_deep", &past("", MAX_DEPTH))])
    );
    // Unbalanced, inside a record, and through `extend`.
    assert_eq!(
        text_problems(&"[".repeat(10_000)),
        pairs(&[("input_too_deep", &past("", MAX_DEPTH))])
    );
    let inside = format!(r#"{{"version": "1", "rounds": {}}}"#, nested(10_000));
    assert_eq!(
        text_problems(&inside),
        pairs(&[("input_too_deep", &past("rounds", MAX_DEPTH - 1))])
    );
    let base = load(minimal());
    assert_eq!(
        codes_and_paths(&error_of(base.extend(&nested(10_000)))),
        pairs(&[("input_too_deep", &past("", MAX_DEPTH))])
    );
}

#[test]
fn a_parsed_value_deeper_than_the_limit_is_too_deep() {
    let mut deep = json!("x");
    for _ in 0..MAX_DEPTH * 2 {
        deep = json!([deep]);
    }
    let doc = edited(|d| set(d, "/rounds/0/note", deep));
    let path = format!("rounds[0].note{}", "[0]".repeat(MAX_DEPTH - 3));
    assert_eq!(problems(doc), pairs(&[("input_too_deep", &path)]));
}

#[test]
fn nesting_up_to_the_limit_is_accepted_and_brackets_in_strings_do_not_count() {
    // MAX_DEPTH levels is fine: the problem is then the shape, not the depth.
    let at_limit = format!(r#"{{"version": "1", "x": {}}}"#, nested(MAX_DEPTH - 1));
    assert_eq!(text_problems(&at_limit), pairs(&[("unknown_field", "x")]));
    let brackets = "[".repeat(10_000);
    load(edited(|d| set(d, "/rounds/0/note", json!(brackets))));
    let text = edited(|d| set(d, "/rounds/0/note", json!(brackets))).to_string();
    Dataset::from_json(&text).unwrap();
}

#[test]
fn a_document_over_the_size_limit_is_input_too_large() {
    let padding = "a".repeat(MAX_DOCUMENT_BYTES);
    let text = format!(r#"{{"version": "{padding}"}}"#);
    assert!(text.len() > MAX_DOCUMENT_BYTES);
    assert_eq!(text_problems(&text), pairs(&[("input_too_large", "")]));
    assert_eq!(
        codes_and_paths(&error_of(load(minimal()).extend(&text))),
        pairs(&[("input_too_large", "")])
    );
}

#[test]
fn a_top_level_value_that_is_not_an_object_is_invalid_type() {
    for text in ["[]", "\"dataset\"", "42", "null", "true"] {
        assert_eq!(
            text_problems(text),
            pairs(&[("invalid_type", "")]),
            "{text}"
        );
    }
}

#[test]
fn one_document_with_five_different_problems_reports_all_five() {
    let doc = edited(|d| {
        set(d, "/comment", json!("not a collection"));
        set(d, "/rounds/1/date", json!("2009-13"));
        set(d, "/initiatives/0/sources", json!([]));
        set(d, "/instruments/0/successor", json!("ndici-2021"));
        set(d, "/countries/0/alpha3", json!("KA"));
    });
    let error = error_of(Dataset::from_value(doc));
    assert_eq!(
        codes_and_paths(&error),
        pairs(&[
            ("unknown_field", "comment"),
            ("invalid_date", "rounds[1].date"),
            ("missing_source", "initiatives[0].sources"),
            ("unresolved_reference", "instruments[0].successor"),
            ("invalid_value", "countries[0].alpha3"),
        ])
    );
    assert!(
        error.to_string().contains("(and 4 more problems)"),
        "{error}"
    );
}

#[test]
fn every_code_has_a_distinct_snake_case_string() {
    let mut strings: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    for (code, s) in Code::ALL.iter().zip(&strings) {
        assert_eq!(code.to_string(), *s);
        assert_eq!(serde_json::to_value(code).unwrap(), json!(s));
        assert!(
            s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{s}"
        );
    }
    strings.sort_unstable();
    strings.dedup();
    assert_eq!(strings.len(), Code::ALL.len());
}

// ---------------------------------------------------------------------------------------------
// Extending a dataset.
// ---------------------------------------------------------------------------------------------

/// The minimal dataset extended by `extension` (given as text, as users give it).
fn extended(extension: Value) -> Dataset {
    load(minimal())
        .extend(&extension.to_string())
        .unwrap_or_else(|e| panic!("the extension should apply, but:\n{}", describe(&e)))
}

/// The (code, path) pairs of an extension of the minimal dataset that must be rejected.
fn extension_problems(extension: Value) -> Vec<(String, String)> {
    codes_and_paths(&error_of(load(minimal()).extend(&extension.to_string())))
}

/// A third round of the minimal dataset's dialogue.
fn third_round() -> Value {
    json!({"id": "hrd-kz/3", "dialogue": "hrd-kz", "number": 3, "date": "2010-11-23",
           "place": "Astana", "sources": sources("press release 3")})
}

/// A second seminar of the minimal dataset's dialogue.
fn second_seminar() -> Value {
    json!({"id": "seminar/kz/2011", "scope": "bilateral", "country": "KZ", "dialogue": "hrd-kz",
           "date": "2011-05", "place": "Astana", "sources": sources("seminar report")})
}

/// A correction of one record: `set` these fields, with a source and a note.
fn correction(id: &str, set: Value) -> Value {
    json!({"correct": [{"id": id, "set": set, "sources": sources("erratum"),
                        "note": "the press release was corrected"}]})
}

/// The (action, id) of each change.
fn actions(d: &Dataset) -> Vec<(ChangeAction, &str)> {
    d.changes()
        .iter()
        .map(|c| (c.action, c.id.as_str()))
        .collect()
}

fn erratum() -> Vec<Source> {
    serde_json::from_value(sources("erratum")).unwrap()
}

#[test]
fn added_rounds_and_seminars_appear_with_their_changes() {
    let d = extended(json!({"add": {"rounds": [third_round()], "seminars": [second_seminar()]}}));
    let round_ids: Vec<&str> = d.rounds().iter().map(|r| r.id.as_str()).collect();
    assert_eq!(round_ids, ["hrd-kz/1", "hrd-kz/2", "hrd-kz/3"]);
    let seminar_ids: Vec<&str> = d.seminars().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(seminar_ids, ["seminar/kz/2009", "seminar/kz/2011"]);
    assert_eq!(d.rounds()[2].place.as_deref(), Some("Astana"));
    assert_eq!(
        actions(&d),
        [
            (ChangeAction::Add, "hrd-kz/3"),
            (ChangeAction::Add, "seminar/kz/2011"),
        ]
    );
    // An added record carries its own sources; the change does not repeat them.
    assert!(d.changes().iter().all(|c| c.sources.is_empty()));
}

#[test]
fn a_correction_sets_the_field_and_appends_its_sources() {
    let d = extended(correction("hrd-kz/1", json!({"place": "Brussels"})));
    let round = &d.rounds()[0];
    assert_eq!(round.place.as_deref(), Some("Brussels"));
    let titles: Vec<&str> = round.sources.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["press release 1", "erratum"]);

    let [change] = d.changes() else {
        panic!("expected one change: {:?}", d.changes());
    };
    assert_eq!(change.action, ChangeAction::Correct);
    assert_eq!(change.id, "hrd-kz/1");
    assert_eq!(change.fields, ["place"]);
    assert_eq!(change.sources, erratum());
    assert_eq!(
        change.note.as_deref(),
        Some("the press release was corrected")
    );
    // Nothing else changed.
    assert_eq!(d.rounds()[1], load(minimal()).rounds()[1]);
}

#[test]
fn a_correction_of_a_code_table_record_finds_it_by_code() {
    let d = extended(correction(
        "15160",
        json!({"name": "Human rights (corrected)"}),
    ));
    assert_eq!(d.sectors()[0].name, "Human rights (corrected)");
}

#[test]
fn a_null_in_a_correction_removes_an_optional_field() {
    let d = extended(correction("hrd-kz/2", json!({"place": null})));
    assert_eq!(d.rounds()[1].place, None);
    assert_eq!(d.changes()[0].fields, ["place"]);
    assert!(!d.to_json().contains("\"Brussels\""));
}

#[test]
fn a_null_for_a_required_field_is_missing_field_at_the_correction() {
    assert_eq!(
        extension_problems(correction("hrd-kz/2", json!({"date": null}))),
        pairs(&[("missing_field", "correct[0].set.date")])
    );
}

#[test]
fn a_correction_with_a_bad_value_is_reported_at_the_correction() {
    let extension = json!({"correct": [
        {"id": "hrd-kz/2", "set": {"date": "2009-13"}, "sources": sources("erratum")},
        {"id": "hrd-kz/1", "set": {"colour": "red"}, "sources": sources("erratum")}
    ]});
    assert_eq!(
        extension_problems(extension),
        pairs(&[
            ("invalid_date", "correct[0].set.date"),
            ("unknown_field", "correct[1].set.colour"),
        ])
    );
}

#[test]
fn a_retracted_record_is_gone_and_its_change_keeps_the_sources() {
    let d = extended(
        json!({"retract": [{"id": "seminar/kz/2009", "sources": sources("erratum"),
                                         "note": "the seminar was cancelled"}]}),
    );
    assert!(d.seminars().is_empty());
    let [change] = d.changes() else {
        panic!("expected one change: {:?}", d.changes());
    };
    assert_eq!(change.action, ChangeAction::Retract);
    assert_eq!(change.id, "seminar/kz/2009");
    assert_eq!(change.sources, erratum());
    assert_eq!(change.note.as_deref(), Some("the seminar was cancelled"));
}

#[test]
fn correcting_or_retracting_an_unknown_id_is_unknown_id() {
    let mut extension = correction("hrd-kz/9", json!({"place": "Brussels"}));
    set(
        &mut extension,
        "/retract",
        json!([{"id": "seminar/kz/1999", "sources": sources("erratum")}]),
    );
    assert_eq!(
        extension_problems(extension),
        pairs(&[
            ("unknown_id", "correct[0].id"),
            ("unknown_id", "retract[0].id"),
        ])
    );
}

#[test]
fn corrections_and_retractions_without_sources_are_missing_source() {
    let extension = json!({
        "correct": [{"id": "hrd-kz/1", "set": {"place": "Brussels"}, "sources": []}],
        "retract": [{"id": "hrd-kz/2", "sources": []}]
    });
    assert_eq!(
        extension_problems(extension),
        pairs(&[
            ("missing_source", "correct[0].sources"),
            ("missing_source", "retract[0].sources"),
        ])
    );
    let without_key = json!({"retract": [{"id": "hrd-kz/2"}]});
    assert_eq!(
        extension_problems(without_key),
        pairs(&[("missing_field", "retract[0].sources")])
    );
}

#[test]
fn a_correction_cannot_set_the_id_or_the_sources() {
    assert_eq!(
        extension_problems(correction("hrd-kz/1", json!({"id": "hrd-kz/one"}))),
        pairs(&[("invalid_value", "correct[0].set.id")])
    );
    assert_eq!(
        extension_problems(correction("15160", json!({"code": "15161", "sources": []}))),
        pairs(&[
            ("invalid_value", "correct[0].set.code"),
            ("invalid_value", "correct[0].set.sources"),
        ])
    );
}

#[test]
fn an_added_round_with_an_invalid_date_is_reported_in_the_extension() {
    let mut round = third_round();
    set(&mut round, "/date", json!("2010-02-30"));
    assert_eq!(
        extension_problems(json!({"add": {"rounds": [round]}})),
        pairs(&[("invalid_date", "add.rounds[0].date")])
    );
}

#[test]
fn an_added_round_of_a_missing_dialogue_is_unresolved_reference_in_the_extension() {
    let mut round = third_round();
    set(&mut round, "/dialogue", json!("hrd-xx"));
    assert_eq!(
        extension_problems(json!({"add": {"seminars": [second_seminar()], "rounds": [round]}})),
        pairs(&[("unresolved_reference", "add.rounds[0].dialogue")])
    );
}

#[test]
fn an_added_record_is_checked_like_a_loaded_one() {
    let mut round = third_round();
    set(&mut round, "/id", json!("hrd-kz/1"));
    set(&mut round, "/number", json!(2));
    set(&mut round, "/sources", json!([]));
    set(&mut round, "/venue", json!("Astana"));
    assert_eq!(
        extension_problems(json!({"add": {"rounds": [third_round(), round]}})),
        pairs(&[
            ("unknown_field", "add.rounds[1].venue"),
            ("duplicate_id", "add.rounds[1].id"),
            ("missing_source", "add.rounds[1].sources"),
            ("duplicate_round_number", "add.rounds[1].number"),
        ])
    );
}

#[test]
fn unknown_keys_of_an_extension_are_unknown_field_with_a_suggestion() {
    let error =
        error_of(load(minimal()).extend(&json!({"adds": {"rounds": [third_round()]}}).to_string()));
    assert_eq!(codes_and_paths(&error), pairs(&[("unknown_field", "adds")]));
    assert!(
        error.problems()[0].message.contains("did you mean `add`"),
        "{error}"
    );

    let error =
        error_of(load(minimal()).extend(&json!({"add": {"round": [third_round()]}}).to_string()));
    assert_eq!(
        codes_and_paths(&error),
        pairs(&[("unknown_field", "add.round")])
    );
    assert!(
        error.problems()[0]
            .message
            .contains("did you mean `rounds`"),
        "{error}"
    );
}

#[test]
fn an_extension_that_is_not_an_object_or_not_json_is_rejected() {
    let base = load(minimal());
    assert_eq!(
        codes_and_paths(&error_of(base.extend("[]"))),
        pairs(&[("invalid_type", "")])
    );
    assert_eq!(
        codes_and_paths(&error_of(base.extend("{\"add\": "))),
        pairs(&[("invalid_json", "")])
    );
    assert_eq!(
        codes_and_paths(&error_of(base.extend(""))),
        pairs(&[("invalid_json", "")])
    );
    assert_eq!(
        extension_problems(json!({"add": [], "correct": {}, "retract": "x"})),
        pairs(&[
            ("invalid_type", "add"),
            ("invalid_type", "correct"),
            ("invalid_type", "retract"),
        ])
    );
}

#[test]
fn retracting_a_dialogue_that_rounds_refer_to_is_unresolved_reference() {
    let extension = json!({"retract": [{"id": "hrd-kz", "sources": sources("erratum")}]});
    assert_eq!(
        extension_problems(extension),
        pairs(&[
            ("unresolved_reference", "rounds[0].dialogue"),
            ("unresolved_reference", "rounds[1].dialogue"),
            ("unresolved_reference", "seminars[0].dialogue"),
        ])
    );
}

#[test]
fn an_invalid_source_of_a_correction_is_reported_in_the_extension() {
    let extension = json!({"correct": [{"id": "hrd-kz/1", "set": {"place": "Brussels"},
                                        "sources": [{"title": "erratum"}]}]});
    assert_eq!(
        extension_problems(extension),
        pairs(&[("invalid_source", "correct[0].sources[0]")])
    );
}

#[test]
fn an_extended_dataset_round_trips_with_its_changes() {
    let extension = json!({
        "retract": [{"id": "seminar/kz/2009", "sources": sources("erratum")}],
        "correct": [{"id": "hrd-kz/2", "set": {"place": "Astana", "attendance": "in_person"},
                     "sources": sources("erratum"), "note": "held in Astana"}],
        "add": {"rounds": [third_round()], "seminars": [second_seminar()]}
    });
    let d = extended(extension);
    assert_eq!(
        actions(&d),
        [
            (ChangeAction::Retract, "seminar/kz/2009"),
            (ChangeAction::Correct, "hrd-kz/2"),
            (ChangeAction::Add, "hrd-kz/3"),
            (ChangeAction::Add, "seminar/kz/2011"),
        ]
    );
    let text = d.to_json();
    let again = Dataset::from_json(&text).unwrap();
    assert_eq!(again, d);
    assert_eq!(again.changes(), d.changes());
    assert_eq!(again.to_json(), text);

    // A second extension keeps the first one's changes.
    let twice = again
        .extend(
            &json!({"retract": [{"id": "hrd-kz/3", "sources": sources("erratum")}]}).to_string(),
        )
        .unwrap();
    assert_eq!(twice.changes().len(), 5);
    assert_eq!(twice.changes()[..4], *d.changes());
    assert_eq!(twice.rounds().len(), 2);
}

#[test]
fn a_retraction_then_an_addition_can_replace_a_record_with_the_same_id() {
    let mut replacement = at(&mut minimal(), "/rounds/1").clone();
    set(&mut replacement, "/date", json!("2009-10-20"));
    let d = extended(json!({
        "retract": [{"id": "hrd-kz/2", "sources": sources("erratum")}],
        "add": {"rounds": [replacement]}
    }));
    assert_eq!(d.rounds()[1].date.display(), "2009-10-20");
}

#[test]
fn the_embedded_dataset_accepts_a_new_kazakhstan_round() {
    let data = match Dataset::embedded() {
        Ok(data) => data,
        Err(e) => {
            println!(
                "note: skipped, the embedded dataset does not load (it may be being written):\n{}",
                describe(&e)
            );
            return;
        }
    };
    let Ok(dialogue) = data.dialogue("KZ") else {
        println!("note: skipped, the embedded dataset has no Kazakhstan dialogue yet");
        return;
    };
    let round = json!({"id": format!("{}/2026-03-test", dialogue.id), "dialogue": dialogue.id,
                       "date": "2026-03", "place": "Astana", "sources": sources("user press release")});
    let before = data.rounds().len();
    let d = data
        .extend(&json!({"add": {"rounds": [round]}}).to_string())
        .unwrap_or_else(|e| panic!("the extension should apply, but:\n{}", describe(&e)));
    assert_eq!(d.rounds().len(), before + 1);
    let added = d.rounds().last().unwrap();
    assert_eq!(added.date.display(), "2026-03");
    assert_eq!(
        d.changes().last().map(|c| c.action),
        Some(ChangeAction::Add)
    );
    assert_eq!(Dataset::from_json(&d.to_json()).unwrap(), d);
}

#[test]
fn records_nested_in_a_strategy_are_corrected_and_retracted_by_their_id() {
    let embedded = Dataset::embedded().unwrap();
    let review = "strategy-2007/review/2009-06";
    let extension = json!({
        "correct": [{"id": review, "set": {"title": "Council update (corrected)"},
                     "sources": sources("erratum")}],
        "retract": [{"id": "strategy-2007/review/2016-04", "sources": sources("erratum")}]
    });
    let d = embedded.extend(&extension.to_string()).unwrap();
    let reviews = &d.strategies()[0].reviews;
    let corrected = reviews.iter().find(|r| r.id == review).unwrap();
    assert_eq!(corrected.title, "Council update (corrected)");
    assert_eq!(corrected.sources.last().unwrap().title, "erratum");
    assert!(
        !reviews
            .iter()
            .any(|r| r.id == "strategy-2007/review/2016-04")
    );
    assert_eq!(reviews.len(), embedded.strategies()[0].reviews.len() - 1);
    assert_eq!(
        actions(&d),
        [
            (ChangeAction::Retract, "strategy-2007/review/2016-04"),
            (ChangeAction::Correct, review),
        ]
    );

    // A bad value in a nested record is reported at the correction that set it.
    let bad = json!({"correct": [{"id": review, "set": {"date": "2009-13"},
                                  "sources": sources("erratum")}]});
    // (The strategy then cannot be read, so what refers to its priorities is reported too.)
    let problems = codes_and_paths(&error_of(embedded.extend(&bad.to_string())));
    assert_eq!(
        problems[0],
        pairs(&[("invalid_date", "correct[0].set.date")])[0]
    );
    assert!(
        !problems
            .iter()
            .any(|(_, path)| path.starts_with("strategies"))
    );
    // A nested record's id cannot be set either.
    let id = json!({"correct": [{"id": "strategy-2007/human-rights", "set": {"id": "x"},
                                 "sources": sources("erratum")}]});
    assert_eq!(
        codes_and_paths(&error_of(embedded.extend(&id.to_string()))),
        pairs(&[("invalid_value", "correct[0].set.id")])
    );
}
