#include "saved_reports.hpp"

#include <fstream>
#include <stdexcept>
#include <utility>

#include <fmt/core.h>

#include "check_command.hpp"
#include "report/html_writer.hpp"
#include "report/json_writer.hpp"
#include "report/sarif_writer.hpp"
#include "report/text_writer.hpp"

namespace racelens::cli {

const std::vector<std::pair<std::string, OutputFormat>>& OutputFormatNames() {
  static const std::vector<std::pair<std::string, OutputFormat>> names = {
      {"text", OutputFormat::kText},
      {"json", OutputFormat::kJson},
      {"sarif", OutputFormat::kSarif},
      {"html", OutputFormat::kHtml}};
  return names;
}

std::vector<report::Report> ReadReportFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw UsageError(
        fmt::format("cannot read the report file {}; give a <pid>.jsonl file written by racelens "
                    "(report_path=DIR)",
                    path));
  }
  std::vector<report::Report> reports;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      reports.push_back(report::FromJson(line));
    } catch (const std::exception& e) {
      std::string why = e.what();  // "racelens: cannot read the JSON report: ... ."
      if (why.rfind("racelens: ", 0) == 0) why.erase(0, 10);
      if (!why.empty() && why.back() == '.') why.pop_back();
      throw UsageError(fmt::format("{}:{} is not a racelens report ({})", path, number, why));
    }
  }
  if (in.bad()) throw UsageError(fmt::format("reading {} failed part-way", path));
  return reports;
}

void RenderReports(const std::vector<report::Report>& reports, OutputFormat format,
                   std::ostream& out) {
  switch (format) {
    case OutputFormat::kText:
      for (const report::Report& report : reports) report::WriteText(report, out);
      out << fmt::format("racelens: {} report{}\n", reports.size(), reports.size() == 1 ? "" : "s");
      return;
    case OutputFormat::kJson:
      for (const report::Report& report : reports) out << report::ToJsonLine(report) << "\n";
      return;
    case OutputFormat::kSarif:
      out << report::ToSarif(reports) << "\n";
      return;
    case OutputFormat::kHtml:
      out << report::ToHtml(reports);
      return;
  }
}

void RenderReportsTo(const std::vector<report::Report>& reports, OutputFormat format,
                     const std::string& path, std::ostream& fallback) {
  if (path.empty()) {
    RenderReports(reports, format, fallback);
    fallback.flush();
    return;
  }
  std::ofstream out(path);
  RenderReports(reports, format, out);
  if (!out.flush()) {
    throw UsageError(
        fmt::format("cannot write the reports to {}; check that its directory exists "
                    "and is writable",
                    path));
  }
}

}  // namespace racelens::cli
