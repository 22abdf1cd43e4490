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
