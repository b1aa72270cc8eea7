// `racelens run [--format text|json|sarif|html] [--out FILE] [--schedule S] [--seed N]
// [--pct-depth D] [--pct-steps K] -- PROGRAM [ARGS...]`: runs PROGRAM with RACELENS_OPTIONS
// pointing its reports (and those of any process it forks) at a temporary report_path, passes its
// stdin, stdout and stderr through, then renders every report to stderr (or --out) in the chosen
// format.
//
// Exit status: PROGRAM's own status when nothing was reported; the `exitcode` of
// RACELENS_OPTIONS (66 unless set) when something was; 128 + N when PROGRAM was killed by signal
// N (with a message). Under schedule=random or pct (from --schedule or RACELENS_OPTIONS) PROGRAM
// runs with address-space randomisation off (personality ADDR_NO_RANDOMIZE, inherited by what it
// starts), so that a replay of the same seed gives the same addresses in its reports. Arguments
// that are wrong, or a PROGRAM that cannot be started, throw UsageError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "saved_reports.hpp"

namespace racelens::cli {

struct RunOptions {
  OutputFormat format = OutputFormat::kText;
  std::string out;
  std::string schedule;  // empty: leave it to RACELENS_OPTIONS (default os)
  std::optional<std::uint64_t> seed;
  std::optional<int> pct_depth;
  std::optional<std::uint64_t> pct_steps;
  std::vector<std::string> command;  // PROGRAM ARGS...
};

/// One run of PROGRAM: its wait status and every report it (and its children) left.
struct RunResult {
  int wait_status = 0;
  std::vector<report::Report> reports;
};

/// Runs options.command once as `run` does, without rendering anything. With `output` set,
/// PROGRAM's stdout and stderr go to that file instead of ours. Throws UsageError when PROGRAM
/// cannot be started.
RunResult RunOnce(const RunOptions& options, const std::string& output = "");

/// `run`'s exit status for `result` (prints a line when PROGRAM was killed by a signal).
int RunExitStatus(const RunOptions& options, const RunResult& result);

/// True when the run is under a controlled schedule (random or pct): --schedule, else the
/// `schedule` of RACELENS_OPTIONS.
bool ControlledSchedule(const RunOptions& options);

/// Adds the `run` subcommand to `app`; its values land in `options` when parsed.
CLI::App* AddRunCommand(CLI::App& app, RunOptions& options);
// --pct-depth D and --pct-steps K, as run, replay and explore take them.
void AddPctOptions(CLI::App& command, std::optional<int>& depth,
                   std::optional<std::uint64_t>& steps);

int Run(const RunOptions& options);

}  // namespace racelens::cli
