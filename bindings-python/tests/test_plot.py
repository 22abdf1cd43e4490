"""``plot_timeline``: the five dialogues on one time axis."""

from __future__ import annotations

import sys

import pytest

import euca

from conftest import need


def test_plot_timeline_draws_the_five_dialogues(data, tmp_path):
    plt = need("matplotlib.pyplot")
    ax = euca.plot_timeline(data)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        c["name"] for c in data.countries() if c["kind"] == "central_asian_state"
    ]
    assert len(ax.lines) > 20  # rounds, seminars and format changes dated to the day
    assert len(ax.collections) > 5  # partial dates and derived rounds as spans
    ax.figure.savefig(tmp_path / "timeline.png")
    assert (tmp_path / "timeline.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    plt.close(ax.figure)


def _drawn(ax, colour: str) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """What is drawn in one colour: the (first day, row) of each marker, and of each bar."""
    import matplotlib.colors as mcolors
    import matplotlib.dates as mdates

    def day(x: float) -> str:
        return mdates.num2date(x).date().isoformat()

    markers, bars = [], []
    for line in ax.lines:
        if mcolors.to_hex(line.get_color()) == colour.lower():
            markers += [(day(x), round(y)) for x, y in zip(line.get_xdata(), line.get_ydata())]
    for collection in ax.collections:
        faces = collection.get_facecolor()
        if len(faces) and mcolors.to_hex(faces[0], keep_alpha=False) == colour.lower():
            for path in collection.get_paths():
                xs, ys = path.vertices[:, 0], path.vertices[:, 1]
                bars.append((day(xs.min()), round((ys.min() + ys.max()) / 2)))
    assert len(markers) == len(set(markers)) and len(bars) == len(set(bars))  # each drawn once
    return set(markers), set(bars)


def test_plot_timeline_draws_every_seminar_and_format_change(data):
    plt = need("matplotlib.pyplot")
    from euca import plot

    ax = euca.plot_timeline(data)
    states = [c["id"] for c in data.countries() if c["kind"] == "central_asian_state"]
    records = data.timeline_records()

    def expected(kind: str, to_the_day: bool) -> set[tuple[str, int]]:
        return {
            (r["start"], states.index(r["country"]))
            for r in records
            if r["kind"] == kind and (r["start"] == r["end"]) == to_the_day
        }

    # A marker on its country's row for an event dated to the day, a bar over every day it can
    # have taken place for the others (the seminar of March 2009 in Bishkek spans the month).
    markers, bars = _drawn(ax, plot._SEMINAR)
    assert len(markers) + len(bars) == len(data.seminars()) == 10
    assert (markers, bars) == (expected("seminar", True), expected("seminar", False))
    assert ("2009-03-01", states.index("KG")) in bars
    markers, bars = _drawn(ax, plot._FORMAT)
    assert (markers, bars) == (expected("format_changed", True), expected("format_changed", False))
    assert len(markers) + len(bars) == 3
    plt.close(ax.figure)


def test_plot_timeline_on_given_axes_with_the_plan(data):
    plt = need("matplotlib.pyplot")
    fig, ax = plt.subplots()
    assert euca.plot_timeline(data, ax, plan_years=2, as_of="2025-07-01") is ax
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "projected round (due window)" in labels
    plt.close(fig)


def test_plot_timeline_without_matplotlib_says_which_extra(data, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install 'euca\[plot\]'"):
        euca.plot_timeline(data)
