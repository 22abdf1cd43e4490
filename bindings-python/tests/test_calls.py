"""Calls, evaluation, decisions, matching an application against every call, comparing calls."""

from __future__ import annotations

import copy
import datetime
import decimal
import json
import pickle
from zoneinfo import ZoneInfo

import pytest

import euca

from conftest import ELIGIBLE, PEER_BENCH_CALL, SMALL_CALL, application


# ---- calls -------------------------------------------------------------------------------------


def test_the_dataset_has_compiled_calls(data):
    calls = data.calls()
    assert calls and all(isinstance(c, euca.Call) for c in calls)
    ids = {r["id"] for r in data.rule_sets() if r["kind"] == "call"}
    assert {c.id for c in calls} <= ids


def test_a_call_by_id(data, tj2020):
    assert tj2020.id == "tj-2020-cso"
    assert tj2020.rule_set == {"id": "tj-2020-cso", "version": tj2020.version}
    assert tj2020.chain[-1]["id"] == "tj-2020-cso"
    assert tj2020.currency == "EUR"
    assert tj2020.stages == ["concept_note", "full_application"]
    assert tj2020.notes and tj2020.sources and tj2020.title
    assert "tj-2020-cso" in repr(tj2020)
    with pytest.raises(euca.QueryError) as e:
        data.call("nope")
    assert (e.value.code, e.value.errors()[0]["path"]) == ("unknown_record", "id")


def test_a_call_that_extends_an_instrument_is_flattened(data):
    lot = data.call("tj-2023-hrd-cso/lot-1")
    assert len(lot.chain) >= 2
    origins = {c["origin"] for c in lot.criteria()}
    assert len(origins) >= 2
    flat = json.loads(lot.to_json(flat=True))
    assert [c["id"] for c in flat["criteria"]] == [c["id"] for c in lot.criteria()]
    assert json.loads(lot.to_json())["id"] == "tj-2023-hrd-cso/lot-1"


def test_validity_and_in_force_on(data):
    dated = [c for c in data.calls() if c.validity is not None]
    for c in dated:
        start = c.validity["from"]
        assert c.in_force_on(euca.parse_date(start)["earliest"])
    assert data.call("tj-2020-cso").in_force_on("2020-01-01")  # no validity known: in force
    with pytest.raises(euca.QueryError):
        data.call("tj-2020-cso").in_force_on("2020")


def test_call_from_json_text_dict_and_file(small_call, tmp_path):
    assert euca.Call.from_json(json.dumps(SMALL_CALL)) == small_call
    path = tmp_path / "call.json"
    path.write_text(json.dumps(SMALL_CALL))
    assert euca.Call.load(path) == small_call
    assert euca.Call.load(str(path)) == small_call
    assert small_call.validity is None and small_call.stages == []


def test_call_from_json_against_an_extended_dataset(data):
    instrument = {
        "id": "my-instrument",
        "version": "1",
        "kind": "instrument",
        "title": "My instrument",
        "criteria": SMALL_CALL["criteria"][:1],
        "sources": SMALL_CALL["sources"],
    }
    mine = data.extend({"add": {"rule_sets": [instrument]}})
    call = dict(SMALL_CALL, id="my-call", extends="my-instrument", criteria=SMALL_CALL["criteria"][1:])
    compiled = euca.Call.from_json(call, dataset=mine)
    assert [c["origin"] for c in compiled.criteria()] == ["my-instrument", "my-call"]
    with pytest.raises(euca.ValidationError):
        euca.Call.from_json(call)  # the embedded dataset has no `my-instrument`
    again = pickle.loads(pickle.dumps(compiled))
    assert again == compiled


def test_an_invalid_call_lists_its_problems():
    bad = copy.deepcopy(SMALL_CALL)
    bad["criteria"][0]["tset"] = {}
    bad["remove"] = [{"id": "nothing", "reason": "test"}]
    with pytest.raises(euca.ValidationError) as e:
        euca.Call.from_json(bad)
    paths = {p["path"] for p in e.value.errors()}
    assert "criteria[0].tset" in paths


