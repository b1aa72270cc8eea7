// runtime/thread_registry.hpp — every thread the runtime knows, and the current one.
//
// Hands out runtime ids ("T<n>", the main thread is T0) and Python's default
// names ("Thread-<n>", "Dummy-<n>", one counter for both as in CPython),
// tracks live threads for enumerate(), registers threads racelens did not
// start on their first call into the runtime, and joins non-daemon threads
// at program exit.
//
// The registry is created on first use and never destroyed, so daemon
// threads can keep using it while the process exits.
//
// Thread-safety: all functions are thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/thread_state.hpp"

namespace racelens::detail {

class ThreadRegistry {
  // The calling thread's state once Current() or BindCurrent() set it.
  static thread_local ThreadState* t_current;

 public:
  static ThreadRegistry& Instance();

  // A new, not yet started racelens thread; `daemon` unset = the caller's flag.
  std::shared_ptr<ThreadState> NewThread(std::string name, std::optional<bool> daemon);

  // The calling thread's state, registering it when needed.
  ThreadState& Current();
  // The calling thread's state when it is known already, else nullptr (the
  // hooks' fast path: one thread-local read, no registry).
  static ThreadState* CurrentIfKnown() noexcept { return t_current; }
  // Forgets the calling thread's state (a foreign thread exiting).
  static void ForgetCurrent() noexcept { t_current = nullptr; }
  std::shared_ptr<ThreadState> CurrentShared();
  std::shared_ptr<ThreadState> Main() const { return main_; }

  // Binds the calling thread to `state` (called first thing on a new racelens thread).
  void BindCurrent(const std::shared_ptr<ThreadState>& state);
  void AddAlive(const std::shared_ptr<ThreadState>& state);
  void RemoveAlive(const ThreadState& state);
  std::vector<std::shared_ptr<ThreadState>> Alive() const;

  // Installs (once) the atexit handler that joins non-daemon threads.
  void EnsureExitJoinInstalled();
  // Waits for every live non-daemon racelens thread other than the caller.
  void JoinNonDaemonThreads();

  // fork() support (detail/fork.hpp). LockForFork appends the registry's and
  // every live thread's mutex, held, to `locks`. In the child, with those
  // locks still held, AfterForkInChild makes `self` (the forking thread) the
  // only live thread and the main thread, and returns the threads that do not
  // exist in the child, for the caller to mark finished once it released the locks.
  void LockForFork(std::vector<std::unique_lock<std::mutex>>& locks);
  std::vector<std::shared_ptr<ThreadState>> AfterForkInChild(
      const std::shared_ptr<ThreadState>& self);

 private:
  ThreadRegistry();
  std::shared_ptr<ThreadState> RegisterForeign();

  mutable std::mutex mutex_;
  int next_id_ = 1;
  int next_name_ = 1;
  std::shared_ptr<ThreadState> main_;
  std::vector<std::shared_ptr<ThreadState>> alive_;
  std::once_flag exit_join_once_;
};

}  // namespace racelens::detail
