//! A polars DataFrame or a pyarrow Table read through the Arrow C stream interface (the
//! `__arrow_c_stream__` PyCapsule), without a Python object per column: each column's buffers
//! are read where the frame holds them and copied once into [`Plain`] cells. A pandas DataFrame
//! whose every column Arrow holds is read as the pyarrow Table of those columns.
//!
//! Only a frame whose every column [`euca._frames.columns`](crate::frames) would hand over as
//! plain cells is read here: booleans, signed integers and strings, and lists and structs of
//! those, without a null at any level. Any other frame (a column of floats, dates, unsigned
//! integers or dictionaries, a null anywhere, no rows, two columns of one name, a column nesting
//! under another), or a stream that does not read, gives `None`: the caller then reads it
//! through Python as before, which also names its problems. So both readings give the same
//! applications, cell for cell.

use arrow_array::cast::AsArray;
use arrow_array::ffi_stream::{FFI_ArrowArrayStream, RecordBatchStreamReader};
use arrow_array::types::{self, ArrowPrimitiveType};
use arrow_array::{
    Array, ArrayRef, BooleanArray, GenericListArray, GenericStringArray, OffsetSizeTrait,
    PrimitiveArray, RecordBatch, RecordBatchReader, StringViewArray, StructArray,
};
use arrow_data::ArrayData;
use arrow_schema::{DataType, Field};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyCapsuleMethods};

use crate::convert;
use crate::direct::Target;
use crate::frames::{Frame, Plain};

/// The columns of `obj` (a polars DataFrame, a pyarrow Table or RecordBatch, or a pandas
/// DataFrame of Arrow columns) as plain cells and their dotted names, when every column is read
/// that way (see the module's documentation).
///
/// # Errors
/// Only a Python error raised while asking for the stream; a stream that does not read is `None`.
pub(crate) fn frame(obj: &Bound<'_, PyAny>) -> PyResult<Option<(Frame, Vec<String>)>> {
    // Exactly these types (not a subclass, a series, a chunked array or a reader): each gives a
    // new stream each time it is asked, so the reading through Python still has every row when
    // this one declines, and each is a table of named columns.
    let kind = obj.get_type();
    let module: String = kind.module()?.extract()?;
    let name: String = kind.qualname()?.extract()?;
    let table = match module.as_str() {
        "polars.dataframe.frame" => name == "DataFrame",
        "pyarrow.lib" => name == "Table" || name == "RecordBatch",
        // A pandas DataFrame (its module `pandas` since pandas 3) whose every column Arrow holds:
        // read as the pyarrow Table of the same columns (`euca._frames.arrow_table`, which
        // shares their buffers).
        "pandas" | "pandas.core.frame" if name == "DataFrame" => {
            let table = convert::helper(obj.py(), "euca._frames", "arrow_table")?.call1((obj,))?;
            return if table.is_none() {
                Ok(None)
            } else {
                frame(&table)
            };
        }
        _ => false,
    };
    if !table || !obj.hasattr("__arrow_c_stream__")? {
        return Ok(None);
    }
    // The batch limit before anything is read (the reading through Python names the problem).
    match obj.len() {
        Ok(n) if n > 0 && n <= euca::limits::MAX_BATCH => {}
        _ => return Ok(None),
    }
    let capsule = obj.call_method0("__arrow_c_stream__")?;
    let Ok(capsule) = capsule.cast::<PyCapsule>() else {
        return Ok(None);
    };
    // A capsule named `arrow_array_stream` whose pointer is not null.
    let Ok(pointer) = capsule.pointer_checked(Some(c"arrow_array_stream")) else {
        return Ok(None);
    };
    let pointer = pointer.as_ptr().cast::<FFI_ArrowArrayStream>();
    // SAFETY: a capsule named `arrow_array_stream` holds an `ArrowArrayStream` (the Arrow
    // PyCapsule interface); `from_raw` moves it out, leaving a released stream behind, which
    // the capsule's destructor then leaves alone.
    #[allow(unsafe_code)]
    let stream = unsafe { FFI_ArrowArrayStream::from_raw(pointer) };
    // Arrow's import trusts what it is given: a panic in it (a release of arrow-rs that reads a
    // valid table wrongly) leaves the frame to the reading through Python, as any other stream
    // that does not read.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_stream(stream)));
    Ok(read.ok().flatten())
}

