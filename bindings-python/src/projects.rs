//! Funded projects and IATI: the module functions `read_iati` and `to_iati`, and the argument
//! conversions the project methods of `Dataset` share.
//!
//! A project argument is a record (a dict in the dataset's JSON shape, or its JSON text) or, where
//! a dataset is at hand, the id (or IATI identifier) of one of the dataset's projects. A list of
//! them reports every problem of every record, with paths `[i].field`.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use euca::iati::{ExportOptions, IatiImport, ImportOptions, read_iati_from};
use euca::{Call, Code, Dataset, DatasetError, Decision, Problem, Project, Source};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

use crate::arguments;
use crate::call::PyCall;
use crate::convert::{self, Document};
use crate::errors::{Error, guard, guard_result};

/// `path` of a problem of the `i`th item of a list: `[i]`, `[i].field`, `[i][j]`.
fn at_index(i: usize, path: &str) -> String {
    if path.is_empty() {
        format!("[{i}]")
    } else if path.starts_with('[') {
        format!("[{i}]{path}")
    } else {
        format!("[{i}].{path}")
    }
}

/// The name of an object's type, for messages.
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_string())
}

/// Reads one project record (a dict, or JSON text), problems at paths under the record.
fn record(obj: &Bound<'_, PyAny>, argument: &str) -> Result<Project, Error> {
    match convert::document(obj, argument)? {
        Document::Text(t) => guard_result(|| Project::from_json(&t)),
        Document::Value(v) => guard_result(|| Project::from_value(&v)),
    }
}

/// A project argument: the id (or IATI identifier) of one of `data`'s projects, or a record
/// (a dict, or JSON text that starts with `{`).
///
/// # Errors
/// `QueryError` (`unknown_record`, path `argument`) for an id no project has; `ValidationError`
/// with every problem of a record; `TypeError` for other types.
pub(crate) fn project(
    data: &Dataset,
    obj: &Bound<'_, PyAny>,
    argument: &'static str,
) -> Result<Project, Error> {
    if let Ok(s) = obj.cast::<PyString>() {
        let text = crate::convert::str_text(s, argument)?;
        if !text.trim_start().starts_with('{') {
            return guard(|| data.project(&text).cloned())?.map_err(Error::query(argument));
        }
    }
    if !(obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyDict>()
        || obj.cast::<pyo3::types::PyMapping>().is_ok())
    {
        return Err(Error::Type(format!(
            "`{argument}` must be a project's id (str) or a project record (dict), not {}",
            type_name(obj)
        )));
    }
    record(obj, argument)
}

