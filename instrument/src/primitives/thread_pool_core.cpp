// Worker threads and their task queue: racelens/detail/thread_pool_core.hpp.
#include "racelens/detail/thread_pool_core.hpp"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>

#include "runtime/runtime.hpp"

namespace racelens::detail {
namespace {

// Executors alive, for their shutdown at exit. Never destroyed: the atexit
// handler may run after static destructors of other translation units.
struct ExecutorRegistry {
  std::mutex mutex;
  std::vector<std::weak_ptr<ThreadPoolCore>> cores;
};

ExecutorRegistry& Registry() {
  static auto* registry = new ExecutorRegistry();
  return *registry;
}

std::atomic<bool> g_interpreter_shutdown{false};

}  // namespace

std::shared_ptr<ThreadPoolCore> ThreadPoolCore::Create(Options options) {
  std::shared_ptr<ThreadPoolCore> core(new ThreadPoolCore(std::move(options)));
  RACELENS_HOOK(OnObjectCreate, core.get(), ObjectKind::kThreadPool, "", RACELENS_SITE());
  if (core->options_.join_at_exit) {
    // The runtime's own exit handler (the report exit status) must run after ours.
    EnsureRuntime();
    static std::once_flag once;
    std::call_once(once, [] { std::atexit(ShutdownExecutorsAtExit); });
    ExecutorRegistry& registry = Registry();
    std::lock_guard lock(registry.mutex);
    std::erase_if(registry.cores, [](const auto& weak) { return weak.expired(); });
    registry.cores.push_back(core);
  }
  if (!core->options_.on_demand) {
    std::lock_guard guard(core->submit_mutex_);
    while (core->threads_.size() < core->options_.max_workers) core->StartWorkerLocked();
  }
  return core;
}

ThreadPoolCore::~ThreadPoolCore() { RACELENS_HOOK(OnObjectDestroy, this, RACELENS_SITE()); }

void ThreadPoolCore::StartWorkerLocked() {
  // Counted before it starts (a submission racing with the start sees it), and
  // uncounted if it cannot start (no memory, no more threads).
  slack_.fetch_add(1, std::memory_order_seq_cst);
  started_.store(threads_.size() + 1, std::memory_order_seq_cst);
  try {
    threads_.reserve(threads_.size() + 1);  // no throw once the thread runs
    std::string name = options_.name_prefix + "_" + std::to_string(threads_.size());
    auto thread = std::make_unique<Thread>(ThreadOptions{.name = std::move(name), .daemon = true},
                                           WorkerMain, shared_from_this());
    thread->start();
    threads_.push_back(std::move(thread));
  } catch (...) {
    slack_.fetch_sub(1, std::memory_order_seq_cst);
    started_.store(threads_.size(), std::memory_order_seq_cst);
    throw;
  }
}

void ThreadPoolCore::WorkerMain(const std::shared_ptr<ThreadPoolCore>& core) { core->WorkerLoop(); }

ThreadPoolCore::SubmitStatus ThreadPoolCore::BeginSubmit() {
  // Counted before the flags are read: shutdown sets its flag, then waits for
  // the count to drop, so either it sees this submission or it sees the flag.
  submitters_.fetch_add(1, std::memory_order_seq_cst);
  SubmitStatus status = SubmitStatus::kQueued;
  if (shutdown_.load(std::memory_order_seq_cst)) {
    status = SubmitStatus::kShutdown;
  } else if (options_.join_at_exit && g_interpreter_shutdown.load(std::memory_order_seq_cst)) {
    status = SubmitStatus::kInterpreterShutdown;
  }
  if (status != SubmitStatus::kQueued) EndSubmit();
  return status;
}

void ThreadPoolCore::AwaitSubmitters() const {
  // A submission takes a few hundred nanoseconds, or starts a worker.
  while (submitters_.load(std::memory_order_seq_cst) != 0) SpinPause();
}

void ThreadPoolCore::Push(std::shared_ptr<WorkItem>* items, std::size_t count) {
  // Only an empty queue can have every worker waiting: a push onto a non-empty
  // one needs no wake-up (whoever takes the head wakes the next worker if more
  // are queued).
  bool was_empty = false;
  bool short_of_workers = false;
  for (std::size_t i = 0; i < count; ++i) {
    if (queue_.Push(std::move(items[i]))) was_empty = true;
    // One more task than free workers to take it: a worker is needed.
    if (slack_.fetch_sub(1, std::memory_order_seq_cst) <= 0) short_of_workers = true;
  }
  if (was_empty) Signal(false);
  if (options_.on_demand && short_of_workers &&
      started_.load(std::memory_order_seq_cst) < options_.max_workers) {
    StartWorkersIfNeeded();
  }
}

void ThreadPoolCore::StartWorkersIfNeeded() {
  std::lock_guard guard(submit_mutex_);
  while (threads_.size() < options_.max_workers && slack_.load(std::memory_order_seq_cst) < 0) {
    StartWorkerLocked();
  }
}

ThreadPoolCore::SubmitStatus ThreadPoolCore::Submit(std::shared_ptr<WorkItem> item, Site site) {
  MarkSubmitted(*item, site);
  return Enqueue(&item, 1);
}

ThreadPoolCore::SubmitStatus ThreadPoolCore::SubmitAll(
    std::vector<std::shared_ptr<WorkItem>>& items) {
  const SubmitStatus status = Enqueue(items.data(), items.size());
  if (status == SubmitStatus::kQueued) items.clear();
  return status;
}

void ThreadPoolCore::MarkSubmitted(WorkItem& item, Site site) {
  RACELENS_HOOK(OnQueuePut, this, site, item.submitted);
}

ThreadPoolCore::SubmitStatus ThreadPoolCore::Enqueue(std::shared_ptr<WorkItem>* items,
                                                     std::size_t count) {
  const SubmitStatus status = BeginSubmit();
  if (status != SubmitStatus::kQueued) return status;
  try {
    Push(items, count);
  } catch (...) {  // a worker could not start: shutdown must not wait for this submission
    EndSubmit();
    throw;
  }
  EndSubmit();
  return SubmitStatus::kQueued;
}

void ThreadPoolCore::WorkerLoop() {
  std::shared_ptr<WorkItem> finished;  // ran; its outcome not yet published
  FutureCore::Callbacks callbacks;
  for (;;) {
    if (finished != nullptr) {
      // Free before the result is visible: whoever sees the result and submits
      // again finds this worker free instead of starting another. (Taking a
      // task changes nothing: one free worker and one queued task fewer.)
      slack_.fetch_add(1, std::memory_order_seq_cst);
    }
    // Read before popping: a push onto the queue found empty moves signal_
    // past `seen`; once closing_ is set, no push is still to come.
    const std::uint32_t seen = signal_.load(std::memory_order_seq_cst);
    const bool closing = closing_.load(std::memory_order_seq_cst);
    if (finished == nullptr && !closing && queue_.size() == 0) {
      AwaitSignal(seen);  // nothing to take
      continue;
    }
    std::shared_ptr<WorkItem> next = queue_.Pop();
    if (next != nullptr && queue_.size() > 0) WakeOneIfNobodySpins();
    // The result, its callbacks and user code (destructors of the task and its
    // result) run before the next task starts.
    if (finished != nullptr) {
      finished->Publish(callbacks);
      if (!callbacks.empty()) {
        // CPython runs them inside the task: the worker is busy, so a callback
        // that submits work and waits for it gets a new worker.
        if (next == nullptr) slack_.fetch_sub(1, std::memory_order_seq_cst);
        FutureCore::RunCallbacks(callbacks, finished->Future());
        if (next == nullptr) slack_.fetch_add(1, std::memory_order_seq_cst);
      }
      finished.reset();
    }
    if (next != nullptr) {
      RACELENS_HOOK(OnQueueGet, this, nullptr, next->submitted);
      if (next->Execute()) {
        finished = std::move(next);
      } else {
        slack_.fetch_add(1, std::memory_order_seq_cst);  // cancelled while queued: free again
      }
      continue;
    }
    if (closing) return;
    AwaitSignal(seen);
  }
}

void ThreadPoolCore::Signal(bool all) {
  signal_.fetch_add(1, std::memory_order_seq_cst);
  if (all) {
    if (sleepers_.load(std::memory_order_seq_cst) > 0) FutexWake(signal_, 1 << 30);
    return;
  }
  WakeOneIfNobodySpins();
}

void ThreadPoolCore::WakeOneIfNobodySpins() {
  // A spinning worker sees signal_ move and takes the task without a system call.
  if (spinners_.load(std::memory_order_seq_cst) == 0 &&
      sleepers_.load(std::memory_order_seq_cst) > 0) {
    FutexWake(signal_, 1);
  }
}

void ThreadPoolCore::AwaitSignal(std::uint32_t seen) {
  // Tasks often come in bursts: spinning a little saves the sleep and the
  // wake-up (two system calls and a context switch) per task. One spinner is
  // enough to take the next task without a system call; more would only take
  // CPU time from the threads that make the tasks.
  constexpr int kSpins = 500;
  constexpr int kYieldEvery = 50;
  bool moved = false;
  // Under the controlled scheduler nobody pushes while this worker spins.
  const int spins = SchedActive() ? 0 : kSpins;
  spinners_.fetch_add(1, std::memory_order_seq_cst);
  for (int i = 1; i <= spins && !moved; ++i) {
    if (i % kYieldEvery == 0) {
      sched_yield();  // a submitter waiting for this CPU runs now
    } else {
      __builtin_ia32_pause();
    }
    const std::uint32_t now = signal_.load(std::memory_order_seq_cst);
    if (now == seen) continue;
    // A push onto the empty queue, or shutdown. When another worker took the
    // task already, wait for the next push (any push onto the queue found empty
    // here moves signal_ past `now`).
    if (queue_.size() > 0 || closing_.load(std::memory_order_seq_cst)) {
      moved = true;
    } else {
      seen = now;
    }
  }
  spinners_.fetch_sub(1, std::memory_order_seq_cst);
  if (moved) return;
  // Only a sleeping worker is a blocked thread for deadlock reports (and only
  // then is its stack worth capturing).
  RACELENS_HOOK(OnBlock, this, BlockingCall::kPoolWorkerIdle, -1, nullptr);
  sleepers_.fetch_add(1, std::memory_order_seq_cst);
  FutexWait(signal_, seen, Deadline::Never());  // returns at once if it moved
  sleepers_.fetch_sub(1, std::memory_order_seq_cst);
  RACELENS_HOOK(OnUnblock, this);
}

void ThreadPoolCore::Shutdown(bool wait, bool cancel_queued) {
  shutdown_.store(true, std::memory_order_seq_cst);
  AwaitSubmitters();
  // Cancelled before the workers are woken (as CPython drains its queue
  // first); a worker already awake may still take a task, and runs it.
  if (cancel_queued) {
    for (const auto& item : queue_.PopAll()) {
      FutureCore& future = item->Future();
      future.Cancel();
      try {
        future.SetRunningOrNotifyCancel();  // waiters of as_completed()/wait() learn it
      } catch (const Error&) {
        // Completed by hand while queued: nothing to notify.
      }
    }
  }
  Close();
  if (wait) JoinWorkers();
}

void ThreadPoolCore::Close() {
  // After the submitters: a worker that sees closing_ finds every task queued.
  std::lock_guard guard(submit_mutex_);
  closing_.store(true, std::memory_order_seq_cst);
  Signal(true);
}

void ThreadPoolCore::CloseForExit() {
  // g_interpreter_shutdown refuses submissions already.
  AwaitSubmitters();
  Close();
}

void ThreadPoolCore::JoinWorkers() {
  const ThreadHandle self = current_thread();
  for (ThreadHandle worker : Threads()) {
    if (worker == self) continue;  // shutdown(wait=true) from one of its own tasks
    worker.join();
  }
}

std::vector<ThreadHandle> ThreadPoolCore::Threads() const {
  std::lock_guard guard(submit_mutex_);
  std::vector<ThreadHandle> handles;
  handles.reserve(threads_.size());
  for (const auto& thread : threads_) handles.push_back(thread->handle());
  return handles;
}

std::size_t ThreadPoolCore::FreeWorkers() const {
  return static_cast<std::size_t>(
      std::max<std::ptrdiff_t>(0, slack_.load(std::memory_order_seq_cst)));
}

bool ThreadPoolCore::shut_down() const { return shutdown_.load(std::memory_order_seq_cst); }

void ShutdownExecutorsAtExit() {
  g_interpreter_shutdown.store(true);
  std::vector<std::shared_ptr<ThreadPoolCore>> live;
  {
    ExecutorRegistry& registry = Registry();
    std::lock_guard lock(registry.mutex);
    for (const auto& weak : registry.cores) {
      if (auto core = weak.lock()) live.push_back(std::move(core));
    }
  }
  for (const auto& core : live) core->CloseForExit();
  for (const auto& core : live) core->JoinWorkers();
}

}  // namespace racelens::detail
