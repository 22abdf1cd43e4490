#!/usr/bin/env python3
"""Merges one benchmark run into the tables of BENCHMARKS.md.

    python3 benches/bench_report.py --n 100000 [--criterion $CARGO_TARGET_DIR/criterion]

Reads, from --dir (default /tmp/peerbench): the peers' results (results-{py,js}-n{N}-s{SEED}.json,
written by shared/peer-bench's harnesses), euca's (results-{py,js}-euca-n{N}-s{SEED}.json, written
by benches/bench_euca_{py.py,js.mjs}), the criterion estimates of core/benches/engine.rs and
euca-criterion-meta.json (when and under what load scripts/bench ran criterion). Checks every
verdict file of this N and seed once more against the labels, then prints markdown: one table
per language with euca's rows beside the peers', the native figures, the 1 M batch, the
module's size and load times, and every target of issue 8 with MET or NOT MET.
"""
from __future__ import annotations

import argparse
import json
import os

KB = 1000


def load(path: str) -> dict | None:
    if not os.path.exists(path):
        return None
    with open(path) as fh:
        return json.load(fh)


def criterion(dirpath: str, group: str, bench: str) -> dict | None:
    est = load(os.path.join(dirpath, group, bench, "new", "estimates.json"))
    if est is None:
        return None
    return {"median_ns": est["median"]["point_estimate"],
            "lo_ns": est["median"]["confidence_interval"]["lower_bound"],
            "hi_ns": est["median"]["confidence_interval"]["upper_bound"]}


def fmt_us(x: float) -> str:
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def ratio(ref: float, x: float) -> str:
    r = ref / x
    return f"{r:.1f}×" if r >= 1.95 else f"{r:.2f}×"


