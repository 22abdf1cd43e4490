"""tests/fixtures/*.json through the Python API, with the Rust runner's matching rules.

Every case is ``{description, kind, input, expected}``. ``expected`` names only what the case is
about: objects compare by the keys it names (an absent key is ``None``), lists element by element
with the same length, everything else exactly (``1`` is not ``1.0``, ``True`` is not ``1``). Each
kind runs the same operation as core/tests/fixtures.rs and core/tests/fixture_kinds/*.rs, through
the public Python API.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Optional

import pytest

import euca

from conftest import FIXTURES


def matches(expected: Any, actual: Any, path: str = "expected") -> Optional[str]:
    """The path of the first mismatch, or ``None``."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, value in expected.items():
            why = matches(value, actual.get(key), f"{path}.{key}")
            if why:
                return why
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            shown = json.dumps(actual)[:1500]
            return f"{path}: expected {len(expected)} items, got {len(actual)}: {shown}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            why = matches(e, a, f"{path}[{i}]")
            if why:
                return why
        return None
    if type(expected) is type(actual) and expected == actual:
        return None
    return f"{path}: expected {expected!r}, got {actual!r}"


def test_the_matching_rules_compare_only_what_is_expected():
    actual = {"a": 1, "b": [{"x": 1, "y": 2}], "c": "z"}
    assert matches({"a": 1}, actual) is None
    assert matches({"b": [{"x": 1}]}, actual) is None
    assert matches({"a": 2}, actual)
    assert matches({"b": []}, actual), "lists compare their length"
    assert matches({"d": 1}, actual), "a missing key is null"
    assert matches({"a": 1.0}, actual), "1 is not 1.0"
    assert matches({"a": True}, {"a": 1}), "true is not 1"


# ---- results and errors in the fixtures' JSON shape ------------------------------------------------


def plain(value: Any) -> Any:
    if isinstance(value, euca.Records):
        return value.to_list()
    return value


def error(e: euca.EucaError) -> dict[str, Any]:
    if isinstance(e, euca.ValidationError):
        return {"error": {"code": e.code, "problems": e.errors()}}
    return {"error": {"code": e.code, "message": str(e)}}


# ---- the kinds of core/tests/fixtures.rs -------------------------------------------------------------


def _period(data: euca.Dataset, input: dict, method: str) -> Any:
    return getattr(data, method)(input.get("from"), input.get("to"))


def _timeline(data: euca.Dataset, input: dict) -> Any:
    events = data.timeline()
    return [
        e
        for e in events
        if ("kind" not in input or e["kind"] == input["kind"])
        and ("country" not in input or e.get("country") == input["country"])
    ]


def _load_dataset(data: euca.Dataset, input: dict) -> Any:
    loaded = euca.Dataset.from_json(input["document"])
    return {"version": loaded.version, "rounds": len(loaded.rounds())}


def _extend_dataset(data: euca.Dataset, input: dict) -> Any:
    extended = data.extend(input["extension"])
    out: dict[str, Any] = {
        "changes": extended.changes().to_list(),
        "rounds": len(extended.rounds()),
        "seminars": len(extended.seminars()),
    }
    if isinstance(input.get("rounds_of"), str):
        out["rounds_of"] = extended.rounds_of(input["rounds_of"]).to_list()
    return out


# ---- the kinds of core/tests/fixture_kinds/cycles.rs ---------------------------------------------------


def _extended(data: euca.Dataset, input: dict) -> euca.Dataset:
    return data.extend(input["extension"]) if "extension" in input else data


def _country(data: euca.Dataset, input: dict) -> Optional[str]:
    c = input.get("country")
    return data.country(c)["id"] if isinstance(c, str) else None


def _status(data: euca.Dataset, input: dict) -> Any:
    d = _extended(data, input)
    if isinstance(input.get("country"), str):
        return d.status_of(input["country"], input["as_of"])
    return d.status(input["as_of"])


def _regularity(data: euca.Dataset, input: dict) -> Any:
    rows = data.regularity().to_list()
    if input.get("scope") == "region":
        return rows[-1] if rows else None
    c = _country(data, input)
    if c is not None:
        return next((r for r in rows if r.get("country") == c), None)
    return rows


def _filtered(rows: Any, c: Optional[str]) -> Any:
    return [r for r in rows if c is None or r["country"] == c]


