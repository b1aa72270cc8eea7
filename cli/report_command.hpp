// `racelens report FILE.jsonl... [--format text|json|sarif] [--out FILE]`: renders reports saved
// by the runtime (report_path=DIR writes DIR/<pid>.jsonl) to stdout or --out. Returns kFindings
// when the files hold any report and kClean when they hold none; an unreadable file or a line that
// is not a report throws UsageError naming the file and line.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "saved_reports.hpp"

namespace racelens::cli {

struct ReportOptions {
  std::vector<std::string> files;
  OutputFormat format = OutputFormat::kText;
  std::string out;
};

/// Adds the `report` subcommand to `app`; its values land in `options` when parsed.
CLI::App* AddReportCommand(CLI::App& app, ReportOptions& options);

int RunReport(const ReportOptions& options);

}  // namespace racelens::cli
