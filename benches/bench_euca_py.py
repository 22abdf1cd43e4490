#!/usr/bin/env python3
"""euca's Python rows next to the Python peers of ../shared/peer-bench, in one run.

    python3 benches/bench_euca_py.py --n 100000 --peer-bench /tmp/euca-peer-bench

The call is the synthetic peer-bench rule set (benches/peer-bench-tj2020.call.json), loaded with
``euca.Call.from_json`` like any other call. The protocol is the peer harness's own (bench_py.py,
whose helpers this script imports): every row runs in a fresh process that loads all N
applications and prepares its input outside the timed region; the garbage collector runs, the
peak RSS (VmHWM) is reset through /proc/self/clear_refs, then 1 warm-up run and 5 timed runs;
the median is reported; a row whose check run over N took more than 5 s is timed on the first
20 000 applications. A timed run returns one verdict (bool) per application.

One run does, in order:

1. euca's verdicts, each row in its own process, written as
   ``verdicts/py-euca-<variant>-n{N}-s{SEED}.txt``, then compared with the labels and with every
   other verdict file of this N and seed (exit 1 on any difference);
2. the peer harness (bench_py.py), which checks every verdict file again, euca's included, and
   times the peers;
3. euca's rows, timed;
4. the 1 M batch (peak RSS), ``import euca`` and ``Dataset.embedded()``;
5. results-py-euca-n{N}-s{SEED}.json beside the peers' results (benches/bench_report.py merges).
"""
from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CALL = os.path.join(HERE, "peer-bench-tj2020.call.json")
VENV = os.environ.get("PEERBENCH_VENV", "/tmp/peerbench/venv")
AS_OF = datetime.date(2020, 9, 4)

if (os.path.isfile(os.path.join(VENV, "bin", "python"))
        and os.path.realpath(sys.prefix) != os.path.realpath(VENV)
        and not os.environ.get("PEERBENCH_NO_REEXEC")):
    # run under the benchmark's venv (where euca, the peers and pandas are installed)
    os.execv(os.path.join(VENV, "bin", "python"),
             [os.path.join(VENV, "bin", "python"), os.path.abspath(__file__), *sys.argv[1:]])


def peer_bench_dir(argv: list[str]) -> str:
    for i, a in enumerate(argv):
        if a == "--peer-bench" and i + 1 < len(argv):
            return os.path.abspath(argv[i + 1])
        if a.startswith("--peer-bench="):
            return os.path.abspath(a.split("=", 1)[1])
    return os.environ.get("PEERBENCH_SRC", "/tmp/euca-peer-bench")


PEER_BENCH = peer_bench_dir(sys.argv)
sys.path.insert(0, PEER_BENCH)
os.environ["PEERBENCH_NO_REEXEC"] = "1"
import bench_py as H  # noqa: E402  (the peer harness: its RSS, verdict-file and loading helpers)
import workload  # noqa: E402

# key: (label, input, env of the worker)
IMPLS = {
    # The dicts are read on the calling thread (they need the GIL) and evaluated on one other,
    # whatever rayon's thread count: the `-1t` row is a second measurement of the same path.
    "py-euca-dicts": ("euca `evaluate_many` from the list of dicts (read on the calling thread, "
                      "evaluated on one other)", "dicts", {}),
    "py-euca-dicts-1t": ("euca `evaluate_many` from the list of dicts, RAYON_NUM_THREADS=1 (the same "
                         "path, which does not use rayon: a second measurement)", "dicts",
                         {"RAYON_NUM_THREADS": "1"}),
    "py-euca-pandas": ("euca `evaluate_many` from the prebuilt pandas frame (dotted columns)", "dicts", {}),
    "py-euca-pandas-arrow": ("euca `evaluate_many` from the prebuilt pandas frame, its columns in Arrow "
                             "(`pd.ArrowDtype`)", "dicts", {}),
    "py-euca-polars": ("euca `evaluate_many` from a prebuilt polars (Arrow) frame", "dicts", {}),
    "py-euca-jsonl": ("euca `evaluate_jsonl` from the JSON Lines text (2 threads)", "text", {}),
    "py-euca-jsonl-1t": ("euca `evaluate_jsonl` from the JSON Lines text, RAYON_NUM_THREADS=1", "text",
                         {"RAYON_NUM_THREADS": "1"}),
    "py-euca-evaluate": ("euca `evaluate` per application (a full Decision each)", "dicts", {}),
}
# The 1 M batch: the 100 000 applications ten times over, one run, for its peak RSS.
MEM_1M = {
    "py-euca-1m-dicts": ("euca `evaluate_many`, 1 M dicts (100 000 distinct, each 10 times)", "dicts"),
    "py-euca-1m-jsonl": ("euca `evaluate_jsonl`, 1 M lines of text (613 MB)", "text"),
}


