// tests/instrument/process_test.cpp — racelens::Process and detail::ForkProcess against
// Python's multiprocessing.Process with the fork start method: the behaviours of
// _test_multiprocessing's _TestProcess (each TEST named after its CPython counterpart where one
// exists), the errors of start()/join()/set_daemon(), exit codes, the child's runtime after a
// fork, the exit-time handling of children, and that no zombie is left behind. Orderings across
// processes are forced with pipes, never with sleeps.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "racelens/detail/fork.hpp"
#include "racelens/detail/pipe_channel.hpp"
#include "racelens/mp_queue.hpp"
#include "racelens/process.hpp"
#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"
#include "report/report.hpp"
#include "runtime/options.hpp"
#include "runtime/report_sink.hpp"
#include "runtime/runtime.hpp"
#include "runtime/stack_depot.hpp"

namespace racelens {
namespace {

using ::testing::HasSubstr;

// A pipe whose ends close with it; messages as detail::WriteMessage/ReadMessage frame them.
class Pipe {
 public:
  Pipe() {
    int fds[2];
    if (::pipe(fds) != 0) std::abort();
    read_ = fds[0];
    write_ = fds[1];
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  ~Pipe() {
    ::close(read_);
    ::close(write_);
  }
  void Send(const std::string& text) const { detail::WriteMessage(write_, text); }
  std::string Receive() const { return detail::ReadMessage(read_).value_or("<end of file>"); }

 private:
  int read_ = -1;
  int write_ = -1;
};

// Blocks the calling child until it is killed.
[[noreturn]] void SleepForever() {
  for (;;) ::pause();
}

void ExpectNoChildLeft() {
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

// --- _TestProcess ---------------------------------------------------------------------------

// test_daemon_argument
TEST(ProcessTest, DaemonArgument) {
  Process proc0([] {});
  EXPECT_FALSE(proc0.daemon());  // the main process is not a daemon
  Process proc1(ProcessOptions{.name = "", .daemon = true}, [] {});
  EXPECT_TRUE(proc1.daemon());
  Process proc2(ProcessOptions{.name = "", .daemon = false}, [] {});
  EXPECT_FALSE(proc2.daemon());
}

// test_process: arguments reach the target, and the life cycle as seen from the parent.
TEST(ProcessTest, Process) {
  mp::Queue<std::string> q(1);
  Process p(
      ProcessOptions{.name = "SomeProcess", .daemon = std::nullopt},
      [&q](int a, int b) {
        q.put(std::to_string(a) + "," + std::to_string(b));
        q.put("SomeProcess");
        q.put(std::to_string(::getpid()));
      },
      1, 2);
  p.set_daemon(true);
  EXPECT_FALSE(p.is_alive());
  EXPECT_TRUE(p.daemon());
  EXPECT_EQ(p.exitcode(), std::nullopt);
  EXPECT_EQ(p.pid(), std::nullopt);

  p.start();
  // The child waits in its second put() until the first item is taken (maxsize 1).
  EXPECT_EQ(p.exitcode(), std::nullopt);
  EXPECT_TRUE(p.is_alive());

  EXPECT_EQ(q.get(), "1,2");
  EXPECT_EQ(q.get(), p.name());
  EXPECT_EQ(q.get(), std::to_string(*p.pid()));
  p.join();

  EXPECT_EQ(p.exitcode(), 0);
  EXPECT_FALSE(p.is_alive());
  ExpectNoChildLeft();
}

// _kill_process: the child signals that it runs, then sleeps until `meth` ends it.
template <class Meth>
int KillProcess(Meth meth) {
  Pipe event;
  Process p(ProcessOptions{.name = "", .daemon = true}, [&event] {
    event.Send("set");
    SleepForever();
  });
  p.start();
  EXPECT_TRUE(p.is_alive());
  EXPECT_EQ(p.exitcode(), std::nullopt);

  p.join(0);
  EXPECT_TRUE(p.is_alive());

  EXPECT_EQ(event.Receive(), "set");
  meth(p);
  p.join();
  EXPECT_FALSE(p.is_alive());
  p.join();
  return p.exitcode().value_or(1000);
}

// test_terminate
TEST(ProcessTest, Terminate) {
  EXPECT_EQ(KillProcess([](Process& p) { p.terminate(); }), -SIGTERM);
  ExpectNoChildLeft();
}

// test_kill
TEST(ProcessTest, Kill) {
  EXPECT_EQ(KillProcess([](Process& p) { p.kill(); }), -SIGKILL);
  ExpectNoChildLeft();
}

// test_recursion: processes start processes; each reports its id, depth first.
void Recursion(const Pipe& out, std::string id) {
  out.Send(id);
  if (id.size() < 2) {
    for (int i = 0; i < 2; ++i) {
      Process p(Recursion, std::cref(out), id + std::to_string(i));
      p.start();
      p.join();
    }
  }
}

TEST(ProcessTest, Recursion) {
  Pipe out;
  Recursion(out, "");
  for (const char* expected : {"", "0", "00", "01", "1", "10", "11"}) {
    EXPECT_EQ(out.Receive(), expected);
  }
  ExpectNoChildLeft();
}

// test_many_processes (20 rather than 100 processes: the suite shares small machines).
TEST(ProcessTest, ManyProcesses) {
  constexpr int kN = 20;
  {
    std::vector<std::unique_ptr<Process>> procs;
    for (int i = 0; i < kN; ++i) procs.push_back(std::make_unique<Process>([] {}));
    for (auto& p : procs) p->start();
    for (auto& p : procs) p->join();
    for (auto& p : procs) EXPECT_EQ(p->exitcode(), 0);
  }
  {
    std::vector<std::unique_ptr<Process>> procs;
    for (int i = 0; i < kN; ++i) procs.push_back(std::make_unique<Process>(SleepForever));
    for (auto& p : procs) p->start();
    for (auto& p : procs) p->terminate();
    for (auto& p : procs) p->join();
    for (auto& p : procs) EXPECT_EQ(p->exitcode(), -SIGTERM);
  }
  ExpectNoChildLeft();
}

// test_lose_target_ref: after start() the parent holds no reference to the target.
TEST(ProcessTest, LoseTargetRef) {
  auto c = std::make_shared<int>(5);
  const std::weak_ptr<int> wr = c;
  mp::Queue<int> q;
  Process p([c, &q] { q.put(*c); });
  c.reset();
  p.start();
  p.join();
  EXPECT_TRUE(wr.expired());
  EXPECT_EQ(q.get(), 5);
}

// test_wait_for_threads: a child waits for its non-daemon threads before it exits.
TEST(ProcessTest, WaitForThreads) {
  Pipe go;
  Pipe evt;
  Process proc([&go, &evt] {
    Thread func1([&go, &evt] {
      go.Receive();
      evt.Send("set");
    });
    func1.start();
  });
  proc.start();
  go.Send("go");
  proc.join();
  EXPECT_EQ(proc.exitcode(), 0);
  EXPECT_EQ(evt.Receive(), "set");
}

// test_subclassing: a Process subclass overriding run().
class UpperCaser : public Process {
 public:
  UpperCaser(const Pipe& in, const Pipe& out) : in_(in), out_(out) {}

 protected:
  void run() override {
    for (std::string s = in_.Receive(); !s.empty(); s = in_.Receive()) {
      for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      out_.Send(s);
    }
  }

 private:
  const Pipe& in_;
  const Pipe& out_;
};

TEST(ProcessTest, Subclassing) {
  Pipe in;
  Pipe out;
  UpperCaser uppercaser(in, out);
  uppercaser.set_daemon(true);
  uppercaser.start();
  in.Send("hello");
  EXPECT_EQ(out.Receive(), "HELLO");
  in.Send("world");
  EXPECT_EQ(out.Receive(), "WORLD");
  in.Send("");
  uppercaser.join();
  EXPECT_EQ(uppercaser.exitcode(), 0);
}

// --- exit codes -------------------------------------------------------------------------------

// test_stderr_flush / the exit code 1 of _bootstrap: a throwing target is printed and exits 1.
TEST(ProcessTest, ThrowingTargetExitsWithOneAndPrintsTheException) {
  Process p(ProcessOptions{.name = "Thrower", .daemon = std::nullopt},
            [] { throw ValueError("bad value"); });
  ::testing::internal::CaptureStderr();
  p.start();
  p.join();
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(p.exitcode(), 1);
  EXPECT_THAT(err, HasSubstr("Process Thrower:\nracelens::ValueError: bad value"));
}

// test_sys_exit: an explicit exit status reaches exitcode.
TEST(ProcessTest, SysExit) {
  Process p([] { ::_exit(8); });
  p.start();
  p.join();
  EXPECT_EQ(p.exitcode(), 8);
}

TEST(ProcessTest, DefaultNamesCountProcesses) {
  Process a([] {});
  Process b([] {});
  const std::string na = a.name();
  const std::string nb = b.name();
  ASSERT_EQ(na.rfind("Process-", 0), 0u) << na;
  EXPECT_EQ(std::stoi(nb.substr(8)), std::stoi(na.substr(8)) + 1);
}

TEST(ProcessTest, ChildNamesExtendTheParentsIdentity) {
  Pipe out;
  Process parent([&out] {
    Process child([] {});
    out.Send(child.name());
  });
  const std::string parent_name = parent.name();
  parent.start();
  EXPECT_EQ(out.Receive(), parent_name + ":1");
  parent.join();
}

// --- errors -----------------------------------------------------------------------------------

TEST(ProcessTest, StartTwiceRaises) {
  Process p([] {});
  p.start();
  EXPECT_THROW(
      {
        try {
          p.start();
        } catch (const RuntimeError& e) {
          EXPECT_STREQ(e.what(), "cannot start a process twice");
          throw;
        }
      },
      RuntimeError);
  p.join();
}

TEST(ProcessTest, JoinBeforeStartRaises) {
  Process p([] {});
  try {
    p.join();
    ADD_FAILURE() << "join() before start() did not raise";
  } catch (const RuntimeError& e) {
    EXPECT_STREQ(e.what(), "can only join a started process");
  }
}

TEST(ProcessTest, SetDaemonAfterStartRaises) {
  Process p([] {});
  p.start();
  try {
    p.set_daemon(true);
    ADD_FAILURE() << "set_daemon() after start() did not raise";
  } catch (const RuntimeError& e) {
    EXPECT_STREQ(e.what(), "process has already started");
  }
  p.join();
}

TEST(ProcessTest, OnlyTheParentJoinsAndStarts) {
  Pipe out;
  Process sibling([] {});
  sibling.start();
  Process unstarted([] {});
  Process p([&] {
    try {
      sibling.join();
    } catch (const RuntimeError& e) {
      out.Send(e.what());
    }
    try {
      unstarted.start();
    } catch (const RuntimeError& e) {
      out.Send(e.what());
    }
  });
  p.start();
  EXPECT_EQ(out.Receive(), "can only join a child process");
  EXPECT_EQ(out.Receive(), "can only start a process object created by current process");
  p.join();
  sibling.join();
  EXPECT_EQ(p.exitcode(), 0);
}

TEST(ProcessTest, DaemonicProcessesMayNotHaveChildren) {
  Pipe out;
  Process p(ProcessOptions{.name = "", .daemon = true}, [&out] {
    Process child([] {});
    try {
      child.start();
    } catch (const RuntimeError& e) {
      out.Send(e.what());
    }
  });
  p.start();
  EXPECT_EQ(out.Receive(), "daemonic processes are not allowed to have children");
  p.join();
}

TEST(ProcessTest, TerminateBeforeStartOrAfterJoinDoesNothing) {
  Process p([] {});
  p.terminate();
  p.start();
  p.join();
  p.terminate();
  p.kill();
  EXPECT_EQ(p.exitcode(), 0);
}

// --- reaping and program exit -----------------------------------------------------------------

TEST(ProcessTest, NoZombieLeftBehindAfterJoins) {
  std::vector<std::unique_ptr<Process>> procs;
  for (int i = 0; i < 3; ++i) procs.push_back(std::make_unique<Process>([] {}));
  for (auto& p : procs) p->start();
  for (auto& p : procs) p->join();
  ExpectNoChildLeft();
}

TEST(ProcessTest, IsAliveReapsAFinishedChild) {
  Pipe done;
  Process p([&done] { done.Send("done"); });
  p.start();
  EXPECT_EQ(done.Receive(), "done");
  p.join();  // reaps; is_alive() and exitcode() keep the result
  EXPECT_FALSE(p.is_alive());
  EXPECT_EQ(p.exitcode(), 0);
  ExpectNoChildLeft();
}

// _exit_function: at exit, daemon children are terminated and every child is joined. A helper
// process (forked by the test) starts a daemon child that never ends and a non-daemon one that
// ends when told, then calls std::exit: it must end, having reaped both.
TEST(ProcessTest, ExitTerminatesDaemonChildrenAndJoinsTheOthers) {
  Pipe pids;
  Pipe release;
  const pid_t helper = detail::ForkProcess();
  if (helper == 0) {
    auto daemon_child =
        std::make_unique<Process>(ProcessOptions{.name = "", .daemon = true}, SleepForever);
    auto child = std::make_unique<Process>([&release] { release.Receive(); });
    daemon_child->start();
    child->start();
    pids.Send(std::to_string(*daemon_child->pid()));
    pids.Send(std::to_string(*child->pid()));
    daemon_child.reset();  // destroying a Process leaves its child running
    child.reset();
    std::exit(0);
  }
  const pid_t daemon_pid = std::stoi(pids.Receive());
  const pid_t child_pid = std::stoi(pids.Receive());
  release.Send("go");
  int status = 0;
  ASSERT_EQ(::waitpid(helper, &status, 0), helper);
  EXPECT_TRUE(WIFEXITED(status));
  // Reaped by the helper: neither pid names a process any more.
  EXPECT_EQ(::kill(daemon_pid, 0), -1);
  EXPECT_EQ(::kill(child_pid, 0), -1);
  ExpectNoChildLeft();
}

// --- the runtime after ForkProcess -------------------------------------------------------------

TEST(ForkProcessTest, ChildKnowsOnlyTheForkingThread) {
  Event release;
  Thread waiter([&release] { release.wait(); });
  waiter.start();
  Pipe out;
  const pid_t pid = detail::ForkProcess();
  if (pid == 0) {
    out.Send(std::to_string(active_count()));
    out.Send(waiter.is_alive() ? "alive" : "finished");
    out.Send(main_thread() == current_thread() ? "main" : "not main");
    waiter.join();  // returns at once: the thread does not exist here
    detail::ExitForkedChild(0);
  }
  EXPECT_EQ(out.Receive(), "1");
  EXPECT_EQ(out.Receive(), "finished");
  EXPECT_EQ(out.Receive(), "main");
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_EQ(status, 0);
  EXPECT_TRUE(waiter.is_alive());  // the parent's thread is untouched
  release.set();
  waiter.join();
}

TEST(ForkProcessTest, ForkingThreadBecomesTheChildsMainThread) {
  Pipe out;
  Thread forker(ThreadOptions{.name = "forker", .daemon = std::nullopt}, [&out] {
    const pid_t pid = detail::ForkProcess();
    if (pid == 0) {
      out.Send(current_thread().name());
      out.Send(main_thread() == current_thread() ? "main" : "not main");
      out.Send(std::to_string(enumerate().size()));
      detail::ExitForkedChild(0);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    out.Send(std::to_string(status));
  });
  forker.start();
  EXPECT_EQ(out.Receive(), "forker");
  EXPECT_EQ(out.Receive(), "main");
  EXPECT_EQ(out.Receive(), "1");
  EXPECT_EQ(out.Receive(), "0");
  forker.join();
}

TEST(ForkProcessTest, ChildCountsItsOwnFindings) {
  detail::ReportSink* sink = detail::RuntimeSink();
  if (sink == nullptr) GTEST_SKIP() << "the detector is off (detect=0)";
  Lock lock;
  EXPECT_THROW(lock.release(), RuntimeError);  // a misuse report in the parent
  const int parent_reports = sink->reported();
  ASSERT_GE(parent_reports, 1);
  Pipe out;
  const pid_t pid = detail::ForkProcess();
  if (pid == 0) {
    out.Send(std::to_string(sink->reported()));
    Lock other;
    try {
      other.release();
    } catch (const RuntimeError&) {
    }
    out.Send(std::to_string(sink->reported()));
    detail::ExitForkedChild(0);
  }
  EXPECT_EQ(out.Receive(), "0");
  EXPECT_EQ(out.Receive(), "1");
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(sink->reported(), parent_reports);
}

// With report_path, a forked child reports to its own <pid>.jsonl, counting from zero.
TEST(ForkProcessTest, ReportSinkOpensTheChildsOwnFile) {
  char dir_template[] = "/tmp/racelens-fork-test-XXXXXX";
  const char* dir = ::mkdtemp(dir_template);
  ASSERT_NE(dir, nullptr);
  detail::Options options;
  options.report_path = dir;
  detail::ReportSink sink(options);
  report::Report parent_report;
  parent_report.kind = report::Kind::kMisuse;
  parent_report.title = "parent";
  ASSERT_TRUE(sink.Emit(parent_report));
  Pipe out;
  const pid_t pid = detail::ForkProcess();
  if (pid == 0) {
    sink.AfterForkInChild();  // what ForkProcess does for the runtime's own sink
    out.Send(std::to_string(sink.reported()));
    report::Report child_report;
    child_report.kind = report::Kind::kDeadlock;
    child_report.title = "child";
    sink.Emit(child_report);
    detail::ExitForkedChild(0);
  }
  EXPECT_EQ(out.Receive(), "0");
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  const auto read = [&](pid_t owner) {
    std::ifstream file(std::string(dir) + "/" + std::to_string(owner) + ".jsonl");
    return std::string(std::istreambuf_iterator<char>(file), {});
  };
  const std::string parent_lines = read(::getpid());
  const std::string child_lines = read(pid);
  EXPECT_THAT(parent_lines, HasSubstr("\"parent\""));
  EXPECT_THAT(parent_lines, ::testing::Not(HasSubstr("\"child\"")));
  EXPECT_THAT(child_lines, HasSubstr("\"child\""));
  EXPECT_THAT(child_lines, ::testing::Not(HasSubstr("\"parent\"")));
  std::filesystem::remove_all(dir);
}

// Forks while another thread keeps the detector busy (locks, tracked memory): every child can
// use the runtime at once — none inherits one of its mutexes locked. A hang fails by timeout.
// The forks start once the busy thread is in its loop: a thread that is still starting
// allocates, and a child forked while another thread holds the allocator's lock hangs under
// GCC 12's AddressSanitizer, whose allocator is not fork-safe (fixed in LLVM 18).
TEST(ForkProcessTest, ForkWhileAnotherThreadUsesTheRuntime) {
  std::atomic<bool> stop{false};
  std::atomic<int> rounds{0};
  Lock busy_lock;
  Shared<int> busy_value{0, "busy_value"};
  Thread busy([&] {
    while (!stop.load(std::memory_order_relaxed)) {
      std::lock_guard guard(busy_lock);
      busy_value += 1;
      rounds.fetch_add(1, std::memory_order_relaxed);
    }
  });
  busy.start();
  while (rounds.load(std::memory_order_relaxed) < 1000) std::this_thread::yield();
  for (int i = 0; i < 30; ++i) {
    const pid_t pid = detail::ForkProcess();
    if (pid == 0) {
      Lock lock;
      Shared<int> value{0, "value"};
      {
        std::lock_guard guard(lock);
        value = 1;
      }
      Event event;
      event.set();
      detail::ExitForkedChild(event.wait(0) && value.load() == 1 ? 0 : 1);
    }
    int status = -1;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_EQ(status, 0);
  }
  stop.store(true);
  busy.join();
}

// The first stack capture of a process builds a table of its code segments. A fork while
// another thread builds it must leave a child that captures stacks (it builds its own table):
// a function-local static left the child waiting for ever on the static's guard. The builder
// is held inside the build until the child has exited, so the fork always lands there.
struct HeldBuild {
  std::mutex mutex;
  std::condition_variable changed;
  bool entered = false;
  bool released = false;
};
HeldBuild* g_held_build = nullptr;

TEST(ForkProcessTest, ForkWhileAnotherThreadSetsUpStackCapture) {
  HeldBuild held;
  g_held_build = &held;
  detail::ForgetCodeSegmentsForTesting();
  detail::SetCodeSegmentsBuildHookForTesting([] {
    std::unique_lock lock(g_held_build->mutex);
    g_held_build->entered = true;
    g_held_build->changed.notify_all();
    g_held_build->changed.wait(lock, [] { return g_held_build->released; });
  });
  std::thread builder([] { EXPECT_NE(detail::CaptureStack(), detail::kNoStack); });
  {
    std::unique_lock lock(held.mutex);
    held.changed.wait(lock, [&] { return held.entered; });
  }
  const pid_t pid = detail::ForkProcess();
  if (pid == 0) {
    const detail::StackId id = detail::CaptureStack();
    detail::ExitForkedChild(id != detail::kNoStack && !detail::StackPcs(id).empty() ? 0 : 1);
  }
  int status = -1;
  const pid_t waited = ::waitpid(pid, &status, 0);
  {
    std::lock_guard lock(held.mutex);
    held.released = true;
  }
  held.changed.notify_all();
  builder.join();
  g_held_build = nullptr;
  ASSERT_EQ(waited, pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_NE(detail::CaptureStack(), detail::kNoStack);
}

TEST(ForkProcessTest, ExitForkedChildKeepsAnExplicitStatus) {
  const pid_t pid = detail::ForkProcess();
  if (pid == 0) detail::ExitForkedChild(3);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
}

}  // namespace
}  // namespace racelens
