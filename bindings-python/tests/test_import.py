"""`import euca` stays quick: the package imports neither `typing`, `dataclasses`, `inspect`, `re`
nor `html` at import time (python -X importtime measured them at about 25 ms together); they are
for type checkers only, or imported where used. And what replaced the dataclass behaves as one.
And what the import sets: the allocator's handling of the memory it purges."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest

import euca


def test_import_euca_loads_no_heavy_standard_modules() -> None:
    code = (
        "import sys, euca\n"
        "heavy = [m for m in ('typing', 'dataclasses', 'inspect', 're', 'html') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert out == "", f"import euca loaded: {out}"


def _purge_decommits(env: dict[str, str]) -> int | None:
    code = "import euca._euca as m; print(m._purge_decommits())"
    # mimalloc reads its variables whatever their case: none of the caller's may pass through.
    options = ("MIMALLOC_PURGE_DECOMMITS", "MIMALLOC_RESET_DECOMMITS")
    clean = {k: v for k, v in os.environ.items() if k.upper() not in options}
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env={**clean, **env}
    ).stdout.strip()
    return None if out == "None" else int(out)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the option is set on Linux only")
def test_the_allocator_keeps_freed_pages() -> None:
    # At import the extension's allocator (mimalloc) is told to reset the memory it purges
    # (MADV_FREE) rather than decommit it (MADV_DONTNEED, mimalloc's default, 1): a call made
    # after other work then reuses its pages without faulting them in again.
    assert _purge_decommits({}) == 0
    # The option the extension sets is the one mimalloc reads from MIMALLOC_PURGE_DECOMMITS (an
    # unusual value, so that mimalloc's default cannot pass for it), and a process that sets it,
    # under either of its names and in any case, keeps its own setting.
    assert _purge_decommits({"MIMALLOC_PURGE_DECOMMITS": "7"}) == 7
    assert _purge_decommits({"MIMALLOC_PURGE_DECOMMITS": "1"}) == 1
    assert _purge_decommits({"MIMALLOC_RESET_DECOMMITS": "1"}) == 1
    assert _purge_decommits({"mimalloc_purge_decommits": "1"}) == 1


@pytest.mark.skipif(sys.platform.startswith("linux"), reason="elsewhere than Linux")
def test_the_allocator_is_left_alone_elsewhere() -> None:
    assert _purge_decommits({}) is None


def test_an_iati_import_is_a_read_only_value() -> None:
    xml = (
        '<iati-activities version="2.03"><iati-activity><iati-identifier>XM-1</iati-identifier>'
        "<title><narrative>T</narrative></title></iati-activity></iati-activities>"
    )
    a = euca.read_iati(xml)
    b = euca.read_iati(xml)
    assert isinstance(a, euca.IatiImport)
    assert a == b
    assert a != euca.read_iati(xml.replace("XM-1", "XM-2"))
    assert a.version == "2.03"
    assert "IatiImport(version='2.03'" in repr(a)
    with pytest.raises(AttributeError):
        a.version = "2.02"
    with pytest.raises(AttributeError):
        del a.records
    with pytest.raises(TypeError):
        hash(a)
    back = pickle.loads(pickle.dumps(a))
    assert back == a and back.to_dict() == a.to_dict()