def load_call():
    import euca
    with open(CALL, encoding="utf-8") as fh:
        return euca.Call.from_json(fh.read())


def eligible(batch) -> list[bool]:
    # One boolean per application, as the peers give (`py-pure` a list, pandas an array): the
    # batch's mask, made in Rust. (Until 2026-12-04 evening the bench compared each string of
    # `batch.verdicts` in Python here, 2.6 ms of each 100 000-row call.)
    return batch.eligible


def make_runner(impl: str, apps: list[dict], k: int, lines: list[str]):
    """A zero-argument function evaluating the first k applications (prepared outside timing)."""
    call = load_call()
    subset = apps[:k]
    if impl in ("py-euca-dicts", "py-euca-dicts-1t"):
        return lambda: eligible(call.evaluate_many(subset, AS_OF))
    if impl in ("py-euca-pandas", "py-euca-pandas-arrow", "py-euca-polars"):
        import peers_py as P
        frame = P.pandas_frame(subset)          # exactly the peer's prebuilt frame (json_normalize)
        if impl == "py-euca-polars":
            import polars as pl
            frame = pl.from_pandas(frame)       # List(Struct) and List(Int64) columns, Arrow memory
        if impl == "py-euca-pandas-arrow":
            import pandas as pd
            import pyarrow as pa
            # The same frame in pandas, each column held by Arrow (lists of structs included).
            frame = pa.Table.from_pandas(frame).to_pandas(types_mapper=pd.ArrowDtype)
        return lambda: eligible(call.evaluate_many(frame, AS_OF))
    if impl in ("py-euca-jsonl", "py-euca-jsonl-1t"):
        text = "".join(lines[:k])
        return lambda: eligible(call.evaluate_jsonl(text, AS_OF))
    if impl == "py-euca-evaluate":
        evaluate = call.evaluate
        return lambda: [evaluate(a, AS_OF).verdict == "eligible" for a in subset]
    if impl == "py-euca-1m-dicts":
        million = subset * 10
        return lambda: eligible(call.evaluate_many(million, AS_OF))
    if impl == "py-euca-1m-jsonl":
        text = "".join(lines[:k]) * 10
        return lambda: eligible(call.evaluate_jsonl(text, AS_OF))
    raise SystemExit(f"unknown implementation {impl}")


