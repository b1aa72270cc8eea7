#!/usr/bin/env python3
"""Pair each racelens benchmark with its peer and print Markdown tables.

Usage: compare.py RESULTS.json [--title TITLE] [--targets]

RESULTS.json is Google Benchmark's JSON output, e.g. from
  primitives_bench --benchmark_repetitions=5 --benchmark_format=json > RESULTS.json

Benchmarks are named `<Case>/<implementation>[/<suffixes>]` (see
bench/primitives_bench.cpp). `<Case>/racelens/<suffixes>` is paired with the
one other implementation of the same case and suffixes.

Each benchmark's value is the median over its repetitions (the per-repetition
entries; the `_median` aggregate when only aggregates were reported):
  - benchmarks that report items_per_second are throughput benchmarks:
    ratio = racelens throughput / peer throughput (higher is better);
  - the others are latency benchmarks, measured by real time per iteration:
    ratio = racelens time / peer time (lower is better).
The spread column is the largest distance of a repetition from the median,
in percent of the median (racelens / peer).

--targets adds a column with the project's performance targets (they apply to
runs with detection off): Lock time <= 1.2x std::mutex; Queue throughput
>= 0.7x tbb::concurrent_bounded_queue.

Standard library only.
"""

import argparse
import json
import statistics
import sys
from collections import OrderedDict

RACELENS = "racelens"
TIME_UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}

# Case -> (comparison, bound): "max" means ratio <= bound, "min" ratio >= bound.
TARGETS = {
    "Lock_Uncontended": ("max", 1.2),
    "Lock_Contended": ("max", 1.2),
    "Queue_1P1C": ("min", 0.7),
    "Queue_4P4C": ("min", 0.7),
}


def split_name(run_name):
    """'Case/impl/real_time/threads:2' -> ('Case', 'impl', 'real_time/threads:2')."""
    parts = run_name.split("/")
    if len(parts) < 2:
        return None
    return parts[0], parts[1], "/".join(parts[2:])


def value_of(entry):
    """(kind, value): ('throughput', items/s) or ('latency', ns per iteration)."""
    if "items_per_second" in entry:
        return "throughput", float(entry["items_per_second"])
    scale = TIME_UNIT_NS[entry.get("time_unit", "ns")]
    return "latency", float(entry["real_time"]) * scale


def collect(benchmarks):
    """run_name -> (kind, [values], order), from per-repetition entries, else median aggregates.

    `order` is the registration order (family_index), so that tables follow the benchmark file
    even when the repetitions ran interleaved in random order.
    """
    reps = {}
    medians = {}
    for position, b in enumerate(benchmarks):
        if b.get("error_occurred"):
            print(f"warning: {b.get('name')} failed: {b.get('error_message')}", file=sys.stderr)
            continue
        run_name = b.get("run_name", b["name"])
        kind, value = value_of(b)
        order = (b.get("family_index", position), b.get("per_family_instance_index", 0))
        if b.get("run_type", "iteration") == "iteration":
            reps.setdefault(run_name, (kind, [], order))[1].append(value)
        elif b.get("aggregate_name") == "median":
            medians.setdefault(run_name, (kind, [], order))[1].append(value)
    for run_name, got in medians.items():
        reps.setdefault(run_name, got)
    return OrderedDict(sorted(reps.items(), key=lambda item: item[1][2]))


def spread(values, median):
    if len(values) < 2 or median == 0:
        return None
    return max(abs(v - median) for v in values) / median * 100.0


def fmt_latency(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.3g} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.3g} µs"
    return f"{ns:.3g} ns"


def fmt_throughput(per_s):
    for scale, suffix in ((1e9, "G/s"), (1e6, "M/s"), (1e3, "k/s")):
        if per_s >= scale:
            return f"{per_s / scale:.3g} {suffix}"
    return f"{per_s:.3g} /s"


def fmt_spread(a, b):
    def one(x):
        return "–" if x is None else f"±{x:.0f}%"

    return f"{one(a)} / {one(b)}"


