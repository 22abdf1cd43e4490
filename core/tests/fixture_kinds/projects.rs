//! Fixture kinds of funded projects: records, IATI import and export, the eligibility link and
//! the analyses. `run` returns `None` for a kind it does not know.
//!
//! Every kind uses the public API only, so that the Python and JavaScript runners can do the same.
//! Where a kind takes projects, `projects` gives records (JSON objects in the dataset's shape),
//! `project_ids` names records of the embedded dataset, and neither means all of the dataset's.
//!
//! - `projects`: `{country?}` → the dataset's projects (those with that recipient country).
//! - `project`: `{id}` → one project (by id or IATI identifier).
//! - `validate_projects`: `{projects}` → `{"projects": n}` after adding them to the dataset
//!   (`Dataset.extend({"add": {"projects": ...}})`), or the error.
//! - `read_iati`: `{xml, options?: {skip_invalid?, source?}}` → `{version, records, warnings}`.
//! - `to_iati`: `{projects | project_ids, options?: {prefix?, reporting_org_name?,
//!   reporting_org_type?, as_of?}}` → `{xml, records}`, `records` being the file read back.
//! - `project_application`: `{project | project_id}` → the application the project makes.
//! - `evaluate_project`: `{project | project_id, call_id?, as_of}` → the flat eligibility record.
//! - `project_eligibility`: `{as_of}` → one flat record per dataset project that names its call.
//! - `funding`: `{by, projects? | project_ids?}` → funding records.
//! - `project_leads`, `local_leads`: `{projects? | project_ids?}` → records.
//! - `projects_after_rounds`: `{months, projects? | project_ids?}` → records.
//!
//! Errors are `{"error": {"code", "problems": [{"code", "path", "message"}]}}` for documents and
//! `{"error": {"code", "message"}}` for queries.

use chrono::NaiveDate;
use euca::analysis::{after_rounds, funding, local_leads, project_leads};
use euca::iati::{ExportOptions, ImportOptions, read_iati, read_iati_with, to_iati};
use euca::{Dataset, DatasetError, FundingBy, Project, ProjectEligibility, QueryError};
use serde_json::{Value, json};

/// Runs a project fixture case; `None` when `kind` is not one of this module's.
pub fn run(data: &Dataset, kind: &str, input: &Value) -> Option<Result<Value, Value>> {
    let result = match kind {
        "projects" => Ok(projects_in(data, input)),
        "project" => data
            .project(text(input, "id"))
            .map(to)
            .map_err(|e| query_error(&e)),
        "validate_projects" => validate(data, input),
        "read_iati" => read(input),
        "to_iati" => write(data, input),
        "project_application" => project(data, input).map(|p| to(&p.to_application())),
        "evaluate_project" => evaluate(data, input),
        "project_eligibility" => day(input, "as_of").map(|d| to(&data.project_eligibility(d))),
        "funding" => {
            let by: FundingBy = match text(input, "by").parse() {
                Ok(by) => by,
                Err(m) => {
                    return Some(Err(
                        json!({"error": {"code": "invalid_value", "message": m}}),
                    ));
                }
            };
            projects(data, input).map(|ps| to(&funding(&ps, by)))
        }
        "project_leads" => projects(data, input).map(|ps| to(&project_leads(&ps))),
        "local_leads" => projects(data, input).map(|ps| to(&local_leads(&ps))),
        "projects_after_rounds" => {
            let months = input
                .get("months")
                .and_then(Value::as_u64)
                .and_then(|m| u32::try_from(m).ok())
                .expect("input.months is a whole number");
            projects(data, input).map(|ps| to(&after_rounds(data, &ps, months)))
        }
        _ => return None,
    };
    Some(result)
}

fn to<T: serde::Serialize + ?Sized>(value: &T) -> Value {
    serde_json::to_value(value).expect("results serialise")
}

fn text<'a>(input: &'a Value, key: &str) -> &'a str {
    input
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("input.{key} must be a string"))
}

fn day(input: &Value, key: &str) -> Result<NaiveDate, Value> {
    text(input, key)
        .parse()
        .map_err(|_| json!({"error": {"code": "invalid_date"}}))
}

fn document_error(e: &DatasetError) -> Value {
    json!({"error": {
        "code": e.code().as_str(),
        "problems": e.problems().iter()
            .map(|p| json!({"code": p.code.as_str(), "path": p.path, "message": p.message}))
            .collect::<Vec<_>>(),
    }})
}

fn query_error(e: &QueryError) -> Value {
    json!({"error": {"code": e.code().as_str(), "message": e.to_string()}})
}

/// The projects a case names: its own records, ids of the dataset's, or all the dataset's.
fn projects(data: &Dataset, input: &Value) -> Result<Vec<Project>, Value> {
    if let Some(items) = input.get("projects") {
        return items
            .as_array()
            .expect("input.projects is a list")
            .iter()
            .map(|v| Project::from_value(v).map_err(|e| document_error(&e)))
            .collect();
    }
    if let Some(ids) = input.get("project_ids") {
        return ids
            .as_array()
            .expect("input.project_ids is a list")
            .iter()
            .map(|id| {
                data.project(id.as_str().expect("ids are strings"))
                    .cloned()
                    .map_err(|e| query_error(&e))
            })
            .collect();
    }
    Ok(data.projects().to_vec())
}

/// The one project a case names: `project` (a record) or `project_id`.
fn project(data: &Dataset, input: &Value) -> Result<Project, Value> {
    if let Some(v) = input.get("project") {
        return Project::from_value(v).map_err(|e| document_error(&e));
    }
    data.project(text(input, "project_id"))
        .cloned()
        .map_err(|e| query_error(&e))
}

fn projects_in(data: &Dataset, input: &Value) -> Value {
    let country = input.get("country").and_then(Value::as_str);
    let chosen: Vec<&Project> = data
        .projects()
        .iter()
        .filter(|p| country.is_none_or(|c| p.recipient_countries.iter().any(|r| r.country == c)))
        .collect();
    to(&chosen)
}

fn validate(data: &Dataset, input: &Value) -> Result<Value, Value> {
    let added = json!({"add": {"projects": input.get("projects").expect("input.projects")}});
    data.extend(&added.to_string())
        .map(|d| json!({"projects": d.projects().len()}))
        .map_err(|e| document_error(&e))
}

fn read(input: &Value) -> Result<Value, Value> {
    let xml = text(input, "xml");
    let result = match input.get("options") {
        None => read_iati(xml),
        Some(o) => {
            let options: ImportOptions = serde_json::from_value(o.clone()).expect("options");
            read_iati_with(xml, &options)
        }
    };
    result.map(|i| to(&i)).map_err(|e| document_error(&e))
}

fn write(data: &Dataset, input: &Value) -> Result<Value, Value> {
    let records = projects(data, input)?;
    let options: ExportOptions = input
        .get("options")
        .map(|o| serde_json::from_value(o.clone()).expect("options"))
        .unwrap_or_default();
    let xml = to_iati(&records, &options).map_err(|e| document_error(&e))?;
    let back = read_iati(&xml).map_err(|e| document_error(&e))?;
    Ok(json!({"xml": xml, "records": to(&back.records)}))
}

fn evaluate(data: &Dataset, input: &Value) -> Result<Value, Value> {
    let p = project(data, input)?;
    let as_of = day(input, "as_of")?;
    let call = input.get("call_id").and_then(Value::as_str);
    data.evaluate_project(&p, call, as_of)
        .map(|d| to(&ProjectEligibility::of(&p, &d)))
        .map_err(|e| query_error(&e))
}
