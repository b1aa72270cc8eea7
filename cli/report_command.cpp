#include "report_command.hpp"

#include <iostream>

#include "exit_status.hpp"

namespace racelens::cli {

CLI::App* AddReportCommand(CLI::App& app, ReportOptions& options) {
  CLI::App* report =
      app.add_subcommand("report", "Render reports saved by the runtime (report_path=DIR)");
  report->add_option("files", options.files, "<pid>.jsonl files written by racelens")
      ->required()
      ->check(CLI::ExistingFile);
  report->add_option("--format", options.format, "Output format: text, json, sarif or html")
      ->transform(CLI::CheckedTransformer(OutputFormatNames(), CLI::ignore_case))
      ->default_str("text");
  report->add_option("--out", options.out, "Write the rendering to this file instead of stdout");
  return report;
}

int RunReport(const ReportOptions& options) {
  std::vector<report::Report> reports;
  for (const std::string& file : options.files) {
    std::vector<report::Report> more = ReadReportFile(file);
    reports.insert(reports.end(), more.begin(), more.end());
  }
  RenderReportsTo(reports, options.format, options.out, std::cout);
  return reports.empty() ? kClean : kFindings;
}

}  // namespace racelens::cli
