#!/usr/bin/env python3
"""What `scripts/instructions` runs under Valgrind's callgrind to count the instructions the
Python bindings spend reading applications, apart from evaluating them (which the engine's own
count, core/benches/instructions.rs, covers):

- `dicts`: `evaluate_many` from a list of dicts; callgrind counts inside
  `direct::push_application`, which reads one dict into an application (on the calling thread,
  with the GIL: this reading is what bounds the batch);
- `frame`: `evaluate_many` from a prebuilt polars frame (`pd.json_normalize` of the dicts, the
  peers' frame, through `pl.from_pandas`, as benches/bench_euca_py.py builds it); callgrind
  counts inside `frames::codes`, which numbers a column's cells by distinct value, and the rows
  of `Call::evaluate_columns` (`evaluate_rows`), which read and evaluate them (on the evaluating
  threads): the frame read and evaluated, since the two are no longer apart.

It evaluates the first N applications of the peer-bench workload twice and prints
`applications 2N` for the script to divide by.

    python benches/python_instructions.py dicts|frame [N] [workload.jsonl]
"""
import json
import sys
from pathlib import Path

import euca

MODE = sys.argv[1]
N = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
WORKLOAD = sys.argv[3] if len(sys.argv) > 3 else "/tmp/peerbench/apps-n100000-s20200904.jsonl"
CALL = Path(__file__).resolve().parent / "peer-bench-tj2020.call.json"

dicts = [json.loads(line) for line in Path(WORKLOAD).read_text().splitlines()[:N]]
call = euca.Call.from_json(CALL.read_text())
if MODE == "dicts":
    applications = dicts
elif MODE == "frame":
    import pandas as pd
    import polars as pl

    # As benches/bench_euca_py.py builds it: the peer's prebuilt frame, in polars.
    applications = pl.from_pandas(pd.json_normalize(dicts))
else:
    raise SystemExit(f"unknown mode {MODE!r}: dicts or frame")
for _ in range(2):
    batch = call.evaluate_many(applications, as_of="2020-09-04")
    assert len(batch) == len(dicts)
print(f"applications {2 * len(dicts)}")
