"""The error mapping, and input however wrong: never a PanicException, a RuntimeError or a crash."""

from __future__ import annotations

import collections
import datetime
import decimal
import pickle
import types

import pytest

import euca
from euca.exceptions import EucaError, QueryError, ValidationError

from conftest import ELIGIBLE, SMALL_CALL


def test_the_hierarchy():
    assert issubclass(ValidationError, EucaError) and issubclass(ValidationError, ValueError)
    assert issubclass(QueryError, EucaError) and issubclass(QueryError, ValueError)
    assert issubclass(EucaError, Exception) and not issubclass(EucaError, ValueError)
    assert euca.EucaError is EucaError


def test_errors_returns_copies():
    e = ValidationError("bad", "invalid_json", [{"code": "invalid_json", "message": "bad", "path": ""}])
    e.errors()[0]["code"] = "changed"
    assert e.errors()[0]["code"] == "invalid_json"
    assert EucaError("boom").errors() == [{"code": "internal_error", "message": "boom", "path": ""}]


def test_errors_pickle_with_their_problems(data):
    with pytest.raises(QueryError) as e:
        data.country("XX")
    again = pickle.loads(pickle.dumps(e.value))
    assert type(again) is QueryError
    assert (str(again), again.code, again.errors()) == (str(e.value), e.value.code, e.value.errors())


def test_the_code_is_the_first_problems(data):
    with pytest.raises(ValidationError) as e:
        euca.Dataset.from_json({"version": "x", "roundz": [], "sectorz": []})
    assert e.value.code == e.value.errors()[0]["code"] == "unknown_field"
    assert len(e.value.errors()) == 2
    assert "more problems" in str(e.value)


def _nested_dict(depth: int) -> dict:
    root: dict = {}
    node = root
    for _ in range(depth):
        node["a"] = {}
        node = node["a"]
    return root


def _nested_list(depth: int) -> list:
    root: list = []
    node = root
    for _ in range(depth):
        child: list = []
        node.append(child)
        node = child
    return root


@pytest.mark.parametrize("deep", [_nested_dict(10_000), {"id": "x", "action": _nested_list(10_000)}])
def test_a_document_10000_levels_deep_is_an_error_not_a_crash(data, small_call, deep):
    for call in (
        lambda: data.extend(deep),
        lambda: euca.Dataset.from_json(deep),
        lambda: small_call.evaluate(deep),
        lambda: small_call.evaluate_many([deep]),
        lambda: euca.Call.from_json(deep),
        lambda: data.match(deep),
        lambda: euca.Decision.from_json(deep),
    ):
        with pytest.raises(ValidationError) as e:
            call()
        assert e.value.code == "input_too_deep"


def test_deep_json_text_is_an_error_not_a_crash(data, small_call):
    text = "[" * 100_000 + "]" * 100_000
    for call in (lambda: euca.Dataset.from_json(text), lambda: small_call.evaluate(text), lambda: data.extend(text)):
        with pytest.raises(ValidationError) as e:
            call()
        assert e.value.code == "input_too_deep"
    with pytest.raises(ValidationError):
        euca.Decision.from_json(text)
    with pytest.raises(ValidationError) as e:
        small_call.evaluate_jsonl('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert e.value.errors()[0]["code"] == "input_too_deep"


def test_a_list_that_contains_itself(small_call):
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValidationError) as e:
        small_call.evaluate({"action": {"sectors": loop}})
    assert e.value.code == "input_too_deep"


@pytest.mark.parametrize(
    "value, type_name",
    [({1, 2}, "set"), (b"bytes", "bytes"), (object(), "object"), (1j, "complex"), (types.SimpleNamespace(), "SimpleNamespace")],
)
def test_values_without_a_json_form_are_invalid_types_with_their_path(small_call, value, type_name):
    with pytest.raises(ValidationError) as e:
        small_call.evaluate({"action": {"sectors": [value]}})
    assert e.value.errors()[0]["code"] == "invalid_type"
    assert e.value.errors()[0]["path"] == "action.sectors[0]"
    assert f"`{type_name}`" in e.value.errors()[0]["message"]