def worker(args) -> None:
    files = workload.paths(args.n, args.seed, args.dir)
    kind = (IMPLS.get(args.worker) or MEM_1M[args.worker])[1]
    lines: list[str] = []
    apps: list[dict] = []
    if kind == "text":
        with open(files["apps"], encoding="utf-8") as fh:
            lines = fh.readlines()
    else:
        apps = H.load_apps(files["apps"])
    k = args.timed_n or args.n
    run = make_runner(args.worker, apps, k, lines)
    gc.collect()
    load_peak = H.vm_hwm_kib()
    peak_was_reset = H.reset_peak_rss()
    rss_before = H.rss_now_kib()
    out = {"impl": args.worker, "n_loaded": args.n, "n_timed": k}
    if args.phase == "verdicts":
        t0 = time.perf_counter()
        verdicts = run()
        out["check_run_s"] = time.perf_counter() - t0
        bits = "".join("1" if v else "0" for v in verdicts)
        assert len(bits) == k, (len(bits), k)
        vp = H.verdict_path(args.dir, args.worker, args.n, args.seed)
        os.makedirs(os.path.dirname(vp), exist_ok=True)
        with open(vp, "w") as fh:
            fh.write(bits)
        out["eligible"] = bits.count("1")
    else:
        times = []
        for i in range(args.warmup + args.runs):
            t0 = time.perf_counter()
            verdicts = run()
            dt = time.perf_counter() - t0
            if i >= args.warmup:
                times.append(dt)
        bits = "".join("1" if v else "0" for v in verdicts)
        if args.worker in MEM_1M:
            labels = H.load_labels(files["labels"])[:k]
            expected = "".join("1" if lab["eligible"] else "0" for lab in labels) * 10
        else:
            with open(H.verdict_path(args.dir, args.worker, args.n, args.seed)) as fh:
                expected = fh.read()[:k]
        if bits != expected:
            raise SystemExit(f"{args.worker}: timed run's verdicts differ from its checked verdicts")
        out["eligible_timed"] = bits.count("1")
        n_eval = len(bits)
        med = statistics.median(times)
        out.update({"n_evaluated": n_eval, "runs_s": times, "median_s": med,
                    "apps_per_s": n_eval / med, "us_per_app": med / n_eval * 1e6})
    out["rss_before_eval_mib"] = rss_before / 1024
    out["peak_rss_mib"] = H.vm_hwm_kib() / 1024
    out["eval_rss_delta_mib"] = out["peak_rss_mib"] - out["rss_before_eval_mib"]
    out["load_peak_rss_mib"] = load_peak / 1024
    out["peak_reset_ok"] = peak_was_reset
    print("RESULT " + json.dumps(out))


def spawn(args, impl: str, phase: str, timed_n: int | None = None, runs: int | None = None,
          warmup: int | None = None, timeout_s: float | None = None) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", impl, "--phase", phase,
           "--n", str(args.n), "--seed", str(args.seed), "--dir", args.dir,
           "--peer-bench", PEER_BENCH,
           "--runs", str(args.runs if runs is None else runs),
           "--warmup", str(args.warmup if warmup is None else warmup)]
    if timed_n:
        cmd += ["--timed-n", str(timed_n)]
    env = {**os.environ, "PEERBENCH_NO_REEXEC": "1", **(IMPLS.get(impl, ("", "", {}))[2])}
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return {"impl": impl, "timed_out_s": timeout_s}
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"FAILED: worker {impl} ({phase}) exited {proc.returncode}")
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise SystemExit(f"FAILED: worker {impl} ({phase}) printed no result:\n{proc.stdout}{proc.stderr}")


# ---------------------------------------------------------------------------
# agreement: every verdict file of this N and seed against the labels
# ---------------------------------------------------------------------------
def check_all_verdict_files(args, files) -> dict:
    labels = H.load_labels(files["labels"])
    expected = "".join("1" if lab["eligible"] else "0" for lab in labels)
    vdir = os.path.join(args.dir, "verdicts")
    suffix = f"-n{args.n}-s{args.seed}.txt"
    verdicts = {}
    for name in sorted(os.listdir(vdir)):
        if name.endswith(suffix):
            with open(os.path.join(vdir, name)) as fh:
                verdicts[name[: -len(suffix)]] = fh.read()
    failures = []
    for impl, bits in verdicts.items():
        diff = [i for i in range(args.n) if i >= len(bits) or bits[i] != expected[i]]
        if diff:
            failures.append(impl)
            print(f"  {impl}: {len(diff)} verdicts differ from the labels; first ones:")
            for i in diff[:5]:
                print(f"    {labels[i]['id']}: label eligible={labels[i]['eligible']} failed={labels[i]['failed']}; "
                      f"{impl} says {bits[i] if i < len(bits) else 'nothing'}")
    if failures:
        raise SystemExit(f"AGREEMENT FAILED: {', '.join(failures)} disagree with the labels (and so with the others)")
    print(f"[check] AGREEMENT OK: {', '.join(verdicts)} give identical verdicts on all {args.n} applications "
          f"({expected.count('1')} eligible)", flush=True)
    return {"ok": True, "impls_compared": sorted(verdicts), "eligible": expected.count("1")}


