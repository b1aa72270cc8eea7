// racelens/detail/thread_pool_core.hpp — worker threads and their task queue (internal).
//
// `ThreadPoolCore` is the machinery shared by ThreadPoolExecutor and the
// multiprocessing-style ThreadPool: a FIFO of `WorkItem`s and racelens worker
// threads named "<prefix>_<n>". With `on_demand` (the executor) a worker is
// started by a submission only when no worker is idle, as CPython's
// `_adjust_thread_count` does; otherwise all workers start at once.
//
// Idle accounting (CPython's `_idle_semaphore`): `slack_` is the number of
// free workers (not running a task) minus the number of queued tasks. A push
// lowers it, a worker raises it when it starts and when it finishes a task
// (taking a task changes nothing), so a submission that drives it below zero
// needs a worker, and starts one if fewer than max_workers exist. A worker
// counts itself free *before* it publishes a result, so "submit; result();
// submit" reuses the same worker deterministically.
//
// Nothing on the path of a task takes a lock shared by the submitter and the
// workers: a push is one atomic exchange (WorkQueue), workers take the queue's
// consumer lock among themselves, and the counters are atomics. Shutdown waits
// for the submissions in progress (`submitters_`) before it closes the queue,
// so no task is queued once the workers may exit, and shutdown(wait=true)
// joins every worker a submission accepted before it started.
//
// Happens-before: Submit releases into the item's `submitted` clock and the
// worker acquires it before running the task (submit -> task start). The
// queue is invisible to the detector, so tasks are not ordered with each
// other through the pool.
//
// Workers are daemon threads: a pool left alive at exit must not block the
// runtime's join of non-daemon threads. Executors are shut down and joined at
// exit by their own atexit handler (CPython's `_python_exit`), after the tasks
// already queued have run.
//
// Thread-safety: all members are thread-safe. Not part of the public API.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "racelens/detail/futex.hpp"
#include "racelens/detail/futex_lock.hpp"
#include "racelens/detail/future_core.hpp"
#include "racelens/detail/hooks.hpp"
#include "racelens/detail/work_queue.hpp"
#include "racelens/thread.hpp"

namespace racelens::detail {

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
  // Releases the submit edge into `item` (submit -> task start): for SubmitAll,
  // as each item is made, before the caller reads its next input.
  void MarkSubmitted(WorkItem& item, Site site);
  // Queues every item of `items` (each MarkSubmitted already) in order, as that
  // many Submit calls would (Executor.map). On a refusal nothing is queued.
  // `items` is left empty when they were queued.
  SubmitStatus SubmitAll(std::vector<std::shared_ptr<WorkItem>>& items);
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
  // Workers not running a task (CPython's idle semaphore), for tests.
  std::size_t FreeWorkers() const;

 private:
  explicit ThreadPoolCore(Options options) : options_(std::move(options)) {}
  static void WorkerMain(const std::shared_ptr<ThreadPoolCore>& core);
  void WorkerLoop();
  void StartWorkerLocked();  // with submit_mutex_ held
  // Counts a submission in progress; its refusal, or kQueued (then call EndSubmit()).
  SubmitStatus BeginSubmit();
  void EndSubmit() noexcept { submitters_.fetch_sub(1, std::memory_order_seq_cst); }
  // Waits until no submission is in progress (none can begin once refused).
  void AwaitSubmitters() const;
  // Queues `items` within a counted submission; its refusal, or kQueued.
  SubmitStatus Enqueue(std::shared_ptr<WorkItem>* items, std::size_t count);
  // Queues `items` (within a submission) and starts the workers they need.
  void Push(std::shared_ptr<WorkItem>* items, std::size_t count);
  // Starts workers while fewer are available than tasks queued (up to max_workers).
  void StartWorkersIfNeeded();
  // Waits until signal_ moves past `seen` (read before the queue was found
  // empty); may return early. Spins first, then sleeps.
  void AwaitSignal(std::uint32_t seen);
  void Signal(bool all);
  void WakeOneIfNobodySpins();
  // Marks the queue closed (after refusing submissions) and wakes every worker.
  void Close();
  void CloseForExit();
  friend void ShutdownExecutorsAtExit();

  static constexpr std::size_t kCacheLine = 64;
  const Options options_;
  // Held while workers are started and while shutdown closes the queue
  // (CPython's _shutdown_lock).
  // A SpinningMutex, not a std::mutex: it is held across Thread::start, which
  // switches threads under the controlled scheduler (detail/sched.hpp).
  mutable SpinningMutex submit_mutex_;
  std::vector<std::unique_ptr<Thread>> threads_;  // guarded by submit_mutex_
  std::atomic<std::size_t> started_{0};           // threads_.size(); written under submit_mutex_

  // Submitters' line.
  alignas(kCacheLine) std::atomic<int> submitters_{0};  // submissions in progress
  std::atomic<bool> shutdown_{false};                   // refuses submissions
  // Workers' line: free workers minus queued tasks (see the top).
  alignas(kCacheLine) std::atomic<std::ptrdiff_t> slack_{0};
  std::atomic<bool> closing_{false};  // workers exit once the queue is empty
  WorkQueue queue_;
  // Wake-ups of idle workers: `signal_` moves on a push onto the empty queue
  // and at shutdown; a worker spins on it for a while (counted in
  // `spinners_`), then sleeps on it (counted in `sleepers_`). A push wakes a
  // sleeper only when no worker spins; a worker that takes a task and leaves
  // more behind wakes the next one.
  alignas(kCacheLine) std::atomic<std::uint32_t> signal_{0};
  std::atomic<int> spinners_{0};
  std::atomic<int> sleepers_{0};
};

// Shuts down every executor still alive and joins its workers (atexit).
void ShutdownExecutorsAtExit();

}  // namespace racelens::detail
