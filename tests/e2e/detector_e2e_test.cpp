// tests/e2e/detector_e2e_test.cpp — the detector end to end: racy programs and their fixed twins.
//
// Every program of tests/e2e/programs/ is run many times as a child process with
// RACELENS_OPTIONS=deadlock_timeout=0.3:report_path=<fresh directory> (replacing whatever the
// ctest sets exitcode=0 for gtest tests). The test checks the exit status (66 for a racy
// program, 0 for a clean one) and reads the JSON reports of <dir>/<pid>.jsonl:
//
//   - clean programs: no report at all, in every run;
//   - racy programs: at least one report in every run, every report of the expected kind,
//     naming only the expected variables / events / locks / threads, and frame 0 of every
//     access and every lock-order edge stack on a line of the program marked with a trailing
//     `// SITE: <kind> <role>[,<role>...] [<object>]` comment, where role is the access type
//     (read, write, event-set, event-clear, misuse-call) or edge-from / edge-to (where a
//     lock-order edge's held lock / second lock was taken) and object, when given, the name the
//     report must give that access (for edges: the lock taken there). Programs whose reports do
//     not depend on the interleaving must hit every SITE role in every run.
//
// Line numbers come from scanning the sources, never from this file. Runs: 200 per program, 20
// under a sanitizer (RACELENS_E2E_SANITIZER); RACELENS_E2E_RUNS overrides both. Two children run
// at a time. The directories of the first few failing runs are kept and named in the failure.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr int kReportExitCode = 66;
constexpr int kParallelChildren = 2;
constexpr auto kChildTimeout = std::chrono::seconds(60);
constexpr std::size_t kKeptFailures = 3;  // failing runs shown (and kept on disk) per program

// ---- the programs and what they must report --------------------------------

struct Program {
  std::string name;                   // programs/<name>.cpp, built as e2e_<name>
  std::string kind;                   // the report kind; empty: a clean program
  std::set<std::string> names;        // the variables / events / locks reports may name
  std::set<std::string> threads;      // the thread names reports may show
  std::string message;                // misuse: a regex the message must match
  bool every_site_every_run = false;  // the reports do not depend on the interleaving
};

std::ostream& operator<<(std::ostream& out, const Program& program) { return out << program.name; }

std::vector<Program> Programs() {
  return {
      {"racy_counter", "data-race", {"value"}, {"adder-1", "adder-2"}, "", false},
      {"locked_counter", "", {}, {}, "", false},
      {"racy_raw", "data-race", {"hits"}, {"writer-1", "writer-2"}, "", true},
      {"joined_raw", "", {}, {}, "", false},
      {"main_thread_race", "data-race", {"status"}, {"MainThread", "child"}, "", true},
      {"main_thread_joined", "", {}, {}, "", false},
      {"event_wait_clear", "event-race", {"event"}, {"consumer", "producer"}, "", true},
      {"event_queue", "", {}, {}, "", false},
      {"lock_order",
       "lock-order-inversion",
       {"lock_a", "lock_b"},
       {"a-then-b", "b-then-a"},
       "",
       true},
      {"lock_order_consistent", "", {}, {}, "", false},
      {"misuse_release", "misuse", {}, {"MainThread"}, "release unlocked lock", true},
      {"misuse_exit_locked",
       "misuse",
       {},
       {"forgetful"},
       "thread exited while holding M[0-9]+ 'held'",
       true},
      {"misuse_free", "", {}, {}, "", false},
      {"hb_edges_clean", "", {}, {}, "", false},
      {"deadlock_queue_join", "deadlock", {"tasks"}, {"MainThread", "consumer"}, "", true},
      {"queue_join_done", "", {}, {}, "", false},
      {"racy_unnamed_static", "data-race", {"tally"}, {"writer-1", "writer-2"}, "", true},
      {"racy_record", "data-race", {"record"}, {"writer-1", "writer-2"}, "", true},
      {"joined_record", "", {}, {}, "", false},
      {"shared_storage_reused", "", {}, {}, "", false},
      {"event_storage_reused", "", {}, {}, "", false},
      {"race_after_race", "data-race", {"slot"}, {"writer-1", "writer-2", "writer-3"}, "", true},
      {"future_race", "data-race", {"cache"}, {"MainThread", "pool_0"}, "", true},
      {"future_result", "", {}, {}, "", false},
      {"deadlock_future", "deadlock", {"never", ""}, {"MainThread", "pool_0"}, "", true},
  };
}

