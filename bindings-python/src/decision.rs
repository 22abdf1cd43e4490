//! `euca.Decision`: the decision on one application, a handle over the core's `Decision`.

use euca::{Code, DatasetError, Decision, Problem};
use pyo3::prelude::*;

use crate::convert::{self, Document};
use crate::errors::Error;

/// The decision on one application: verdict, checks, missing fields, grant and recourse.
#[pyclass(frozen, module = "euca._euca", name = "Decision")]
pub struct PyDecision {
    inner: Decision,
}

impl PyDecision {
    pub(crate) fn new(inner: Decision) -> PyDecision {
        PyDecision { inner }
    }
}

/// Reads a decision written by `to_dict` / `to_json`, through the reader that names each
/// problem with its path ([`Decision::from_value`], as `Decision.fromJson` in JavaScript reads):
/// serde_json's own reader would take a struct from a list by position and drop an unknown
/// field without a word.
fn read(value: serde_json::Value) -> Result<Decision, Error> {
    Ok(Decision::from_value(&value)?)
}

#[pymethods]
impl PyDecision {
    /// `"eligible"`, `"ineligible"` or `"undetermined"`.
    #[getter]
    fn verdict(&self) -> &'static str {
        self.inner.verdict.as_str()
    }

    /// One check per criterion, in the call's order.
    #[getter]
    fn checks<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, &self.inner.checks)
    }

    /// The fields still needed, those that settle the verdict first.
    #[getter]
    fn missing<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, &self.inner.missing)
    }

    /// The grant figures, where computable.
    #[getter]
    fn grant<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, &self.inner.grant)
    }

    /// What the applicant can change or answer.
    #[getter]
    fn recourse<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, &self.inner.recourse)
    }

    /// The evaluation date.
    #[getter]
    fn as_of<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::py_date(py, self.inner.as_of)
    }

    /// The rule set (id and version) that decided.
    #[getter]
    fn rule_set<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, &self.inner.rule_set)
    }

    /// The application's id, if it has one.
    #[getter]
    fn application(&self) -> Option<String> {
        self.inner.application.clone()
    }

    /// The stage of a restricted call, if one was given.
    #[getter]
    fn stage<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, &self.inner.stage)
    }

    /// The decision in plain text, citing the rules.
    fn explain(&self) -> String {
        self.inner.explain()
    }

    /// The decision as a dict in its JSON shape.
    fn to_dict<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        convert::to_py(py, &self.inner)
    }

    /// The decision as JSON text.
    fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.inner).unwrap_or_default()
    }

    /// Reads a decision written by `to_dict` or `to_json`.
    #[staticmethod]
    fn from_json(document: &Bound<'_, PyAny>) -> Result<PyDecision, Error> {
        let value = match convert::document(document, "document")? {
            Document::Value(v) => v,
            Document::Text(t) => serde_json::from_str(&t).map_err(|e| {
                DatasetError::new(vec![Problem::new(
                    Code::InvalidJson,
                    "",
                    format!("not valid JSON: {e}"),
                )])
            })?,
        };
        Ok(PyDecision::new(read(value)?))
    }

    /// A table of the checks, coloured by outcome, with their citations (for notebooks).
    fn _repr_html_<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>, Error> {
        let d = convert::to_py(py, &self.inner)?;
        Ok(convert::helper(py, "euca._html", "decision_html")?.call1((d,))?)
    }

    fn __repr__(&self) -> String {
        let d = &self.inner;
        format!(
            "<euca.Decision {} on {} under {} (version {}) as of {}>",
            d.verdict.as_str(),
            d.application.as_deref().unwrap_or("an application"),
            d.rule_set.id,
            d.rule_set.version,
            d.as_of
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyDecision>()
            .is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.inner.rule_set.hash(&mut h);
        self.inner.application.hash(&mut h);
        self.inner.as_of.hash(&mut h);
        h.finish()
    }

    /// Pickles through its JSON.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((slf.get_type().getattr("from_json")?, (slf.get().to_json(),)))
    }
}