def test_bytes_that_are_not_utf8_are_an_error_with_the_offset(small_call, tmp_path):
    """Bytes, or a file, that are not UTF-8: an `invalid_json` error naming what they are and the
    offset of the first bad byte, whichever call reads them."""
    bad = b'{"id": "a' + b"\xff" + b'"}'
    path = tmp_path / "bad.jsonl"
    path.write_bytes(bad)
    for read, what in [
        (lambda: small_call.evaluate_jsonl(bad), "text"),
        (lambda: small_call.evaluate_jsonl(path), "file"),
        (lambda: euca.Call.from_json(bad), "document"),
        (lambda: euca.Call.load(path), "document"),
    ]:
        with pytest.raises(euca.ValidationError) as e:
            read()
        error = e.value.errors()[0]
        assert error["code"] == "invalid_json"
        assert error["message"] == f"the {what} is not valid UTF-8 (invalid byte at offset 9)"


def test_a_string_with_a_lone_surrogate_is_an_error_with_its_path(data, small_call):
    """A `str` that has no UTF-8 form (as `surrogateescape` decoding of a bad file leaves it) is
    named where it is, never a bare UnicodeEncodeError."""
    bad = "T\udcffJ"
    with pytest.raises(ValidationError) as e:
        small_call.evaluate({"applicant": {"country": bad}})
    assert (e.value.errors()[0]["code"], e.value.errors()[0]["path"]) == ("invalid_value", "applicant.country")
    assert "lone surrogate" in e.value.errors()[0]["message"]
    with pytest.raises(ValidationError) as e:
        small_call.evaluate_many([{"id": "a"}, {"action": {"sectors": [bad]}}])
    assert e.value.errors()[0]["path"] == "[1].action.sectors[0]"
    with pytest.raises(ValidationError) as e:
        small_call.evaluate('{"id": "' + bad + '"}')
    assert e.value.errors()[0]["code"] == "invalid_json"
    for call in (
        lambda: small_call.evaluate_jsonl('{"id": "' + bad + '"}\n'),
        lambda: euca.parse_date(bad),
        lambda: data.call(bad),
        lambda: euca.read_iati("<" + bad),
    ):
        with pytest.raises(EucaError) as e:
            call()
        assert "lone surrogate" in str(e.value)


def test_keys_must_be_strings(small_call):
    with pytest.raises(ValidationError) as e:
        small_call.evaluate({"action": {1: "x"}})
    assert (e.value.errors()[0]["code"], e.value.errors()[0]["path"]) == ("invalid_type", "action")


def test_mappings_tuples_and_integer_likes_convert(small_call):
    app = types.MappingProxyType({"action": collections.OrderedDict(duration_months=True + 23), "id": "x"})
    assert small_call.evaluate(app, as_of="2020-01-01").checks[0]["outcome"] == "pass"
    assert small_call.evaluate({"action": {"sectors": ("15160",), "duration_months": 24}}).checks[0]["outcome"] == "pass"


def test_a_bool_is_not_a_number(small_call):
    with pytest.raises(ValidationError) as e:
        small_call.evaluate({"action": {"duration_months": True}})
    assert e.value.errors()[0]["code"] == "invalid_type"


WRONG_VALUES = [
    None, 0, -1, 2**32 - 1, 2**80, 1.5, float("nan"), "", "x", "2020", "2020-02-30", "[", "{}", b"\xff", [], {},
    {"a": None}, [None], datetime.date(1, 1, 1), datetime.datetime(2020, 1, 1), decimal.Decimal("NaN"),
    object(), {1, 2}, "\x00", "🦀" * 10, "9" * 400,
]


