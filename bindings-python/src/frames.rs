//! Applications from the columns of a DataFrame (`euca._frames.columns`): each row's cells are
//! placed at their dotted paths (`applicant.country`) in one JSON object, which is then read as an
//! application. A missing cell leaves its field out; a column that nests under another column's
//! value is an `invalid_value` error naming the column. The rules are those of
//! `euca._frames.rows`, which builds the same applications as dicts in Python. Rows are read
//! cell by cell into the application by the field readers of `crate::direct` where they can be
//! (a cell of a NumPy or Arrow column straight from its buffer, without a Python object, lists
//! and structs of Arrow columns included: [`Given::Items`](crate::direct::Given), `Row`); the
//! JSON object is built only for a row those do not read, to name its problems.
//!
//! A polars frame or pyarrow table of such columns (or a pandas frame of Arrow columns, as the
//! table of them) is first read through its Arrow C stream (`crate::arrow`), straight into
//! [`Plain`] cells; what that does not read comes here.
//!
//! A column of Python values of one shape (such as lists of dicts with the same keys, as
//! `pd.json_normalize` leaves `co_applicants`) is copied into [`Plain`] cells too
//! (`crate::objects`), as an Arrow column of lists and structs would be.
//!
//! A frame whose every column is read without a Python object ([`Plain`] cells, copied out of
//! the buffers) is read and evaluated in parts on all cores without the GIL
//! (`euca::Call::evaluate_each`), and the batch keeps its cells ([`Frame`]) rather than its
//! applications. In a frame with columns of Python values beside plain ones (none nesting under
//! another), each row's Python values are read on the calling thread ([`python_cells`]) while
//! another reads its plain cells ([`plain_cells`]) and evaluates it. Any other frame, or one
//! with a row either way does not read field by field, is read on the calling thread, each part
//! evaluated on another while the next is read.

use euca::{Application, Code, DatasetError, Problem};
use pyo3::exceptions::PyIndexError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::call::Gathered;
use crate::convert;
use crate::direct::{Given, Target, set};
use crate::errors::Error;
use crate::read::PyDeserializer;

/// One column: its path and its cells.
struct Column<'py> {
    name: String,
    path: Vec<String>,
    /// The field the path names, when the field readers place it.
    target: Option<Target>,
    cells: Cells<'py>,
    missing: Missing<'py>,
    py: Python<'py>,
}

