#include "run_command.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/personality.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>

#include <fmt/core.h>

#include "check_command.hpp"
#include "exit_status.hpp"

extern char** environ;

namespace racelens::cli {
namespace {

namespace fs = std::filesystem;

constexpr int kDefaultReportExitCode = 66;

// A private directory for the child's <pid>.jsonl files, removed when the run ends.
class TemporaryReportDir {
 public:
  TemporaryReportDir() {
    std::error_code ignored;
    fs::path base = fs::temp_directory_path(ignored);
    if (base.empty()) base = "/tmp";
    std::string pattern = (base / "racelens-run-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error(fmt::format("cannot create a directory for the reports in {} ({})",
                                           base.string(), std::strerror(errno)));
    }
    path_ = pattern;
  }
  ~TemporaryReportDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TemporaryReportDir(const TemporaryReportDir&) = delete;
  TemporaryReportDir& operator=(const TemporaryReportDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// RACELENS_OPTIONS entries "key=value", split on ':' as the runtime splits them.
std::vector<std::string> OptionEntries(const char* options) {
  std::vector<std::string> entries;
  if (options == nullptr) return entries;
  std::string text = options;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(':', start), text.size());
    if (end > start) entries.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return entries;
}

std::string Key(const std::string& entry) { return entry.substr(0, entry.find('=')); }

// The child's RACELENS_OPTIONS: the user's, with report_path (and format) taken over by `run`,
// and --schedule/--seed/--pct-depth/--pct-steps when given. A bad value is left for the runtime to
// reject by name.
std::string ChildOptions(const RunOptions& options, const fs::path& report_dir) {
  std::vector<std::string> entries;
  for (const std::string& entry : OptionEntries(std::getenv("RACELENS_OPTIONS"))) {
    const std::string key = Key(entry);
    if (key == "report_path" || key == "format") continue;
    if (key == "schedule" && !options.schedule.empty()) continue;
    if (key == "seed" && options.seed) continue;
    if (key == "pct_depth" && options.pct_depth) continue;
    if (key == "pct_steps" && options.pct_steps) continue;
    entries.push_back(entry);
  }
  entries.push_back("report_path=" + report_dir.string());
  if (!options.schedule.empty()) entries.push_back("schedule=" + options.schedule);
  if (options.seed) entries.push_back("seed=" + std::to_string(*options.seed));
  if (options.pct_depth) entries.push_back("pct_depth=" + std::to_string(*options.pct_depth));
  if (options.pct_steps) entries.push_back("pct_steps=" + std::to_string(*options.pct_steps));
  std::string joined;
  for (const std::string& entry : entries) joined += (joined.empty() ? "" : ":") + entry;
  return joined;
}

// The exit status a run with findings ends with: RACELENS_OPTIONS's exitcode, 66 by default.
int ReportExitCode() {
  for (const std::string& entry : OptionEntries(std::getenv("RACELENS_OPTIONS"))) {
    if (Key(entry) != "exitcode") continue;
    const std::string value = entry.substr(entry.find('=') + 1);
    char* end = nullptr;
    const long code = std::strtol(value.c_str(), &end, 10);
    if (!value.empty() && *end == '\0' && code >= 0 && code <= 255) return static_cast<int>(code);
  }
  return kDefaultReportExitCode;
}

// The environment for the child: ours with RACELENS_OPTIONS replaced.
std::vector<std::string> ChildEnvironment(const std::string& racelens_options) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (std::strncmp(*entry, "RACELENS_OPTIONS=", 17) != 0) env.emplace_back(*entry);
  }
  env.push_back("RACELENS_OPTIONS=" + racelens_options);
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Turns address-space randomisation off for the processes spawned while it lives (the
// personality is copied into the child at spawn and applies at exec), and back on after.
class NoAddressRandomisation {
 public:
  explicit NoAddressRandomisation(bool active) {
    if (!active) return;
    const int current = personality(0xffffffff);
    if (current == -1 || (current & ADDR_NO_RANDOMIZE) != 0) return;
    if (personality(static_cast<unsigned long>(current) | ADDR_NO_RANDOMIZE) != -1) {
      previous_ = current;
    }
  }
  ~NoAddressRandomisation() {
    if (previous_ != -1) personality(static_cast<unsigned long>(previous_));
  }
  NoAddressRandomisation(const NoAddressRandomisation&) = delete;
  NoAddressRandomisation& operator=(const NoAddressRandomisation&) = delete;

 private:
  int previous_ = -1;
};

// Runs the command with SIGINT and SIGQUIT ignored here (the terminal sends them to the child
// too, as system() does); returns the wait status. With `output`, the child's stdout and stderr
// go to that file.
int SpawnAndWait(std::vector<std::string> command, std::vector<std::string> env,
                 const std::string& output) {
  std::vector<char*> argv = CStrings(command);
  std::vector<char*> envp = CStrings(env);
  struct sigaction ignore{};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  struct sigaction old_int{}, old_quit{};
  sigaction(SIGINT, &ignore, &old_int);
  sigaction(SIGQUIT, &ignore, &old_quit);
  // The child gets the default dispositions back.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGQUIT);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!output.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  }
  pid_t pid = 0;
  const int error = posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  int status = 0;
  if (error == 0) {
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGQUIT, &old_quit, nullptr);
  if (error != 0) {
    throw UsageError(
        fmt::format("cannot run '{}' ({}); give the path of a program built with "
                    "racelens",
                    command.front(), std::strerror(error)));
  }
  return status;
}

// Every report the run left, the program's own process first, then its children by pid.
std::vector<report::Report> CollectReports(const fs::path& dir) {
  std::vector<std::pair<long, fs::path>> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".jsonl") continue;
    files.emplace_back(std::strtol(entry.path().stem().c_str(), nullptr, 10), entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<report::Report> reports;
  for (const auto& [pid, file] : files) {
    std::vector<report::Report> more = ReadReportFile(file.string());
    reports.insert(reports.end(), more.begin(), more.end());
  }
  return reports;
}

}  // namespace