int Runs() {
  if (const char* runs = std::getenv("RACELENS_E2E_RUNS"); runs != nullptr && *runs != '\0') {
    return std::max(1, std::atoi(runs));
  }
  return std::string_view(RACELENS_E2E_SANITIZER).empty() ? 200 : 20;
}

fs::path SourceOf(const Program& program) {
  return fs::path(RACELENS_E2E_SOURCE_DIR) / (program.name + ".cpp");
}

fs::path BinaryOf(const Program& program) {
  return fs::path(RACELENS_E2E_BIN_DIR) / ("e2e_" + program.name);
}

// ---- SITE markers -----------------------------------------------------------

struct Site {
  int line = 0;
  std::string kind;
  std::set<std::string> roles;
  std::string object;  // empty: any
};

std::vector<Site> ScanSites(const fs::path& source) {
  static const std::regex kMarker(R"(//\s*SITE:\s*(\S+)\s+(\S+)(?:\s+(\S+))?\s*$)");
  std::vector<Site> sites;
  std::ifstream in(source);
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    std::smatch match;
    if (!std::regex_search(text, match, kMarker)) continue;
    Site site{line, match[1].str(), {}, match[3].str()};
    std::stringstream roles(match[2].str());
    for (std::string role; std::getline(roles, role, ',');) site.roles.insert(role);
    sites.push_back(std::move(site));
  }
  return sites;
}

// ---- running a child --------------------------------------------------------

struct RunResult {
  int status = -1;      // the exit status; -1 when killed or not started
  std::string problem;  // why the run could not be judged, if it could not
  fs::path dir;
  pid_t pid = 0;
};

// Runs `binary` with RACELENS_OPTIONS=report_path=<dir> (and the rest of our environment, plus
// atexit_sleep_ms=0 in TSAN_OPTIONS under ThreadSanitizer); stdout and stderr go to
// <dir>/stdout and <dir>/stderr.
RunResult RunChild(const fs::path& binary, const fs::path& dir) {
  RunResult result;
  result.dir = dir;
  // ThreadSanitizer sleeps a second at exit while other threads (the runtime's watchdog) still
  // run, to catch races at exit; the children need no such wait.
  const bool tsan = std::string_view(RACELENS_E2E_SANITIZER) == "thread";
  std::string tsan_options = "TSAN_OPTIONS=";
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "RACELENS_OPTIONS=", 17) == 0) continue;
    if (tsan && std::strncmp(*e, "TSAN_OPTIONS=", 13) == 0) {
      tsan_options = std::string(*e) + " ";
      continue;
    }
    env_strings.emplace_back(*e);
  }
  // A short deadlock_timeout: a deadlock program ends in a third of a second instead of five.
  env_strings.push_back("RACELENS_OPTIONS=deadlock_timeout=0.3:report_path=" + dir.string());
  if (tsan) env_strings.push_back(tsan_options + "atexit_sleep_ms=0");
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string path = binary.string();
  std::vector<char*> argv = {path.data(), nullptr};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string out = (dir / "stdout").string();
  const std::string err = (dir / "stderr").string();
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    result.problem = "cannot start " + path + ": " + std::strerror(spawned);
    return result;
  }
  result.pid = pid;

  // Poll, so that a hanging child fails the run instead of the whole suite.
  const auto deadline = std::chrono::steady_clock::now() + kChildTimeout;
  auto pause = std::chrono::microseconds(50);
  int wstatus = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &wstatus, WNOHANG);
    if (done == pid) break;
    if (done < 0) {
      result.problem = std::string("waitpid failed: ") + std::strerror(errno);
      return result;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &wstatus, 0);
      result.problem = "the program did not finish within 60 s (killed)";
      return result;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(2000));
  }
  if (WIFEXITED(wstatus)) {
    result.status = WEXITSTATUS(wstatus);
  } else {
    result.problem = "the program was killed by signal " + std::to_string(WTERMSIG(wstatus));
  }
  return result;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// ---- judging one run --------------------------------------------------------

// Checks the reports of one run; returns the problems found (empty: the run is as expected).
class RunJudge {
 public:
  RunJudge(const Program& program, const std::vector<Site>& sites)
      : program_(program), sites_(sites), source_(fs::weakly_canonical(SourceOf(program))) {}

