//! Arguments of plain Python types (`str`, `int`, `bool`, a list of `str`, a handle), read so that
//! a wrong one names the argument in the exception's message on every Python version.
//!
//! pyo3 names the argument it failed to convert only in an exception note (`add_note`), which
//! Python 3.9 and 3.10 do not have, and its messages (`'NoneType' object cannot be converted to
//! 'PyString'`) do not say which argument was wrong. So the methods read these arguments with the
//! functions below (`#[pyo3(from_py_with = arguments::country)]`, or in the body for handles):
//! a value of the wrong type is a `TypeError` that names the argument, a number out of range a
//! `QueryError` `invalid_value` whose path is the argument's name (as for every other argument
//! value), and an index out of range an `IndexError`.

use pyo3::exceptions::PyOverflowError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyString};
use pyo3::{PyClass, PyTypeCheck};

use crate::errors::Error;

/// The longest projection the bindings accept, in years: euca's dates end in the year 9999, and a
/// larger horizon only makes the projection loop longer.
pub(crate) const MAX_PLAN_YEARS: u32 = euca::MAX_PLAN_YEARS;

/// The most weeks before a projected round a consultation may be placed (a century), as in the
/// WebAssembly bindings.
pub(crate) const MAX_CONSULTATION_WEEKS: u32 = 5_200;

/// The longest window `projects_after_rounds` takes, in months (euca's dates end in the year
/// 9999).
pub(crate) const MAX_MONTHS: u32 = 12 * 9999;

/// The name of an object's type, for messages (`NoneType`, `list`).
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_string())
}

fn wrong_type(argument: &str, wanted: &str, obj: &Bound<'_, PyAny>) -> Error {
    Error::Type(format!(
        "`{argument}` must be {wanted}, not {}",
        type_name(obj)
    ))
}

/// A `str` argument.
///
/// # Errors
/// `TypeError` naming `argument` for any other type.
pub(crate) fn text(obj: &Bound<'_, PyAny>, argument: &str) -> Result<String, Error> {
    match obj.cast::<PyString>() {
        Ok(s) => Ok(crate::convert::str_text(s, argument)?.into_owned()),
        Err(_) => Err(wrong_type(argument, "a str", obj)),
    }
}

/// A `str` argument that may be `None`.
///
/// # Errors
/// As [`text`].
pub(crate) fn optional_text(
    obj: &Bound<'_, PyAny>,
    argument: &str,
) -> Result<Option<String>, Error> {
    if obj.is_none() {
        return Ok(None);
    }
    match obj.cast::<PyString>() {
        Ok(s) => Ok(Some(crate::convert::str_text(s, argument)?.into_owned())),
        Err(_) => Err(wrong_type(argument, "a str or None", obj)),
    }
}

/// A list of `str` that may be `None` (any iterable of `str` but a `str` or `bytes` itself).
///
/// # Errors
/// `TypeError` naming `argument` (or `argument[i]` for an item) for other types.
pub(crate) fn optional_texts(
    obj: &Bound<'_, PyAny>,
    argument: &str,
) -> Result<Option<Vec<String>>, Error> {
    if obj.is_none() {
        return Ok(None);
    }
    let wanted = "a list of str or None";
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return Err(wrong_type(argument, wanted, obj));
    }
    let items = obj
        .try_iter()
        .map_err(|_| wrong_type(argument, wanted, obj))?;
    let mut out = Vec::new();
    for (i, item) in items.enumerate() {
        out.push(text(&item?, &format!("{argument}[{i}]"))?);
    }
    Ok(Some(out))
}

/// A `bool` argument (`numpy.bool_` too).
///
/// # Errors
/// `TypeError` naming `argument` for any other type (an `int` is not a flag).
pub(crate) fn flag(obj: &Bound<'_, PyAny>, argument: &str) -> Result<bool, Error> {
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(b.is_true());
    }
    let numpy_bool = obj.get_type().fully_qualified_name().is_ok_and(|n| {
        n.to_cow()
            .is_ok_and(|n| n == "numpy.bool" || n == "numpy.bool_")
    });
    if numpy_bool {
        return Ok(obj.is_truthy()?);
    }
    Err(wrong_type(argument, "a bool", obj))
}

/// An `int` argument (or an object with `__index__`, such as `numpy.int64`; not a `bool`), as an
/// `i64`; `None` when it does not fit in one.
///
/// # Errors
/// `TypeError` naming `argument` for other types.
fn integer(obj: &Bound<'_, PyAny>, argument: &str) -> Result<Option<i64>, Error> {
    if obj.is_instance_of::<PyBool>() {
        return Err(wrong_type(argument, "an int", obj));
    }
    match obj.extract::<i64>() {
        Ok(n) => Ok(Some(n)),
        Err(e) if e.is_instance_of::<PyOverflowError>(obj.py()) => Ok(None),
        Err(_) => Err(wrong_type(argument, "an int", obj)),
    }
}

