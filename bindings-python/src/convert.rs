//! Values across the boundary.
//!
//! Into Rust: Python documents (dicts, lists, numbers, strings, dates, `Decimal`) become
//! `serde_json::Value`s by a walker that checks the nesting depth *before* descending, so a
//! 10 000-level dict (or a list that contains itself) is an `input_too_deep` error, never a stack
//! overflow. Money rules live in the core; the walker only hands values over exactly:
//! an `int` stays an integer, a `Decimal` that is a whole number becomes one (else its decimal
//! text, which the core rejects as `over_precise_money` where money is expected), a `float` that is
//! a whole number becomes an integer (else the float, likewise rejected where money is expected).
//! Dates become ISO text; an aware `datetime` keeps its offset (and its IANA zone when it has
//! one), a naive one stays naive, so that the core reports `naive_datetime` where an instant is
//! needed.
//!
//! Out of Rust: results are serialised with pythonize (dicts and lists in the documents' JSON
//! shape); tables are wrapped in `euca.records.Records`.

use chrono::{NaiveDate, Utc};
use euca::dataset::MAX_DEPTH;
use euca::{Code, DatasetError, Date, Instant, Problem};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType,
};
use serde::Serialize;
use serde_json::{Map, Number, Value};

use crate::errors::Error;

static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static RECORDS: PyOnceLock<Py<PyType>> = PyOnceLock::new();

fn datetime_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DATETIME.import(py, "datetime", "datetime")
}

fn date_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DATE.import(py, "datetime", "date")
}

/// The name of an object's type, for messages (`set`, `bytes`).
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_string())
}

/// A date-time's ISO text: with its offset (and `[zone]` for a named IANA zone) when aware.
fn datetime_text(obj: &Bound<'_, PyAny>) -> PyResult<(String, bool)> {
    let iso: String = obj.call_method0("isoformat")?.extract()?;
    if obj.call_method0("utcoffset")?.is_none() {
        return Ok((iso, false));
    }
    let tz = obj.getattr("tzinfo")?;
    // zoneinfo.ZoneInfo has `key`, pytz zones have `zone`.
    for attr in ["key", "zone"] {
        if let Ok(name) = tz.getattr(attr)
            && let Ok(name) = name.extract::<String>()
            && name.contains('/')
        {
            return Ok((format!("{iso}[{name}]"), true));
        }
    }
    Ok((iso, true))
}

/// Converts a Python document into JSON, collecting a problem (with its path) for every value
/// that has no JSON form.
///
/// # Errors
/// A [`DatasetError`] with every problem: `input_too_deep` when containers nest deeper than the
/// core's [`MAX_DEPTH`], `invalid_type` for values of other types (sets, bytes, objects) and for
/// dict keys that are not strings.
pub fn to_value(obj: &Bound<'_, PyAny>, path: &str) -> Result<Value, Error> {
    to_value_at(obj, path, 0)
}

/// [`to_value`] of a value `depth` containers below its document's root (a frame's cell), whose
/// nesting is counted from the root.
///
/// # Errors
/// As [`to_value`].
pub fn to_value_at(obj: &Bound<'_, PyAny>, path: &str, depth: usize) -> Result<Value, Error> {
    let mut problems = Vec::new();
    let mut at = path.to_string();
    let value = walk(obj, &mut at, depth, &mut problems)?;
    if problems.is_empty() {
        Ok(value)
    } else {
        Err(DatasetError::new(problems).into())
    }
}

fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

