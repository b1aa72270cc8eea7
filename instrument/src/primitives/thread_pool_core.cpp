// Worker threads and their task queue: racelens/detail/thread_pool_core.hpp.
#include "racelens/detail/thread_pool_core.hpp"

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
    while (core->threads_.size() < core->options_.max_workers) core->StartWorkerLocked(true);
  }
  return core;
}

ThreadPoolCore::~ThreadPoolCore() = default;

void ThreadPoolCore::StartWorkerLocked(bool idle) {
  {
    std::lock_guard lock(mutex_);
    ++available_;
    if (idle) ++idle_;
  }
  std::string name = options_.name_prefix + "_" + std::to_string(threads_.size());
  auto thread = std::make_unique<Thread>(ThreadOptions{.name = std::move(name), .daemon = true},
                                         WorkerMain, shared_from_this());
  thread->start();
  threads_.push_back(std::move(thread));
}

void ThreadPoolCore::WorkerMain(const std::shared_ptr<ThreadPoolCore>& core) { core->WorkerLoop(); }

ThreadPoolCore::SubmitStatus ThreadPoolCore::Submit(std::shared_ptr<WorkItem> item, Site site) {
  std::lock_guard guard(submit_mutex_);
  if (shutdown_) return SubmitStatus::kShutdown;
  if (options_.join_at_exit && g_interpreter_shutdown.load()) {
    return SubmitStatus::kInterpreterShutdown;
  }
  RACELENS_HOOK(OnQueuePut, this, site, item->submitted);
  bool start = false;
  {
    std::lock_guard lock(mutex_);
    // Only an empty queue can have every worker asleep: pushing onto a non-empty one needs
    // no wake-up (whoever takes the head wakes the next worker if more are queued).
    const bool was_empty = queue_.empty();
    queue_.push_back(std::move(item));
    if (was_empty) Signal(false);
    if (options_.on_demand) {
      if (idle_ > 0) {
        --idle_;  // an idle worker will take it
      } else {
        start = threads_.size() < options_.max_workers;
      }
    }
  }
  if (start) StartWorkerLocked(false);
  return SubmitStatus::kQueued;
}

void ThreadPoolCore::WorkerLoop() {
  std::shared_ptr<WorkItem> finished;  // ran; its outcome not yet published
  FutureCore::Callbacks callbacks;
  std::unique_lock<QueueMutex> lock(mutex_);
  for (;;) {
    if (finished != nullptr) {
      // Available before the result is visible: whoever sees the result and
      // submits again finds this worker idle instead of starting another.
      ++available_;
      ++idle_;
      finished->Publish(callbacks);
    }
    std::shared_ptr<WorkItem> next;
    if (!queue_.empty()) {
      next = std::move(queue_.front());
      queue_.pop_front();
      --available_;
      idle_ = std::min(idle_, available_);
      if (!queue_.empty()) WakeOneIfNobodySpins();
    } else if (!closing_ && finished == nullptr) {
      WaitForWork(lock);
      continue;
    }
    const bool exiting = next == nullptr && closing_ && queue_.empty();
    lock.unlock();
    // User code (callbacks, destructors of the task and its result) runs unlocked.
    if (!callbacks.empty()) FutureCore::RunCallbacks(callbacks, finished->Future());
    finished.reset();
    if (exiting) return;
    if (next != nullptr) {
      RACELENS_HOOK(OnQueueGet, this, nullptr, next->submitted);
      if (next->Execute()) finished = std::move(next);
    }
    lock.lock();
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

void ThreadPoolCore::WaitForWork(std::unique_lock<QueueMutex>& lock) {
  // Tasks often come in bursts: spinning a little saves the sleep and the
  // wake-up (two system calls and a context switch) per task.
  constexpr int kSpins = 500;
  RACELENS_HOOK(OnBlock, this, BlockingCall::kPoolWorkerIdle, -1, nullptr);
  while (queue_.empty() && !closing_) {
    const std::uint32_t seen = signal_.load(std::memory_order_seq_cst);
    lock.unlock();
    bool moved = false;
    spinners_.fetch_add(1, std::memory_order_seq_cst);
    for (int i = 0; i < kSpins && !moved; ++i) {
      __builtin_ia32_pause();
      moved = signal_.load(std::memory_order_relaxed) != seen;
    }
    spinners_.fetch_sub(1, std::memory_order_seq_cst);
    if (!moved) {
      sleepers_.fetch_add(1, std::memory_order_seq_cst);
      FutexWait(signal_, seen, Deadline::Never());  // returns at once if it moved
      sleepers_.fetch_sub(1, std::memory_order_seq_cst);
    }
    lock.lock();
  }
  RACELENS_HOOK(OnUnblock, this);
}

void ThreadPoolCore::Shutdown(bool wait, bool cancel_queued) {
  std::deque<std::shared_ptr<WorkItem>> drained;
  {
    std::lock_guard guard(submit_mutex_);
    shutdown_ = true;
    std::lock_guard lock(mutex_);
    closing_ = true;
    if (cancel_queued) drained.swap(queue_);
    Signal(true);
  }
  for (const auto& item : drained) {
    FutureCore& future = item->Future();
    future.Cancel();
    try {
      future.SetRunningOrNotifyCancel();  // waiters of as_completed()/wait() learn it
    } catch (const Error&) {
      // Completed by hand while queued: nothing to notify.
    }
  }
  drained.clear();
  if (wait) JoinWorkers();
}

void ThreadPoolCore::CloseForExit() {
  std::lock_guard guard(submit_mutex_);
  std::lock_guard lock(mutex_);
  closing_ = true;
  Signal(true);
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

bool ThreadPoolCore::shut_down() const {
  std::lock_guard guard(submit_mutex_);
  return shutdown_;
}

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
