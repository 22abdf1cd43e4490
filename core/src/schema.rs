//! JSON Schemas of the documents euca reads, generated from the types (schemars). The published
//! copies live in `schemas/` at the root of the repository; a test checks they are current.

use crate::application::Application;
use crate::rules::RuleSet;

/// The JSON Schema of a rule set (an instrument's or a call's).
pub fn rule_set_schema() -> String {
    serde_json::to_string_pretty(&schemars::schema_for!(RuleSet)).unwrap_or_default()
}

/// The JSON Schema of an application.
pub fn application_schema() -> String {
    serde_json::to_string_pretty(&schemars::schema_for!(Application)).unwrap_or_default()
}