pub(crate) fn walk(
    obj: &Bound<'_, PyAny>,
    path: &mut String,
    depth: usize,
    problems: &mut Vec<Problem>,
) -> PyResult<Value> {
    let py = obj.py();
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        return int_value(obj);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(float_value(f.value()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        if let Ok(text) = s.to_cow() {
            return Ok(Value::String(text.into_owned()));
        }
        problems.push(Problem::new(
            Code::InvalidValue,
            path.clone(),
            format!("a string that {LONE_SURROGATE}"),
        ));
        return Ok(Value::Null);
    }
    let is_container = obj.is_instance_of::<PyDict>()
        || obj.is_instance_of::<PyList>()
        || obj.is_instance_of::<PyTuple>()
        || obj.cast::<PyMapping>().is_ok();
    if is_container && depth >= MAX_DEPTH {
        problems.push(Problem::new(
            Code::InputTooDeep,
            path.clone(),
            format!(
                "the document nests deeper than {MAX_DEPTH} levels (at least {})",
                depth + 1
            ),
        ));
        return Ok(Value::Null);
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        return map_value(d.iter(), path, depth, problems);
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for (i, item) in obj.try_iter()?.enumerate() {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            items.push(walk(&item?, path, depth + 1, problems)?);
            path.truncate(len);
        }
        return Ok(Value::Array(items));
    }
    if let Ok(m) = obj.cast::<PyMapping>() {
        let items = m.items()?;
        let pairs: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)> = items
            .iter()
            .map(|pair| pair.extract())
            .collect::<PyResult<_>>()?;
        return map_value(pairs.into_iter(), path, depth, problems);
    }
    if obj.is_instance(datetime_type(py)?)? {
        return Ok(Value::String(datetime_text(obj)?.0));
    }
    if obj.is_instance(date_type(py)?)? {
        return Ok(Value::String(obj.call_method0("isoformat")?.extract()?));
    }
    if obj.is_instance(DECIMAL.import(py, "decimal", "Decimal")?)? {
        return decimal_value(obj);
    }
    // NumPy scalars (`numpy.int64`, `numpy.bool_`, `numpy.str_` ...) and arrays.
    let module: String = obj
        .get_type()
        .getattr("__module__")
        .and_then(|m| m.extract())
        .unwrap_or_default();
    if (module == "numpy" || module.starts_with("numpy."))
        && let Ok(plain) = obj.call_method0("tolist")
        && !plain.get_type().is(obj.get_type())
    {
        return walk(&plain, path, depth, problems);
    }
    if obj.hasattr("__index__")?
        && let Ok(i) = py.import("operator")?.call_method1("index", (obj,))
    {
        return int_value(&i);
    }
    problems.push(Problem::new(
        Code::InvalidType,
        path.clone(),
        format!(
            "a value of Python type `{}` has no JSON form: use a dict, list, str, int, float, bool, None, Decimal, date or datetime",
            type_name(obj)
        ),
    ));
    Ok(Value::Null)
}

fn map_value<'py>(
    pairs: impl Iterator<Item = (Bound<'py, PyAny>, Bound<'py, PyAny>)>,
    path: &mut String,
    depth: usize,
    problems: &mut Vec<Problem>,
) -> PyResult<Value> {
    let mut map = Map::new();
    for (key, value) in pairs {
        let Ok(key) = key.cast::<PyString>().map(|k| k.to_string()) else {
            problems.push(Problem::new(
                Code::InvalidType,
                path.clone(),
                format!(
                    "a key of Python type `{}`: keys of a document are strings",
                    type_name(&key)
                ),
            ));
            continue;
        };
        let len = path.len();
        push_key(path, &key);
        let v = walk(&value, path, depth + 1, problems)?;
        path.truncate(len);
        map.insert(key, v);
    }
    Ok(Value::Object(map))
}

/// An `int` as a JSON integer; beyond 64 bits as its digits, which the core reads as money (and
/// rejects as too large) or as a wrong type.
pub(crate) fn int_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if let Ok(i) = obj.extract::<i64>() {
        return Ok(Value::Number(i.into()));
    }
    if let Ok(u) = obj.extract::<u64>() {
        return Ok(Value::Number(u.into()));
    }
    Ok(Value::String(obj.str()?.to_string()))
}

/// 2^53: below it a float holds every integer exactly.
const EXACT_FLOAT: f64 = 9_007_199_254_740_992.0;

pub(crate) fn float_value(f: f64) -> Value {
    if f.is_finite() && f.fract() == 0.0 && f.abs() <= EXACT_FLOAT {
        // A whole number below 2^53 converts exactly.
        #[allow(clippy::cast_possible_truncation)]
        return Value::Number((f as i64).into());
    }
    match Number::from_f64(f) {
        Some(n) => Value::Number(n),
        // NaN and infinities have no JSON form: the core reports the text where it expects a value.
        None => Value::String(f.to_string()),
    }
}

