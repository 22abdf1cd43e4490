//! docs/errors.md lists every error code, and lists no code that does not exist.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use euca::Code;

#[test]
fn the_catalogue_documents_every_code_and_no_other() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/errors.md");
    let text = std::fs::read_to_string(path).unwrap();
    let documented: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .collect();
    let known: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    for code in &known {
        assert!(documented.contains(code), "docs/errors.md lacks `{code}`");
    }
    for code in &documented {
        assert!(
            known.contains(code),
            "docs/errors.md documents unknown `{code}`"
        );
    }
}

#[test]
fn codes_serialise_to_their_documented_strings() {
    for code in Code::ALL {
        assert_eq!(
            serde_json::to_value(code).unwrap(),
            serde_json::Value::String(code.as_str().to_string())
        );
        assert_eq!(code.to_string(), code.as_str());
    }
}
