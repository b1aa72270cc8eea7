// racelens/detail/thread_pool_core.hpp — worker threads and their task queue (internal).
//
// `ThreadPoolCore` is the machinery shared by ThreadPoolExecutor and the
// multiprocessing-style ThreadPool: a FIFO of `WorkItem`s and racelens worker
// threads named "<prefix>_<n>". With `on_demand` (the executor) a worker is
// started by a submission only when no worker is idle, as CPython's
// `_adjust_thread_count` does; otherwise all workers start at once.
//
// Idle accounting: `available_` counts workers that are not running a task
// (waiting, or between two tasks); `idle_` counts those a submission has not
// yet claimed (CPython's `_idle_semaphore`, kept exact). A worker counts
// itself available *before* it publishes a result, so "submit; result();
// submit" reuses the same worker deterministically.
//
// Happens-before: Submit releases into the item's `submitted` clock and the
// worker acquires it before running the task (submit -> task start). The
// queue's std::mutex is invisible to the detector, so tasks are not ordered
// with each other through the pool.
//
// Workers are daemon threads: a pool left alive at exit must not block the
// runtime's join of non-daemon threads. Executors are shut down and joined at
// exit by their own atexit handler (CPython's `_python_exit`), after the tasks
// already queued have run.
//
// Thread-safety: all members are thread-safe. Not part of the public API.
#pragma once

#include <sched.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "racelens/detail/futex.hpp"
#include "racelens/detail/futex_lock.hpp"
#include "racelens/detail/future_core.hpp"
#include "racelens/detail/hooks.hpp"
#include "racelens/thread.hpp"

namespace racelens::detail {

// One queued task. The executor's TaskCell is both the future and the item.
class WorkItem {
 public:
  virtual ~WorkItem() = default;
  // Runs the task unless its future was cancelled (false), keeping the
  // outcome for Publish(). Never throws.
  virtual bool Execute() = 0;
  // Completes the future with the kept outcome; its callbacks go to `deferred`.
  virtual void Publish(FutureCore::Callbacks& deferred) = 0;
  // The future, for callbacks and for cancelling a task that never ran.
  virtual FutureCore& Future() = 0;

  SyncClock submitted;  // submit -> task start
};

// The queue's lock: a short critical section taken by the submitter and every
// worker, so it spins before sleeping (std::mutex sleeps at once when taken).
class QueueMutex {
 public:
  void lock() noexcept {
    // With more threads than CPUs the holder may be preempted: yielding lets it
    // finish its few instructions, where sleeping would cost two system calls.
    for (int i = 0; i < kTries; ++i) {
      if (lock_.TryLock()) return;
      if (i < kSpins) {
        __builtin_ia32_pause();
      } else {
        sched_yield();
      }
    }
    lock_.LockUntil(Deadline::Never());
  }
  void unlock() noexcept { lock_.Unlock(); }

 private:
  static constexpr int kSpins = 64;
  static constexpr int kTries = kSpins + 8;
  FutexLock lock_;
};

class ThreadPoolCore : public std::enable_shared_from_this<ThreadPoolCore> {
 public:
  struct Options {
    std::size_t max_workers = 1;
    std::string name_prefix;    // workers are "<name_prefix>_<n>"
    bool on_demand = true;      // false: all workers start in Create()
    bool join_at_exit = false;  // shut down and join at program exit (executors)
  };
  enum class SubmitStatus { kQueued, kShutdown, kInterpreterShutdown };

  static std::shared_ptr<ThreadPoolCore> Create(Options options);
  ThreadPoolCore(const ThreadPoolCore&) = delete;
  ThreadPoolCore& operator=(const ThreadPoolCore&) = delete;
  ~ThreadPoolCore();

  // Queues `item` (releasing the submit edge) and starts a worker if needed.
  SubmitStatus Submit(std::shared_ptr<WorkItem> item, Site site);
  // Refuses later submissions and lets the workers exit once the queue is
  // empty. With `cancel_queued`, the tasks still queued are cancelled (their
  // futures become CANCELLED_AND_NOTIFIED, so nothing waits on them forever).
  // With `wait`, joins the workers.
  void Shutdown(bool wait, bool cancel_queued);
  // Joins every worker started so far.
  void JoinWorkers();

  std::vector<ThreadHandle> Threads() const;
  std::size_t max_workers() const noexcept { return options_.max_workers; }
  bool shut_down() const;

 private:
  explicit ThreadPoolCore(Options options) : options_(std::move(options)) {}
  static void WorkerMain(const std::shared_ptr<ThreadPoolCore>& core);
  void WorkerLoop();
  void StartWorkerLocked(bool idle);  // with submit_mutex_ held
  // Waits (mutex_ held on entry and exit) until the queue has an item or closing_.
  void WaitForWork(std::unique_lock<QueueMutex>& lock);
  void Signal(bool all);
  void WakeOneIfNobodySpins();
  void CloseForExit();
  friend void ShutdownExecutorsAtExit();

  const Options options_;
  // Held across a whole submission and while shutting down (CPython's
  // _shutdown_lock): no worker is started once shutdown began.
  mutable std::mutex submit_mutex_;
  std::vector<std::unique_ptr<Thread>> threads_;  // guarded by submit_mutex_
  bool shutdown_ = false;                         // guarded by submit_mutex_

  QueueMutex mutex_;  // the queue and the counters below
  // Wake-ups of idle workers: `signal_` moves on every push and at shutdown; a
  // worker spins on it for a while (counted in `spinners_`), then sleeps on it
  // (counted in `sleepers_`). Only a push onto an empty queue signals, and it
  // wakes a sleeper only when no worker spins; a worker that takes a task and
  // leaves more behind wakes the next one.
  std::atomic<std::uint32_t> signal_{0};
  std::atomic<int> spinners_{0};
  std::atomic<int> sleepers_{0};
  std::deque<std::shared_ptr<WorkItem>> queue_;
  std::size_t available_ = 0;
  std::size_t idle_ = 0;
  bool closing_ = false;  // workers exit once the queue is empty
};

// Shuts down every executor still alive and joins its workers (atexit).
void ShutdownExecutorsAtExit();

}  // namespace racelens::detail
