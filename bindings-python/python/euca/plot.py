"""``plot_timeline``: the five dialogues on one time axis (needs the ``plot`` extra, matplotlib)."""

from __future__ import annotations

import datetime

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover - imported for type checkers only (see euca.iati)
    from typing import Any, Optional

    from matplotlib.axes import Axes

    from euca._euca import Dataset

__all__ = ["plot_timeline"]

# One colour per kind of event (colour-blind safe, Okabe-Ito).
_ROUND = "#0072B2"
_SEMINAR = "#E69F00"
_FORMAT = "#009E73"
_AGREED = "#CC79A7"
_DERIVED = "#999999"
_PROJECTED = "#56B4E9"


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def plot_timeline(
    dataset: Dataset,
    ax: Optional[Axes] = None,
    *,
    plan_years: Optional[int] = None,
    as_of: Any = None,
) -> Axes:
    """Draws the five dialogues' rounds, seminars and format changes on one time axis.

    One row per Central Asian state. An event dated to the day is a marker; an event the sources
    date only to a month or a year (or that lasted several days) is a bar over every day it can
    have taken place, so a partial date is never drawn as if it were known to the day. Rounds
    known only from the numbering are grey bars; inferred rounds are hollow markers.

    Args:
        dataset: The dataset to draw (``euca.Dataset.embedded()``).
        ax: The matplotlib axes to draw on; a new figure when ``None``.
        plan_years: Also draw the rounds projected this many years after ``as_of`` (their due
            windows, as light bars).
        as_of: The day projections start from (default: today in UTC).

    Returns:
        The axes drawn on.

    Raises:
        ImportError: When matplotlib is not installed (``pip install 'euca[plot]'``).
    """
    try:
        import matplotlib.dates as mdates
        import matplotlib.pyplot as plt
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch
    except ImportError as e:
        raise ImportError(
            "plot_timeline() needs the optional dependency `matplotlib`: "
            "pip install 'euca[plot]' (or pip install matplotlib)"
        ) from e

    if ax is None:
        _, ax = plt.subplots(figsize=(12, 4.5))
    states = [c for c in dataset.countries() if c["kind"] == "central_asian_state"]
    row = {c["id"]: i for i, c in enumerate(states)}
    records = dataset.timeline_records(plan_years=plan_years, as_of=as_of)

    for r in records:
        country = r.get("country")
        if country not in row:
            continue
        y = row[country]
        start, end = _day(r["start"]), _day(r["end"])
        kind, status = r["kind"], r["status"]
        if kind == "round":
            offset, colour, marker = 0.15, _ROUND, "o"
            if status == "derived":
                colour = _DERIVED
            elif status == "projected":
                colour = _PROJECTED
        elif kind == "seminar":
            offset, colour, marker = -0.15, _SEMINAR, "s"
        elif kind == "format_changed":
            offset, colour, marker = 0.0, _FORMAT, "|"
        elif kind == "dialogue_agreed":
            offset, colour, marker = 0.0, _AGREED, "D"
        else:
            continue
        x = float(mdates.date2num(start))  # type: ignore[no-untyped-call, unused-ignore]
        if start == end:
            hollow = status == "inferred" and marker not in ("|",)
            ax.plot(
                [x],
                [y + offset],
                marker=marker,
                markersize=9 if marker == "|" else 6,
                markeredgewidth=2 if marker == "|" else 1,
                color=colour,
                markerfacecolor="white" if hollow else colour,
                linestyle="none",
                zorder=3,
            )
        else:
            days = float((end - start).days + 1)  # both ends included
            ax.broken_barh(
                [(x, days)],
                (y + offset - 0.08, 0.16),
                facecolors=colour,
                alpha=0.25 if status == "projected" else 0.45,
                hatch="//" if status == "derived" else None,
                edgecolor=colour,
                linewidth=0.5,
                zorder=2,
            )

    ax.xaxis_date()
    ax.set_yticks(range(len(states)))
    ax.set_yticklabels([c["name"] for c in states])
    ax.set_ylim(-0.6, len(states) - 0.4)
    ax.invert_yaxis()
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("EU human rights dialogues with Central Asia")
    handles = [
        Line2D([], [], marker="o", color=_ROUND, linestyle="none", label="round (day known)"),
        Patch(facecolor=_ROUND, alpha=0.45, label="round (month or year known)"),
        Patch(facecolor=_DERIVED, alpha=0.45, hatch="//", label="round known only from the numbering"),
        Line2D([], [], marker="s", color=_SEMINAR, linestyle="none", label="civil-society seminar"),
        Line2D([], [], marker="|", color=_FORMAT, linestyle="none", markersize=9, label="format change"),
        Line2D([], [], marker="D", color=_AGREED, linestyle="none", label="dialogue agreed"),
    ]
    if plan_years is not None:
        handles.append(Patch(facecolor=_PROJECTED, alpha=0.25, label="projected round (due window)"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    return ax
