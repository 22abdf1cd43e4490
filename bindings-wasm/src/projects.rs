//! Funded projects and IATI: the project methods of `Dataset` (records, the eligibility link, the
//! analyses), and the module functions `readIati` and `toIati`.
//!
//! A project argument is a record (a plain object in the dataset's JSON shape, or its JSON text)
//! or the id (or IATI identifier) of one of the dataset's projects. A list of them reports every
//! problem of every record, with paths `[i].field`.

use chrono::NaiveDate;
use euca::iati::{ExportOptions, ImportOptions};
use euca::{FundingBy, Problem, Project, ProjectEligibility};
use serde::de::DeserializeOwned;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::call::{Decision, read_typed};
use crate::dataset::Dataset;
use crate::error::{Failure, JsResult};
use crate::input::count;
use crate::input::{self, Document};
use crate::output::to_js;

/// The path of a problem of the `i`th item of a list: `[i]`, `[i].field`, `[i][j]`.
fn at_index(i: usize, path: &str) -> String {
    if path.is_empty() {
        format!("[{i}]")
    } else if path.starts_with('[') {
        format!("[{i}]{path}")
    } else {
        format!("[{i}].{path}")
    }
}

/// A project argument: an id of `data`'s projects, or a record (a plain object, or JSON text that
/// starts with `{`).
fn project(data: &euca::Dataset, value: &JsValue, argument: &str) -> Result<Project, Failure> {
    if let Some(text) = crate::input::string(value, argument)?
        && !text.trim_start().starts_with('{')
    {
        return data
            .project(&text)
            .cloned()
            .map_err(|e| Failure::query(&e, argument));
    }
    match input::document(value, argument)? {
        Document::Text(t) => Project::from_json(&t),
        Document::Value(v) => Project::from_value(&v),
    }
    .map_err(Failure::from)
}

