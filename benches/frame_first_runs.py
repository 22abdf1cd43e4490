#!/usr/bin/env python3
"""Times successive `evaluate_many` calls on one prebuilt polars frame in one process, with the
user and system CPU time of each: what the first calls cost beyond the steady ones (BENCHMARKS.md,
"Frames: the first calls").

    python benches/frame_first_runs.py [RUNS] [N] [workload.jsonl]

The frame is the peers' prebuilt one (`pd.json_normalize` of the workload's dicts, through
`pl.from_pandas`, as benches/bench_euca_py.py builds it), the call benches/peer-bench-tj2020.call.json,
as of 2020-09-04. Each line: the run, its wall time, the process's user and system CPU time
during it, in ms (two cores evaluate, so CPU time is up to twice the wall time), and its minor
page faults (memory touched for the first time, 4 KB a fault, or 2 MB for a huge page).
"""
import json
import resource
import sys
import time
from pathlib import Path

import pandas as pd
import polars as pl

import euca

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 8
N = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
WORKLOAD = sys.argv[3] if len(sys.argv) > 3 else "/tmp/peerbench/apps-n100000-s20200904.jsonl"
CALL = Path(__file__).resolve().parent / "peer-bench-tj2020.call.json"

dicts = [json.loads(line) for line in Path(WORKLOAD).read_text().splitlines()[:N]]
frame = pl.from_pandas(pd.json_normalize(dicts))
call = euca.Call.from_json(CALL.read_text())
print("run  wall ms  user ms  sys ms  faults")
for run in range(1, RUNS + 1):
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    batch = call.evaluate_many(frame, as_of="2020-09-04")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    assert len(batch) == len(dicts)
    del batch
    user = after.ru_utime - before.ru_utime
    system = after.ru_stime - before.ru_stime
    print(f"{run:>3}  {wall * 1e3:7.1f}  {user * 1e3:7.1f}  {system * 1e3:6.1f}  {after.ru_minflt - before.ru_minflt:8}")
