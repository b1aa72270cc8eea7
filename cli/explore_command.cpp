#include "explore_command.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include <fmt/core.h>

#include "check_command.hpp"
#include "exit_status.hpp"
#include "report/replay.hpp"
#include "run_command.hpp"

namespace racelens::cli {
namespace {

namespace fs = std::filesystem;

// A temporary file for one run's output, removed at the end.
class TemporaryOutput {
 public:
  TemporaryOutput() {
    std::error_code ignored;
    fs::path base = fs::temp_directory_path(ignored);
    if (base.empty()) base = "/tmp";
    std::string pattern = (base / "racelens-explore-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
      throw std::runtime_error(
          fmt::format("cannot create a file for the program's output in {} ({})", base.string(),
                      std::strerror(errno)));
    }
    ::close(fd);
    path_ = pattern;
  }
  ~TemporaryOutput() {
    std::error_code ignored;
    fs::remove(path_, ignored);
  }
  TemporaryOutput(const TemporaryOutput&) = delete;
  TemporaryOutput& operator=(const TemporaryOutput&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void CopyToStdout(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::cout << in.rdbuf();
  std::cout.flush();
}

}  // namespace

CLI::App* AddExploreCommand(CLI::App& app, ExploreOptions& options) {
  CLI::App* explore = app.add_subcommand(
      "explore", "Run a program under seeds 1..N of a controlled schedule until one reports");
  explore->add_option("-n,--runs", options.runs, "How many seeds to try (1..N)")
      ->check(CLI::PositiveNumber)
      ->default_str("100");
  explore->add_option("--schedule", options.schedule, "Thread schedule: random or pct")
      ->check(CLI::IsMember({"random", "pct"}))
      ->default_str("random");
  AddPctOptions(*explore, options.pct_depth, options.pct_steps);
  explore->add_option("--format", options.format, "Report format: text, json, sarif or html")
      ->transform(CLI::CheckedTransformer(OutputFormatNames(), CLI::ignore_case))
      ->default_str("text");
  explore->add_option("--out", options.out, "Write the reports to this file instead of stderr");
  explore->add_option("command", options.command, "-- PROGRAM [ARGS...]")->required();
  explore->footer(
      "Exit status: 66 when a run reported (its output, reports and replay command are shown), "
      "0 when none of the N runs did, 128+N when a run was killed by signal N.");
  return explore;
}

int RunExplore(const ExploreOptions& options) {
  const TemporaryOutput output;
  for (int run_number = 1; run_number <= options.runs; ++run_number) {
    const auto seed = static_cast<std::uint64_t>(run_number);
    const RunOptions run{.format = options.format,
                         .out = options.out,
                         .schedule = options.schedule,
                         .seed = seed,
                         .pct_depth = options.pct_depth,
                         .pct_steps = options.pct_steps,
                         .command = options.command};
    const RunResult result = RunOnce(run, output.path());
    const bool killed = WIFSIGNALED(result.wait_status);
    if (result.reports.empty() && !killed) continue;

    CopyToStdout(output.path());
    if (!result.reports.empty() || !options.out.empty())
      RenderReportsTo(result.reports, options.format, options.out, std::cerr);
    const std::string replay =
        !result.reports.empty() && !result.reports.front().schedule.replay_command.empty()
            ? result.reports.front().schedule.replay_command
            : report::ReplayCommand(options.schedule, seed, options.pct_depth, options.pct_steps,
                                    options.command);
    if (killed) {
      const int status = RunExitStatus(run, result);
      fmt::print(stderr, "racelens: replay: {}\n", replay);
      return status;
    }
    fmt::print(stderr, "racelens: found {} after {} run{} (seed {})\n",
               report::KindId(result.reports.front().kind), run_number, run_number == 1 ? "" : "s",
               seed);
    fmt::print(stderr, "racelens: replay: {}\n", replay);
    return kFindings;
  }
  fmt::print(stderr, "racelens: no report in {} run{}\n", options.runs,
             options.runs == 1 ? "" : "s");
  return kClean;
}

}  // namespace racelens::cli
