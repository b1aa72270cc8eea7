#!/usr/bin/env python3
"""Runs the samples under `racelens run` (and the checker over their sources) and compares what
is found with samples/expected.json.

  check_samples.py --racelens BIN --samples DIR --expected JSON [--runs N] [--only NAME ...]
                   [--checker BUILD_DIR] [--print-checker] [--table] [--jobs N]

For each sample: every one of --runs runs must report exactly what expected.json lists under
"runtime" (below), and exit with "exit"; with --checker, `racelens check -p BUILD_DIR` over the
sample's source must flag exactly its "checker" entries. Prints one line per sample (a table with
--table) and exits 0 only when every sample matches.

Matching a run's reports against the expected entries ({"kind", "names", "sites", "message"}):
every report must match an entry — the same kind, the same names (the objects of its accesses,
or the locks of a lock-order inversion), a non-empty set of sites (the innermost frames of its
accesses and lock-order edges, as file:line) that all lie among the entry's sites, and the
entry's message when it has one — and every entry must be matched by at least one report. So a
race seen from two pairs of lines is two reports matching one entry; a report at a site nobody
expected is a mismatch.
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time


def report_names(report):
    if report["kind"] == "lock-order-inversion":
        return sorted({lock["name"] for lock in report["locks"]})
    return sorted({a["object"] for a in report["accesses"] if a["object"]})


def report_sites(report):
    stacks = report["stacks"]
    sites = set()
    indices = [a["stack"] for a in report["accesses"]]
    for edge in report["edges"]:
        indices += [edge["to_acquired"]]
    for index in indices:
        if stacks[index]:
            frame = stacks[index][0]
            sites.add(f"{os.path.basename(frame['file'])}:{frame['line']}")
    return sites


def matches(report, entry):
    if report["kind"] != entry["kind"]:
        return False
    if "names" in entry and report_names(report) != sorted(entry["names"]):
        return False
    if "message" in entry and report["message"] != entry["message"]:
        return False
    sites = report_sites(report)
    return bool(sites) and sites <= set(entry["sites"])


def describe(report):
    names = ",".join(report_names(report))
    sites = " ".join(sorted(report_sites(report)))
    return f"{report['kind']}({names}) at {sites or 'no site'}"


def compare_reports(reports, entries):
    """'' when the reports match the entries, else what differs."""
    problems = []
    for report in reports:
        if not any(matches(report, entry) for entry in entries):
            problems.append(f"unexpected {describe(report)}")
    for entry in entries:
        if not any(matches(report, entry) for report in reports):
            names = ",".join(entry.get("names", []))
            problems.append(f"missing {entry['kind']}({names}) at {' '.join(entry['sites'])}")
    return "; ".join(problems)


def run_once(args, name, spec):
    env = dict(os.environ)
    env.pop("RACELENS_OPTIONS", None)
    if spec.get("options"):
        env["RACELENS_OPTIONS"] = spec["options"]
    command = [args.racelens, "run", "--format", "json", "--", os.path.join(args.samples, name)]
    command += spec.get("args", [])
    run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300,
                         stdin=subprocess.DEVNULL)
    reports = []
    for line in run.stderr.splitlines():
        if line.startswith("{"):
            reports.append(json.loads(line))
    problem = compare_reports(reports, spec.get("runtime", []))
    expected_exit = spec.get("exit", 66 if spec.get("runtime") else 0)
    if run.returncode != expected_exit:
        problem = "; ".join(filter(None, [problem, f"exit status {run.returncode}, expected "
                                          f"{expected_exit}"]))
        tail = "\n".join(run.stderr.splitlines()[-5:])
        problem += f"\n    stderr: {tail}"
    return reports, problem


def check_runtime(args, name, spec):
    """(summary of what was found, '' or the first problem, runs done)."""
    found = set()
    if args.runs == 0:
        return "not run", "", 0
    for run in range(args.runs):
        reports, problem = run_once(args, name, spec)
        found |= {f"{r['kind']}({','.join(report_names(r))})" for r in reports}
        if problem:
            return ", ".join(sorted(found)) or "nothing", f"run {run + 1}: {problem}", run + 1
    return ", ".join(sorted(found)) or "nothing", "", args.runs


CHECK_LINE = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):\d+: warning: .* \[(?P<check>[\w-]+)\]$")


def run_checker(args, names):
    """{sample name: sorted [(check, line)]} from one `racelens check` over their sources."""
    sources = [os.path.join(args.source_dir, "samples", f"{name}.cpp") for name in names]
    run = subprocess.run([args.racelens, "check", "-p", args.checker, *sources],
                         capture_output=True, text=True)
    if run.returncode not in (0, 66):
        sys.exit(f"check_samples: racelens check failed ({run.returncode}):\n{run.stderr}")
    if args.print_checker:
        print(run.stdout + run.stderr, end="", flush=True)
    found = {name: [] for name in names}
    for line in run.stdout.splitlines():
        m = CHECK_LINE.match(line)
        if not m:
            continue
        name = os.path.splitext(os.path.basename(m["file"]))[0]
        if name in found:
            found[name].append((m["check"], int(m["line"])))
    return {name: sorted(hits) for name, hits in found.items()}


def short_checks(checks):
    """'event-wait-clear, unguarded-shared-write x2' for a list of (check, line)."""
    counts = {}
    for check, _ in checks:
        name = check.removeprefix("racelens-")
        counts[name] = counts.get(name, 0) + 1
    return ", ".join(n + (f" x{c}" if c > 1 else "") for n, c in counts.items()) or "nothing"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--racelens", required=True)
    parser.add_argument("--samples", required=True, help="directory of the built samples")
    parser.add_argument("--expected", required=True)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--checker", help="build directory for `racelens check -p`")
    parser.add_argument("--source-dir", default=os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))))
    parser.add_argument("--table", action="store_true")
    parser.add_argument("--print-checker", action="store_true",
                        help="also print racelens check's own output")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()

    with open(args.expected, encoding="utf-8") as f:
        expected = {k: v for k, v in json.load(f).items() if not k.startswith("_")}
    names = args.only or sorted(expected)
    unknown = [n for n in names if n not in expected]
    if unknown:
        sys.exit(f"check_samples: {', '.join(unknown)} not in {args.expected}")

    checker_found = run_checker(args, names) if args.checker else {}
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        results = dict(zip(names, pool.map(lambda n: check_runtime(args, n, expected[n]), names)))

    rows, failures = [], 0
    for name in names:
        spec = expected[name]
        found, problem, runs = results[name]
        want = ", ".join(f"{e['kind']}({','.join(e.get('names', []))})"
                         for e in spec.get("runtime", [])) or "nothing"
        if args.checker:
            want_checks = sorted((c["check"], c["line"]) for c in spec.get("checker", []))
            got_checks = checker_found[name]
            if got_checks != want_checks:
                problem = "; ".join(filter(None, [problem, f"checker found {got_checks}, "
                                                  f"expected {want_checks}"]))
            want += " + " + short_checks(want_checks)
            found += " + " + short_checks(got_checks)
        ok = not problem
        failures += not ok
        rows.append((name, want, "as expected" if ok else found, "yes" if ok else "NO", problem,
                     runs))

    tty = sys.stdout.isatty()
    green, red, reset = ("\033[32m", "\033[31m", "\033[0m") if tty else ("", "", "")
    if args.table:
        widths = [max(len(r[i]) for r in rows + [("sample", "expected: runtime + checker",
                                                    "found", "ok")]) for i in range(3)]
        header = ("sample", "expected: runtime + checker" if args.checker else "expected",
                  "found", "ok")
        print(" | ".join(h.ljust(w) for h, w in zip(header, widths + [2])))
        print("-+-".join("-" * w for w in widths + [2]))
        for name, want, found, ok, problem, _ in rows:
            colour = green if ok == "yes" else red
            print(" | ".join([name.ljust(widths[0]), want.ljust(widths[1]),
                              found.ljust(widths[2]), f"{colour}{ok}{reset}"]))
        for name, _, _, ok, problem, _ in rows:
            if problem:
                print(f"{red}{name}{reset}: {problem}")
    else:
        for name, want, found, ok, problem, runs in rows:
            print(f"{name}: {'ok' if ok == 'yes' else 'MISMATCH'} after {runs} run(s): "
                  f"expected {want}; found {found}" + (f"\n  {problem}" if problem else ""))
    elapsed = time.monotonic() - started
    summary = (f"{len(rows) - failures} of {len(rows)} samples match samples/expected.json "
               f"({args.runs} run{'s' if args.runs != 1 else ''} each, {elapsed:.0f} s)")
    print((green if not failures else red) + summary + reset)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
