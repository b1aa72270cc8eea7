#!/usr/bin/env python3
"""End-to-end tests of `racelens replay` and `racelens explore`.

Usage: replay_test.py --racelens BIN --racy PROG --clean PROG --work DIR
                      [--sample NAME=PROG[:OPTIONS]]... [--seeds N] SCENARIO

replay_sample_NAME: for seeds 1..N, `racelens run --format json --schedule random --seed S`, then
`racelens replay` of what it wrote (or `replay --schedule random --seed S -- PROG` when the run
reported nothing); the replay must say "reproduced" and its JSON, without the pids, must equal the
run's byte for byte. replay_pct_NAME: the same under `--schedule pct` (the runtime's default
pct_depth and pct_steps), whose reports must also carry schedule.depth and schedule.steps and name
them in their replay command. The other scenarios check explore and replay's errors. Each scenario
is one ctest case; it prints what went wrong and exits 1 on failure.
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

# The runtime's defaults (docs/options.md), which pct reports carry when the run does not set them.
PCT_DEFAULT_DEPTH = 3
PCT_DEFAULT_STEPS = 100


def check_schedule(report, schedule, seed, depth=PCT_DEFAULT_DEPTH, steps=PCT_DEFAULT_STEPS):
    """A report's schedule object: strategy, seed, and under pct depth and steps, all named in
    its replay command; under random no depth nor steps."""
    got = report["schedule"]
    command = f"racelens replay --schedule {schedule} --seed {seed} "
    if schedule == "pct":
        check(got.get("depth") == depth and got.get("steps") == steps,
              f"seed {seed}: a pct report must carry depth {depth} and steps {steps}: {got}")
        command += f"--pct-depth {depth} --pct-steps {steps} "
    else:
        check("depth" not in got and "steps" not in got,
              f"seed {seed}: a {schedule} report must not carry depth or steps: {got}")
    check(got["strategy"] == schedule and got["seed"] == seed
          and got["replay_command"].startswith(command + "-- "),
          f"seed {seed}: the report's schedule is wrong (want '{command}-- ...'): {got}")


def replay_sample(args, name, schedule):
    spec = next((s for s in args.sample if s.split("=", 1)[0] == name), None)
    check(spec is not None, f"no --sample {name}=PROG given")
    program, _, options = spec.split("=", 1)[1].partition(":")
    silent = []
    for seed in range(1, args.seeds + 1):
        out = os.path.join(args.work, f"{name}.{schedule}.{seed}.jsonl")
        run = racelens(args, "run", "--format", "json", "--out", out, "--schedule", schedule,
                       "--seed", str(seed), "--", program, env_options=options)
        check(os.path.exists(out), f"seed {seed}: run wrote no {out}", run)
        with open(out, encoding="utf-8") as f:
            original = f.read()
        replay_out = os.path.join(args.work, f"{name}.{schedule}.{seed}.replay.jsonl")
        if normalised(original):
            for report in map(json.loads, original.splitlines()):
                check_schedule(report, schedule, seed)
            replay = racelens(args, "replay", "--format", "json", "--out", replay_out, out,
                              env_options=options)
            check("racelens: reproduced" in replay.stderr and replay.returncode == run.returncode,
                  f"seed {seed}: replay of {out} did not reproduce (run exited {run.returncode})",
                  replay)
        else:
            silent.append(seed)
            replay = racelens(args, "replay", "--format", "json", "--out", replay_out,
                              "--schedule", schedule, "--seed", str(seed), "--", program,
                              env_options=options)
            check(replay.returncode == run.returncode,
                  f"seed {seed}: replay exited {replay.returncode}, run {run.returncode}", replay)
        with open(replay_out, encoding="utf-8") as f:
            again = f.read()
        check(normalised(original) == normalised(again),
              f"seed {seed}: the replay's reports differ\n--- run\n{original}\n--- replay\n{again}")
    reported = args.seeds - len(silent)
    check(reported > 0, f"{name} reported nothing under schedule={schedule}, seeds 1..{args.seeds}")
    print(f"{name} under schedule={schedule}: {reported} of {args.seeds} seeds reported"
          + (f" (none under seeds {', '.join(map(str, silent))}, nor their replays)" if silent
             else "") + "; every replay matched")


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


def explore_pct_finds_the_race_and_its_replay_reproduces(args):
    out = os.path.join(args.work, "explore_pct.jsonl")
    run = racelens(args, "explore", "-n", "20", "--schedule", "pct", "--format", "json", "--out",
                   out, "--", args.racy)
    check(run.returncode == 66, "explore --schedule pct must exit 66 when a run reports", run)
    found = next((line for line in run.stderr.splitlines()
                  if line.startswith("racelens: found data-race after ")), None)
    check(found is not None, "explore must say what it found and where", run)
    seed = int(found.rsplit("(seed ", 1)[1].rstrip(")"))
    reports = [json.loads(line) for line in open(out, encoding="utf-8").read().splitlines()]
    check(reports, f"explore wrote no report to {out}", run)
    for report in reports:
        check_schedule(report, "pct", seed)
    replay_line = next((line for line in run.stderr.splitlines()
                        if line.startswith("racelens: replay: racelens replay ")), None)
    check(replay_line == "racelens: replay: " + reports[0]["schedule"]["replay_command"],
          "explore must print the report's replay command", run)
    words = replay_line.split()[4:]  # --schedule pct --seed S --pct-depth 3 --pct-steps 100 -- P
    check(words[:9] == ["--schedule", "pct", "--seed", str(seed), "--pct-depth",
                        str(PCT_DEFAULT_DEPTH), "--pct-steps", str(PCT_DEFAULT_STEPS), "--"],
          f"unexpected replay command {replay_line}", run)
    replay = racelens(args, "replay", "--format", "json", *words)
    check(replay.returncode == 66 and normalised(replay.stderr) == normalised(
        open(out, encoding="utf-8").read()), "the replay must give the same reports", replay)
    again = racelens(args, "replay", out)
    check(again.returncode == 66 and "racelens: reproduced" in again.stderr,
          "replay of explore's report file must reproduce", again)


def pct_depth_and_steps_pass_through_run_and_replay(args):
    out = os.path.join(args.work, "pct_flags.jsonl")
    reports = []
    seed = 0
    while not reports and seed < 20:
        seed += 1
        run = racelens(args, "run", "--format", "json", "--out", out, "--schedule", "pct",
                       "--seed", str(seed), "--pct-depth", "2", "--pct-steps", "50", "--",
                       args.racy)
        reports = [json.loads(line) for line in open(out, encoding="utf-8").read().splitlines()]
    check(reports, "the racy program reported nothing under pct_depth=2:pct_steps=50, seeds 1..20")
    for report in reports:
        check_schedule(report, "pct", seed, depth=2, steps=50)
    replay = racelens(args, "replay", "--format", "json", out)
    check(replay.returncode == 66 and "racelens: reproduced" in replay.stderr
          and normalised(replay.stderr) == normalised(open(out, encoding="utf-8").read()),
          "replay of a pct_depth=2:pct_steps=50 report must reproduce it", replay)
    # The flags win over RACELENS_OPTIONS, as --pct-depth does.
    again = racelens(args, "replay", "--format", "json", "--schedule", "pct", "--seed", str(seed),
                     "--pct-depth", "2", "--pct-steps", "50", "--", args.racy,
                     env_options="pct_depth=5:pct_steps=7")
    check(normalised(again.stderr) == normalised(open(out, encoding="utf-8").read()),
          "--pct-depth and --pct-steps must replace the keys of RACELENS_OPTIONS", again)
    for cmd in (["run", "--pct-steps", "0", "--", args.racy],
                ["replay", "--schedule", "pct", "--seed", "1", "--pct-steps", "x", "--", args.racy],
                ["explore", "--schedule", "pct", "--pct-steps", "-3", "--", args.racy]):
        bad = racelens(args, *cmd)
        check(bad.returncode == 2 and "--pct-steps" in bad.stderr,
              f"{cmd} must be a usage error naming --pct-steps", bad)
    big = racelens(args, "run", "--schedule", "pct", "--pct-steps", "2000000000", "--", args.racy)
    check(big.returncode != 0 and "pct_steps" in big.stderr,
          "a pct_steps out of range must be refused by the runtime by name", big)


def explore_clean_program_finds_nothing(args):
    program = args.clean
    for spec in args.sample:
        if spec.startswith("lock_counter="):
            program = spec.split("=", 1)[1].partition(":")[0]
    run = racelens(args, "explore", "-n", "3", "--", program)
    check(run.returncode == 0, "explore of a clean program must exit 0", run)
    check("racelens: no report in 3 runs" in run.stderr, "explore must say it found nothing", run)
    check(run.stdout == "", "the output of runs without a report must not be shown", run)


def sample_program(args, name):
    spec = next((s for s in args.sample if s.split("=", 1)[0] == name), None)
    check(spec is not None, f"no --sample {name}=PROG given")
    return spec.split("=", 1)[1].partition(":")[0]


def explore_pct_finds_the_condition_samples_lost_wakeup(args):
    """The hidden bug of SAMPLES.md's condition sample: nothing under schedule=os, a deadlock
    when the producer notifies before a consumer waits. PCT finds it within tens of seeds (29
    today, docs/performance.md); 60 leaves room for changes in the number of scheduling points."""
    run = racelens(args, "explore", "-n", "60", "--schedule", "pct", "--format", "json", "--",
                   sample_program(args, "condition"))
    check(run.returncode == 66, "explore --schedule pct must find the lost wake-up", run)
    found = next((line for line in run.stderr.splitlines()
                  if line.startswith("racelens: found deadlock after ")), None)
    check(found is not None, "explore must say it found a deadlock", run)
    check(any(r["kind"] == "deadlock" for r in map(json.loads, normalised(run.stderr))),
          "the deadlock report must be printed", run)
    replay_line = next((line for line in run.stderr.splitlines()
                        if line.startswith("racelens: replay: racelens replay ")), None)
    check(replay_line is not None, "explore must print the replay command", run)
    replay = racelens(args, "replay", "--format", "json", *replay_line.split()[4:])
    check(replay.returncode == 66 and normalised(replay.stderr) == normalised(run.stderr),
          "the replay must report the same deadlock", replay)


def explore_finds_the_event_consumers_lost_signal(args):
    """The event sample's set() between wait() and clear(): an event-race in the first run under
    both strategies (the race is in every interleaving, lost signal or not)."""
    for schedule in ("random", "pct"):
        run = racelens(args, "explore", "-n", "5", "--schedule", schedule, "--format", "json",
                       "--", sample_program(args, "event_consumer"))
        check(run.returncode == 66, f"explore --schedule {schedule} must find the race", run)
        kinds = {r["kind"] for r in map(json.loads, normalised(run.stderr))}
        check("event-race" in kinds, f"explore --schedule {schedule} must report the event-race",
              run)


def explore_bad_schedule_is_a_usage_error(args):
    run = racelens(args, "explore", "--schedule", "os", "--", args.racy)
    check(run.returncode == 2, "explore --schedule os must be a usage error", run)


SCENARIOS = {f.__name__: f for f in [
    replay_reproduces_text_and_prints_the_command, replay_from_options_runs_the_program,
    replay_of_a_changed_report_diverges, replay_errors_are_sentences,
    explore_finds_the_race_and_its_replay_reproduces,
    explore_pct_finds_the_race_and_its_replay_reproduces,
    pct_depth_and_steps_pass_through_run_and_replay, explore_clean_program_finds_nothing,
    explore_bad_schedule_is_a_usage_error, explore_pct_finds_the_condition_samples_lost_wakeup,
    explore_finds_the_event_consumers_lost_signal]}


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
    prefixes = {"replay_sample_": "random", "replay_pct_": "pct"}
    prefix = next((p for p in prefixes if args.scenario.startswith(p)), None)
    if prefix is not None:
        name = args.scenario[len(prefix):]
        if name not in samples:
            parser.error(f"no --sample {name}=PROG given")
        scenarios[args.scenario] = lambda args: replay_sample(args, name, prefixes[prefix])
    elif args.scenario not in SCENARIOS:
        parser.error(f"unknown scenario {args.scenario}")
    return run_scenario(scenarios, args)

if __name__ == "__main__":
    sys.exit(main())