void AddPctOptions(CLI::App& command, std::optional<int>& depth,
                   std::optional<std::uint64_t>& steps) {
  command
      .add_option("--pct-depth", depth,
                  "pct_depth of the pct schedule: change points + 1 (1 to 10)")
      ->check(CLI::PositiveNumber);
  command
      .add_option("--pct-steps", steps,
                  "pct_steps of the pct schedule: change points fall in steps 1..K")
      ->check(CLI::PositiveNumber);
}

CLI::App* AddRunCommand(CLI::App& app, RunOptions& options) {
  CLI::App* run = app.add_subcommand(
      "run", "Run a program built with racelens and render what its runtime reports");
  run->add_option("--format", options.format, "Report format: text, json, sarif or html")
      ->transform(CLI::CheckedTransformer(OutputFormatNames(), CLI::ignore_case))
      ->default_str("text");
  run->add_option("--out", options.out, "Write the reports to this file instead of stderr");
  run->add_option("--schedule", options.schedule, "Thread schedule: os, random or pct")
      ->check(CLI::IsMember({"os", "random", "pct"}));
  run->add_option("--seed", options.seed,
                  "Seed of racelens::random() and of the random and pct schedules");
  AddPctOptions(*run, options.pct_depth, options.pct_steps);
  run->add_option("command", options.command, "-- PROGRAM [ARGS...]")->required();
  run->footer(
      "The program's stdin, stdout and stderr are its own. Exit status: the program's when "
      "nothing was reported, the RACELENS_OPTIONS exitcode (66) when something was, 128+N when "
      "the program was killed by signal N.");
  return run;
}

bool ControlledSchedule(const RunOptions& options) {
  std::string schedule = options.schedule;
  if (schedule.empty()) {
    for (const std::string& entry : OptionEntries(std::getenv("RACELENS_OPTIONS"))) {
      if (Key(entry) == "schedule") schedule = entry.substr(entry.find('=') + 1);
    }
  }
  return schedule == "random" || schedule == "pct";
}

RunResult RunOnce(const RunOptions& options, const std::string& output) {
  const TemporaryReportDir report_dir;
  RunResult result;
  {
    const NoAddressRandomisation no_aslr(ControlledSchedule(options));
    result.wait_status = SpawnAndWait(
        options.command, ChildEnvironment(ChildOptions(options, report_dir.path())), output);
  }
  result.reports = CollectReports(report_dir.path());
  return result;
}

int RunExitStatus(const RunOptions& options, const RunResult& result) {
  const int status = result.wait_status;
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    fmt::print(stderr, "racelens: {} was killed by signal {} ({}).\n", options.command.front(),
               signal, strsignal(signal));
    return 128 + signal;
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : kInternalError;
  if (result.reports.empty()) return code;
  const int report_code = ReportExitCode();
  return report_code == 0 ? code : report_code;
}

int Run(const RunOptions& options) {
  const RunResult result = RunOnce(options);
  std::cout.flush();
  if (!result.reports.empty() || !options.out.empty())
    RenderReportsTo(result.reports, options.format, options.out, std::cerr);
  return RunExitStatus(options, result);
}

}  // namespace racelens::cli
