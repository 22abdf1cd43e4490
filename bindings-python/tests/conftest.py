"""Shared fixtures of the Python tests: the embedded dataset, a real call, sample applications."""

from __future__ import annotations

import copy
import os
import pathlib
from typing import Any

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")  # plots render headless

import euca  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
PEER_BENCH_CALL = ROOT / "benches" / "peer-bench-tj2020.call.json"

NO_EXCLUSION = {
    "bankrupt": False,
    "convicted": False,
    "grave_misconduct": False,
    "unpaid_taxes": False,
    "fraud": False,
    "breach_of_contract": False,
}

# An application that the 2020 Tajikistan call (tj-2020-cso) finds eligible.
ELIGIBLE = {
    "id": "A-1",
    "applicant": {
        "legal_form": "legal_person",
        "non_profit": True,
        "org_type": "22",
        "country": "TJ",
        "registered_on": "2015-03-01",
        "exclusions": NO_EXCLUSION,
    },
    "co_applicants": [{"country": "TJ", "exclusions": NO_EXCLUSION}],
    "action": {"country": "TJ", "duration_months": 30},
    "budget": {
        "direct": 30_000_000,
        "indirect": 2_100_000,
        "contingency": 1_500_000,
        "requested": 30_000_000,
    },
    "submitted_at": "2020-09-04T10:00:00+02:00",
}

# A small instrument rule set of our own (no `extends`), for tests that must not depend on the
# embedded calls.
SMALL_CALL: dict[str, Any] = {
    "id": "test-call",
    "version": "1",
    "kind": "call",
    "title": "A test call",
    "currency": "EUR",
    "criteria": [
        {
            "id": "duration_range",
            "statement": "The action lasts 12 to 36 months",
            "citation": {
                "reference": "test 1.1",
                "source": {"title": "Test guidelines", "address": "https://example.org/guidelines"},
            },
            "test": {"duration": {"min_months": 12, "max_months": 36}},
        },
        {
            "id": "requested_range",
            "statement": "The EU contribution requested is between EUR 10 000 and EUR 100 000",
            "citation": {
                "reference": "test 1.2",
                "source": {"title": "Test guidelines", "document": "TEST/2020/1"},
            },
            "test": {"requested": {"min": 1_000_000, "max": 10_000_000}},
        },
    ],
    "sources": [{"title": "Test guidelines", "address": "https://example.org/guidelines"}],
}


def need(module: str) -> Any:
    """Imports an optional test dependency: skips without it, unless EUCA_TEST_ALL=1 (scripts/test),
    where a missing one fails instead of hiding a test."""
    if os.environ.get("EUCA_TEST_ALL") == "1":
        return __import__(module, fromlist=["_"])
    return pytest.importorskip(module)


def application(**changes: Any) -> dict[str, Any]:
    """A copy of the eligible application with top-level parts replaced."""
    app = copy.deepcopy(ELIGIBLE)
    app.update(changes)
    return app


@pytest.fixture(scope="session")
def data() -> euca.Dataset:
    return euca.Dataset.embedded()


@pytest.fixture(scope="session")
def tj2020(data: euca.Dataset) -> euca.Call:
    return data.call("tj-2020-cso")


@pytest.fixture(scope="session")
def small_call() -> euca.Call:
    return euca.Call.from_json(SMALL_CALL)
