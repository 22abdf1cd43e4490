#!/usr/bin/env python3
"""Times `call.evaluate_many(frame, as_of).eligible` on the peer-bench's prebuilt frame (its
100 000 applications, `pd.json_normalize`), as polars, as pandas, or as pandas with its columns
in Arrow: the wall and CPU time of each call, median of 31 after 3 warm-ups. To compare two
builds, install one of them into a directory and run this script alternately with and without
it on `PYTHONPATH` (`pip install --no-deps --target DIR wheel`), each in a fresh process.

    python benches/frame_calls.py [polars|pandas|pandas-arrow] [label]

Needs the workload (/tmp/peerbench, `python ../shared/peer-bench/workload.py --n 100000 --seed
20200904`) and a copy of ../shared/peer-bench at $PEERBENCH_SRC (default /tmp/euca-peer-bench).
"""
import datetime
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, os.environ.get("PEERBENCH_SRC", "/tmp/euca-peer-bench"))
import peers_py as P  # noqa: E402

import euca  # noqa: E402

KIND = sys.argv[1] if len(sys.argv) > 1 else "polars"
LABEL = sys.argv[2] if len(sys.argv) > 2 else euca.__file__
WORKLOAD = "/tmp/peerbench/apps-n100000-s20200904.jsonl"
CALL = Path(__file__).resolve().parent / "peer-bench-tj2020.call.json"

with open(WORKLOAD, encoding="utf-8") as fh:
    apps = [json.loads(line) for line in fh]
call = euca.Call.from_json(CALL.read_text())
as_of = datetime.date(2020, 9, 4)
frame = P.pandas_frame(apps)
if KIND == "polars":
    import polars as pl

    frame = pl.from_pandas(frame)
elif KIND == "pandas-arrow":
    import pandas as pd
    import pyarrow as pa

    frame = pa.Table.from_pandas(frame).to_pandas(types_mapper=pd.ArrowDtype)
elif KIND != "pandas":
    raise SystemExit(f"unknown frame {KIND!r}: polars, pandas or pandas-arrow")
del apps
gc.collect()
gc.freeze()
for _ in range(3):
    call.evaluate_many(frame, as_of).eligible
walls, cpus = [], []
for _ in range(31):
    wall, cpu = time.perf_counter(), time.process_time()
    call.evaluate_many(frame, as_of).eligible
    walls.append(time.perf_counter() - wall)
    cpus.append(time.process_time() - cpu)
print(
    f"{LABEL} {KIND}: wall median {statistics.median(walls) * 1e3:.2f} ms "
    f"(fastest {min(walls) * 1e3:.2f}), CPU median {statistics.median(cpus) * 1e3:.2f} ms"
)
