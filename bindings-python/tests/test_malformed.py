"""tests/malformed/manifest.json through the Python API, as core/tests/malformed.rs runs it in Rust.

Every malformed document (a dataset, an extension, a rule set, an application, a batch, a batch result read back) must raise
``euca.ValidationError`` (a ``ValueError``) whose code and first problem's path are the ones its case
names, never another exception or a crash; and after each, the module still evaluates a valid
application. Cases marked ``generate`` (10 000-level and 50 MB documents, inputs at and past each
limit) are made here from the manifest's parts. A case whose bytes are strict JSON is also given as
the parsed dict or list, and must give the same error, unless it says ``text_only``.

The malformed IATI files of ``tests/malformed/iati`` go through ``euca.read_iati`` as their bytes and
as their path, checked against the lines of that folder's README as ``core/tests/iati.rs`` checks
them: the first problem's code and path, or, on a ``warning`` line, a warning of that code and path.
"""

from __future__ import annotations

import json
import pathlib
from typing import Any, Optional

import pytest

import euca

ROOT = pathlib.Path(__file__).resolve().parents[2]
MALFORMED = ROOT / "tests" / "malformed"
MANIFEST = json.loads((MALFORMED / "manifest.json").read_text(encoding="utf-8"))


def generate(parts: list[dict[str, Any]]) -> bytes:
    """The bytes of a generated case: `text` as it is, `repeat` `times` times (`separator` between;
    `{i}` is the index, `{i1}` the next one), one `fill` character up to `total_bytes` in all."""
    pieces: list[Optional[str]] = []
    fill: Optional[tuple[str, int]] = None
    for part in parts:
        if "text" in part:
            pieces.append(part["text"])
        elif "repeat" in part:
            unit, times, sep = part["repeat"], part["times"], part.get("separator", "")
            if "{i}" in unit or "{i1}" in unit:
                pieces.append(sep.join(unit.replace("{i1}", str(i + 1)).replace("{i}", str(i)) for i in range(times)))
            else:
                pieces.append(sep.join([unit] * times))
        elif "fill" in part:
            assert fill is None, "one `fill` part per case"
            fill = (part["fill"], part["total_bytes"])
            pieces.append(None)
        else:
            raise AssertionError(f"unknown part {part}")
    fixed = sum(len(p) for p in pieces if p is not None)
    out = "".join(p if p is not None else fill[0] * (fill[1] - fixed) for p in pieces)  # type: ignore[index]
    assert out.isascii(), "generated documents are ASCII"
    return out.encode("ascii")


def strict_json(data: bytes) -> tuple[bool, Any]:
    """The parsed document when the bytes are strict JSON (UTF-8 without a BOM, no `NaN`, no key
    given twice), as the Rust runner's `serde_json` reads them."""

    def no_constants(name: str) -> Any:
        raise ValueError(name)

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            raise ValueError("duplicate key")
        return dict(pairs)

    try:
        text = data.decode("utf-8")
        return True, json.loads(text, parse_constant=no_constants, object_pairs_hook=no_duplicates)
    except (ValueError, RecursionError):
        return False, None


@pytest.fixture(scope="module")
def context(data: euca.Dataset) -> dict[str, Any]:
    return {
        "data": data,
        "application_call": data.call(MANIFEST["application_call"]),
        "batch_call": euca.Call.from_json((MALFORMED / MANIFEST["batch_call"]).read_bytes()),
        "valid": json.loads((MALFORMED / MANIFEST["valid_application"]).read_text(encoding="utf-8")),
    }


