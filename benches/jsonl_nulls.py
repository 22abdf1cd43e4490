#!/usr/bin/env python3
"""Times `Call.evaluate_jsonl` over the peer-bench's JSON Lines as generated and over the same
lines with every field any line has written out, `null` where a line has none (as pandas'
`to_json` writes a missing value): what BENCHMARKS.md's "`null` read by the byte-by-byte reader"
compares. Run it with the Python of each build to compare (alternately, the machine drifts):

    RAYON_NUM_THREADS=1 PYTHON -m benches.jsonl_nulls   # or: PYTHON benches/jsonl_nulls.py
        [--workload /tmp/peerbench/apps-n100000-s20200904.jsonl] [--runs 7]

Prints the fastest of `--runs` runs of each text, in µs per application.
"""
import argparse
import json
import pathlib
import time

import euca

ROOT = pathlib.Path(__file__).resolve().parent.parent


def with_nulls(lines: list) -> str:
    """The applications of `lines` with each key any of them has at a level written out, `null`
    where an application has none."""
    apps = [json.loads(line) for line in lines if line.strip()]
    keys: dict = {"": set(), "org": set(), "exclusions": set(), "action": set(), "budget": set()}

    def orgs(app: dict) -> list:
        return [o for o in [app.get("applicant"), *(app.get("co_applicants") or [])] if isinstance(o, dict)]

    for app in apps:
        keys[""] |= set(app)
        for org in orgs(app):
            keys["org"] |= set(org)
            if isinstance(org.get("exclusions"), dict):
                keys["exclusions"] |= set(org["exclusions"])
        for part in ("action", "budget"):
            if isinstance(app.get(part), dict):
                keys[part] |= set(app[part])

    def fill(d: dict, level: str) -> None:
        for key in sorted(keys[level]):
            d.setdefault(key, None)

    for app in apps:
        fill(app, "")
        for org in orgs(app):
            fill(org, "org")
            if isinstance(org.get("exclusions"), dict):
                fill(org["exclusions"], "exclusions")
        for part in ("action", "budget"):
            if isinstance(app.get(part), dict):
                fill(app[part], part)
    return "".join(json.dumps(app) + "\n" for app in apps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workload", default="/tmp/peerbench/apps-n100000-s20200904.jsonl")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    call = euca.Call.from_json((ROOT / "benches" / "peer-bench-tj2020.call.json").read_text())
    plain = pathlib.Path(args.workload).read_text()
    nulls = with_nulls(plain.splitlines())
    n = sum(1 for line in plain.splitlines() if line.strip())
    print(f"euca from {euca.__file__}; {nulls.count('null') / n:.1f} nulls a line in the second text")
    for name, text in (("as generated", plain), ("with null for each missing field", nulls)):
        best = float("inf")
        for _ in range(args.runs):
            start = time.perf_counter()
            call.evaluate_jsonl(text, as_of="2020-09-04")
            best = min(best, time.perf_counter() - start)
        print(f"{name:>34}: {best / n * 1e6:.3f} µs/app")


if __name__ == "__main__":
    main()
