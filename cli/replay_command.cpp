#include "replay_command.hpp"

#include <iostream>
#include <stdexcept>

#include <fmt/core.h>

#include "check_command.hpp"
#include "exit_status.hpp"
#include "report/json_writer.hpp"
#include "report/replay.hpp"
#include "run_command.hpp"

namespace racelens::cli {
namespace {

bool SameSchedule(const report::Schedule& a, const report::Schedule& b) {
  return a.strategy == b.strategy && a.seed == b.seed && a.depth == b.depth && a.steps == b.steps &&
         a.replay_command == b.replay_command;
}

std::vector<std::string> ComparableLines(const std::vector<report::Report>& reports) {
  std::vector<std::string> lines;
  for (const report::Report& r : reports) {
    lines.push_back(report::ToJsonLine(report::ForReplayComparison(r)));
  }
  return lines;
}

// The run a report file's K-th report came from: its schedule and command.
RunOptions RunOptionsFromReport(const ReplayOptions& options, const std::string& file,
                                const std::vector<report::Report>& reports) {
  if (reports.empty()) {
    throw UsageError(fmt::format("{} holds no report, so there is nothing to replay", file));
  }
  if (options.index < 1 || static_cast<std::size_t>(options.index) > reports.size()) {
    throw UsageError(fmt::format("--index {} is out of range: {} holds {} report{} (1 to {})",
                                 options.index, file, reports.size(),
                                 reports.size() == 1 ? "" : "s", reports.size()));
  }
  const report::Schedule& schedule = reports[static_cast<std::size_t>(options.index) - 1].schedule;
  if (schedule.strategy != "random" && schedule.strategy != "pct") {
    throw UsageError(fmt::format(
        "report {} of {} was made under schedule={}, which cannot be replayed; run the program "
        "under --schedule random or pct (racelens explore tries seeds)",
        options.index, file, schedule.strategy));
  }
  if (!schedule.seed) {
    throw UsageError(
        fmt::format("report {} of {} has no seed, so it cannot be replayed", options.index, file));
  }
  RunOptions run{.format = options.format,
                 .out = options.out,
                 .schedule = schedule.strategy,
                 .seed = schedule.seed,
                 .pct_depth = schedule.depth,
                 .pct_steps = schedule.steps,
                 .command = {}};
  try {
    run.command = report::ReplayProgram(schedule.replay_command);
  } catch (const std::invalid_argument& e) {
    std::string why = e.what();
    if (!why.empty() && why.back() == '.') why.pop_back();
    throw UsageError(fmt::format("the replay command of report {} of {} cannot be read ({})",
                                 options.index, file, why));
  }
  if (run.command.empty()) {
    std::string pct;
    if (schedule.depth) pct += fmt::format(" --pct-depth {}", *schedule.depth);
    if (schedule.steps) pct += fmt::format(" --pct-steps {}", *schedule.steps);
    throw UsageError(fmt::format(
        "report {} of {} has no program to run in its replay command ('{}'); give it with "
        "racelens replay --schedule {} --seed {}{} -- PROGRAM [ARGS]",
        options.index, file, schedule.replay_command, schedule.strategy, *schedule.seed, pct));
  }
  return run;
}

}  // namespace

CLI::App* AddReplayCommand(CLI::App& app, ReplayOptions& options) {
  CLI::App* replay = app.add_subcommand(
      "replay", "Run a program again under the schedule and seed of a report, or of the options");
  replay->add_option("--format", options.format, "Report format: text, json, sarif or html")
      ->transform(CLI::CheckedTransformer(OutputFormatNames(), CLI::ignore_case))
      ->default_str("text");
  replay->add_option("--out", options.out, "Write the reports to this file instead of stderr");
  replay
      ->add_option("--index", options.index,
                   "Which report of REPORT.json to replay: 1 (the default) is the first")
      ->check(CLI::PositiveNumber);
  replay->add_option("--schedule", options.schedule, "Thread schedule: random or pct")
      ->check(CLI::IsMember({"random", "pct"}));
  replay->add_option("--seed", options.seed, "Seed of the schedule");
  AddPctOptions(*replay, options.pct_depth, options.pct_steps);
  replay->add_option("args", options.args, "REPORT.json, or -- PROGRAM [ARGS...]")->required();
  replay->footer(
      "From REPORT.json (JSON lines, as `run --format json` or report_path=DIR write them) the "
      "replay is compared with the original run (its schedule, seed, pct depth and steps are the "
      "report's): \"reproduced\" keeps the program's status (66 with reports), \"diverged\" "
      "exits 1.");
  return replay;
}

int RunReplay(const ReplayOptions& options) {
  const bool from_options =
      !options.schedule.empty() || options.seed || options.pct_depth || options.pct_steps;
  if (from_options) {
    if (options.schedule.empty() || !options.seed) {
      throw UsageError(
          "replay without a report file needs both --schedule and --seed, then -- PROGRAM "
          "[ARGS]");
    }
    const RunOptions run{.format = options.format,
                         .out = options.out,
                         .schedule = options.schedule,
                         .seed = options.seed,
                         .pct_depth = options.pct_depth,
                         .pct_steps = options.pct_steps,
                         .command = options.args};
    const RunResult result = RunOnce(run);
    std::cout.flush();
    if (!result.reports.empty() || !options.out.empty())
      RenderReportsTo(result.reports, options.format, options.out, std::cerr);
    return RunExitStatus(run, result);
  }
  if (options.args.size() != 1) {
    throw UsageError(
        "replay takes one report file (racelens replay REPORT.json), or --schedule and --seed "
        "followed by -- PROGRAM [ARGS]");
  }
  const std::string& file = options.args.front();
  const std::vector<report::Report> saved = ReadReportFile(file);
  const RunOptions run = RunOptionsFromReport(options, file, saved);
  const report::Schedule& chosen = saved[static_cast<std::size_t>(options.index) - 1].schedule;
  std::vector<report::Report> original;
  for (const report::Report& r : saved) {
    if (SameSchedule(r.schedule, chosen)) original.push_back(r);
  }

  const RunResult result = RunOnce(run);
  std::cout.flush();
  if (!result.reports.empty() || !options.out.empty())
    RenderReportsTo(result.reports, options.format, options.out, std::cerr);

  const std::vector<std::string> before = ComparableLines(original);
  const std::vector<std::string> after = ComparableLines(result.reports);
  if (before == after) {
    fmt::print(stderr, "racelens: reproduced: the replay gave the same {} report{} as {}.\n",
               after.size(), after.size() == 1 ? "" : "s", file);
    return RunExitStatus(run, result);
  }
  std::size_t first = 0;
  while (first < before.size() && first < after.size() && before[first] == after[first]) ++first;
  std::string where;
  if (first < before.size() && first < after.size()) {
    where = fmt::format("report {} differs (originally '{}', now '{}')", first + 1,
                        original[first].title, result.reports[first].title);
  } else if (first < before.size()) {
    where = fmt::format("report {} ('{}') is missing from the replay", first + 1,
                        original[first].title);
  } else {
    where = fmt::format("the replay has an extra report {} ('{}')", first + 1,
                        result.reports[first].title);
  }
  fmt::print(stderr,
             "racelens: diverged: the original run had {} report{} and the replay {}; {}.\n",
             before.size(), before.size() == 1 ? "" : "s", after.size(), where);
  return kDiverged;
}

}  // namespace racelens::cli
