"""Screen a large set of applications against calls for proposals on a Dask cluster.

    python examples/python/dask_screening.py --demo
    python examples/python/dask_screening.py --jsonl apps.jsonl --copies 30 --workers 2 --baseline
    python examples/python/dask_screening.py --jsonl apps.jsonl --calls embedded
    python examples/python/dask_screening.py --jsonl /shared/apps.jsonl --scheduler tcp://host:8786

The applications are a JSON Lines file, split into line-aligned byte ranges (``--partition-mb``);
``--copies K`` lists every range K times, so one file stands for a registry K times larger. Each
partition of a ``dask.dataframe`` (``from_map``) is read on its worker and evaluated there with
``Call.evaluate_jsonl`` (``--input dicts``: ``json.loads`` per line, then ``Call.evaluate_many``)
against every call, into a pandas DataFrame of decisions: one row per application and call, with
the verdict, the maximum EU contribution and the failed and missing criteria. The calls travel to
the workers pickled (a ``Call`` pickles through its JSON), inside the task graph.

Here the cluster is a ``LocalCluster`` of ``--workers`` processes, one thread each (and one rayon
thread each, so that the processes do not compete for the cores). On a real cluster, start
``dask scheduler`` and ``dask worker`` processes on the machines (each with ``pip install euca``
and the file at the same path, or on shared storage) and pass ``--scheduler tcp://HOST:8786``: the
code is the same.

``--demo`` makes 5 000 synthetic applications, screens them on 2 workers against the benchmark
call and every embedded call, and checks the gathered decisions against one single-process batch.
Needs ``pip install "dask[dataframe]" distributed`` (benches/requirements.txt pins them).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import euca

ROOT = Path(__file__).resolve().parents[2]
BENCH_CALL = ROOT / "benches" / "peer-bench-tj2020.call.json"
COLUMNS = {"call": "string", "copy": "int64", "id": "string", "verdict": "string",
           "max_eu_contribution": "Int64", "failed": "string", "missing": "string"}


def partitions(path: str, megabytes: float, copies: int) -> list[tuple[str, int, int, int]]:
    """Line-aligned byte ranges of the file, each listed ``copies`` times."""
    size = os.path.getsize(path)
    step = max(1, int(megabytes * 1024 * 1024))
    bounds = [0]
    with open(path, "rb") as fh:
        while bounds[-1] < size:
            fh.seek(min(bounds[-1] + step, size))
            fh.readline()  # to the end of the line the step fell in
            bounds.append(min(fh.tell(), size))
    return [(path, a, b, k) for k in range(copies) for a, b in zip(bounds, bounds[1:])]


def screen(part: tuple[str, int, int, int], calls: list[euca.Call], as_of: datetime.date,
           input_kind: str) -> pd.DataFrame:
    """One partition: its applications evaluated against every call, as a DataFrame of decisions."""
    path, start, end, copy = part
    with open(path, "rb") as fh:
        fh.seek(start)
        data = fh.read(end - start)
    apps = [json.loads(line) for line in data.splitlines() if line.strip()] if input_kind == "dicts" else None
    frames = []
    for call in calls:
        batch = call.evaluate_many(apps, as_of) if apps is not None else call.evaluate_jsonl(data, as_of)
        frames.append(pd.DataFrame({
            "call": call.id, "copy": copy, "id": batch.ids, "verdict": batch.verdicts,
            "max_eu_contribution": pd.array(batch.max_eu_contribution, dtype="Int64"),
            "failed": [" ".join(f) for f in batch.failed],
            "missing": [" ".join(m) for m in batch.missing],
        }).astype(COLUMNS))
    return pd.concat(frames, ignore_index=True)


def load_calls(which: str) -> list[euca.Call]:
    calls = []
    if which in ("bench", "all"):
        calls.append(euca.Call.from_json(BENCH_CALL.read_text(encoding="utf-8")))
    if which in ("embedded", "all"):
        calls.extend(euca.Dataset.embedded().calls())
    return calls


def synthetic(path: str, n: int, seed: int = 7) -> None:
    """Applications around an eligible one: 60 % of them with one field changed so that it fails."""
    rng = random.Random(seed)
    breaks = [
        ("applicant", "legal_person", False), ("applicant", "org_type", 70), ("applicant", "country", "GB"),
        ("applicant", "registered_on", "2019-01-15"), ("applicant", "intermediary", True),
        ("action", "country", "KG"), ("action", "duration_months", 40), ("action", "sectors", [11110]),
        ("budget", "indirect", 2_200_000), ("budget", "requested", 19_000_000),
        (None, "submitted_at", "2020-09-04T16:30:01+05:00"), (None, "co_applicants", []),
    ]
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            direct = rng.randrange(25_000_000, 30_000_000, 100)
            app = {
                "id": f"DEMO-{i:06d}",
                "applicant": {"legal_person": True, "non_profit": True, "org_type": rng.choice([21, 22, 60, 80]),
                              "country": rng.choice(["DE", "FR", "NL", "PT", "TJ"]), "registered_on": "2012-05-10",
                              "intermediary": False,
                              "exclusions": {k: False for k in ("bankrupt", "convicted", "grave_misconduct",
                                                                "unpaid_taxes", "fraud", "breach_of_contract")}},
                "co_applicants": [{"country": "TJ", "org_type": 22}, {"country": "TJ", "org_type": 23}],
                "action": {"country": "TJ", "duration_months": rng.randrange(24, 37), "sectors": [15160, 15150]},
                "budget": {"direct": direct, "indirect": direct * 6 // 100, "contingency": direct * 4 // 100,
                           "requested": min(40_000_000, direct * 9 // 10)},
                "submitted_at": f"2020-09-0{rng.randrange(1, 5)}T0{rng.randrange(0, 10)}:30:00+02:00",
            }
            if rng.random() < 0.6:
                part, key, value = rng.choice(breaks)
                (app[part] if part else app)[key] = value
            fh.write(json.dumps(app) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jsonl", help="the applications, one JSON object per line")
    ap.add_argument("--copies", type=int, default=1, help="list every partition this many times")
    ap.add_argument("--partition-mb", type=float, default=8.0)
    ap.add_argument("--calls", choices=["bench", "embedded", "all"], default="bench",
                    help="the synthetic benchmark call, every call of the embedded dataset, or both")
    ap.add_argument("--as-of", default="2020-09-04", help="the evaluation day")
    ap.add_argument("--input", choices=["jsonl", "dicts"], default="jsonl",
                    help="evaluate_jsonl on the partition's text, or evaluate_many on its parsed dicts")
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    ap.add_argument("--scheduler", help="address of a running Dask scheduler instead of a LocalCluster")
    ap.add_argument("--baseline", action="store_true", help="also time one partition of the whole file in this process")
    ap.add_argument("--gather", action="store_true", help="gather every decision into one pandas DataFrame")
    ap.add_argument("--json", help="write the measured figures to this file")
    ap.add_argument("--demo", action="store_true", help="5 000 synthetic applications, checked against one batch")
    args = ap.parse_args()

    from dask.distributed import Client, LocalCluster, wait
    import dask.dataframe as dd

    tmp = None
    if args.demo:
        tmp = tempfile.TemporaryDirectory()
        args.jsonl = os.path.join(tmp.name, "demo.jsonl")
        synthetic(args.jsonl, 5000)
        args.calls, args.partition_mb, args.gather = "all", 0.5, True
    if not args.jsonl:
        ap.error("--jsonl or --demo")
    as_of = datetime.date.fromisoformat(args.as_of)
    calls = load_calls(args.calls)
    parts = partitions(args.jsonl, args.partition_mb, args.copies)
    with open(args.jsonl, "rb") as fh:
        per_copy = sum(1 for line in fh if line.strip())
    n_apps = per_copy * args.copies
    figures: dict = {"applications": n_apps, "copies": args.copies, "partitions": len(parts),
                     "calls": [c.id for c in calls], "input": args.input, "as_of": args.as_of,
                     "loadavg_start": open("/proc/loadavg").read().split()[:3]}

    if args.baseline:
        whole = (args.jsonl, 0, os.path.getsize(args.jsonl), 0)
        screen(whole, calls, as_of, args.input)  # warm-up
        t0 = time.perf_counter()
        screen(whole, calls, as_of, args.input)
        dt = time.perf_counter() - t0
        figures["single_process"] = {"applications": per_copy, "seconds": dt,
                                     "evaluations_per_s": per_copy * len(calls) / dt}
        print(f"single process, no Dask ({os.cpu_count()} cores for rayon): {per_copy:,} applications x "
              f"{len(calls)} calls in {dt:.2f} s = {per_copy * len(calls) / dt:,.0f} evaluations/s")

    if args.scheduler:
        client = Client(args.scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, env={"RAYON_NUM_THREADS": "1"})
        client = Client(cluster)
    try:
        meta = pd.DataFrame({c: pd.Series(dtype=t) for c, t in COLUMNS.items()})
        decisions = dd.from_map(screen, parts, calls=calls, as_of=as_of, input_kind=args.input, meta=meta,
                                label="euca-screen")
        print(f"{n_apps:,} applications ({args.copies} x {per_copy:,}) in {len(parts)} partitions, "
              f"{len(calls)} call(s), {len(client.scheduler_info()['workers'])} Dask workers", flush=True)
        t0 = time.perf_counter()
        decisions = decisions.persist()
        wait(decisions)
        dt = time.perf_counter() - t0
        figures["dask"] = {"workers": len(client.scheduler_info()["workers"]), "seconds": dt,
                           "evaluations_per_s": n_apps * len(calls) / dt}
        print(f"screened: {n_apps * len(calls):,} decisions in {dt:.2f} s = "
              f"{n_apps * len(calls) / dt:,.0f} evaluations/s", flush=True)

        # Counted per partition, then added up: no shuffle between the workers.
        summary = (decisions.map_partitions(lambda df: df.groupby(["call", "verdict"]).size())
                   .compute().groupby(level=[0, 1]).sum().unstack(fill_value=0))
        print("\nverdicts per call:")
        print(summary.to_string())
        failed = (decisions[decisions.verdict == "ineligible"]
                  .map_partitions(lambda df: df["failed"].str.split().explode().value_counts())
                  .compute().groupby(level=0).sum().sort_values(ascending=False))
        print("\nmost frequent failed criteria:")
        print(failed.head(10).to_string())
        figures["verdicts"] = {f"{c} {v}": int(n) for (c, v), n in summary.stack().items()}

        if args.gather:
            t0 = time.perf_counter()
            frame = decisions.compute()
            figures["gather_seconds"] = time.perf_counter() - t0
            print(f"\ngathered {len(frame):,} decisions into one pandas DataFrame in {figures['gather_seconds']:.2f} s:")
            print(frame.head(5).to_string())
            if args.demo:
                # The same decisions as one single-process batch, call by call, in the same order.
                text = Path(args.jsonl).read_text(encoding="utf-8")
                for call in calls:
                    ours = frame[frame.call == call.id]
                    batch = call.evaluate_jsonl(text, as_of)
                    if list(ours["verdict"]) != batch.verdicts or list(ours["id"]) != batch.ids:
                        raise SystemExit(f"demo: the Dask decisions for {call.id} differ from one batch")
                print(f"\ndemo: the Dask decisions equal one single-process batch for all {len(calls)} calls")
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        if tmp is not None:
            tmp.cleanup()
    figures["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(figures, fh, indent=1)


if __name__ == "__main__":
    sys.exit(main())