/// A list of projects: records and, when `data` is given, ids of its projects.
fn project_list(
    data: Option<&euca::Dataset>,
    value: &JsValue,
    argument: &str,
) -> Result<Vec<Project>, Failure> {
    let json = input::list(value, argument)?;
    let items = match json {
        Value::Array(items) => items,
        _ => Vec::new(),
    };
    let mut out = Vec::with_capacity(items.len());
    let mut problems: Vec<Problem> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match (item, data) {
            (Value::String(id), Some(data)) => out.push(
                data.project(id)
                    .cloned()
                    .map_err(|e| Failure::query(&e, &format!("{argument}[{i}]")))?,
            ),
            (Value::String(id), None) => {
                return Err(Failure::new(
                    "invalid_type",
                    &format!("{argument}[{i}]"),
                    format!(
                        "`{argument}[{i}]` is a string (`{id}`): `toIati` takes project records; to name the dataset's projects by id, use `dataset.toIati(options, ids)`"
                    ),
                ));
            }
            (Value::Object(_), _) => match Project::from_value(item) {
                Ok(p) => out.push(p),
                Err(e) => problems.extend(e.into_problems().into_iter().map(|mut p| {
                    p.path = at_index(i, &p.path);
                    p
                })),
            },
            _ => problems.push(Problem::new(
                euca::Code::InvalidType,
                format!("[{i}]"),
                format!(
                    "a project is a record (an object){}, not {}",
                    if data.is_some() { " or an id" } else { "" },
                    json_kind(item)
                ),
            )),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(euca::DatasetError::new(problems).into())
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The projects an analysis works on: the given ones (`undefined` or `null`: all of the dataset's).
fn chosen(data: &euca::Dataset, value: &JsValue) -> Result<Vec<Project>, Failure> {
    if value.is_undefined() || value.is_null() {
        return Ok(data.projects().to_vec());
    }
    project_list(Some(data), value, "projects")
}

/// An optional call id (`undefined` or `null`: each project's own call).
fn call_id(value: &JsValue) -> Result<Option<String>, Failure> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    input::text(value, "call").map(Some)
}

/// An options object read into a core type (`undefined` or `null`: the defaults); unknown options
/// are errors with their paths (`options.skipInvalid`).
fn options<T: DeserializeOwned + Default>(value: &JsValue) -> Result<T, Failure> {
    let Some(json) = input::option_json(value)? else {
        return Ok(T::default());
    };
    if !json.is_object() {
        return Err(Failure::new(
            "invalid_type",
            "options",
            format!("`options` is an object, not {}", json_kind(&json)),
        ));
    }
    read_typed(&json, "options")
}

/// Checks a project against a compiled call, or against its own call.
fn evaluate(
    data: &euca::Dataset,
    project: &Project,
    call: Option<&euca::Call>,
    day: NaiveDate,
) -> Result<euca::Decision, Failure> {
    match call {
        Some(c) => Ok(c.evaluate(&project.to_application(), day, None)),
        None => data
            .evaluate_project(project, None, day)
            .map_err(|e| Failure::query(&e, "call")),
    }
}

/// A compiled call by id.
fn compiled(data: &euca::Dataset, id: Option<String>) -> Result<Option<euca::Call>, Failure> {
    id.map(|id| data.call(&id).map_err(|e| Failure::query(&e, "call")))
        .transpose()
}

/// Writes projects as IATI 2.03.
fn write(projects: &[Project], options: &JsValue) -> Result<String, Failure> {
    let options: ExportOptions = self::options(options)?;
    euca::iati::to_iati(projects, &options).map_err(Failure::from)
}

#[wasm_bindgen]
impl Dataset {
    /// The funded projects (or packages of projects), as written: identifiers, titles,
    /// recipient countries with shares, instruments and call, organisations with their IATI
    /// roles, amounts in minor units (cents), dates at their sources' precision, sectors, themes,
    /// sources; `inferred` names the fields that are euca's classification.
    #[wasm_bindgen(unchecked_return_type = "Project[]")]
    pub fn projects(&self) -> JsResult<JsValue> {
        Ok(to_js(self.inner.projects())?)
    }

    /// A funded project by id (`project/kz/inclusive-kazakhstan`) or IATI identifier.
    #[wasm_bindgen(unchecked_return_type = "Project")]
    pub fn project(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> JsResult<JsValue> {
        let id = input::text(&id, "id")?;
        let p = self
            .inner
            .project(&id)
            .map_err(|e| Failure::query(&e, "id"))?;
        Ok(to_js(p)?)
    }

    /// The application a project makes (lead organisation, action, requested EU contribution),
    /// for `Call.evaluate`; what the record does not hold stays absent.
    #[wasm_bindgen(js_name = projectApplication, unchecked_return_type = "Application")]
    pub fn project_application(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ProjectInput")] project: JsValue,
    ) -> JsResult<JsValue> {
        let p = self::project(&self.inner, &project, "project")?;
        Ok(to_js(&p.to_application())?)
    }

    /// Checks a project against a call of the dataset (`call`, an id; default: the call it was
    /// funded under) on `asOf` (default today in UTC); the decision's `missing` lists the fields
    /// the record does not hold. For a call of your own, evaluate
    /// `projectApplication(project)` with it.
    #[wasm_bindgen(js_name = evaluateProject)]
    pub fn evaluate_project(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ProjectInput")] project: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] call: JsValue,
        #[wasm_bindgen(js_name = asOf, unchecked_optional_param_type = "DateInput | null")]
        as_of: JsValue,
    ) -> JsResult<Decision> {
        let call = compiled(&self.inner, call_id(&call)?)?;
        let day = input::day_or_today(&as_of, "asOf")?;
        let p = self::project(&self.inner, &project, "project")?;
        Ok(Decision {
            inner: evaluate(&self.inner, &p, call.as_ref(), day)?,
        })
    }

    /// Projects checked against their calls, one flat record each: without `projects` and
    /// `call`, every project of the dataset that names its call; else the given projects (ids or
    /// records), against `call` (an id) or each one's own.
    #[wasm_bindgen(js_name = projectEligibility, unchecked_return_type = "ProjectEligibility[]")]
    pub fn project_eligibility(
        &self,
        #[wasm_bindgen(js_name = asOf, unchecked_optional_param_type = "DateInput | null")]
        as_of: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ProjectInput[] | null")] projects: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] call: JsValue,
    ) -> JsResult<JsValue> {
        let day = input::day_or_today(&as_of, "asOf")?;
        let call = call_id(&call)?;
        let data = &self.inner;
        if call.is_none() && (projects.is_undefined() || projects.is_null()) {
            return Ok(to_js(&data.project_eligibility(day))?);
        }
        let call = compiled(data, call)?;
        let list = chosen(data, &projects)?;
        let mut rows = Vec::with_capacity(list.len());
        for p in &list {
            let decision = evaluate(data, p, call.as_ref(), day)?;
            rows.push(ProjectEligibility::of(p, &decision));
        }
        Ok(to_js(&rows)?)
    }

    /// Funding grouped `by` `country`, `year`, `instrument`, `theme` or `sector`, one row per key
    /// and currency, amounts in minor units; split exactly by percentages, never counted twice.
    /// `projects`: ids or records (such as `readIati(xml).records`; default: the dataset's).
    #[wasm_bindgen(unchecked_return_type = "FundingRecord[]")]
    pub fn funding(
        &self,
        #[wasm_bindgen(unchecked_param_type = "FundingBy")] by: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ProjectInput[] | null")] projects: JsValue,
    ) -> JsResult<JsValue> {
        let by: FundingBy = input::text(&by, "by")?
            .parse()
            .map_err(|m: String| Failure::new("invalid_value", "by", m))?;
        let list = chosen(&self.inner, &projects)?;
        Ok(to_js(&euca::analysis::funding(&list, by))?)
    }

    /// The lead of each project and whether it is local to its recipient countries.
    #[wasm_bindgen(js_name = projectLeads, unchecked_return_type = "ProjectLead[]")]
    pub fn project_leads(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ProjectInput[] | null")] projects: JsValue,
    ) -> JsResult<JsValue> {
        let list = chosen(&self.inner, &projects)?;
        Ok(to_js(&euca::analysis::project_leads(&list))?)
    }

    /// The share of projects led by a local organisation, per recipient country, then for all.
    #[wasm_bindgen(js_name = localLeads, unchecked_return_type = "LocalLeadShare[]")]
    pub fn local_leads(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ProjectInput[] | null")] projects: JsValue,
    ) -> JsResult<JsValue> {
        let list = chosen(&self.inner, &projects)?;
        Ok(to_js(&euca::analysis::local_leads(&list))?)
    }

    /// The projects that started within `months` months after a dialogue round in one of their
    /// recipient countries, certainly or only possibly.
    #[wasm_bindgen(js_name = projectsAfterRounds, unchecked_return_type = "ProjectAfterRound[]")]
    pub fn projects_after_rounds(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] months: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ProjectInput[] | null")] projects: JsValue,
    ) -> JsResult<JsValue> {
        let months = count(&months, "months", MAX_MONTHS)?.ok_or_else(|| {
            Failure::new(
                "missing_field",
                "months",
                "`months` is required: a whole number of months",
            )
        })?;
        let list = chosen(&self.inner, &projects)?;
        Ok(to_js(&euca::analysis::after_rounds(
            &self.inner,
            &list,
            months,
        ))?)
    }

    /// The dataset's projects (or those given, ids or records) as an IATI 2.03 activity file;
    /// `options` as `toIati`'s.
    #[wasm_bindgen(js_name = toIati)]
    pub fn to_iati(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ExportOptions | null")] options: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ProjectInput[] | null")] projects: JsValue,
    ) -> JsResult<String> {
        let list = chosen(&self.inner, &projects)?;
        Ok(write(&list, &options)?)
    }
}

