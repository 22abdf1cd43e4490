#!/usr/bin/env python3
"""Times `evaluate_many` on the same applications held five ways: the prebuilt pandas frame
(`pd.json_normalize`: NumPy and Python-object columns), that frame with Arrow-backed columns
(`pd.ArrowDtype`), as a pyarrow Table, as a polars frame, and as the list of dicts; then the polars
frame without its list columns (`co_applicants`, `action.sectors`), which shows what reading those
costs. First N applications of the peer-bench workload, median of 5 runs after one warm-up.

    python benches/frame_kinds.py [N] [workload.jsonl]

Needs euca, pandas, pyarrow and polars in the running Python and the workload file (scripts/bench
generates /tmp/peerbench/apps-n100000-s20200904.jsonl). The timings without the list columns are
of different (and wrong) applications: only the difference in time means anything.
"""
import json
import statistics
import sys
import time
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa

import euca

N = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
WORKLOAD = sys.argv[2] if len(sys.argv) > 2 else "/tmp/peerbench/apps-n100000-s20200904.jsonl"
CALL = Path(__file__).resolve().parent / "peer-bench-tj2020.call.json"

dicts = [json.loads(line) for line in Path(WORKLOAD).read_text().splitlines()[:N]]
call = euca.Call.from_json(CALL.read_text())
frame = pd.json_normalize(dicts)
table = pa.Table.from_pandas(frame, preserve_index=False)
polars = pl.from_arrow(table)


def per_app(applications) -> float:
    call.evaluate_many(applications, as_of="2020-09-04")
    times = []
    for _ in range(5):
        start = time.perf_counter()
        call.evaluate_many(applications, as_of="2020-09-04")
        times.append(time.perf_counter() - start)
    return statistics.median(times) / len(dicts) * 1e6


print(f"N={len(dicts)}")
for name, applications in [
    ("pandas (NumPy and object columns)", frame),
    ("pandas, pd.ArrowDtype columns", table.to_pandas(types_mapper=pd.ArrowDtype)),
    ("pyarrow Table", table),
    ("polars", polars),
    ("list of dicts", dicts),
    ("polars without co_applicants", polars.drop("co_applicants")),
    ("polars without action.sectors", polars.drop("action.sectors")),
    ("polars without either", polars.drop(["co_applicants", "action.sectors"])),
]:
    print(f"{name:36s} {per_app(applications):6.2f} µs/app")
