"""Applications from a DataFrame whose columns are dotted paths (``applicant.country``).

``columns(frame)`` hands the frame over a column at a time (booleans and signed integers as the
bytes of their NumPy array, strings held by Arrow as their offsets and text, any other column as
one ``tolist()`` and, unless it holds Python objects, one ``isna()``, done by pandas or polars),
and the native module assembles each row's application from them
(``bindings-python/src/frames.rs``), handing the rows to the evaluator in parts as it goes. ``rows(frame)`` builds the nested dicts in Python, the
same applications; it stays as the readable statement of the rules and for the tests.

A missing value (``None``, ``NaN`` (also a ``Decimal``), ``NaT``, ``pd.NA``) leaves the field out, so that the criteria
that read it are undetermined, exactly as for a dict without the key. Columns of naive
``datetime64`` values that are all at midnight are read as dates (pandas has no date type: a
column parsed with ``pd.to_datetime`` holds ``Timestamp('2015-03-01 00:00:00')``); any other naive
date-time is handed over as it is, and the core reports it as a ``naive_datetime`` where an instant
is needed.
"""

from __future__ import annotations

import datetime
import decimal
import gc
import math
from typing import Any

from euca.exceptions import ValidationError


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, decimal.Decimal) and value.is_nan():
        return True  # as pandas' `isna` has it
    # pandas.NA, pandas.NaT and numpy.datetime64("NaT") without importing pandas or numpy.
    name = type(value).__name__
    if name in ("NAType", "NaTType"):
        return True
    if name == "datetime64" and str(value) == "NaT":
        return True
    return False


def _plain(value: Any) -> Any:
    """NumPy and pandas scalars as plain Python values (lists stay lists)."""
    module = type(value).__module__
    if module.startswith("numpy") and hasattr(value, "tolist"):
        return value.tolist()
    return value


def _absent(value: Any) -> bool:
    """Whether ``rows`` leaves the cell out (a NumPy scalar as the Python value it stands for)."""
    return _missing(_plain(value))


def _midnight_columns(columns: list[str], rows: list[list[Any]]) -> set[str]:
    midnight = set()
    for j, column in enumerate(columns):
        values = [r[j] for r in rows if not _missing(r[j])]
        if values and all(
            isinstance(v, datetime.datetime)
            and v.tzinfo is None
            and v.time() == datetime.time(0, 0)
            for v in values
        ):
            midnight.add(column)
    return midnight


def rows(frame: Any) -> list[dict[str, Any]]:
    """The rows of a pandas or polars DataFrame as nested application dicts."""
    columns = [str(c) for c in frame.columns]
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            message = f"column `{column}` appears more than once: each row's values of one would replace the other's"
            raise ValidationError(message, "invalid_value", [{"code": "invalid_value", "message": message, "path": column}])
        seen.add(column)
    if hasattr(frame, "to_dicts"):  # polars
        table = [[row[c] for c in columns] for row in frame.to_dicts()]
    else:  # pandas
        table = [list(r) for r in frame.itertuples(index=False, name=None)]
    table = [[_plain(v) for v in r] for r in table]
    midnight = _midnight_columns(columns, table)
    # (inner, outer): `inner` nests under `outer` (`action.country` under `action`). A row where
    # both have a value is an error, whichever comes first: one would replace or be merged into
    # the other (and into the frame's own dict).
    nesting = [
        (i, o)
        for i, inner in enumerate(columns)
        for o, outer in enumerate(columns)
        if inner.startswith(outer + ".")
    ]
    out: list[dict[str, Any]] = []
    for r in table:
        for i, o in nesting:
            if not _missing(r[i]) and not _missing(r[o]):
                message = f"column `{columns[i]}` nests under `{columns[o]}`, which another column sets to a value"
                raise ValidationError(
                    message, "invalid_value", [{"code": "invalid_value", "message": message, "path": columns[i]}]
                )
        app: dict[str, Any] = {}
        for column, value in zip(columns, r):
            if _missing(value):
                continue
            if column in midnight:
                value = value.date()
            node = app
            *parents, leaf = column.split(".")
            for part in parents:
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    message = (
                        f"column `{column}` nests under `{part}`, which another column sets to a value"
                    )
                    raise ValidationError(
                        message, "invalid_value", [{"code": "invalid_value", "message": message, "path": column}]
                    )
                node = child
            node[leaf] = value
        out.append(app)
    return out


def _midnight_dates(values: list[Any], missing: list[bool] | None) -> list[Any] | None:
    """The column as dates when every present value is a naive date-time at midnight."""
    present = [v for j, v in enumerate(values) if not (missing and missing[j]) and not _absent(v)]
    if present and all(
        isinstance(v, datetime.datetime) and v.tzinfo is None and v.time() == datetime.time(0, 0)
        for v in present
    ):
        return [v.date() if isinstance(v, datetime.datetime) else v for v in values]
    return None