/// The longest window `projectsAfterRounds` takes, in months (euca's dates end in the year 9999).
const MAX_MONTHS: u32 = 12 * 9999;

/// Reads an IATI 2.03 activity file (`iati-activities`; its text, or its bytes as a `Uint8Array`
/// or Node `Buffer`) into project records and warnings: codes outside their codelists, withdrawn
/// codes (a DAC sector withdrawn in 2020 is read as its successor where one code took its place),
/// empty narratives, values finer than a cent and every element euca does not read are warnings;
/// what makes
/// an activity unreadable is an error with the element's path
/// (`iati-activities/iati-activity[3]/transaction[2]/value`).
#[wasm_bindgen(js_name = readIati, unchecked_return_type = "IatiImport")]
pub fn read_iati(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] xml: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ImportOptions | null")] options: JsValue,
) -> JsResult<JsValue> {
    let options: ImportOptions = self::options(&options)?;
    let imported = if let Some(text) = crate::input::string(&xml, "xml")? {
        euca::iati::read_iati_with(&text, &options)
    } else if let Some(bytes) = xml.dyn_ref::<js_sys::Uint8Array>() {
        euca::iati::read_iati_from(bytes.to_vec().as_slice(), &options)
    } else {
        return Err(Failure::new(
            "invalid_type",
            "xml",
            format!(
                "`xml` is the file's text or its bytes (a `Uint8Array`), not {}",
                input::kind(&xml)
            ),
        )
        .into());
    }
    .map_err(Failure::from)?;
    Ok(to_js(&imported)?)
}

/// Writes project records as an IATI 2.03 activity file that the standard's schema accepts; each
/// activity carries the euca record, so that `readIati` restores every field. A record without
/// an IATI identifier or reporting organisation gets one built from `options.prefix`, flagged in
/// its `generated` field.
#[wasm_bindgen(js_name = toIati)]
pub fn to_iati(
    #[wasm_bindgen(unchecked_param_type = "Project[]")] projects: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ExportOptions | null")] options: JsValue,
) -> JsResult<String> {
    let list = project_list(None, &projects, "projects")?;
    Ok(write(&list, &options)?)
}