/// The frame of a stream, when every column of every batch is read as plain cells.
fn read_stream(stream: FFI_ArrowArrayStream) -> Option<(Frame, Vec<String>)> {
    let Ok(reader) = RecordBatchStreamReader::try_new(stream) else {
        return None;
    };
    let schema = reader.schema();
    if !schema.fields().iter().all(|field| without_extension(field)) {
        return None;
    }
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let mut columns: Vec<Option<Plain>> = names.iter().map(|_| None).collect();
    let mut rows = 0usize;
    for batch in reader {
        let Ok(batch) = batch else {
            return None;
        };
        if batch.num_columns() != names.len() || append_batch(&mut columns, &batch).is_none() {
            return None;
        }
        rows += batch.num_rows();
    }
    if rows == 0 || rows > euca::limits::MAX_BATCH || !distinct_and_flat(&names) {
        return None;
    }
    let columns = columns.into_iter().collect::<Option<Vec<Plain>>>()?;
    let columns = names
        .iter()
        .zip(columns)
        .map(|(name, cells)| {
            let path: Vec<String> = name.split('.').map(str::to_string).collect();
            (Target::of(&path), cells)
        })
        .collect();
    Some((Frame::new(columns, rows), names))
}

/// Whether a field, and every field inside it, is of a plain Arrow type rather than an
/// extension type (`ARROW:extension:name`: a `bool8` is stored as integers, a UUID as bytes),
/// whose values are not its storage's.
fn without_extension(field: &Field) -> bool {
    !field.metadata().contains_key("ARROW:extension:name")
        && match field.data_type() {
            DataType::List(item)
            | DataType::LargeList(item)
            | DataType::ListView(item)
            | DataType::LargeListView(item)
            | DataType::FixedSizeList(item, _)
            | DataType::Map(item, _) => without_extension(item),
            DataType::Struct(fields) => fields.iter().all(|f| without_extension(f)),
            _ => true,
        }
}

/// Whether no name is given twice and none nests under another (`applicant` and
/// `applicant.country`), as the plain reading of `crate::frames` asks.
fn distinct_and_flat(names: &[String]) -> bool {
    let mut seen = std::collections::HashSet::new();
    names.iter().all(|name| seen.insert(name.as_str()))
        && names.iter().all(|inner| {
            names.iter().all(|outer| {
                !(inner.len() > outer.len()
                    && inner.starts_with(outer.as_str())
                    && inner.as_bytes().get(outer.len()) == Some(&b'.'))
            })
        })
}

/// Appends each column of `batch` to the cells read so far; `None` at a column read another way.
fn append_batch(columns: &mut [Option<Plain>], batch: &RecordBatch) -> Option<()> {
    use rayon::prelude::*;
    // Each column checked and copied on its own core (the buffers are the frame's, read without
    // the GIL). Arrow's import trusts the producer: the checks keep a column that breaks the
    // format from being read past its buffers (it is read through Python instead).
    let read: Vec<Option<Plain>> = batch
        .columns()
        .par_iter()
        .map(|array| {
            well_formed(&array.to_data())
                .then(|| plain(array))
                .flatten()
        })
        .collect();
    for (cells, more) in columns.iter_mut().zip(read) {
        let more = more?;
        match cells {
            None => *cells = Some(more),
            Some(cells) => extend(cells, more)?,
        }
    }
    Some(())
}

/// Whether an array and its children hold the buffers their types and lengths ask for, and a
/// list's offsets rise within its items (Arrow's own checks, at every level). A string's
/// offsets or views are checked as its text is copied ([`strings`], [`views`]): Arrow's check of
/// them reads every string again for UTF-8, a tenth of a frame's time.
fn well_formed(data: &ArrayData) -> bool {
    let strings = matches!(
        data.data_type(),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    );
    data.validate().is_ok()
        && (strings || data.validate_values().is_ok())
        && data.child_data().iter().all(well_formed)
}

/// An Arrow array's values as plain cells: `None` for a type read another way or a null at any
/// level.
fn plain(array: &ArrayRef) -> Option<Plain> {
    if array.logical_null_count() > 0 {
        return None;
    }
    Some(match array.data_type() {
        DataType::Boolean => {
            let values: &BooleanArray = array.as_boolean_opt()?;
            Plain::Bools(values.values().iter().collect())
        }
        DataType::Int8 => ints::<types::Int8Type>(array)?,
        DataType::Int16 => ints::<types::Int16Type>(array)?,
        DataType::Int32 => ints::<types::Int32Type>(array)?,
        DataType::Int64 => ints::<types::Int64Type>(array)?,
        DataType::Utf8 => strings::<i32>(array.as_string_opt()?)?,
        DataType::LargeUtf8 => strings::<i64>(array.as_string_opt()?)?,
        DataType::Utf8View => views(array.as_string_view_opt()?)?,
        DataType::List(_) => lists::<i32>(array.as_list_opt()?)?,
        DataType::LargeList(_) => lists::<i64>(array.as_list_opt()?)?,
        DataType::Struct(_) => fields(array.as_struct_opt()?)?,
        _ => return None,
    })
}

fn ints<T: ArrowPrimitiveType>(array: &ArrayRef) -> Option<Plain>
where
    T::Native: Into<i64>,
{
    let values: &PrimitiveArray<T> = array.as_primitive_opt()?;
    Some(Plain::Ints(
        values.values().iter().map(|&v| v.into()).collect(),
    ))
}

