#!/usr/bin/env python3
"""Wall time of each sample under schedule=os and under a controlled schedule (issue 7, Speed).

Usage: bench/sample_wall_times.py [--build build/dev] [--runs 3] [--schedule pct] [--seed 1]

Runs every sample binary in BUILD/samples `runs` times under RACELENS_OPTIONS=schedule=os and
`runs` times under schedule=S:seed=N (exit codes are printed, not judged: the racy samples exit
66), and prints a Markdown table of the medians and their ratio. Under a controlled schedule
sleeps and timeouts are virtual, so sleep-bound samples finish far sooner; CPU-bound ones run one
thread at a time and may be slower.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time


def wall_time(program, options):
    env = dict(os.environ, RACELENS_OPTIONS=options)
    start = time.monotonic()
    run = subprocess.run([program], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                         timeout=600)
    return time.monotonic() - start, run.returncode


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build/dev")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--schedule", default="pct", choices=["random", "pct"])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    samples_dir = os.path.join(args.build, "samples")
    names = sorted(n for n in os.listdir(samples_dir)
                   if os.access(os.path.join(samples_dir, n), os.X_OK)
                   and os.path.isfile(os.path.join(samples_dir, n)))
    if not names:
        sys.exit(f"no sample binaries in {samples_dir}; build the dev preset first")
    controlled = f"schedule={args.schedule}:seed={args.seed}"
    print(f"| sample | os (s) | {args.schedule} (s) | os / {args.schedule} | exit os, "
          f"{args.schedule} |")
    print("|---|---:|---:|---:|---|")
    for name in names:
        program = os.path.join(samples_dir, name)
        times = {}
        codes = {}
        for label, options in (("os", "schedule=os"), (args.schedule, controlled)):
            runs = [wall_time(program, options) for _ in range(args.runs)]
            times[label] = statistics.median(t for t, _ in runs)
            codes[label] = sorted({c for _, c in runs})
        ratio = times["os"] / times[args.schedule] if times[args.schedule] > 0 else float("inf")
        print(f"| {name} | {times['os']:.3f} | {times[args.schedule]:.3f} | {ratio:.1f}× | "
              f"{','.join(map(str, codes['os']))}, "
              f"{','.join(map(str, codes[args.schedule]))} |", flush=True)


if __name__ == "__main__":
    main()
