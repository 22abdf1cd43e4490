//! Merges the embedded dataset (core/data/*.json and the rule sets in core/data/rules/*.json) into
//! the members of one JSON document, each collection written compact to a file of its own (and
//! embedded_parts.rs to include them), so that `Dataset::embedded` reads each collection only when
//! it is first used and a program links only the collections it reads. A rule set added
//! to core/data/rules needs no code change.
//!
//! A file that is not a JSON object, a collection that appears in two files, or a `version` that is
//! not a string stops the build
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

    // Each member is written to a file of its own (`part_KEY.json`, compact JSON), included by a
    // static of its own: `Dataset::embedded()` reads a collection from its part only when it is
    // first used, and a program (a WebAssembly module that only screens applications, say) links
    // only the parts of the collections it reads.
    let out = std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?;
    let mut keys = String::new();
    let mut arms = String::new();
    let mut statics = String::new();
    for (key, value) in &doc {
        if !key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return Err(format!("`{key}` is not a name of a collection (a-z and _)"));
        }
        keys.push_str(&format!("    {key:?},\n"));
        if key == "version" {
            continue;
        }
        let json =
            serde_json::to_string(value).map_err(|e| format!("cannot write `{key}`: {e}"))?;
        let target = Path::new(&out).join(format!("part_{key}.json"));
        std::fs::write(&target, json)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        // A static, not a constant: one copy of the text however many functions use it (the
        // `.wasm` built for speed carried the embedded document twice with constants).
        let name = format!("PART_{}", key.to_uppercase());
        statics.push_str(&format!(
            "static {name}: &str = include_str!(concat!(env!(\"OUT_DIR\"), \"/part_{key}.json\"));\n"
        ));
        arms.push_str(&format!("    ({key}) => {{ Some({name}) }};\n"));
    }
    // The version as a string constant, so that the first `Dataset::embedded()` reads no JSON.
    // A dataset without one could not say which data it is; refusing it here lets
    // `Dataset::embedded()` read no more than the collections a program uses (a module for the
    // web that only screens applications then carries no reader of the others).
    let version = match doc.get("version") {
        Some(Value::String(v)) => format!("{v:?}"),
        _ => return Err("dataset.json: `version` must be a string".to_string()),
    };
    let ranges = format!(
        "/// The keys of the embedded document's members, in order.\n\
         const EMBEDDED_KEYS: [&str; {}] = [\n{keys}];\n\
         /// The embedded document's `version`.\n\
         const EMBEDDED_VERSION: &str = {version};\n\
         // The JSON of each member of the embedded document but `version`.\n\
         {statics}\
         /// The JSON of the embedded document's member of a collection (a static of its own), or\n\
         /// `None` if it has none.\n\
         macro_rules! embedded_part_of {{\n{arms}    ($other:ident) => {{ None }};\n}}\n",
        doc.len()
    );
    let target = Path::new(&out).join("embedded_parts.rs");
    std::fs::write(&target, ranges).map_err(|e| format!("cannot write {}: {e}", target.display()))
}