/// Strings by their offsets: the text of this array's own values, the offsets from its first;
/// `None` unless the offsets rise within the text, each at the start of a character.
fn strings<O: OffsetSizeTrait>(array: &GenericStringArray<O>) -> Option<Plain> {
    let offsets = array.value_offsets();
    let first = offsets.first()?.as_usize();
    let last = offsets.last()?.as_usize();
    let text = std::str::from_utf8(array.value_data().get(first..last)?).ok()?;
    let starts: Vec<usize> = offsets
        .iter()
        .map(|o| o.as_usize().checked_sub(first))
        .collect::<Option<_>>()?;
    cut_at_characters(&starts, text).then(|| Plain::Strs {
        starts,
        text: text.to_string(),
    })
}

/// Whether `starts` rise from 0 to the end of `text`, each at the start of a character.
fn cut_at_characters(starts: &[usize], text: &str) -> bool {
    starts.first() == Some(&0)
        && starts.last() == Some(&text.len())
        && starts.windows(2).all(|pair| pair[0] <= pair[1])
        && starts.iter().all(|&start| text.is_char_boundary(start))
}

/// Strings held as views (polars' strings): each copied into one text, sized first from the
/// views' lengths (the low 32 bits of each). A string of up to 12 bytes is held in its view
/// (after the length): its view's 12 bytes are copied at once and the text cut back to it, a
/// copy of fixed size rather than a call to copy each string. A longer one is at an offset (the
/// high 32 bits) of a buffer (the 32 before them). `None` unless each is within its buffer and
/// the text is UTF-8, cut at the start of a character.
fn views(array: &StringViewArray) -> Option<Plain> {
    let views = array.views();
    let buffers = array.data_buffers();
    let size: usize = views.iter().map(|&view| view as u32 as usize).sum();
    let mut starts = Vec::with_capacity(views.len() + 1);
    starts.push(0);
    let mut bytes: Vec<u8> = Vec::with_capacity(size.checked_add(12)?);
    for &view in views {
        let len = view as u32 as usize;
        if len <= 12 {
            let held = view.to_le_bytes();
            let end = bytes.len() + len;
            bytes.extend_from_slice(held.get(4..16)?);
            bytes.truncate(end);
        } else {
            let buffer = buffers.get((view >> 64) as u32 as usize)?;
            let offset = (view >> 96) as u32 as usize;
            bytes.extend_from_slice(buffer.as_slice().get(offset..offset.checked_add(len)?)?);
        }
        starts.push(bytes.len());
    }
    let text = String::from_utf8(bytes).ok()?;
    cut_at_characters(&starts, &text).then_some(Plain::Strs { starts, text })
}

/// Lists: their items from this array's first (a slice starts within its parent's items).
fn lists<O: OffsetSizeTrait>(array: &GenericListArray<O>) -> Option<Plain> {
    let offsets = array.value_offsets();
    let first = offsets.first()?.as_usize();
    let last = offsets.last()?.as_usize();
    let items = array.values().slice(first, last.checked_sub(first)?);
    Some(Plain::Lists {
        starts: offsets.iter().map(|o| o.as_usize() - first).collect(),
        items: Box::new(plain(&items)?),
    })
}

/// Structs, field by field (each field sliced to this array's rows); names non-empty and
/// distinct, as `euca._frames` asks.
fn fields(array: &StructArray) -> Option<Plain> {
    let names = array.column_names();
    let mut seen = std::collections::HashSet::new();
    if names.is_empty() || !names.iter().all(|name| seen.insert(*name)) {
        return None;
    }
    let fields = names
        .iter()
        .zip(array.columns())
        .map(|(name, column)| Some(((*name).to_string(), plain(column)?)))
        .collect::<Option<Vec<_>>>()?;
    Some(Plain::Fields(fields))
}

/// `more` appended to `cells` (the next batch of one column); `None` when they differ in kind.
fn extend(cells: &mut Plain, more: Plain) -> Option<()> {
    match (cells, more) {
        (Plain::Bools(values), Plain::Bools(more)) => values.extend(more),
        (Plain::Ints(values), Plain::Ints(more)) => values.extend(more),
        (Plain::Strs { starts, text }, Plain::Strs { starts: s, text: t }) => {
            let base = text.len();
            starts.extend(s.iter().skip(1).map(|start| start + base));
            text.push_str(&t);
        }
        (
            Plain::Lists { starts, items },
            Plain::Lists {
                starts: s,
                items: i,
            },
        ) => {
            let base = *starts.last()?;
            starts.extend(s.iter().skip(1).map(|start| start + base));
            extend(items, *i)?;
        }
        (Plain::Fields(fields), Plain::Fields(more)) => {
            if fields.len() != more.len() {
                return None;
            }
            for ((name, cells), (more_name, more)) in fields.iter_mut().zip(more) {
                if *name != more_name {
                    return None;
                }
                extend(cells, more)?;
            }
        }
        _ => return None,
    }
    Some(())
}
