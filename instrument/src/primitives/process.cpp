// multiprocessing.Process over fork(): the child's bootstrap, reaping, and the exit-time handling
// of children (racelens/process.hpp).
#include "racelens/process.hpp"

#include <poll.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <typeinfo>
#include <vector>

#include "racelens/detail/deadline.hpp"
#include "racelens/detail/external_wait.hpp"
#include "racelens/detail/fork.hpp"
#include "racelens/detail/futex.hpp"
#include "racelens/detail/hooks.hpp"
#include "racelens/errors.hpp"
#include "runtime/thread_registry.hpp"
#include "runtime/type_name.hpp"

namespace racelens {
namespace detail {

// What the parent knows of one child. Guarded by g_children_mutex.
struct ProcessState {
  pid_t parent_pid = 0;  // the process that created the Process object
  std::string identity;  // "1", "1:2": Python's _identity, joined
  std::string name;
  bool daemon = false;
  bool started = false;
  pid_t pid = 0;
  bool reaping = false;  // a thread is in a blocking waitpid() for it
  std::optional<int> exitcode;
};

}  // namespace detail
namespace {

using detail::Deadline;
using detail::ExternalWait;
using detail::ProcessState;

// The started children not yet reaped (Python's process._children). A leaf
// lock: nothing else is taken while it is held. Held across fork(), and the
// child starts with no children of its own.
constinit std::mutex g_children_mutex;
std::vector<std::shared_ptr<ProcessState>>* g_children = nullptr;  // never destroyed
detail::CondVar* g_reaped = nullptr;                               // a waitpid() ended

// The current process, as Python's _current_process.
std::string g_identity;                   // "" in the main process
bool g_current_daemon = false;            // the main process is not a daemon
std::atomic<int> g_counter{1};            // Python's _process_counter
const ProcessState* g_current = nullptr;  // this process's own state, in a child

[[maybe_unused]] const int g_atfork_registered =
    ::pthread_atfork([] { g_children_mutex.lock(); }, [] { g_children_mutex.unlock(); },
                     [] {
                       if (g_children != nullptr)
                         g_children->clear();  // they are the parent's children
                       g_children_mutex.unlock();
                     });

std::vector<std::shared_ptr<ProcessState>>& Children() {
  if (g_children == nullptr) {
    g_children = new std::vector<std::shared_ptr<ProcessState>>();
    g_reaped = new detail::CondVar();
  }
  return *g_children;
}

int ExitCodeOf(int status) {
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 255;
}

// Records the end of a child; with g_children_mutex held.
void Reaped(ProcessState& state, int exitcode) {
  state.exitcode = exitcode;
  std::erase_if(Children(), [&state](const auto& c) { return c.get() == &state; });
  g_reaped->NotifyAll();
}

// waitpid(WNOHANG); with g_children_mutex held. True when the child has ended.
bool PollLocked(ProcessState& state) {
  if (state.exitcode) return true;
  if (state.pid == 0 || state.reaping) return false;  // not forked yet, or being waited for
  int status = 0;
  pid_t got;
  do {
    got = ::waitpid(state.pid, &status, WNOHANG);
  } while (got < 0 && errno == EINTR);
  if (got == state.pid) {
    Reaped(state, ExitCodeOf(status));
  } else if (got < 0 && errno == ECHILD) {
    Reaped(state, 255);  // reaped by someone else (a waitpid(-1) elsewhere): status unknown
  }
  return state.exitcode.has_value();
}

// Reaps every finished child (Python's _cleanup at start()).
void CleanUpFinished() {
  std::lock_guard lock(g_children_mutex);
  const std::vector<std::shared_ptr<ProcessState>> children = Children();
  for (const auto& c : children) PollLocked(*c);
}

// Waits for the child to end; false when the deadline passed first.
bool WaitForExit(ProcessState& state, const Deadline& deadline) {
  std::unique_lock lock(g_children_mutex);
  for (;;) {
    if (PollLocked(state)) return true;
    if (deadline.expired()) return false;
    if (state.reaping || state.pid == 0) {  // another thread waits in waitpid(), or forks
      g_reaped->Wait(lock, deadline, [&state] {
        return state.exitcode.has_value() || (state.pid != 0 && !state.reaping);
      });
      continue;
    }
    if (deadline.never()) {
      state.reaping = true;
      lock.unlock();
      int status = 0;
      pid_t got;
      {
        ExternalWait wait;
        do {
          got = ::waitpid(state.pid, &status, 0);
        } while (got < 0 && errno == EINTR);
      }
      lock.lock();
      state.reaping = false;
      Reaped(state, got == state.pid ? ExitCodeOf(status) : 255);  // 255: reaped elsewhere
      return true;
    }
    // A timed wait: sleep on a pidfd until the child ends, else poll.
    const pid_t pid = state.pid;
    lock.unlock();
    const auto left = deadline.left();
    const auto ms = std::max<long long>(
        0, std::min<long long>(std::chrono::ceil<std::chrono::milliseconds>(left).count(),
                               1000 * 60 * 60));
    {
      ExternalWait wait;  // ends before the lock is taken again
      const int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
      if (fd >= 0) {
        pollfd p{fd, POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(ms));  // EINTR or timeout: the loop re-checks
        ::close(fd);
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min<long long>(ms, 5)));
      }
    }
    lock.lock();
  }
}

