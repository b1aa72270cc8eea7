// `racelens run [--format text|json|sarif] [--out FILE] [--schedule S] [--seed N] -- PROGRAM
// [ARGS...]`: runs PROGRAM with RACELENS_OPTIONS pointing its reports (and those of any process
// it forks) at a temporary report_path, passes its stdin, stdout and stderr through, then renders
// every report to stderr (or --out) in the chosen format.
//
// Exit status: PROGRAM's own status when nothing was reported; the `exitcode` of
// RACELENS_OPTIONS (66 unless set) when something was; 128 + N when PROGRAM was killed by signal
// N (with a message). Arguments that are wrong, or a PROGRAM that cannot be started, throw
// UsageError.
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
  std::vector<std::string> command;  // PROGRAM ARGS...
};

/// Adds the `run` subcommand to `app`; its values land in `options` when parsed.
CLI::App* AddRunCommand(CLI::App& app, RunOptions& options);

int Run(const RunOptions& options);

}  // namespace racelens::cli
