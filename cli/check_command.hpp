// `racelens check [-p BUILD_DIR] [-j N] [--sarif OUT] [FILES...]`: runs clang-tidy 19 with the
// racelens plugin over the files of BUILD_DIR/compile_commands.json (or just FILES), in parallel,
// prints the findings in clang-tidy's format, optionally writes them as SARIF 2.1.0, and returns
// kFindings when anything was found, kClean otherwise. Problems with the arguments throw
// UsageError; problems running clang-tidy return kInternalError with a message on stderr.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace racelens::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CheckOptions {
  std::string build_dir = ".";
  unsigned jobs = 0;  // 0: one per hardware thread
  std::string sarif;
  std::vector<std::string> files;
  std::string clang_tidy;
  std::string plugin;
  std::string checks;
};

/// Adds the `check` subcommand to `app`; its values land in `options` when parsed.
CLI::App* AddCheckCommand(CLI::App& app, CheckOptions& options);

int RunCheck(const CheckOptions& options);

}  // namespace racelens::cli