def target_cell(case, ratio):
    if case not in TARGETS:
        return ""
    how, bound = TARGETS[case]
    ok = ratio <= bound if how == "max" else ratio >= bound
    sign = "≤" if how == "max" else "≥"
    return f"{sign} {bound:g}×: {'met' if ok else '**missed**'}"


def pair(results):
    """[(case, suffix, peer_impl, kind, racelens_values, peer_values)] in input order."""
    by_key = OrderedDict()
    for run_name, (kind, values, _) in results.items():
        parts = split_name(run_name)
        if parts is None:
            print(f"warning: {run_name}: not named <Case>/<impl>, skipped", file=sys.stderr)
            continue
        case, impl, suffix = parts
        by_key.setdefault((case, suffix), OrderedDict())[impl] = (kind, values)
    rows = []
    for (case, suffix), impls in by_key.items():
        peers = [i for i in impls if i != RACELENS]
        if RACELENS not in impls or len(peers) != 1:
            print(f"warning: {case}/*/{suffix}: expected racelens and one peer, found "
                  f"{', '.join(impls)}; skipped", file=sys.stderr)
            continue
        kind, mine = impls[RACELENS]
        peer_kind, theirs = impls[peers[0]]
        if kind != peer_kind:
            print(f"warning: {case}: racelens and {peers[0]} report different metrics; skipped",
                  file=sys.stderr)
            continue
        rows.append((case, suffix, peers[0], kind, mine, theirs))
    return rows


def table(rows, kind, with_targets):
    if kind == "latency":
        head = ("| Benchmark | Peer | racelens time/op | peer time/op | "
                "Ratio (racelens time / peer time; lower is better) | Spread (racelens / peer) |")
        fmt = fmt_latency
    else:
        head = ("| Benchmark | Peer | racelens items/s | peer items/s | "
                "Ratio (racelens / peer throughput; higher is better) | Spread (racelens / peer) |")
        fmt = fmt_throughput
    if with_targets:
        head += " Target |"
    columns = head.count("|") - 1
    rule = "|" + "|".join(["---"] * 2 + ["---:"] * 3 + ["---"] * (columns - 5)) + "|"
    lines = [head, rule]
    for case, suffix, peer, row_kind, mine, theirs in rows:
        if row_kind != kind:
            continue
        m, t = statistics.median(mine), statistics.median(theirs)
        ratio = m / t if t else float("nan")
        name = case + (f" ({suffix})" if suffix else "")
        cells = [name, peer, fmt(m), fmt(t), f"{ratio:.2f}×", fmt_spread(spread(mine, m),
                                                                       spread(theirs, t))]
        if with_targets:
            cells.append(target_cell(case, ratio))
        lines.append("| " + " | ".join(cells) + " |")
    return lines if len(lines) > 2 else []


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("results", help="Google Benchmark JSON output")
    parser.add_argument("--title", help="heading printed above the tables")
    parser.add_argument("--targets", action="store_true", help="add the performance-target column")
    args = parser.parse_args()

    with open(args.results, encoding="utf-8") as f:
        data = json.load(f)
    context = data.get("context", {})
    rows = pair(collect(data.get("benchmarks", [])))
    if not rows:
        print(f"{args.results}: no racelens/peer pairs found", file=sys.stderr)
        return 1

    per_repetition = any(b.get("run_type", "iteration") == "iteration"
                         for b in data.get("benchmarks", []))
    if per_repetition:
        source = f"medians of {max(len(r[4]) for r in rows)} repetition(s)"
    else:
        source = "the `_median` aggregates"
    options = context.get("RACELENS_OPTIONS", "")
    if args.title:
        print(f"### {args.title}\n")
    print(f"RACELENS_OPTIONS=`{options}`{' (unset: detect=1)' if not options else ''}, "
          f"{context.get('num_cpus', '?')} CPUs at {context.get('mhz_per_cpu', '?')} MHz, "
          f"{source}.\n")
    for kind in ("latency", "throughput"):
        lines = table(rows, kind, args.targets)
        if lines:
            print("\n".join(lines))
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
