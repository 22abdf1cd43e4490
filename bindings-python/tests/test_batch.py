"""Batches: lists of dicts, DataFrames with dotted-path columns, JSON Lines; columns first."""

from __future__ import annotations

import copy
import decimal
import datetime
import gc
import json
import math
import pickle
import random
import re
import sys
import threading
import warnings

import pytest

import euca

from conftest import ELIGIBLE, FIXTURES, NO_EXCLUSION, ROOT, SMALL_CALL, application, need


def _apps(n: int) -> list[dict]:
    apps = []
    for i in range(n):
        app = application(id=f"A-{i}")
        if i % 3 == 1:
            app["submitted_at"] = "2020-09-04T14:00:00+02:00"  # late
        if i % 3 == 2:
            app["action"] = {"country": "TJ"}  # duration missing
        apps.append(app)
    return apps


def test_evaluate_many_gives_columns(tj2020):
    batch = tj2020.evaluate_many(_apps(6), as_of="2020-09-04")
    assert len(batch) == 6
    assert batch.ids == [f"A-{i}" for i in range(6)]
    assert batch.verdicts == ["eligible", "ineligible", "undetermined"] * 2
    assert batch.eligible == [True, False, False] * 2
    assert all(type(flag) is bool for flag in batch.eligible)
    assert batch.failed[1] == ["deadline"] and batch.missing[2] == ["duration_range"]
    assert batch.max_eu_contribution[0] == 33_600_000
    assert batch.eu_share[0] == "89.28"
    assert batch.counts() == {"eligible": 2, "ineligible": 2, "undetermined": 2}
    assert batch.as_of == datetime.date(2020, 9, 4)
    assert batch.stage is None
    assert batch.rule_set == tj2020.rule_set
    assert "6 rows" in repr(batch)


def test_decisions_are_built_on_demand_and_equal_single_evaluation(tj2020):
    apps = _apps(4)
    batch = tj2020.evaluate_many(apps, as_of="2020-09-04")
    for i, app in enumerate(apps):
        assert batch.decision(i) == tj2020.evaluate(app, as_of="2020-09-04")
    assert batch.decision(-1) == batch.decision(3)
    for bad in (4, -5):
        with pytest.raises(IndexError):
            batch.decision(bad)


def test_decisions_of_a_batch_read_in_parts(tj2020):
    """A batch is read and evaluated in parts of 2 048 (from dicts and from a frame): each row's
    decision is its own application's, on either side of a part's end, and after a pickle."""
    pd = need("pandas")
    apps = _apps(5_000)
    for i, app in enumerate(apps):
        app["id"] = f"A-{i}"
        app["budget"]["requested"] = 20_000_000 + i
    rows = [0, 2047, 2048, 4095, 4096, 4999, -1, -2953]
    for given in (apps, pd.json_normalize(apps, max_level=5)):
        batch = tj2020.evaluate_many(given, as_of="2020-09-04")
        again = pickle.loads(pickle.dumps(batch))
        for i in rows:
            want = tj2020.evaluate(apps[i], as_of="2020-09-04")
            assert batch.decision(i) == want == again.decision(i), i
        with pytest.raises(IndexError):
            batch.decision(5_000)


def test_decisions_of_a_batch_from_json_lines(tj2020):
    """A batch from JSON Lines keeps the text, not the applications: each row's decision reads
    its line again, blank lines and Windows line ends skipped as when it was evaluated, on every
    row of every part the lines were evaluated in, and after a pickle."""
    apps = _apps(3_000)
    for i, app in enumerate(apps):
        app["id"] = f"Заявка-{i}" if i % 5 == 0 else f"A-{i}"
        app["budget"]["requested"] = 20_000_000 + i

    def evaluated():
        # The only reference to the text is the batch's: it must keep the text alive.
        lines = [json.dumps(a, ensure_ascii=False) + ("\r\n" if i % 3 else "\n")
                 + ("\n  \n" if i % 7 == 0 else "") for i, a in enumerate(apps)]
        return tj2020.evaluate_jsonl("\n" + "".join(lines), as_of="2020-09-04")

    batch = evaluated()
    gc.collect()
    assert batch.to_dict() == tj2020.evaluate_many(apps, as_of="2020-09-04").to_dict()
    again = pickle.loads(pickle.dumps(batch))
    assert again.to_dict() == batch.to_dict()
    for i, app in enumerate(apps):
        want = tj2020.evaluate(app, as_of="2020-09-04")
        assert batch.decision(i) == want, i
        if i % 500 == 0:
            assert again.decision(i) == want, i
    assert batch.decision(-1) == tj2020.evaluate(apps[-1], as_of="2020-09-04")
    with pytest.raises(IndexError):
        batch.decision(3_000)


def test_a_batch_is_a_sequence_of_the_records_rows(tj2020):
    batch = tj2020.evaluate_many(_apps(6), as_of="2020-09-04", stage="concept_note")
    rows = batch.to_records().to_list()
    d = batch.to_dict()
    assert batch[0] == rows[0] and batch[1] == {
        "id": "A-1",
        "verdict": "ineligible",
        "max_eu_contribution": d["max_eu_contribution"][1],
        "eu_share": d["eu_share"][1],
        "failed": ["deadline"],
        "missing": [],
    }
    assert [batch[i] for i in range(6)] == rows == list(batch)
    assert batch[-1] == rows[5] and batch[-6] == rows[0]
    for bad in (6, -7, 2**70):
        with pytest.raises(IndexError):
            batch[bad]
    with pytest.raises(TypeError, match="integers or slices"):
        batch["0"]
    # Slices, as for Records: the rows as Records.
    assert isinstance(batch[1:4], euca.Records)
    for sl in (slice(1, 4), slice(None, None, -2), slice(-2, None), slice(10, 20), slice(None, None, 3)):
        assert batch[sl].to_list() == rows[sl], sl
    # The iterator builds rows as it goes, and ends.
    it = iter(batch)
    assert next(it) == rows[0]
    assert list(it) == rows[1:]
    assert list(it) == []
    assert list(reversed(batch)) == rows[::-1]
    assert list(tj2020.evaluate_many([], as_of="2020-09-04")) == []


def test_a_batch_pickles_with_its_call_and_applications(data, tj2020):
    batch = tj2020.evaluate_many(_apps(5), as_of="2020-09-04", stage="full_application")
    again = pickle.loads(pickle.dumps(batch))
    assert type(again) is euca.BatchResult
    assert again.to_dict() == batch.to_dict() and list(again) == list(batch)
    assert (again.as_of, again.stage, again.rule_set) == (batch.as_of, batch.stage, batch.rule_set)
    assert [again.decision(i) for i in range(5)] == [batch.decision(i) for i in range(5)]
    # A call compiled against a dataset of one's own keeps it through the pickle.
    instrument = {
        "id": "my-instrument",
        "version": "1",
        "kind": "instrument",
        "title": "My instrument",
        "criteria": SMALL_CALL["criteria"][:1],
        "sources": SMALL_CALL["sources"],
    }
    mine = data.extend({"add": {"rule_sets": [instrument]}})
    call = euca.Call.from_json(
        dict(SMALL_CALL, id="my-call", extends="my-instrument", criteria=SMALL_CALL["criteria"][1:]), dataset=mine
    )
    own = call.evaluate_many([{"id": "x", "action": {"duration_months": 6}}], as_of="2020-01-01")
    back = pickle.loads(pickle.dumps(own))
    assert back.failed == own.failed == [["duration_range"]]
    assert back.decision(0) == own.decision(0)


def test_a_batch_of_a_list_reads_its_rows_again_from_the_list(tj2020):
    """A batch of a list (or a tuple) keeps the list, not the applications read from it:
    `decision(i)` and a pickle read item `i` again, and it must still read as the application
    row `i` was evaluated from; anything else is `changed_application`."""
    apps = _apps(5)
    want = [tj2020.evaluate(app, as_of="2020-09-04") for app in apps]
    batch = tj2020.evaluate_many(apps, as_of="2020-09-04")
    assert batch._read == "list"
    held = tuple(apps)
    assert tj2020.evaluate_many(held, as_of="2020-09-04")._read == "list"
    assert tj2020.evaluate_many(applications=held, as_of="2020-09-04")._read == "list"
    assert any(r is apps for r in gc.get_referents(batch))
    # A list only the call refers to cannot change after, and keeping it would keep its dicts
    # (several times the applications' memory) alive: its applications are kept instead.
    for temporary in (
        tj2020.evaluate_many(copy.deepcopy(apps), as_of="2020-09-04"),
        tj2020.evaluate_many(applications=list(apps), as_of="2020-09-04"),
        tj2020.evaluate_many(tuple(apps), as_of="2020-09-04"),
    ):
        assert temporary._read == "items"
        assert [temporary.decision(i) for i in range(5)] == want

    # What reads as the same application is the same: an equal copy, keys in another order, an
    # amount given as a Decimal.
    apps[0] = copy.deepcopy(apps[0])
    apps[3] = dict(reversed(list(apps[3].items())))
    apps[4]["budget"]["requested"] = decimal.Decimal(apps[4]["budget"]["requested"])
    assert [batch.decision(i) for i in range(5)] == want

    def changed(i, path="i"):
        with pytest.raises(euca.QueryError) as e:
            batch.decision(i)
        assert e.value.code == "changed_application"
        assert e.value.errors() == [{"code": "changed_application", "message": str(e.value), "path": path}]
        return str(e.value)

    # A change the columns do not show is still a change.
    apps[0]["budget"]["requested"] += 1
    assert tj2020.evaluate(apps[0], as_of="2020-09-04").verdict == want[0].verdict
    assert "the application at `[0]` of the list this batch was evaluated from has changed since" in changed(0)
    assert batch.decision(1) == want[1]
    apps[0]["budget"]["requested"] -= 1
    assert batch.decision(0) == want[0]
    # One that no longer reads (a result written back into it), named; and one that is gone.
    apps[2]["verdict"] = batch.verdicts[2]
    assert "no longer reads (unknown field `verdict` at `[2].verdict`)" in changed(2)
    assert "no longer reads" in changed(-3)
    del apps[4]
    assert "is gone (the list has 4 items now)" in changed(4)
    # A pickle reads every item again, and names the first that changed.
    with pytest.raises(euca.QueryError) as e:
        pickle.dumps(batch)
    assert (e.value.code, e.value.errors()[0]["path"]) == ("changed_application", "[2]")
    with pytest.raises(IndexError):
        batch.decision(5)
    # The code only Python raises has its row in the Python part of the catalogue.
    doc = (ROOT / "docs" / "errors.md").read_text()
    assert re.search(r"^## In Python$[^#]*^\| [^`|][^|]* \| `changed_application` ", doc, re.M)

    # A pickle of an unchanged list keeps the applications, which a later change leaves alone.
    apps = _apps(3)
    batch = tj2020.evaluate_many(apps, as_of="2020-09-04")
    again = pickle.loads(pickle.dumps(batch))
    apps.clear()
    assert [again.decision(i) for i in range(3)] == want[:3]
    # So does a batch of any other iterable, a subclass of list included (whose `__getitem__`
    # may give other items than its `__iter__`): it keeps the applications as read.
    class Applications(list):
        pass

    for given in (iter, Applications):
        apps = _apps(3)
        batch = tj2020.evaluate_many(given(apps), as_of="2020-09-04")
        assert batch._read == "items"
        apps[0]["verdict"] = "eligible"
        apps.clear()
        assert [batch.decision(i) for i in range(3)] == want[:3]


