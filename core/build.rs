//! Merges the embedded dataset (core/data/*.json and the rule sets in core/data/rules/*.json) into
//! one compact JSON document, and writes where each member's value lies in it (embedded_parts.rs),
//! so that `Dataset::embedded` reads each collection only when it is first used. A rule set added
//! to core/data/rules needs no code change.
//!
//! A file that is not a JSON object, or a collection that appears in two files, stops the build
//! with a message naming the file: the embedded data is the crate's own, and is fixed before
//! release.

use std::path::Path;

use serde_json::{Map, Value};

/// The files of the embedded dataset, in the order they are merged.
const FILES: [&str; 13] = [
    "dataset.json",
    "countries.json",
    "strategies.json",
    "agreements.json",
    "guidelines.json",
    "dialogues.json",
    "rounds.json",
    "seminars.json",
    "initiatives.json",
    "instruments.json",
    "projects.json",
    "funded_projects.json",
    "codes.json",
];

fn main() {
    if let Err(message) = merge() {
        eprintln!("error: the embedded dataset does not build: {message}");
        std::process::exit(1);
    }
}

fn read(path: &Path) -> Result<Value, String> {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not valid JSON: {e}", path.display()))
}

fn merge() -> Result<(), String> {
    let data = Path::new("data");
    let mut doc = Map::new();
    for file in FILES {
        let Value::Object(part) = read(&data.join(file))? else {
            return Err(format!("data/{file} is not a JSON object"));
        };
        for (key, value) in part {
            if doc.contains_key(&key) {
                return Err(format!(
                    "`{key}` appears in two embedded files (again in data/{file})"
                ));
            }
            doc.insert(key, value);
        }
    }

    let rules = data.join("rules");
    println!("cargo:rerun-if-changed={}", rules.display());
    let mut names: Vec<String> = std::fs::read_dir(&rules)
        .map_err(|e| format!("cannot list {}: {e}", rules.display()))?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    let rule_sets = names
        .iter()
        .map(|name| read(&rules.join(name)))
        .collect::<Result<Vec<Value>, String>>()?;
    if !rule_sets.is_empty() {
        if doc.contains_key("rule_sets") {
            return Err("`rule_sets` appears in a data file and in data/rules".into());
        }
        doc.insert("rule_sets".into(), Value::Array(rule_sets));
    }

    // The document is written member by member so that the byte range of each member's value is
    // known: `Dataset::embedded()` reads a collection from its range only when it is first used.
    let mut text = String::from("{");
    let mut parts = String::new();
    for (i, (key, value)) in doc.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        let name = serde_json::to_string(key).map_err(|e| format!("cannot write `{key}`: {e}"))?;
        let json =
            serde_json::to_string(value).map_err(|e| format!("cannot write `{key}`: {e}"))?;
        text.push_str(&name);
        text.push(':');
        let start = text.len();
        text.push_str(&json);
        parts.push_str(&format!("    ({key:?}, {start}, {}),\n", text.len()));
    }
    text.push('}');
    let out = std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?;
    let target = Path::new(&out).join("embedded.json");
    std::fs::write(&target, text).map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    // The version as a string constant, so that the first `Dataset::embedded()` reads no JSON.
    let version = match doc.get("version") {
        Some(Value::String(v)) => format!("Some({v:?})"),
        _ => "None".to_string(),
    };
    let ranges = format!(
        "/// Each member of the embedded document (its key, and the byte range of its value).\n\
         const EMBEDDED_PARTS: [(&str, usize, usize); {}] = [\n{parts}];\n\
         /// The embedded document's `version`, if it is a string.\n\
         const EMBEDDED_VERSION: Option<&str> = {version};\n",
        doc.len()
    );
    let target = Path::new(&out).join("embedded_parts.rs");
    std::fs::write(&target, ranges).map_err(|e| format!("cannot write {}: {e}", target.display()))
}
