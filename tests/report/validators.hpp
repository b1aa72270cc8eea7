// External validators for the report formats, run from the tests.
//
// JSON lines: docs/report-format.schema.json checked by Python's jsonschema
// (Debian package python3-jsonschema, for /usr/bin/python3).
// SARIF: @microsoft/sarif-multitool from tools/node_modules (npm ci --prefix
// tools). Both are installed by scripts/bootstrap; a missing validator is a
// test failure, never a silent pass.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace racelens::report::validators {

inline std::filesystem::path RepoRoot() {
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
}

struct CommandResult {
  int status = -1;
  std::string output;
};

inline CommandResult Run(const std::string& command) {
  CommandResult result;
  std::FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer;
  std::size_t got;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.output.append(buffer.data(), got);
  }
  const int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

inline std::string Quote(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

// A fresh scratch file path in the test's temporary directory.
inline std::filesystem::path ScratchFile(const std::string& name) {
  static int counter = 0;
  return std::filesystem::path(::testing::TempDir()) /
         ("racelens-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + "-" + name);
}

inline void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Validates JSON lines (one report per line) against docs/report-format.schema.json.
inline ::testing::AssertionResult MatchesReportSchema(const std::string& jsonl) {
  const std::filesystem::path python = "/usr/bin/python3";
  if (!std::filesystem::exists(python)) {
    return ::testing::AssertionFailure() << "/usr/bin/python3 is missing: run scripts/bootstrap";
  }
  const std::filesystem::path data = ScratchFile("reports.jsonl");
  WriteFile(data, jsonl);
  const CommandResult result =
      Run(Quote(python) + " " + Quote(RepoRoot() / "tests/report/validate_json_schema.py") + " " +
          Quote(RepoRoot() / "docs/report-format.schema.json") + " " + Quote(data));
  std::filesystem::remove(data);
  if (result.status == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "JSON Schema validation failed (status " << result.status << "):\n"
         << result.output;
}

inline std::filesystem::path SarifMultitool() {
  return RepoRoot() / "tools/node_modules/@microsoft/sarif-multitool/bin.js";
}

// Validates a SARIF log with the SARIF Multitool. Its `validate` exits 0 even
// for invalid files, so the verdict is read from its own SARIF output: any
// result of level "error" or "warning" fails, except the advice to give the
// tool's web page (informationUri): racelens has none.
inline ::testing::AssertionResult IsValidSarif(const std::string& sarif) {
  if (!std::filesystem::exists(SarifMultitool())) {
    return ::testing::AssertionFailure()
           << SarifMultitool() << " is missing: run scripts/bootstrap (npm ci --prefix tools)";
  }
  const std::filesystem::path input = ScratchFile("log.sarif");
  const std::filesystem::path output = ScratchFile("validation.sarif");
  WriteFile(input, sarif);
  const CommandResult result = Run("node " + Quote(SarifMultitool()) + " validate " + Quote(input) +
                                   " --output " + Quote(output) + " --log ForceOverwrite");
  std::filesystem::remove(input);
  if (result.status != 0 || !std::filesystem::exists(output)) {
    return ::testing::AssertionFailure()
           << "sarif-multitool did not run (status " << result.status << "):\n"
           << result.output;
  }
  nlohmann::json log = nlohmann::json::parse(std::ifstream(output));
  std::filesystem::remove(output);
  std::string problems;
  for (const auto& run : log.at("runs")) {
    for (const auto& r : run.value("results", nlohmann::json::array())) {
      std::string level = "warning";  // SARIF's default when neither result nor rule says
      if (r.contains("level")) {
        level = r.at("level").get<std::string>();
      } else if (r.contains("ruleIndex")) {
        const auto& rule = run.at("tool").at("driver").at("rules").at(r.at("ruleIndex").get<int>());
        if (rule.contains("defaultConfiguration")) {
          level = rule.at("defaultConfiguration").value("level", level);
        }
      }
      if (level != "error" && level != "warning") continue;
      // racelens has no public web page to give as tool.driver.informationUri.
      if (r.at("message").value("id", "") == "Warning_ProvideToolnformationUri") continue;
      problems += level + " " + r.value("ruleId", "?") + ": " + r.at("message").dump() + "\n";
    }
  }
  if (problems.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "sarif-multitool found problems:\n"
                                       << problems << result.output;
}

}  // namespace racelens::report::validators