def table(rows: list[dict], ref_key: str, ref_name: str, n: int) -> list[str]:
    ref = next((r for r in rows if r["impl"] == ref_key), None)
    out = [f"| # | implementation | timed N | apps/s | µs/app (median) | spread µs/app | vs {ref_name} | "
           "peak RSS in eval MiB | RSS before eval MiB | eval Δ MiB | eligible |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    refs = [r for r in rows if r["label"].startswith("reference")]
    body = sorted([r for r in rows if not r["label"].startswith("reference")], key=lambda r: r["us_per_app"])
    for i, r in enumerate(body + refs, 1):
        k = r.get("n_evaluated", r["n_timed"])
        lo, hi = min(r["runs_s"]) / k * 1e6, max(r["runs_s"]) / k * 1e6
        name = f"**`{r['impl']}`** {r['label']}" if "-euca-" in r["impl"] else f"`{r['impl']}` {r['label']}"
        star = " ¹" if r.get("reduced_n_because_slow") else ""
        elig = f"{r['eligible_all']:,}" if r.get("eligible_all") is not None else "—"
        vs = ratio(ref["us_per_app"], r["us_per_app"]) if ref else "—"
        out.append(f"| {i} | {name} | {r['n_timed']:,}{star} | {r['apps_per_s']:,.0f} | {fmt_us(r['us_per_app'])} | "
                   f"{fmt_us(lo)}–{fmt_us(hi)} | {vs} | {r['peak_rss_mib']:.0f} | {r['rss_before_eval_mib']:.0f} | "
                   f"{r['eval_rss_delta_mib']:.0f} | {elig} |")
    out += ["", f"vs {ref_name}: its µs/app divided by the row's (above 1×: faster than {ref_name}). "
            "¹ One check run over all N took more than 5 s, so the row was timed on the first 20 000 "
            "applications (all N loaded). Bold: euca."]
    return out


def agreement(args) -> str:
    with open(os.path.join(args.dir, f"apps-n{args.n}-s{args.seed}.labels.jsonl")) as fh:
        expected = "".join("1" if json.loads(line)["eligible"] else "0" for line in fh)
    vdir = os.path.join(args.dir, "verdicts")
    suffix = f"-n{args.n}-s{args.seed}.txt"
    names, bad = [], []
    for name in sorted(os.listdir(vdir)):
        if name.endswith(suffix):
            with open(os.path.join(vdir, name)) as fh:
                bits = fh.read()
            names.append(name[: -len(suffix)])
            if bits != expected:
                bad.append(names[-1])
    if bad:
        raise SystemExit(f"AGREEMENT FAILED: {', '.join(bad)} differ from the labels")
    return (f"**Agreement: OK.** {len(names)} verdict files ({', '.join(f'`{n}`' for n in names)}) are identical "
            f"to the generator's labels on all {args.n:,} applications ({expected.count('1'):,} eligible).")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20200904)
    ap.add_argument("--dir", default="/tmp/peerbench")
    ap.add_argument("--criterion", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "criterion"))
    args = ap.parse_args()
    sfx = f"n{args.n}-s{args.seed}.json"
    py_peers, js_peers = load(os.path.join(args.dir, f"results-py-{sfx}")), load(os.path.join(args.dir, f"results-js-{sfx}"))
    py, js = load(os.path.join(args.dir, f"results-py-euca-{sfx}")), load(os.path.join(args.dir, f"results-js-euca-{sfx}"))
    crit_meta = load(os.path.join(args.dir, "euca-criterion-meta.json")) or {}
    c = {name: criterion(args.criterion, *name.split("/")) for name in (
        "one_application/full_decision", "one_application/verdict_only", "batch_1m/one_core",
        "batch_1m/all_cores_2", "jsonl_100k/read", "jsonl_100k/read_and_evaluate",
        "jsonl_100k/read_and_evaluate_one_core", "dataset/embedded",
        "dataset/embedded_first_call", "dataset/embedded_every_collection", "dataset/parse_embedded_json", "dataset/timeline", "dataset/icalendar")}
    per_app = {"one_application": 1, "batch_1m": 1_000_000, "jsonl_100k": 100_000, "dataset": 1}

    def native_us(name: str) -> float | None:
        e = c.get(name)
        return None if e is None else e["median_ns"] / per_app[name.split("/")[0]] / 1000

    lines: list[str] = [agreement(args), ""]
    if py and py_peers:
        lines += ["### Python", "", f"Run {py_peers['date_utc']} (peers) and {py['date_utc']} (euca); "
                  f"1-minute load average at the start of the run {py['loadavg']}, during euca's rows (1-minute) "
                  f"{min(float(r['loadavg'].split()[0]) for r in py['results']):.2f}–"
                  f"{max(float(r['loadavg'].split()[0]) for r in py['results']):.2f}.", ""]
        lines += table(py_peers["results"] + py["results"], "py-pure", "`py-pure`", args.n)
        e = py["environment"]
        lines += ["", f"Python {e['python']}, " + ", ".join(f"{k} {v}" for k, v in e["packages"].items() if v) + "."]
    if js and js_peers:
        lines += ["", "### Node (WebAssembly)", "", f"Run {js_peers['date_utc']} (peers) and {js['date_utc']} (euca); "
                  f"1-minute load average at the start of the run {js['loadavg']}, during euca's rows (1-minute) "
                  f"{min(float(r['loadavg'].split()[0]) for r in js['results']):.2f}–"
                  f"{max(float(r['loadavg'].split()[0]) for r in js['results']):.2f}.", ""]
        lines += table(js_peers["results"] + js["results"], "js-jsonlogic", "`js-jsonlogic`", args.n)
        e, pe = js["environment"], js_peers["environment"]
        lines += ["", f"Node {e['node']}, " + ", ".join(f"{k} {v}" for k, v in {**pe['packages'], **e['packages']}.items()) + "."]
    if any(c.values()):
        lines += ["", "### Native (criterion, core/benches/engine.rs)", "",
                  f"Run {crit_meta.get('date_utc', '?')}; 1-minute load average at the start {crit_meta.get('loadavg', '?')}.", "",
                  "| benchmark | median | 95 % interval of the median | per application | applications/s |",
                  "|---|---:|---:|---:|---:|"]
        for name, e in c.items():
            if e is None:
                continue
            k = per_app[name.split("/")[0]]
            med, lo, hi = e["median_ns"], e["lo_ns"], e["hi_ns"]

            def t(ns: float) -> str:
                return f"{ns / 1e9:.3f} s" if ns >= 1e8 else f"{ns / 1e6:.2f} ms" if ns >= 1e5 else f"{ns / 1e3:.2f} µs" if ns >= 1e3 else f"{ns:.0f} ns"
            each = f"{med / k / 1000:.3f} µs" if name.split("/")[0] != "dataset" else "—"
            aps = f"{k / (med / 1e9):,.0f}" if name.split("/")[0] != "dataset" else "—"
            lines.append(f"| `{name}` | {t(med)} | {t(lo)}–{t(hi)} | {each} | {aps} |")

    # the 1 M batch, the module, loading
    rust_mem = load(os.path.join(args.dir, "euca-rust-mem-1m.json")) or []
    mem = (py or {}).get("extras", {}).get("mem_1m", []) + (js or {}).get("extras", {}).get("mem_1m", []) + rust_mem
    if mem:
        lines += ["", "### A batch of 1 M applications (one run each)", "",
                  "| row | time | µs/app | RSS before eval MiB | peak RSS in eval MiB | eval Δ MiB |", "|---|---:|---:|---:|---:|---:|"]
        for r in mem:
            if r.get("timed_out_s"):
                lines.append(f"| `{r['impl']}` {r['label']} | did not finish in {r['timed_out_s']} s (killed) | | | | |")
                continue
            lines.append(f"| `{r['impl']}` {r['label']} | {r['median_s']:.2f} s | {fmt_us(r['us_per_app'])} | "
                         f"{r['rss_before_eval_mib']:.0f} | {r['peak_rss_mib']:.0f} | {r['eval_rss_delta_mib']:.0f} |")
    pyx, jsx = (py or {}).get("extras", {}), (js or {}).get("extras", {})
    if pyx or jsx:
        lines += ["", "### The module and loading", ""]
        for key in ("wasm", "wasm_web", "wasm_screen"):
            if key not in jsx:
                continue
            w = jsx[key]
            lines.append(f"- `{w['file']}`: {w['raw_bytes']:,} bytes raw, {w['gzip9_bytes']:,} bytes zlib level 9"
                         + (f" ({w['gzip_cli_9_bytes']:,} with `gzip -9`)" if w.get("gzip_cli_9_bytes") else "")
                         + (f", {w['brotli_bytes']:,} bytes brotli -11" if w.get("brotli_bytes") else "") + ".")
        if "import" in pyx:
            i = pyx["import"]
            lines.append(f"- Python `import euca`: {i['importtime_cumulative_ms_median']:.1f} ms (`-X importtime` cumulative, "
                         f"median of {i['repeats']} fresh processes); a whole `python -c 'import euca'` takes "
                         f"{i['wall_import_minus_pass_ms']:.1f} ms more than `python -c pass`; heavy modules it imports: "
                         + (f"{i['heavy_modules_imported']}." if i['heavy_modules_imported'] != "[]"
                            else "none of pandas, numpy, polars, matplotlib, pyarrow."))
        if "import" in jsx:
            i = jsx["import"]
            lines.append(f"- Node `require()` of bindings-wasm/pkg/node/euca.js (reads, compiles and instantiates the .wasm): "
                         f"{i['require_ms_median']:.1f} ms (median of {i['repeats']} fresh processes); a whole `node -e` "
                         f"takes {i['wall_require_minus_empty_ms']:.1f} ms more with it.")
        if "embedded" in pyx:
            e = pyx["embedded"]
            lines.append(f"- Python `Dataset.embedded()`: first call in a process {e['first_call_ms_median']:.2f} ms, "
                         f"later calls {e['later_call_ms_median'] * 1000:.0f} µs (median of {e['repeats']} processes)"
                         + (f"; then the first `call('tj-2020-cso')` of it (its rule sets read on first use, and "
                            f"compiled) {e['then_first_call_compiled_ms_median']:.2f} ms"
                            if "then_first_call_compiled_ms_median" in e else "") + ".")
        if "embedded" in jsx:
            e = jsx["embedded"]
            lines.append(f"- Node `Dataset.embedded()`: first call after `require` {e['first_call_ms_median']:.2f} ms, "
                         f"later calls {e['later_call_ms_median']:.2f} ms"
                         + (f"; then the first `call('tj-2020-cso')` of it (its rule sets read on first use, and "
                            f"compiled) {e['then_first_call_compiled_ms_median']:.1f} ms"
                            if "then_first_call_compiled_ms_median" in e else "") + ".")
        if c.get("dataset/embedded"):
            lines.append(f"- Rust `Dataset::embedded()` (criterion): later calls {c['dataset/embedded']['median_ns'] / 1e3:.2f} µs"
                         + (f", what a first call does {c['dataset/embedded_first_call']['median_ns'] / 1e3:.2f} µs"
                            if c.get("dataset/embedded_first_call") else "")
                         + (f", a read of every collection (what a program that uses them all reads, once) "
                            f"{c['dataset/embedded_every_collection']['median_ns'] / 1e6:.2f} ms"
                            if c.get("dataset/embedded_every_collection") else "") + ".")

    # targets
    def row(name: str) -> dict | None:
        for d in (py, js, py_peers, js_peers):
            for r in (d or {}).get("results", []):
                if r["impl"] == name:
                    return r
        return None

    def us(name: str) -> float | None:
        r = row(name)
        return None if r is None else r["us_per_app"]

    targets = []

    def target(what: str, figure: float | None, limit: float, unit: str, measured: str, fmt=fmt_us) -> None:
        if figure is None:
            targets.append(f"| {what} | not measured | | |")
            return
        met = figure <= limit
        targets.append(f"| {what} | {fmt(figure)} {unit} ({measured}) | ≤ {fmt(limit)} {unit} | {'MET' if met else '**NOT MET**'} |")

    target("native, one application, verdict only", native_us("one_application/verdict_only"), 0.5, "µs", "criterion `one_application/verdict_only`")
    target("native, every check recorded, one core", native_us("batch_1m/one_core"), 0.5, "µs/app", "criterion `batch_1m/one_core`")
    one, two = native_us("batch_1m/one_core"), native_us("batch_1m/all_cores_2")
    if one and two:
        targets.append(f"| native, near-linear on 2 cores | {one / two:.2f}× speed-up (`batch_1m/all_cores_2`) | ≥ 1.8× | "
                       f"{'MET' if one / two >= 1.8 else '**NOT MET**'} |")
    pure = us("py-pure")
    target("Python, list of dicts, faster than `py-pure`", us("py-euca-dicts"), min(2.1, pure or 2.1), "µs/app",
           f"`py-euca-dicts`; `py-pure` {fmt_us(pure) if pure else '?'} in this run")
    frame = us("py-pandas-frame")
    target("Python, prebuilt DataFrame, ≥ 10× `py-pandas-frame`", us("py-euca-pandas"), 0.28, "µs/app",
           f"`py-euca-pandas`; 10× this run's `py-pandas-frame` would be {fmt_us(frame / 10) if frame else '?'}")
    target("Python, prebuilt pandas DataFrame of Arrow columns (`pd.ArrowDtype`), ≥ 10× `py-pandas-frame`",
           us("py-euca-pandas-arrow"), min(0.28, frame / 10 if frame else 0.28), "µs/app",
           "`py-euca-pandas-arrow`, the same frame's columns in Arrow")
    target("Python, Arrow columns (polars frame)", us("py-euca-polars"), 0.28, "µs/app", "`py-euca-polars`")
    target("Python, JSON Lines text end to end", us("py-euca-jsonl"), 5.0, "µs/app", "`py-euca-jsonl`")
    target("Node, JS objects (≥ 2× json-logic-js)", us("js-euca-objects"), 5.0, "µs/app", "`js-euca-objects`")
    target("Node, JSON Lines text", us("js-euca-jsonl"), 3.0, "µs/app", "`js-euca-jsonl`")
    jsl = us("js-jsonlogic")
    if jsl:
        target("Node, JS objects, ≥ 2× this run's json-logic-js", us("js-euca-objects"), jsl / 2, "µs/app",
               f"`js-euca-objects`; `js-jsonlogic` {fmt_us(jsl)} in this run")
    wasm_jsonl, nat_jsonl = us("js-euca-jsonl"), native_us("jsonl_100k/read_and_evaluate_one_core")
    if wasm_jsonl and nat_jsonl:
        target("WASM ≤ 5× native (JSON Lines read + evaluate, one thread each)", wasm_jsonl / nat_jsonl, 5.0, "×",
               f"`js-euca-jsonl` / criterion `jsonl_100k/read_and_evaluate_one_core`", fmt=lambda x: f"{x:.1f}")
    wasm_one, nat_one = us("js-euca-evaluate"), native_us("one_application/full_decision")
    if wasm_one and nat_one:
        target("WASM ≤ 5× native (one application, full Decision)", wasm_one / nat_one, 5.0, "×",
               f"`js-euca-evaluate` / criterion `one_application/full_decision`", fmt=lambda x: f"{x:.1f}")
    for key, what in (("wasm", "Node's"), ("wasm_web", "browsers'"), ("wasm_screen", "`euca/screen`'s")):
        if key in jsx:
            target(f"`.wasm` gzipped ({what})", jsx[key]["gzip9_bytes"] / KB, 250, "KB", "zlib level 9",
                   fmt=lambda x: f"{x:,.0f}")
    if "import" in pyx:
        target("Python `import euca`", pyx["import"]["importtime_cumulative_ms_median"], 50, "ms", "`-X importtime`",
               fmt=lambda x: f"{x:.1f}")
    if "import" in jsx:
        target("Node `require` of the package", jsx["import"]["require_ms_median"], 50, "ms", "in process",
               fmt=lambda x: f"{x:.1f}")
    if c.get("dataset/embedded"):
        target("`Dataset::embedded()`, Rust, later calls (the dataset made once per process, each collection read when first used and shared)",
               c["dataset/embedded"]["median_ns"] / 1e6, 1.0, "ms", "criterion `dataset/embedded`",
               fmt=lambda x: f"{x:.4f}")
    if c.get("dataset/embedded_first_call"):
        target("`Dataset::embedded()`, Rust, first call in a process (collections read when first used)",
               c["dataset/embedded_first_call"]["median_ns"] / 1e6, 1.0, "ms", "criterion `dataset/embedded_first_call`",
               fmt=lambda x: f"{x:.4f}")
    if c.get("dataset/embedded_every_collection"):
        targets.append("| for reference, Rust: a read of every collection of the embedded document (what a first call "
                       "read before collections were read when first used) | "
                       f"{c['dataset/embedded_every_collection']['median_ns'] / 1e6:.2f} ms "
                       "(criterion `dataset/embedded_every_collection`) | — | not a target |")
    if "embedded" in pyx:
        target("`Dataset.embedded()`, Python, first call", pyx["embedded"]["first_call_ms_median"], 1.0, "ms",
               "fresh process", fmt=lambda x: f"{x:.2f}")
    if "embedded" in jsx:
        target("`Dataset.embedded()`, Node, first call", jsx["embedded"]["first_call_ms_median"], 1.0, "ms",
               "fresh process", fmt=lambda x: f"{x:.2f}")
    lines += ["", "### Targets (issue 8)", "", "| target | measured | limit | |", "|---|---|---|---|", *targets]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