def run(kind: str, document: Any, cx: dict[str, Any]) -> None:
    """Runs a case's operation on bytes (as a file holds them) or on a parsed document."""
    as_of = MANIFEST["as_of"]
    if kind == "dataset":
        euca.Dataset.from_json(document)
    elif kind == "extension":
        cx["data"].extend(document)
    elif kind == "rule_set":
        euca.Call.from_json(document)
    elif kind == "application":
        cx["application_call"].evaluate(document, as_of)
    elif kind == "applications_jsonl":
        cx["batch_call"].evaluate_jsonl(document, as_of)
    elif kind == "applications":
        # A list of applications has no text form here: it is always a parsed list.
        if isinstance(document, bytes):
            document = json.loads(document)
        cx["batch_call"].evaluate_many(document, as_of)
    elif kind == "batch_result":
        # A batch read back from its pickle, as unpickling one edited by hand (or written
        # elsewhere) reads it: the pickle holds the call, the applications and the columns' JSON.
        text = document.decode("utf-8") if isinstance(document, bytes) else json.dumps(document)
        try:
            rows = len(json.loads(text)["verdicts"])
        except (ValueError, KeyError, TypeError):
            rows = 0
        batch = cx["batch_call"].evaluate_many([cx["valid"]] * rows, as_of)
        rebuild, (call, applications, _, pickled_kind) = batch.__reduce__()
        rebuild(call, applications, text, pickled_kind)
    else:
        raise AssertionError(f"unknown kind `{kind}`")


def check(case: dict[str, Any], kind: str, document: Any, cx: dict[str, Any]) -> None:
    want = case.get("expected_error")
    if want is None:
        run(kind, document, cx)
        return
    with pytest.raises(euca.ValidationError) as raised:
        run(kind, document, cx)
    e = raised.value
    assert isinstance(e, ValueError) and isinstance(e, euca.EucaError)
    first = e.errors()[0]
    got = (e.code, first["code"], first["path"])
    assert got == (want["code"], want["code"], want["path"]), f"{first['message'][:200]}"


def _cases() -> list[Any]:
    return [pytest.param(c, id=f"{c['kind']}/{c['name']}") for c in MANIFEST["cases"]]


@pytest.mark.parametrize("case", _cases())
def test_malformed(case: dict[str, Any], context: dict[str, Any]) -> None:
    kind = case["kind"]
    if "file" in case:
        data = (MALFORMED / case["file"]).read_bytes()
    else:
        data = generate(case["generate"])
    check(case, kind, data, context)
    if "text_only" not in case and kind != "applications_jsonl":
        ok, parsed = strict_json(data)
        if ok:
            check(case, kind, parsed, context)
    # Still usable: a valid application gets its verdict.
    decision = context["application_call"].evaluate(context["valid"], MANIFEST["as_of"])
    assert decision.verdict == MANIFEST["valid_verdict"]


def test_the_runner_reads_every_case_of_the_manifest() -> None:
    assert len(MANIFEST["cases"]) >= 60
    assert {c["kind"] for c in MANIFEST["cases"]} == {
        "dataset", "extension", "rule_set", "application", "applications", "applications_jsonl",
        "batch_result",
    }


IATI = MALFORMED / "iati"


def _iati_lines() -> list[Any]:
    """The README's lines `- `file`: `code` at `path``, split as core/tests/iati.rs splits them."""
    out = []
    for line in (IATI / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("- `"):
            parts = line.split("`")
            warning = "warning" in parts[2]
            out.append(pytest.param(parts[1], warning, parts[3], parts[5], id=f"iati/{parts[1]}"))
    return out


@pytest.mark.parametrize(("file", "warning", "code", "path"), _iati_lines())
def test_malformed_iati(file: str, warning: bool, code: str, path: str, context: dict[str, Any]) -> None:
    for given in ((IATI / file).read_bytes(), IATI / file):
        if warning:
            imported = euca.read_iati(given)
            found = [(w["code"], w["path"]) for w in imported.warnings]
            assert (code, path) in found, f"{file}: {found}"
            continue
        with pytest.raises(euca.ValidationError) as raised:
            euca.read_iati(given)
        e = raised.value
        assert isinstance(e, ValueError) and isinstance(e, euca.EucaError)
        first = e.errors()[0]
        got = (e.code, first["code"], first["path"])
        assert got == (code, code, path), f"{file}: {first['message'][:200]}"
    # Still usable: a valid application gets its verdict.
    decision = context["application_call"].evaluate(context["valid"], MANIFEST["as_of"])
    assert decision.verdict == MANIFEST["valid_verdict"]


def test_every_malformed_iati_file_is_listed_in_its_readme() -> None:
    listed = sorted(p.values[0] for p in _iati_lines())
    files = sorted(f.name for f in IATI.glob("*.xml"))
    assert listed == files
    assert len(files) >= 15