# ---------------------------------------------------------------------------
# import time and Dataset.embedded(), each in fresh processes
# ---------------------------------------------------------------------------
def fresh(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return proc.stdout + proc.stderr


def import_time(repeats: int) -> dict:
    cumulative = []
    for _ in range(repeats):
        err = subprocess.run([sys.executable, "-X", "importtime", "-c", "import euca"],
                             capture_output=True, text=True, check=True).stderr
        for line in err.splitlines():
            m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)\s*$", line)
            if m and m.group(3) == "euca":
                cumulative.append(int(m.group(2)) / 1000)
    wall = {}
    for label, code in (("python -c pass", "pass"), ("python -c 'import euca'", "import euca")):
        runs = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            runs.append((time.perf_counter() - t0) * 1000)
        wall[label] = statistics.median(runs)
    heavy = fresh("import sys, euca; print(sorted(m for m in ('pandas', 'numpy', 'polars', 'matplotlib', 'pyarrow') if m in sys.modules))")
    return {"repeats": repeats, "importtime_cumulative_ms_median": statistics.median(cumulative),
            "importtime_cumulative_ms_runs": cumulative,
            "wall_ms_median": wall, "wall_import_minus_pass_ms": wall["python -c 'import euca'"] - wall["python -c pass"],
            "heavy_modules_imported": heavy.strip()}


def embedded_time(repeats: int) -> dict:
    # the first call; later calls; then, in the same process, the first use of the dataset's
    # rule sets (its collections are read when first used): a call compiled from it
    code = ("import time, euca\n"
            "t0 = time.perf_counter(); d = euca.Dataset.embedded(); t1 = time.perf_counter()\n"
            "n = 1000\n"
            "t2 = time.perf_counter()\n"
            "for _ in range(n): euca.Dataset.embedded()\n"
            "t3 = time.perf_counter()\n"
            "c = d.call('tj-2020-cso'); t4 = time.perf_counter()\n"
            "print((t1 - t0) * 1000, (t3 - t2) / n * 1000, (t4 - t3) * 1000)\n")
    first, again, first_call = [], [], []
    for _ in range(repeats):
        a, b, c = fresh(code).split()
        first.append(float(a))
        again.append(float(b))
        first_call.append(float(c))
    return {"repeats": repeats, "first_call_ms_median": statistics.median(first), "first_call_ms_runs": first,
            "later_call_ms_median": statistics.median(again),
            "then_first_call_compiled_ms_median": statistics.median(first_call)}


def loadavg() -> str:
    with open("/proc/loadavg") as fh:
        return " ".join(fh.read().split()[:3])