  std::vector<std::string> Judge(const RunResult& run) {
    problems_.clear();
    hit_.clear();
    if (!run.problem.empty()) {
      Problem(run.problem);
      return problems_;
    }
    const bool racy = !program_.kind.empty();
    const int expected_status = racy ? kReportExitCode : 0;
    if (run.status != expected_status) {
      Problem("exit status " + std::to_string(run.status) + ", expected " +
              std::to_string(expected_status));
    }
    std::vector<Json> reports = ReadReports(run);
    if (!racy) {
      for (const Json& report : reports) Problem("unexpected report: " + report.dump());
      return problems_;
    }
    if (reports.empty()) Problem("no report, expected " + program_.kind);
    for (const Json& report : reports) CheckReport(report);
    if (program_.every_site_every_run && !reports.empty()) {
      for (const Site& site : sites_) {
        for (const std::string& role : site.roles) {
          if (hit_.count({site.line, role}) == 0) {
            Problem("no report of " + role + " at the SITE on line " + std::to_string(site.line));
          }
        }
      }
    }
    return problems_;
  }

 private:
  void Problem(std::string text) { problems_.push_back(std::move(text)); }

  std::vector<Json> ReadReports(const RunResult& run) {
    std::vector<Json> reports;
    for (const auto& entry : fs::directory_iterator(run.dir)) {
      const std::string name = entry.path().filename().string();
      if (entry.path().extension() != ".jsonl") continue;
      if (name != std::to_string(run.pid) + ".jsonl") {
        Problem("unexpected report file " + name + " (the child's pid is " +
                std::to_string(run.pid) + ")");
      }
      std::ifstream in(entry.path());
      std::string line;
      while (std::getline(in, line)) {
        if (line.empty()) continue;
        try {
          reports.push_back(Json::parse(line));
        } catch (const Json::exception& e) {
          Problem(std::string("a line of ") + name + " is not JSON (" + e.what() + "): " + line);
        }
      }
    }
    return reports;
  }

  // Frame 0 of stacks[index]; nullopt (and a problem) when it is missing.
  std::optional<std::pair<std::string, int>> Frame0(const Json& report, const Json& index,
                                                    const std::string& what) {
    const Json& stacks = report.at("stacks");
    const auto i = index.get<std::size_t>();
    if (i >= stacks.size() || stacks[i].empty()) {
      Problem(what + ": empty or missing stack in " + report.dump());
      return std::nullopt;
    }
    const Json& frame = stacks[i][0];
    return std::make_pair(frame.at("file").get<std::string>(), frame.at("line").get<int>());
  }

  bool SameSource(const std::string& file) const {
    if (file.empty()) return false;
    const fs::path path(file);
    if (path.is_absolute()) return fs::weakly_canonical(path) == source_;
    return source_.string().ends_with("/" + file);
  }

  // Checks that a stack's frame 0 is a SITE of this report's kind with `role` and `object`.
  void CheckSite(const Json& report, const Json& stack, const std::string& role,
                 const std::string& object, const std::string& what) {
    const auto frame = Frame0(report, stack, what);
    if (!frame) return;
    const std::string where = frame->first + ":" + std::to_string(frame->second);
    if (!SameSource(frame->first)) {
      Problem(what + " at " + where + ", not in " + source_.string() + ": " + report.dump());
      return;
    }
    for (const Site& site : sites_) {
      if (site.line == frame->second && site.kind == program_.kind && site.roles.count(role) > 0 &&
          (site.object.empty() || site.object == object)) {
        hit_.insert({site.line, role});
        return;
      }
    }
    Problem(what + " (" + role + " of '" + object + "') at " + where +
            ", which is no matching SITE: " + report.dump());
  }

  void CheckName(const std::string& name, const std::string& what, const Json& report) {
    if (program_.names.count(name) == 0) {
      Problem(what + " names '" + name + "', not an expected name: " + report.dump());
    }
  }

  void CheckReport(const Json& report) {
    try {
      CheckReportFields(report);
    } catch (const Json::exception& e) {
      Problem(std::string("malformed report (") + e.what() + "): " + report.dump());
    }
  }

