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

/// mimalloc's option `purge_decommits` (`mi_option_purge_decommits` in its mimalloc.h, the same
/// index in its versions 2 and 3; libmimalloc-sys does not name it). 1, the default: memory
/// mimalloc purges is decommitted (`MADV_DONTNEED` on Linux), and the next use of each page
/// faults it in, zeroed. 0: on Linux it is reset (`MADV_FREE`), which the kernel takes back only
/// when it needs the memory. `test_the_allocator_keeps_freed_pages` checks the index against
/// mimalloc's reading of `MIMALLOC_PURGE_DECOMMITS`.
#[cfg(target_os = "linux")]
const PURGE_DECOMMITS: libmimalloc_sys::mi_option_t = 5;

/// At import, on Linux: memory the allocator purges is reset, not decommitted, unless the
/// process's environment sets the option (`MIMALLOC_PURGE_DECOMMITS`, or its older name
/// `MIMALLOC_RESET_DECOMMITS`, as mimalloc reads them: `mi_option_set_default` changes only an
/// option the environment left unset). A batch's buffers (tens of MB for 100 000 rows) are freed
/// when the call ends; decommitted, the next call made after other work faulted 6 000–9 000
/// pages in again, about a third of a polars frame's call (BENCHMARKS.md, "Freed pages kept").
/// Elsewhere mimalloc's default stands: on macOS a decommit is already `MADV_FREE_REUSABLE`, and
/// on Windows a reset (`MEM_RESET`) gives back no commit charge; neither was measured.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn keep_freed_pages() {
    // SAFETY: `mi_option_set_default` stores an option's value, for an index below
    // `_mi_option_last`, with a plain store: no other thread may read the option meanwhile.
    // None does: this allocator is this module's alone (mimalloc does not replace `malloc`), and
    // this runs in the module's initialisation, which pyo3 runs once, before any of the module's
    // code can run on another thread. mimalloc read its options from the environment when the
    // library was loaded, before this.
    unsafe { libmimalloc_sys::mi_option_set_default(PURGE_DECOMMITS, 0) }
}

#[cfg(not(target_os = "linux"))]
fn keep_freed_pages() {}

/// Test-only: the allocator's option `purge_decommits` as mimalloc reads it on Linux; `None`
/// elsewhere, where the extension leaves the option alone.
#[allow(unsafe_code)]
#[pyfunction]
fn _purge_decommits() -> Option<std::ffi::c_long> {
    #[cfg(target_os = "linux")]
    // SAFETY: `mi_option_get` reads an option, as mimalloc itself does on any thread; the index
    // is below `_mi_option_last`.
    return Some(unsafe { libmimalloc_sys::mi_option_get(PURGE_DECOMMITS) });
    #[cfg(not(target_os = "linux"))]
    None
}

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
    keep_freed_pages();
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
    m.setattr("_purge_decommits", wrap_pyfunction!(_purge_decommits, m)?)?;
    m.add_function(wrap_pyfunction!(date_relation, m)?)?;
    m.add_function(wrap_pyfunction!(eu_member_states, m)?)?;
    m.add_function(wrap_pyfunction!(application_schema, m)?)?;
    m.add_function(wrap_pyfunction!(rule_set_schema, m)?)?;
    Ok(())
}