def _plan(data: euca.Dataset, input: dict) -> Any:
    d = _extended(data, input)
    c = _country(d, input)
    plan = d.plan(input.get("years", 1), input["as_of"], input.get("consultation_weeks", 4))
    return _filtered(plan, c)


def _timeline_records(data: euca.Dataset, input: dict) -> Any:
    c = _country(data, input)
    return [
        r
        for r in data.timeline_records()
        if (c is None or r.get("country") == c)
        and ("kind" not in input or r["kind"] == input["kind"])
        and ("status" not in input or r["status"] == input["status"])
    ]


def _ical(data: euca.Dataset, input: dict) -> Any:
    f = dict(input.get("filter") or {})
    period = f.pop("period", None) or {}
    plan = f.pop("plan", None) or {}
    text = data.to_ical(
        f.pop("countries", None),
        period.get("from"),
        period.get("to"),
        years=plan.get("years", 1),
        consultation_weeks=plan.get("consultation_weeks", 4),
        **f,
    )
    return {"events": ical_events(text)}


def ical_events(text: str) -> list[dict[str, str]]:
    """The events of iCalendar text (unfolded, RFC 5545 §3.1), each with what fixtures compare."""
    lines: list[str] = []
    for raw in text.split("\r\n"):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    keys = {
        "UID": "uid",
        "DTSTART;VALUE=DATE": "dtstart",
        "DTEND;VALUE=DATE": "dtend",
        "X-EUCA-PRECISION": "precision",
        "X-EUCA-PROJECTED": "projected",
        "X-EUCA-KIND": "kind",
    }
    events: list[dict[str, str]] = []
    current: Optional[dict[str, str]] = None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT" and current is not None:
            events.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            if name in keys:
                current[keys[name]] = value
    return events


# ---- the kinds of core/tests/fixture_kinds/eligibility.rs ------------------------------------------------


def _with_rule_sets(data: euca.Dataset, input: dict) -> euca.Dataset:
    rule_sets = input.get("rule_sets")
    return data if rule_sets is None else data.extend({"add": {"rule_sets": rule_sets}})


def _call(dataset: euca.Dataset, input: dict, key: str) -> euca.Call:
    if isinstance(input.get(f"{key}_id"), str):
        return dataset.call(input[f"{key}_id"])
    return euca.Call.from_json(input[key], dataset=dataset)


def _evaluate(data: euca.Dataset, input: dict) -> Any:
    d = _with_rule_sets(data, input)
    call = _call(d, input, "call")
    return call.evaluate(input["application"], input.get("as_of"), input.get("stage")).to_dict()


def _compile_call(data: euca.Dataset, input: dict) -> Any:
    return json.loads(_call(_with_rule_sets(data, input), input, "call").to_json(flat=True))


def _compare(data: euca.Dataset, input: dict) -> Any:
    d = _with_rule_sets(data, input)
    a, b = _call(d, input, "call_a"), _call(d, input, "call_b")
    return euca.compare(a, b, input["applications"], input.get("as_of"))


def _match(data: euca.Dataset, input: dict) -> Any:
    d = _with_rule_sets(data, input)
    only = input.get("calls")
    rows = d.match(input["application"], input.get("as_of"))
    return [r for r in rows if only is None or r["rule_set"]["id"] in only]


def _evaluate_jsonl(data: euca.Dataset, input: dict) -> Any:
    call = _call(_with_rule_sets(data, input), input, "call")
    return call.evaluate_jsonl(input["text"], input.get("as_of"), input.get("stage")).to_dict()


# ---- the kinds of core/tests/fixture_kinds/projects.rs ------------------------------------------------


def _chosen(input: dict) -> Optional[list]:
    """The projects a case names: its own records, ids of the dataset's, or ``None`` (all)."""
    if "projects" in input:
        return input["projects"]
    if "project_ids" in input:
        return input["project_ids"]
    return None


def _one(input: dict) -> Any:
    """The one project a case names: a record, or an id."""
    return input["project"] if "project" in input else input["project_id"]


def _projects(data: euca.Dataset, input: dict) -> Any:
    country = input.get("country")
    return [
        p
        for p in data.projects()
        if country is None or any(r["country"] == country for r in p.get("recipient_countries", []))
    ]


def _validate_projects(data: euca.Dataset, input: dict) -> Any:
    return {"projects": len(data.extend({"add": {"projects": input["projects"]}}).projects())}


def _read_iati(data: euca.Dataset, input: dict) -> Any:
    return euca.read_iati(input["xml"], **(input.get("options") or {})).to_dict()