def test_a_list_that_holds_its_own_batch_is_collected(tj2020):
    """A batch of a list refers to the list: a list that comes to hold the batch, or an
    iterator over its rows, is a cycle the collector frees."""

    rows = type(iter(tj2020.evaluate_many([], as_of="2020-09-04")))

    def alive() -> int:
        gc.collect()
        return sum(type(o) in (euca.BatchResult, rows) for o in gc.get_objects())

    before = alive()
    for hold in (lambda batch: batch, iter):
        apps = _apps(3)
        batch = tj2020.evaluate_many(apps, as_of="2020-09-04")
        assert batch._read == "list"
        apps.append(hold(batch))
        del apps, batch
        assert alive() == before


def test_a_pickle_that_is_not_a_batch_is_a_validation_error(tj2020):
    with pytest.raises(euca.ValidationError):
        euca.BatchResult._from_pickle(tj2020, "[]", "{}")
    batch = tj2020.evaluate_many(_apps(2), as_of="2020-09-04")
    _, (call, applications, result, kind) = batch.__reduce__()
    assert kind == "applications"
    with pytest.raises(euca.ValidationError, match="1 applications for 2 rows"):
        euca.BatchResult._from_pickle(call, json.dumps(json.loads(applications)[:1]), result)
    with pytest.raises(euca.ValidationError, match="not a kind of pickled batch"):
        euca.BatchResult._from_pickle(call, applications, result, "yaml")
    # A batch of JSON Lines pickles its text, which must have a line for each row.
    text = "\n".join(json.dumps(a) for a in _apps(2))
    _, (call, lines, result, kind) = tj2020.evaluate_jsonl(text, as_of="2020-09-04").__reduce__()
    assert (lines, kind) == (text, "jsonl")
    with pytest.raises(euca.ValidationError, match="1 lines for 2 rows"):
        euca.BatchResult._from_pickle(call, lines.split("\n")[0], result, "jsonl")
    # An edited line is named when its decision is asked for.
    edited = euca.BatchResult._from_pickle(call, lines.replace('"budget"', '"budgit"', 1), result, "jsonl")
    with pytest.raises(euca.ValidationError, match="budgit"):
        edited.decision(0)


def test_a_batch_comes_back_from_a_worker_process(tj2020):
    import concurrent.futures
    import multiprocessing

    apps = _apps(6)
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=ctx) as pool:
        batch = pool.submit(_evaluate_in_a_worker, tj2020, apps).result(timeout=120)
    here = tj2020.evaluate_many(apps, as_of="2020-09-04")
    assert batch.to_dict() == here.to_dict()
    assert batch.decision(2) == here.decision(2)


def _evaluate_in_a_worker(call: euca.Call, apps: list[dict]) -> euca.BatchResult:
    return call.evaluate_many(apps, as_of="2020-09-04")


def test_to_dict_is_the_json_shape_and_records_are_rows(tj2020):
    batch = tj2020.evaluate_many(_apps(3), as_of="2020-09-04", stage="concept_note")
    d = batch.to_dict()
    assert d["verdicts"] == batch.verdicts and d["as_of"] == "2020-09-04" and d["stage"] == "concept_note"
    rows = batch.to_records()
    assert rows[1] == {
        "id": "A-1",
        "verdict": "ineligible",
        "max_eu_contribution": batch.max_eu_contribution[1],
        "eu_share": batch.eu_share[1],
        "failed": ["deadline"],
        "missing": [],
    }


def test_to_pandas_and_to_polars(tj2020):
    need("pandas")
    need("polars")
    batch = tj2020.evaluate_many(_apps(3), as_of="2020-09-04")
    frame = batch.to_pandas()
    assert list(frame["verdict"]) == batch.verdicts
    assert list(frame.columns) == ["id", "verdict", "max_eu_contribution", "eu_share", "failed", "missing"]
    pl_frame = batch.to_polars()
    assert pl_frame["verdict"].to_list() == batch.verdicts
    assert pl_frame["failed"].to_list() == batch.failed


def test_the_eligible_mask_keeps_the_eligible_rows_of_a_frame(tj2020):
    """`eligible` is `verdicts == "eligible"` row by row, whatever the batch was read from (a
    list, a pandas frame, a polars frame through its Arrow stream, JSON Lines, a pickle), and
    filters the frame the batch was evaluated from."""
    pd = need("pandas")
    pl = need("polars")
    apps = _apps(9)
    frame = pd.json_normalize(apps, max_level=5)
    polars_frame = pl.from_dicts(apps)
    text = "".join(json.dumps(app) + "\n" for app in apps)
    batches = [
        tj2020.evaluate_many(apps, as_of="2020-09-04"),
        tj2020.evaluate_many(frame, as_of="2020-09-04"),
        tj2020.evaluate_many(polars_frame, as_of="2020-09-04"),
        tj2020.evaluate_jsonl(text, as_of="2020-09-04"),
    ]
    batches.append(pickle.loads(pickle.dumps(batches[0])))
    for batch in batches:
        assert batch.verdicts == ["eligible", "ineligible", "undetermined"] * 3
        assert batch.eligible == [v == "eligible" for v in batch.verdicts]
        assert sum(batch.eligible) == batch.counts()["eligible"] == 3
    assert list(frame.loc[batches[1].eligible]["id"]) == ["A-0", "A-3", "A-6"]
    assert polars_frame.filter(batches[2].eligible)["id"].to_list() == ["A-0", "A-3", "A-6"]
    # An empty batch's mask is an empty list: `loc` keeps an empty frame's columns.
    assert tj2020.evaluate_many([], as_of="2020-09-04").eligible == []
    assert list(frame.iloc[:0].loc[[]].columns) == list(frame.columns)


def test_a_pandas_dataframe_with_dotted_columns(tj2020):
    pd = need("pandas")
    apps = _apps(3)
    frame = pd.json_normalize(apps, max_level=5)
    assert "applicant.country" in frame.columns and "budget.requested" in frame.columns
    # Row 2 has no action.duration_months: json_normalize leaves NaN, which means "absent".
    assert math.isnan(frame.loc[2, "action.duration_months"])
    batch = tj2020.evaluate_many(frame, as_of="2020-09-04")
    assert batch.verdicts == tj2020.evaluate_many(apps, as_of="2020-09-04").verdicts


def test_a_dataframe_with_timestamps_numpy_values_and_missing_cells(tj2020):
    pd = need("pandas")
    frame = pd.DataFrame(
        {
            "id": ["P-1", "P-2"],
            "applicant.country": ["TJ", None],
            "applicant.registered_on": pd.to_datetime(["2015-03-01", None]),
            "action.duration_months": [30, None],
            "budget.requested": [30_000_000, 30_000_000],
            "submitted_at": pd.to_datetime(["2020-09-04T10:00:00+02:00", "2020-09-04T14:00:00+02:00"]),
        }
    )
    batch = tj2020.evaluate_many(frame, as_of="2020-09-04")
    first = batch.decision(0)
    read = {k: v for c in first.checks for k, v in c["read"].items()}
    assert read.get("action.duration_months") == 30
    assert batch.verdicts[1] == "ineligible"  # late, whatever else is missing
    assert batch.ids == ["P-1", "P-2"]


def test_a_polars_dataframe(tj2020):
    pl = need("polars")
    frame = pl.DataFrame(
        {
            "id": ["Q-1", "Q-2"],
            "action.duration_months": [30, None],
            "budget.requested": [30_000_000, 100],
        }
    )
    batch = tj2020.evaluate_many(frame, as_of="2020-09-04")
    assert batch.ids == ["Q-1", "Q-2"]
    assert "requested_range" in batch.failed[1]


def test_problems_of_every_application_have_their_index(tj2020):
    apps = _apps(3)
    apps[0]["budget"]["requested"] = 1.5
    apps[2]["applicant"]["contry"] = "TJ"
    with pytest.raises(euca.ValidationError) as e:
        tj2020.evaluate_many(apps)
    paths = [p["path"] for p in e.value.errors()]
    assert paths == ["[0].budget.requested", "[2].applicant.contry"]


def test_evaluate_many_refuses_what_is_not_a_list_of_applications(tj2020):
    for wrong in ("{}", ELIGIBLE, 3):
        with pytest.raises(TypeError, match="applications"):
            tj2020.evaluate_many(wrong)  # type: ignore[arg-type]
    with pytest.raises(euca.ValidationError) as e:
        tj2020.evaluate_many([ELIGIBLE, "not an application"])
    assert e.value.errors()[0]["path"] == "[1]"


def test_a_batch_read_in_parts_is_evaluated_as_one(tj2020):
    # More applications than one part of the reading (2 048): each part is evaluated on another
    # thread while the next is read, and the rows are joined in input order.
    apps = _apps(5_000)
    for source in (apps, iter(apps), tuple(apps)):  # a length known or not
        batch = tj2020.evaluate_many(source, as_of="2020-09-04")
        assert batch.ids == [a["id"] for a in apps]
        assert batch.verdicts == ["eligible", "ineligible", "undetermined"] * 1_666 + [
            "eligible",
            "ineligible",
        ]
        assert batch.failed[4_096] == ["deadline"] and batch.missing[2_048] == ["duration_range"]
        for i in (0, 2_047, 2_048, 4_095, 4_096, 4_999):
            assert batch.decision(i) == tj2020.evaluate(apps[i], as_of="2020-09-04")
    assert euca.Call.from_json(tj2020.to_json()).evaluate_many(apps).counts() == batch.counts()


def test_the_problems_of_every_part_of_a_batch_are_named(tj2020):
    apps = _apps(5_000)
    apps[10]["applicant"]["contry"] = "TJ"
    apps[3_000]["budget"]["requested"] = "many"
    apps[4_999] = "not an application"
    with pytest.raises(euca.ValidationError) as e:
        tj2020.evaluate_many(apps, as_of="2020-09-04")
    paths = [p["path"] for p in e.value.errors()]
    assert paths == ["[10].applicant.contry", "[3000].budget.requested", "[4999]"]


def test_an_empty_batch(tj2020):
    batch = tj2020.evaluate_many([], as_of="2020-09-04")
    assert len(batch) == 0 and batch.counts() == {"eligible": 0, "ineligible": 0, "undetermined": 0}
    assert len(batch.to_records()) == 0