fn decimal_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let finite: bool = obj.call_method0("is_finite")?.extract()?;
    if finite {
        let integral = obj.call_method0("to_integral_value")?;
        if obj.eq(&integral)? {
            let as_int = obj.py().import("builtins")?.getattr("int")?.call1((obj,))?;
            return int_value(&as_int);
        }
    }
    // `format(d, "f")` never uses an exponent: `Decimal("25E-1")` is `2.5`.
    let text: String = obj
        .py()
        .import("builtins")?
        .getattr("format")?
        .call1((obj, "f"))?
        .extract()?;
    Ok(Value::String(text))
}

/// Reads a document argument: JSON text (`str` or `bytes`) or a Python document (dict, list).
pub enum Document {
    /// JSON text, parsed by the core (which checks size and depth first).
    Text(String),
    /// An already converted value.
    Value(Value),
}

/// Why a Python `str` has no UTF-8 form (`"T\udcffJ"`, as `surrogateescape` decoding leaves it).
const LONE_SURROGATE: &str =
    "has a lone surrogate (a code point U+D800 to U+DFFF), which has no UTF-8 form";

/// A Python string's text, or an `invalid_value` error naming `argument` when it has no UTF-8
/// form (a lone surrogate), rather than the `UnicodeEncodeError` the encoding raises.
///
/// # Errors
/// As said.
pub(crate) fn str_text<'a>(
    s: &'a Bound<'_, PyString>,
    argument: &str,
) -> Result<std::borrow::Cow<'a, str>, Error> {
    s.to_cow().map_err(|_| {
        Error::argument(
            "invalid_value",
            argument,
            format!("a string that {LONE_SURROGATE}"),
        )
    })
}