def test_the_peer_bench_rule_set_compiles():
    call = euca.Call.load(PEER_BENCH_CALL)
    assert "SYNTHETIC" in call.title
    assert len(call.criteria()) == 24


def test_calls_pickle(tj2020):
    again = pickle.loads(pickle.dumps(tj2020))
    assert again == tj2020
    assert hash(again) == hash(tj2020)
    assert copy.deepcopy(tj2020) is tj2020


# ---- evaluation --------------------------------------------------------------------------------


def test_an_eligible_application(tj2020):
    d = tj2020.evaluate(ELIGIBLE, as_of="2020-09-04")
    assert d.verdict == "eligible"
    assert d.as_of == datetime.date(2020, 9, 4)
    assert d.rule_set == tj2020.rule_set
    assert d.application == "A-1"
    assert d.stage == "full_application"
    assert d.missing == [] and d.recourse == []
    assert d.grant["max_eu_contribution"] == 33_600_000
    assert all(c["outcome"] == "pass" for c in d.checks)


def test_a_late_submission_is_ineligible_with_its_reason(tj2020):
    d = tj2020.evaluate(application(submitted_at="2020-09-04T14:00:00+02:00"), as_of="2020-09-04")
    assert d.verdict == "ineligible"
    failed = [c for c in d.checks if c["outcome"] == "fail"]
    assert [c["id"] for c in failed] == ["deadline"]
    assert failed[0]["citation"]["source"]["address"].startswith("https://")
    assert "Not met" in d.explain() and "deadline" in d.explain()


def test_a_missing_field_makes_it_undetermined(tj2020):
    app = application(action={"country": "TJ"})
    d = tj2020.evaluate(app, as_of="2020-09-04")
    assert d.verdict == "undetermined"
    assert d.missing[0]["field"] == "action.duration_months"
    assert d.recourse


def test_aware_datetimes_are_honoured_for_deadlines(tj2020):
    brussels = ZoneInfo("Europe/Brussels")
    on_time = tj2020.evaluate(application(submitted_at=datetime.datetime(2020, 9, 4, 13, 29, tzinfo=brussels)), as_of="2020-09-04")
    late = tj2020.evaluate(application(submitted_at=datetime.datetime(2020, 9, 4, 13, 31, tzinfo=brussels)), as_of="2020-09-04")
    dushanbe = ZoneInfo("Asia/Dushanbe")  # UTC+5: 16:29 there is 13:29 in Brussels
    far = tj2020.evaluate(application(submitted_at=datetime.datetime(2020, 9, 4, 16, 29, tzinfo=dushanbe)), as_of="2020-09-04")
    utc = tj2020.evaluate(application(submitted_at=datetime.datetime(2020, 9, 4, 11, 31, tzinfo=datetime.timezone.utc)), as_of="2020-09-04")
    assert (on_time.verdict, late.verdict, far.verdict, utc.verdict) == ("eligible", "ineligible", "eligible", "ineligible")


def test_a_naive_submission_time_is_an_error_that_says_so(tj2020):
    with pytest.raises(euca.ValidationError) as e:
        tj2020.evaluate(application(submitted_at=datetime.datetime(2020, 9, 4, 13, 0)), as_of="2020-09-04")
    assert e.value.errors()[0]["code"] == "naive_datetime"
    assert e.value.errors()[0]["path"] == "submitted_at"
    with pytest.raises(euca.ValidationError) as e:
        tj2020.evaluate(application(submitted_at="2020-09-04T13:00:00"), as_of="2020-09-04")
    assert e.value.errors()[0]["code"] == "naive_datetime"


def test_dates_in_applications_may_be_date_objects(tj2020):
    app = copy.deepcopy(ELIGIBLE)
    app["applicant"]["registered_on"] = datetime.date(2015, 3, 1)
    assert tj2020.evaluate(app, as_of=datetime.date(2020, 9, 4)) == tj2020.evaluate(ELIGIBLE, as_of="2020-09-04")