/// An integer as user input in a message: its digits, cut short when very long.
fn shown(obj: &Bound<'_, PyAny>) -> String {
    let digits = obj
        .str()
        .and_then(|s| s.to_cow().map(|t| t.into_owned()))
        .unwrap_or_default();
    if digits.chars().count() > 24 {
        let head: String = digits.chars().take(20).collect();
        format!("`{head}...` ({} digits)", digits.len())
    } else {
        format!("`{digits}`")
    }
}

/// A whole number argument from 0 to `max`.
///
/// # Errors
/// `TypeError` naming `argument` for a value that is not an `int`; `QueryError`
/// `invalid_value` (path `argument`) for one out of range.
pub(crate) fn count(obj: &Bound<'_, PyAny>, argument: &str, max: u32) -> Result<u32, Error> {
    let n = integer(obj, argument)?;
    n.and_then(|n| u32::try_from(n).ok())
        .filter(|n| *n <= max)
        .ok_or_else(|| {
            Error::argument(
                "invalid_value",
                argument,
                format!(
                    "`{argument}` is a whole number from 0 to {max}, not {}",
                    shown(obj)
                ),
            )
        })
}

/// A whole number argument from 0 to `max` that may be `None`.
///
/// # Errors
/// As [`count`].
pub(crate) fn optional_count(
    obj: &Bound<'_, PyAny>,
    argument: &str,
    max: u32,
) -> Result<Option<u32>, Error> {
    if obj.is_none() {
        return Ok(None);
    }
    count(obj, argument, max).map(Some)
}

/// A row index (negative counts from the end) into `len` rows.
///
/// # Errors
/// `TypeError` naming `argument` for a value that is not an `int`; `IndexError` for a row that
/// is not there.
pub(crate) fn index(obj: &Bound<'_, PyAny>, argument: &str, len: usize) -> Result<usize, Error> {
    let i = integer(obj, argument)?;
    let found = i.and_then(|i| {
        if i < 0 {
            len.checked_sub(usize::try_from(i.unsigned_abs()).ok()?)
        } else {
            usize::try_from(i).ok().filter(|&x| x < len)
        }
    });
    found.ok_or_else(|| {
        Error::Python(pyo3::exceptions::PyIndexError::new_err(format!(
            "`{argument}` is {}: no such row in a batch of {len} applications",
            shown(obj)
        )))
    })
}

/// A handle argument (`Dataset`, `Call`).
///
/// # Errors
/// `TypeError` naming `argument` and `class` for any other type.
pub(crate) fn handle<'a, 'py, T: PyClass + PyTypeCheck>(
    obj: &'a Bound<'py, PyAny>,
    argument: &str,
    class: &str,
) -> Result<&'a Bound<'py, T>, Error> {
    obj.cast::<T>()
        .map_err(|_| wrong_type(argument, &format!("a euca.{class}"), obj))
}

/// The extractors of `#[pyo3(from_py_with = ...)]`: one function per argument name, each
/// reading that argument with one of the functions above.
macro_rules! extractors {
    ($($name:ident -> $ty:ty = $read:ident($($extra:expr),*);)*) => {
        $(
            #[doc = concat!("Reads the argument `", stringify!($name), "` (see [`", stringify!($read), "`]).")]
            pub(crate) fn $name(obj: &Bound<'_, PyAny>) -> PyResult<$ty> {
                Ok($read(obj, stringify!($name) $(, $extra)*)?)
            }
        )*
    };
}

extractors! {
    country -> String = text();
    id -> String = text();
    by -> String = text();
    round -> String = text();
    priority -> String = text();
    stage -> Option<String> = optional_text();
    prefix -> Option<String> = optional_text();
    reporting_org_name -> Option<String> = optional_text();
    reporting_org_type -> Option<String> = optional_text();
    countries -> Option<Vec<String>> = optional_texts();
    years -> u32 = count(MAX_PLAN_YEARS);
    plan_years -> Option<u32> = optional_count(MAX_PLAN_YEARS);
    consultation_weeks -> u32 = count(MAX_CONSULTATION_WEEKS);
    months -> u32 = count(MAX_MONTHS);
    rounds -> bool = flag();
    seminars -> bool = flag();
    due_windows -> bool = flag();
    projected_rounds -> bool = flag();
    consultations -> bool = flag();
    flat -> bool = flag();
    skip_invalid -> bool = flag();
}
