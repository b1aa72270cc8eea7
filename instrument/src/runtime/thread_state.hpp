// runtime/thread_state.hpp — what the runtime knows about one thread.
//
// Every thread the runtime sees has one ThreadState: the main thread, each
// racelens::Thread (created with its Thread object), and threads started
// elsewhere that touched a racelens primitive ("Dummy-<n>").
//
// Thread-safety: `id`, `kind` are immutable; the name and daemon flag are
// guarded by an internal mutex, and so is the life-cycle state.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "racelens/detail/futex.hpp"
#include "racelens/detail/hooks.hpp"
#include "racelens/thread.hpp"

namespace racelens::detail {

class ThreadState {
 public:
  enum class Kind { kMain, kRacelens, kForeign };
  enum class Life { kInitial, kStarted, kFinished };

  ThreadState(int id, Kind kind, std::string name, bool daemon)
      : id(id), kind(kind), name_(std::move(name)), daemon_(daemon) {}

  const int id;  // "T<id>" in reports
  const Kind kind;

  std::string name() const {
    std::lock_guard lock(mutex_);
    return name_;
  }
  void set_name(std::string name) {
    std::lock_guard lock(mutex_);
    name_ = std::move(name);
  }
  bool daemon() const {
    std::lock_guard lock(mutex_);
    return daemon_;
  }
  Life life() const {
    std::lock_guard lock(mutex_);
    return life_;
  }
  std::optional<std::uint64_t> ident() const {
    std::lock_guard lock(mutex_);
    return ident_;
  }
  std::optional<std::uint64_t> native_id() const {
    std::lock_guard lock(mutex_);
    return native_id_;
  }

  // Sets the daemon flag; false when the thread already started.
  bool SetDaemonBeforeStart(bool daemon);
  // Marks the thread started; false when it already was.
  bool MarkStarted();
  // Records the OS identity; called on the thread itself.
  void MarkRunning(std::uint64_t ident, std::uint64_t native_id);
  void MarkFinished();
  // Waits until the thread recorded its OS identity (or finished).
  bool WaitRunning();
  // Waits until finished or the deadline passes; true when finished.
  bool WaitFinished(double timeout);

  // Runs the thread's activity: its target when it has one, else self->run().
  void RunEntry();

  // Held across fork() (detail/fork.hpp), so that the child does not inherit it locked.
  std::unique_lock<std::mutex> LockForFork() const { return std::unique_lock(mutex_); }

  std::unique_ptr<Thread::TargetBase> target;
  Thread* self = nullptr;

  // Happens-before edges of thread start (parent -> child) and finish (child -> joiner).
  SyncClock start_clock;
  SyncClock finish_clock;
  // The listener's state for this thread (the detector's vector clock): used by
  // the thread itself, by its creator before it starts and by joiners after it
  // finished, so it needs no lock.
  SyncClock listener_state;

 private:
  mutable std::mutex mutex_;
  CondVar finished_cv_;
  std::string name_;
  bool daemon_;
  Life life_ = Life::kInitial;
  std::optional<std::uint64_t> ident_;
  std::optional<std::uint64_t> native_id_;
};

}  // namespace racelens::detail
