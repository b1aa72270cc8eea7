#include "runtime/report_sink.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <string>

#include "report/json_writer.hpp"
#include "report/text_writer.hpp"

namespace racelens::detail {

namespace {

std::string ReportFilePath(const Options& options) {
  return options.report_path + "/" + std::to_string(static_cast<long>(getpid())) + ".jsonl";
}

}  // namespace

ReportSink::ReportSink(const Options& options) : options_(options) {
  if (!options_.suppressions.empty()) {
    suppressions_ = report::Suppressions::Load(options_.suppressions);
  }
  if (!options_.report_path.empty()) {
    const std::string path = ReportFilePath(options_);
    file_ = std::fopen(path.c_str(), "a");
    if (file_ == nullptr) {
      throw OptionsError("racelens: cannot write reports to '" + path + "' (" +
                         std::strerror(errno) +
                         "); make report_path an existing, writable directory.");
    }
  }
}

void ReportSink::AfterForkInChild() {
  reported_.store(0);
  if (file_ == nullptr) return;
  std::fclose(file_);  // the parent's reports are flushed: nothing buffered is lost
  const std::string path = ReportFilePath(options_);
  file_ = std::fopen(path.c_str(), "a");
  if (file_ == nullptr) {
    std::fprintf(stderr,
                 "racelens: cannot write reports to '%s' (%s); this process reports to stderr.\n",
                 path.c_str(), std::strerror(errno));
  }
}

bool ReportSink::Emit(report::Report report) {
  report.pid = static_cast<int>(getpid());
  if (suppressions_.Suppressed(report)) return false;
  {
    std::lock_guard lock(write_mutex_);
    if (!dedup_.Add(report)) return false;
    if (file_ != nullptr) {
      const std::string line = report::ToJsonLine(report) + "\n";
      std::fwrite(line.data(), 1, line.size(), file_);
      std::fflush(file_);
    } else if (options_.format == ReportFormat::kJson) {
      const std::string line = report::ToJsonLine(report) + "\n";
      std::fwrite(line.data(), 1, line.size(), stderr);
      std::fflush(stderr);
    } else {
      std::ostringstream text;
      report::WriteText(report, text);
      const std::string s = text.str();
      std::fwrite(s.data(), 1, s.size(), stderr);
      std::fflush(stderr);
    }
  }
  reported_.fetch_add(1);
  if (options_.halt_on_error) {
    std::fflush(nullptr);
    _exit(options_.exitcode);
  }
  return true;
}

}  // namespace racelens::detail
