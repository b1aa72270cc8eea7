"""What the `racelens` command's end-to-end tests share: failures, running the command, and
running one named scenario as one ctest case.

A scenario is a function of the parsed arguments that raises Failure (exit 1) or Skip (exit 77,
ctest's SKIP_RETURN_CODE) and otherwise passes.
"""
import os
import shutil
import subprocess

SKIP = 77


class Failure(Exception):
    pass


class Skip(Exception):
    pass


def check(condition, message, run=None):
    """Raises Failure with `message`, and `run`'s status and output when given."""
    if not condition:
        if run is not None:
            message += (f"\n--- exit {run.returncode}\n--- stdout\n{run.stdout}"
                        f"\n--- stderr\n{run.stderr}")
        raise Failure(message)


def racelens(args, *cmd, stdin="", env_options=None, timeout=180):
    """Runs `racelens CMD...` with RACELENS_OPTIONS set to `env_options` only (or unset)."""
    env = dict(os.environ)
    env.pop("RACELENS_OPTIONS", None)
    if env_options is not None:
        env["RACELENS_OPTIONS"] = env_options
    return subprocess.run([args.racelens, *cmd], input=stdin, capture_output=True, text=True,
                          env=env, timeout=timeout)


def run_scenario(scenarios, args, make_work_dir=True):
    """Runs scenarios[args.scenario] in a fresh args.work/<scenario>; returns the exit status."""
    args.work = os.path.join(args.work, args.scenario)
    shutil.rmtree(args.work, ignore_errors=True)
    if make_work_dir:
        os.makedirs(args.work)
    try:
        scenarios[args.scenario](args)
    except Skip as skip:
        print(f"SKIPPED {args.scenario}: {skip}")
        return SKIP
    except Failure as failure:
        print(f"FAILED {args.scenario}: {failure}")
        return 1
    print(f"ok {args.scenario}")
    return 0
