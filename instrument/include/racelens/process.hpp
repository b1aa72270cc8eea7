// racelens/process.hpp — multiprocessing.Process, fork-based.
//
// Defines:
//   ProcessOptions   name and daemon flag for a new process
//   Process          multiprocessing.Process: a target with arguments, or a subclass overriding
//   run()
//
// Semantics follow Python's `multiprocessing` with the "fork" start method:
//   - `start()` forks; the child runs the target (or run()) on its copy of
//     the parent's memory — closures and arguments travel by the fork itself,
//     so they need not be serialisable. The parent then drops its copy of the
//     target and its arguments, as Python's start() does.
//   - In the child, the forking thread is the only thread and becomes the
//     main thread (detail/fork.hpp). When the target returns the child joins
//     its own non-daemon threads, terminates its daemon child processes and
//     joins the others, flushes stdio and ends with _exit() (no atexit
//     handlers, no static destructors), as Python's child ends with os._exit().
//   - `exitcode()`: nullopt before start() and while the child runs; 0 when
//     the target returned; 1 when it threw — the exception is printed to
//     stderr as "Process <name>:" followed by "<type>: <what()>", as
//     Python prints the traceback; -N when signal N ended the child
//     (terminate() gives -SIGTERM, kill() -SIGKILL). A child that reported
//     findings and would exit with 0 exits with the report exit code (66).
//   - `join(timeout)` waits for the child to end, at most `timeout` seconds
//     when `timeout` >= 0 (check is_alive() afterwards); it reaps the child,
//     so no zombie is left. `is_alive()` and `exitcode()` reap a finished
//     child too, and every start() reaps finished siblings (Python's _cleanup).
//   - `terminate()` sends SIGTERM, `kill()` SIGKILL; both do nothing once the
//     child has been reaped, and nothing before start().
//   - Unnamed processes are "Process-<n>" ("Process-<parent's n>:<n>" in a
//     child process, as Python's identities); `daemon` defaults to the
//     current process's flag (false in the main process).
//
// Errors (CPython raises AssertionError for all but the last; racelens has no
// AssertionError and raises RuntimeError with CPython's message):
//   start() twice                       RuntimeError("cannot start a process twice")
//   start() on a Process copied by fork RuntimeError("can only start a process object created by
//                                       current process")
//   start() in a daemon process         RuntimeError("daemonic processes are not allowed to have
//                                       children")
//   join() before start()               RuntimeError("can only join a started process")
//   join() of a process that is not a child of the caller
//                                       RuntimeError("can only join a child process")
//   is_alive() of a process that is not a child of the caller
//                                       RuntimeError("can only test a child process")
//   set_daemon() after start()          RuntimeError("process has already started")
//   fork() failing                      RuntimeError with the system's reason
//
// Program exit (Python's multiprocessing.util._exit_function): when `main`
// returns or `std::exit` is called, daemon children that are still running
// are terminated, then every child is joined — no zombie stays behind.
// A Process object may be destroyed while its child runs: the child is then
// handled at exit like any other.
//
// Blocking: join() without a timeout shows in deadlock reports as
// "Process.join()". Like every wait on another process it never makes the
// process look deadlocked by itself (the other process may still finish).
//
// Thread-safety: all member functions may be called from any thread, except
// that a Process object must not be destroyed concurrently with other calls
// on it. A subclass overriding run() must stay alive until start() returns.
#pragma once

#include <sys/types.h>

#include <concepts>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace racelens {

namespace detail {
struct ProcessState;
}

struct ProcessOptions {
  // Empty: "Process-<n>".
  std::string name = {};
  // Unset: the current process's daemon flag.
  std::optional<bool> daemon = std::nullopt;
};

class Process {
 public:
  // For subclasses that override run().
  Process();
  explicit Process(ProcessOptions options);

  // Runs `f(args...)` in the child process.
  template <class F, class... Args>
    requires(!std::same_as<std::decay_t<F>, ProcessOptions> &&
             std::invocable<std::decay_t<F>, std::decay_t<Args>...>)
  explicit Process(F&& f, Args&&... args)
      : Process(ProcessOptions{}, std::forward<F>(f), std::forward<Args>(args)...) {}

  template <class F, class... Args>
    requires std::invocable<std::decay_t<F>, std::decay_t<Args>...>
  Process(ProcessOptions options, F&& f, Args&&... args)
      : Process(std::move(options), MakeTarget(std::forward<F>(f), std::forward<Args>(args)...)) {}

  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  virtual ~Process();

  void start();
  void join(double timeout = -1);
  bool is_alive() const;
  void terminate();
  void kill();

  std::optional<int> exitcode() const;
  // The child's process id; nullopt before start().
  std::optional<pid_t> pid() const;
  std::string name() const;
  void set_name(std::string name);
  bool daemon() const;
  void set_daemon(bool daemon);

 protected:
  // The child's activity; by default calls the target given to the constructor.
  virtual void run();

 private:
  struct TargetBase {
    virtual ~TargetBase() = default;
    virtual void Call() = 0;
  };
  template <class Fn, class Tuple>
  struct TargetImpl final : TargetBase {
    TargetImpl(Fn f, Tuple t) : fn(std::move(f)), args(std::move(t)) {}
    void Call() override {
      std::apply([this](auto&... a) { std::invoke(std::move(fn), std::move(a)...); }, args);
    }
    Fn fn;
    Tuple args;
  };
  using Target = std::unique_ptr<TargetBase>;
  Process(ProcessOptions options, Target target);

  template <class F, class... Args>
  static Target MakeTarget(F&& f, Args&&... args) {
    using Tuple = std::tuple<std::decay_t<Args>...>;
    return std::make_unique<TargetImpl<std::decay_t<F>, Tuple>>(std::forward<F>(f),
                                                                Tuple(std::forward<Args>(args)...));
  }

  [[noreturn]] void RunChild();

  std::shared_ptr<detail::ProcessState> state_;
  Target target_;
};

}  // namespace racelens
