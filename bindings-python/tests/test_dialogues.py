"""Region and dialogues: countries, dialogues, formats, rounds, seminars, the timeline, dates."""

from __future__ import annotations

import datetime
import json
from zoneinfo import ZoneInfo

import pytest

import euca

from conftest import FIXTURES, need


def test_country_by_code_alpha3_or_name(data):
    assert data.country("KG")["id"] == "KG"
    assert data.country("kgz")["id"] == "KG"
    assert data.country("Kyrgyzstan")["id"] == "KG"


def test_unknown_country_names_the_argument(data):
    with pytest.raises(euca.QueryError) as e:
        data.country("XX")
    assert e.value.code == "unknown_country"
    assert e.value.errors() == [
        {"code": "unknown_country", "message": str(e.value), "path": "country"}
    ]
    assert "`XX`" in str(e.value)


def test_dialogue_by_country_or_id(data):
    assert data.dialogue("Uzbekistan")["id"] == data.dialogue("hrd-uz")["id"] == "hrd-uz"


def test_the_eu_has_no_dialogue(data):
    with pytest.raises(euca.QueryError) as e:
        data.dialogue("EU")
    assert e.value.code == "unknown_record"


def test_format_on_takes_edtf_text_dates_and_aware_datetimes(data):
    assert data.format_on("TM", "2007")["possible"][0]["dialogue_type"] == "ad_hoc"
    june = data.format_on("TM", "2008-06-15")
    assert june["certain"] is False and june["reason"]
    on_day = data.format_on("TM", datetime.date(2009, 1, 1))
    assert on_day["certain"] and on_day["possible"][0]["dialogue_type"] == "structured"
    aware = datetime.datetime(2009, 1, 1, 12, tzinfo=ZoneInfo("Asia/Ashgabat"))
    assert data.format_on("TM", aware) == on_day


def test_format_on_rejects_a_naive_datetime_and_a_bad_date(data):
    with pytest.raises(euca.QueryError) as e:
        data.format_on("TM", datetime.datetime(2009, 1, 1))
    assert (e.value.code, e.value.errors()[0]["path"]) == ("naive_datetime", "date")
    with pytest.raises(euca.QueryError) as e:
        data.format_on("TM", "2009-02-30")
    assert (e.value.code, e.value.errors()[0]["path"]) == ("invalid_date", "date")
    with pytest.raises(TypeError, match="date"):
        data.format_on("TM", 2009)  # type: ignore[arg-type]


def test_rounds_of_lists_stored_and_derived_rounds(data):
    rounds = data.rounds_of("KZ")
    numbers = [r["number"] for r in rounds]
    assert numbers == list(range(1, len(rounds) + 1))
    derived = [r for r in rounds if r["derived"]]
    assert derived and all("id" not in r and "date" not in r and r["sources"] for r in derived)
    stored = {r["id"] for r in data.rounds() if r["dialogue"] == "hrd-kz"}
    assert {r["id"] for r in rounds if not r["derived"]} == stored


def test_rounds_in_and_seminars_in_a_period(data):
    in_2008 = data.rounds_in("2008", "2008")
    assert in_2008 and all(r["within"] in ("certainly", "possibly") for r in in_2008)
    assert all(r["latest"] >= "2008-01-01" and r["earliest"] <= "2008-12-31" for r in in_2008)
    since = data.rounds_in(since=datetime.date(2020, 1, 1))
    assert all(r["latest"] >= "2020-01-01" for r in since)
    assert len(data.rounds_in()) >= len(data.rounds())
    assert len(data.seminars_in()) == len(data.seminars())
    assert all(s["latest"] <= "2009-12-31" for s in data.seminars_in(until="2009"))


def test_period_bounds_name_their_argument(data):
    with pytest.raises(euca.QueryError) as e:
        data.rounds_in(until="2008-13")
    assert e.value.errors()[0]["path"] == "until"


def test_countries_without_seminar_before(data):
    gaps = data.countries_without_seminar_before("2008")
    assert {g["country"] for g in gaps} == {"KZ", "KG", "TJ", "TM", "UZ"}


def test_timeline_is_oldest_first_with_sources(data):
    events = data.timeline()
    assert [e["earliest"] for e in events] == sorted(e["earliest"] for e in events)
    assert all(e["sources"] for e in events)


def test_timeline_records_are_flat_and_can_include_the_plan(data):
    rows = data.timeline_records()
    assert {"start", "end", "kind", "status"} <= set(rows.columns)
    assert any(r["status"] == "derived" for r in rows)
    planned = data.timeline_records(plan_years=2, as_of="2025-07-01")
    projected = [r for r in planned if r["status"] == "projected"]
    assert projected and len(planned) == len(rows) + len(projected)
    assert [(r["start"], r["end"]) for r in planned] == sorted((r["start"], r["end"]) for r in planned)


def test_serving_a_priority(data):
    rows = data.serving("strategy-2007/human-rights")
    assert {r["kind"] for r in rows} >= {"dialogue"}
    with pytest.raises(euca.QueryError) as e:
        data.serving("strategy-2007/nope")
    assert e.value.errors()[0]["path"] == "priority"


# ---- dates ---------------------------------------------------------------------------------------

DATE_CASES = [c for c in json.loads((FIXTURES / "dates.json").read_text()) if c["kind"] == "date"]


def test_parse_date_reads_every_notation():
    june = euca.parse_date("2008-06")
    assert june == {"display": "2008-06", "earliest": "2008-06-01", "latest": "2008-06-30", "precision": "month"}
    assert euca.parse_date(datetime.date(2008, 6, 15))["precision"] == "day"
    with pytest.raises(euca.QueryError) as e:
        euca.parse_date("2008-13")
    assert (e.value.code, e.value.errors()[0]["path"]) == ("invalid_date", "text")


def test_date_relation():
    assert euca.date_relation("2008", "2009") == "before"
    assert euca.date_relation("2009", "2008") == "after"
    assert euca.date_relation("2008-06-15", datetime.date(2008, 6, 15)) == "same"
    assert euca.date_relation("2008", "2008-06") == "cannot_tell"
    with pytest.raises(euca.QueryError) as e:
        euca.date_relation("2008", "x")
    assert e.value.errors()[0]["path"] == "b"


@pytest.mark.parametrize(
    "case", [c for c in DATE_CASES if "error" not in c["expected"]], ids=lambda c: c["input"]["text"]
)
def test_euca_reads_dates_as_the_independent_edtf_package_does(case):
    edtf = need("edtf")
    text = case["input"]["text"]
    ours = euca.parse_date(text)
    theirs = edtf.parse_edtf(text)
    lower, upper = theirs.lower_strict(), theirs.upper_strict()
    assert ours["earliest"] == datetime.date(lower.tm_year, lower.tm_mon, lower.tm_mday).isoformat()
    assert ours["latest"] == datetime.date(upper.tm_year, upper.tm_mon, upper.tm_mday).isoformat()