/// The text of UTF-8 bytes, or an `invalid_json` error saying that `what` ("the document", "the
/// file") is not UTF-8 and where its first bad byte is.
///
/// # Errors
/// As said.
pub(crate) fn utf8(bytes: Vec<u8>, what: &str) -> Result<String, DatasetError> {
    String::from_utf8(bytes).map_err(|e| {
        DatasetError::new(vec![Problem::new(
            Code::InvalidJson,
            "",
            format!(
                "the {what} is not valid UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )])
    })
}

/// Reads a document argument named `argument`.
///
/// # Errors
/// As [`to_value`]; a `TypeError` for anything but text, bytes, a dict or a list.
pub fn document(obj: &Bound<'_, PyAny>, argument: &str) -> Result<Document, Error> {
    if let Ok(s) = obj.cast::<PyString>() {
        return match s.to_cow() {
            Ok(text) => Ok(Document::Text(text.into_owned())),
            Err(_) => Err(DatasetError::new(vec![Problem::new(
                Code::InvalidJson,
                "",
                format!("the document text {LONE_SURROGATE}"),
            )])
            .into()),
        };
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Document::Text(utf8(b.as_bytes().to_vec(), "document")?));
    }
    if obj.is_instance_of::<PyDict>()
        || obj.is_instance_of::<PyList>()
        || obj.cast::<PyMapping>().is_ok()
    {
        return Ok(Document::Value(to_value(obj, "")?));
    }
    Err(Error::Type(format!(
        "`{argument}` must be JSON text (str or bytes) or a dict, not {}",
        type_name(obj)
    )))
}

// ---- dates ------------------------------------------------------------------------------------

/// The calendar day of a `datetime.date`.
fn naive_date(obj: &Bound<'_, PyAny>) -> PyResult<Option<NaiveDate>> {
    let y: i32 = obj.getattr("year")?.extract()?;
    let m: u32 = obj.getattr("month")?.extract()?;
    let d: u32 = obj.getattr("day")?.extract()?;
    Ok(NaiveDate::from_ymd_opt(y, m, d))
}

/// The day a date argument names. `datetime.date`; an aware `datetime.datetime` (its own calendar
/// day); an ISO day (`2020-09-04`) or an RFC 3339 instant (`2020-09-04T13:30:00+02:00`).
fn day_of(obj: &Bound<'_, PyAny>, argument: &str) -> Result<Option<NaiveDate>, Error> {
    let py = obj.py();
    if obj.is_instance(datetime_type(py)?)? {
        let (text, aware) = datetime_text(obj)?;
        if !aware {
            return Err(Error::argument(
                "naive_datetime",
                argument,
                format!(
                    "naive datetime `{text}` for `{argument}`: give it a time zone (`datetime(..., tzinfo=ZoneInfo(\"Europe/Brussels\"))`) or pass a `date`"
                ),
            ));
        }
        return Ok(Some(naive_date(&obj.call_method0("date")?)?.ok_or_else(
            || Error::argument("invalid_date", argument, format!("invalid date `{text}`")),
        )?));
    }
    if obj.is_instance(date_type(py)?)? {
        let text: String = obj.call_method0("isoformat")?.extract()?;
        return Ok(Some(naive_date(obj)?.ok_or_else(|| {
            Error::argument("invalid_date", argument, format!("invalid date `{text}`"))
        })?));
    }
    Ok(None)
}

/// A day argument (`as_of`): `None` is today in UTC.
///
/// # Errors
/// `invalid_date` for text that is not a day (`2020` is a year, not a day), `naive_datetime` for a
/// date-time without a zone, `invalid_instant`/`unknown_time_zone` for a bad instant, `TypeError`
/// for other types.
pub fn day(obj: Option<&Bound<'_, PyAny>>, argument: &str) -> Result<NaiveDate, Error> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Utc::now().date_naive());
    };
    if let Some(d) = day_of(obj, argument)? {
        return Ok(d);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        let text = str_text(s, argument)?;
        if text.contains('T') {
            return Instant::parse(&text)
                .map(|i| i.local_date())
                .map_err(|e| Error::argument(e.code(), argument, e.to_string()));
        }
        let date = Date::parse(&text)
            .map_err(|e| Error::argument("invalid_date", argument, e.to_string()))?;
        if !date.is_exact_day() {
            return Err(Error::argument(
                "invalid_date",
                argument,
                format!(
                    "`{text}` is not a single day: `{argument}` needs a day such as `2020-09-04`"
                ),
            ));
        }
        return Ok(date.earliest());
    }
    Err(Error::Type(format!(
        "`{argument}` must be a datetime.date, an aware datetime.datetime or an ISO 8601 string, not {}",
        type_name(obj)
    )))
}

/// A partial-date argument (EDTF text such as `2008`, `2008-06`, `[2018,2019]`, or a day).
///
/// # Errors
/// As [`day`], without the default.
pub fn edtf(obj: &Bound<'_, PyAny>, argument: &str) -> Result<Date, Error> {
    if let Some(d) = day_of(obj, argument)? {
        return Date::from_naive(d)
            .map_err(|e| Error::argument("invalid_date", argument, e.to_string()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Date::parse(&str_text(s, argument)?)
            .map_err(|e| Error::argument("invalid_date", argument, e.to_string()));
    }
    Err(Error::Type(format!(
        "`{argument}` must be EDTF text (`2008`, `2008-06`, `2008-06-15`), a datetime.date or an aware datetime.datetime, not {}",
        type_name(obj)
    )))
}

/// An optional partial-date argument.
///
/// # Errors
/// As [`edtf`].
pub fn optional_edtf(
    obj: Option<&Bound<'_, PyAny>>,
    argument: &str,
) -> Result<Option<Date>, Error> {
    match obj.filter(|o| !o.is_none()) {
        None => Ok(None),
        Some(o) => edtf(o, argument).map(Some),
    }
}

/// A `datetime.date`.
///
/// # Errors
/// When Python cannot make the date.
pub fn py_date<'py>(py: Python<'py>, d: NaiveDate) -> PyResult<Bound<'py, PyAny>> {
    use chrono::Datelike;
    date_type(py)?.call1((d.year(), d.month(), d.day()))
}

// ---- results ----------------------------------------------------------------------------------

/// A result as Python data (dicts, lists, str, int, float, bool, None) in its JSON shape.
///
/// # Errors
/// Only for values serde cannot represent (never for euca's types).
pub fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> Result<Bound<'py, PyAny>, Error> {
    Ok(pythonize::pythonize(py, value)?)
}

/// A table: `euca.records.Records` over the rows' dicts.
///
/// # Errors
/// As [`to_py`].
pub fn records<'py, T: Serialize>(py: Python<'py>, rows: &[T]) -> Result<Bound<'py, PyAny>, Error> {
    let list = to_py(py, rows)?;
    Ok(RECORDS
        .import(py, "euca.records", "Records")?
        .call1((list,))?)
}

/// Calls a helper of the pure-Python part of the package (`euca._frames.rows`, ...).
///
/// # Errors
/// Whatever the helper raises.
pub fn helper<'py>(py: Python<'py>, module: &str, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import(module)?.getattr(name)
}
