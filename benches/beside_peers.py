#!/usr/bin/env python3
"""euca's Python rows and the peers they are measured against, timed in one process,
alternately, so that the machine's drift falls on both alike.

The peer harness times each implementation in a process of its own, one after the other; on
this machine the same code's timing moves by up to 2.7× over hours and by a fifth between
processes minutes apart (BENCHMARKS.md), which is more than some of the margins the benchmark
issue asks about. Here each round times, one right after the other (a garbage collection before
each, as the harness does, and in turn one side first, then the other), every pair:

- `evaluate_many` from the list of dicts, and the pure-Python early-return twin (py-pure) on
  those dicts;
- `evaluate_many` from the prebuilt polars frame (the peer's `pd.json_normalize` frame, through
  `pl.from_pandas`, as bench_euca_py.py builds it), and pandas' vectorised rules on that prebuilt
  frame (py-pandas-frame);
- `evaluate_many` from that prebuilt pandas frame itself, and py-pandas-frame again;
- `evaluate_jsonl` from the JSON Lines text, and `json.loads` of each line followed by py-pure.

Each side returns one verdict (bool) per application, as in the harness. It prints, per pair,
the median µs per application of each side over the rounds and the median of the rounds'
ratios (how many times the peer's time euca's is), and writes them as JSON.

    python benches/beside_peers.py --peer-bench /tmp/euca-peer-bench [--n 100000] [--rounds 9]
        [--json OUT.json]

Needs euca, pandas and polars in the running Python, a copy of ../shared/peer-bench (for its
peers_py.py) and the workload (scripts/bench makes all three; it runs this script too).
"""
from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path

import euca

HERE = Path(__file__).resolve().parent
AS_OF = "2020-09-04"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peer-bench", required=True, help="a copy of ../shared/peer-bench")
    parser.add_argument("--n", type=int, default=100000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--workload", default="/tmp/peerbench/apps-n100000-s20200904.jsonl")
    parser.add_argument("--json", help="where to write the figures")
    args = parser.parse_args()
    sys.path.insert(0, args.peer_bench)
    import pandas as pd  # noqa: F401  (the peer's frame)
    import peers_py
    import polars as pl

    if args.rounds < 1 or args.n < 1:
        raise SystemExit("--n and --rounds must be at least 1")
    lines = Path(args.workload).read_text().splitlines()[: args.n]
    n = len(lines)
    if n == 0:
        raise SystemExit(f"no applications in {args.workload}")
    text = "\n".join(lines)
    dicts = [json.loads(line) for line in lines]
    call = euca.Call.from_json((HERE / "peer-bench-tj2020.call.json").read_text())
    frame = peers_py.pandas_frame(dicts)
    polars_frame = pl.from_pandas(frame)

    def json_then_pure() -> list[bool]:
        return peers_py.eligible_pure([json.loads(line) for line in lines])

    def eligible(batch) -> list[bool]:
        # One verdict (bool) per application, as the peers give and the harness times: the
        # batch's mask, made in Rust (as benches/bench_euca_py.py takes it).
        return batch.eligible

    pairs = [
        (
            "list of dicts",
            lambda: eligible(call.evaluate_many(dicts, as_of=AS_OF)),
            "py-pure (early return)",
            lambda: peers_py.eligible_pure(dicts),
        ),
        (
            "prebuilt polars frame",
            lambda: eligible(call.evaluate_many(polars_frame, as_of=AS_OF)),
            "py-pandas-frame (vectorised, prebuilt frame)",
            lambda: peers_py.eligible_frame(frame),
        ),
        (
            "prebuilt pandas frame",
            lambda: eligible(call.evaluate_many(frame, as_of=AS_OF)),
            "py-pandas-frame (vectorised, prebuilt frame)",
            lambda: peers_py.eligible_frame(frame),
        ),
        (
            "JSON Lines text",
            lambda: eligible(call.evaluate_jsonl(text, as_of=AS_OF)),
            "json.loads + py-pure",
            json_then_pure,
        ),
    ]
    # The verdicts agree before anything is timed (the harness checks every row; this is the
    # same workload, so a difference here is a broken build).
    want = peers_py.eligible_pure(dicts)
    for name, ours, _, theirs in pairs:
        if ours() != want or list(theirs()) != want:
            raise SystemExit(f"verdicts differ for {name}")

    def timed(f) -> float:
        gc.collect()
        start = time.perf_counter()
        f()
        return (time.perf_counter() - start) / n * 1e6

    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name, *_ in pairs}
    for round_ in range(args.rounds):
        for name, ours, _, theirs in pairs:
            # euca first in even rounds, the peer first in odd ones: neither always follows the
            # other.
            if round_ % 2 == 0:
                times[name][0].append(timed(ours))
                times[name][1].append(timed(theirs))
            else:
                times[name][1].append(timed(theirs))
                times[name][0].append(timed(ours))

    rows = []
    print(f"euca beside the peers, alternately in one process: N={n}, {args.rounds} rounds")
    print("| euca from | µs/app | peer | µs/app | ratio (median of rounds) | ratios, lowest–highest |")
    print("|---|---:|---|---:|---:|---|")
    for name, _, peer, _ in pairs:
        ours, theirs = times[name]
        ratios = sorted(t / o for o, t in zip(ours, theirs))
        row = {
            "euca": name,
            "euca_us": statistics.median(ours),
            "peer": peer,
            "peer_us": statistics.median(theirs),
            "ratio": statistics.median(ratios),
            "ratio_min": ratios[0],
            "ratio_max": ratios[-1],
        }
        rows.append(row)
        print(
            f"| {name} | {row['euca_us']:.2f} | {peer} | {row['peer_us']:.2f} | "
            f"{row['ratio']:.2f}× | {row['ratio_min']:.2f}–{row['ratio_max']:.2f} |"
        )
    if args.json:
        meta = {"n": n, "rounds": args.rounds, "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        Path(args.json).write_text(json.dumps({**meta, "rows": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