def is_arrow(table: Any) -> bool:
    """Whether ``table`` is a pyarrow ``Table`` or ``RecordBatch`` (without importing pyarrow)."""
    return type(table).__module__.startswith("pyarrow") and hasattr(table, "column_names")


def _with_dates(cells: list[Any], flags: list[bool] | None) -> list[Any]:
    # Only a column whose first present value is a date-time can be one of dates.
    first = next((v for k, v in enumerate(cells) if not (flags and flags[k]) and not _absent(v)), None)
    if isinstance(first, datetime.datetime):
        dates = _midnight_dates(cells, flags)
        if dates is not None:
            return dates
    return cells


# The missing flags of a pandas column of Python objects are not computed with ``isna`` (about
# 0.2 µs a cell there, most of the hand-over of a column of dicts or lists): the native module
# leaves out ``None`` and NaN, reads a dict, list, str, int or bool as it is, and asks
# ``missing_cell`` of any other cell, which decides as ``rows`` does. A column whose cells are all
# of one shape (every value of one exact type, none missing: lists of dicts with the same keys, for
# example) it copies as an Arrow column of lists and structs is copied
# (``bindings-python/src/objects.rs``).
UNCHECKED = "unchecked"


def missing_cell(value: Any) -> bool:
    """Whether a cell of a column of Python objects is missing, as ``rows`` has it."""
    return _absent(value)

# A column of booleans or of signed integers without a missing cell is handed over as the bytes of
# a NumPy array (native byte order) rather than as a list of Python objects: ``(kind, bytes)``.
BOOLS = "bool"
INTS = "int64"
# A column of strings backed by Arrow, without a missing cell, as ``(TEXT, offsets, text)``: the
# ``rows + 1`` offsets (native int64) of each value in the UTF-8 text (see ``_text``).
TEXT = "str"

# A column of lists or structs held by Arrow, without a null at any level and with booleans,
# signed integers or strings at the leaves, as ``(ARROW, nested, array)``: ``nested`` is
# ``(LIST, offsets, items)`` (the ``rows + 1`` offsets, native int64, of each list's first item)
# or ``(FIELDS, [(name, cells), ...])``, where items and fields are handed over as a column's
# cells are, or nested again; ``array`` gives a row's Python value (``as_py``) for a row the
# native module reads from Python objects (see ``_nested``).
ARROW = "arrow"
LIST = "list"
FIELDS = "fields"

Handed = Any  # a column's cells: a list, (BOOLS | INTS, bytes), (TEXT, bytes, bytes) or (ARROW, ...)


def _typed(values: Any, kind: str) -> tuple[str, bytes]:
    """The cells of a NumPy array of booleans or signed integers as ``(kind, bytes)``."""
    import numpy

    dtype = numpy.bool_ if kind == BOOLS else numpy.int64
    return kind, numpy.ascontiguousarray(values, dtype=dtype).tobytes()


def _text(array: Any) -> tuple[str, bytes, bytes] | None:
    """An Arrow array (or chunked array) of strings without a null as ``(TEXT, offsets, text)``;
    ``None`` for any other (it is then handed over as a list)."""
    import numpy
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if len(array) == 0 or array.null_count:
        return None
    if not pa.types.is_large_string(array.type):
        array = array.cast(pa.large_string())
    _, offsets, text = array.buffers()
    if offsets is None:
        return None
    # This array's values start at its own offset; only their text is handed over.
    starts = numpy.frombuffer(offsets, dtype=numpy.int64)[array.offset : array.offset + len(array) + 1]
    first, last = int(starts[0]), int(starts[-1])
    held = b"" if text is None or last == first else text.slice(first, last - first).to_pybytes()
    return TEXT, (starts - first).tobytes(), held


def _nested(array: Any) -> tuple[str, Any, Any] | None:
    """An Arrow array (or chunked array) of lists or structs as ``(ARROW, nested, array)`` when
    every level is without a null and every leaf a boolean, a signed integer or a string;
    ``None`` for any other (it is then handed over as Python values)."""
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    nested = _nested_cells(array)
    if nested is None or nested[0] not in (LIST, FIELDS):
        return None
    return ARROW, nested, array


