//! The published JSON Schemas in schemas/ are the ones the types generate. To update them after a
//! change of the types: `EUCA_WRITE_SCHEMAS=1 cargo test -p euca --test schemas`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

fn check(name: &str, generated: String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../schemas")
        .join(name);
    let generated = generated + "\n";
    if std::env::var_os("EUCA_WRITE_SCHEMAS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let published = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        published == generated,
        "schemas/{name} is out of date: run `EUCA_WRITE_SCHEMAS=1 cargo test -p euca --test schemas` and commit it"
    );
}

#[test]
fn the_rule_set_schema_is_current() {
    check("rule-set.schema.json", euca::schema::rule_set_schema());
}

#[test]
fn the_application_schema_is_current() {
    check(
        "application.schema.json",
        euca::schema::application_schema(),
    );
}
