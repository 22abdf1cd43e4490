"""Dialogue cycles: status, regularity, intervals, years, plan, stages, calendar."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

import euca

PHASES = {"not_yet_agreed", "awaiting_first_round", "on_schedule", "due", "overdue", "suspended", "ended"}


def test_status_of_every_dialogue_on_a_day(data):
    rows = data.status(as_of="2021-01-15")
    assert len(rows) == 5
    assert all(r["as_of"] == "2021-01-15" for r in rows)
    assert all(set(r["possible_phases"]) <= PHASES for r in rows)


def test_status_of_one_dialogue_with_every_kind_of_day(data):
    expected = data.status_of("TM", "2021-01-15")
    assert expected["phase"] == "on_schedule"
    assert expected["last_round_number"] == 12
    assert data.status_of("TM", datetime.date(2021, 1, 15)) == expected
    aware = datetime.datetime(2021, 1, 15, 9, tzinfo=ZoneInfo("Asia/Ashgabat"))
    assert data.status_of("TM", aware) == expected
    assert data.status_of("TM", "2021-01-15T09:00:00+05:00") == expected


def test_status_defaults_to_today_in_utc(data):
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    assert {r["as_of"] for r in data.status()} <= {today, (datetime.date.fromisoformat(today) - datetime.timedelta(days=1)).isoformat()}


def test_as_of_must_be_a_day(data):
    with pytest.raises(euca.QueryError) as e:
        data.status(as_of="2021")
    assert (e.value.code, e.value.errors()[0]["path"]) == ("invalid_date", "as_of")
    with pytest.raises(euca.QueryError) as e:
        data.status(as_of=datetime.datetime(2021, 1, 15, 9))
    assert e.value.code == "naive_datetime"
    with pytest.raises(euca.QueryError) as e:
        data.status(as_of="2021-01-15T09:00:00")
    assert e.value.code == "naive_datetime"
    with pytest.raises(euca.QueryError) as e:
        data.status(as_of="2021-01-15T09:00:00[Europe/Atlantis]")
    assert e.value.code == "unknown_time_zone"
    with pytest.raises(TypeError, match="as_of"):
        data.status(as_of=20210115)  # type: ignore[arg-type]


def test_status_of_an_unknown_country(data):
    with pytest.raises(euca.QueryError) as e:
        data.status_of("Atlantis", "2021-01-15")
    assert e.value.errors()[0]["path"] == "country"


def test_regularity_has_a_row_per_dialogue_and_one_for_the_region(data):
    rows = data.regularity()
    assert [r["scope"] for r in rows] == ["dialogue"] * 5 + ["region"]
    region = rows[-1]
    assert region["rounds"] == sum(r["rounds"] for r in rows[:-1])


def test_intervals_and_round_years(data):
    intervals = data.intervals()
    assert all(1 <= i["days_min"] <= i["days_max"] for i in intervals)
    assert {i["timing"] for i in intervals} <= {"early", "on_time", "late", "cannot_tell"}
    years = data.round_years()
    assert {y["status"] for y in years} <= {"confirmed", "unknown", "none"}


def test_plan_projects_rounds_ahead(data):
    plan = data.plan(as_of="2025-07-01")
    tm = next(p for p in plan if p["country"] == "TM")
    assert tm["number"] == 18
    assert tm["nominal_earliest"] == "2026-06-17"
    assert all(p["projected"] for p in plan)
    longer = data.plan(years=3, as_of="2025-07-01", consultation_weeks=6)
    assert len(longer) > len(plan)
    tm6 = next(p for p in longer if p["country"] == "TM")
    assert tm6["consultation_earliest"] == "2026-05-06"


def test_plan_rejects_a_negative_horizon(data):
    with pytest.raises(euca.QueryError) as e:
        data.plan(years=-1)
    assert (e.value.code, e.value.errors()[0]["path"]) == ("invalid_value", "years")


def test_stages_of_a_round(data):
    first = data.rounds()[0]["id"]
    stages = data.stages_of(first)
    assert len({s["stage"] for s in stages}) == 5 and {"preparation", "round", "assessment"} <= {s["stage"] for s in stages}
    assert len(data.round_stages()) >= len(data.rounds()) * 5
    with pytest.raises(euca.QueryError) as e:
        data.stages_of("hrd-xx/1")
    assert (e.value.code, e.value.errors()[0]["path"]) == ("unknown_record", "round")


def test_calendar_events_and_ical_agree(data):
    events = data.calendar_events(countries=["TM"], as_of="2025-01-01")
    text = data.to_ical(countries=["TM"], as_of="2025-01-01")
    assert text.startswith("BEGIN:VCALENDAR")
    assert text.count("BEGIN:VEVENT") == len(events)
    assert all(e["country"] == "TM" for e in events)
    assert "DTSTART;VALUE=DATE:20080601" in text  # June 2008: the whole month


def test_ical_filters(data):
    only_rounds = data.calendar_events(
        since="2019", until="2021", seminars=False, due_windows=False, projected_rounds=False,
        consultations=False, as_of="2025-01-01",
    )
    assert only_rounds and {e["kind"] for e in only_rounds} == {"round"}
    assert all(e["last_day"] >= "2019-01-01" and e["first_day"] <= "2021-12-31" for e in only_rounds)
    projected = data.calendar_events(rounds=False, seminars=False, as_of="2025-01-01", years=2)
    assert projected and all(e["projected"] for e in projected)
    assert data.to_ical(as_of="2025-01-01") == data.to_ical(as_of=datetime.date(2025, 1, 1))


def test_ical_names_an_unknown_country(data):
    with pytest.raises(euca.QueryError) as e:
        data.to_ical(countries=["Atlantis"])
    assert (e.value.code, e.value.errors()[0]["path"]) == ("unknown_country", "countries")


def test_a_horizon_beyond_the_year_9999_is_refused(data):
    for call in (
        lambda: data.plan(years=10_000),
        lambda: data.timeline_records(plan_years=2**32 - 1),
        lambda: data.to_ical(years=2**32 - 1),
    ):
        with pytest.raises(euca.QueryError) as e:
            call()
        assert e.value.code == "invalid_value"
        assert e.value.errors()[0]["path"] in ("years", "plan_years")
