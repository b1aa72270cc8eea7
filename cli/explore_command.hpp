// `racelens explore [-n N] [--schedule random|pct] [--pct-depth D] [--pct-steps K] [--format F]
// [--out FILE] -- PROGRAM [ARGS...]`: runs PROGRAM under the controlled schedule with seeds 1..N,
// one after another (RunOnce), until a run reports something. PROGRAM's stdout and stderr are kept
// in a temporary file and shown only for the reporting run.
//
// At the first report: PROGRAM's output, the reports (as `run` renders them, to stderr or --out),
// `racelens: found <kind> after K runs (seed S)` and the replay command; exit 66. A run killed by
// a signal stops the search too (exit 128 + signal). Otherwise `racelens: no report in N runs`,
// exit 0. A PROGRAM that cannot be started throws UsageError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "saved_reports.hpp"

namespace racelens::cli {

struct ExploreOptions {
  int runs = 100;
  std::string schedule = "random";
  std::optional<int> pct_depth;
  std::optional<std::uint64_t> pct_steps;
  OutputFormat format = OutputFormat::kText;
  std::string out;
  std::vector<std::string> command;  // PROGRAM ARGS...
};

/// Adds the `explore` subcommand to `app`; its values land in `options` when parsed.
CLI::App* AddExploreCommand(CLI::App& app, ExploreOptions& options);

int RunExplore(const ExploreOptions& options);

}  // namespace racelens::cli