def _methods(data, call, batch):
    return [
        data.country, data.dialogue, data.rounds_of, data.serving, data.stages_of, data.call,
        lambda v: data.format_on("TM", v), lambda v: data.format_on(v, "2008"), data.rounds_in,
        lambda v: data.rounds_in(until=v), data.seminars_in, data.countries_without_seminar_before,
        data.status, lambda v: data.status_of(v), lambda v: data.status_of("TM", v),
        lambda v: data.plan(as_of=v), lambda v: data.plan(years=v),
        lambda v: data.timeline_records(plan_years=v), lambda v: data.timeline_records(plan_years=1, as_of=v),
        lambda v: data.to_ical(countries=v), lambda v: data.to_ical(since=v), lambda v: data.to_ical(as_of=v),
        lambda v: data.calendar_events(countries=[v]), data.extend, data.match,
        lambda v: data.match(ELIGIBLE, as_of=v), euca.Dataset.from_json, euca.Dataset.load,
        euca.Call.from_json, lambda v: euca.Call.from_json(SMALL_CALL, dataset=v), euca.Call.load,
        call.evaluate, lambda v: call.evaluate(ELIGIBLE, as_of=v), lambda v: call.evaluate(ELIGIBLE, stage=v),
        call.evaluate_many, lambda v: call.evaluate_many([v]), call.evaluate_jsonl, call.in_force_on,
        lambda v: euca.compare(call, call, v), lambda v: euca.compare(call, v, []),
        euca.parse_date, lambda v: euca.date_relation(v, "2008"), euca.Decision.from_json, batch.decision,
        euca.eu_member_states,
    ]


