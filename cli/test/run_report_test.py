#!/usr/bin/env python3
"""End-to-end tests of `racelens run` and `racelens report`: pass-through, exit statuses, formats,
bad arguments and bad input files.

Usage: run_report_test.py --racelens BIN --clean PROG --racy PROG --forking PROG --work DIR
                          [--multitool JS] SCENARIO
Each scenario is one ctest case; it prints what went wrong and exits 1 on failure.
"""
import argparse
import glob
import json
import os
import subprocess
import sys

from scenario import check, racelens, run_scenario


def json_reports(text):
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def sarif_problems(args, path):
    """The SARIF Multitool's errors (it exits 0 even on invalid logs); [] when it is absent."""
    if not args.multitool or not os.path.exists(args.multitool):
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
        return [] if log.get("version") == "2.1.0" else ["not a SARIF 2.1.0 log"]
    out = path + ".validation.sarif"
    run = subprocess.run(["node", args.multitool, "validate", path, "--output", out, "--log",
                          "ForceOverwrite"], capture_output=True, text=True)
    if run.returncode != 0 or not os.path.exists(out):
        return [f"sarif-multitool did not run: {run.stdout}{run.stderr}"]
    with open(out, encoding="utf-8") as f:
        log = json.load(f)
    return [r["message"]["text"] for r in log["runs"][0].get("results", [])
            if r.get("level") in ("error", "warning")]


def saved_reports(args):
    """Runs the racy program with report_path itself and returns its <pid>.jsonl file."""
    reports = os.path.join(args.work, "saved")
    os.makedirs(reports)
    env = dict(os.environ, RACELENS_OPTIONS=f"report_path={reports}")
    subprocess.run([args.racy], capture_output=True, env=env, timeout=120)
    files = glob.glob(os.path.join(reports, "*.jsonl"))
    check(len(files) == 1, f"expected one saved report file, found {files}")
    return files[0]


# ---- run ----------------------------------------------------------------------------------------

def run_clean_passes_output_and_status(args):
    run = racelens(args, "run", "--", args.clean, "7", stdin="world\n")
    check(run.returncode == 7, "a clean program's exit status must pass through", run)
    check(run.stdout == "hello world\n", "the program's stdout must pass through unchanged", run)
    check(run.stderr == "a line on stderr\n", "a clean run must add nothing to stderr", run)


def run_racy_exits_66_with_text_report(args):
    run = racelens(args, "run", "--", args.racy)
    check(run.returncode == 66, "a run with findings must exit 66", run)
    check(run.stdout == "counter = 20\n" or run.stdout.startswith("counter = "),
          "the program's stdout must pass through", run)
    check("WARNING: racelens: data race on 'counter'" in run.stderr, "no text report", run)
    check("racelens: 1 report" in run.stderr, "no report count", run)


def run_json_format_gives_one_object_per_line(args):
    run = racelens(args, "run", "--format", "json", "--", args.racy)
    check(run.returncode == 66, "a run with findings must exit 66", run)
    reports = json_reports(run.stderr)
    check(len(reports) == 1 and reports[0]["kind"] == "data-race", "expected one data-race", run)
    check(any(a["object"] == "counter" for a in reports[0]["accesses"]),
          "the race must name 'counter'", run)


def run_sarif_out_is_valid(args):
    out = os.path.join(args.work, "run.sarif")
    run = racelens(args, "run", "--format", "sarif", "--out", out, "--", args.racy)
    check(run.returncode == 66, "a run with findings must exit 66", run)
    check("WARNING" not in run.stderr, "--out must take the reports off stderr", run)
    problems = sarif_problems(args, out)
    check(not problems, f"invalid SARIF: {problems}")
    with open(out, encoding="utf-8") as f:
        results = json.load(f)["runs"][0]["results"]
    check(len(results) == 1 and results[0]["ruleId"] == "data-race", f"results: {results}")


def run_clean_with_out_writes_an_empty_log(args):
    out = os.path.join(args.work, "clean.sarif")
    run = racelens(args, "run", "--format", "sarif", "--out", out, "--", args.clean)
    check(run.returncode == 0, "a clean run must exit with the program's status", run)
    with open(out, encoding="utf-8") as f:
        check(json.load(f)["runs"][0]["results"] == [], "a clean run's log has no results")


def run_exitcode_option_is_respected(args):
    run = racelens(args, "run", "--", args.racy, env_options="exitcode=3")
    check(run.returncode == 3, "exitcode=3 must make a run with findings exit 3", run)
    run = racelens(args, "run", "--", args.racy, env_options="exitcode=0")
    check(run.returncode == 0, "exitcode=0 keeps the program's own status", run)
    check("data race" in run.stderr, "exitcode=0 still shows the report", run)


def run_keeps_user_options_and_replaces_report_path(args):
    run = racelens(args, "run", "--", args.racy,
                   env_options="history=0:report_path=/nonexistent:format=json")
    check(run.returncode == 66, "the run must still collect reports", run)
    check("WARNING: racelens: data race" in run.stderr, "the text format must win", run)
    run = racelens(args, "run", "--", args.racy, env_options="bogus=1")
    check(run.returncode == 2 and "bogus" in run.stderr,
          "the user's bad option must still reach the runtime and be rejected by name", run)


