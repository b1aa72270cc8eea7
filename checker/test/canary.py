#!/usr/bin/env python3
"""Canary: fails when the racelens plugin did not load into the given clang-tidy (for instance
Debian's /usr/bin/clang-tidy, LLVM 14, which silently ignores an LLVM 19 plugin), so that the
expectation tests cannot pass vacuously.

Usage: canary.py --clang-tidy BIN --plugin LIB --mocks DIR CANARY_SOURCE CHECK...
"""
import argparse
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clang-tidy", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--mocks", required=True)
    parser.add_argument("source")
    parser.add_argument("checks", nargs="+")
    args = parser.parse_args()

    listed = subprocess.run([args.clang_tidy, f"--load={args.plugin}", "-checks=-*,racelens-*",
                             "--list-checks"], capture_output=True, text=True)
    missing = [c for c in args.checks if c not in listed.stdout.split()]
    if missing:
        print(f"the racelens plugin did not load into {args.clang_tidy}: --list-checks lacks "
              f"{', '.join(missing)}. Use /usr/lib/llvm-19/bin/clang-tidy.\n"
              f"{listed.stdout}{listed.stderr}")
        return 1
    fired = subprocess.run([args.clang_tidy, f"--load={args.plugin}",
                            "-checks=-*,racelens-unguarded-shared-write", args.source, "--",
                            "-std=c++20", "-isystem", args.mocks], capture_output=True, text=True)
    if "[racelens-unguarded-shared-write]" not in fired.stdout:
        print(f"racelens-unguarded-shared-write did not fire on {args.source}:\n"
              f"{fired.stdout}{fired.stderr}")
        return 1
    print(f"the plugin is loaded: {len(args.checks)} checks listed, the canary fired")
    return 0


if __name__ == "__main__":
    sys.exit(main())
