// ClangTidy: runs the LLVM 19 clang-tidy with the racelens plugin on one file and parses what it
// reports. Contract: construct with the binary and plugin paths; version() says which LLVM the
// binary is (0 when it cannot be run); run() may be called from several threads at once.
#pragma once

#include <string>
#include <vector>

#include "diagnostic.hpp"

namespace racelens::cli {

struct TidyResult {
  std::vector<Diagnostic> diagnostics;  // racelens warnings only, in output order
  std::string output;                   // everything clang-tidy printed
  bool failed = false;                  // clang-tidy could not analyse the file
};

class ClangTidy {
 public:
  ClangTidy(std::string binary, std::string plugin, std::string checks);

  /// The LLVM major version of the binary, or 0 when it cannot be run or does not say.
  int version() const;
  /// True when `--list-checks` with the plugin lists racelens checks.
  bool loadsPlugin() const;
  /// Runs on `file` with the compilation database in `build_dir`.
  TidyResult run(const std::string& build_dir, const std::string& file) const;

  const std::string& binary() const { return binary_; }

 private:
  std::string binary_, plugin_, checks_;
};

/// Parses clang-tidy output into racelens warnings with their notes.
std::vector<Diagnostic> ParseDiagnostics(const std::string& output);

}  // namespace racelens::cli