def test_evaluate_jsonl_from_text_bytes_and_files(tj2020, tmp_path):
    apps = _apps(5)
    text = "\n".join(json.dumps(a) for a in apps) + "\n\n"
    expected = tj2020.evaluate_many(apps, as_of="2020-09-04")
    path = tmp_path / "apps.jsonl"
    path.write_text(text)
    for source in (text, text.encode(), path, str(path), json.dumps(apps[0])):
        batch = tj2020.evaluate_jsonl(source, as_of="2020-09-04")
        assert batch.verdicts == expected.verdicts[: len(batch)]
    assert len(tj2020.evaluate_jsonl(json.dumps(apps[0]))) == 1
    assert tj2020.evaluate_jsonl(text, as_of="2020-09-04").decision(4) == expected.decision(4)


def test_evaluate_jsonl_reports_lines(tj2020, tmp_path):
    text = json.dumps(ELIGIBLE) + "\n{not json}\n" + json.dumps(application(bogus=1)) + "\n"
    with pytest.raises(euca.ValidationError) as e:
        tj2020.evaluate_jsonl(text)
    problems = e.value.errors()
    assert problems[0]["path"] == "[1]" and problems[0]["message"].startswith("line 2:")
    assert problems[1]["path"] == "[2].bogus" and problems[1]["message"].startswith("line 3:")
    with pytest.raises(FileNotFoundError):
        tj2020.evaluate_jsonl(tmp_path / "missing.jsonl")
    with pytest.raises(FileNotFoundError):
        tj2020.evaluate_jsonl("missing.jsonl")


def _ticks_during(call) -> int:
    """How often a second thread ran Python code while `call()` ran in this one.

    The switch interval is set so long that the interpreter never takes the GIL from this thread:
    the ticking thread can run only while this one has given the GIL up itself, as native code
    does in `py.detach`. So the count is not a matter of timing: it is 0 for a call that holds the
    GIL throughout, however long it runs, and positive for one that evaluates without it (the
    ticker, waiting for the GIL since the conversion of the arguments, takes it at once).
    """
    ticks = [0]
    started, stop = threading.Event(), threading.Event()

    def tick() -> None:
        started.set()
        while not stop.is_set():
            ticks[0] += 1
            stop.wait(0.0005)  # gives the GIL up, then waits for it again

    interval = sys.getswitchinterval()
    ticker = threading.Thread(target=tick)
    sys.setswitchinterval(100.0)
    try:
        ticker.start()
        started.wait()
        before = ticks[0]
        call()
        return ticks[0] - before
    finally:
        stop.set()
        ticker.join()
        sys.setswitchinterval(interval)


def test_the_gil_probe_sees_a_call_that_holds_the_gil():
    # The control: pure Python code (and native code that keeps the GIL) lets the ticker not run.
    def spin() -> None:
        for _ in range(3_000_000):
            pass

    assert _ticks_during(spin) == 0
    text = json.dumps([ELIGIBLE] * 20_000)
    assert _ticks_during(lambda: json.loads(text)) == 0
    batch = euca.Call.from_json(SMALL_CALL).evaluate_many([{}] * 20_000, as_of="2020-09-04")
    batch.to_dict()
    assert _ticks_during(batch.to_dict) == 0


def test_batches_release_the_gil(data, tj2020):
    apps = [application(id=f"A-{i}") for i in range(2_000)]
    text = "\n".join(json.dumps(a) for a in apps)
    crowded = application(co_applicants=[ELIGIBLE["co_applicants"][0]] * 1_000)
    # Applications that take a while to evaluate, so that the GIL stays given up for longer.
    partners = [ELIGIBLE["co_applicants"][0]] * 40
    busy = [application(id=f"B-{i}", co_applicants=partners) for i in range(2_000)]
    calls = {
        "evaluate_many": lambda: tj2020.evaluate_many(busy, as_of="2020-09-04"),
        "evaluate_jsonl": lambda: tj2020.evaluate_jsonl(text, as_of="2020-09-04"),
        "compare": lambda: euca.compare(tj2020, tj2020, apps[:500], as_of="2020-09-04"),
        "match": lambda: data.match(crowded, as_of="2020-09-04"),
    }
    for name, call in calls.items():
        call()  # the first use of a type the native module imports lazily may give the GIL up once
        # The GIL is given up for the last part's evaluation only (milliseconds here), and a busy
        # machine may not wake the ticker within it: a call that holds the GIL throughout gives 0
        # every time, so three tries tell the two apart.
        released = any(_ticks_during(call) > 0 for _ in range(3))
        assert released, f"{name} held the GIL while it evaluated"


def test_a_frame_read_from_its_buffers_releases_the_gil(tj2020):
    """A table whose every column is read from its buffers is read and evaluated without the
    GIL, on all cores. (Each row's partners are named apart, so that the call lasts: a column
    of few distinct lists would be read once per list.)"""
    pa = need("pyarrow")
    partner = ELIGIBLE["co_applicants"][0]
    frame = pa.Table.from_pylist(
        [
            application(id=f"B-{i}", co_applicants=[{**partner, "name": f"P-{i}-{k}"} for k in range(40)])
            for i in range(4_000)
        ]
    )
    call = lambda: tj2020.evaluate_many(frame, as_of="2020-09-04")  # noqa: E731
    assert call()._read == "arrow stream on all cores"
    assert any(_ticks_during(call) > 0 for _ in range(3)), "held the GIL while it evaluated"


def test_rows_from_a_frame_that_nests_a_value_under_a_value(tj2020):
    pd = need("pandas")
    frame = pd.DataFrame({"action": ["x"], "action.country": ["TJ"]})
    with pytest.raises(euca.ValidationError) as e:
        tj2020.evaluate_many(frame)
    assert e.value.errors()[0]["path"] == "action.country"


def test_a_deep_copy_of_applications_is_not_needed(tj2020):
    apps = _apps(2)
    before = copy.deepcopy(apps)
    tj2020.evaluate_many(apps)
    assert apps == before


def test_dicts_with_dates_decimals_tuples_and_numpy_read_as_their_json(tj2020):
    """Dicts are read straight from Python; values without a JSON type of their own (aware
    datetimes, Decimal, tuples, NumPy scalars) are converted as everywhere else, and a batch of
    them gives the verdicts of the same applications as JSON text."""
    decimal = pytest.importorskip("decimal")
    np = pytest.importorskip("numpy")
    base = _apps(3)
    varied = copy.deepcopy(base)
    varied[0]["submitted_at"] = datetime.datetime(2020, 9, 4, 11, 0, tzinfo=datetime.timezone.utc)
    varied[0]["budget"]["requested"] = decimal.Decimal(varied[0]["budget"]["requested"])
    varied[1]["budget"]["direct"] = np.int64(varied[1]["budget"]["direct"])
    varied[1]["budget"]["indirect"] = float(varied[1]["budget"]["indirect"])
    if "sectors" in varied[2]["action"]:
        varied[2]["action"]["sectors"] = tuple(varied[2]["action"]["sectors"])
    varied[2]["action"]["duration_months"] = np.int32(24)
    base[0]["submitted_at"] = "2020-09-04T11:00:00+00:00"
    base[2]["action"]["duration_months"] = 24
    text = "\n".join(json.dumps(a) for a in base)
    got = tj2020.evaluate_many(varied, as_of="2020-09-04")
    want = tj2020.evaluate_jsonl(text, as_of="2020-09-04")
    assert got.verdicts == want.verdicts
    assert got.to_dict() == want.to_dict()
    assert [tj2020.evaluate(a, as_of="2020-09-04").verdict for a in varied] == want.verdicts
    # What has no JSON form is still named with its path.
    varied[1]["budget"]["requested"] = {1, 2}
    with pytest.raises(euca.ValidationError) as e:
        tj2020.evaluate_many(varied, as_of="2020-09-04")
    assert e.value.errors()[0]["path"] == "[1].budget.requested"
    varied[1]["budget"]["requested"] = decimal.Decimal("10.005")
    with pytest.raises(euca.ValidationError) as e:
        tj2020.evaluate_many(varied, as_of="2020-09-04")
    assert e.value.errors()[0]["code"] == "over_precise_money"


def test_frames_read_column_by_column_give_the_rows_applications(tj2020):
    """A frame is handed over a column at a time and assembled natively; the applications are the
    ones `euca._frames.rows` builds as dicts (the written-out rules), for pandas, pyarrow (a Table
    and a RecordBatch) and polars."""
    from euca import _frames

    pd = need("pandas")
    apps = _apps(9)
    apps[4]["applicant"]["registered_on"] = "2011-05-02"
    frame = pd.json_normalize(apps, max_level=5)
    frame["applicant.registered_on"] = pd.to_datetime(frame["applicant.registered_on"])
    want = tj2020.evaluate_many(_frames.rows(frame), as_of="2020-09-04")
    got = tj2020.evaluate_many(frame, as_of="2020-09-04")
    assert got.to_dict() == want.to_dict()
    assert got.decision(4).to_dict() == want.decision(4).to_dict()
    pa = need("pyarrow")
    table = pa.Table.from_pandas(frame, preserve_index=False)
    assert tj2020.evaluate_many(table, as_of="2020-09-04").to_dict() == want.to_dict()
    assert tj2020.evaluate_many(table.to_batches()[0], as_of="2020-09-04").to_dict() == want.to_dict()
    pl = pytest.importorskip("polars")
    pl_frame = pl.DataFrame(
        {c: [None if _frames._missing(v) else v for v in frame[c].tolist()] for c in frame.columns},
        strict=False,
    )
    assert tj2020.evaluate_many(pl_frame, as_of="2020-09-04").to_dict() == want.to_dict()


def _outcome(call, applications):
    """The batch's columns, or the problems it is refused with."""
    try:
        return call.evaluate_many(applications, as_of="2020-09-04").to_dict()
    except euca.ValidationError as e:
        return e.errors()


