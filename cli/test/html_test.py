#!/usr/bin/env python3
"""End-to-end tests of `--format html`: `racelens run` and `racelens report` write one page, and the
page renders in headless Chromium (Debian's `chromium`) without script errors.

Usage: html_test.py --racelens BIN --racy PROG --work DIR [--sample NAME=PROG[:OPTIONS]]...
                    SCENARIO
Each scenario is one ctest case; it prints what went wrong and exits 1 on failure. A browser
scenario without Chromium exits 77 (ctest SKIP_RETURN_CODE), or fails when CI=true.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

from scenario import Failure, Skip, check, racelens, run_scenario

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]


def read(path):
    check(os.path.exists(path), f"{path} was not written")
    with open(path, encoding="utf-8") as f:
        return f.read()


# The note under a timeline the runtime recorded (not derived from the report's accesses).
RECORDED = "The threads' recorded events before the report"


def check_page(page, kinds):
    check(page.startswith("<!DOCTYPE html>"), f"not an HTML page: {page[:200]!r}")
    check(page.rstrip().endswith("</html>"), "the page is cut short")
    for kind in kinds:
        check(f'data-kind="{kind}"' in page, f"the page has no {kind} report")


def chromium():
    found = shutil.which("chromium") or ("/usr/bin/chromium"
                                        if os.path.exists("/usr/bin/chromium") else None)
    if found:
        return found
    if os.environ.get("CI") == "true":
        raise Failure("chromium is missing; install it with scripts/bootstrap (Debian package "
                      "chromium)")
    raise Skip("chromium is not installed (scripts/bootstrap installs it); skipping the browser "
               "check")


def browse(page, screenshot=None):
    """Opens the page in headless Chromium: it must render without script errors."""
    browser = chromium()
    profile = tempfile.mkdtemp(prefix="racelens-chromium-")
    try:
        base = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
        url = "file://" + os.path.abspath(page)
        dom = subprocess.run(base + ["--dump-dom", url], capture_output=True, text=True,
                             timeout=180)
        check(dom.returncode == 0, "chromium --dump-dom failed", dom)
        body = re.search(r"<body[^>]*>", dom.stdout)
        check(body is not None, "chromium's DOM has no <body>", dom)
        check("data-error" not in body.group(0), f"a script error in the page: {body.group(0)}")
        check('data-rendered="1"' in body.group(0),
              f"the page's script did not finish: {body.group(0)}", dom)
        if screenshot:
            shot = subprocess.run(base + [f"--screenshot={os.path.abspath(screenshot)}",
                                          "--window-size=1280,900", "--hide-scrollbars", url],
                                  capture_output=True, text=True, timeout=180)
            check(shot.returncode == 0 and os.path.exists(screenshot),
                  "chromium --screenshot wrote nothing", shot)
            with open(screenshot, "rb") as f:
                png = f.read()
            check(png.startswith(b"\x89PNG\r\n\x1a\n"), f"{screenshot} is not a PNG")
            # A blank 1280x900 page compresses to a few kilobytes; a rendered report does not.
            check(len(png) > 15000, f"{screenshot} looks blank ({len(png)} bytes)")
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def saved_jsonl(args, name, program, options):
    """Runs a sample under `racelens run --format json` and returns its reports file."""
    out = os.path.join(args.work, f"{name}.jsonl")
    run = racelens(args, "run", "--format", "json", "--out", out, "--", program,
                   env_options=options)
    check(run.returncode == 66, f"{name} must report something", run)
    check(read(out).strip(), f"{name} left an empty reports file", run)
    return out


# ---- scenarios ----------------------------------------------------------------------------------

def run_html_out_writes_a_page(args):
    out = os.path.join(args.work, "run.html")
    run = racelens(args, "run", "--format", "html", "--out", out, "--", args.racy)
    check(run.returncode == 66, "a run with findings must exit 66", run)
    check("<html" not in run.stderr and "WARNING" not in run.stderr,
          "--out must take the reports off stderr", run)
    page = read(out)
    check_page(page, ["data-race"])
    check("data race on &#39;counter&#39;" in page, "the page must name 'counter'")


def run_html_without_out_goes_to_stderr(args):
    run = racelens(args, "run", "--format", "html", "--", args.racy)
    check(run.returncode == 66, "a run with findings must exit 66", run)
    check(run.stderr.startswith("<!DOCTYPE html>"), "the page must go to stderr", run)
    check_page(run.stderr, ["data-race"])


def report_html_of_an_empty_file_renders(args):
    empty = os.path.join(args.work, "empty.jsonl")
    open(empty, "w", encoding="utf-8").close()
    out = os.path.join(args.work, "empty.html")
    run = racelens(args, "report", "--format", "html", "--out", out, empty)
    check(run.returncode == 0, "no reports must exit 0", run)
    page = read(out)
    check_page(page, [])
    check("No reports" in page, "an empty page must say there is nothing")
    browse(out)


def racy_report_renders_in_chromium(args):
    saved = saved_jsonl(args, "racy", args.racy, None)
    out = os.path.join(args.work, "racy.html")
    run = racelens(args, "report", "--format", "html", "--out", out, saved)
    check(run.returncode == 66, "reports must exit 66", run)
    page = read(out)
    check_page(page, ["data-race"])
    check(RECORDED in page, "a run's report must show its recorded timeline")
    browse(out, os.path.join(args.work, "racy.png"))


def replay_html_renders_in_chromium(args):
    saved = os.path.join(args.work, "racy-random.jsonl")
    run = racelens(args, "run", "--format", "json", "--out", saved, "--schedule", "random",
                   "--seed", "3", "--", args.racy)
    check(run.returncode == 66, "the racy program must report under schedule=random", run)
    out = os.path.join(args.work, "replay.html")
    replay = racelens(args, "replay", "--format", "html", "--out", out, saved)
    check(replay.returncode == 66, "a reproduced replay keeps the findings status 66", replay)
    check("reproduced" in replay.stderr, "the replay must say it reproduced", replay)
    page = read(out)
    check_page(page, ["data-race"])
    check(RECORDED in page, "the replay's report must show its recorded timeline")
    check("racelens replay --schedule random --seed 3" in page,
          "the page must show the replay command")
    browse(out, os.path.join(args.work, "replay.png"))


def samples_render_in_chromium(args):
    check(args.sample, "no --sample given: the samples are not built")
    files = {}
    for spec in args.sample:
        name, rest = spec.split("=", 1)
        program, _, options = rest.partition(":")
        files[name] = saved_jsonl(args, name, program, options)
    kinds = {"nolock_counter": "data-race", "lock_order": "lock-order-inversion",
             "queue_join_hang": "deadlock"}
    # All samples in one page, then each on its own page with its screenshot.
    out = os.path.join(args.work, "samples.html")
    run = racelens(args, "report", "--format", "html", "--out", out, *files.values())
    check(run.returncode == 66, "reports must exit 66", run)
    check_page(read(out), [kinds[name] for name in files if name in kinds])
    browse(out, os.path.join(args.work, "samples.png"))
    for name, saved in files.items():
        page = os.path.join(args.work, f"{name}.html")
        run = racelens(args, "report", "--format", "html", "--out", page, saved)
        check(run.returncode == 66, "reports must exit 66", run)
        text = read(page)
        check_page(text, [kinds[name]] if name in kinds else [])
        check(RECORDED in text, f"{name}: the report must show its recorded timeline")
        if name == "lock_order":
            check('class="edge cycle"' in text, "the lock-order graph must show the cycle")
        browse(page, os.path.join(args.work, f"{name}.png"))


SCENARIOS = {f.__name__: f for f in [
    run_html_out_writes_a_page, run_html_without_out_goes_to_stderr,
    report_html_of_an_empty_file_renders, racy_report_renders_in_chromium,
    replay_html_renders_in_chromium, samples_render_in_chromium]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--racelens", required=True)
    parser.add_argument("--racy", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--sample", action="append", default=[],
                        help="NAME=PROGRAM[:RACELENS_OPTIONS], a racy sample to render")
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    return run_scenario(SCENARIOS, parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
