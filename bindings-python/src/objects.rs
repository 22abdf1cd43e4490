//! A column handed over as Python values (a pandas column of `object` dtype, as
//! `pd.json_normalize` makes of a list of dicts or of integers; or an Arrow column handed over as
//! its `to_pylist`) copied into plain cells ([`Plain`]), as a column of Arrow lists and structs
//! is, so that the frame is read and evaluated like a polars one: without the GIL, on all cores,
//! each column numbered by distinct value.
//!
//! Only a column of one shape is copied: every cell of one exact type (`dict`, `list`, `str`,
//! `int`, `bool`; a subclass may read as anything), the items of every list likewise, every dict
//! with the same string keys, every integer within `i64`, every string with a UTF-8 form, nested
//! no deeper than `euca::limits::MAX_DEPTH`. Those are the Python values an Arrow column without
//! a null gives (`to_pylist`), which the field readers read as they read the plain cells
//! ([`Plain::given`]). For any other column (a missing cell, a float, a dict without one of the
//! keys, an empty dict, lists that are all empty) `None`, and the column is read cell by cell as
//! before.
//!
//! The cost is the reading of the objects from memory: a frame made from parsed documents has
//! its dicts spread over the heap, and each one read is a cache miss or more. So each object is
//! read once (a block of rows at a time: see [`BLOCK`]), and referred to without counting a
//! reference (which would write to it, and again when let go). That is sound because no Python
//! code runs while such a reference is held: the items and entries are read with `PyList_GetItem`
//! and `PyDict_Next`, the values' exact types are checked before they are read, a key is compared
//! by identity or by its text, and none of these calls out to Python. Only an error (an integer
//! beyond `i64`, a string without a UTF-8 form) makes an object, the exception, whose making may
//! set off the garbage collector and with it a finalizer; so at any error the copy stops at once
//! (`None`), and no borrowed reference is used after it. The GIL is held throughout.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString};

use crate::frames::Plain;

/// Rows read a block at a time: each level of the block's values (its rows, then their items,
/// then the dicts' values) is gathered before the next is read, each value asked for from memory
/// as soon as where it is is known (`raw::prefetch`), so that the reads of a level wait for memory
/// together rather than one after another; a block's values stay in the cache until read.
const BLOCK: usize = 128;

/// The `rows` cells of `list` as plain cells, when they have one shape (see the module's
/// documentation).
pub(crate) fn cells(list: &Bound<'_, PyList>, rows: usize) -> Option<Plain> {
    if list.len() != rows || rows == 0 {
        return None;
    }
    let list = list.as_borrowed();
    let mut builder = Builder::Unknown;
    let mut block = Vec::with_capacity(BLOCK);
    for start in (0..rows).step_by(BLOCK) {
        block.clear();
        for k in start..rows.min(start + BLOCK) {
            let row = raw::item(list, k)?;
            raw::prefetch(&row);
            block.push(row);
        }
        builder.extend(&block, 1)?;
    }
    builder.finish()
}

/// Cells being copied.
enum Builder<'a, 'py> {
    /// None yet (the items of lists that have all been empty so far).
    Unknown,
    /// Booleans, integers or strings: the cells themselves (`Plain::Bools`, `Ints` or `Strs`).
    Leaves(Plain),
    /// Lists; `gathered` holds a block's items while they are read.
    Lists {
        starts: Vec<usize>,
        items: Box<Builder<'a, 'py>>,
        gathered: Vec<Borrowed<'a, 'py, PyAny>>,
    },
    /// Dicts: the first one's keys, in its order, each key's values, and a block's values of
    /// each key while they are read (`gathered`); `seen` holds, for each key, the key object
    /// last found for it, which the next dict (from the same parsed document, whose keys
    /// `json.loads` shares) likely holds too: compared by identity, it need not be read. (A
    /// pointer compared only: the object it pointed to is alive throughout, as every object read
    /// here.)
    Fields {
        names: Vec<String>,
        seen: Vec<*mut pyo3::ffi::PyObject>,
        fields: Vec<Builder<'a, 'py>>,
        gathered: Vec<Vec<Borrowed<'a, 'py, PyAny>>>,
    },
}

