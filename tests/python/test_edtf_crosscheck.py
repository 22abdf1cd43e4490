"""euca's reading of every EDTF notation it accepts, checked against the independent `edtf` package.

The cases are the `date` cases of tests/fixtures/dates.json, the same cases the Rust core (and later
the Python and JavaScript bindings) must pass. Here they are read by `edtf` from PyPI, which knows
nothing of euca: a date euca accepts must parse in `edtf` to the same first and last day, and a date
euca rejects must be rejected by `edtf` too, unless it is listed below with the reason euca is
stricter.
"""

import datetime
import json
import pathlib

import edtf
import pytest

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "dates.json"
CASES = [c for c in json.loads(FIXTURES.read_text(encoding="utf-8")) if c["kind"] == "date"]

# Notations that EDTF (or this edtf package) accepts but euca rejects on purpose.
STRICTER = {
    "2009-02-29": "edtf does not check the length of February in common years",
    "0000": "EDTF year 0 is 1 BCE; euca's sources are all Common Era, years 0001-9999",
    "2009/2008": "edtf does not check that an interval ends after it starts",
    "[2018,2018]": "euca rejects a one-of set that lists the same date twice",
    "2008?": "euca does not support uncertainty qualifiers; sources' doubt is a one-of set",
    "200X": "euca does not support unspecified digits",
    "2008/..": "euca does not support open interval ends (period queries take an open end instead)",
    "2008-21": "euca does not support seasons",
}


def _day(t):
    return datetime.date(t.tm_year, t.tm_mon, t.tm_mday).isoformat()


@pytest.mark.parametrize(
    "case", [c for c in CASES if "error" not in c["expected"]], ids=lambda c: c["input"]["text"]
)
def test_edtf_reads_accepted_dates_with_the_same_bounds(case):
    parsed = edtf.parse_edtf(case["input"]["text"])
    assert _day(parsed.lower_strict()) == case["expected"]["earliest"]
    assert _day(parsed.upper_strict()) == case["expected"]["latest"]


@pytest.mark.parametrize(
    "case", [c for c in CASES if "error" in c["expected"]], ids=lambda c: repr(c["input"]["text"])
)
def test_rejected_dates_are_rejected_by_edtf_unless_euca_is_stricter_on_purpose(case):
    text = case["input"]["text"]
    if text in STRICTER:
        edtf.parse_edtf(text)  # edtf accepts it: the reason above says why euca does not
        return
    with pytest.raises(Exception):
        edtf.parse_edtf(text)