/// Which cells of a column of Python values are missing, beyond `None` and NaN.
enum Missing<'py> {
    /// None.
    Never,
    /// Those flagged by pandas or polars.
    Flagged(Bound<'py, PyList>),
    /// Not computed (`euca._frames.UNCHECKED`, a pandas column of Python objects): a cell that is
    /// not a dict, list, str, int or bool is missing when `euca._frames.missing_cell` says so.
    Unchecked(Bound<'py, PyAny>),
}

impl<'py> Missing<'py> {
    fn read(handed: Option<Bound<'py, PyAny>>) -> Result<Missing<'py>, Error> {
        let Some(handed) = handed else {
            return Ok(Missing::Never);
        };
        if let Ok(flags) = handed.cast::<PyList>() {
            return Ok(Missing::Flagged(flags.clone()));
        }
        let py = handed.py();
        Ok(Missing::Unchecked(convert::helper(
            py,
            "euca._frames",
            "missing_cell",
        )?))
    }
}

/// A dict, list, str, int or bool (exactly: a subclass may be anything), which pandas' `isna`
/// never flags.
fn plain(cell: &Bound<'_, PyAny>) -> bool {
    cell.is_exact_instance_of::<PyDict>()
        || cell.is_exact_instance_of::<PyList>()
        || cell.is_exact_instance_of::<PyString>()
        || cell.is_exact_instance_of::<PyInt>()
        || cell.is_exact_instance_of::<PyBool>()
}

/// A column's cells: a list of Python values, or cells read without a Python object each.
pub(crate) enum Cells<'py> {
    List(Bound<'py, PyList>),
    /// The values of a NumPy array of booleans or integers without a missing cell
    /// (`euca._frames._typed`), or of an Arrow string column without one.
    Plain(Plain),
    /// An Arrow column of lists or structs without a null at any level (`euca._frames._nested`):
    /// its cells (`Lists` or `Fields`), and the Arrow array, which makes a row's Python value for
    /// a row that is read from Python objects.
    Arrow {
        cells: Plain,
        array: Bound<'py, PyAny>,
    },
    /// A column of Python values of one shape (`crate::objects`): its cells copied, and the list,
    /// from which a row that is read from Python objects takes its value.
    Objects {
        cells: Plain,
        list: Bound<'py, PyList>,
    },
}

/// Cells copied out of their NumPy or Arrow buffers, which any thread can read without the GIL.
pub(crate) enum Plain {
    Bools(Vec<bool>),
    Ints(Vec<i64>),
    /// Strings: row `i` is `text[starts[i]..starts[i + 1]]`.
    Strs {
        starts: Vec<usize>,
        text: String,
    },
    /// Lists: row `i` is the items `starts[i]..starts[i + 1]` of `items`.
    Lists {
        starts: Vec<usize>,
        items: Box<Plain>,
    },
    /// Structs: each field's name and cells, row `i` of a struct being row `i` of each.
    Fields(Vec<(String, Plain)>),
}

impl<'py> Cells<'py> {
    /// The cells handed over for a column of `rows` rows: a list, `(kind, bytes)`, `("str",
    /// offsets, text)` or `("arrow", nested, array)`.
    fn read(handed: &Bound<'py, PyAny>, name: &str, rows: usize) -> Result<Cells<'py>, Error> {
        if let Ok(list) = handed.cast::<PyList>() {
            return Ok(Cells::List(list.clone()));
        }
        if let Ok((kind, nested, array)) =
            handed.extract::<(String, Bound<'py, PyAny>, Bound<'py, PyAny>)>()
            && kind == "arrow"
        {
            return Ok(Cells::Arrow {
                cells: Plain::nested(&nested, name, rows)?,
                array,
            });
        }
        Plain::read(handed, name, rows).map(Cells::Plain)
    }

    /// Item `k` of cells read without Python objects, as a value for the field readers; `None`
    /// for a list of Python values (or past the end, which `read` rules out).
    pub(crate) fn given(&self, k: usize) -> Option<Given<'_, 'py>> {
        match self {
            Cells::Plain(cells) | Cells::Arrow { cells, .. } | Cells::Objects { cells, .. } => {
                cells.given(k)
            }
            Cells::List(_) => None,
        }
    }

    /// The cells, when they are read without a Python object.
    fn plain(&self) -> Option<&Plain> {
        match self {
            Cells::Plain(cells) | Cells::Arrow { cells, .. } | Cells::Objects { cells, .. } => {
                Some(cells)
            }
            Cells::List(_) => None,
        }
    }
}

impl Plain {
    /// The cells handed over as `(kind, bytes)` or `("str", offsets, text)` for a column of
    /// `rows` rows.
    fn read(handed: &Bound<'_, PyAny>, name: &str, rows: usize) -> Result<Plain, Error> {
        if let Ok((kind, offsets, text)) =
            handed.extract::<(String, Bound<'_, PyBytes>, Bound<'_, PyBytes>)>()
        {
            if kind == "str"
                && let Some(cells) = Plain::strings(offsets.as_bytes(), text.as_bytes(), rows)
            {
                return Ok(cells);
            }
            return Err(handed_wrongly(
                name,
                &format!("`{kind}` offsets and text"),
                rows,
            ));
        }
        let (kind, bytes): (String, Bound<'_, PyBytes>) = handed.extract()?;
        let bytes = bytes.as_bytes();
        let cells = match kind.as_str() {
            "bool" if bytes.len() == rows => Plain::Bools(bytes.iter().map(|b| *b != 0).collect()),
            "int64" if Some(bytes.len()) == rows.checked_mul(8) => Plain::Ints(
                bytes
                    .chunks_exact(8)
                    .map(|chunk| {
                        let mut word = [0u8; 8];
                        word.copy_from_slice(chunk);
                        i64::from_ne_bytes(word)
                    })
                    .collect(),
            ),
            _ => {
                let what = format!("{} bytes of `{kind}`", bytes.len());
                return Err(handed_wrongly(name, &what, rows));
            }
        };
        Ok(cells)
    }

    /// The cells of `rows` lists or structs: `("list", offsets, items)`, the `rows + 1` offsets
    /// (native `i64`) of each list's first item, or `("fields", [(name, cells), ...])`, each
    /// field's cells of the `rows` structs; items and fields are booleans, integers, strings or
    /// nested again.
    fn nested(handed: &Bound<'_, PyAny>, name: &str, rows: usize) -> Result<Plain, Error> {
        let kind: String = handed.get_item(0)?.extract()?;
        // Items or fields: nested again, or plain cells (never Python values).
        let inner = |handed: &Bound<'_, PyAny>, rows: usize, what: &str| {
            if handed.cast::<PyList>().is_ok() {
                return Err(handed_wrongly(name, what, rows));
            }
            match handed.get_item(0)?.extract::<String>()?.as_str() {
                "list" | "fields" => Plain::nested(handed, name, rows),
                _ => Plain::read(handed, name, rows),
            }
        };
        match kind.as_str() {
            "list" => {
                let (_, offsets, items): (String, Bound<'_, PyBytes>, Bound<'_, PyAny>) =
                    handed.extract()?;
                let starts = offsets_of(offsets.as_bytes(), rows)
                    .filter(|starts| starts.first() == Some(&0))
                    .ok_or_else(|| handed_wrongly(name, "lists with offsets out of order", rows))?;
                let count = starts.last().copied().unwrap_or(0);
                let items = inner(&items, count, "lists of Python values")?;
                Ok(Plain::Lists {
                    starts,
                    items: Box::new(items),
                })
            }
            "fields" => {
                let (_, fields): (String, Vec<(String, Bound<'_, PyAny>)>) = handed.extract()?;
                let fields = fields
                    .into_iter()
                    .map(|(field, handed)| {
                        Ok((field, inner(&handed, rows, "structs of Python values")?))
                    })
                    .collect::<Result<Vec<_>, Error>>()?;
                Ok(Plain::Fields(fields))
            }
            _ => Err(handed_wrongly(name, &format!("`{kind}`"), rows)),
        }
    }

    /// Item `k`, as a value for the field readers (`None` past the end, which `read` rules
    /// out).
    #[inline]
    pub(crate) fn given<'py>(&self, k: usize) -> Option<Given<'_, 'py>> {
        match self {
            Plain::Bools(values) => values.get(k).map(|b| Given::Bool(*b)),
            Plain::Ints(values) => values.get(k).map(|n| Given::Int(*n)),
            Plain::Strs { starts, text } => text
                .get(*starts.get(k)?..*starts.get(k + 1)?)
                .map(Given::Str),
            Plain::Lists { starts, items } => {
                let start = starts.get(k).copied()?;
                let end = starts.get(k + 1).copied()?;
                Some(Given::Items(items, start, end))
            }
            Plain::Fields(fields) => Some(Given::Row(fields, k)),
        }
    }

    /// The cells of an Arrow string column: `rows + 1` offsets (native `i64`) into `text`, which
    /// only ever grow, within the text, each value UTF-8. `None` otherwise.
    fn strings(offsets: &[u8], text: &[u8], rows: usize) -> Option<Plain> {
        let starts = offsets_of(offsets, rows)?;
        // Checked once, whole, and copied: each cell is then a slice at char boundaries, taken
        // without checking its UTF-8 again.
        let text = std::str::from_utf8(text).ok()?.to_owned();
        let within = starts.iter().all(|start| text.is_char_boundary(*start));
        within.then_some(Plain::Strs { starts, text })
    }
}

/// `rows + 1` offsets (native `i64`), none negative, none smaller than the one before.
fn offsets_of(offsets: &[u8], rows: usize) -> Option<Vec<usize>> {
    if Some(offsets.len()) != rows.checked_add(1)?.checked_mul(8) {
        return None;
    }
    let starts: Vec<usize> = offsets
        .chunks_exact(8)
        .map(|chunk| {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            usize::try_from(i64::from_ne_bytes(word)).ok()
        })
        .collect::<Option<_>>()?;
    starts
        .windows(2)
        .all(|pair| matches!(pair, [a, b] if a <= b))
        .then_some(starts)
}

/// Row `i` of an Arrow string column (checked by `Cells::strings`).
fn text_cell<'a>(starts: &[usize], text: &'a str, i: usize) -> PyResult<&'a str> {
    let start = cell(starts, i)?;
    let end = cell(starts, i + 1)?;
    text.get(start..end)
        .ok_or_else(|| PyIndexError::new_err(format!("row {i} of a column of text")))
}

/// The error for a column that `euca._frames.columns` did not hand over as it says.
fn handed_wrongly(name: &str, what: &str, rows: usize) -> Error {
    let message = format!("column `{name}` was handed over as {what} for {rows} rows");
    DatasetError::new(vec![Problem::new(Code::InvalidValue, name, message)]).into()
}

/// The error for a row where `column` and a column it nests under (`outer`, a prefix of its path)
/// both have a value: one would replace or be merged into the other.
fn nests_under_a_value(column: &str, outer: &str) -> Error {
    let message =
        format!("column `{column}` nests under `{outer}`, which another column sets to a value");
    DatasetError::new(vec![Problem::new(Code::InvalidValue, column, message)]).into()
}

/// The error for a column name given twice (as pandas and pyarrow allow, or two labels such as
/// `1` and `"1"` that read as one name): one cell would replace the other in each row.
fn named_twice(column: &str) -> Error {
    let message = format!(
        "column `{column}` appears more than once: each row's values of one would replace the other's"
    );
    DatasetError::new(vec![Problem::new(Code::InvalidValue, column, message)]).into()
}

/// Places `value` at `path` in `root`.
fn place(root: &mut Map<String, Value>, column: &Column<'_>, value: Value) -> Result<(), Error> {
    let Some((leaf, parents)) = column.path.split_last() else {
        return Ok(());
    };
    let mut node = root;
    for part in parents {
        let child = node
            .entry(part.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        match child {
            Value::Object(map) => node = map,
            _ => return Err(nests_under_a_value(&column.name, part)),
        }
    }
    if matches!(node.get(leaf), Some(Value::Object(_))) {
        // Another column nests under this one's value.
        return Err(nests_under_a_value(&column.name, leaf));
    }
    node.insert(leaf.clone(), value);
    Ok(())
}

/// The cell of `column` in row `i`, unless it is missing (flagged, `None` or NaN): a missing cell
/// leaves its field out. A boolean or an integer of a NumPy column becomes the Python value
/// `tolist()` would give.
fn present<'py>(column: &Column<'py>, i: usize) -> PyResult<Option<Bound<'py, PyAny>>> {
    let list = match &column.cells {
        Cells::List(list) => list,
        // Every cell a plain value (`crate::objects`), none missing.
        Cells::Objects { list, .. } => return list.get_item(i).map(Some),
        Cells::Plain(Plain::Bools(values)) => {
            let value = PyBool::new(column.py, cell(values, i)?);
            return Ok(Some(value.to_owned().into_any()));
        }
        Cells::Plain(Plain::Ints(values)) => {
            return Ok(Some(cell(values, i)?.into_pyobject(column.py)?.into_any()));
        }
        Cells::Plain(Plain::Strs { starts, text }) => {
            let value = text_cell(starts, text, i)?;
            return Ok(Some(PyString::new(column.py, value).into_any()));
        }
        Cells::Arrow { array, .. } => {
            let value = array.get_item(i)?.call_method0("as_py")?;
            return Ok((!value.is_none()).then_some(value));
        }
        Cells::Plain(Plain::Lists { .. } | Plain::Fields(_)) => {
            return Err(PyIndexError::new_err(format!(
                "column `{}` holds nested cells outside an Arrow array",
                column.name
            )));
        }
    };
    if let Missing::Flagged(flags) = &column.missing
        && flags.get_item(i)?.is_truthy()?
    {
        return Ok(None);
    }
    let cell = list.get_item(i)?;
    if cell.is_none() || cell.cast::<PyFloat>().is_ok_and(|f| f.value().is_nan()) {
        return Ok(None);
    }
    if let Missing::Unchecked(missing_cell) = &column.missing
        && !plain(&cell)
        && missing_cell.call1((&cell,))?.is_truthy()?
    {
        return Ok(None);
    }
    Ok(Some(cell))
}

/// Row `i` of a NumPy column (as long as the rows: `Cells::read` checks).
fn cell<T: Copy>(values: &[T], i: usize) -> PyResult<T> {
    values
        .get(i)
        .copied()
        .ok_or_else(|| PyIndexError::new_err(format!("row {i} of a column of {}", values.len())))
}

/// Reads row `i` cell by cell by `crate::direct` straight into a new last element of `apps`, or
/// leaves `apps` as it was and returns false when the row must be read the other way.
fn push_direct_row(
    columns: &[Column<'_>],
    i: usize,
    apps: &mut Vec<Application>,
) -> PyResult<bool> {
    apps.push(Application::default());
    let read = match apps.last_mut() {
        Some(app) => fill_row(columns, i, app).map(|filled| filled && app.within_limits()),
        None => Ok(false),
    };
    if !matches!(read, Ok(true)) {
        apps.pop();
    }
    read
}

/// Places the cells of row `i` in `app`: false at a cell `crate::direct` does not read.
fn fill_row(columns: &[Column<'_>], i: usize, app: &mut Application) -> PyResult<bool> {
    for column in columns {
        let read = match &column.cells {
            Cells::List(_) => match present(column, i)? {
                Some(value) => placed(app, column.target, Given::Py(&value)),
                None => Ok(()),
            },
            cells => match cells.given(i) {
                Some(value) => placed(app, column.target, value),
                None => return Ok(false),
            },
        };
        if read.is_err() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Places `value` at `target` in `app` (as `crate::direct::set`); `Err` for a column whose path
/// the field readers do not place.
fn placed(
    app: &mut Application,
    target: Option<Target>,
    value: Given<'_, '_>,
) -> Result<(), crate::direct::Other> {
    set(app, target.ok_or(crate::direct::Other)?, value)
}

/// The application of row `i` of plain cells, each column `(target, cells)`, read by the field
/// readers of `crate::direct` without the GIL: `None` at a cell they do not read, or when the
/// application is over the limits (the row is then read the way that names its problems).
/// (Never inlined: `scripts/instructions` counts the instructions spent in it.)
#[inline(never)]
pub(crate) fn plain_row<'a>(
    columns: impl IntoIterator<Item = (Option<Target>, &'a Plain)>,
    i: usize,
) -> Option<Application> {
    let mut app = Application::default();
    plain_cells(columns, i, &mut app).then_some(app)
}

/// Places the plain cells of row `i` in `app` (as [`plain_row`]), which holds the row's other
/// cells (none of them nesting under these, or these under them): false at a cell the field
/// readers do not read, or when the application is then over the limits.
pub(crate) fn plain_cells<'a>(
    columns: impl IntoIterator<Item = (Option<Target>, &'a Plain)>,
    i: usize,
    app: &mut Application,
) -> bool {
    for (target, cells) in columns {
        let Some(value) = cells.given(i) else {
            return false;
        };
        if placed(app, target, value).is_err() {
            return false;
        }
    }
    app.within_limits()
}

/// Reads the cells of the columns of Python values (see [`Prepared::split`]) of each row into a
/// new application, handing them on to `sink` in parts of `part` to be completed with the row's
/// plain cells ([`plain_cells`]) on another thread. `Ok(false)` at
/// the first row where one of these cells does not read field by field (the frame is then read
/// the way that names its problems), or when `sink` says to stop.
pub(crate) fn python_cells(
    prepared: &Prepared<'_>,
    part: usize,
    sink: &mut dyn FnMut(Vec<Application>) -> bool,
) -> Result<bool, Error> {
    let rows = prepared.rows;
    let mut apps = Vec::with_capacity(part.min(rows));
    for i in 0..rows {
        if apps.len() == part && !sink(std::mem::replace(&mut apps, Vec::with_capacity(part))) {
            return Ok(false);
        }
        let mut app = Application::default();
        for column in &prepared.columns {
            if !matches!(column.cells, Cells::List(_)) {
                continue;
            }
            if let Some(value) = present(column, i)?
                && placed(&mut app, column.target, Given::Py(&value)).is_err()
            {
                return Ok(false);
            }
        }
        apps.push(app);
    }
    Ok(apps.is_empty() || sink(apps))
}

/// The columns of a frame whose every cell is read without a Python object, copied out of the
/// frame's buffers: what a batch evaluated from them keeps, to read row `i` again for
/// `decision(i)` (a few bytes a cell, where the applications take hundreds).
pub(crate) struct Frame {
    columns: Vec<(Option<Target>, Plain)>,
    rows: usize,
}

impl Frame {
    /// A frame of `rows` rows from each column's field and plain cells (each of `rows` cells).
    pub(crate) fn new(columns: Vec<(Option<Target>, Plain)>, rows: usize) -> Frame {
        Frame { columns, rows }
    }

    /// The number of rows.
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    /// Each column's field and cells, as [`Coded::new`] reads them.
    pub(crate) fn plain(&self) -> Vec<(Option<Target>, &Plain)> {
        self.columns
            .iter()
            .map(|(target, cells)| (*target, cells))
            .collect()
    }

    /// The application of row `i` (`None` past the end).
    pub(crate) fn application(&self, i: usize) -> Option<Application> {
        if i >= self.rows {
            return None;
        }
        plain_row(
            self.columns.iter().map(|(target, cells)| (*target, cells)),
            i,
        )
    }

    /// Every row's application, in order (for a pickle).
    pub(crate) fn applications(&self) -> Option<Vec<Application>> {
        (0..self.rows).map(|i| self.application(i)).collect()
    }
}

/// What `euca._frames.columns` returns: names, cells and missing flags per column, and the rows.
type Handed<'py> = (
    Vec<String>,
    Vec<Bound<'py, PyAny>>,
    Vec<Option<Bound<'py, PyAny>>>,
    usize,
);

/// The columns of a frame as `euca._frames.columns` hands them over, ready to be read.
pub(crate) struct Prepared<'py> {
    columns: Vec<Column<'py>>,
    /// The pairs (inner, outer) of columns where `inner` nests under `outer` (`action.country`
    /// under `action`): a row where both have a value is an error, whichever comes first.
    nesting: Vec<(usize, usize)>,
    pub(crate) rows: usize,
}

impl<'py> Prepared<'py> {
    /// The columns handed over by `euca._frames.columns`.
    ///
    /// # Errors
    /// A column name given twice, a batch over the limit, or cells not handed over as said.
    pub(crate) fn new(columns: &Bound<'py, PyAny>) -> Result<Prepared<'py>, Error> {
        let (names, cells, missing, rows): Handed<'py> = columns.extract()?;
        euca::limits::check_batch(rows)?;
        let mut seen = std::collections::HashSet::new();
        if let Some(name) = names.iter().find(|name| !seen.insert(name.as_str())) {
            return Err(named_twice(name));
        }
        let py = columns.py();
        let mut columns = names
            .into_iter()
            .zip(cells)
            .zip(missing)
            .map(|((name, cells), missing)| {
                let path: Vec<String> = name.split('.').map(str::to_string).collect();
                Ok(Column {
                    target: Target::of(&path),
                    path,
                    cells: Cells::read(&cells, &name, rows)?,
                    name,
                    missing: Missing::read(missing)?,
                    py,
                })
            })
            .collect::<Result<Vec<Column<'_>>, Error>>()?;
        let nesting: Vec<(usize, usize)> = columns
            .iter()
            .enumerate()
            .flat_map(|(i, inner)| {
                columns.iter().enumerate().filter_map(move |(o, outer)| {
                    (inner.path.len() > outer.path.len() && inner.path.starts_with(&outer.path))
                        .then_some((i, o))
                })
            })
            .collect();
        // Unless a column nests under another (whose rows are read one at a time whatever the
        // cells), a column of Python values of one shape, none flagged missing, is copied as an
        // Arrow column would be (`crate::objects`): the frame may then be read without the GIL.
        if nesting.is_empty() {
            for column in &mut columns {
                if let Cells::List(list) = &column.cells
                    && !matches!(column.missing, Missing::Flagged(_))
                    && let Some(copied) = crate::objects::cells(list, rows)
                {
                    column.cells = Cells::Objects {
                        cells: copied,
                        list: list.clone(),
                    };
                    column.missing = Missing::Never;
                }
            }
        }
        Ok(Prepared {
            columns,
            nesting,
            rows,
        })
    }

    /// Each column's field (see [`Target`]) and plain cells, when every row can be read without
    /// the GIL: no column of Python values (but those copied as plain cells) and none nesting
    /// under another.
    pub(crate) fn plain(&self) -> Option<Vec<(Option<Target>, &Plain)>> {
        if !self.nesting.is_empty() {
            return None;
        }
        self.columns
            .iter()
            .map(|column| Some((column.target, column.cells.plain()?)))
            .collect()
    }

    /// The columns of Python values copied as plain cells (`crate::objects`) read as Python
    /// values again: for a frame whose plain cells did not all read
    /// (`euca::Call::evaluate_columns` gave up), as a copied column of values the field readers
    /// read only as Python objects (a budget's lines, a track record) makes it, so that its rows
    /// are read in two halves ([`Prepared::split`]) as before.
    pub(crate) fn uncopy(&mut self) {
        for column in &mut self.columns {
            if let Cells::Objects { list, .. } = &column.cells {
                column.cells = Cells::List(list.clone());
            }
        }
    }

    /// The names (dotted paths) of the columns, in order.
    pub(crate) fn names(&self) -> Vec<String> {
        self.columns
            .iter()
            .map(|column| column.name.clone())
            .collect()
    }

    /// The field and cells of each plain column, when the frame also has columns of Python values
    /// and none nests under another: each row can then be read in two halves, on two threads
    /// ([`python_cells`] with the GIL, [`plain_cells`] without).
    pub(crate) fn split(&self) -> Option<Vec<(Option<Target>, &Plain)>> {
        if !self.nesting.is_empty() {
            return None;
        }
        let plain: Vec<(Option<Target>, &Plain)> = self
            .columns
            .iter()
            .filter_map(|column| Some((column.target, column.cells.plain()?)))
            .collect();
        (!plain.is_empty() && plain.len() < self.columns.len()).then_some(plain)
    }

    /// The plain cells of every column (as [`Prepared::plain`]; `None` otherwise), the Python
    /// objects dropped.
    pub(crate) fn into_frame(self) -> Option<Frame> {
        let columns = self
            .columns
            .into_iter()
            .map(|column| match column.cells {
                Cells::Plain(cells) | Cells::Arrow { cells, .. } | Cells::Objects { cells, .. } => {
                    Some((column.target, cells))
                }
                Cells::List(_) => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Frame {
            columns,
            rows: self.rows,
        })
    }
}

/// Reads the applications of a frame's columns on this thread, handing them on to `sink` in
/// parts of `part` as they are read, so that a part is evaluated while the next is read. Once a
/// row does not read, nothing more is handed on: the reading goes on only to name every problem.
///
/// # Errors
/// Every problem of every row (paths `[i].field`); or, at the first
/// row where a column and a column it nests under both have a value, that column
/// (`invalid_value`).
pub(crate) fn applications(
    prepared: &Prepared<'_>,
    part: usize,
    sink: &mut dyn FnMut(Vec<Application>),
) -> Result<(), Error> {
    let Prepared {
        columns,
        nesting,
        rows,
    } = prepared;
    let rows = *rows;
    // Each row is read by the field readers of `crate::direct`, cell by cell, unless a column
    // nests under another; a row they do not read is built as a JSON object and read the way
    // that names its problems.
    let field_by_field = nesting.is_empty();
    let mut gathered = Gathered::with_capacity(part.min(rows));
    for i in 0..rows {
        if gathered.apps.len() == part {
            if gathered.is_clean() {
                sink(std::mem::replace(
                    &mut gathered.apps,
                    Vec::with_capacity(part),
                ));
            } else {
                // The batch will not be evaluated: keep no more applications.
                gathered.apps.clear();
            }
        }
        if field_by_field && push_direct_row(columns, i, &mut gathered.apps)? {
            continue;
        }
        let cells = columns
            .iter()
            .map(|column| present(column, i))
            .collect::<PyResult<Vec<_>>>()?;
        let has_value = |c: usize| cells.get(c).is_some_and(Option::is_some);
        if let Some((inner, outer)) = nesting
            .iter()
            .find(|(inner, outer)| has_value(*inner) && has_value(*outer))
        {
            let name = |c: usize| columns.get(c).map_or("", |column| column.name.as_str());
            return Err(nests_under_a_value(name(*inner), name(*outer)));
        }
        let mut root = Map::new();
        for (column, cell) in columns.iter().zip(cells) {
            let Some(cell) = cell else {
                continue;
            };
            // The cell is as many containers below the row's root as its path has parts: its
            // depth is counted from the root, as a dict's would be.
            let depth = column.path.len();
            let value = match Value::deserialize(PyDeserializer::at(&cell, depth)) {
                Ok(v) => Some(v),
                Err(_) => gathered.problems_of(convert::to_value_at(
                    &cell,
                    &format!("[{i}].{}", column.name),
                    depth,
                ))?,
            };
            if let Some(value) = value {
                place(&mut root, column, value)?;
            }
        }
        gathered.read(&Value::Object(root), &format!("[{i}]"))?;
    }
    let last = gathered.finish()?;
    if !last.is_empty() {
        sink(last);
    }
    Ok(())
}

/// The plain columns of a frame, each with its cells numbered by distinct value where that pays:
/// what `euca::Call::evaluate_columns` reads, evaluating most criteria once for each distinct
/// value of the columns they read rather than once for each row.
pub(crate) struct Coded<'a> {
    columns: Vec<(Option<Target>, &'a Plain)>,
    paths: Vec<String>,
    codes: Vec<Option<(Vec<u32>, u32)>>,
    /// For a column of lists of structs (organisations): each item numbered by distinct value.
    items: Vec<Option<(Vec<u32>, u32)>>,
    rows: usize,
}

impl<'a> Coded<'a> {
    /// The columns (each `(target, cells)`, named by `paths`), coded on all cores.
    pub(crate) fn new(
        columns: Vec<(Option<Target>, &'a Plain)>,
        paths: Vec<String>,
        rows: usize,
    ) -> Coded<'a> {
        use rayon::prelude::*;
        let (codes, items) = columns
            .par_iter()
            .map(|(_, cells)| {
                let items = item_codes(cells);
                let codes = match (cells, &items) {
                    // A list as the codes of its items: a few integers hashed and compared
                    // rather than the items' fields.
                    // Given up sooner than another column (see `PROBE_DISTINCT_LISTS`).
                    (Plain::Lists { starts, .. }, Some((item_codes, _))) => {
                        let limit = (rows / 8).max(64);
                        numbered_within(
                            starts
                                .windows(2)
                                .map(|pair| item_codes.get(pair[0]..pair[1]).unwrap_or_default()),
                            rows,
                            limit,
                            PROBE_DISTINCT_LISTS,
                        )
                    }
                    _ => codes(cells, rows),
                };
                (codes, items)
            })
            .unzip();
        Coded {
            columns,
            paths,
            codes,
            items,
            rows,
        }
    }
}

impl euca::Columns for Coded<'_> {
    fn rows(&self) -> usize {
        self.rows
    }

    fn paths(&self) -> &[String] {
        &self.paths
    }

    fn codes(&self, column: usize) -> Option<(&[u32], u32)> {
        let (codes, count) = self.codes.get(column)?.as_ref()?;
        Some((codes.as_slice(), *count))
    }

    fn place(&self, app: &mut Application, column: usize, row: usize) -> bool {
        let Some((target, cells)) = self.columns.get(column) else {
            return false;
        };
        cells
            .given(row)
            .is_some_and(|value| placed(app, *target, value).is_ok())
    }

    fn items(&self, column: usize) -> Option<euca::Items<'_>> {
        // The lists of organisations only (each of whose items `crate::direct` reads on its own;
        // not the budget's lines or a track record, read whole).
        let path = self.paths.get(column)?;
        if path != "co_applicants" && path != "affiliated_entities" {
            return None;
        }
        let (codes, count) = self.items.get(column)?.as_ref()?;
        let (_, Plain::Lists { starts, .. }) = self.columns.get(column)? else {
            return None;
        };
        Some(euca::Items {
            starts,
            codes,
            count: *count,
        })
    }
}

/// The items of a column of lists of structs (a list of organisations: `co_applicants`), each
/// given a code from its fields' codes, and how many codes there are: `None` for any other
/// column, or when a field has no codes (one of many distinct values) or there would be more
/// than an eighth of the items. Two items have the same code when every field has the same
/// value. Placing a row's list reads its items in order, each on its own (`crate::direct`), as
/// `euca::Items` asks.
#[inline(never)]
fn item_codes(cells: &Plain) -> Option<(Vec<u32>, u32)> {
    use rayon::prelude::*;
    let Plain::Lists { starts, items } = cells else {
        return None;
    };
    let Plain::Fields(fields) = &**items else {
        return None;
    };
    let n = *starts.last()?;
    if fields.is_empty() {
        return None;
    }
    // Each field's codes on its own core; then an item's code is its fields' codes as the
    // digits of one number (the first field's the lowest).
    let coded: Vec<(Vec<u32>, u32)> = fields
        .par_iter()
        .map(|(_, cells)| codes(cells, n))
        .collect::<Option<_>>()?;
    // No more codes than items, as `euca::Items` asks.
    let limit = (n / 8).max(64).min(n.max(1));
    let mut size = 1usize;
    for (_, count) in &coded {
        size = size.checked_mul((*count as usize).max(1))?;
        if size > limit {
            return None;
        }
    }
    let mut item = vec![0u32; n];
    let mut stride = 1u32;
    for (codes, count) in &coded {
        if codes.len() != n {
            return None;
        }
        for (code, field) in item.iter_mut().zip(codes) {
            *code += field * stride;
        }
        stride = stride.checked_mul((*count).max(1))?;
    }
    Some((item, u32::try_from(size).ok()?))
}

/// Each cell of `cells` numbered by its distinct value, in the order met, and how many there
/// are; `None` when more than an eighth of the rows are distinct (a table of remembered outcomes
/// would then save little), or when a large column's first rows are nearly all distinct (see
/// [`numbered`]). (Never inlined: `scripts/instructions` counts the instructions spent
/// in it.)
#[inline(never)]
fn codes(cells: &Plain, rows: usize) -> Option<(Vec<u32>, u32)> {
    let limit = (rows / 8).max(64);
    match cells {
        Plain::Bools(values) => Some((values.iter().map(|b| u32::from(*b)).collect(), 2)),
        Plain::Ints(values) => words(values.iter().map(|&v| v as u64), rows, limit),
        // Strings of up to seven bytes (country codes) as one word each: hashed and compared at
        // once.
        Plain::Strs { starts, text } if starts.windows(2).all(|pair| pair[1] - pair[0] <= 7) => {
            let bytes = text.as_bytes();
            words(
                starts
                    .windows(2)
                    .map(|pair| packed(bytes, pair[0], pair[1])),
                rows,
                limit,
            )
        }
        // Each string sliced once, by its offsets (checked when the column was read).
        Plain::Strs { starts, text } => numbered(
            starts
                .windows(2)
                .map(|pair| text.get(pair[0]..pair[1]).unwrap_or_default()),
            rows,
            limit,
        ),
        // A list of integers (sector codes) as its slice of the items: hashed and compared at once.
        Plain::Lists { starts, items } if matches!(**items, Plain::Ints(_)) => {
            let Plain::Ints(values) = &**items else {
                return None;
            };
            numbered(
                starts
                    .windows(2)
                    .map(|pair| values.get(pair[0]..pair[1]).unwrap_or_default()),
                rows,
                limit,
            )
        }
        Plain::Lists { .. } | Plain::Fields(_) => {
            numbered((0..rows).map(|k| Item { cells, k }), rows, limit)
        }
    }
}

/// The bytes `start..end` of a string of up to seven as one word: its bytes, then its length in
/// the highest byte. Two strings are the same word when they are the same bytes.
#[inline]
fn packed(bytes: &[u8], start: usize, end: usize) -> u64 {
    let len = end.saturating_sub(start).min(7);
    // Eight bytes read at once where the text has them, those past the string masked off.
    let word = match bytes.get(start..start + 8) {
        Some(eight) => {
            let mut word = [0u8; 8];
            word.copy_from_slice(eight);
            u64::from_le_bytes(word) & ((1u64 << (8 * len)) - 1)
        }
        None => {
            let mut word = [0u8; 8];
            for (into, &byte) in word
                .iter_mut()
                .zip(bytes.get(start..end).unwrap_or_default())
            {
                *into = byte;
            }
            u64::from_le_bytes(word)
        }
    };
    word | ((len as u64) << 56)
}

/// The most words [`words`] numbers through a table rather than a hash map: a table of 256 KB.
const DENSE: u64 = 1 << 16;

/// Words (integers, or short strings [`packed`]) numbered as [`numbered`] numbers them; those
/// within [`DENSE`] of each other (the IATI organisation types, the months of a duration, the
/// two-letter codes of countries) through a table indexed by the word less the least, which
/// takes no hashing.
fn words(
    values: impl Iterator<Item = u64> + Clone,
    rows: usize,
    limit: usize,
) -> Option<(Vec<u32>, u32)> {
    let (least, most) = values
        .clone()
        .fold((u64::MAX, 0u64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if most < least || most - least >= DENSE {
        return numbered(values, rows, limit);
    }
    let mut table = vec![u32::MAX; (most - least + 1) as usize];
    let mut codes = Vec::with_capacity(rows);
    let mut next = 0u32;
    for value in values {
        let slot = table.get_mut((value - least) as usize)?;
        if *slot == u32::MAX {
            if next as usize >= limit {
                return None;
            }
            *slot = next;
            next += 1;
        }
        codes.push(*slot);
    }
    (codes.len() == rows).then_some(())?;
    Some((codes, next))
}

/// The rows of a large column read before it is judged: when nearly all of them are distinct
/// (more than [`PROBE_DISTINCT`]), the column is taken for one of distinct values (an id, an
/// amount, a time) and numbered no further.
const PROBE: usize = 4096;
/// See [`PROBE`]: seven in eight.
const PROBE_DISTINCT: usize = PROBE / 8 * 7;

/// `values` numbered in the order met; `None` once more than `limit` are distinct, or when
/// the first [`PROBE`] rows of a column of at least four times as many are nearly all distinct.
/// Those columns' numbering gave up only after `limit` distinct values (an eighth of the rows):
/// a third of numbering the peer-bench's polars frame. Giving up early costs only time, never a
/// result: a column without codes is read on each row.
fn numbered<T: std::hash::Hash + Eq>(
    values: impl Iterator<Item = T>,
    rows: usize,
    limit: usize,
) -> Option<(Vec<u32>, u32)> {
    numbered_within(values, rows, limit, PROBE_DISTINCT)
}

/// See [`PROBE`]: half, for a column of lists whose items are numbered. Its `partners` tests
/// are counted from the items' codes without the lists' (`euca::Items`), and a list of
/// partners repeats whole far less often than its partners do: the peer-bench's first 4 096
/// lists of co-applicants are 3 049 distinct (61 799 in 100 000 rows, of 544 distinct
/// partners), so the lists were numbered until an eighth of the rows were distinct (20 000
/// rows) to no avail. Its lists of sectors (numbered as a column of lists of integers, with
/// [`PROBE_DISTINCT`]) are 1 233 distinct in the same rows.
const PROBE_DISTINCT_LISTS: usize = PROBE / 2;

/// [`numbered`], the column taken for one of distinct values when more than `probe_distinct`
/// of its first [`PROBE`] rows are distinct.
fn numbered_within<T: std::hash::Hash + Eq>(
    values: impl Iterator<Item = T>,
    rows: usize,
    limit: usize,
    probe_distinct: usize,
) -> Option<(Vec<u32>, u32)> {
    let mut seen: std::collections::HashMap<T, u32, foldhash::fast::RandomState> =
        std::collections::HashMap::default();
    let mut codes = Vec::with_capacity(rows);
    let probe = if rows >= 4 * PROBE { PROBE } else { usize::MAX };
    for value in values {
        let next = u32::try_from(seen.len()).ok()?;
        codes.push(*seen.entry(value).or_insert(next));
        if seen.len() > limit || (codes.len() == probe && seen.len() > probe_distinct) {
            return None;
        }
    }
    (codes.len() == rows).then_some(())?;
    Some((codes, u32::try_from(seen.len()).ok()?))
}

/// Item `k` of plain cells, compared and hashed by value (a list by its items, a struct by its
/// fields): two items of one column are equal when they read as the same value.
#[derive(Clone, Copy)]
struct Item<'a> {
    cells: &'a Plain,
    k: usize,
}

impl PartialEq for Item<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.cells, other.cells) && same_items(self.cells, self.k, other.k, 1)
    }
}

impl Eq for Item<'_> {}

impl std::hash::Hash for Item<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        hash_items(self.cells, self.k, self.k.saturating_add(1), state);
    }
}

