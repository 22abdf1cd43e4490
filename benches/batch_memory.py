#!/usr/bin/env python3
"""The time and the peak memory growth of one `evaluate_many` over a list of 1 M dicts.

    python benches/batch_memory.py [--workload FILE] [--times 10] [--given list|iter|temporary]

The list is the workload's 100 000 dicts `--times` times over (10: as `bench_euca_py.py`'s
`py-euca-1m-dicts` row), built before anything is measured, and given as it is (`list`: the
batch keeps a reference to the list) or as `iter(list)` (`iter`: the batch keeps the
applications as read); or (`temporary`) the JSON Lines parsed into distinct dicts for the call
alone, a list the caller does not keep (so neither does the batch: it keeps the applications). VmHWM is reset through
/proc/self/clear_refs (Linux) right before the call (for `temporary`, before the parsing).

It prints the time (for `temporary`, the parsing's too), the growth of the peak over the memory
before, and the growth still held once the call is over: what the batch keeps (its columns,
and its fingerprints or applications). Run it with the Python whose euca is to be measured, so that two
builds can be compared in one hour (BENCHMARKS.md, "Early morning of 2026-12-03").
"""
from __future__ import annotations

import argparse
import gc
import json
import time
from pathlib import Path

import euca

HERE = Path(__file__).resolve().parent


def status(field: str) -> int:
    """A `/proc/self/status` field, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) // 1024
    raise SystemExit(f"no {field} in /proc/self/status")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workload", default="/tmp/peerbench/apps-n100000-s20200904.jsonl")
    parser.add_argument("--times", type=int, default=10, help="how many times over the list is")
    parser.add_argument("--given", choices=["list", "iter", "temporary"], default="list")
    args = parser.parse_args()
    lines = Path(args.workload).read_text().splitlines() * args.times
    call = euca.Call.from_json((HERE / "peer-bench-tj2020.call.json").read_text())
    apps = [] if args.given == "temporary" else [json.loads(line) for line in lines[: len(lines) // args.times]] * args.times
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")
    before = status("VmRSS")
    start = time.perf_counter()
    if args.given == "temporary":
        batch = call.evaluate_many([json.loads(line) for line in lines], as_of="2020-09-04")
    else:
        batch = call.evaluate_many(apps if args.given == "list" else iter(apps), as_of="2020-09-04")
    took = time.perf_counter() - start
    rows = len(batch)
    gc.collect()
    print(
        f"{rows} dicts given as {args.given}: {took:.2f} s, peak +{status('VmHWM') - before} MiB, "
        f"held after +{status('VmRSS') - before} MiB, read as {batch._read!r}"
    )


if __name__ == "__main__":
    main()