impl<'a, 'py> Builder<'a, 'py> {
    /// Appends `values`, at `depth` (the cells 1, their items or values 2, ...): `None` when one
    /// does not have the shape of the values before it, or past `MAX_DEPTH` (the readers of a
    /// document stop there too, and nothing copied here nests deeper than that).
    fn extend(&mut self, values: &[Borrowed<'a, 'py, PyAny>], depth: usize) -> Option<()> {
        if depth > euca::limits::MAX_DEPTH {
            return None;
        }
        if let (Builder::Unknown, Some(first)) = (&*self, values.first()) {
            *self = Builder::of(first)?;
        }
        match self {
            Builder::Unknown => {
                if !values.is_empty() {
                    return None;
                }
            }
            Builder::Leaves(Plain::Bools(cells)) => {
                for value in values {
                    cells.push(value.cast_exact::<PyBool>().ok()?.is_true());
                }
            }
            Builder::Leaves(Plain::Ints(cells)) => {
                for value in values {
                    cells.push(value.cast_exact::<PyInt>().ok()?.extract().ok()?);
                }
            }
            Builder::Leaves(Plain::Strs { starts, text }) => {
                for value in values {
                    with_text(*value, |s| text.push_str(s))?;
                    starts.push(text.len());
                }
            }
            // Never made (lists and dicts have their own builders).
            Builder::Leaves(Plain::Lists { .. } | Plain::Fields(_)) => return None,
            Builder::Lists {
                starts,
                items,
                gathered,
            } => {
                gathered.clear();
                for value in values {
                    let list = value.cast_exact::<PyList>().ok()?;
                    for k in 0..list.len() {
                        let item = raw::item(list, k)?;
                        raw::prefetch(&item);
                        gathered.push(item);
                    }
                    starts.push(starts.last().copied().unwrap_or(0) + list.len());
                }
                items.extend(gathered, depth + 1)?;
            }
            Builder::Fields {
                names,
                seen,
                fields,
                gathered,
            } => {
                for column in gathered.iter_mut() {
                    column.clear();
                }
                for value in values {
                    let dict = value.cast_exact::<PyDict>().ok()?;
                    // As many keys, each one of the names: the same keys (a dict's keys are
                    // distinct).
                    if dict.len() != names.len() {
                        return None;
                    }
                    let mut position = 0;
                    for j in 0..names.len() {
                        let (key, value) = raw::entry(dict, &mut position)?;
                        let field = if seen.get(j) == Some(&key.as_ptr()) {
                            j
                        } else {
                            // Most likely in the first dict's order.
                            let field = with_text(key, |text| {
                                if names.get(j).is_some_and(|name| name == text) {
                                    Some(j)
                                } else {
                                    names.iter().position(|name| name == text)
                                }
                            })??;
                            *seen.get_mut(field)? = key.as_ptr();
                            field
                        };
                        raw::prefetch(&value);
                        gathered.get_mut(field)?.push(value);
                    }
                }
                for (field, column) in fields.iter_mut().zip(gathered.iter()) {
                    field.extend(column, depth + 1)?;
                }
            }
        }
        Some(())
    }

    /// An empty builder for values of the type of `value`: its keys, for a dict.
    fn of(value: &Borrowed<'a, 'py, PyAny>) -> Option<Builder<'a, 'py>> {
        let builder = if value.is_exact_instance_of::<PyList>() {
            Builder::Lists {
                starts: vec![0],
                items: Box::new(Builder::Unknown),
                gathered: Vec::new(),
            }
        } else if let Ok(dict) = (*value).cast_exact::<PyDict>() {
            let mut names = Vec::with_capacity(dict.len());
            let mut position = 0;
            for _ in 0..dict.len() {
                let (key, _) = raw::entry(dict, &mut position)?;
                names.push(with_text(key, str::to_string)?);
            }
            if names.is_empty() {
                return None;
            }
            Builder::Fields {
                seen: vec![std::ptr::null_mut(); names.len()],
                fields: names.iter().map(|_| Builder::Unknown).collect(),
                gathered: names.iter().map(|_| Vec::new()).collect(),
                names,
            }
        } else if value.is_exact_instance_of::<PyString>() {
            Builder::Leaves(Plain::Strs {
                starts: vec![0],
                text: String::new(),
            })
        } else if value.is_exact_instance_of::<PyBool>() {
            Builder::Leaves(Plain::Bools(Vec::new()))
        } else if value.is_exact_instance_of::<PyInt>() {
            Builder::Leaves(Plain::Ints(Vec::new()))
        } else {
            return None;
        };
        Some(builder)
    }