def _nested_cells(array: Any) -> Any:
    """The cells of an Arrow array without a null, as ``_nested`` hands them over, or ``None``."""
    import numpy
    import pyarrow.types as pat  # type: ignore[import-untyped, unused-ignore]

    if len(array) == 0 or array.null_count:
        return None
    arrow_type = array.type
    if pat.is_list(arrow_type) or pat.is_large_list(arrow_type):
        # The offsets of this array's own lists (a slice starts within its parent's items), and
        # their items alone (``flatten``).
        starts = numpy.asarray(array.offsets, dtype=numpy.int64)
        items = _nested_cells(array.flatten())
        if items is None:
            return None
        return LIST, (starts - starts[0]).tobytes(), items
    if pat.is_struct(arrow_type):
        names = [arrow_type.field(k).name for k in range(arrow_type.num_fields)]
        # ``flatten`` gives each field's values of this array's own rows.
        fields = [_nested_cells(field) for field in array.flatten()]
        if not names or len(set(names)) != len(names) or any(f is None for f in fields):
            return None
        return FIELDS, list(zip(names, fields))
    if _is_arrow_text(arrow_type):
        return _text(array)
    kind = _arrow_kind(arrow_type)
    if kind is not None:
        return _typed(array.to_numpy(zero_copy_only=False), kind)
    return None


def _is_arrow_text(arrow_type: Any) -> bool:
    import pyarrow.types as pat  # type: ignore[import-untyped, unused-ignore]

    return bool(
        pat.is_string(arrow_type)
        or pat.is_large_string(arrow_type)
        or getattr(pat, "is_string_view", lambda _: False)(arrow_type)
    )


