"""The published JSON Schemas (schemas/*.json) accept the documents euca ships and reads.

Checked with the independent `jsonschema` package: every embedded rule set, the synthetic benchmark
call, and the applications of the shared fixtures that euca reads without error.
"""

import json
import pathlib

import jsonschema
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
RULE_SET = json.loads((ROOT / "schemas" / "rule-set.schema.json").read_text(encoding="utf-8"))
APPLICATION = json.loads((ROOT / "schemas" / "application.schema.json").read_text(encoding="utf-8"))

RULE_FILES = sorted((ROOT / "core" / "data" / "rules").glob("*.json")) + sorted(
    (ROOT / "benches").glob("*.call.json")
)


def _fixture_applications():
    for path in sorted((ROOT / "tests" / "fixtures").glob("eligibility*.json")):
        for i, case in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            app = case.get("input", {}).get("application")
            if isinstance(app, dict) and "error" not in case.get("expected", {}):
                yield pytest.param(app, id=f"{path.name}[{i}]")


def test_the_schemas_are_valid_json_schemas():
    jsonschema.Draft202012Validator.check_schema(RULE_SET)
    jsonschema.Draft202012Validator.check_schema(APPLICATION)


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_every_shipped_rule_set_matches_the_schema(path):
    jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), RULE_SET)


@pytest.mark.parametrize("application", list(_fixture_applications()))
def test_fixture_applications_match_the_schema(application):
    jsonschema.validate(application, APPLICATION)


def test_the_schema_rejects_an_unknown_field():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"budget": {"drect": 1}}, APPLICATION)
