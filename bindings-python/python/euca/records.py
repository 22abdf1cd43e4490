"""Tables as plain records: the light ``Records`` sequence every tabular query returns.

Each row is a plain ``dict`` in the documents' JSON shape (snake_case keys; dates as ISO text,
EDTF where a source gives a partial date; money in minor units). ``to_pandas()`` and
``to_polars()`` build a DataFrame when the optional extra is installed (``pip install
'euca[pandas]'``, ``'euca[polars]'``); columns whose every value is an ISO day (``2008-06-15``)
become dates there, while EDTF columns (``2008-06``, ``[2018,2019]``) stay text.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Sequence

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover - imported for type checkers only (see euca.iati)
    from typing import Any, overload

    import pandas  # type: ignore[import-untyped, unused-ignore]
    import polars
else:

    def overload(function):  # the overloads are for type checkers; the last definition runs
        return function

__all__ = ["Records", "records_from_columns", "columns_to_pandas", "columns_to_polars"]


def _is_day(value: object) -> bool:
    """Whether ``value`` is an ISO day (``2020-09-04``: ASCII digits; no ``re`` at import time)."""
    if not isinstance(value, str) or len(value) != 10 or value[4] != "-" or value[7] != "-":
        return False
    digits = value[:4] + value[5:7] + value[8:]
    return digits.isascii() and digits.isdigit()


def _require(module: str, extra: str, what: str) -> Any:
    """Imports an optional dependency, or says which extra to install."""
    try:
        return __import__(module)
    except ImportError as e:
        raise ImportError(
            f"{what} needs the optional dependency `{module}`: "
            f"pip install 'euca[{extra}]' (or pip install {module})"
        ) from e


def _day_columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The columns whose every non-missing value is an ISO day (and that have at least one)."""
    seen: dict[str, bool] = {}
    for row in rows:
        for key, value in row.items():
            if value is None:
                continue
            ok = _is_day(value)
            seen[key] = seen.get(key, True) and ok
    return [k for k, ok in seen.items() if ok]


class Records(Sequence[dict[str, "Any"]]):
    """A table of plain records: a sequence of dicts, one per row.

    ``len(records)``, ``records[i]`` (a dict), ``records[a:b]`` (``Records``) and iteration work as
    for a list; ``to_list()`` gives a list of independent dicts, ``to_pandas()`` and
    ``to_polars()`` a DataFrame.
    """

    __slots__ = ("_rows",)

    def __init__(self, rows: Iterable[dict[str, Any]] = ()) -> None:
        self._rows: list[dict[str, Any]] = list(rows)

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> Records: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | Records:
        if isinstance(index, slice):
            return Records(self._rows[index])
        return self._rows[index]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._rows)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Records):
            return self._rows == other._rows
        if isinstance(other, list):
            return self._rows == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        head = ", ".join(repr(r) for r in self._rows[:2])
        more = f", ... {len(self._rows) - 2} more" if len(self._rows) > 2 else ""
        return f"Records([{head}{more}])"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Records, (self._rows,))

    @property
    def columns(self) -> list[str]:
        """Every key of any row, in the order of first appearance."""
        seen: dict[str, None] = {}
        for row in self._rows:
            for key in row:
                seen.setdefault(key, None)
        return list(seen)

    def to_list(self) -> list[dict[str, Any]]:
        """The rows as a list of dicts that share nothing with this table."""
        return copy.deepcopy(self._rows)

    def to_pandas(self, *, parse_dates: bool = True) -> pandas.DataFrame:
        """The rows as a pandas DataFrame (one column per key; absent values are missing).

        Args:
            parse_dates: Turn columns whose every value is an ISO day into ``datetime64``
                columns (EDTF columns such as ``date`` stay text).

        Returns:
            A ``pandas.DataFrame``.

        Raises:
            ImportError: When pandas is not installed (``pip install 'euca[pandas]'``).
        """
        pd = _require("pandas", "pandas", "Records.to_pandas()")
        frame: pandas.DataFrame = pd.DataFrame.from_records(self._rows, columns=self.columns)
        if parse_dates:
            for column in _day_columns(self._rows):
                try:
                    frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
                except (ValueError, OverflowError):
                    pass  # a day outside pandas' range (years 1677-2262) stays text
        return frame

    def to_polars(self, *, parse_dates: bool = True) -> polars.DataFrame:
        """The rows as a polars DataFrame (one column per key; absent values are null).

        Args:
            parse_dates: Turn columns whose every value is an ISO day into ``Date`` columns.

        Returns:
            A ``polars.DataFrame``.

        Raises:
            ImportError: When polars is not installed (``pip install 'euca[polars]'``).
        """
        pl = _require("polars", "polars", "Records.to_polars()")
        columns = self.columns
        rows = [{c: row.get(c) for c in columns} for row in self._rows]
        frame: polars.DataFrame = (
            pl.from_dicts(rows, infer_schema_length=None) if rows else pl.DataFrame()
        )
        if parse_dates and rows:
            days = _day_columns(self._rows)
            frame = frame.with_columns(
                [pl.col(c).str.to_date("%Y-%m-%d", strict=False) for c in days]
            )
        return frame

    def _repr_html_(self) -> str:
        """A small HTML table for notebooks (the first 20 rows)."""
        import html  # here, not at import time: `import euca` stays quick

        columns = self.columns
        head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
        body = []
        for row in self._rows[:20]:
            cells = "".join(
                f"<td>{html.escape(_cell(row.get(c)))}</td>" for c in columns
            )
            body.append(f"<tr>{cells}</tr>")
        more = (
            f"<p>{len(self._rows) - 20} more rows</p>" if len(self._rows) > 20 else ""
        )
        return (
            f"<table class='euca-records'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>{more}"
        )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return f"[{len(value)} items]"
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def records_from_columns(columns: dict[str, list[Any]]) -> Records:
    """Turns equal-length columns into rows."""
    names = list(columns)
    return Records(dict(zip(names, values)) for values in zip(*columns.values()))


def columns_to_pandas(columns: dict[str, list[Any]]) -> pandas.DataFrame:
    """Equal-length columns as a pandas DataFrame."""
    pd = _require("pandas", "pandas", "to_pandas()")
    frame: pandas.DataFrame = pd.DataFrame(columns)
    return frame


def columns_to_polars(columns: dict[str, list[Any]]) -> polars.DataFrame:
    """Equal-length columns as a polars DataFrame."""
    pl = _require("polars", "polars", "to_polars()")
    frame: polars.DataFrame = pl.DataFrame(columns, strict=False)
    return frame
