#include "check_command.hpp"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>
#include <tuple>

#include <fmt/core.h>

#include "check_sarif.hpp"
#include "clang_tidy.hpp"
#include "compile_db.hpp"
#include "exit_status.hpp"

#ifndef RACELENS_TIDY_PLUGIN
#define RACELENS_TIDY_PLUGIN ""
#endif

namespace racelens::cli {
namespace {

constexpr const char* kDefaultClangTidy = "/usr/lib/llvm-19/bin/clang-tidy";
constexpr const char* kDefaultChecks = "racelens-*,-racelens-nested-lock";
constexpr int kLlvmVersion = 19;

std::string DefaultPlugin() {
  if (const char* env = std::getenv("RACELENS_TIDY_PLUGIN"); env != nullptr && *env != '\0')
    return env;
  return RACELENS_TIDY_PLUGIN;
}

void Print(const Diagnostic& d) {
  fmt::print("{}:{}:{}: warning: {} [{}]\n", d.where.file, d.where.line, d.where.column, d.message,
             d.check);
  for (const Note& note : d.notes)
    fmt::print("{}:{}:{}: note: {}\n", note.where.file, note.where.line, note.where.column,
               note.message);
}

std::vector<TidyResult> RunAll(const ClangTidy& tidy, const std::string& build_dir,
                               const std::vector<std::string>& files, unsigned jobs) {
  std::vector<TidyResult> results(files.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < files.size(); i = next++) {
      // NOLINTNEXTLINE(racelens-unguarded-shared-write): one worker per index, claimed via `next`
      results[i] = tidy.run(build_dir, files[i]);
    }
  };
  std::vector<std::thread> workers;
  for (unsigned j = 0; j < std::min<size_t>(jobs, files.size()); ++j) workers.emplace_back(work);
  for (std::thread& worker : workers) worker.join();
  return results;
}

}  // namespace

CLI::App* AddCheckCommand(CLI::App& app, CheckOptions& options) {
  CLI::App* check =
      app.add_subcommand("check", "Run the racelens clang-tidy checks over a compilation database");
  check
      ->add_option("-p,--build-dir", options.build_dir,
                   "Build directory holding compile_commands.json")
      ->capture_default_str();
  check->add_option("-j,--jobs", options.jobs, "Files analysed in parallel (default: all cores)")
      ->check(CLI::PositiveNumber);
  check->add_option("--sarif", options.sarif,
                    "Also write the findings as SARIF 2.1.0 to this file");
  check->add_option("--clang-tidy", options.clang_tidy, "The clang-tidy 19 binary")
      ->default_val(kDefaultClangTidy);
  check
      ->add_option("--plugin", options.plugin,
                   "The racelens plugin (libRacelensTidy.so; or set RACELENS_TIDY_PLUGIN)")
      ->default_val(DefaultPlugin());
  check->add_option("--checks", options.checks, "clang-tidy check globs to run")
      ->default_val(kDefaultChecks);
  check->add_option("files", options.files,
                    "Only these files (they must be in compile_commands.json)");
  return check;
}

int RunCheck(const CheckOptions& options) {
  std::vector<std::string> files;
  try {
    files = CompileDbFiles(options.build_dir);
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());
  }
  if (!options.files.empty()) {
    const std::set<std::string> known(files.begin(), files.end());
    files.clear();
    for (const std::string& file : options.files) {
      const std::string absolute = std::filesystem::absolute(file).lexically_normal().string();
      if (!known.count(absolute))
        throw UsageError(
            fmt::format("{} is not in {}/compile_commands.json; build it first or "
                        "drop it from the command line",
                        file, options.build_dir));
      files.push_back(absolute);
    }
  }
  if (options.plugin.empty() || !std::filesystem::exists(options.plugin)) {
    fmt::print(stderr,
               "racelens: the plugin '{}' does not exist; build the RacelensTidy target or pass "
               "--plugin PATH (or set RACELENS_TIDY_PLUGIN).\n",
               options.plugin);
    return kInternalError;
  }
  const ClangTidy tidy(options.clang_tidy, options.plugin, options.checks);
  const int version = tidy.version();
  if (version != kLlvmVersion) {
    fmt::print(stderr,
               "racelens: racelens check needs clang-tidy {0} (the plugin is built against LLVM "
               "{0}), but {1} is {2}; install clang-tidy-{0} (scripts/bootstrap) or pass "
               "--clang-tidy /usr/lib/llvm-{0}/bin/clang-tidy.\n",
               kLlvmVersion, options.clang_tidy,
               version == 0 ? std::string("not a clang-tidy that can be run")
                            : fmt::format("LLVM {}", version));
    return kInternalError;
  }
  if (!tidy.loadsPlugin()) {
    fmt::print(stderr, "racelens: {} does not load the plugin {}; rebuild RacelensTidy.\n",
               options.clang_tidy, options.plugin);
    return kInternalError;
  }
  const unsigned jobs =
      options.jobs > 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  const std::vector<TidyResult> results = RunAll(tidy, options.build_dir, files, jobs);

  std::vector<Diagnostic> findings;
  std::set<std::tuple<std::string, int, int, std::string>> seen;  // headers repeat per file
  int failures = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].failed) {
      ++failures;
      fmt::print(stderr, "racelens: clang-tidy could not analyse {}:\n{}\n", files[i],
                 results[i].output);
    }
    for (const Diagnostic& d : results[i].diagnostics) {
      if (!seen.insert({d.where.file, d.where.line, d.where.column, d.check}).second) continue;
      Print(d);
      findings.push_back(d);
    }
  }
  if (!options.sarif.empty()) {
    std::ofstream out(options.sarif);
    out << CheckSarif(findings);
    if (!out.flush()) {
      fmt::print(stderr, "racelens: cannot write the SARIF log to {}.\n", options.sarif);
      return kInternalError;
    }
  }
  fmt::print(stderr, "racelens check: {} finding{} in {} file{}\n", findings.size(),
             findings.size() == 1 ? "" : "s", files.size(), files.size() == 1 ? "" : "s");
  if (failures > 0) {
    fmt::print(stderr, "racelens: clang-tidy failed on {} file{}; see above.\n", failures,
               failures == 1 ? "" : "s");
    return kInternalError;
  }
  return findings.empty() ? kClean : kFindings;
}

}  // namespace racelens::cli
