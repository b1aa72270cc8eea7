#!/usr/bin/env python3
"""Medians of executor_bench and the ratio of racelens to the faster peer, as Markdown.

Usage: compare_executor.py RESULTS.json [--title TITLE]

RESULTS.json is Google Benchmark's JSON output of executor_bench with repetitions. Benchmarks
are named `<Case>/<implementation>/<n>/real_time`; for each case the table shows the median
wall time per run of the case (ms) and per item (ns) of every implementation, and
racelens time / the faster peer's time (target: <= 2.0). Implementations named ctx_* are shown
for context and are not peers. The spread is the largest distance
of a repetition from the median, in percent of the median.

Standard library only.
"""

import argparse
import json
import statistics
from collections import OrderedDict

TIME_UNIT_MS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}
TARGET = 2.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--title", default="")
    args = parser.parse_args()
    with open(args.results) as f:
        data = json.load(f)
    runs = OrderedDict()  # (case, impl) -> [ms]
    items = {}
    for b in data["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        case, impl, n = b["run_name"].split("/")[:3]
        runs.setdefault((case, impl), []).append(
            b["real_time"] * TIME_UNIT_MS[b.get("time_unit", "ns")])
        items[case] = int(n)
    cases = OrderedDict()
    for (case, impl), times in runs.items():
        med = statistics.median(times)
        spread = max(abs(t - med) for t in times) / med * 100 if med else 0.0
        cases.setdefault(case, OrderedDict())[impl] = (med, spread)
    if args.title:
        print(f"### {args.title}\n")
    print("| case | implementation | median ms | ns/item | spread | racelens / faster peer |")
    print("|---|---|---:|---:|---:|---:|")
    for case, impls in cases.items():
        # ctx_* rows are context, not peers of the target.
        peers = {k: v for k, v in impls.items() if k != "racelens" and not k.startswith("ctx_")}
        faster = min(peers.items(), key=lambda kv: kv[1][0]) if peers else None
        for impl, (med, spread) in impls.items():
            ratio = ""
            if impl == "racelens" and faster:
                r = med / faster[1][0]
                ratio = f"{r:.2f}x vs {faster[0]} ({'meets' if r <= TARGET else 'misses'} <= {TARGET}x)"
            per_item = med * 1e6 / items[case]
            print(f"| {case} | {impl} | {med:.1f} | {per_item:.0f} | ±{spread:.0f}% | {ratio} |")
    print()


if __name__ == "__main__":
    main()
