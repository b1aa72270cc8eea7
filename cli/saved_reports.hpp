// Saved reports: reading the runtime's `<pid>.jsonl` files back into the report model and
// rendering a list of reports as text (the runtime's own TSan-like shape), json (one object per
// line, as saved), sarif (one SARIF 2.1.0 log) or html (one self-contained page). Used by
// `racelens run` and `racelens report`.
//
// Errors: ReadReportFile throws UsageError naming the file (and line) when the file cannot be
// read or a line is not a valid report (docs/report-format.md). Not thread-safe; plain functions.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "report/report.hpp"

namespace racelens::cli {

enum class OutputFormat { kText, kJson, kSarif, kHtml };

/// The formats `--format` accepts, mapped to OutputFormat (for CLI11's transform).
const std::vector<std::pair<std::string, OutputFormat>>& OutputFormatNames();

/// Every report in a JSON-lines file, in file order; blank lines are skipped.
std::vector<report::Report> ReadReportFile(const std::string& path);

/// Writes `reports` to `out`; text ends with a one-line count, sarif is one log and html one page
/// even when empty.
void RenderReports(const std::vector<report::Report>& reports, OutputFormat format,
                   std::ostream& out);

/// Writes the rendering to `path`, or to `fallback` when `path` is empty. Throws UsageError when
/// the file cannot be written.
void RenderReportsTo(const std::vector<report::Report>& reports, OutputFormat format,
                     const std::string& path, std::ostream& fallback);

}  // namespace racelens::cli
