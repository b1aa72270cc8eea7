// racelens/thread.hpp — threading.Thread and the thread-inspection functions.
//
// Defines:
//   ThreadOptions   name and daemon flag for a new thread
//   Thread          threading.Thread: a target with arguments, or a subclass overriding run()
//   ThreadHandle    a copyable reference to any thread racelens knows (current_thread() etc.)
//   current_thread, main_thread, enumerate, active_count, get_ident, get_native_id
//
// Semantics follow Python's `threading`:
//   - `start()` runs the thread once; a second call raises
//     RuntimeError("threads can only be started once").
//   - `join(timeout)` waits for the thread to finish, at most `timeout` seconds
//     when `timeout` >= 0; check `is_alive()` afterwards to tell a timeout.
//     Joining before start() raises RuntimeError("cannot join thread before it
//     is started"); joining the calling thread raises RuntimeError("cannot join
//     current thread").
//   - An exception escaping the target or run() is printed to stderr as
//     "Exception in thread <name>:" followed by its type and message, as
//     Python's threading.excepthook does; it does not end the program.
//   - Unnamed threads are called "Thread-<n>"; the main thread "MainThread";
//     threads started outside racelens (std::thread, pthreads) "Dummy-<n>".
//   - `daemon` defaults to the creating thread's flag (the main thread is not
//     a daemon).
//
// Program exit (Python's interpreter shutdown): when `main` returns or
// `std::exit` is called, racelens first joins every non-daemon thread that is
// still running (an `atexit` handler registered when the first thread starts),
// then lets the process exit with daemon threads still running. `std::_Exit`,
// `quick_exit` and `abort` skip the join.
//
// Lifetime: the callable and its arguments are owned by the runtime, so a
// target-based Thread object may be destroyed while its thread runs. Its
// destructor waits for a still-running non-daemon thread (as the program would
// at exit) and leaves a daemon thread running. A subclass overriding run()
// must stay alive until its thread finishes: join() it before it is destroyed.
//
// Thread-safety: all member functions may be called from any thread, except
// that a Thread object must not be destroyed concurrently with other calls on it.
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace racelens {

namespace detail {
class ThreadState;
}

struct ThreadOptions {
  // Empty: "Thread-<n>".
  std::string name = {};
  // Unset: inherit the creating thread's daemon flag.
  std::optional<bool> daemon = std::nullopt;
};

// A reference to a thread known to the runtime; cheap to copy.
class ThreadHandle {
 public:
  explicit ThreadHandle(std::shared_ptr<detail::ThreadState> state) : state_(std::move(state)) {}

  std::string name() const;
  void set_name(std::string name);
  // pthread_self() of the thread as an integer; nullopt before it started.
  std::optional<std::uint64_t> ident() const;
  // The kernel thread id (gettid); nullopt before it started.
  std::optional<std::uint64_t> native_id() const;
  bool daemon() const;
  bool is_alive() const;
  void join(double timeout = -1);
  // The runtime id reports use ("T<id>"): 0 for the main thread.
  int runtime_id() const;

  friend bool operator==(const ThreadHandle& a, const ThreadHandle& b) {
    return a.state_ == b.state_;
  }

  const std::shared_ptr<detail::ThreadState>& state() const { return state_; }

 private:
  std::shared_ptr<detail::ThreadState> state_;
};

class Thread {
 public:
  // For subclasses that override run().
  Thread();
  explicit Thread(ThreadOptions options);

  // Runs `f(args...)` on the new thread. Arguments are copied or moved into
  // the thread, as std::thread does; pass std::ref to share one.
  template <class F, class... Args>
    requires(!std::same_as<std::decay_t<F>, ThreadOptions> &&
             std::invocable<std::decay_t<F>, std::decay_t<Args>...>)
  explicit Thread(F&& f, Args&&... args)
      : Thread(ThreadOptions{}, std::forward<F>(f), std::forward<Args>(args)...) {}

  template <class F, class... Args>
    requires std::invocable<std::decay_t<F>, std::decay_t<Args>...>
  Thread(ThreadOptions options, F&& f, Args&&... args)
      : Thread(std::move(options), MakeTarget(std::forward<F>(f), std::forward<Args>(args)...)) {}

  Thread(const Thread&) = delete;
  Thread& operator=(const Thread&) = delete;
  virtual ~Thread();

  void start();
  void join(double timeout = -1);
  bool is_alive() const;

  std::string name() const;
  void set_name(std::string name);
  bool daemon() const;
  // Raises RuntimeError("cannot set daemon status of active thread") after start().
  void set_daemon(bool daemon);
  std::optional<std::uint64_t> ident() const;
  std::optional<std::uint64_t> native_id() const;
  ThreadHandle handle() const { return ThreadHandle(state_); }

 protected:
  // The thread's activity; by default calls the target given to the constructor.
  virtual void run();

 private:
  // A type-erased call of the target; move-only arguments are allowed.
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
  Thread(ThreadOptions options, Target target);

  template <class F, class... Args>
  static Target MakeTarget(F&& f, Args&&... args) {
    using Tuple = std::tuple<std::decay_t<Args>...>;
    return std::make_unique<TargetImpl<std::decay_t<F>, Tuple>>(std::forward<F>(f),
                                                                Tuple(std::forward<Args>(args)...));
  }

  friend class detail::ThreadState;
  std::shared_ptr<detail::ThreadState> state_;
};

ThreadHandle current_thread();
ThreadHandle main_thread();
// Every live thread: the main thread, started racelens threads, registered foreign threads.
std::vector<ThreadHandle> enumerate();
std::size_t active_count();
std::uint64_t get_ident();
std::uint64_t get_native_id();

}  // namespace racelens