@pytest.mark.parametrize(
    "requested",
    [30_000_000, decimal.Decimal("30000000"), decimal.Decimal("30000000.00"), "30000000", "30000000.00", 30_000_000.0],
)
def test_money_is_read_exactly(tj2020, requested):
    app = copy.deepcopy(ELIGIBLE)
    app["budget"]["requested"] = requested
    d = tj2020.evaluate(app, as_of="2020-09-04")
    assert d.verdict == "eligible"
    assert d.grant["requested"] == 30_000_000


@pytest.mark.parametrize("requested", [30_000_000.5, decimal.Decimal("30000000.5"), "30000000.5", decimal.Decimal("3.00000000005E+7")])
def test_money_finer_than_a_cent_is_over_precise(tj2020, requested):
    app = copy.deepcopy(ELIGIBLE)
    app["budget"]["requested"] = requested
    with pytest.raises(euca.ValidationError) as e:
        tj2020.evaluate(app, as_of="2020-09-04")
    assert e.value.errors() == [
        {"code": "over_precise_money", "message": e.value.errors()[0]["message"], "path": "budget.requested"}
    ]


@pytest.mark.parametrize("requested", [-1, decimal.Decimal("-1"), "-1", -1.0])
def test_negative_money_is_an_error(tj2020, requested):
    app = copy.deepcopy(ELIGIBLE)
    app["budget"]["requested"] = requested
    with pytest.raises(euca.ValidationError) as e:
        tj2020.evaluate(app, as_of="2020-09-04")
    assert e.value.errors()[0]["code"] == "negative_money"


@pytest.mark.parametrize("requested", [float("nan"), float("inf"), decimal.Decimal("NaN"), 2**70])
def test_money_that_is_no_amount_is_an_error(tj2020, requested):
    app = copy.deepcopy(ELIGIBLE)
    app["budget"]["requested"] = requested
    with pytest.raises(euca.ValidationError) as e:
        tj2020.evaluate(app, as_of="2020-09-04")
    assert e.value.errors()[0]["path"] == "budget.requested"


def test_an_application_as_json_text(tj2020):
    assert tj2020.evaluate(json.dumps(ELIGIBLE), as_of="2020-09-04").verdict == "eligible"


def test_an_invalid_application_lists_every_problem(tj2020):
    app = application(budjet={}, action={"duration_months": "thirty"})
    with pytest.raises(euca.ValidationError) as e:
        tj2020.evaluate(app, as_of="2020-09-04")
    problems = {(p["code"], p["path"]) for p in e.value.errors()}
    assert ("unknown_field", "budjet") in problems
    assert ("invalid_type", "action.duration_months") in problems


def test_stages_of_a_restricted_call(tj2020):
    concept = tj2020.evaluate(ELIGIBLE, as_of="2020-09-04", stage="concept_note")
    assert concept.stage == "concept_note"
    with pytest.raises(euca.QueryError) as e:
        tj2020.evaluate(ELIGIBLE, stage="final")
    assert (e.value.code, e.value.errors()[0]["path"]) == ("invalid_value", "stage")


def test_as_of_defaults_to_today_in_utc(small_call):
    d = small_call.evaluate({"action": {"duration_months": 24}})
    today = datetime.datetime.now(datetime.timezone.utc).date()
    assert d.as_of in (today, today - datetime.timedelta(days=1))


# ---- decisions ---------------------------------------------------------------------------------


def test_a_decision_round_trips_through_dict_json_and_pickle(tj2020):
    d = tj2020.evaluate(application(action={"country": "TJ"}), as_of="2020-09-04")
    as_dict = d.to_dict()
    assert as_dict["verdict"] == d.verdict and as_dict["as_of"] == "2020-09-04"
    assert euca.Decision.from_json(as_dict) == d
    assert euca.Decision.from_json(d.to_json()) == d
    assert pickle.loads(pickle.dumps(d)) == d
    assert hash(pickle.loads(pickle.dumps(d))) == hash(d)
    assert json.loads(d.to_json()) == as_dict


