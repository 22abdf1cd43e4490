// The applications of tests/fixtures, for the unit tests of the readers of an application in
// core/src/application.rs and bindings-wasm/src/tape.rs, which `include!` this file (both crates
// sit one level below the workspace root). Not a crate's module of its own: a test helper
// shared by two crates' unit tests, which cannot share a test-only module.

/// Every value given as an application (`"application": {…}`) or among the applications
/// (`"applications": […]`, every item, objects or not) anywhere in tests/fixtures/*.json.
fn fixture_applications() -> Vec<serde_json::Value> {
    use serde_json::Value;
    fn walk(value: &Value, out: &mut Vec<Value>) {
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    match (key.as_str(), item) {
                        ("application", Value::Object(_)) => out.push(item.clone()),
                        ("applications", Value::Array(items)) => out.extend(items.clone()),
                        _ => {}
                    }
                    walk(item, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, out)),
            _ => {}
        }
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/fixtures") {
        let path = entry.expect("an entry of tests/fixtures").path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).expect("a fixture file");
            walk(&serde_json::from_str(&text).expect("a fixture file is JSON"), &mut out);
        }
    }
    out
}