def environment() -> dict:
    from importlib.metadata import version
    env = H.environment()
    for p in ("euca", "polars"):
        try:
            env["packages"][p] = version(p)
        except Exception:  # noqa: BLE001 - not installed: no row
            env["packages"][p] = None
    return env


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20200904)
    ap.add_argument("--dir", default="/tmp/peerbench")
    ap.add_argument("--peer-bench", default=PEER_BENCH, help="a writable copy of shared/peer-bench")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--slow-seconds", type=float, default=5.0)
    ap.add_argument("--slow-n", type=int, default=20_000)
    ap.add_argument("--only", default="", help="comma-separated subset of " + ",".join(IMPLS))
    ap.add_argument("--no-peers", action="store_true", help="do not run the peer harness (bench_py.py)")
    ap.add_argument("--no-extras", action="store_true", help="skip the 1 M batch, import and embedded() timings")
    ap.add_argument("--repeats", type=int, default=7, help="fresh processes for import and embedded() times")
    ap.add_argument("--mem-timeout", type=float, default=240, help="seconds before a 1 M batch is killed (recorded)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--phase", choices=["verdicts", "time"], help=argparse.SUPPRESS)
    ap.add_argument("--timed-n", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args)
        return

    impls = [i for i in IMPLS if not args.only or i in args.only.split(",")]
    try:
        import polars  # noqa: F401
    except ImportError:
        print("[note] polars is not installed: no py-euca-polars row (pip install -r benches/requirements.txt)")
        impls = [i for i in impls if i != "py-euca-polars"]
    started = {"date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "loadavg": loadavg()}
    files = workload.ensure(args.n, args.seed, args.dir)

    # 1. euca's verdicts, then every verdict file against the labels
    check = {}
    for impl in impls:
        r = spawn(args, impl, "verdicts")
        check[impl] = r
        print(f"[check] {impl}: one run over {args.n} in {r['check_run_s']:.2f} s, eligible {r['eligible']}", flush=True)
    agreement = check_all_verdict_files(args, files)
    agreement["check_runs"] = check

    # 2. the peers, with their own harness (which checks euca's verdict files too)
    if not args.no_peers:
        print(f"[peers] {sys.executable} {os.path.join(PEER_BENCH, 'bench_py.py')} --n {args.n}", flush=True)
        peers = subprocess.run([sys.executable, os.path.join(PEER_BENCH, "bench_py.py"), "--n", str(args.n),
                                "--seed", str(args.seed), "--dir", args.dir, "--runs", str(args.runs),
                                "--warmup", str(args.warmup)], env={**os.environ, "PEERBENCH_NO_REEXEC": "1"})
        if peers.returncode != 0:
            raise SystemExit(f"FAILED: the peer harness exited {peers.returncode}")

    # 3. euca's rows, timed
    results = []
    for impl in impls:
        slow = check[impl]["check_run_s"] > args.slow_seconds
        k = min(args.n, args.slow_n) if slow else args.n
        print(f"[time] {impl} on {k} applications ({args.warmup} warm-up + {args.runs} runs) ... "
              f"load {loadavg()}", flush=True)
        r = spawn(args, impl, "time", k)
        r["label"] = IMPLS[impl][0]
        r["eligible_all"] = check[impl]["eligible"]
        r["reduced_n_because_slow"] = slow
        r["loadavg"] = loadavg()
        results.append(r)
        print(f"       {r['us_per_app']:.3f} µs/app, peak RSS {r['peak_rss_mib']:.0f} MiB", flush=True)

    # 4. the 1 M batch, import euca, Dataset.embedded()
    extras: dict = {}
    if not args.no_extras:
        extras["mem_1m"] = []
        for impl in MEM_1M:
            print(f"[1M] {impl}: one run ... load {loadavg()}", flush=True)
            r = spawn(args, impl, "time", args.n, runs=1, warmup=0, timeout_s=args.mem_timeout)
            r["label"] = MEM_1M[impl][0]
            r["loadavg"] = loadavg()
            extras["mem_1m"].append(r)
            if r.get("timed_out_s"):
                print(f"       did not finish in {r['timed_out_s']:g} s: killed (recorded)", flush=True)
            else:
                print(f"       {r['median_s']:.2f} s, peak RSS {r['peak_rss_mib']:.0f} MiB "
                      f"(before {r['rss_before_eval_mib']:.0f})", flush=True)
        print(f"[import] python -X importtime -c 'import euca', {args.repeats} fresh processes", flush=True)
        extras["import"] = import_time(args.repeats)
        print(f"       {extras['import']['importtime_cumulative_ms_median']:.1f} ms", flush=True)
        extras["embedded"] = embedded_time(args.repeats)
        print(f"[embedded] Dataset.embedded(): first call {extras['embedded']['first_call_ms_median']:.2f} ms, "
              f"later {extras['embedded']['later_call_ms_median'] * 1000:.1f} µs", flush=True)

    print()
    print(f"euca (Python), N = {args.n} loaded, seed {args.seed}; median of {args.runs} runs after {args.warmup} warm-up")
    print()
    print("| implementation | timed N | apps/s | µs/app | RSS before eval (MiB) | peak RSS in eval (MiB) | eval Δ (MiB) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['impl']}: {r['label']} | {r['n_timed']}{' *' if r['reduced_n_because_slow'] else ''} | "
              f"{r['apps_per_s']:,.0f} | {r['us_per_app']:.2f} | {r['rss_before_eval_mib']:.0f} | "
              f"{r['peak_rss_mib']:.0f} | {r['eval_rss_delta_mib']:.0f} |")
    partial = "-partial" if args.only else ""
    out = os.path.join(args.dir, f"results-py-euca-n{args.n}-s{args.seed}{partial}.json")
    with open(out, "w") as fh:
        json.dump({"n": args.n, "seed": args.seed, "runs": args.runs, "warmup": args.warmup, **started,
                   "loadavg_end": loadavg(), "environment": environment(), "agreement": agreement,
                   "results": results, "extras": extras,
                   "call": os.path.relpath(CALL, ROOT), "as_of": AS_OF.isoformat()}, fh, indent=1)
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
