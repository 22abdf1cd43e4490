"""Loading, writing, extending and pickling datasets; every collection."""

from __future__ import annotations

import copy
import datetime
import json
import pickle

import pytest

import euca

SOURCE = [{"title": "My notes", "document": "field notes, March 2026"}]
NEW_ROUND = {
    "add": {
        "rounds": [
            {"id": "hrd-kz/17", "dialogue": "hrd-kz", "number": 17, "date": "2026-03", "sources": SOURCE}
        ]
    }
}


def test_embedded_has_the_five_dialogues(data):
    assert len(data.dialogues()) == 5
    assert {c["id"] for c in data.countries()} >= {"KZ", "KG", "TJ", "TM", "UZ"}
    assert data.version
    assert "embedded" in repr(data)


def test_to_json_round_trips(data):
    text = data.to_json()
    again = euca.Dataset.from_json(text)
    assert again == data
    assert again.to_json() == text


def test_from_json_takes_text_bytes_and_dicts(data):
    text = data.to_json()
    assert euca.Dataset.from_json(text.encode()) == data
    assert euca.Dataset.from_json(json.loads(text)) == data


def test_load_reads_a_file_by_str_or_pathlike(data, tmp_path):
    path = tmp_path / "data.json"
    path.write_text(data.to_json(), encoding="utf-8")
    assert euca.Dataset.load(path) == data
    assert euca.Dataset.load(str(path)) == data


def test_load_of_a_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        euca.Dataset.load(tmp_path / "nope.json")


def test_load_names_the_path_argument_when_it_is_not_a_path():
    with pytest.raises(TypeError, match="path"):
        euca.Dataset.load(42)  # type: ignore[arg-type]


def test_an_invalid_document_lists_every_problem(data):
    doc = json.loads(data.to_json())
    doc["rounds"][0]["plcae"] = "Astana"
    doc["rounds"][1]["date"] = "2009-02-30"
    with pytest.raises(euca.ValidationError) as e:
        euca.Dataset.from_json(doc)
    codes = {(p["code"], p["path"]) for p in e.value.errors()}
    assert ("unknown_field", "rounds[0].plcae") in codes
    assert ("invalid_date", "rounds[1].date") in codes
    assert isinstance(e.value, ValueError)


def test_invalid_utf8_bytes_are_invalid_json():
    with pytest.raises(euca.ValidationError) as e:
        euca.Dataset.from_json(b'{"version": "\xff"}')
    assert e.value.code == "invalid_json"


def test_extend_with_a_dict_or_text_adds_a_round(data):
    for extension in (NEW_ROUND, json.dumps(NEW_ROUND)):
        mine = data.extend(extension)
        assert len(mine.rounds()) == len(data.rounds()) + 1
        assert mine.changes()[0]["action"] == "add"
        assert mine != data
        assert "embedded" not in repr(mine)
    assert len(data.changes()) == 0


def test_extend_reports_paths_into_the_extension(data):
    bad = copy.deepcopy(NEW_ROUND)
    bad["add"]["rounds"][0]["date"] = "2026-13"
    with pytest.raises(euca.ValidationError) as e:
        data.extend(bad)
    assert e.value.errors()[0]["path"] == "add.rounds[0].date"
    assert e.value.errors()[0]["code"] == "invalid_date"


def test_extend_rejects_other_types(data):
    with pytest.raises(TypeError, match="extension"):
        data.extend(3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "method",
    [
        "countries",
        "strategies",
        "priorities",
        "agreements",
        "bodies",
        "dialogue_types",
        "objectives",
        "priority_issues",
        "dialogues",
        "rounds",
        "seminars",
        "initiatives",
        "instruments",
        "project_kinds",
        "organisation_types",
        "sectors",
        "rule_sets",
    ],
)
def test_every_collection_is_a_non_empty_table_of_records(data, method):
    rows = getattr(data, method)()
    assert isinstance(rows, euca.Records)
    assert len(rows) > 0
    assert all(isinstance(r, dict) for r in rows)


def test_collections_match_the_json_document(data):
    doc = json.loads(data.to_json())
    assert data.rounds().to_list() == doc["rounds"]
    assert data.countries().to_list() == doc["countries"]


def test_priorities_are_the_strategies_priority_areas(data):
    rows = data.priorities()
    expected = [(s["id"], p["id"]) for s in data.strategies() for p in s["priorities"]]
    assert [(r["strategy"], r["id"]) for r in rows] == expected


def test_seminars_are_flat_records_with_first_and_last_days(data):
    for s in data.seminars():
        assert s["earliest"] <= s["latest"]
        assert s["sources"]


def test_the_embedded_dataset_pickles_by_reference(data):
    blob = pickle.dumps(data)
    assert len(blob) < 200
    again = pickle.loads(blob)
    assert again == data
    assert "embedded" in repr(again)


def test_an_extended_dataset_pickles_through_its_json(data):
    mine = data.extend(NEW_ROUND)
    again = pickle.loads(pickle.dumps(mine))
    assert again == mine
    assert again.changes().to_list() == mine.changes().to_list()


def test_copies_share_the_immutable_handle(data):
    assert copy.copy(data) is data
    assert copy.deepcopy(data) is data


def test_equal_datasets_hash_alike(data):
    assert hash(data) == hash(euca.Dataset.from_json(data.to_json()))
    assert data != "not a dataset"


def test_the_dataset_travels_to_another_process(data):
    import concurrent.futures
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=ctx) as pool:
        assert pool.submit(_count_rounds, data).result(timeout=120) == len(data.rounds())


def _count_rounds(d: euca.Dataset) -> int:
    return len(d.rounds())


def test_schemas_are_json_schemas():
    for schema in (euca.application_schema(), euca.rule_set_schema()):
        assert schema["$schema"].startswith("https://json-schema.org/")
        assert schema["type"] == "object"


def test_the_schemas_describe_applications_and_rule_sets():
    assert euca.application_schema()["title"] == "Application"
    assert euca.rule_set_schema()["title"] == "RuleSet"


def test_central_asian_states_are_the_countries_without_the_eu(data):
    assert [c["id"] for c in data.central_asian_states()] == [
        c["id"] for c in data.countries() if c["kind"] == "central_asian_state"
    ]


def test_eu_member_states_on_a_day():
    assert "GB" in euca.eu_member_states("2020-01-31")
    assert "GB" not in euca.eu_member_states("2020-02-01")
    assert "HR" not in euca.eu_member_states(datetime.date(2013, 6, 30))
    assert len(euca.eu_member_states()) == 27
    with pytest.raises(euca.QueryError) as e:
        euca.eu_member_states("2020")
    assert e.value.errors()[0]["path"] == "on"
