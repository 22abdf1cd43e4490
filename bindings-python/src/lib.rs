//! Python bindings of euca: the native module `euca._euca`.
//!
//! Thin by design: each function converts its arguments, calls the core and converts the result
//! or the error (see `errors.rs` for the one mapping of errors). The pure-Python package
//! (`python/euca`) re-exports these classes and adds the `Records` table, the timeline plot and
//! the HTML view of a decision.

mod arguments;
mod arrow;
mod call;
mod convert;
mod dataset;
mod decision;
mod direct;
mod errors;
mod frames;
mod objects;
mod projects;
mod read;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use pyo3::prelude::*;

use crate::errors::{Error, guard};

/// Reads an EDTF date (`2008`, `2008-06`, `2008-10-15`, `2007-05-08/2007-05-09`,
/// `[2018,2019]`): its canonical text, first and last day, and precision.
#[pyfunction]
fn parse_date<'py>(py: Python<'py>, text: &Bound<'py, PyAny>) -> Result<Bound<'py, PyAny>, Error> {
    let date = convert::edtf(text, "text")?;
    let out = guard(|| {
        serde_json::json!({
            "display": date.to_string(),
            "earliest": date.earliest().to_string(),
            "latest": date.latest().to_string(),
            "precision": date.precision(),
        })
    })?;
    convert::to_py(py, &out)
}

/// Whether date `a` is before, after or the same day as `b`, or whether the sources cannot tell.
#[pyfunction]
fn date_relation(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> Result<String, Error> {
    let a = convert::edtf(a, "a")?;
    let b = convert::edtf(b, "b")?;
    let relation = guard(|| a.relation(&b))?;
    Ok(serde_json::to_value(relation)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default())
}

/// The EU member states on a day (ISO alpha-2, in order of accession).
#[pyfunction]
#[pyo3(signature = (on=None))]
fn eu_member_states(on: Option<&Bound<'_, PyAny>>) -> Result<Vec<String>, Error> {
    let day = convert::day(on, "on")?;
    Ok(guard(|| euca::eu::member_states(day))?
        .into_iter()
        .map(str::to_string)
        .collect())
}

/// The JSON Schema of an application.
#[pyfunction]
fn application_schema(py: Python<'_>) -> Result<Bound<'_, PyAny>, Error> {
    let schema: serde_json::Value =
        serde_json::from_str(&euca::schema::application_schema()).unwrap_or_default();
    convert::to_py(py, &schema)
}

/// The JSON Schema of a rule set (an instrument's or a call's).
#[pyfunction]
fn rule_set_schema(py: Python<'_>) -> Result<Bound<'_, PyAny>, Error> {
    let schema: serde_json::Value =
        serde_json::from_str(&euca::schema::rule_set_schema()).unwrap_or_default();
    convert::to_py(py, &schema)
}

/// The native module.
/// Test-only: the application in `obj` as the field-by-field reader of `evaluate_many` reads it
/// (in its JSON shape), or `None` when that reader leaves it to the others.
#[pyfunction]
fn _read_field_by_field<'py>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
) -> Result<Option<Bound<'py, PyAny>>, Error> {
    let Some(app) = guard(|| direct::application(obj))? else {
        return Ok(None);
    };
    let value = guard(|| serde_json::to_value(&app).unwrap_or_default())?;
    convert::to_py(py, &value).map(Some)
}

/// Test-only: the application in JSON `text` as the core's reporting reader reads it (in its
/// JSON shape); a `ValidationError` when it does not read.
#[pyfunction]
fn _read_reporting<'py>(py: Python<'py>, text: &str) -> Result<Bound<'py, PyAny>, Error> {
    let app = errors::guard_result(|| euca::Application::from_json(text))?;
    let value = guard(|| serde_json::to_value(&app).unwrap_or_default())?;
    convert::to_py(py, &value)
}

#[pymodule]
fn _euca(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<dataset::PyDataset>()?;
    m.add_class::<call::PyCall>()?;
    m.add_class::<call::PyBatch>()?;
    m.add_class::<decision::PyDecision>()?;
    m.add_function(wrap_pyfunction!(call::compare, m)?)?;
    m.add_function(wrap_pyfunction!(projects::read_iati, m)?)?;
    m.add_function(wrap_pyfunction!(projects::to_iati, m)?)?;
    m.add_function(wrap_pyfunction!(parse_date, m)?)?;
    // Test-only, so outside `__all__` (and the package's names).
    m.setattr(
        "_read_field_by_field",
        wrap_pyfunction!(_read_field_by_field, m)?,
    )?;
    m.setattr("_read_reporting", wrap_pyfunction!(_read_reporting, m)?)?;
    m.add_function(wrap_pyfunction!(date_relation, m)?)?;
    m.add_function(wrap_pyfunction!(eu_member_states, m)?)?;
    m.add_function(wrap_pyfunction!(application_schema, m)?)?;
    m.add_function(wrap_pyfunction!(rule_set_schema, m)?)?;
    Ok(())
}