def _to_iati(data: euca.Dataset, input: dict) -> Any:
    options = input.get("options") or {}
    if "projects" in input:
        xml = euca.to_iati(input["projects"], **options)
    else:
        xml = data.to_iati(projects=_chosen(input), **options)
    return {"xml": xml, "records": euca.read_iati(xml).records.to_list()}


def _evaluate_project(data: euca.Dataset, input: dict) -> Any:
    rows = data.project_eligibility(input["as_of"], projects=[_one(input)], call=input.get("call_id"))
    return rows[0]


KINDS: dict[str, Callable[[euca.Dataset, dict], Any]] = {
    # core/tests/fixtures.rs
    "date": lambda d, i: euca.parse_date(i["text"]),
    "date_relation": lambda d, i: {"relation": euca.date_relation(i["a"], i["b"])},
    "country": lambda d, i: d.country(i["query"]),
    "dialogue": lambda d, i: d.dialogue(i["country"]),
    "format_on": lambda d, i: d.format_on(i["country"], i["on"]),
    "rounds_of": lambda d, i: d.rounds_of(i["country"]),
    "rounds_in": lambda d, i: _period(d, i, "rounds_in"),
    "seminars_in": lambda d, i: _period(d, i, "seminars_in"),
    "countries_without_seminar_before": lambda d, i: d.countries_without_seminar_before(i["date"]),
    "timeline": _timeline,
    "serving": lambda d, i: d.serving(i["priority"]),
    "load_dataset": _load_dataset,
    "extend_dataset": _extend_dataset,
    # core/tests/fixture_kinds/cycles.rs
    "status": _status,
    "regularity": _regularity,
    "intervals": lambda d, i: _filtered(d.intervals(), _country(d, i)),
    "round_years": lambda d, i: _filtered(d.round_years(), _country(d, i)),
    "plan": _plan,
    "stages_of": lambda d, i: d.stages_of(i["round"]),
    "timeline_records": _timeline_records,
    "ical": _ical,
    # core/tests/fixture_kinds/eligibility.rs
    "evaluate": _evaluate,
    "compile_call": _compile_call,
    "compare": _compare,
    "match": _match,
    "evaluate_jsonl": _evaluate_jsonl,
    "fields_read": lambda d, i: _call(_with_rule_sets(d, i), i, "call").fields_read(),
    # core/tests/fixture_kinds/projects.rs
    "projects": _projects,
    "project": lambda d, i: d.project(i["id"]),
    "validate_projects": _validate_projects,
    "read_iati": _read_iati,
    "to_iati": _to_iati,
    "project_application": lambda d, i: d.project_application(_one(i)),
    "evaluate_project": _evaluate_project,
    "project_eligibility": lambda d, i: d.project_eligibility(i["as_of"]),
    "funding": lambda d, i: d.funding(i["by"], projects=_chosen(i)),
    "project_leads": lambda d, i: d.project_leads(projects=_chosen(i)),
    "local_leads": lambda d, i: d.local_leads(projects=_chosen(i)),
    "projects_after_rounds": lambda d, i: d.projects_after_rounds(i["months"], projects=_chosen(i)),
}


def run(data: euca.Dataset, kind: str, input: dict) -> Any:
    try:
        operation = KINDS[kind]
    except KeyError:
        raise AssertionError(f"unknown fixture kind `{kind}`: implement it in {__file__}") from None
    try:
        return plain(operation(data, input))
    except euca.EucaError as e:
        # No fixture expects euca's own failure: an internal error fails the case outright.
        assert e.code != "internal_error", f"internal error: {e}"
        return error(e)


def _cases() -> list[Any]:
    cases = []
    for path in sorted(FIXTURES.glob("*.json")):
        for i, case in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            cases.append(pytest.param(case, id=f"{path.stem}[{i}]"))
    return cases


CASES = _cases()


def test_every_kind_of_every_fixture_file_is_implemented():
    kinds = {c.values[0]["kind"] for c in CASES}  # type: ignore[index]
    assert len(CASES) > 100
    assert kinds <= set(KINDS), kinds - set(KINDS)


@pytest.mark.parametrize("case", CASES)
def test_fixture(data: euca.Dataset, case: dict) -> None:
    actual = run(data, case["kind"], case["input"])
    why = matches(case["expected"], actual)
    assert why is None, f"{case['description']}: {why}"