    /// The cells: `None` for values of no type (lists that were all empty).
    fn finish(self) -> Option<Plain> {
        Some(match self {
            Builder::Unknown => return None,
            Builder::Leaves(cells) => cells,
            Builder::Lists { starts, items, .. } => Plain::Lists {
                starts,
                items: Box::new(items.finish()?),
            },
            Builder::Fields { names, fields, .. } => Plain::Fields(
                names
                    .into_iter()
                    .zip(fields)
                    .map(|(name, field)| Some((name, field.finish()?)))
                    .collect::<Option<_>>()?,
            ),
        })
    }
}

/// `read` of the text of an exact `str` (`None` for anything else, or a string without a UTF-8
/// form).
#[inline]
fn with_text<R>(value: Borrowed<'_, '_, PyAny>, read: impl FnOnce(&str) -> R) -> Option<R> {
    let s = value.cast_exact::<PyString>().ok()?;
    match crate::direct::borrowed(&s) {
        Some(borrowed) => Some(read(borrowed?)),
        // Python 3.9: through a copy.
        None => Some(read(&s.to_cow().ok()?)),
    }
}

/// The items of a list and the entries of a dict, borrowed from it.
#[allow(unsafe_code)]
mod raw {
    use pyo3::ffi;
    use pyo3::prelude::*;
    use pyo3::types::{PyDict, PyList};

    /// Asks for the cache line of `object`'s header, which is read next (its type checked).
    #[inline]
    pub(super) fn prefetch(object: &Borrowed<'_, '_, PyAny>) {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch does not fault, whatever the address; this one is a live object's.
        unsafe {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            _mm_prefetch::<_MM_HINT_T0>(object.as_ptr().cast::<i8>());
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = object;
    }

    /// Item `k` of `list`.
    #[inline]
    pub(super) fn item<'a, 'py>(
        list: Borrowed<'a, 'py, PyList>,
        k: usize,
    ) -> Option<Borrowed<'a, 'py, PyAny>> {
        let k = ffi::Py_ssize_t::try_from(k).ok()?;
        // SAFETY: `list` is a live list and the GIL is held; `PyList_GetItem` returns a borrowed
        // reference (or null, with an exception set, past the end), which stays valid while the
        // list holds it: no Python code runs while the items are read (see the module's
        // documentation).
        let item = unsafe { ffi::PyList_GetItem(list.as_ptr(), k) };
        if item.is_null() {
            drop(PyErr::take(list.py()));
            return None;
        }
        // SAFETY: non-null, borrowed as above.
        Some(unsafe { Borrowed::from_ptr(list.py(), item) })
    }

    /// The entry at `position` of `dict` (advanced past it): its key and value, or `None` past
    /// the last.
    #[inline]
    pub(super) fn entry<'a, 'py>(
        dict: Borrowed<'a, 'py, PyDict>,
        position: &mut ffi::Py_ssize_t,
    ) -> Option<(Borrowed<'a, 'py, PyAny>, Borrowed<'a, 'py, PyAny>)> {
        let mut key = std::ptr::null_mut();
        let mut value = std::ptr::null_mut();
        // SAFETY: `dict` is a live dict and the GIL is held; `PyDict_Next` gives borrowed
        // references, valid while the dict is not changed, which nothing here does.
        let found = unsafe { ffi::PyDict_Next(dict.as_ptr(), position, &mut key, &mut value) };
        if found == 0 || key.is_null() || value.is_null() {
            return None;
        }
        // SAFETY: non-null, borrowed as above.
        Some(unsafe {
            (
                Borrowed::from_ptr(dict.py(), key),
                Borrowed::from_ptr(dict.py(), value),
            )
        })
    }
}
