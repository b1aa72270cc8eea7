#!/usr/bin/env python3
"""Unit tests of check_samples.py's matching rules (synthetic reports, no programs run)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_samples import compare_reports  # noqa: E402


def frame(site):
    file, line = site.split(":")
    return {"function": "f", "file": "/src/samples/" + file, "line": int(line), "pc": 0}


def race(name, *sites, kind="data-race"):
    return {"kind": kind, "message": "", "locks": [], "edges": [],
            "stacks": [[frame(s)] for s in sites],
            "accesses": [{"object": name, "stack": i} for i in range(len(sites))]}


ENTRY = {"kind": "data-race", "names": ["value"], "sites": ["a.cpp:3", "a.cpp:5"]}


class CompareReports(unittest.TestCase):
    def test_two_reports_of_one_entry_match(self):
        reports = [race("value", "a.cpp:3", "a.cpp:5"), race("value", "a.cpp:5", "a.cpp:5")]
        self.assertEqual(compare_reports(reports, [ENTRY]), "")

    def test_missing_report_is_a_mismatch(self):
        self.assertIn("missing data-race(value)", compare_reports([], [ENTRY]))

    def test_unexpected_report_is_a_mismatch(self):
        self.assertIn("unexpected data-race(value)",
                      compare_reports([race("value", "a.cpp:3")], []))

    def test_site_outside_the_entry_is_a_mismatch(self):
        problem = compare_reports([race("value", "a.cpp:3", "a.cpp:9")], [ENTRY])
        self.assertIn("unexpected", problem)
        self.assertIn("missing", problem)

    def test_other_name_or_kind_is_a_mismatch(self):
        self.assertNotEqual(compare_reports([race("other", "a.cpp:3")], [ENTRY]), "")
        self.assertNotEqual(
            compare_reports([race("value", "a.cpp:3", kind="event-race")], [ENTRY]), "")

    def test_message_must_match_when_given(self):
        entry = {"kind": "misuse", "message": "release unlocked lock", "sites": ["a.cpp:3"]}
        report = race("", "a.cpp:3", kind="misuse")
        report["message"] = "release unlocked lock"
        self.assertEqual(compare_reports([report], [entry]), "")
        report["message"] = "cannot release un-acquired lock"
        self.assertNotEqual(compare_reports([report], [entry]), "")

    def test_report_without_sites_never_matches(self):
        self.assertNotEqual(compare_reports([race("value")], [ENTRY]), "")


if __name__ == "__main__":
    unittest.main()