/// A list of projects: records (dicts) and, when `data` is given, ids of its projects.
///
/// # Errors
/// `ValidationError` with every problem of every record (paths `[i].field`); `QueryError`
/// (path `projects[i]`) for an unknown id; `TypeError` for a value that is not a list of
/// projects, or for an id where no dataset is at hand.
pub(crate) fn project_list(
    data: Option<&Dataset>,
    obj: &Bound<'_, PyAny>,
) -> Result<Vec<Project>, Error> {
    if obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyDict>()
    {
        return Err(Error::Type(format!(
            "`projects` must be a list of projects (records as dicts{}), not {}",
            if data.is_some() { ", or ids" } else { "" },
            type_name(obj)
        )));
    }
    let items = obj.try_iter().map_err(|_| {
        Error::Type(format!(
            "`projects` must be a list of projects, not {}",
            type_name(obj)
        ))
    })?;
    let mut out = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    for (i, item) in items.enumerate() {
        let item = item?;
        if let Ok(s) = item.cast::<PyString>() {
            let id = crate::convert::str_text(s, &format!("projects[{i}]"))?;
            let Some(data) = data else {
                return Err(Error::Type(format!(
                    "`projects[{i}]` is a str (`{id}`): `to_iati` takes project records (dicts); to name the dataset's projects by id, use `Dataset.to_iati(projects=[...])`"
                )));
            };
            let found = guard(|| data.project(&id).cloned())?.map_err(|e| {
                Error::argument(e.code().as_str(), &format!("projects[{i}]"), e.to_string())
            })?;
            out.push(found);
            continue;
        }
        if !(item.is_instance_of::<PyDict>() || item.cast::<pyo3::types::PyMapping>().is_ok()) {
            problems.push(Problem::new(
                Code::InvalidType,
                format!("[{i}]"),
                format!(
                    "a project is a record (a dict){}, not {}",
                    if data.is_some() { " or an id" } else { "" },
                    type_name(&item)
                ),
            ));
            continue;
        }
        let value = match convert::to_value(&item, &format!("[{i}]")) {
            Ok(v) => v,
            Err(Error::Invalid(e)) => {
                problems.extend(e.into_problems());
                continue;
            }
            Err(other) => return Err(other),
        };
        match guard(|| Project::from_value(&value))? {
            Ok(p) => out.push(p),
            Err(e) => problems.extend(e.into_problems().into_iter().map(|mut p| {
                p.path = at_index(i, &p.path);
                p
            })),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(DatasetError::new(problems).into())
    }
}

/// The projects an analysis works on: the given ones, or all of the dataset's.
pub(crate) fn chosen(
    data: &Dataset,
    obj: Option<&Bound<'_, PyAny>>,
) -> Result<Vec<Project>, Error> {
    match obj.filter(|o| !o.is_none()) {
        None => Ok(data.projects().to_vec()),
        Some(o) => project_list(Some(data), o),
    }
}

/// A call argument: a compiled `Call`, or the id of one of the dataset's calls.
pub(crate) enum CallArg {
    /// The id of one of the dataset's calls.
    Id(String),
    /// A compiled call.
    Compiled(Arc<Call>),
}

/// Reads a call argument (`None`: each project's own call).
pub(crate) fn call_arg(obj: Option<&Bound<'_, PyAny>>) -> Result<Option<CallArg>, Error> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Some(CallArg::Id(
            crate::convert::str_text(s, "call")?.to_string(),
        )));
    }
    if let Ok(c) = obj.cast::<PyCall>() {
        return Ok(Some(CallArg::Compiled(Arc::clone(&c.get().call))));
    }
    Err(Error::Type(format!(
        "`call` must be a call's id (str) or a `Call`, not {}",
        type_name(obj)
    )))
}

/// Checks a project against `call` (or its own call) on `day`.
pub(crate) fn evaluate(
    data: &Dataset,
    project: &Project,
    call: Option<&CallArg>,
    day: NaiveDate,
) -> Result<Decision, Error> {
    match call {
        Some(CallArg::Compiled(c)) => guard(|| c.evaluate(&project.to_application(), day, None)),
        Some(CallArg::Id(id)) => {
            guard(|| data.evaluate_project(project, Some(id), day))?.map_err(Error::query("call"))
        }
        None => guard(|| data.evaluate_project(project, None, day))?.map_err(Error::query("call")),
    }
}

/// The export options of the keyword arguments.
pub(crate) fn export_options(
    prefix: Option<String>,
    reporting_org_name: Option<String>,
    reporting_org_type: Option<String>,
    as_of: Option<&Bound<'_, PyAny>>,
) -> Result<ExportOptions, Error> {
    let as_of = match as_of.filter(|o| !o.is_none()) {
        None => None,
        Some(o) => Some(convert::day(Some(o), "as_of")?),
    };
    Ok(ExportOptions {
        prefix,
        reporting_org_name,
        reporting_org_type,
        as_of,
    })
}

/// Writes projects as IATI 2.03 XML, without holding the GIL.
pub(crate) fn write(
    py: Python<'_>,
    projects: Vec<Project>,
    options: ExportOptions,
) -> Result<String, Error> {
    py.detach(|| guard_result(|| euca::iati::to_iati(&projects, &options)))
}