def test_frame_columns_handed_over_as_buffers_read_as_their_python_values(tj2020):
    """Columns of booleans and integers (NumPy) and of Arrow-backed strings are handed over as
    buffers, not lists (`euca._frames.columns`), and a pandas column of Python objects without
    its `isna` pass: every frame here, valid or not, gives what its rows as dicts give, for
    pandas, pyarrow and polars."""
    from euca import _frames

    pd = need("pandas")
    pa = need("pyarrow")
    base = pd.json_normalize(_apps(4), max_level=5)

    def text(*cells: str):
        return pd.array(list(cells), dtype="string[pyarrow]")

    base["applicant.name"] = text("Ёлка", "Öffentlich", "Доверие", "x")
    base["applicant.org_type"] = [60, 40, 22, 73]
    names, values, missing, rows = _frames.columns(base)
    kinds = {n: v[0] for n, v in zip(names, values) if isinstance(v, tuple)}
    assert kinds["applicant.non_profit"] == "bool"
    assert kinds["budget.requested"] == "int64" and kinds["applicant.org_type"] == "int64"
    assert kinds["applicant.name"] == "str"
    assert missing[names.index("co_applicants")] == _frames.UNCHECKED
    np = need("numpy")
    odd_cells = [None, float("nan"), pd.NA, pd.NaT, decimal.Decimal("NaN")]
    midnight = datetime.datetime(2015, 3, 1)
    variants = {
        "as they are": {},
        "an int for a text": {"id": [1, 2, 3, 4]},
        "a bool for money": {"budget.requested": [True, False, True, False]},
        "an int for a bool": {"applicant.non_profit": [1, 0, 1, 1]},
        "negative money": {"budget.direct": [-5, 10, 20, 30]},
        "text for months": {"action.duration_months": text("30", "x", "12", "1")},
        "padded codes": {"applicant.org_type": text(" 60 ", "40", "x", "22")},
        "a bad day": {"applicant.registered_on": text("2011-02-30", "2011-02-03", "", "2011")},
        "missing objects": {"co_applicants": pd.Series(odd_cells[:4], dtype=object)},
        "odd objects": {"action.sectors": pd.Series([(15160,), odd_cells[4], "15160", 15160], dtype=object)},
        "odd missing objects": {
            "action.country": pd.Series(
                [decimal.Decimal("sNaN"), complex("nan"), np.array(np.nan), "TJ"], dtype=object
            )
        },
        "dates among odd missing cells": {
            "applicant.registered_on": pd.Series(
                [midnight, np.float32("nan"), midnight, midnight], dtype=object
            )
        },
    }
    for name, change in variants.items():
        frame = base.copy()
        for column, cells in change.items():
            frame[column] = cells
        want = _outcome(tj2020, _frames.rows(frame))
        assert _outcome(tj2020, frame) == want, name
        plain = frame.astype({c: object for c in frame.columns if str(frame[c].dtype) in ("str", "string")})
        try:
            table = pa.Table.from_pandas(plain, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            continue  # a column of mixed objects that Arrow does not take
        assert _outcome(tj2020, table) == want, f"{name} (pyarrow)"
        # A slice of a RecordBatch: its columns start at an offset into their buffers.
        sliced = table.to_batches()[0].slice(1, 2)
        assert _outcome(tj2020, sliced) == _outcome(tj2020, _frames.rows(frame.iloc[1:3])), name
        pl = pytest.importorskip("polars")
        assert _outcome(tj2020, pl.from_arrow(table)) == want, f"{name} (polars)"


def test_polars_columns_of_lists_and_structs_read_as_their_python_values(tj2020):
    """A polars column of lists or structs of plain values is made into Python values by Arrow
    (`euca._frames._pylist`), which must give what polars gives: nulls inside and out."""
    from euca import _frames

    pl = need("polars")
    frame = pl.DataFrame(
        {
            "id": ["P-1", "P-2", "P-3"],
            "co_applicants": [[{"country": "TJ", "org_type": 60}], [{"country": None, "org_type": 40}], None],
            "action.sectors": [[15160], [], None],
            "action.country": ["TJ", "KG", None],
        }
    )
    assert _frames._nested_plain(frame.schema["co_applicants"])
    assert not _frames._nested_plain(pl.List(pl.Datetime()))
    assert _outcome(tj2020, frame) == _outcome(tj2020, _frames.rows(frame))
    assert tj2020.evaluate_many(frame, as_of="2020-09-04").ids == ["P-1", "P-2", "P-3"]


def test_arrow_columns_of_lists_and_structs_read_from_their_buffers_as_their_python_values(
    tj2020, monkeypatch
):
    """A pyarrow or polars column of lists or structs without a null, with booleans, integers or
    strings at its leaves (`co_applicants`, `action.sectors`, a whole `applicant` struct), is
    handed over as its offsets and leaves (`euca._frames._nested`), not as Python values, and so
    are pandas' Arrow-backed columns (`pd.ArrowDtype`) of those and of booleans, integers and
    strings: every table here, valid or not, sliced or not, gives what it gives read as Python
    values (the way before), and a table of structs what its rows as dicts give."""
    from euca import _frames

    pa = need("pyarrow")
    pd = need("pandas")
    apps = _apps(5)
    for app in apps:
        app["co_applicants"] = [{"country": "TJ", "org_type": 60, "exclusions": NO_EXCLUSION}]
    apps[1]["co_applicants"] = [
        {"country": "KG", "org_type": 22, "exclusions": {**NO_EXCLUSION, "fraud": True}},
        {"country": "TJ", "org_type": 60, "exclusions": NO_EXCLUSION},
    ]
    apps[2]["co_applicants"] = []
    for app in apps:
        app.setdefault("action", {"country": "TJ"}).setdefault("sectors", [15150, 15160])
    variants = {
        "as they are": lambda a: None,
        "an unknown field in a list's struct": lambda a: a["co_applicants"][0].update(colour="red")
        if a["co_applicants"]
        else None,
        "text for a code in a list": lambda a: a["action"].update(sectors=["15160", "x"]),
        "an int for a country": lambda a: a["applicant"].update(country=7),
        "a negative code": lambda a: a["action"].update(sectors=[-1]),
        "an int for a bool": lambda a: a["applicant"].update(exclusions={**NO_EXCLUSION, "fraud": 1}),
        "a null in a list": lambda a: a["action"].update(sectors=[15160, None]),
        "empty lists only": lambda a: a.update(co_applicants=[]),
    }

    def outcomes(table) -> list:
        batch = table.combine_chunks().to_batches()[0]
        parts = [table, table.slice(1, 3), batch.slice(2, 2)]
        # pandas with Arrow-backed columns (`pd.ArrowDtype`, as `dtype_backend="pyarrow"` gives).
        parts += [table.to_pandas(types_mapper=pd.ArrowDtype)]
        pl = pytest.importorskip("polars")
        parts += [pl.from_arrow(table), pl.from_arrow(table).slice(1, 3)]
        return [_outcome(tj2020, part) for part in parts]

    taken = set()
    for name, change in variants.items():
        changed = copy.deepcopy(apps)
        for app in changed:
            change(app)
        for table in (pa.Table.from_pylist(changed), _flat_table(pa, pd, changed)):
            for j, column in enumerate(table.columns):
                if _frames._nested(column) is not None:
                    taken.add(table.column_names[j])
            got = outcomes(table)
            with monkeypatch.context() as m:
                m.setattr(_frames, "_nested", lambda array: None)
                m.setattr(_frames, "_arrow_handed", lambda array: None)
                assert got == outcomes(table), name
            if "applicant" in table.column_names:
                assert got[0] == _outcome(tj2020, table.to_pylist()), name
    assert {"co_applicants", "action.sectors", "applicant", "budget"} <= taken
    names, values, _, _ = _frames.columns(_flat_table(pa, pd, apps).to_pandas(types_mapper=pd.ArrowDtype))
    kinds = {n: v[0] for n, v in zip(names, values) if isinstance(v, tuple)}
    assert (kinds["co_applicants"], kinds["id"], kinds["budget.requested"]) == (_frames.ARROW, _frames.TEXT, _frames.INTS)
    # A null anywhere in a column: handed over as Python values.
    with_null = copy.deepcopy(apps)
    with_null[0]["co_applicants"][0]["country"] = None
    table = _flat_table(pa, pd, with_null)
    names, values, _, _ = _frames.columns(table)
    assert isinstance(values[names.index("co_applicants")], list)
    assert values[names.index("action.sectors")][0] == _frames.ARROW


def test_a_frame_read_from_its_buffers_in_parts_gives_what_its_rows_as_dicts_give(tj2020, monkeypatch):
    """A frame with no Python value in any column (no null anywhere: booleans, integers, strings,
    lists and structs from their buffers) is read and evaluated in parts on all cores, without
    the GIL, and the batch keeps the cells rather than the applications: its columns, and the
    decisions of rows on either side of the parts' edges, are those of its rows as dicts, after
    a pickle too, and after the frame is changed. A row that does not read field by field (an
    impossible day) is read the other way, which names it."""
    from euca import _frames

    pa = need("pyarrow")
    apps = []
    for i in range(5000):
        app = application(id=f"A-{i}")
        app["co_applicants"] = [{"country": ["TJ", "KG", "FR"][i % 3], "exclusions": NO_EXCLUSION}] * (i % 3)
        app["action"] = {"country": "TJ", "duration_months": 6 + i % 60}
        app["budget"] = {**app["budget"], "requested": 20_000_000 + 997 * i}
        if i % 7 == 1:
            app["submitted_at"] = "2020-09-04T14:00:00+02:00"  # late
        apps.append(app)
    table = pa.Table.from_pylist(apps)
    names, values, _, rows = _frames.columns(table)
    assert rows == 5000 and all(isinstance(v, tuple) for v in values), names
    want = tj2020.evaluate_many(apps, as_of="2020-09-04")
    assert set(want.verdicts) == {"eligible", "ineligible"}
    frames = [table, table.to_batches()[0].slice(1, 4500)]
    pl = pytest.importorskip("polars")
    frames.append(pl.from_arrow(table))
    for frame in frames:
        got = tj2020.evaluate_many(frame, as_of="2020-09-04")
        assert got._read == "arrow stream on all cores"
        start = 1 if frame is frames[1] else 0
        expected = want if start == 0 else tj2020.evaluate_many(apps[1:4501], as_of="2020-09-04")
        assert got.to_dict() == expected.to_dict()
        again = pickle.loads(pickle.dumps(got))
        assert again.to_dict() == expected.to_dict()
        for i in (0, 2047, 2048, 4095, 4096, len(got) - 1):
            assert got.decision(i).to_dict() == expected.decision(i).to_dict()
            assert again.decision(i).to_dict() == expected.decision(i).to_dict()
        with pytest.raises(IndexError):
            got.decision(len(got))
    # The batch keeps a copy of the cells: a pandas frame changed after it was evaluated leaves
    # the batch's decisions as they were, read through its Arrow stream (as the table of its
    # Arrow columns) or, without that table, column by column from the buffers.
    pd = need("pandas")
    for read in ("arrow stream on all cores", "frame on all cores"):
        if read == "frame on all cores":
            monkeypatch.setattr(_frames, "arrow_table", lambda frame: None)
        frame = table.to_pandas(types_mapper=pd.ArrowDtype)
        assert all(isinstance(v, tuple) for v in _frames.columns(frame)[1])
        got = tj2020.evaluate_many(frame, as_of="2020-09-04")
        assert got._read == read
        frame["id"] = pd.Series([f"B-{i}" for i in range(5000)], dtype=pd.ArrowDtype(pa.string()))
        frame["applicant"] = None
        del frame["budget"]
        assert got.decision(4999).to_dict() == want.decision(4999).to_dict()
        assert got.to_dict() == want.to_dict()
    monkeypatch.undo()
    # Cells from buffers that the field readers leave to the reader of Python values (a list
    # of completed projects): the frame is read on one thread, that reader taking those rows.
    with_projects = copy.deepcopy(apps)
    for app in with_projects[::2]:
        app["applicant"]["completed_projects"] = [{"title": "Shelter", "ended_on": "2019-12-31"}]
    for app in with_projects[1::2]:
        app["applicant"]["completed_projects"] = []
    table = pa.Table.from_pylist(with_projects)
    assert all(isinstance(v, tuple) for v in _frames.columns(table)[1])
    got = tj2020.evaluate_many(table, as_of="2020-09-04")
    assert got._read == "frame on one thread"
    assert got.to_dict() == tj2020.evaluate_many(with_projects, as_of="2020-09-04").to_dict()
    apps[4100]["applicant"]["registered_on"] = "2011-02-30"
    damaged = pa.Table.from_pylist(apps)
    assert all(isinstance(v, tuple) for v in _frames.columns(damaged)[1])
    refused = _outcome(tj2020, damaged)
    assert refused == _outcome(tj2020, apps)
    assert [e["path"] for e in refused] == ["[4100].applicant.registered_on"]


def test_a_frame_of_few_distinct_values_gives_its_rows_batch_and_reads_every_cell(tj2020):
    """A frame read from its buffers is evaluated a criterion at a time where its columns repeat
    few values (`euca::Call::evaluate_columns`: once per distinct value of the columns a
    criterion reads): lists that are prefixes of each other, structs that differ in one field,
    a country that decides one criterion and not another, all give what the rows as dicts give.
    A cell that no criterion reads is still read: an impossible day there refuses the batch as
    its rows refuse it."""
    pa = need("pyarrow")
    partners = [
        [],
        [{"country": "TJ", "exclusions": NO_EXCLUSION}],
        [{"country": "TJ", "exclusions": NO_EXCLUSION}] * 2,
        [{"country": "TJ", "exclusions": {**NO_EXCLUSION, "fraud": True}}],
        [{"country": "KG", "exclusions": NO_EXCLUSION}, {"country": "TJ", "exclusions": NO_EXCLUSION}],
    ]
    apps = []
    for i in range(3000):
        app = application(id=f"A-{i % 7}")
        app["applicant"] = {**app["applicant"], "country": ["TJ", "FR", "AF"][i % 3]}
        app["co_applicants"] = partners[i % 5]
        app["action"] = {"country": ["TJ", "KG"][i % 2], "duration_months": [6, 18, 24, 36, 61][i % 5],
                         "start": ["2021-01-01", "2021-02-01"][i % 2]}
        app["budget"] = {**app["budget"], "requested": 20_000_000 + 997 * (i % 11)}
        apps.append(app)
    want = tj2020.evaluate_many(apps, as_of="2020-09-04")
    assert len(set(want.verdicts)) >= 2 and len({tuple(f) for f in want.failed}) >= 5
    table = pa.Table.from_pylist(apps)
    got = tj2020.evaluate_many(table, as_of="2020-09-04")
    assert got._read == "arrow stream on all cores"
    assert got.to_dict() == want.to_dict()
    apps[2999]["action"]["start"] = "2021-02-30"
    refused = _outcome(tj2020, pa.Table.from_pylist(apps))
    assert refused == _outcome(tj2020, apps)
    assert [e["path"] for e in refused] == ["[2999].action.start"]


def test_a_frame_of_many_distinct_lists_of_structs_gives_its_rows_batch(tj2020):
    """Columns of lists of structs (co-applicants, affiliated entities) and of lists of sector
    codes with too many distinct values to be numbered are read on each row into the
    application of the row before (its lists, organisations, strings and codes reused): a list
    longer or shorter than the last, a partner whose country, type or exclusions differ from the
    one it replaces, all give what the rows as dicts give, for the criteria that read them."""
    pa = need("pyarrow")
    pl = need("polars")
    sectors = [15150, 15151, 15152, 15153, 15160, 15170, 15180, 15220, 15230, 15240]
    apps = []
    for i in range(4000):
        app = application(id=f"A-{i}")
        app["action"] = {**app["action"], "sectors": [sectors[(i * 7919 // 10**k) % 10] for k in range(1 + i % 4)]}
        app["co_applicants"] = [
            {
                "name": f"P-{i}-{k}",
                "country": ["TJ", "KG", "FR", "AF"][(i + k) % 4],
                "org_type": [60, 22, 80][(i * 7 + k) % 3],
                "exclusions": {**NO_EXCLUSION, "fraud": (i + k) % 11 == 0},
            }
            for k in range((i * 5) % 4)
        ]
        apps.append(app)
    for i, app in enumerate(apps):
        app["applicant"] = {**app["applicant"], "org_type": [21, 22, 60, 80][i % 4]}
        app["affiliated_entities"] = [
            {"name": f"E-{i}-{k}", "country": "TJ", "org_type": [10, 60, 70][(i + 2 * k) % 3]}
            for k in range(1 + (i * 7) % 3)
        ]

    def dotted(app: dict) -> dict:
        """The row as `pd.json_normalize` has it: the action's and the applicant's fields as
        columns of their own (`action.sectors`, `applicant.org_type`), each row's cells placed
        into the objects of the row before."""
        out = {k: v for k, v in app.items() if k not in ("action", "applicant")}
        out.update({f"action.{k}": v for k, v in app["action"].items()})
        out.update({f"applicant.{k}": v for k, v in app["applicant"].items() if k != "exclusions"})
        out.update({f"applicant.exclusions.{k}": v for k, v in app["applicant"]["exclusions"].items()})
        return out

    def criterion(name: str, test: dict) -> dict:
        return {**SMALL_CALL["criteria"][0], "id": name, "test": test}

    # Criteria on codes read into the codes of the row before (a type 21 after a 22 reads as 2221
    # when the old digits stay): the co-applicants', the affiliated entities' and the lead's
    # types, and the sectors.
    code_call = euca.Call.from_json(
        {
            **SMALL_CALL,
            "criteria": [
                criterion("co_type", {"org_type": {"who": "co_applicants", "any_of": ["22", "21"]}}),
                criterion("affiliated_type", {"org_type": {"who": "affiliated_entities", "any_of": ["60"]}}),
                criterion("lead_type", {"org_type": {"any_of": ["22"]}}),
                criterion("sector", {"sectors": {"any_of": ["15160", "15230"]}}),
            ],
        }
    )
    for call in (tj2020, code_call):
        want = call.evaluate_many(apps, as_of="2020-09-04")
        assert len({tuple(f) for f in want.failed}) >= 3
        flat = pa.Table.from_pylist([dotted(app) for app in apps])
        frames = [pa.Table.from_pylist(apps), flat, pl.from_arrow(flat)]
        for frame in frames:
            got = call.evaluate_many(frame, as_of="2020-09-04")
            assert got._read == "arrow stream on all cores"
            assert got.to_dict() == want.to_dict()


def test_partners_counted_from_a_frame_of_few_distinct_partners_give_the_rows_batch(tj2020):
    """A frame whose lists of partners repeat few distinct partners has each partner's condition
    evaluated once for each distinct partner and each row's partners counted from them
    (`euca::Columns::items`): conditions on the partner alone, on both lists of partners, and
    one that reads the budget too (an annual budget against the request, asked on each row), all
    give what the rows as dicts give."""
    pa = need("pyarrow")
    pl = need("polars")

    def criterion(name: str, test: dict) -> dict:
        return {**SMALL_CALL["criteria"][0], "id": name, "test": test}

    tj = {"established_in": {"any_of": ["TJ"]}}
    call = euca.Call.from_json(
        {
            **SMALL_CALL,
            "criteria": [
                criterion("tj_if_lead_tj", {"if": {"when": tj, "then": {"partners": {"meeting": tj, "min": 1}}}}),
                criterion("two_non_profit", {"partners": {"of": "co_applicants_and_affiliated_entities",
                                                          "meeting": {"all": [{"non_profit": {}}, {"not_excluded": {"situation": "fraud"}}]},
                                                          "min": 2, "max": 4}}),
                criterion("budget_half", {"partners": {"meeting": {"annual_budget": {"min_percent": "50", "of": "requested"}}, "min": 1}}),
            ],
        }
    )
    partners = [
        {"country": "TJ", "non_profit": True, "annual_budget": 12_000_000, "exclusions": NO_EXCLUSION},
        {"country": "KG", "non_profit": True, "annual_budget": 30_000_000, "exclusions": {**NO_EXCLUSION, "fraud": True}},
        {"country": "FR", "non_profit": False, "annual_budget": 9_000_000, "exclusions": NO_EXCLUSION},
        # The first but for two fields: a partner is told from another by all its fields.
        {"country": "TJ", "non_profit": False, "annual_budget": 20_000_000, "exclusions": NO_EXCLUSION},
    ]
    draw = random.Random(20200904)
    apps = []
    for i in range(5000):
        app = application(id=f"A-{i}")
        app["applicant"] = {**app["applicant"], "country": ["TJ", "FR"][(i // 3) % 2]}
        app["co_applicants"] = [draw.choice(partners) for _ in range(draw.randrange(6))]
        app["affiliated_entities"] = [draw.choice(partners) for _ in range(draw.randrange(3))]
        app["budget"] = {**app["budget"], "requested": [20_000_000, 30_000_000][(i // 11) % 2]}
        apps.append(app)
    # More distinct lists than an eighth of the rows: the lists are not numbered whole, and the
    # partners are counted from their own codes.
    assert len({json.dumps(app["co_applicants"]) for app in apps}) > 5000 // 8
    want = call.evaluate_many(apps, as_of="2020-09-04")
    assert len({tuple(f) for f in want.failed}) >= 5
    for name in ("tj_if_lead_tj", "two_non_profit", "budget_half"):
        assert any(name in f for f in want.failed) and any(name not in f for f in want.failed)
    table = pa.Table.from_pylist(apps)
    for frame in (table, pl.from_arrow(table)):
        got = call.evaluate_many(frame, as_of="2020-09-04")
        assert got._read == "arrow stream on all cores"
        assert got.to_dict() == want.to_dict()


def test_a_frame_with_python_values_beside_buffers_read_in_two_halves_gives_its_rows(tj2020):
    """A pandas frame of dotted columns (`pd.json_normalize`) has columns of Python values
    (`co_applicants`: lists of dicts) beside NumPy and Arrow ones. Where they are not of one
    shape (here some co-applicants say they are legal persons and some do not, so they are not
    copied as plain cells), each row's Python values are read with the GIL while another thread
    reads its other cells and evaluates it. Its columns and decisions are those of its rows as
    dicts; a late row whose Python value does not read field by field (an unknown field in a
    co-applicant), or whose other cells do not (an impossible day), is read the other way, which
    names it as its dict is named."""
    from euca import _frames

    pd = need("pandas")
    pa = need("pyarrow")
    apps = []
    for i in range(5000):
        app = application(id=f"A-{i}")
        partner = {"country": ["TJ", "KG", "FR"][i % 3], "org_type": 60 + i % 3, "exclusions": NO_EXCLUSION}
        if i % 4 == 0:
            partner["legal_person"] = True
        app["co_applicants"] = [partner] * (1 + i % 3)
        app["budget"] = {**app["budget"], "requested": 20_000_000 + 997 * i}
        if i % 7 == 1:
            app["submitted_at"] = "2020-09-04T14:00:00+02:00"  # late
        apps.append(app)
    def normalized(apps: list):
        # Strings held by Arrow, as pandas 3 has them (pandas 2 holds them as Python objects).
        frame = pd.json_normalize(apps)
        text = [n for n in frame.columns if n != "co_applicants" and frame[n].dtype.kind in "OU"]
        text += [n for n in frame.columns if str(frame[n].dtype) == "str"]
        return frame.astype({n: pd.ArrowDtype(pa.string()) for n in text})

    frame = normalized(apps)
    names, values, _, _ = _frames.columns(frame)
    kinds = {name: isinstance(cells, tuple) for name, cells in zip(names, values)}
    assert kinds["co_applicants"] is False and kinds["id"] and kinds["budget.requested"], kinds
    want = tj2020.evaluate_many(apps, as_of="2020-09-04")
    assert set(want.verdicts) == {"eligible", "ineligible"}
    got = tj2020.evaluate_many(frame, as_of="2020-09-04")
    assert got._read == "frame in two halves"
    assert got.to_dict() == want.to_dict()
    for i in (0, 2047, 2048, 4095, 4096, 4999):
        assert got.decision(i).to_dict() == want.decision(i).to_dict()
    for damage, path in (
        (lambda a: a["co_applicants"].__setitem__(0, {"country": "TJ", "colour": "red"}), "[4100].co_applicants[0].colour"),
        (lambda a: a["applicant"].__setitem__("registered_on", "2011-02-30"), "[4100].applicant.registered_on"),
    ):
        damaged = copy.deepcopy(apps)
        damage(damaged[4100])
        refused = _outcome(tj2020, normalized(damaged))
        assert refused == _outcome(tj2020, damaged)
        assert [e["path"] for e in refused] == [path]


def test_a_pandas_column_of_python_values_of_one_shape_is_read_as_plain_cells(tj2020):
    """A pandas column of Python values of one shape (every cell a list, every co-applicant a
    dict with the same keys, in any order, every value of one exact type) is copied as a column of
    Arrow lists and structs would be, and the frame read on all cores without the GIL; one of any
    other shape is read as before. Either way the frame gives what its rows as dicts give: its
    columns and decisions, or the problems it is refused with (named as they are from dicts, also
    when a plain column refuses a row beside a copied one)."""
    pd = need("pandas")
    pa = need("pyarrow")
    rng = random.Random(20201204)

    def base(n: int) -> list:
        apps = []
        for i in range(n):
            app = application(id=f"A-{i}")
            app["co_applicants"] = [
                {
                    "country": rng.choice(["TJ", "KG", "FR", "DE"]),
                    "org_type": rng.choice([21, 22, 60, 70]),
                    "exclusions": {**NO_EXCLUSION, "bankrupt": rng.random() < 0.1},
                }
                for _ in range(rng.randrange(0, 4))
            ]
            app["action"] = {**app["action"], "sectors": [rng.choice([15150, 15160, 15170]) for _ in range(1 + i % 2)]}
            if i % 5 == 1:
                app["submitted_at"] = "2020-09-04T14:00:00+02:00"  # late
            apps.append(app)
        return apps

    def normalized(apps: list):
        frame = pd.json_normalize(apps)
        text = [n for n in frame.columns if frame[n].dtype.kind in "OU" and isinstance(frame[n].iloc[0], str)]
        text += [n for n in frame.columns if str(frame[n].dtype) == "str"]
        return frame.astype({n: pd.ArrowDtype(pa.string()) for n in text})

    def check(apps: list, copied: bool, name: str) -> None:
        frame = normalized(apps)
        assert frame["co_applicants"].dtype == object, name
        want = _outcome(tj2020, apps)
        assert _outcome(tj2020, frame) == want, name
        if isinstance(want, dict):
            got = tj2020.evaluate_many(frame, as_of="2020-09-04")
            assert (got._read == "frame on all cores") is copied, (name, got._read)
            batch = tj2020.evaluate_many(apps, as_of="2020-09-04")
            for i in (0, len(apps) // 2, len(apps) - 1):
                assert got.decision(i).to_dict() == batch.decision(i).to_dict(), name

    apps = base(3000)
    assert {len(a["co_applicants"]) for a in apps} == {0, 1, 2, 3}
    check(apps, True, "of one shape")
    assert set(tj2020.evaluate_many(apps, as_of="2020-09-04").verdicts) == {"eligible", "ineligible"}

    class Text(str):
        pass

    class Record(dict):
        pass

    def partner(a: dict, change) -> None:
        if not a["co_applicants"]:
            a["co_applicants"] = [{"country": "TJ", "org_type": 60, "exclusions": NO_EXCLUSION}]
        change(a["co_applicants"][0])

    one_shape = {
        "keys in another order": lambda a: a.__setitem__(
            "co_applicants", [{"exclusions": NO_EXCLUSION, "org_type": 22, "country": "TJ"}]
        ),
        "a country of a character beyond ASCII": lambda a: partner(a, lambda p: p.__setitem__("country", "Tадж")),
    }
    other_shapes = {
        "a co-applicant with a field more": lambda a: partner(a, lambda p: p.__setitem__("legal_person", True)),
        "a co-applicant with an unknown field": lambda a: partner(a, lambda p: p.__setitem__("colour", "red")),
        "a co-applicant without a field": lambda a: partner(a, lambda p: p.pop("org_type")),
        "an empty co-applicant": lambda a: a.__setitem__("co_applicants", [{}]),
        "a co-applicant that is None": lambda a: a.__setitem__("co_applicants", [None]),
        "a boolean among integers": lambda a: partner(a, lambda p: p.__setitem__("org_type", True)),
        "an integer beyond 64 bits": lambda a: partner(a, lambda p: p.__setitem__("org_type", 2**70)),
        "a float among integers": lambda a: a["action"].__setitem__("sectors", [15160.0]),
        "a subclass of str": lambda a: partner(a, lambda p: p.__setitem__("country", Text("TJ"))),
        "a subclass of dict": lambda a: a.__setitem__(
            "co_applicants", [Record(country="TJ", org_type=60, exclusions=NO_EXCLUSION)]
        ),
        "an exclusion without a field": lambda a: partner(a, lambda p: p.__setitem__("exclusions", {"fraud": False})),
        "a key that is not a string": lambda a: partner(a, lambda p: p.__setitem__(1, "one")),
        "a lone surrogate": lambda a: partner(a, lambda p: p.__setitem__("country", "T\udcff")),
        "a tuple for a list": lambda a: a.__setitem__(
            "co_applicants", ({"country": "TJ", "org_type": 60, "exclusions": NO_EXCLUSION},)
        ),
        "a missing list": lambda a: a.pop("co_applicants"),
    }
    for name, damage in [*one_shape.items(), *other_shapes.items()]:
        for row in (0, 1500, 2999):
            damaged = copy.deepcopy(apps)
            damage(damaged[row])
            check(damaged, name in one_shape, f"{name} in row {row}")
    # Lists that are all empty have no items to copy; lists empty in the first blocks are copied
    # once one is not.
    empty = copy.deepcopy(apps)
    for a in empty:
        a["co_applicants"] = []
    check(empty, False, "lists all empty")
    late = copy.deepcopy(apps)
    for a in late[:700]:
        a["co_applicants"] = []
    check(late, True, "lists empty in the first 700 rows")
    # Each document parsed on its own, as from JSON Lines: its keys are its own objects (shared by
    # the dicts of one document only), compared by their text.
    parsed = [json.loads(json.dumps(a)) for a in apps]
    check(parsed, True, "each document parsed on its own")
    # A column of strings held as Python objects (pandas without Arrow strings) is copied too.
    frame = normalized(parsed)
    frame["applicant.country"] = frame["applicant.country"].astype(object)
    got = tj2020.evaluate_many(frame, as_of="2020-09-04")
    assert got._read == "frame on all cores"
    assert got.to_dict() == tj2020.evaluate_many(parsed, as_of="2020-09-04").to_dict()
    assert pickle.loads(pickle.dumps(got)).to_dict() == got.to_dict()
    assert pickle.loads(pickle.dumps(got)).decision(2999).to_dict() == got.decision(2999).to_dict()
    # A copied column whose values the field readers read only as Python objects (a budget's
    # lines): the frame is read again in two halves, as before.
    lined = copy.deepcopy(apps)
    for i, a in enumerate(lined):
        a["budget"] = {**a["budget"], "lines": [{"heading": "staff", "amount": 600_000 + i}]}
    frame = normalized(lined)
    assert frame["budget.lines"].dtype == object
    got = tj2020.evaluate_many(frame, as_of="2020-09-04")
    assert got._read == "frame in two halves"
    assert got.to_dict() == tj2020.evaluate_many(lined, as_of="2020-09-04").to_dict()
    # Lists nested deeper than a document may be are not copied (copying them a level at a time
    # would run out of stack), nor read: refused as from dicts, at the same depth.
    for levels in (70, 100_000):
        deep: list = []
        for _ in range(levels):
            deep = [deep]
        # In one row, and in every row (one shape all the way down).
        for rows in ([5], range(10)):
            nested = list(apps[:10])
            for row in rows:
                nested[row] = {**apps[row], "action": {**apps[row]["action"], "sectors": deep}}
            frame = normalized(apps[:10])
            sectors = frame["action.sectors"].tolist()
            for row in rows:
                sectors[row] = deep
            frame["action.sectors"] = pd.Series(sectors, dtype=object)
            refused = _outcome(tj2020, frame)
            assert refused == _outcome(tj2020, nested), levels
            assert [e["code"] for e in refused] == ["input_too_deep"] * len(rows), levels
    impossible = copy.deepcopy(apps)
    impossible[2048]["applicant"]["registered_on"] = "2011-02-30"
    refused = _outcome(tj2020, normalized(impossible))
    assert [e["path"] for e in refused] == ["[2048].applicant.registered_on"]
    assert refused == _outcome(tj2020, impossible)


def _flat_table(pa, pd, apps: list):
    """The applications as a pyarrow table of dotted columns (`pd.json_normalize`), lists kept."""
    return pa.Table.from_pandas(pd.json_normalize(apps, max_level=5), preserve_index=False)


def test_a_frame_column_and_one_nesting_under_it_both_set_in_a_row_is_an_error(tj2020):
    """`action.country` and `action` both with a value in a row: an error naming the inner column,
    whichever column comes first and whatever the outer value is (a dict would otherwise be
    merged with, or replaced by, the other); `rows()` says the same and leaves the cells as they
    were."""
    from euca import _frames

    pd = need("pandas")
    for columns in (
        {"action.country": ["TJ"], "action": ["x"]},
        {"action": ["x"], "action.country": ["TJ"]},
        {"action.country": ["TJ"], "action": [{"country": "KG"}]},
        {"action": [{"country": "KG"}], "action.country": ["TJ"]},
        {"id": ["A", "B"], "action": [None, {"sectors": [15160]}], "action.country": ["TJ", "KG"]},
    ):
        frame = pd.DataFrame(columns)
        outer = frame["action"].tolist()
        for read in (tj2020.evaluate_many, _frames.rows):
            with pytest.raises(euca.ValidationError) as e:
                read(frame)
            error = e.value.errors()[0]
            assert error["code"] == "invalid_value", (columns, read)
            assert error["path"] == "action.country", (columns, read)
            assert "column `action.country` nests under `action`" in error["message"]
        assert frame["action"].tolist() == outer
    # A row where either column is missing has nothing to nest under.
    frame = pd.DataFrame({"action": [None, {"country": "TJ"}], "action.country": ["TJ", None]})
    assert _frames.rows(frame) == [{"action": {"country": "TJ"}}, {"action": {"country": "TJ"}}]
    assert tj2020.evaluate_many(frame, as_of="2020-09-04").verdicts == ["undetermined", "undetermined"]


def test_a_frame_column_named_twice_is_an_error(tj2020):
    """Two columns of one name (pandas and pyarrow allow it; `1` and `"1"` read as one name):
    each row's cell of one would replace the other's, so `evaluate_many` and `rows()` both refuse
    the frame, naming the column."""
    from euca import _frames

    pd = need("pandas")
    pa = need("pyarrow")
    frames = [
        pd.DataFrame([["A", "B"]], columns=["id", "id"]),
        pd.DataFrame([[{"country": "TJ"}, {"country": "KG"}, ""]], columns=["action", "action", "action.title"]),
        pd.DataFrame([["A", "B"]], columns=[1, "1"]),
    ]
    for frame in frames:
        name = str(frame.columns[0])
        for read in (tj2020.evaluate_many, _frames.rows):
            with pytest.raises(euca.ValidationError) as e:
                read(frame)
            error = e.value.errors()[0]
            assert (error["code"], error["path"]) == ("invalid_value", name), (list(frame.columns), read)
            assert f"column `{name}` appears more than once" in error["message"]
    table = pa.table([pa.array(["A"]), pa.array(["B"])], names=["id", "id"])
    with pytest.raises(euca.ValidationError) as e:
        tj2020.evaluate_many(table)
    assert e.value.errors()[0]["path"] == "id"


def test_a_struct_given_as_a_list_of_its_fields_is_refused_as_from_json(tj2020):
    """serde_json alone reads a struct from a list of its fields, by position (`[True]` would
    declare a bankruptcy); euca refuses a list wherever a struct belongs, from dicts as from JSON
    text, at the list's path, whatever its length."""
    for n, answers in enumerate([[False] * 6 + [True], [False] * 6, [True], []]):
        given = application(id=f"L-{n}")
        given["applicant"] = dict(given["applicant"], exclusions=answers)
        from_text = _outcome_jsonl(tj2020, [given])
        assert from_text[0]["path"] == "[0].applicant.exclusions", from_text
        assert from_text[0]["code"] == "invalid_type", from_text
        from_dicts = _outcome(tj2020, [given])
        assert [(e["code"], e["path"]) for e in from_dicts] == [(e["code"], e["path"]) for e in from_text]
        assert "invalid type: sequence, expected struct Exclusions" in from_dicts[0]["message"]
        with pytest.raises(euca.ValidationError) as e:
            tj2020.evaluate(given, as_of="2020-09-04")
        assert e.value.errors()[0]["path"] == "applicant.exclusions"


def test_a_struct_given_as_a_list_in_a_frame_column_is_refused_as_from_dicts(tj2020):
    """A frame column of lists where a struct belongs (`applicant.exclusions` as lists of
    answers), from pandas' Python objects, from Arrow list buffers and from polars, is refused at
    the same path as the rows given as dicts."""
    pd = need("pandas")
    pa = need("pyarrow")
    apps = [application(id=f"F-{i}") for i in range(3)]
    frame = pd.json_normalize(apps, max_level=1)
    answers = [[False, True], [True], []]
    frame["applicant.exclusions"] = answers
    as_dicts = [dict(a, applicant=dict(a["applicant"], exclusions=e)) for a, e in zip(apps, answers)]
    expected = [(e["code"], e["path"]) for e in _outcome(tj2020, as_dicts)]
    assert expected[0] == ("invalid_type", "[0].applicant.exclusions"), expected
    for table in [frame, pa.Table.from_pandas(frame, preserve_index=False)]:
        got = [(e["code"], e["path"]) for e in _outcome(tj2020, table)]
        assert got == expected, (type(table), got)
    pl = need("polars")
    got = [(e["code"], e["path"]) for e in _outcome(tj2020, pl.from_pandas(frame))]
    assert got == expected, got


def _outcome_jsonl(call, applications):
    """As `_outcome`, from the applications' JSON Lines text."""
    try:
        text = "\n".join(json.dumps(a) for a in applications)
        return call.evaluate_jsonl(text, as_of="2020-09-04").to_dict()
    except euca.ValidationError as e:
        return e.errors()


# ---- the field-by-field reader of dicts (bindings-python/src/direct.rs) ------------------------------


def _fixture_applications() -> list:
    """Every application of tests/fixtures and every malformed one of tests/malformed that is JSON."""
    apps: list = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "application":
                    apps.append(value)
                elif key == "applications" and isinstance(value, list):
                    apps.extend(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(FIXTURES.glob("*.json")):
        walk(json.loads(path.read_text()))
    for path in sorted((ROOT / "tests" / "malformed" / "applications").glob("*.json")):
        try:
            apps.append(json.loads(path.read_text()))
        except ValueError:
            pass  # not JSON: a case of the text readers
    return apps


def _reporting(app):
    """The application as the core's reporting reader reads its JSON text, or None."""
    try:
        return euca._euca._read_reporting(json.dumps(app))
    except euca.ValidationError:
        return None


def _has_float(node) -> bool:
    if isinstance(node, dict):
        return any(_has_float(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_float(v) for v in node)
    return isinstance(node, float)


def test_the_field_by_field_reader_agrees_with_the_reporting_reader():
    """`evaluate_many` reads dicts field by field; it must read every application of the fixtures
    exactly as the reporting reader reads its JSON, and leave alone every one that does not read
    (those then get their problems named by the reporting reader)."""
    apps = _fixture_applications()
    assert len(apps) > 200
    read = 0
    for i, app in enumerate(apps):
        direct = euca._euca._read_field_by_field(app)
        reporting = _reporting(app)
        if direct is None:
            # Left to the other readers: what does not read, and floats (read by serde, as whole
            # numbers or as errors).
            assert reporting is None or _has_float(app), (i, app)
        else:
            read += 1
            assert direct == reporting, (i, app)
    assert read > 200


def test_the_field_by_field_reader_hands_odd_values_on_and_stops_at_what_it_does_not_know(tj2020):
    decimal = pytest.importorskip("decimal")
    base = copy.deepcopy(ELIGIBLE)
    base["action"]["sectors"] = [15160, " 15170 "]
    base["applicant"]["categories"] = ["civil_society_organisation"]
    base["budget"]["currency"] = "EUR"
    want = _reporting(base)
    assert euca._euca._read_field_by_field(base) == want
    # Values without a JSON type of their own go to the serde reader for their field alone.
    odd = copy.deepcopy(base)
    odd["applicant"]["registered_on"] = datetime.date(2015, 3, 1)
    odd["budget"]["direct"] = decimal.Decimal(base["budget"]["direct"])
    odd["action"]["duration_months"] = 30.0
    odd["action"]["sectors"] = (15160, " 15170 ")
    odd["submitted_at"] = datetime.datetime(
        2020, 9, 4, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    )
    assert euca._euca._read_field_by_field(odd) == want

    class Text(str):
        pass

    subclassed = copy.deepcopy(base)
    subclassed["applicant"] = {Text(k): v for k, v in base["applicant"].items()}
    subclassed["applicant"]["country"] = Text("TJ")
    assert euca._euca._read_field_by_field(subclassed) == want
    # An unknown key, at any depth, a key that is not a string, a value of the wrong type, a
    # string with a lone surrogate: left to the readers that name the problem.
    for change in (
        lambda a: a.update(unknown=1),
        lambda a: a["applicant"]["exclusions"].update(unknown=True),
        lambda a: a["co_applicants"][0].update({1: "x"}),
        lambda a: a["budget"].update(direct=-5),
        lambda a: a["budget"].update(direct=True),
        lambda a: a["action"].update(duration_months="30"),
        lambda a: a["applicant"].update(country="T\udcffJ"),
        lambda a: a["applicant"].update(registered_on="2015-02-30"),
        lambda a: a.update(submitted_at="2020-09-04T10:00:00"),
        lambda a: a["budget"].update(lines=[{"heading": "x", "amount": 2**63}, {"heading": "y", "amount": 2**63}]),
    ):
        bad = copy.deepcopy(base)
        change(bad)
        assert euca._euca._read_field_by_field(bad) is None, bad
        with pytest.raises(euca.ValidationError):
            tj2020.evaluate_many([bad])


def test_a_frame_column_that_names_no_field_is_reported_as_its_rows_as_dicts_are(tj2020):
    """A column's dotted path is resolved once to the field its cells fill. A column that names
    no field (at the top, in the applicant, its exclusions, the action or the budget, under an
    object that is none, or deeper than any field; a field's name under the wrong object) leaves
    the rows to the reader that names the problem: the batch is refused as the same rows given
    as dicts are, at the same path."""
    pd = need("pandas")
    pa = need("pyarrow")
    apps = [application(id=f"A-{i}") for i in range(3)]
    table = pa.Table.from_pandas(pd.json_normalize(apps), preserve_index=False)
    assert tj2020.evaluate_many(table, as_of="2020-09-04")._read == "arrow stream on all cores"
    for extra, where in [
        ("colour", "colour"),
        ("applicant.colour", "applicant.colour"),
        ("applicant.exclusions.colour", "applicant.exclusions.colour"),
        ("action.colour", "action.colour"),
        ("budget.colour", "budget.colour"),
        ("team.colour", "team"),
        ("team.country", "team"),
        ("budget.country", "budget.country"),
        ("applicant.colour.fraud", "applicant.colour"),
        ("action.exclusions.fraud", "action.exclusions"),
        ("applicant.exclusions.fraud.colour", "applicant.exclusions.fraud"),
    ]:
        *parents, leaf = extra.split(".")
        as_dicts = json.loads(json.dumps(apps))  # no dict shared between applications
        for app in as_dicts:
            node = app
            for part in parents:
                # A value where an object is wanted (a declaration under `fraud`) is replaced.
                if not isinstance(node.get(part), dict):
                    node[part] = {}
                node = node[part]
            node[leaf] = "red"
        with_extra = table.append_column(extra, pa.array(["red"] * 3))
        if extra.endswith("fraud.colour"):
            with_extra = with_extra.drop_columns(["applicant.exclusions.fraud"])
        refused = _outcome(tj2020, with_extra)
        assert refused == _outcome(tj2020, as_dicts), extra
        assert isinstance(refused, list) and len(refused) == 3, (extra, refused)
        assert [e["path"] for e in refused] == [f"[{i}].{where}" for i in range(3)], extra


def test_a_polars_frame_or_arrow_table_read_through_its_arrow_stream_gives_its_rows_batch(tj2020):
    """A polars frame or a pyarrow table of booleans, signed integers, strings (plain, large or
    views), and lists (plain or large) and structs of those, without a null, is read through its
    Arrow C stream (`__arrow_c_stream__`): in several chunks, sliced, every width of integer, it
    gives what its rows as dicts give. Any other frame (a null, unsigned integers, floats) is read
    as before, to the same batch; a cell that does not read is named as its dict is named."""
    pa = need("pyarrow")
    pl = need("polars")
    apps = []
    for i in range(3000):
        # Ids of up to 12 bytes (held in an Arrow string view itself) and longer, some not ASCII.
        app = application(id=f"A-{i}" if i % 3 else f"Заявка № {i} (Душанбе)")
        app["applicant"] = {**app["applicant"], "country": ["TJ", "FR", "AF"][i % 3], "org_type": [21, 22, 60][i % 3]}
        # Lists whose lengths and items follow no short period, so that a list read from another
        # row's items gives another verdict.
        shuffled = i * 7919 % 1009
        app["co_applicants"] = [
            {"country": ["TJ", "KG", "FR"][shuffled // 3**k % 3], "org_type": 22} for k in range(shuffled % 4)
        ]
        app["action"] = {
            "country": "TJ",
            "duration_months": 20 + i % 20,
            "sectors": [[15151, 15160, 15220][shuffled // 3**k % 3] for k in range(1 + shuffled % 3)],
        }
        app["budget"] = {**app["budget"], "requested": 20_000_000 + 997 * i}
        apps.append(app)
    want = tj2020.evaluate_many(apps, as_of="2020-09-04")
    assert len({tuple(f) for f in want.failed}) >= 3
    table = pa.Table.from_pylist(apps)
    chunked = pa.concat_tables([table.slice(0, 1000), table.slice(1000, 1500), table.slice(2500)])
    assert chunked.column("id").num_chunks == 3

    def recast(table, string, listed, integer):
        """The table with its strings, lists and integers as other Arrow types of the same values
        (the budget's amounts stay 64-bit: they do not fit in fewer)."""

        def of(t, name):
            if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
                return string
            if pa.types.is_integer(t):
                return t if name == "budget" else integer
            if pa.types.is_list(t) or pa.types.is_large_list(t):
                return listed(of(t.value_type, name))
            if pa.types.is_struct(t):
                return pa.struct([pa.field(f.name, of(f.type, name)) for f in t])
            return t

        return table.cast(pa.schema([pa.field(f.name, of(f.type, f.name)) for f in table.schema]))

    frames = {
        "table": table,
        "three chunks": chunked,
        "polars, three chunks": pl.from_arrow(chunked, rechunk=False),
        "polars": pl.from_arrow(table),
        "large strings and lists, int32": recast(table, pa.large_string(), pa.large_list, pa.int32()),
        "string views, int16": recast(table, pa.string_view(), pa.list_, pa.int16()),
    }
    for name, frame in frames.items():
        got = tj2020.evaluate_many(frame, as_of="2020-09-04")
        assert got._read == "arrow stream on all cores", name
        assert got.to_dict() == want.to_dict(), name
        assert got.decision(2999).to_dict() == want.decision(2999).to_dict(), name
    sliced = chunked.slice(900, 1200)  # across two chunks, each array starting within its buffers
    got = tj2020.evaluate_many(sliced, as_of="2020-09-04")
    assert got._read == "arrow stream on all cores"
    expected = tj2020.evaluate_many(apps[900:2100], as_of="2020-09-04")
    assert got.to_dict() == expected.to_dict()
    for i in (0, 99, 100, 599, 1199):
        assert got.decision(i).to_dict() == expected.decision(i).to_dict()
    # Read as before: a null, unsigned integers, floats.
    polars = pl.from_arrow(table)
    for name, frame in {
        "a null": polars.with_columns(pl.when(pl.int_range(pl.len()) == 7).then(None).otherwise(pl.col("id")).alias("id")),
        "unsigned": polars.with_columns(pl.col("applicant").struct.with_fields(pl.field("org_type").cast(pl.UInt32))),
        "floats": polars.with_columns(pl.col("budget").struct.with_fields(pl.field("requested").cast(pl.Float64))),
    }.items():
        rows = copy.deepcopy(apps)
        if name == "a null":
            del rows[7]["id"]
        if name == "floats":
            for app in rows:
                app["budget"]["requested"] = float(app["budget"]["requested"])
        got = tj2020.evaluate_many(frame, as_of="2020-09-04")
        assert got._read != "arrow stream on all cores", name
        assert got.to_dict() == tj2020.evaluate_many(rows, as_of="2020-09-04").to_dict(), name
    apps[2600]["applicant"]["registered_on"] = "2011-02-30"
    damaged = pa.Table.from_pylist(apps)
    for frame in (damaged, pl.from_arrow(damaged)):
        refused = _outcome(tj2020, frame)
        assert refused == _outcome(tj2020, apps)
        assert [e["path"] for e in refused] == ["[2600].applicant.registered_on"]


def test_only_a_polars_frame_or_an_arrow_table_is_read_through_its_arrow_stream(tj2020):
    """The Arrow stream is read only from a polars DataFrame or a pyarrow Table or RecordBatch
    (and a pandas DataFrame of Arrow columns, as the Table of them: see the test after it), and
    only when no field is of an extension type. A reader (whose stream can be read once), a
    series or chunked array of structs, or a `bool8` column (integers underneath) are read as
    before, to what their rows give: a reader declined after its stream was read would have given
    an empty batch."""
    pa = need("pyarrow")
    pl = need("polars")
    rows = [application(id="A-1"), {**application(id="A-2"), "co_applicants": None}]

    def reader():
        table = pa.Table.from_pylist(rows)
        return pa.RecordBatchReader.from_batches(table.schema, table.to_batches())

    with pytest.raises(euca.ValidationError, match="`RecordBatch` has no JSON form"):
        tj2020.evaluate_many(reader(), as_of="2020-09-04")
    series = pl.DataFrame({"id": ["a"], "applicant.country": ["TJ"]}).to_struct("app")
    refused = _outcome(tj2020, series)
    assert refused == _outcome(tj2020, series.to_list())
    assert [e["code"] for e in refused] == ["unknown_field"]
    months = pa.ExtensionArray.from_storage(pa.bool8(), pa.array([1], pa.int8()))
    table = pa.table({"id": ["A-0"], "action.duration_months": months})
    refused = _outcome(tj2020, table)
    assert refused == _outcome(tj2020, [{"id": "A-0", "action": {"duration_months": True}}])
    assert [e["path"] for e in refused] == ["[0].action.duration_months"]
    nested = pa.table({"id": ["A-0"], "action": pa.StructArray.from_arrays([months], ["duration_months"])})
    assert _outcome(tj2020, nested) == refused
    assert tj2020.evaluate_many(pl.DataFrame(rows[:1]), as_of="2020-09-04")._read == "arrow stream on all cores"


def test_a_pandas_frame_of_arrow_columns_is_read_through_its_arrow_stream(tj2020):
    """A pandas DataFrame whose every column Arrow holds (`pd.ArrowDtype`, or strings stored by
    pyarrow) is read as the pyarrow Table of its columns, on all cores: the batch its rows as
    dicts give, whatever its index. Any other pandas frame is read column by column as before,
    to what its rows give: a NumPy column beside Arrow ones, a name that is not a string, a name
    given twice, and a null (whose table's stream is declined)."""
    pd = need("pandas")
    pa = need("pyarrow")
    from euca import _frames

    apps = [application(id=f"A-{i}") for i in range(6)]
    apps[1]["submitted_at"] = "2020-09-04T14:00:00+02:00"
    apps[2]["co_applicants"] = [{"country": "FR", "exclusions": NO_EXCLUSION}]
    apps[3]["action"] = {**apps[3]["action"], "duration_months": 40}
    expected = _outcome(tj2020, apps)
    assert expected["verdicts"].count("eligible") not in (0, len(apps))

    def arrow_frame(rows):
        return pa.Table.from_pandas(pd.json_normalize(rows)).to_pandas(types_mapper=pd.ArrowDtype)

    frame = arrow_frame(apps)
    batch = tj2020.evaluate_many(frame, as_of="2020-09-04")
    assert batch._read == "arrow stream on all cores"
    assert batch.to_dict() == expected
    assert batch.decision(2) == tj2020.evaluate(apps[2], as_of="2020-09-04")
    # The index is not a column: another index gives the same batch, the same way.
    shuffled = frame.set_index(pd.Index([f"r{i}" for i in range(len(apps))]))
    again = tj2020.evaluate_many(shuffled, as_of="2020-09-04")
    assert (again._read, again.to_dict()) == ("arrow stream on all cores", expected)
    # pandas' own strings stored by pyarrow count as Arrow columns.
    text = frame.astype({"id": pd.StringDtype("pyarrow")})
    assert tj2020.evaluate_many(text, as_of="2020-09-04")._read == "arrow stream on all cores"

    # Any other frame: no table, and the batch (or the problems) its rows give.
    numpy_column = frame.astype({"budget.requested": "int64"})
    with_null = arrow_frame([*apps[:5], {**apps[5], "applicant": {**apps[5]["applicant"], "country": None}}])
    numbered = frame.rename(columns={"id": 0})
    twice = frame.rename(columns={"budget.direct": "budget.requested"})
    for other in (numpy_column, numbered, twice, frame.iloc[:0]):
        assert _frames.arrow_table(other) is None
    # The frame's `attrs` stay out of the table: a value that is not JSON (which pyarrow's
    # `from_pandas` warns of) changes nothing, under `-W error` too.
    with_attrs = frame.copy()
    with_attrs.attrs["as_of"] = datetime.date(2020, 9, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _outcome(tj2020, with_attrs) == expected
    # A null: a table, whose stream is declined (as a polars frame's with a null is).
    assert _frames.arrow_table(with_null) is not None
    assert tj2020.evaluate_many(with_null, as_of="2020-09-04")._read != "arrow stream on all cores"
    assert _outcome(tj2020, numpy_column) == expected
    assert tj2020.evaluate_many(numpy_column, as_of="2020-09-04")._read != "arrow stream on all cores"
    rows_with_null = [*apps[:5], {**apps[5], "applicant": {**apps[5]["applicant"], "country": None}}]
    assert _outcome(tj2020, with_null) == _outcome(tj2020, rows_with_null)
    assert _outcome(tj2020, numbered) == _outcome(tj2020, pd.json_normalize(apps).rename(columns={"id": 0}))
    assert [e["code"] for e in _outcome(tj2020, twice)] == [
        e["code"] for e in _outcome(tj2020, pd.json_normalize(apps).rename(columns={"budget.direct": "budget.requested"}))
    ]