def _pylist(array: Any) -> list[Any]:
    """An Arrow array's values as Python values (``to_pylist``), with the cyclic garbage collector
    paused: the dicts and lists made for a column of structs or lists hold no cycle, and a full
    collection set off by a hundred thousand of them took longer than making them."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return list(array.to_pylist())
    finally:
        if paused:
            gc.enable()


_PLAIN_LEAVES = frozenset(
    ("String", "Utf8", "Boolean", "Float32", "Float64", "Null")
    + tuple(f"{sign}Int{bits}" for sign in ("", "U") for bits in (8, 16, 32, 64))
)


def _nested_plain(dtype: Any, top: bool = True) -> bool:
    """Whether a polars dtype is a list or struct of strings, integers, floats and booleans only,
    whose Python values Arrow's ``to_pylist`` makes as polars' ``to_list`` does, and faster."""
    # A dtype inside another may be the class itself (``Int64``) rather than an instance.
    kind = dtype.__name__ if isinstance(dtype, type) else type(dtype).__name__
    if kind in ("List", "Array"):
        return _nested_plain(getattr(dtype, "inner", None), False)
    if kind == "Struct":
        fields = getattr(dtype, "fields", None) or []
        return all(_nested_plain(getattr(f, "dtype", None), False) for f in fields)
    return not top and kind in _PLAIN_LEAVES


def _numpy_kind(dtype: Any) -> str | None:
    """``BOOLS`` or ``INTS`` for a NumPy dtype of booleans or signed integers, else ``None``."""
    kind = getattr(dtype, "kind", None)
    if type(dtype).__module__.startswith("numpy") and kind in ("b", "i"):
        return BOOLS if kind == "b" else INTS
    return None


def _arrow_kind(arrow_type: Any) -> str | None:
    import pyarrow.types as pat  # type: ignore[import-untyped, unused-ignore]

    if pat.is_boolean(arrow_type):
        return BOOLS
    if pat.is_signed_integer(arrow_type):
        return INTS
    return None


def _polars_kind(dtype: Any) -> str | None:
    if str(dtype) == "Boolean":
        return BOOLS
    if str(dtype) in ("Int8", "Int16", "Int32", "Int64"):
        return INTS
    return None


def _arrow_handed(column: Any) -> Handed | None:
    """An Arrow array or chunked array handed over from its buffers: strings without a null
    (``_text``), lists and structs without a null (``_nested``), booleans and signed integers
    without a null (``_typed``); ``None`` for any other."""
    import pyarrow.types as pat  # type: ignore[import-untyped, unused-ignore]

    if _is_arrow_text(column.type):
        return _text(column)
    if pat.is_nested(column.type):
        return _nested(column)
    kind = _arrow_kind(column.type)
    if kind is not None and column.null_count == 0:
        # An Array copies booleans only when told to (a ChunkedArray's `to_numpy` always may, and
        # takes no such option before pyarrow 13).
        chunked = hasattr(column, "chunks")
        numbers = column.to_numpy() if chunked else column.to_numpy(zero_copy_only=False)
        return _typed(numbers, kind)
    return None


def _arrow_columns(table: Any) -> tuple[list[str], list[Handed], list[list[bool] | str | None], int]:
    """`columns` of a pyarrow Table or RecordBatch: nulls become ``None`` (``to_pylist``)."""
    names = [str(c) for c in table.column_names]
    values: list[Handed] = []
    for j in range(len(names)):
        column = table.column(j)
        handed = _arrow_handed(column)
        values.append(handed if handed is not None else _with_dates(_pylist(column), None))
    return names, values, [None] * len(names), table.num_rows


def arrow_table(frame: Any) -> Any:
    """A pandas DataFrame whose every column is held by Arrow (``pd.ArrowDtype``, or pandas'
    strings stored by pyarrow) as the pyarrow Table of the same columns, which shares their
    buffers, or ``None`` for any other frame (a NumPy or Python object column, a name that is
    not a string or is given twice, no rows or no column): `evaluate_many` then reads it as that
    table, through its Arrow stream. The frame's index is left out, as it is from the frame's
    rows."""
    names = list(frame.columns)
    if not names or len(frame) == 0 or len(set(names)) != len(names):
        return None
    if not all(type(name) is str for name in names):
        return None
    for dtype in frame.dtypes:
        arrow_dtype = getattr(dtype, "pyarrow_dtype", None) is not None  # pd.ArrowDtype
        arrow_text = getattr(dtype, "storage", None) == "pyarrow" and dtype.name in ("str", "string")
        if not (arrow_dtype or arrow_text):
            return None
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    # Column by column rather than `pa.Table.from_pandas`, which also writes the frame's
    # `attrs` into the table as JSON (and warns, an error under `-W error`, at a value that is
    # not JSON), and takes longer.
    return pa.Table.from_arrays([pa.array(frame[name]) for name in names], names=names)


def columns(frame: Any) -> tuple[list[str], list[Handed], list[list[bool] | str | None], int]:
    """A pandas or polars DataFrame (or a pyarrow Table or RecordBatch) as its column names, each
    column's values, each column's missing cells as a list of booleans (``None`` when none is
    missing; ``UNCHECKED`` for a pandas column of Python objects), and the number of rows. A column's
    values are a list (NumPy scalars become Python values, ``tolist``; a column of naive midnight
    date-times becomes dates), or, without a missing cell, ``(kind, bytes)`` for booleans and
    signed integers (see ``_typed``), ``(TEXT, offsets, text)`` for strings held by Arrow
    (see ``_text``) and ``(ARROW, nested, array)`` for lists and structs held by Arrow (pyarrow,
    polars) without a null at any level (see ``_nested``)."""
    if is_arrow(frame):
        return _arrow_columns(frame)
    names = [str(c) for c in frame.columns]
    values: list[Handed] = []
    missing: list[list[bool] | str | None] = []
    polars = hasattr(frame, "to_dicts")
    for j in range(len(names)):
        series = frame.to_series(j) if polars else frame.iloc[:, j]
        if polars:
            kind = _polars_kind(series.dtype)
            # A column's count of nulls is kept with it: no mask is built for a column without.
            mask: Any = None
            if series.dtype.is_float():
                mask = series.is_null() | series.is_nan()
                any_missing = bool(mask.any())
            else:
                any_missing = series.null_count() > 0
            if any_missing and mask is None:
                mask = series.is_null()
            if kind is not None and not any_missing:
                values.append(_typed(series.to_numpy(), kind))
                missing.append(None)
                continue
            text = _text(series.to_arrow()) if str(series.dtype) in ("String", "Utf8") else None
            if text is None and not any_missing and series.dtype.is_nested():
                text = _nested(series.to_arrow())
            if text is not None:
                values.append(text)
                missing.append(None)
                continue
            cells = _pylist(series.to_arrow()) if _nested_plain(series.dtype) else series.to_list()
        else:
            kind = _numpy_kind(series.dtype)
            if kind is not None:  # a NumPy column of booleans or integers has no missing cell
                values.append(_typed(series.to_numpy(), kind))
                missing.append(None)
                continue
            arrow_text = getattr(series.dtype, "storage", None) == "pyarrow"
            arrow_dtype = getattr(series.dtype, "pyarrow_dtype", None) is not None  # pd.ArrowDtype
            if arrow_dtype or (arrow_text and series.dtype.name in ("str", "string")):
                import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

                handed = _arrow_handed(pa.array(series))
                if handed is not None:
                    values.append(handed)
                    missing.append(None)
                    continue
            cells = series.tolist()
            if series.dtype == object:
                values.append(_with_dates(cells, None))
                missing.append(UNCHECKED)
                continue
            mask = series.isna()
            any_missing = bool(mask.any())
        flags = mask.to_list() if any_missing else None
        values.append(_with_dates(cells, flags))
        missing.append(flags)
    return names, values, missing, len(frame)
