//! The one mapping from euca's errors to Python exceptions.
//!
//! Every method returns `Result<T, Error>`; `From<Error> for PyErr` turns an [`Error`] into one of
//! the exception classes of `euca/exceptions.py`:
//!
//! | Rust | Python | `.errors()` |
//! |---|---|---|
//! | [`DatasetError`] (a document that does not load) | `euca.ValidationError` (`EucaError`, `ValueError`) | every problem: code, message, JSON path |
//! | [`QueryError`], a bad argument value | `euca.QueryError` (`EucaError`, `ValueError`) | one problem whose path is the argument's name |
//! | a panic caught at the boundary (a bug) | `euca.EucaError`, code `internal_error` | one problem |
//! | an argument of the wrong Python type | `TypeError` naming the argument | – |
//! | a file that cannot be read | `OSError` (`FileNotFoundError` ...) | – |

use euca::{DatasetError, Problem, QueryError};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};

/// Everything a binding function can fail with.
#[derive(Debug)]
pub enum Error {
    /// A document (dataset, extension, call, application) that does not load: every problem.
    Invalid(DatasetError),
    /// A query that cannot be answered because the argument `argument` names nothing.
    Query {
        /// The core's error.
        error: QueryError,
        /// The name of the Python argument that carried the value.
        argument: &'static str,
    },
    /// An argument whose value is wrong (a date that is not a date, an unknown stage).
    Argument {
        /// The stable code (`invalid_date`, `naive_datetime`, `invalid_value` ...).
        code: &'static str,
        /// What is wrong, in the style of the core's messages.
        message: String,
        /// The name of the Python argument.
        argument: String,
    },
    /// An argument of the wrong Python type.
    Type(String),
    /// An exception already raised by Python (reading a file, calling a helper).
    Python(PyErr),
    /// A panic caught at the boundary: a bug in euca, never the caller's fault.
    Internal(String),
}

impl From<DatasetError> for Error {
    fn from(e: DatasetError) -> Error {
        Error::Invalid(e)
    }
}

impl From<PyErr> for Error {
    fn from(e: PyErr) -> Error {
        Error::Python(e)
    }
}

impl From<pythonize::PythonizeError> for Error {
    fn from(e: pythonize::PythonizeError) -> Error {
        Error::Internal(format!("cannot convert a result to Python: {e}"))
    }
}

impl Error {
    /// A query error raised for the argument `argument`.
    pub fn query(argument: &'static str) -> impl FnOnce(QueryError) -> Error {
        move |error| Error::Query { error, argument }
    }

    /// A bad value of the argument `argument`.
    pub fn argument(code: &'static str, argument: &str, message: impl Into<String>) -> Error {
        Error::Argument {
            code,
            message: message.into(),
            argument: argument.to_string(),
        }
    }
}

/// The exception classes of `euca.exceptions`, imported once.
static VALIDATION_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static QUERY_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static EUCA_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// `[{code, message, path}]` as a Python list of dicts.
fn problem_list<'py>(
    py: Python<'py>,
    problems: impl IntoIterator<Item = (String, String, String)>,
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for (code, message, path) in problems {
        let d = PyDict::new(py);
        d.set_item("code", code)?;
        d.set_item("message", message)?;
        d.set_item("path", path)?;
        list.append(d)?;
    }
    Ok(list)
}

fn raise(
    py: Python<'_>,
    class: &PyOnceLock<Py<PyType>>,
    name: &str,
    message: String,
    code: &str,
    problems: Vec<(String, String, String)>,
) -> PyErr {
    let made = (|| -> PyResult<PyErr> {
        let class = class.import(py, "euca.exceptions", name)?;
        let errors = problem_list(py, problems)?;
        let instance = class.call1((message.clone(), code, errors))?;
        Ok(PyErr::from_value(instance))
    })();
    // Only when `euca.exceptions` cannot be imported (a broken installation).
    made.unwrap_or_else(|_| PyValueError::new_err(format!("{code}: {message}")))
}

impl From<Error> for PyErr {
    fn from(e: Error) -> PyErr {
        Python::attach(|py| match e {
            Error::Invalid(error) => {
                let problems: Vec<(String, String, String)> = error
                    .problems()
                    .iter()
                    .map(|p: &Problem| {
                        (
                            p.code.as_str().to_string(),
                            p.message.clone(),
                            p.path.clone(),
                        )
                    })
                    .collect();
                raise(
                    py,
                    &VALIDATION_ERROR,
                    "ValidationError",
                    error.to_string(),
                    error.code().as_str(),
                    problems,
                )
            }
            Error::Query { error, argument } => {
                let code = error.code().as_str();
                let message = error.to_string();
                raise(
                    py,
                    &QUERY_ERROR,
                    "QueryError",
                    message.clone(),
                    code,
                    vec![(code.to_string(), message, argument.to_string())],
                )
            }
            Error::Argument {
                code,
                message,
                argument,
            } => raise(
                py,
                &QUERY_ERROR,
                "QueryError",
                message.clone(),
                code,
                vec![(code.to_string(), message, argument)],
            ),
            Error::Type(message) => PyTypeError::new_err(message),
            Error::Python(err) => err,
            Error::Internal(message) => {
                let message = format!(
                    "internal error in euca (a bug, please report it with the input): {message}"
                );
                raise(
                    py,
                    &EUCA_ERROR,
                    "EucaError",
                    message.clone(),
                    "internal_error",
                    vec![("internal_error".to_string(), message, String::new())],
                )
            }
        })
    }
}

/// Runs core code, turning a panic (a bug: the core forbids them on input-derived data) into an
/// `EucaError` instead of pyo3's `PanicException`, which derives from `BaseException` and escapes
/// `except Exception` in a notebook.
pub fn guard<T>(f: impl FnOnce() -> T) -> Result<T, Error> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string());
        Error::Internal(message)
    })
}

/// As [`guard`], for core code that returns a `Result`.
pub fn guard_result<T, E: Into<Error>>(f: impl FnOnce() -> Result<T, E>) -> Result<T, Error> {
    guard(f)?.map_err(Into::into)
}
