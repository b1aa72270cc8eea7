// `racelens replay REPORT.json [--index K]` or `racelens replay --schedule random|pct --seed N
// [--pct-depth D] [--pct-steps K] -- PROGRAM [ARGS...]` (both with [--format text|json|sarif|html]
// [--out FILE]): runs PROGRAM again under the same controlled schedule and seed (through RunOnce,
// so with address-space randomisation off) and renders its reports as `run` does.
//
// From a report file: the K-th report (1, the first, by default) gives the schedule, the seed
// (under pct also the depth and steps) and PROGRAM ARGS (the words after "--" of its
// replay_command); the new reports are compared with the original run's (the file's reports with
// the same schedule) after dropping the pid. "reproduced" keeps `run`'s exit status; "diverged"
// exits 1. A missing or malformed file, a report without a controlled schedule or an index out of
// range throw UsageError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "saved_reports.hpp"

namespace racelens::cli {

struct ReplayOptions {
  OutputFormat format = OutputFormat::kText;
  std::string out;
  int index = 1;
  std::string schedule;
  std::optional<std::uint64_t> seed;
  std::optional<int> pct_depth;
  std::optional<std::uint64_t> pct_steps;
  std::vector<std::string> args;  // REPORT.json, or -- PROGRAM ARGS...
};

/// Adds the `replay` subcommand to `app`; its values land in `options` when parsed.
CLI::App* AddReplayCommand(CLI::App& app, ReplayOptions& options);

int RunReplay(const ReplayOptions& options);

}  // namespace racelens::cli