  void CheckReportFields(const Json& report) {
    const std::string kind = report.at("kind").get<std::string>();
    if (kind != program_.kind) {
      Problem("report of kind " + kind + ", expected " + program_.kind + ": " + report.dump());
      return;
    }
    for (const Json& thread : report.at("threads")) {
      const std::string name = thread.at("name").get<std::string>();
      if (program_.threads.count(name) == 0) {
        Problem("report shows thread '" + name + "', not an expected thread: " + report.dump());
      }
    }
    const Json& accesses = report.at("accesses");
    if (kind == "data-race" || kind == "event-race") {
      if (accesses.size() != 2 ||
          accesses[0].at("previous").get<bool>() == accesses[1].at("previous").get<bool>() ||
          accesses[0].at("thread") == accesses[1].at("thread")) {
        Problem("a race needs two accesses of two threads, one of them previous: " + report.dump());
      }
    }
    if (kind == "misuse") {
      if (accesses.size() != 1) Problem("a misuse has one access: " + report.dump());
      const std::string message = report.at("message").get<std::string>();
      // One regex at a time: libstdc++ fills std::ctype<char>::narrow's cache without
      // synchronisation (a benign race ThreadSanitizer reports when two runs are judged at once).
      static std::mutex regex_mutex;
      std::lock_guard regex_lock(regex_mutex);
      if (!std::regex_match(message, std::regex(program_.message))) {
        Problem("misuse message '" + message + "' does not match '" + program_.message + "'");
      }
    }
    for (std::size_t i = 0; i < accesses.size(); ++i) {
      const Json& access = accesses[i];
      const std::string object = access.at("object").get<std::string>();
      if (kind != "misuse") CheckName(object, "access " + std::to_string(i), report);
      CheckSite(report, access.at("stack"), access.at("type").get<std::string>(), object,
                "access " + std::to_string(i));
    }
    if (kind == "lock-order-inversion") CheckLockOrder(report);
    CheckTimeline(report, kind);
  }

  // The recorded timeline: steps 0..n-1 in order, events of the report's threads only, ending
  // in what the report is about.
  void CheckTimeline(const Json& report, const std::string& kind) {
    if (!report.contains("timeline") || report.at("timeline").empty()) {
      Problem("no timeline: " + report.dump());
      return;
    }
    const Json& timeline = report.at("timeline");
    std::set<int> threads;
    for (const Json& thread : report.at("threads")) threads.insert(thread.at("id").get<int>());
    std::map<int, const Json*> last_of_thread;
    for (std::size_t i = 0; i < timeline.size(); ++i) {
      const Json& event = timeline[i];
      if (event.at("step").get<std::size_t>() != i) {
        Problem("timeline step " + event.at("step").dump() + " at position " + std::to_string(i) +
                ": " + report.dump());
      }
      const int thread = event.at("thread").get<int>();
      if (threads.count(thread) == 0) {
        Problem("timeline event of thread " + std::to_string(thread) +
                ", which the report does not show: " + report.dump());
      }
      last_of_thread[thread] = &event;
    }
    const Json& last = timeline.back();
    const std::string last_op = last.at("op").get<std::string>();
    const Json& accesses = report.at("accesses");
    if (kind == "data-race") {
      const Json& current = accesses[0].at("previous").get<bool>() ? accesses[1] : accesses[0];
      if (last_op != current.at("type").get<std::string>() ||
          last.at("object") != current.at("object") || last.at("thread") != current.at("thread") ||
          !SameSource(last.at("site").at("file").get<std::string>())) {
        Problem("the timeline does not end in the current access: " + report.dump());
      }
      const auto accesses_shown = std::count_if(
          timeline.begin(), timeline.end(),
          [](const Json& e) { return e.at("op") == "read" || e.at("op") == "write"; });
      if (accesses_shown != 2) Problem("the timeline lacks an access: " + report.dump());
    } else if (kind == "event-race") {
      const Json& current = accesses[0].at("previous").get<bool>() ? accesses[1] : accesses[0];
      const std::string op = current.at("type") == "event-set" ? "Event.set()" : "Event.clear()";
      const auto it = last_of_thread.find(current.at("thread").get<int>());
      if (it == last_of_thread.end() || it->second->at("op") != op ||
          it->second->at("object") != current.at("object")) {
        Problem("the current thread's last event is not its " + op + ": " + report.dump());
      }
    } else if (kind == "lock-order-inversion") {
      if (last_op != "Lock.acquire()") {
        Problem("the timeline does not end in the acquisition: " + report.dump());
      }
    } else if (kind == "deadlock") {
      for (const Json& access : accesses) {
        const auto it = last_of_thread.find(access.at("thread").get<int>());
        const std::string expected = access.at("call").get<std::string>() + " blocks";
        if (it == last_of_thread.end() || it->second->at("op") != expected) {
          Problem("a blocked thread's last event is not '" + expected + "': " + report.dump());
        }
      }
    } else if (kind == "misuse" && last_op != "misuse") {
      Problem("the timeline does not end in the misuse: " + report.dump());
    }
  }

