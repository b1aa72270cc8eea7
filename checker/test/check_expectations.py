#!/usr/bin/env python3
"""Runs one racelens check over a test source and compares its diagnostics with the source's
inline expectations. Fails on any missing or unexpected warning.

Markers in the test source:
  // case bad: <what>     starts a case that must produce at least one expected warning
  // case good: <what>    starts a case that must produce none
  // expect-warning: <text>   on the line the warning points at; <text> must occur in the
                              message (several markers on one line expect several warnings)
  // expect-note: <text>      a note must point at this line with <text> in its message
Notes without an expect-note marker are allowed; warnings without a marker are not.

Usage: check_expectations.py --clang-tidy BIN --plugin LIB --check racelens-x
                             --mocks DIR [--min-cases N] [--config YAML] SOURCE
"""
import argparse
import re
import subprocess
import sys

MARKER = re.compile(r"//\s*expect-(warning|note):\s*(.*?)\s*(?=//\s*expect-|$)")
CASE = re.compile(r"//\s*case (bad|good):")
DIAG = re.compile(r"^(.*?):(\d+):(\d+): (warning|note|error): (.*?)(?: \[([\w.,-]+)\])?$")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clang-tidy", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--check", required=True)
    parser.add_argument("--mocks", required=True)
    parser.add_argument("--min-cases", type=int, default=0)
    parser.add_argument("--config", help="clang-tidy -config value (check options)")
    parser.add_argument("source")
    args = parser.parse_args()

    with open(args.source, encoding="utf-8") as f:
        lines = f.read().splitlines()
    expected = {"warning": [], "note": []}  # (line, text, matched)
    cases = []  # [kind, first line, description]
    for number, line in enumerate(lines, start=1):
        if CASE.search(line):
            kind = CASE.search(line).group(1)
            cases.append([kind, number, line.split(":", 1)[1].strip()])
        for kind, text in MARKER.findall(line):
            expected[kind].append([number, text.strip(), False])

    command = [args.clang_tidy, f"--load={args.plugin}", f"-checks=-*,{args.check}", "--quiet"]
    if args.config:
        command.append(f"-config={args.config}")
    command += [args.source, "--", "-std=c++20", "-isystem", args.mocks]
    run = subprocess.run(command, capture_output=True, text=True)
    problems = []
    seen = 0
    for out_line in run.stdout.splitlines():
        match = DIAG.match(out_line)
        if not match:
            continue
        path, line, _col, kind, message, check = match.groups()
        if not path.endswith(args.source.split("/")[-1]):
            if kind != "note":
                problems.append(f"diagnostic outside the test source: {out_line}")
            continue
        line = int(line)
        if kind == "error":
            problems.append(f"compile error: {out_line}")
            continue
        if kind == "warning":
            seen += 1
            if check != args.check:
                problems.append(f"warning from another check: {out_line}")
                continue
        for item in expected[kind]:
            if not item[2] and item[0] == line and item[1] in message:
                item[2] = True
                break
        else:
            if kind == "warning":
                problems.append(f"unexpected warning at line {line}: {message}")
    for kind in ("warning", "note"):
        for line, text, matched in expected[kind]:
            if not matched:
                problems.append(f"missing {kind} at line {line}: '{text}'")
    if run.returncode != 0 and not problems:
        problems.append(f"clang-tidy exited with {run.returncode}:\n{run.stderr}")

    # Every case must behave as labelled, so that the counts below mean something.
    bounds = [c[1] for c in cases] + [len(lines) + 1]
    for index, (kind, first, what) in enumerate(cases):
        inside = [w for w in expected["warning"] if first <= w[0] < bounds[index + 1]]
        if kind == "bad" and not inside:
            problems.append(f"bad case at line {first} ({what}) expects no warning")
        if kind == "good" and inside:
            problems.append(f"good case at line {first} ({what}) expects a warning")
    bad = sum(1 for c in cases if c[0] == "bad")
    good = sum(1 for c in cases if c[0] == "good")
    if bad < args.min_cases or good < args.min_cases:
        problems.append(f"{bad} bad and {good} good cases; at least {args.min_cases} of each needed")

    print(f"{args.check}: {bad} bad cases, {good} good cases, {seen} warnings, "
          f"{len(expected['warning'])} expected")
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems))
        print("clang-tidy output:\n" + run.stdout + run.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
