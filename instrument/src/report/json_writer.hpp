// report/json_writer.hpp — the JSON report: one object per report per line.
//
// Defines ToJsonLine (Report -> one line of JSON, no trailing newline) and
// FromJson (one line -> Report), used by the `json` format and by
// `racelens report` / `racelens replay` to read saved .jsonl files.
//
// The layout is stable and documented field by field in
// docs/report-format.md § JSON; docs/report-format.schema.json is its JSON
// Schema. In short: kind, title, summary, message, accesses, stacks,
// threads, locks, cycle, edges, schedule, pid, then timeline only when the
// report has one; accesses, edges and threads refer to their stacks by index
// into "stacks" (a timeline event carries its one frame inline).
//
// FromJson(ToJsonLine(r)) == r for every Report r (field by field).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "report/report.hpp"

namespace racelens::report {

// The report as one line of JSON (no newline inside or at the end).
std::string ToJsonLine(const Report& report);

// Reads one line written by ToJsonLine. Throws std::invalid_argument with a
// complete sentence naming the offending field (e.g. "accesses[1].type") and
// what it accepts when the line is not valid JSON or not a racelens report.
// Fields this version does not know are ignored, so newer files stay readable.
Report FromJson(std::string_view line);

}  // namespace racelens::report
