#!/usr/bin/env python3
"""Times euca's Python batch entry points alone, without the peers (a quick check between full
runs of scripts/bench): `evaluate_many` from a list of dicts, from the prebuilt pandas frame
(`pd.json_normalize`, the peer's frame) and from that frame in polars when pandas, polars and
pyarrow are installed, and `evaluate_jsonl` from text, over the first N applications of the
peer-bench workload, median of 5 runs after one warm-up.

    RAYON_NUM_THREADS=1 python benches/batch_paths.py [N] [workload.jsonl]

Needs euca installed in the running Python (scripts/bench builds the release wheel into
/tmp/peerbench/venv) and the workload file (scripts/bench generates it:
/tmp/peerbench/apps-n100000-s20200904.jsonl).
"""
import datetime
import json
import statistics
import sys
import time
from pathlib import Path

import euca

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
WORKLOAD = sys.argv[2] if len(sys.argv) > 2 else "/tmp/peerbench/apps-n100000-s20200904.jsonl"
CALL = Path(__file__).resolve().parent / "peer-bench-tj2020.call.json"

lines = Path(WORKLOAD).read_text().splitlines()[:N]
text = "\n".join(lines)
dicts = [json.loads(line) for line in lines]
call = euca.Call.from_json(CALL.read_text())
as_of = datetime.date(2020, 9, 4)


def per_app(f, reps=5):
    f()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return statistics.median(times) / N * 1e6


print(f"N={N}")
print(f"evaluate_many (list of dicts)  {per_app(lambda: call.evaluate_many(dicts, as_of=as_of)):6.2f} µs/app")
print(f"evaluate_jsonl (text)          {per_app(lambda: call.evaluate_jsonl(text, as_of=as_of)):6.2f} µs/app")

try:
    import pandas as pd
except ImportError:
    pd = None
if pd is not None:
    frame = pd.json_normalize(dicts)
    print(f"evaluate_many (pandas frame)   {per_app(lambda: call.evaluate_many(frame, as_of=as_of)):6.2f} µs/app")
    try:
        import polars as pl

        pl_frame = pl.from_pandas(frame)
    except ImportError:
        pl_frame = None
    if pl_frame is not None:
        print(f"evaluate_many (polars frame)   {per_app(lambda: call.evaluate_many(pl_frame, as_of=as_of)):6.2f} µs/app")