def test_from_json_rejects_what_is_not_a_decision():
    with pytest.raises(euca.ValidationError) as e:
        euca.Decision.from_json({"verdict": "eligible"})
    assert e.value.code == "missing_field"
    with pytest.raises(euca.ValidationError) as e:
        euca.Decision.from_json("{")
    assert e.value.code == "invalid_json"


def test_from_json_names_each_problem_of_a_decision_with_its_path(tj2020):
    """As `Decision.fromJson` in JavaScript: a value that cannot be read at its path, a struct
    given as a list refused (serde_json alone reads it by position), every unknown field named."""
    d = tj2020.evaluate(application(), as_of="2020-09-04").to_dict()

    def problems(document):
        with pytest.raises(euca.ValidationError) as e:
            euca.Decision.from_json(document)
        return [(p["code"], p["path"]) for p in e.value.errors()]

    assert problems(dict(d, verdict="maybe")) == [("invalid_value", "verdict")]
    assert problems(dict(d, rule_set=[d["rule_set"]["id"], d["rule_set"]["version"]])) == [
        ("invalid_type", "rule_set")
    ]
    assert problems(dict(d, verdikt="eligible", rule_set=dict(d["rule_set"], zz=1))) == [
        ("unknown_field", "rule_set.zz"),
        ("unknown_field", "verdikt"),
    ]
    # An impossible day, a year alone and text that is no date: each an invalid date, as in a
    # batch read back and in JavaScript.
    assert problems(dict(d, as_of="2020-02-30")) == [("invalid_date", "as_of")]
    assert problems(dict(d, as_of="2020")) == [("invalid_date", "as_of")]
    assert problems(dict(d, as_of="today")) == [("invalid_date", "as_of")]
    assert problems(dict(d, as_of=20200904)) == [("invalid_type", "as_of")]


def test_the_html_view_colours_checks_and_cites_sources(tj2020):
    d = tj2020.evaluate(application(submitted_at="2020-09-04T14:00:00+02:00", action={"country": "TJ"}), as_of="2020-09-04")
    html = d._repr_html_()
    assert html.count("<tr style='background:") == len(d.checks)
    assert "#f8d7da" in html and "#fff3cd" in html and "#d4edda" in html  # fail, unknown, pass
    assert "call summary" in html and "href='https://" in html
    assert "ineligible" in html
    assert "<script" not in html


def test_the_html_view_escapes_what_the_application_gives(small_call):
    d = small_call.evaluate({"id": "<script>alert(1)</script>"}, as_of="2020-01-01")
    assert "<script>" not in d._repr_html_()
    assert "&lt;script&gt;" in d._repr_html_()
    assert "<euca.Decision undetermined" in repr(d)


# ---- every call at once, and two calls side by side --------------------------------------------


def test_match_lists_every_call_in_force_eligible_first(data):
    rows = data.match(ELIGIBLE, as_of="2020-09-04")
    assert isinstance(rows, euca.Records) and len(rows) > 0
    order = {"eligible": 0, "undetermined": 1, "ineligible": 2}
    assert [order[r["verdict"]] for r in rows] == sorted(order[r["verdict"]] for r in rows)
    tj = next(r for r in rows if r["rule_set"]["id"] == "tj-2020-cso")
    assert tj["verdict"] == "eligible"
    assert euca.Decision.from_json(tj).verdict == "eligible"


def test_compare_two_calls(data, small_call):
    tj2020 = data.call("tj-2020-cso")
    rows = euca.compare(tj2020, tj2020, [ELIGIBLE], as_of="2020-09-04")
    assert rows[0]["verdict_changed"] is False and rows[0]["why"] == "no difference"
    rows = euca.compare(tj2020, small_call, [ELIGIBLE, application(id="A-2")], as_of="2020-09-04")
    assert len(rows) == 2
    assert rows[0]["application"] == "A-1" and rows[1]["index"] == 1
    assert rows[0]["changes"]
    with pytest.raises(euca.ValidationError) as e:
        euca.compare(tj2020, small_call, [ELIGIBLE, {"bogus": 1}])
    assert e.value.errors()[0]["path"] == "[1].bogus"