def run_missing_program_is_a_usage_error(args):
    run = racelens(args, "run", "--", os.path.join(args.work, "no-such-program"))
    check(run.returncode == 2, "a program that cannot start is a usage error", run)
    check("cannot run" in run.stderr and "No such file" in run.stderr, "unclear message", run)


def run_killed_program_exits_128_plus_signal(args):
    run = racelens(args, "run", "--", "sh", "-c", "kill -KILL $$")
    check(run.returncode == 128 + 9, "a program killed by SIGKILL gives 137", run)
    check("killed by signal 9" in run.stderr, "the signal must be named", run)


def run_without_a_program_is_a_usage_error(args):
    run = racelens(args, "run")
    check(run.returncode == 2, "run without a program is a usage error", run)


def run_bad_format_is_a_usage_error(args):
    run = racelens(args, "run", "--format", "xml", "--", args.clean)
    check(run.returncode == 2 and "xml" in run.stderr, "--format xml must be refused", run)


def run_bad_schedule_is_a_usage_error(args):
    run = racelens(args, "run", "--schedule", "fifo", "--", args.clean)
    check(run.returncode == 2 and "fifo" in run.stderr, "--schedule fifo must be refused", run)


def run_collects_reports_of_child_processes(args):
    run = racelens(args, "run", "--format", "json", "--", args.forking)
    check(run.returncode == 66, "a finding in a child process must make the run exit 66", run)
    check("child exitcode 66" in run.stdout,
          "the child that reported must end with the report exit code", run)
    reports = json_reports(run.stderr)
    check(len(reports) == 1 and reports[0]["message"] == "release unlocked lock",
          "the child's misuse must be collected from its own <pid>.jsonl", run)


def run_help_exits_zero(args):
    run = racelens(args, "run", "--help")
    check(run.returncode == 0 and "--format" in run.stdout, "run --help must describe it", run)


# ---- report -------------------------------------------------------------------------------------

def report_renders_saved_reports(args):
    saved = saved_reports(args)
    run = racelens(args, "report", saved)
    check(run.returncode == 66, "report must exit 66 when the file holds reports", run)
    check("WARNING: racelens: data race on 'counter'" in run.stdout, "no text rendering", run)
    run = racelens(args, "report", "--format", "json", saved)
    with open(saved, encoding="utf-8") as f:
        original = [json.loads(line) for line in f if line.strip()]
    check(json_reports(run.stdout) == original, "json must round-trip the saved reports", run)
    out = os.path.join(args.work, "report.sarif")
    run = racelens(args, "report", "--format", "sarif", "--out", out, saved)
    check(run.returncode == 66 and run.stdout == "", "--out must take the output", run)
    problems = sarif_problems(args, out)
    check(not problems, f"invalid SARIF: {problems}")


def report_empty_file_exits_zero(args):
    os.makedirs(args.work)
    empty = os.path.join(args.work, "empty.jsonl")
    open(empty, "w", encoding="utf-8").close()
    run = racelens(args, "report", empty)
    check(run.returncode == 0 and "racelens: 0 reports" in run.stdout, "an empty file is clean",
          run)


def report_malformed_line_names_file_and_line(args):
    saved = saved_reports(args)
    bad = os.path.join(args.work, "bad.jsonl")
    with open(saved, encoding="utf-8") as f:
        good = f.read()
    with open(bad, "w", encoding="utf-8") as f:
        f.write(good + '{"kind": "data-race"}\n')
    run = racelens(args, "report", bad)
    check(run.returncode == 2, "a malformed file is a usage error", run)
    check(f"{bad}:2 is not a racelens report" in run.stderr, "the line must be named", run)
    with open(bad, "w", encoding="utf-8") as f:
        f.write("not json\n")
    run = racelens(args, "report", bad)
    check(run.returncode == 2 and f"{bad}:1" in run.stderr, "non-JSON must be named", run)


def report_missing_file_is_a_usage_error(args):
    run = racelens(args, "report", os.path.join(args.work, "missing.jsonl"))
    check(run.returncode == 2, "a missing file is a usage error", run)


def report_help_exits_zero(args):
    run = racelens(args, "report", "--help")
    check(run.returncode == 0 and "--format" in run.stdout, "report --help must describe it", run)


SCENARIOS = {f.__name__: f for f in [
    run_clean_passes_output_and_status, run_racy_exits_66_with_text_report,
    run_json_format_gives_one_object_per_line, run_sarif_out_is_valid,
    run_clean_with_out_writes_an_empty_log, run_exitcode_option_is_respected,
    run_keeps_user_options_and_replaces_report_path, run_missing_program_is_a_usage_error,
    run_killed_program_exits_128_plus_signal, run_without_a_program_is_a_usage_error,
    run_bad_format_is_a_usage_error, run_bad_schedule_is_a_usage_error, run_help_exits_zero,
    run_collects_reports_of_child_processes,
    report_renders_saved_reports, report_empty_file_exits_zero,
    report_malformed_line_names_file_and_line, report_missing_file_is_a_usage_error,
    report_help_exits_zero]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--racelens", required=True)
    parser.add_argument("--clean", required=True)
    parser.add_argument("--racy", required=True)
    parser.add_argument("--forking", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--multitool")
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    args = parser.parse_args()
    return run_scenario(SCENARIOS, args,
                        make_work_dir=args.scenario != "report_empty_file_exits_zero")


if __name__ == "__main__":
    sys.exit(main())
