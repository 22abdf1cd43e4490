#!/usr/bin/env python3
"""What a pandas frame's columns of Python objects cost euca, beside what merely reading those
objects costs Python, pyarrow and polars (BENCHMARKS.md, "A pandas column of Python values copied
as plain cells").

    python benches/pandas_objects.py [RUNS] [N] [workload.jsonl]

The frame is the peers' prebuilt one (`pd.json_normalize` of the workload's dicts, as
benches/bench_euca_py.py builds it): `co_applicants` is a column of Python lists of dicts,
`action.sectors` one of lists of integers, the rest NumPy and Arrow columns. The call is
benches/peer-bench-tj2020.call.json, as of 2020-09-04. Each line is the median and the fastest of
RUNS timings in ms (the cyclic garbage collector paused while timing):

- `evaluate_many`, the whole frame; the two object columns alone; the frame without them;
- the floors: each co-applicant dict touched once in Python (`len`), both of its fields read, each
  sector read; the object columns converted to Arrow by pyarrow (`pa.array`) and by polars
  (`pl.Series`).
"""
import gc
import json
import sys
import time
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa

import euca

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 15
N = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
WORKLOAD = sys.argv[3] if len(sys.argv) > 3 else "/tmp/peerbench/apps-n100000-s20200904.jsonl"
CALL = Path(__file__).resolve().parent / "peer-bench-tj2020.call.json"
OBJECTS = ["co_applicants", "action.sectors"]

dicts = [json.loads(line) for line in Path(WORKLOAD).read_text().splitlines()[:N]]
frame = pd.json_normalize(dicts)
call = euca.Call.from_json(CALL.read_text())
partners = frame["co_applicants"].tolist()
sectors = frame["action.sectors"].tolist()
dict_count = sum(len(row) for row in partners)


def timed(name: str, run) -> None:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    times.sort()
    print(f"{name:<58} {times[len(times) // 2] * 1e3:8.1f} {times[0] * 1e3:8.1f}")


def evaluated(of):
    def run():
        batch = call.evaluate_many(of, as_of="2020-09-04")
        assert len(batch) == len(frame)
        return batch

    return run


print(f"{len(frame)} rows, {dict_count} co-applicant dicts, {sum(map(len, sectors))} sectors")
print(f"{'':<58} {'median':>8} {'fastest':>8}  (ms)")
print("read by euca:", evaluated(frame)()._read)
gc.collect()
gc.disable()
timed("euca evaluate_many, the whole frame", evaluated(frame))
timed("euca evaluate_many, the two object columns alone", evaluated(frame[OBJECTS]))
timed("euca evaluate_many, the frame without them", evaluated(frame.drop(columns=OBJECTS)))
timed("Python: each co-applicant dict touched once (len)", lambda: sum(len(d) for row in partners for d in row))
timed("Python: both fields of each co-applicant read", lambda: [(d["country"], d["org_type"]) for row in partners for d in row])
timed("Python: each sector read", lambda: [s for row in sectors for s in row])
timed("pyarrow: pa.array of co_applicants", lambda: pa.array(partners))
timed("pyarrow: pa.array of action.sectors", lambda: pa.array(sectors))
timed("polars: pl.Series of co_applicants", lambda: pl.Series(partners))
gc.enable()
