"""Applications from a DataFrame whose columns are dotted paths (``applicant.country``).

``columns(frame)`` hands the frame over a column at a time (each column one ``tolist()`` and one
``isna()``, done by pandas or polars), and the native module assembles each row's application from
them (``bindings-python/src/frames.rs``). ``rows(frame)`` builds the nested dicts in Python, the
same applications; it stays as the readable statement of the rules and for the tests.

A missing value (``None``, ``NaN``, ``NaT``, ``pd.NA``) leaves the field out, so that the criteria
that read it are undetermined, exactly as for a dict without the key. Columns of naive
``datetime64`` values that are all at midnight are read as dates (pandas has no date type: a
column parsed with ``pd.to_datetime`` holds ``Timestamp('2015-03-01 00:00:00')``); any other naive
date-time is handed over as it is, and the core reports it as a ``naive_datetime`` where an instant
is needed.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from euca.exceptions import ValidationError


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
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
    if hasattr(frame, "to_dicts"):  # polars
        table = [[row[c] for c in columns] for row in frame.to_dicts()]
    else:  # pandas
        table = [list(r) for r in frame.itertuples(index=False, name=None)]
    table = [[_plain(v) for v in r] for r in table]
    midnight = _midnight_columns(columns, table)
    out: list[dict[str, Any]] = []
    for r in table:
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
    present = [v for j, v in enumerate(values) if not (missing and missing[j]) and not _missing(v)]
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
    first = next((v for k, v in enumerate(cells) if not (flags and flags[k]) and not _missing(v)), None)
    if isinstance(first, datetime.datetime):
        dates = _midnight_dates(cells, flags)
        if dates is not None:
            return dates
    return cells


def _arrow_columns(table: Any) -> tuple[list[str], list[list[Any]], list[list[bool] | None], int]:
    """`columns` of a pyarrow Table or RecordBatch: nulls become ``None`` (``to_pylist``)."""
    names = [str(c) for c in table.column_names]
    values = [_with_dates(table.column(j).to_pylist(), None) for j in range(len(names))]
    return names, values, [None] * len(names), table.num_rows


def columns(frame: Any) -> tuple[list[str], list[list[Any]], list[list[bool] | None], int]:
    """A pandas or polars DataFrame (or a pyarrow Table or RecordBatch) as its column names, each column's values as a list, each
    column's missing cells as a list of booleans (``None`` when none is missing), and the number of
    rows. NumPy scalars become Python values (``tolist``); a column of naive midnight date-times
    becomes dates."""
    if is_arrow(frame):
        return _arrow_columns(frame)
    names = [str(c) for c in frame.columns]
    values: list[list[Any]] = []
    missing: list[list[bool] | None] = []
    polars = hasattr(frame, "to_dicts")
    for j in range(len(names)):
        series = frame.to_series(j) if polars else frame.iloc[:, j]
        if polars:
            mask = series.is_null()
            if series.dtype.is_float():
                mask = mask | series.is_nan()
            any_missing = bool(mask.any())
        else:
            mask = series.isna()
            any_missing = bool(mask.any())
        cells = series.to_list() if polars else series.tolist()
        flags = mask.to_list() if any_missing else None
        values.append(_with_dates(cells, flags))
        missing.append(flags)
    return names, values, missing, len(frame)
