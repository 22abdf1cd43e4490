//! Applications from the columns of a DataFrame (`euca._frames.columns`): each row's cells are
//! placed at their dotted paths (`applicant.country`) in one JSON object, which is then read as an
//! application. A missing cell leaves its field out; a column that nests under another column's
//! value is an `invalid_value` error naming the column. The rules are those of
//! `euca._frames.rows`, which builds the same applications as dicts in Python. Rows are read
//! cell by cell into the application by the field readers of `crate::direct` where they can be;
//! the JSON object is built only for a row those do not read, to name its problems.

use euca::{Application, Code, DatasetError, Problem};
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyList};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::call::Gathered;
use crate::convert;
use crate::errors::Error;
use crate::read::PyDeserializer;

/// One column: its path and its cells.
struct Column<'py> {
    name: String,
    path: Vec<String>,
    cells: Bound<'py, PyList>,
    missing: Option<Bound<'py, PyList>>,
}

fn nests_under_a_value(column: &str, part: &str) -> Error {
    let message =
        format!("column `{column}` nests under `{part}`, which another column sets to a value");
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
/// leaves its field out.
fn present<'py>(column: &Column<'py>, i: usize) -> PyResult<Option<Bound<'py, PyAny>>> {
    if let Some(missing) = &column.missing {
        if missing.get_item(i)?.is_truthy()? {
            return Ok(None);
        }
    }
    let cell = column.cells.get_item(i)?;
    if cell.is_none() || cell.cast::<PyFloat>().is_ok_and(|f| f.value().is_nan()) {
        return Ok(None);
    }
    Ok(Some(cell))
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
        if let Some(cell) = present(column, i)? {
            if crate::direct::set(app, &column.path, &cell).is_err() {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// What `euca._frames.columns` returns: names, cells and missing flags per column, and the rows.
type Handed<'py> = (
    Vec<String>,
    Vec<Bound<'py, PyList>>,
    Vec<Option<Bound<'py, PyList>>>,
    usize,
);

/// Reads the applications of a frame handed over by `euca._frames.columns`.
///
/// # Errors
/// Every problem of every row (paths `[i].field`), or the first column that nests under a value.
pub fn applications(columns: &Bound<'_, PyAny>) -> Result<Vec<Application>, Error> {
    let (names, cells, missing, rows): Handed<'_> = columns.extract()?;
    euca::limits::check_batch(rows)?;
    let columns: Vec<Column<'_>> = names
        .into_iter()
        .zip(cells)
        .zip(missing)
        .map(|((name, cells), missing)| Column {
            path: name.split('.').map(str::to_string).collect(),
            name,
            cells,
            missing,
        })
        .collect();
    // Each row is read by the field readers of `crate::direct`, cell by cell, unless a column
    // nests under another (an error the row's JSON object names); a row they do not read is built
    // as a JSON object and read the way that names its problems.
    let field_by_field = !columns.iter().any(|outer| {
        columns
            .iter()
            .any(|inner| inner.path.len() > outer.path.len() && inner.path.starts_with(&outer.path))
    });
    let mut gathered = Gathered::with_capacity(rows);
    for i in 0..rows {
        if field_by_field && push_direct_row(&columns, i, &mut gathered.apps)? {
            continue;
        }
        let mut root = Map::new();
        for column in &columns {
            let Some(cell) = present(column, i)? else {
                continue;
            };
            let value = match Value::deserialize(PyDeserializer::new(&cell)) {
                Ok(v) => Some(v),
                Err(_) => gathered
                    .problems_of(convert::to_value(&cell, &format!("[{i}].{}", column.name)))?,
            };
            if let Some(value) = value {
                place(&mut root, column, value)?;
            }
        }
        gathered.read(&Value::Object(root), &format!("[{i}]"))?;
    }
    gathered.finish()
}
