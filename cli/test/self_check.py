#!/usr/bin/env python3
"""Runs `racelens check` over the project's own sources under the given folders (those that are
in the build's compile_commands.json) and fails on any finding.

Usage: self_check.py --racelens BIN --plugin LIB --build-dir DIR --source-dir DIR FOLDER...
"""
import argparse
import json
import os
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser()
    for name in ("racelens", "plugin", "build-dir", "source-dir"):
        parser.add_argument("--" + name, required=True)
    parser.add_argument("folders", nargs="+")
    a = parser.parse_args()
    with open(os.path.join(a.build_dir, "compile_commands.json"), encoding="utf-8") as f:
        db = json.load(f)
    roots = [os.path.join(a.source_dir, folder) + os.sep for folder in a.folders]
    files = sorted({os.path.normpath(os.path.join(e["directory"], e["file"])) for e in db
                    if any(os.path.normpath(os.path.join(e["directory"], e["file"])).startswith(r)
                           for r in roots)})
    if not files:
        print(f"no files of {', '.join(a.folders)} in {a.build_dir}/compile_commands.json")
        return 1
    run = subprocess.run([a.racelens, "check", "-p", a.build_dir, "--plugin", a.plugin, "-j",
                          "2", *files], capture_output=True, text=True)
    print(run.stdout + run.stderr)
    if run.returncode != 0:
        print(f"FAILED: racelens check exited {run.returncode} on {len(files)} files")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
