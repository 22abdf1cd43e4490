"""The light ``Records`` sequence: list behaviour, DataFrames, missing extras."""

from __future__ import annotations

import pickle
import sys

import pytest

import euca

from conftest import need
from euca.records import Records, columns_to_pandas, columns_to_polars, records_from_columns

ROWS = [
    {"id": "a", "start": "2008-06-01", "date": "2008-06", "n": 1},
    {"id": "b", "start": "2009-01-15", "date": "2009-01-15", "n": None, "extra": [1, 2]},
]


def test_records_behave_like_a_list_of_dicts():
    r = Records(ROWS)
    assert len(r) == 2
    assert r[0] == ROWS[0] and r[-1]["id"] == "b"
    assert isinstance(r[:1], Records) and r[:1] == [ROWS[0]]
    assert [row["id"] for row in r] == ["a", "b"]
    assert r == Records(ROWS) and r == ROWS and r != Records()
    assert r.columns == ["id", "start", "date", "n", "extra"]
    assert "Records([" in repr(r)
    with pytest.raises(IndexError):
        r[5]
    with pytest.raises(TypeError):
        hash(r)


def test_to_list_shares_nothing():
    r = Records(ROWS)
    copy = r.to_list()
    copy[1]["extra"].append(3)
    assert r[1]["extra"] == [1, 2]


def test_records_pickle():
    r = Records(ROWS)
    assert pickle.loads(pickle.dumps(r)) == r


def test_to_pandas_parses_day_columns_and_leaves_edtf_alone():
    pd = need("pandas")
    frame = Records(ROWS).to_pandas()
    assert list(frame.columns) == ["id", "start", "date", "n", "extra"]
    assert str(frame["start"].dtype).startswith("datetime64")
    assert frame["date"].tolist() == ["2008-06", "2009-01-15"]
    assert pd.isna(frame.loc[0, "extra"])
    raw = Records(ROWS).to_pandas(parse_dates=False)
    assert raw["start"].tolist() == ["2008-06-01", "2009-01-15"]


def test_to_pandas_never_fails_on_days_far_from_today():
    need("pandas")
    frame = Records([{"d": "0001-01-01"}, {"d": "9999-12-31"}]).to_pandas()
    # Dates where pandas can hold them (pandas 2 cannot before 1677), text otherwise.
    assert [str(v)[:10] for v in frame["d"]] == ["0001-01-01", "9999-12-31"]


def test_to_polars_parses_day_columns():
    pl = need("polars")
    frame = Records(ROWS).to_polars()
    assert frame.schema["start"] == pl.Date
    assert frame["date"].to_list() == ["2008-06", "2009-01-15"]
    assert frame["extra"].to_list() == [None, [1, 2]]


def test_empty_records_make_empty_frames():
    need("pandas")
    need("polars")
    assert len(Records().to_pandas()) == 0
    assert len(Records().to_polars()) == 0


def test_real_tables_become_frames(data):
    need("pandas")
    need("polars")
    for table in (data.timeline_records(), data.status(as_of="2020-01-01"), data.regularity(), data.rounds_in(), data.seminars()):
        assert len(table.to_pandas()) == len(table) == len(table.to_polars())


def test_a_missing_extra_says_which_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(ImportError, match=r"pip install 'euca\[pandas\]'"):
        Records(ROWS).to_pandas()
    with pytest.raises(ImportError, match=r"pip install 'euca\[polars\]'"):
        Records(ROWS).to_polars()
    with pytest.raises(ImportError, match="pandas"):
        columns_to_pandas({"a": [1]})
    with pytest.raises(ImportError, match="polars"):
        columns_to_polars({"a": [1]})


def test_columns_to_rows():
    assert records_from_columns({"a": [1, 2], "b": ["x", "y"]}) == [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]


def test_the_html_table_escapes_and_abbreviates():
    rows = Records([{"t": "<b>", "sources": [{"title": "s"}]}] * 25)
    html = rows._repr_html_()
    assert "&lt;b&gt;" in html and "[1 items]" in html and "5 more rows" in html


def test_records_are_exported():
    assert euca.Records is Records
