#!/usr/bin/env python3
"""End-to-end tests of `racelens replay` and `racelens explore`.

Usage: replay_test.py --racelens BIN --racy PROG --clean PROG --work DIR
                      [--sample NAME=PROG[:OPTIONS]]... [--seeds N] SCENARIO

replay_sample_NAME: for seeds 1..N, `racelens run --format json --schedule random --seed S`, then
`racelens replay` of what it wrote (or `replay --schedule random --seed S -- PROG` when the run
reported nothing); the replay must say "reproduced" and its JSON, without the pids, must equal the
run's byte for byte. The other scenarios check explore and replay's errors. Each scenario is one
ctest case; it prints what went wrong and exits 1 on failure.
"""
import argparse
import json
import os
import sys

from scenario import check, racelens, run_scenario


def normalised(text):
    """The JSON report lines of `text` without their pid, re-serialised the same way."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("{"):
            continue
        report = json.loads(line)
        report.pop("pid", None)
        lines.append(json.dumps(report, sort_keys=False, separators=(",", ":")))
    return lines


def full_sentence(text):
    """The last line of stderr: 'racelens: <Sentence or clause>.'"""
    line = text.strip().splitlines()[-1] if text.strip() else ""
    return line.startswith("racelens: ") and line.endswith(".") and len(line) > 30


# ---- replay of every racy sample ----------------------------------------------------------------

def replay_sample(args, name):
    spec = next((s for s in args.sample if s.split("=", 1)[0] == name), None)
    check(spec is not None, f"no --sample {name}=PROG given")
    program, _, options = spec.split("=", 1)[1].partition(":")
    reported = 0
    for seed in range(1, args.seeds + 1):
        out = os.path.join(args.work, f"{name}.{seed}.jsonl")
        run = racelens(args, "run", "--format", "json", "--out", out, "--schedule", "random",
                       "--seed", str(seed), "--", program, env_options=options)
        check(os.path.exists(out), f"seed {seed}: run wrote no {out}", run)
        with open(out, encoding="utf-8") as f:
            original = f.read()
        replay_out = os.path.join(args.work, f"{name}.{seed}.replay.jsonl")
        if normalised(original):
            reported += 1
            for report in map(json.loads, original.splitlines()):
                check(report["schedule"]["strategy"] == "random"
                      and report["schedule"]["seed"] == seed
                      and report["schedule"]["replay_command"].startswith(
                          f"racelens replay --schedule random --seed {seed} -- "),
                      f"seed {seed}: the report's schedule is wrong: {report['schedule']}")
            replay = racelens(args, "replay", "--format", "json", "--out", replay_out, out,
                              env_options=options)
            check("racelens: reproduced" in replay.stderr and replay.returncode == run.returncode,
                  f"seed {seed}: replay of {out} did not reproduce (run exited {run.returncode})",
                  replay)
        else:
            replay = racelens(args, "replay", "--format", "json", "--out", replay_out,
                              "--schedule", "random", "--seed", str(seed), "--", program,
                              env_options=options)
            check(replay.returncode == run.returncode,
                  f"seed {seed}: replay exited {replay.returncode}, run {run.returncode}", replay)
        with open(replay_out, encoding="utf-8") as f:
            again = f.read()
        check(normalised(original) == normalised(again),
              f"seed {seed}: the replay's reports differ\n--- run\n{original}\n--- replay\n{again}")
    check(reported > 0, f"{name} reported nothing under seeds 1..{args.seeds}")
    print(f"{name}: {reported} of {args.seeds} seeds reported; every replay matched")


# ---- replay errors ------------------------------------------------------------------------------

def racy_report_file(args):
    out = os.path.join(args.work, "racy.jsonl")
    run = racelens(args, "run", "--format", "json", "--out", out, "--schedule", "random",
                   "--seed", "3", "--", args.racy)
    check(run.returncode == 66 and normalised(open(out, encoding="utf-8").read()),
          "the racy program must report under schedule=random", run)
    return out


def replay_reproduces_text_and_prints_the_command(args):
    out = racy_report_file(args)
    replay = racelens(args, "replay", out)
    check(replay.returncode == 66, "a reproduced replay keeps the findings status 66", replay)
    check("WARNING: racelens: data race" in replay.stderr, "the report must be printed", replay)
    check("Replay: racelens replay --schedule random --seed 3 -- " in replay.stderr,
          "the text report must print its replay command", replay)
    check("racelens: reproduced: the replay gave the same" in replay.stderr,
          "the replay must say it reproduced", replay)


def replay_from_options_runs_the_program(args):
    replay = racelens(args, "replay", "--schedule", "random", "--seed", "3", "--format", "json",
                      "--", args.racy)
    check(replay.returncode == 66 and normalised(replay.stderr), "replay must report", replay)
    check(replay.stdout.startswith("counter = "), "the program's stdout must pass through", replay)


def replay_of_a_changed_report_diverges(args):
    out = racy_report_file(args)
    lines = open(out, encoding="utf-8").read().splitlines()
    report = json.loads(lines[0])
    report["title"] = "data race on 'something else'"
    lines[0] = json.dumps(report)
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    replay = racelens(args, "replay", out)
    check(replay.returncode == 1, "a diverged replay must exit 1", replay)
    check("racelens: diverged:" in replay.stderr and "something else" in replay.stderr,
          "the replay must say it diverged and where", replay)


def replay_errors_are_sentences(args):
    missing = os.path.join(args.work, "missing.jsonl")
    malformed = os.path.join(args.work, "malformed.jsonl")
    with open(malformed, "w", encoding="utf-8") as f:
        f.write("{not json\n")
    empty = os.path.join(args.work, "empty.jsonl")
    open(empty, "w", encoding="utf-8").close()
    os_report = os.path.join(args.work, "os.jsonl")
    run = racelens(args, "run", "--format", "json", "--out", os_report, "--", args.racy)
    check(run.returncode == 66, "the racy program must report under schedule=os", run)
    no_schedule = os.path.join(args.work, "no_schedule.jsonl")
    report = json.loads(open(os_report, encoding="utf-8").readline())
    del report["schedule"]
    with open(no_schedule, "w", encoding="utf-8") as f:
        f.write(json.dumps(report) + "\n")
    cases = [
        (["replay", missing], "cannot read the report file"),
        (["replay", malformed], "is not a racelens report"),
        (["replay", empty], "holds no report"),
        (["replay", os_report], "schedule=os, which cannot be replayed"),
        (["replay", no_schedule], "'schedule'"),
        (["replay", "--index", "5", racy_report_file(args)], "out of range"),
        (["replay", "--seed", "3", "--", args.racy], "needs both --schedule and --seed"),
        (["replay", "a.jsonl", "b.jsonl"], "one report file"),
    ]
    for cmd, expected in cases:
        run = racelens(args, *cmd)
        check(run.returncode == 2, f"{cmd} must be a usage error (exit 2)", run)
        check(expected in run.stderr, f"{cmd} must say '{expected}'", run)
        check(full_sentence(run.stderr), f"{cmd} must end with a full sentence", run)
    run = racelens(args, "replay", "--schedule", "os", "--seed", "1", "--", args.racy)
    check(run.returncode == 2 and "--schedule" in run.stderr,
          "replay --schedule os must be a usage error naming the option", run)


# ---- explore ------------------------------------------------------------------------------------

def explore_finds_the_race_and_its_replay_reproduces(args):
    run = racelens(args, "explore", "-n", "5", "--", args.racy)
    check(run.returncode == 66, "explore must exit 66 when a run reports", run)
    check("WARNING: racelens: data race" in run.stderr, "the report must be printed", run)
    check("racelens: found data-race after 1 run (seed 1)" in run.stderr,
          "explore must say what it found and where", run)
    check(run.stdout.startswith("counter = "), "the reporting run's output must be shown", run)
    replay_line = next((line for line in run.stderr.splitlines()
                        if line.startswith("racelens: replay: racelens replay ")), None)
    check(replay_line is not None, "explore must print the replay command", run)
    words = replay_line.split()[4:]  # --schedule random --seed 1 -- PROG
    check(words[:4] == ["--schedule", "random", "--seed", "1"] and words[4] == "--",
          f"unexpected replay command {replay_line}", run)
    replay = racelens(args, "replay", "--format", "json", *words)
    check(replay.returncode == 66 and normalised(replay.stderr), "the replay must report", replay)


def explore_clean_program_finds_nothing(args):
    program = args.clean
    for spec in args.sample:
        if spec.startswith("lock_counter="):
            program = spec.split("=", 1)[1].partition(":")[0]
    run = racelens(args, "explore", "-n", "3", "--", program)
    check(run.returncode == 0, "explore of a clean program must exit 0", run)
    check("racelens: no report in 3 runs" in run.stderr, "explore must say it found nothing", run)
    check(run.stdout == "", "the output of runs without a report must not be shown", run)


def explore_bad_schedule_is_a_usage_error(args):
    run = racelens(args, "explore", "--schedule", "os", "--", args.racy)
    check(run.returncode == 2, "explore --schedule os must be a usage error", run)


SCENARIOS = {f.__name__: f for f in [
    replay_reproduces_text_and_prints_the_command, replay_from_options_runs_the_program,
    replay_of_a_changed_report_diverges, replay_errors_are_sentences,
    explore_finds_the_race_and_its_replay_reproduces, explore_clean_program_finds_nothing,
    explore_bad_schedule_is_a_usage_error]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--racelens", required=True)
    parser.add_argument("--racy", required=True)
    parser.add_argument("--clean", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--sample", action="append", default=[],
                        help="NAME=PROGRAM[:RACELENS_OPTIONS], a racy sample to replay")
    parser.add_argument("scenario")
    args = parser.parse_args()
    samples = {spec.split("=", 1)[0] for spec in args.sample}
    scenarios = dict(SCENARIOS)
    if args.scenario.startswith("replay_sample_"):
        name = args.scenario[len("replay_sample_"):]
        if name not in samples:
            parser.error(f"no --sample {name}=PROG given")
        scenarios[args.scenario] = lambda args: replay_sample(args, name)
    elif args.scenario not in SCENARIOS:
        parser.error(f"unknown scenario {args.scenario}")
    return run_scenario(scenarios, args)

if __name__ == "__main__":
    sys.exit(main())