  void CheckLockOrder(const Json& report) {
    std::map<int, std::string> lock_names;
    for (const Json& lock : report.at("locks")) {
      lock_names[lock.at("id").get<int>()] = lock.at("name").get<std::string>();
      CheckName(lock.at("name").get<std::string>(), "locks[]", report);
    }
    const Json& edges = report.at("edges");
    const Json& cycle = report.at("cycle");
    if (edges.size() != 2 || cycle.size() != 2) {
      Problem("expected a cycle of two locks and two edges: " + report.dump());
    }
    for (std::size_t i = 0; i < edges.size(); ++i) {
      const Json& edge = edges[i];
      const std::string what = "edges[" + std::to_string(i) + "]";
      CheckSite(report, edge.at("from_acquired"), "edge-from",
                lock_names[edge.at("from_lock").get<int>()], what + ".from_acquired");
      CheckSite(report, edge.at("to_acquired"), "edge-to",
                lock_names[edge.at("to_lock").get<int>()], what + ".to_acquired");
    }
  }

  const Program& program_;
  const std::vector<Site>& sites_;
  const fs::path source_;
  std::vector<std::string> problems_;
  std::set<std::pair<int, std::string>> hit_;
};

// ---- the test ---------------------------------------------------------------

class DetectorEndToEnd : public ::testing::TestWithParam<Program> {};

TEST_P(DetectorEndToEnd, ReportsExactlyWhatTheProgramMarks) {
  const Program& program = GetParam();
  const fs::path binary = BinaryOf(program);
  ASSERT_TRUE(fs::exists(binary)) << binary;
  const std::vector<Site> sites = ScanSites(SourceOf(program));
  if (program.kind.empty()) {
    ASSERT_TRUE(sites.empty()) << "a clean program has no SITE markers";
  } else {
    ASSERT_FALSE(sites.empty()) << "no SITE markers in " << SourceOf(program);
    for (const Site& site : sites) {
      ASSERT_EQ(site.kind, program.kind) << "SITE on line " << site.line;
    }
  }

  std::string pattern = (fs::temp_directory_path() / "racelens-e2e-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr) << std::strerror(errno);
  const fs::path root(pattern);

  const int runs = Runs();
  std::atomic<int> next{0};
  std::atomic<int> failed{0};
  std::mutex mutex;
  std::vector<std::string> failures;  // guarded by mutex; the first few failing runs
  auto worker = [&] {
    RunJudge judge(program, sites);
    for (int run = next++; run < runs; run = next++) {
      const fs::path dir = root / ("run-" + std::to_string(run));
      fs::create_directory(dir);
      const RunResult result = RunChild(binary, dir);
      const std::vector<std::string> problems = judge.Judge(result);
      if (problems.empty()) {
        fs::remove_all(dir);
        continue;
      }
      ++failed;
      std::lock_guard lock(mutex);
      if (failures.size() >= kKeptFailures) {
        fs::remove_all(dir);  // the failures shown are enough; keep /tmp tidy
        continue;
      }
      std::string text = "run " + std::to_string(run) + " (kept in " + dir.string() + "):";
      for (const std::string& problem : problems) text += "\n  - " + problem;
      const std::string err = ReadFile(dir / "stderr");
      if (!err.empty()) text += "\n  stderr:\n" + err.substr(0, 4000);
      failures.push_back(std::move(text));
    }
  };
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int i = 0; i < kParallelChildren; ++i) workers.emplace_back(worker);
  for (std::thread& t : workers) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  RecordProperty("runs", runs);
  std::printf("%s: %d runs in %.2f s, %d failed\n", program.name.c_str(), runs, seconds,
              failed.load());

  for (const std::string& failure : failures) ADD_FAILURE() << program.name << " " << failure;
  EXPECT_EQ(failed.load(), 0) << program.name << ": " << failed.load() << " of " << runs
                              << " runs went wrong";
  if (failed.load() == 0) fs::remove_all(root);
}

INSTANTIATE_TEST_SUITE_P(Programs, DetectorEndToEnd, ::testing::ValuesIn(Programs()),
                         [](const ::testing::TestParamInfo<Program>& info) {
                           return info.param.name;
                         });

}  // namespace