/// Writes project records as an IATI 2.03 activity file.
#[pyfunction]
#[pyo3(signature = (projects, *, prefix=None, reporting_org_name=None, reporting_org_type=None, as_of=None))]
pub fn to_iati(
    py: Python<'_>,
    projects: &Bound<'_, PyAny>,
    #[pyo3(from_py_with = arguments::prefix)] prefix: Option<String>,
    #[pyo3(from_py_with = arguments::reporting_org_name)] reporting_org_name: Option<String>,
    #[pyo3(from_py_with = arguments::reporting_org_type)] reporting_org_type: Option<String>,
    as_of: Option<&Bound<'_, PyAny>>,
) -> Result<String, Error> {
    let options = export_options(prefix, reporting_org_name, reporting_org_type, as_of)?;
    let records = project_list(None, projects)?;
    write(py, records, options)
}

/// What `read_iati` reads: the XML's bytes, or a file to stream.
enum Input {
    Bytes(Vec<u8>),
    File(PathBuf),
}

/// Reads an IATI activity file (a path, or the XML as `str` or `bytes`).
#[pyfunction]
#[pyo3(signature = (text_or_path, *, skip_invalid=false, source=None))]
pub fn read_iati<'py>(
    py: Python<'py>,
    text_or_path: &Bound<'py, PyAny>,
    #[pyo3(from_py_with = arguments::skip_invalid)] skip_invalid: bool,
    source: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyAny>, Error> {
    let source = match source.filter(|o| !o.is_none()) {
        None => None,
        Some(s) => Some(source_arg(s)?),
    };
    let options = ImportOptions {
        skip_invalid,
        source,
    };
    let input = if let Ok(b) = text_or_path.cast::<PyBytes>() {
        Input::Bytes(b.as_bytes().to_vec())
    } else if let Some(text) = text_or_path
        .cast::<PyString>()
        .ok()
        .map(|s| crate::convert::str_text(s, "text_or_path").map(|t| t.to_string()))
        .transpose()?
        .filter(|t| t.trim_start().starts_with('<'))
    {
        Input::Bytes(text.into_bytes())
    } else {
        let path: PathBuf = text_or_path.extract().map_err(|_| {
            Error::Type(format!(
                "`text_or_path` must be the XML (str or bytes) or a file's path (str or os.PathLike), not {}",
                type_name(text_or_path)
            ))
        })?;
        Input::File(path)
    };
    let imported: IatiImport = py.detach(|| match input {
        Input::Bytes(bytes) => guard_result(|| read_iati_from(bytes.as_slice(), &options)),
        Input::File(path) => {
            let file = std::fs::File::open(&path).map_err(|e| Error::Python(PyErr::from(e)))?;
            guard_result(|| read_iati_from(std::io::BufReader::new(file), &options))
        }
    })?;
    let records = convert::records(py, &imported.records)?;
    let warnings = convert::records(py, &imported.warnings)?;
    Ok(convert::helper(py, "euca.iati", "IatiImport")?.call1((
        imported.version,
        records,
        warnings,
    ))?)
}

/// The `source` argument of `read_iati`: a dict `{title, address?, document?, locator?}`.
fn source_arg(obj: &Bound<'_, PyAny>) -> Result<Source, Error> {
    let value = convert::to_value(obj, "source")?;
    if !value.is_object() {
        return Err(Error::Type(format!(
            "`source` must be a dict such as {{\"title\": ..., \"address\": ...}}, not {}",
            type_name(obj)
        )));
    }
    serde_json::from_value(value).map_err(|e| {
        let message = e.to_string();
        let code = if message.starts_with("missing field") {
            Code::MissingField
        } else {
            Code::InvalidType
        };
        DatasetError::new(vec![Problem::new(
            code,
            "source",
            format!("invalid source: {message}"),
        )])
        .into()
    })
}