def test_wrong_input_raises_only_documented_exceptions(data, small_call, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # strings taken as paths name files that do not exist here
    batch = small_call.evaluate_many([{}], as_of="2020-01-01")
    allowed = (EucaError, TypeError, OSError, IndexError)
    for method in _methods(data, small_call, batch):
        for value in WRONG_VALUES:
            try:
                method(value)
            except EucaError as e:
                # A typed error for the input, never euca's own failure.
                assert e.code != "internal_error", f"{method!r}({value!r}): {e}"
            except allowed:
                pass
            except BaseException as e:  # pragma: no cover - a failure shows which call
                raise AssertionError(f"{method!r}({value!r}) raised {type(e).__name__}: {e}") from e


# Every argument of a plain Python type (str, int, bool, list of str, a handle), with a value of
# the wrong type: (the call, the argument it must name).
WRONG_TYPES = [
    (lambda d, c, b: d.country(None), "country"),
    (lambda d, c, b: d.dialogue(1), "country"),
    (lambda d, c, b: d.format_on(None, "2008"), "country"),
    (lambda d, c, b: d.rounds_of(b"TM"), "country"),
    (lambda d, c, b: d.status_of(None), "country"),
    (lambda d, c, b: d.serving(None), "priority"),
    (lambda d, c, b: d.stages_of(None), "round"),
    (lambda d, c, b: d.call(None), "id"),
    (lambda d, c, b: d.project(None), "id"),
    (lambda d, c, b: d.funding(None), "by"),
    (lambda d, c, b: d.plan("x"), "years"),
    (lambda d, c, b: d.plan(1.5), "years"),
    (lambda d, c, b: d.plan(None), "years"),
    (lambda d, c, b: d.plan(consultation_weeks="4"), "consultation_weeks"),
    (lambda d, c, b: d.timeline_records(plan_years="1"), "plan_years"),
    (lambda d, c, b: d.calendar_events(countries="TM"), "countries"),
    (lambda d, c, b: d.calendar_events(countries=["TM", None]), "countries[1]"),
    (lambda d, c, b: d.calendar_events(rounds=None), "rounds"),
    (lambda d, c, b: d.calendar_events(seminars=1), "seminars"),
    (lambda d, c, b: d.to_ical(due_windows="no"), "due_windows"),
    (lambda d, c, b: d.to_ical(projected_rounds=None), "projected_rounds"),
    (lambda d, c, b: d.to_ical(consultations=0), "consultations"),
    (lambda d, c, b: d.to_ical(years=None), "years"),
    (lambda d, c, b: d.to_ical(consultation_weeks=None), "consultation_weeks"),
    (lambda d, c, b: d.projects_after_rounds(None), "months"),
    (lambda d, c, b: d.to_iati(prefix=1), "prefix"),
    (lambda d, c, b: d.to_iati(reporting_org_name=1), "reporting_org_name"),
    (lambda d, c, b: euca.to_iati([], reporting_org_type=22), "reporting_org_type"),
    (lambda d, c, b: euca.read_iati(b"<x/>", skip_invalid=None), "skip_invalid"),
    (lambda d, c, b: euca.Call.from_json(SMALL_CALL, dataset={}), "dataset"),
    (lambda d, c, b: euca.Call.load("call.json", dataset="embedded"), "dataset"),
    (lambda d, c, b: c.to_json(flat="yes"), "flat"),
    (lambda d, c, b: c.evaluate(ELIGIBLE, stage=1), "stage"),
    (lambda d, c, b: c.evaluate_many([ELIGIBLE], stage=1), "stage"),
    (lambda d, c, b: c.evaluate_jsonl("", stage=1), "stage"),
    (lambda d, c, b: euca.compare(None, c, []), "call_a"),
    (lambda d, c, b: euca.compare(c, d, []), "call_b"),
    (lambda d, c, b: b.decision(None), "i"),
    (lambda d, c, b: b.decision("0"), "i"),
]


@pytest.mark.parametrize("call, argument", WRONG_TYPES, ids=[f"{i}-{a}" for i, (_, a) in enumerate(WRONG_TYPES)])
def test_a_wrong_argument_type_names_the_argument(data, small_call, call, argument):
    # In the message itself, on every Python version: pyo3 names it only in an exception note
    # (3.11+), and its own message ("'NoneType' object cannot be converted") does not.
    batch = small_call.evaluate_many([{}], as_of="2020-01-01")
    with pytest.raises(TypeError) as raised:
        call(data, small_call, batch)
    assert f"`{argument}`" in str(raised.value)


# Whole-number arguments out of range: a QueryError `invalid_value` whose path names the argument,
# for a negative number as for one too large (never an OverflowError).
OUT_OF_RANGE = [
    (lambda d, v: d.plan(v), "years"),
    (lambda d, v: d.plan(consultation_weeks=v), "consultation_weeks"),
    (lambda d, v: d.timeline_records(plan_years=v), "plan_years"),
    (lambda d, v: d.calendar_events(years=v), "years"),
    (lambda d, v: d.to_ical(consultation_weeks=v), "consultation_weeks"),
    (lambda d, v: d.projects_after_rounds(v), "months"),
]


@pytest.mark.parametrize("call, argument", OUT_OF_RANGE, ids=[a for _, a in OUT_OF_RANGE])
@pytest.mark.parametrize("value", [-1, 2**32, 2**80, 10**400])
def test_a_whole_number_out_of_range_is_a_query_error_naming_the_argument(data, call, argument, value):
    with pytest.raises(QueryError) as raised:
        call(data, value)
    assert (raised.value.code, raised.value.errors()[0]["path"]) == ("invalid_value", argument)
    assert f"`{argument}`" in str(raised.value)
    assert len(str(raised.value)) < 200  # a huge number is cut short


def test_whole_numbers_and_flags_accept_numpy_scalars(data, small_call):
    np = pytest.importorskip("numpy")
    assert data.plan(np.int64(2), as_of="2025-01-01") == data.plan(2, as_of="2025-01-01")
    events = data.calendar_events(rounds=np.bool_(False), as_of="2025-01-01")
    assert events == data.calendar_events(rounds=False, as_of="2025-01-01")
    batch = small_call.evaluate_many([{}, {"id": "x"}], as_of="2020-01-01")
    assert batch.decision(np.int32(1)).application == "x"


def test_a_row_out_of_range_is_an_index_error_naming_the_argument(small_call):
    batch = small_call.evaluate_many([{}], as_of="2020-01-01")
    for i in (1, -2, 2**80, -(2**80)):
        with pytest.raises(IndexError, match="`i`"):
            batch.decision(i)
