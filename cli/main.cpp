// The racelens command. Each subcommand lives in its own <name>_command.{hpp,cpp}; this file
// only parses the command line and maps errors to exit statuses (exit_status.hpp).
#include <exception>

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include "check_command.hpp"
#include "exit_status.hpp"
#include "explore_command.hpp"
#include "replay_command.hpp"
#include "report_command.hpp"
#include "run_command.hpp"

int main(int argc, char** argv) {
  using namespace racelens::cli;
  CLI::App app{"racelens finds concurrency bugs in C++ programs", "racelens"};
  app.require_subcommand(1);
  CheckOptions check_options;
  CLI::App* check = AddCheckCommand(app, check_options);
  RunOptions run_options;
  CLI::App* run = AddRunCommand(app, run_options);
  ReportOptions report_options;
  CLI::App* report = AddReportCommand(app, report_options);
  ReplayOptions replay_options;
  CLI::App* replay = AddReplayCommand(app, replay_options);
  ExploreOptions explore_options;
  CLI::App* explore = AddExploreCommand(app, explore_options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kClean : kUsageError;
  }
  try {
    if (check->parsed()) return RunCheck(check_options);
    if (run->parsed()) return Run(run_options);
    if (report->parsed()) return RunReport(report_options);
    if (replay->parsed()) return RunReplay(replay_options);
    if (explore->parsed()) return RunExplore(explore_options);
  } catch (const UsageError& e) {
    fmt::print(stderr, "racelens: {}.\n", e.what());
    return kUsageError;
  } catch (const std::exception& e) {
    fmt::print(stderr, "racelens: internal error: {}.\n", e.what());
    return kInternalError;
  }
  return kUsageError;
}
