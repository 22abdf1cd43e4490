#!/usr/bin/env python3
"""Times `call.evaluate_many(frame, as_of).eligible` on the peer-bench's prebuilt frame (its
100 000 applications, `pd.json_normalize`), as polars, as pandas, or as pandas with its columns
in Arrow: the wall and CPU time of each call and the pages it faulted in (minor page faults),
median of 31 after 3 warm-ups. To compare two builds, install one of them into a directory and
run this script alternately with and without it on `PYTHONPATH` (`pip install --no-deps --target
DIR wheel`), each in a fresh process.

    python benches/frame_calls.py [polars|pandas|pandas-arrow] [label] [--between-peer]

With `--between-peer`, pandas' vectorised rules on the prebuilt frame (py-pandas-frame) run,
untimed, before each call, as in `benches/beside_peers.py`: each call then follows other work.

Needs the workload (/tmp/peerbench, `python ../shared/peer-bench/workload.py --n 100000 --seed
20200904`) and a copy of ../shared/peer-bench at $PEERBENCH_SRC (default /tmp/euca-peer-bench).
"""
import datetime
import gc
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, os.environ.get("PEERBENCH_SRC", "/tmp/euca-peer-bench"))
import peers_py as P  # noqa: E402

import euca  # noqa: E402

BETWEEN_PEER = "--between-peer" in sys.argv
ARGS = [a for a in sys.argv[1:] if a != "--between-peer"]
KIND = ARGS[0] if ARGS else "polars"
LABEL = ARGS[1] if len(ARGS) > 1 else euca.__file__
WORKLOAD = "/tmp/peerbench/apps-n100000-s20200904.jsonl"
CALL = Path(__file__).resolve().parent / "peer-bench-tj2020.call.json"

with open(WORKLOAD, encoding="utf-8") as fh:
    apps = [json.loads(line) for line in fh]
call = euca.Call.from_json(CALL.read_text())
as_of = datetime.date(2020, 9, 4)
frame = P.pandas_frame(apps)
peer_frame = frame
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
walls, cpus, faults = [], [], []
for _ in range(31):
    if BETWEEN_PEER:
        P.eligible_frame(peer_frame)
    faulted = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    wall, cpu = time.perf_counter(), time.process_time()
    call.evaluate_many(frame, as_of).eligible
    walls.append(time.perf_counter() - wall)
    cpus.append(time.process_time() - cpu)
    faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faulted)
between = ", each after py-pandas-frame" if BETWEEN_PEER else ""
print(
    f"{LABEL} {KIND}{between}: wall median {statistics.median(walls) * 1e3:.2f} ms "
    f"(fastest {min(walls) * 1e3:.2f}), CPU median {statistics.median(cpus) * 1e3:.2f} ms, "
    f"pages faulted in: median {statistics.median(faults):.0f} (most {max(faults)})"
)