// Python's multiprocessing.util._exit_function for our children: terminate
// the daemon ones, then join them all.
void ExitFunction() {
  std::vector<std::shared_ptr<ProcessState>> children;
  {
    std::lock_guard lock(g_children_mutex);
    children = Children();
    for (const auto& c : children) {
      if (c->daemon && !PollLocked(*c)) ::kill(c->pid, SIGTERM);
    }
  }
  for (const auto& c : children) WaitForExit(*c, Deadline::Never());
}

void InstallExitFunctionOnce() {
  static std::once_flag once;
  std::call_once(once, [] { std::atexit(ExitFunction); });
}

void PrintUncaught(const std::string& name, std::exception_ptr error) {
  std::string what;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    what = detail::TypeName(typeid(e)) + ": " + e.what();
  } catch (...) {
    what = "unknown exception (not derived from std::exception)";
  }
  std::fprintf(stderr, "Process %s:\n%s\n", name.c_str(), what.c_str());
  std::fflush(stderr);
}

void SendSignal(const ProcessState& state, int signal) {
  std::lock_guard lock(g_children_mutex);
  if (!state.started || state.exitcode) return;
  ::kill(state.pid, signal);  // ESRCH: it ended meanwhile
}

}  // namespace

Process::Process() : Process(ProcessOptions{}) {}

Process::Process(ProcessOptions options) : state_(std::make_shared<ProcessState>()) {
  const int count = g_counter.fetch_add(1);
  state_->parent_pid = ::getpid();
  state_->identity = (g_identity.empty() ? "" : g_identity + ":") + std::to_string(count);
  state_->name = options.name.empty() ? "Process-" + state_->identity : std::move(options.name);
  state_->daemon = options.daemon.value_or(g_current_daemon);
}

Process::Process(ProcessOptions options, Target target) : Process(std::move(options)) {
  target_ = std::move(target);
}

Process::~Process() = default;

void Process::run() {
  if (target_) target_->Call();
}

void Process::start() {
  {
    std::lock_guard lock(g_children_mutex);
    if (state_->started) throw RuntimeError("cannot start a process twice");
    if (state_->parent_pid != ::getpid()) {
      throw RuntimeError("can only start a process object created by current process");
    }
    if (g_current_daemon) throw RuntimeError("daemonic processes are not allowed to have children");
    state_->started = true;
  }
  CleanUpFinished();
  InstallExitFunctionOnce();
  pid_t pid;
  try {
    pid = detail::ForkProcess();
  } catch (...) {
    std::lock_guard lock(g_children_mutex);
    state_->started = false;
    throw;
  }
  if (pid == 0) RunChild();
  {
    std::lock_guard lock(g_children_mutex);
    state_->pid = pid;
    Children().push_back(state_);
    g_reaped->NotifyAll();  // joiners that came during the fork
  }
  target_.reset();  // as Python's start(): the parent no longer needs the target
}

void Process::RunChild() {
  g_identity = state_->identity;
  g_current_daemon = state_->daemon;
  g_counter.store(1);
  g_current = state_.get();
  int code = 0;
  try {
    run();
  } catch (...) {
    PrintUncaught(state_->name, std::current_exception());
    code = 1;
  }
  // Python's BaseProcess._bootstrap: threading._shutdown(), then util._exit_function().
  detail::ThreadRegistry::Instance().JoinNonDaemonThreads();
  ExitFunction();
  detail::ExitForkedChild(code);
}

RACELENS_NOINLINE void Process::join(double timeout) {
  const detail::Site site = RACELENS_SITE();
  {
    std::lock_guard lock(g_children_mutex);
    if (state_->parent_pid != ::getpid()) throw RuntimeError("can only join a child process");
    if (!state_->started) throw RuntimeError("can only join a started process");
    if (PollLocked(*state_)) return;
  }
  const Deadline deadline = Deadline::After(timeout);
  RACELENS_HOOK(OnBlock, state_.get(), detail::BlockingCall::kProcessJoin,
                timeout >= 0 ? timeout : detail::kWaitOnAnotherProcess, site);
  WaitForExit(*state_, deadline);
  RACELENS_HOOK(OnUnblock, state_.get());
}

bool Process::is_alive() const {
  if (state_.get() == g_current) return true;
  std::lock_guard lock(g_children_mutex);
  if (state_->parent_pid != ::getpid()) throw RuntimeError("can only test a child process");
  if (!state_->started) return false;
  return !PollLocked(*state_);
}

void Process::terminate() { SendSignal(*state_, SIGTERM); }
void Process::kill() { SendSignal(*state_, SIGKILL); }

std::optional<int> Process::exitcode() const {
  std::lock_guard lock(g_children_mutex);
  if (state_->started && state_->parent_pid == ::getpid()) PollLocked(*state_);
  return state_->exitcode;
}

std::optional<pid_t> Process::pid() const {
  if (state_.get() == g_current) return ::getpid();
  std::lock_guard lock(g_children_mutex);
  if (!state_->started || state_->pid == 0) return std::nullopt;
  return state_->pid;
}

std::string Process::name() const {
  std::lock_guard lock(g_children_mutex);
  return state_->name;
}

void Process::set_name(std::string name) {
  std::lock_guard lock(g_children_mutex);
  state_->name = std::move(name);
}

bool Process::daemon() const {
  std::lock_guard lock(g_children_mutex);
  return state_->daemon;
}

void Process::set_daemon(bool daemon) {
  std::lock_guard lock(g_children_mutex);
  if (state_->started) throw RuntimeError("process has already started");
  state_->daemon = daemon;
}

}  // namespace racelens