/// Whether the `len` items of `cells` from `a` are the same values, in order, as the `len` from
/// `b`. A run is compared at once: integers and booleans as slices, lists as their lengths and
/// then all their items as one run, a struct field by field.
fn same_items(cells: &Plain, a: usize, b: usize, len: usize) -> bool {
    let (Some(a_end), Some(b_end)) = (a.checked_add(len), b.checked_add(len)) else {
        return false;
    };
    match cells {
        Plain::Bools(values) => values.get(a..a_end) == values.get(b..b_end),
        Plain::Ints(values) => values.get(a..a_end) == values.get(b..b_end),
        Plain::Strs { starts, text } => {
            (0..len).all(|n| str_item(starts, text, a + n) == str_item(starts, text, b + n))
        }
        Plain::Lists { starts, items } => match (runs(starts, a, a_end), runs(starts, b, b_end)) {
            (Some((a_run, a_items)), Some((b_run, b_items))) => {
                lengths(a_run).eq(lengths(b_run))
                    && same_items(items, a_items.start, b_items.start, a_items.len())
            }
            _ => false,
        },
        Plain::Fields(fields) => fields.iter().all(|(_, f)| same_items(f, a, b, len)),
    }
}

/// Hashes the items `start..end` of `cells` as [`same_items`] compares them: integers and
/// booleans as one slice, strings as their lengths and then their text, lists as their lengths
/// and then their items as one run, a struct field by field.
fn hash_items<H: std::hash::Hasher>(cells: &Plain, start: usize, end: usize, state: &mut H) {
    use std::hash::Hash;
    match cells {
        Plain::Bools(values) => values.get(start..end).hash(state),
        Plain::Ints(values) => values.get(start..end).hash(state),
        Plain::Strs { starts, text } => {
            if let Some((run, bytes)) = runs(starts, start, end) {
                lengths(run).for_each(|n| state.write_usize(n));
                text.get(bytes).hash(state);
            }
        }
        Plain::Lists { starts, items } => {
            if let Some((run, inner)) = runs(starts, start, end) {
                lengths(run).for_each(|n| state.write_usize(n));
                hash_items(items, inner.start, inner.end, state);
            }
        }
        Plain::Fields(fields) => fields
            .iter()
            .for_each(|(_, f)| hash_items(f, start, end, state)),
    }
}

/// The starts of items `start..end` of a column of strings or lists (with the end of the last),
/// and the range they cover of its text or of its lists' items.
fn runs(starts: &[usize], start: usize, end: usize) -> Option<(&[usize], std::ops::Range<usize>)> {
    let run = starts.get(start..=end)?;
    Some((run, *run.first()?..*run.last()?))
}

/// The length of each item of a run of starts.
fn lengths(run: &[usize]) -> impl Iterator<Item = usize> + '_ {
    run.windows(2).map(|pair| {
        pair.last()
            .zip(pair.first())
            .map_or(0, |(to, from)| to - from)
    })
}

/// Item `k` of a column of strings (`None` past the end, which reading the column rules out).
#[inline]
fn str_item<'a>(starts: &[usize], text: &'a str, k: usize) -> Option<&'a str> {
    text.get(*starts.get(k)?..*starts.get(k + 1)?)
}
