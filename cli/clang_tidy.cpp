#include "clang_tidy.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <regex>
#include <sstream>

namespace racelens::cli {
namespace {

std::string Quote(const std::string& arg) {
  std::string quoted = "'";
  for (char c : arg) {
    if (c == '\'')
      quoted += "'\\''";
    else
      quoted += c;
  }
  return quoted + "'";
}

struct Captured {
  int status = -1;
  std::string output;
};

Captured Capture(const std::vector<std::string>& argv) {
  std::string command;
  for (const std::string& arg : argv) command += Quote(arg) + " ";
  command += "2>&1";
  Captured result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer;
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace

ClangTidy::ClangTidy(std::string binary, std::string plugin, std::string checks)
    : binary_(std::move(binary)), plugin_(std::move(plugin)), checks_(std::move(checks)) {}

int ClangTidy::version() const {
  const Captured result = Capture({binary_, "--version"});
  if (result.status != 0) return 0;
  std::smatch match;
  static const std::regex kVersion(R"(LLVM version (\d+)\.)");
  if (!std::regex_search(result.output, match, kVersion)) return 0;
  return std::stoi(match[1]);
}

bool ClangTidy::loadsPlugin() const {
  const Captured result =
      Capture({binary_, "--load=" + plugin_, "-checks=-*,racelens-*", "--list-checks"});
  return result.status == 0 && result.output.find("racelens-") != std::string::npos;
}

TidyResult ClangTidy::run(const std::string& build_dir, const std::string& file) const {
  const Captured captured =
      Capture({binary_, "--load=" + plugin_, "-checks=-*," + checks_, "-p", build_dir, "--quiet",
               // The database may hold GCC-only warning flags.
               "--extra-arg=-Wno-unknown-warning-option", file});
  TidyResult result;
  result.output = captured.output;
  result.diagnostics = ParseDiagnostics(captured.output);
  result.failed = captured.status != 0;
  return result;
}

std::vector<Diagnostic> ParseDiagnostics(const std::string& output) {
  static const std::regex kLine(
      R"(^(.+):(\d+):(\d+): (warning|note|error): (.*?)(?: \[([^\]]+)\])?$)");
  std::vector<Diagnostic> diagnostics;
  bool in_racelens_warning = false;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch match;
    if (!std::regex_match(line, match, kLine)) continue;
    const SourcePoint where{match[1], std::stoi(match[2]), std::stoi(match[3])};
    const std::string level = match[4];
    if (level == "note") {
      if (in_racelens_warning) diagnostics.back().notes.push_back(Note{where, match[5]});
      continue;
    }
    const std::string check = match[6];
    in_racelens_warning = level == "warning" && check.rfind("racelens-", 0) == 0;
    if (in_racelens_warning) diagnostics.push_back(Diagnostic{where, match[5], check, {}});
  }
  return diagnostics;
}

}  // namespace racelens::cli
