//! Fixture kinds of the eligibility engine. `run` returns `None` for a kind it does not know.
//!
//! Every kind uses the public API only, so that the Python and JavaScript runners can do the same:
//!
//! - `evaluate`: `{call | call_id, rule_sets?, application, as_of, stage?}` → the Decision as JSON.
//!   `call` is a rule-set document (object or text); `call_id` names a rule set of the embedded
//!   dataset; `rule_sets` are added to the dataset first (`Dataset.extend({"add": {"rule_sets"}})`),
//!   so that a call can extend them or `call_id` name one of them.
//! - `compile_call`: `{call, rule_sets?}` → the flattened call (`Call.to_flat_json()`).
//! - `compare`: `{call_a, call_b, rule_sets?, applications, as_of}` → one comparison per application.
//! - `match`: `{application, as_of, rule_sets?, calls?}` → the decisions of `Dataset.match_calls`,
//!   only those of the rule sets named in `calls` when given (in the order returned).
//! - `evaluate_jsonl`: `{call, rule_sets?, text, as_of, stage?}` → the batch columns.
//! - `fields_read`: `{call | call_id, rule_sets?}` → what the call reads of an application
//!   (`Call.fields_read()`: each criterion's id and fields, and the grant's fields).
//!
//! Errors are `{"error": {"code", "problems": [{"code", "path", "message"}]}}` for documents and
//! `{"error": {"code", "message"}}` for an unknown `call_id`.

use chrono::NaiveDate;
use euca::{Application, Call, Dataset, DatasetError, Stage, compare};
use serde_json::{Value, json};

/// Runs an eligibility fixture case; `None` when `kind` is not one of this module's.
pub fn run(data: &Dataset, kind: &str, input: &Value) -> Option<Result<Value, Value>> {
    let result = match kind {
        "evaluate" => evaluate(data, input),
        "compile_call" => compile_call(data, input),
        "compare" => compare_calls(data, input),
        "match" => match_calls(data, input),
        "evaluate_jsonl" => evaluate_jsonl(data, input),
        "fields_read" => fields_read(data, input),
        _ => return None,
    };
    Some(result)
}

fn document_error(e: &DatasetError) -> Value {
    json!({"error": {
        "code": e.code().as_str(),
        "problems": e.problems().iter()
            .map(|p| json!({"code": p.code.as_str(), "path": p.path, "message": p.message}))
            .collect::<Vec<_>>(),
    }})
}

fn to<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("results serialise")
}

/// The text of a document given as JSON or as a string holding JSON.
fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The dataset with the case's own rule sets added.
fn dataset(data: &Dataset, input: &Value) -> Result<Dataset, Value> {
    match input.get("rule_sets") {
        None | Some(Value::Null) => Ok(data.clone()),
        Some(rule_sets) => data
            .extend(&json!({"add": {"rule_sets": rule_sets}}).to_string())
            .map_err(|e| document_error(&e)),
    }
}

fn call(dataset: &Dataset, input: &Value, key: &str) -> Result<Call, Value> {
    if let Some(id) = input
        .get(format!("{key}_id").as_str())
        .and_then(Value::as_str)
    {
        return dataset
            .call(id)
            .map_err(|e| json!({"error": {"code": e.code().as_str(), "message": e.to_string()}}));
    }
    let doc = input
        .get(key)
        .unwrap_or_else(|| panic!("input.{key} or input.{key}_id is required"));
    Call::from_json_with(&text_of(doc), dataset).map_err(|e| document_error(&e))
}

fn as_of(input: &Value) -> NaiveDate {
    match input.get("as_of").and_then(Value::as_str) {
        Some(s) => s
            .parse()
            .unwrap_or_else(|e| panic!("input.as_of `{s}`: {e}")),
        None => chrono::Utc::now().date_naive(),
    }
}

fn stage(input: &Value) -> Option<Stage> {
    input
        .get("stage")
        .filter(|s| !s.is_null())
        .map(|s| serde_json::from_value(s.clone()).unwrap_or_else(|e| panic!("input.stage: {e}")))
}

fn application(v: &Value) -> Result<Application, Value> {
    Application::from_json(&text_of(v)).map_err(|e| document_error(&e))
}

fn evaluate(data: &Dataset, input: &Value) -> Result<Value, Value> {
    let dataset = dataset(data, input)?;
    let call = call(&dataset, input, "call")?;
    let app = application(input.get("application").expect("input.application"))?;
    Ok(to(&call.evaluate(&app, as_of(input), stage(input))))
}

fn compile_call(data: &Dataset, input: &Value) -> Result<Value, Value> {
    let dataset = dataset(data, input)?;
    let call = call(&dataset, input, "call")?;
    Ok(serde_json::from_str(&call.to_flat_json()).expect("the flat call is JSON"))
}

fn fields_read(data: &Dataset, input: &Value) -> Result<Value, Value> {
    let dataset = dataset(data, input)?;
    let call = call(&dataset, input, "call")?;
    Ok(to(&call.fields_read()))
}

fn compare_calls(data: &Dataset, input: &Value) -> Result<Value, Value> {
    let dataset = dataset(data, input)?;
    let a = call(&dataset, input, "call_a")?;
    let b = call(&dataset, input, "call_b")?;
    let apps = euca::read_applications(input.get("applications").expect("input.applications"))
        .map_err(|e| document_error(&e))?;
    Ok(to(&compare(&a, &b, &apps, as_of(input))))
}

fn match_calls(data: &Dataset, input: &Value) -> Result<Value, Value> {
    let dataset = dataset(data, input)?;
    let app = application(input.get("application").expect("input.application"))?;
    let only: Option<Vec<&str>> = input
        .get("calls")
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(Value::as_str).collect());
    let decisions: Vec<Value> = dataset
        .match_calls(&app, as_of(input))
        .iter()
        .filter(|d| {
            only.as_ref()
                .is_none_or(|ids| ids.contains(&d.rule_set.id.as_str()))
        })
        .map(to)
        .collect();
    Ok(Value::Array(decisions))
}

fn evaluate_jsonl(data: &Dataset, input: &Value) -> Result<Value, Value> {
    let dataset = dataset(data, input)?;
    let call = call(&dataset, input, "call")?;
    let text = input
        .get("text")
        .and_then(Value::as_str)
        .expect("input.text");
    call.evaluate_jsonl(text, as_of(input), stage(input))
        .map(|b| to(&b))
        .map_err(|e| document_error(&e))
}
