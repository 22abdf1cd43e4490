"""Applications from a DataFrame whose columns are dotted paths (``applicant.country``).

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
