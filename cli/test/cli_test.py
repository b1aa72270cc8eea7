#!/usr/bin/env python3
"""End-to-end tests of `racelens check`: arguments, exit statuses, output, SARIF validity.

Usage: cli_test.py --racelens BIN --plugin LIB --mocks DIR --multitool BIN_JS --work DIR SCENARIO
Each scenario is one ctest case; it prints what went wrong and exits 1 on failure.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

CLEAN = """#include <racelens_mocks.h>
std::mutex m;
int value = 0;
void getlock() {
  std::lock_guard<std::mutex> g(m);
  value = value + 1;
}
int main() {
  for (int i = 0; i < 4; ++i) std::thread(getlock).join();
}
"""
RACY = """#include <racelens_mocks.h>
int value = 0;
void getlock() { value = value + 1; }
int main() {
  for (int i = 0; i < 4; ++i) std::thread(getlock).join();
}
"""
BROKEN = "int main() { return undeclared; }\n"


def fixture(work, mocks, sources):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    db = []
    for name, text in sources.items():
        with open(os.path.join(work, name), "w", encoding="utf-8") as f:
            f.write(text)
        db.append({"directory": work, "file": name,
                   "command": f"clang++ -std=c++20 -isystem {mocks} -c {name}"})
    with open(os.path.join(work, "compile_commands.json"), "w", encoding="utf-8") as f:
        json.dump(db, f)
    return work


def sarif_problems(multitool, path):
    """The SARIF Multitool's errors and warnings (it exits 0 even on invalid logs)."""
    out = path + ".validation.sarif"
    run = subprocess.run(["node", multitool, "validate", path, "--output", out, "--log",
                          "ForceOverwrite"], capture_output=True, text=True)
    if run.returncode != 0 or not os.path.exists(out):
        return [f"sarif-multitool did not run: {run.stdout}{run.stderr}"]
    with open(out, encoding="utf-8") as f:
        log = json.load(f)
    problems = []
    for r in log["runs"]:
        rules = r["tool"]["driver"].get("rules", [])
        for result in r.get("results", []):
            level = result.get("level")
            if level is None and "ruleIndex" in result:
                level = rules[result["ruleIndex"]].get("defaultConfiguration", {}).get(
                    "level", "warning")
            level = level or "warning"
            if level not in ("error", "warning"):
                continue
            if result["message"].get("id") == "Warning_ProvideToolnformationUri":
                continue  # racelens has no public web page
            problems.append(f"{level} {result.get('ruleId')}: {json.dumps(result['message'])}")
    return problems


def main():
    parser = argparse.ArgumentParser()
    for name in ("racelens", "plugin", "mocks", "multitool", "work"):
        parser.add_argument("--" + name, required=True)
    parser.add_argument("scenario")
    a = parser.parse_args()
    failures = []

    def run(*args, env=None):
        return subprocess.run([a.racelens, *args], capture_output=True, text=True,
                              env=dict(os.environ, **(env or {})))

    def expect(result, status, *texts):
        if result.returncode != status:
            failures.append(f"exit status {result.returncode}, expected {status}")
        for text in texts:
            if text not in result.stdout + result.stderr:
                failures.append(f"output lacks '{text}'")
        if failures:
            failures.append(f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")

    work = os.path.join(a.work, a.scenario)
    plugin = ["--plugin", a.plugin]
    if a.scenario == "no_subcommand_is_a_usage_error":
        expect(run(), 2, "subcommand")
    elif a.scenario == "unknown_option_is_a_usage_error":
        expect(run("check", "--bogus"), 2, "--bogus")
    elif a.scenario == "zero_jobs_is_a_usage_error":
        expect(run("check", "-j", "0"), 2)
    elif a.scenario == "missing_compile_commands_is_a_usage_error":
        expect(run("check", "-p", os.path.join(a.work, "does-not-exist"), *plugin), 2,
               "compile_commands.json")
    elif a.scenario == "file_not_in_database_is_a_usage_error":
        fixture(work, a.mocks, {"clean.cpp": CLEAN})
        expect(run("check", "-p", work, *plugin, os.path.join(work, "other.cpp")), 2,
               "is not in")
    elif a.scenario == "help_exits_zero":
        expect(run("check", "--help"), 0, "--sarif")
    elif a.scenario == "refuses_a_clang_tidy_that_is_not_19":
        fixture(work, a.mocks, {"clean.cpp": CLEAN})
        fake = os.path.join(work, "clang-tidy-14")
        with open(fake, "w", encoding="utf-8") as f:
            f.write("#!/bin/sh\necho 'Debian LLVM version 14.0.6'\n")
        os.chmod(fake, 0o755)
        expect(run("check", "-p", work, *plugin, "--clang-tidy", fake), 1,
               "needs clang-tidy 19", "is LLVM 14")
    elif a.scenario == "missing_plugin_is_an_internal_error":
        fixture(work, a.mocks, {"clean.cpp": CLEAN})
        expect(run("check", "-p", work, "--plugin", os.path.join(work, "nope.so")), 1,
               "does not exist")
    elif a.scenario == "clean_code_exits_zero_with_valid_sarif":
        fixture(work, a.mocks, {"clean.cpp": CLEAN})
        sarif = os.path.join(work, "out.sarif")
        expect(run("check", "-p", work, *plugin, "-j", "2", "--sarif", sarif), 0, "0 findings")
        failures.extend(sarif_problems(a.multitool, sarif))
    elif a.scenario == "findings_exit_66_with_valid_sarif":
        fixture(work, a.mocks, {"clean.cpp": CLEAN, "racy.cpp": RACY})
        sarif = os.path.join(work, "out.sarif")
        expect(run("check", "-p", work, *plugin, "--sarif", sarif), 66,
               "racy.cpp:3:18: warning: 'value' is written without a lock held",
               "[racelens-unguarded-shared-write]", "note: thread started here", "1 finding")
        failures.extend(sarif_problems(a.multitool, sarif))
        with open(sarif, encoding="utf-8") as f:
            results = json.load(f)["runs"][0]["results"]
        if [r["ruleId"] for r in results] != ["racelens-unguarded-shared-write"]:
            failures.append(f"unexpected SARIF results: {json.dumps(results)}")
    elif a.scenario == "files_restrict_the_run":
        fixture(work, a.mocks, {"clean.cpp": CLEAN, "racy.cpp": RACY})
        expect(run("check", "-p", work, *plugin, os.path.join(work, "clean.cpp")), 0,
               "in 1 file")
    elif a.scenario == "plugin_from_environment":
        fixture(work, a.mocks, {"racy.cpp": RACY})
        expect(run("check", "-p", work, env={"RACELENS_TIDY_PLUGIN": a.plugin}), 66)
    elif a.scenario == "uncompilable_file_is_an_internal_error":
        fixture(work, a.mocks, {"broken.cpp": BROKEN})
        expect(run("check", "-p", work, *plugin), 1, "could not analyse")
    else:
        failures.append(f"unknown scenario {a.scenario}")
    if failures:
        print("FAILED:\n" + "\n".join(failures))
        return 1
    print(f"{a.scenario}: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
