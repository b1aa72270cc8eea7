#include "runtime/detector.hpp"

#include <unistd.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <new>
#include <sstream>
#include <thread>

#include "racelens/detail/sched.hpp"
#include "racelens/time.hpp"
#include "report/labels.hpp"
#include "report/replay.hpp"
#include "runtime/fork_safe_spin_lock.hpp"
#include "runtime/runtime.hpp"
#include "runtime/small_block_pool.hpp"
#include "runtime/symbolizer.hpp"
#include "runtime/thread_registry.hpp"
#include "runtime/thread_state.hpp"

namespace racelens::detail {
namespace {

using detect::VectorClock;

// The vector clock a primitive's SyncClock slot carries, with the lock its joins take. The
// lock sits next to the clock, so a hand-off between threads moves one cache line where a
// table of striped locks moved two.
struct ClockSlot final : SyncClockState {
  // A queue item's slot lives from its put to its get, usually across two threads.
  static void* operator new(std::size_t) {
    static_assert(sizeof(ClockSlot) <= SmallBlockPool::kBlockSize);  // and final: no larger one
    return SmallBlockPool::Allocate();
  }
  static void operator delete(void* block) { SmallBlockPool::Deallocate(block); }
  void Reset() { new (&clock) VectorClock(); }

  ForkSafeSpinLock lock;
  VectorClock clock;
};

// A Shared<T>'s race state, in the SyncClock slot it carries, with the lock its checks take
// (a racy program accesses it from several threads at once). Aligned so that the lock and the
// last write share a cache line: a Shared's hand-off between threads moves its value's line and
// that one (the line after, the history, changes only when accesses race).
struct alignas(64) ShadowSlot final : SyncClockState {
  void Reset() { new (&shadow) detect::LocationShadow(); }

  ForkSafeSpinLock lock;
  detect::LocationShadow shadow;
};

// The slot of type Slot (ClockSlot or ShadowSlot) in `sync`, installed on first use.
template <class Slot>
Slot& SlotIn(SyncClock& sync) {
  if (SyncClockState* state = sync.get()) return *static_cast<Slot*>(state);
  return *static_cast<Slot*>(sync.install(new Slot()));
}

// Holds a slot's lock. A slot whose lock a parent process's thread held at the fork that made
// this process may be half-updated: it starts again empty (Slot::Reset; the old state's memory
// is left alone), which loses that slot's earlier edges or accesses, never memory safety.
template <class Slot>
class SlotGuard {
 public:
  explicit SlotGuard(Slot& slot) : slot_(slot) {
    if (slot_.lock.Lock()) slot_.Reset();
  }
  ~SlotGuard() { slot_.lock.Unlock(); }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;

 private:
  Slot& slot_;
};

// An unnamed object's label: the static it is, else its address.
std::string MemoryLabel(const void* address) {
  const auto value = reinterpret_cast<std::uintptr_t>(address);
  std::string name = DataSymbolName(value);
  return name.empty() ? report::Hex(value) : name;
}

// What a thread is blocked in, as the watchdog needs it.
struct BlockState {
  bool blocked = false;
  const void* object = nullptr;
  BlockingCall call = BlockingCall::kLockAcquire;
  bool timed = false;
  StackId stack = kNoStack;
  double since = 0;
};

// A lock a thread holds (its outermost acquisition).
struct HeldEntry {
  std::uint64_t lock = 0;
  StackId stack = kNoStack;  // where it was taken
  bool in_graph = false;     // told to the lock-order detector (only when nesting)
};

}  // namespace

// What other threads may need to read of a thread: what it is blocked in and
// which locks it holds. Shared with the detector's table of live threads, so
// it outlives a thread that exits without a finish event (a foreign thread).
// Lock order: Detector::mutex_ before `mutex`.
struct Detector::ThreadShared {
  // Taken by the owner at every lock acquisition and release, rarely by others.
  SpinningMutex mutex;
  BlockState block;
  std::vector<HeldEntry> held;  // in acquisition order
  // held.size(), stored with `mutex` held after every change: the owner checks
  // "holds nothing" before each acquisition without taking the mutex.
  std::atomic<std::size_t> held_count{0};
  void HeldChanged() { held_count.store(held.size(), std::memory_order_relaxed); }
  // Its recent events; written by the owner only (thread_history.hpp).
  std::shared_ptr<ThreadHistory> history = std::make_shared<ThreadHistory>();
};

namespace {

// What the detector keeps per thread, in ThreadState::listener_state.
struct ThreadSlot final : SyncClockState {
  explicit ThreadSlot(int thread) : clock(detect::FirstClock(thread)) {}
  VectorClock clock;
  std::shared_ptr<Detector::ThreadShared> shared;  // created at first use
  // Where the lock being acquired was called for: captured before the lock is
  // taken (OnMutexPreLock), used once it is held (OnMutexPostLock), so the
  // capture is not inside the user's critical section.
  const void* pending_lock = nullptr;
  StackId pending_stack = kNoStack;
  // Events recorded in the thread's history so far; a tracked access keeps the count.
  std::uint32_t recorded = 0;
  ThreadHistory* history = nullptr;  // shared->history, once the thread recorded an event
};

__attribute__((noinline)) ThreadSlot& NewSlot(ThreadState& thr) {
  thr.listener_state.reset(new ThreadSlot(thr.id));
  return *static_cast<ThreadSlot*>(thr.listener_state.get());
}

// Called several times per event: the common case inline, the first call's allocation not.
inline ThreadSlot& SlotOf(ThreadState& thr) {
  if (SyncClockState* state = thr.listener_state.get()) return *static_cast<ThreadSlot*>(state);
  return NewSlot(thr);
}

bool OnLock(BlockingCall call) {
  return call == BlockingCall::kLockAcquire || call == BlockingCall::kRLockAcquire;
}

std::size_t StripeIndex(std::uintptr_t key, std::size_t stripes) {
  key ^= key >> 17;
  key *= 0xed5ad4bbU;
  key ^= key >> 11;
  return key % stripes;
}

bool IsLock(ObjectKind kind) { return kind == ObjectKind::kLock || kind == ObjectKind::kRLock; }

// The process's argv, from /proc/self/cmdline (NUL-separated); empty when unreadable.
std::vector<std::string> CommandLine() {
  std::vector<std::string> argv;
  std::FILE* file = std::fopen("/proc/self/cmdline", "rb");
  if (file == nullptr) return argv;
  std::string text;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), file)) > 0) text.append(buffer.data(), n);
  std::fclose(file);
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find('\0', start), text.size());
    argv.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return argv;
}

std::string FrameSummary(const report::Stack& stack) {
  if (stack.empty()) return "<unknown location>";
  const report::Frame& f = stack.front();
  std::string where = f.file.empty() ? report::Hex(f.pc) : f.file + ":" + std::to_string(f.line);
  if (!f.function.empty()) where += " in " + f.function;
  return where;
}

// A timeline event's site, one frame: of the call site `pc` (its inlined frames) or of `stack`,
// the first frame that is neither racelens's nor libstdc++'s, else the innermost.
report::Frame TimelineFrame(Site pc, StackId stack) {
  report::Stack frames;
  if (stack != kNoStack) {
    frames = Symbolize(stack);
  } else if (pc != nullptr) {
    const std::uintptr_t pcs[] = {reinterpret_cast<std::uintptr_t>(pc)};
    frames = SymbolizePcs(pcs);
  }
  if (frames.empty()) return {};
  const report::Stack trimmed = TrimRuntimeFrames(frames);
  for (const report::Frame& frame : trimmed) {
    if (frame.file.find("/include/c++/") == std::string::npos) return frame;
  }
  return trimmed.empty() ? frames.front() : trimmed.front();
}

const char* CallName(BlockingCall call) {
  switch (call) {
    case BlockingCall::kLockAcquire:
      return "Lock.acquire()";
    case BlockingCall::kRLockAcquire:
      return "RLock.acquire()";
    case BlockingCall::kConditionWait:
      return "Condition.wait()";
    case BlockingCall::kSemaphoreAcquire:
      return "Semaphore.acquire()";
    case BlockingCall::kEventWait:
      return "Event.wait()";
    case BlockingCall::kBarrierWait:
      return "Barrier.wait()";
    case BlockingCall::kQueuePut:
      return "Queue.put()";
    case BlockingCall::kQueueGet:
      return "Queue.get()";
    case BlockingCall::kQueueJoin:
      return "Queue.join()";
    case BlockingCall::kThreadJoin:
      return "Thread.join()";
    case BlockingCall::kFutureResult:
      return "Future.result()";
    case BlockingCall::kFutureException:
      return "Future.exception()";
    case BlockingCall::kFuturesWait:
      return "wait()";
    case BlockingCall::kAsCompleted:
      return "as_completed()";
    case BlockingCall::kPoolWorkerIdle:
      return "waiting for a task (pool worker)";
    case BlockingCall::kAsyncResultGet:
      return "AsyncResult.get()";
    case BlockingCall::kAsyncResultWait:
      return "AsyncResult.wait()";
    case BlockingCall::kProcessJoin:
      return "Process.join()";
    case BlockingCall::kMpQueuePut:
      return "mp::Queue.put()";
    case BlockingCall::kMpQueueGet:
      return "mp::Queue.get()";
    case BlockingCall::kMpQueueJoin:
      return "mp::JoinableQueue.join()";
  }
  return "a blocking call";
}

// Threads of this process that the runtime does not know (a std::thread that
// never touched racelens) may be about to unblock everybody: count them.
// OS threads a sanitizer runs beside the program's: ThreadSanitizer starts a
// background thread at the first pthread_create (the watchdog's, at the latest).
#if defined(__SANITIZE_THREAD__)
constexpr int kSanitizerThreads = 1;
#else
constexpr int kSanitizerThreads = 0;
#endif

int OsThreadCount() {
  int n = 0;
  if (FILE* f = std::fopen("/proc/self/status", "r")) {
    char line[256];
    while (std::fgets(line, sizeof line, f) != nullptr) {
      if (std::sscanf(line, "Threads: %d", &n) == 1) break;
    }
    std::fclose(f);
  }
  return n;
}

}  // namespace

Detector::Detector(const Options& options, ReportSink& sink) : options_(options), sink_(sink) {
  live_threads_.emplace(0, nullptr);  // the main thread
  const auto history = static_cast<std::size_t>(std::max(1, options_.history));
  for (RaceShard& shard : race_shards_) shard.detector = detect::RaceDetector(history);
}

StackId Detector::Capture(Unwinder unwinder) const {
  // Runtime frames (the dispatch, the hook, the primitive) are trimmed when the
  // report is symbolised; skipping a fixed count would cut user frames of
  // inlined entry points such as RACELENS_WRITE.
  return CaptureStack(0, unwinder);
}

detect::VectorClock& Detector::OwnClock(ThreadState& thr) { return SlotOf(thr).clock; }

Detector::ThreadShared& Detector::SharedOf(ThreadState& thr) {
  ThreadSlot& slot = SlotOf(thr);
  if (slot.shared != nullptr) return *slot.shared;
  return NewShared(thr);  // once per thread
}

Detector::ThreadShared& Detector::NewShared(ThreadState& thr) {
  ThreadSlot& slot = SlotOf(thr);
  slot.shared = std::make_shared<ThreadShared>();
  std::lock_guard lock(mutex_);
  NoteThread(thr);
  threads_[thr.id].history = slot.shared->history;
  live_threads_[thr.id] = slot.shared;
  return *slot.shared;
}

void Detector::Record(ThreadState& thr, HistoryOp op, const void* object, Site site,
                      std::uint32_t other) {
  ThreadSlot& slot = SlotOf(thr);
  if (slot.history == nullptr) slot.history = SharedOf(thr).history.get();
  slot.history->Record(NextStep(), op, other, ++slot.recorded, object, site);
}

std::uint64_t Detector::NextStep() {
#if defined(__x86_64__)
  // Under the controlled scheduler one thread runs at a time: the counter costs nothing there,
  // and it makes the order of a replay's events the run's by construction.
  if (!SchedActive()) return __rdtsc();
#endif
  return steps_.next.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Detector::HeldBy(ThreadShared& shared) {
  std::lock_guard lock(shared.mutex);
  std::vector<std::uint64_t> locks;
  for (const HeldEntry& e : shared.held) locks.push_back(e.lock);
  return locks;
}

Detector::RaceShard& Detector::ShardOf(std::uintptr_t granule) {
  return race_shards_[StripeIndex(granule / detect::RaceDetector::kGranule, kStripes)];
}

void Detector::NoteThread(const ThreadState& thread) {
  auto [it, inserted] = threads_.try_emplace(thread.id);
  if (inserted || it->second.name.empty()) it->second.name = thread.name();
}

Detector::LockInfo& Detector::Lock(const void* object) {
  auto [it, inserted] = locks_.try_emplace(object);
  if (inserted) it->second.id = next_lock_id_++;
  return it->second;
}

void Detector::OnObjectCreate(ThreadState&, const void* object, ObjectKind kind,
                              std::string_view name, Site) {
  std::lock_guard lock(mutex_);
  kinds_[object] = kind;
  if (IsLock(kind)) {
    locks_[object] =
        LockInfo{next_lock_id_++, std::string(name), false, kind == ObjectKind::kRLock};
  } else if (kind == ObjectKind::kEvent) {
    event_names_[object] = std::string(name);
  } else if (!name.empty()) {
    other_names_[object] = std::string(name);  // a queue, condition... named in deadlocks
  }
}

void Detector::OnObjectDestroy(ThreadState&, const void* object, Site) {
  std::lock_guard lock(mutex_);
  kinds_.erase(object);
  // An object made later at the same address is another object: forget this one's state.
  if (event_names_.erase(object) > 0) event_races_.Forget(object);
  other_names_.erase(object);
  if (locks_.erase(object) == 0) return;
  const auto id = reinterpret_cast<std::uint64_t>(object);
  lock_order_.LockDestroyed(id);
  for (auto& [thread, shared] : live_threads_) {  // Python may destroy a held lock
    if (shared == nullptr) continue;
    std::lock_guard held_lock(shared->mutex);
    std::erase_if(shared->held, [id](const HeldEntry& e) { return e.lock == id; });
    shared->HeldChanged();
  }
}

// --- locks ---------------------------------------------------------------

void Detector::OnMutexPreLock(ThreadState& thr, const void* object, Site, bool try_lock) {
  // The stack of this acquisition (the "from" stack of later lock-order edges),
  // taken while the lock is not held yet: waiting threads do not wait for it.
  ThreadSlot& slot = SlotOf(thr);
  const StackId stack = Capture();
  slot.pending_lock = object;
  slot.pending_stack = stack;
  if (try_lock) return;  // cannot block: no lock-order edge
  ThreadShared& shared = SharedOf(thr);
  // A new lock-order edge needs a lock already held; most acquisitions hold none.
  // Only this thread adds to its held locks, so "none" cannot be stale.
  if (shared.held_count.load(std::memory_order_relaxed) == 0) return;
  const auto id = reinterpret_cast<std::uint64_t>(object);
  std::vector<Draft> drafts;
  {
    std::lock_guard lock(mutex_);
    Lock(object);
    {
      // The held locks become part of the lock-order graph's view of this thread.
      std::lock_guard held_lock(shared.mutex);
      for (HeldEntry& e : shared.held) {
        if (e.in_graph) continue;
        lock_order_.AfterLock(thr.id, e.lock, e.stack, /*acquired=*/true);
        e.in_graph = true;
      }
    }
    // Almost every nested acquisition repeats a known order: the stack is
    // captured only for an order the graph has not seen.
    if (lock_order_.NeedsStack(thr.id, id, try_lock)) {
      NoteThread(thr);
      for (const auto& cycle : lock_order_.BeforeLock(thr.id, id, stack, try_lock)) {
        drafts.push_back(LockOrderDraft(cycle, thr.id, object, stack));
      }
    }
  }
  Publish(std::move(drafts));
}

void Detector::OnMutexPostLock(ThreadState& thr, const void* object, Site site, bool acquired,
                               int recursion, SyncClock& clock) {
  // The stack OnMutexPreLock captured for this acquisition, if it had one (an
  // RLock entered again by its owner has none).
  ThreadSlot& slot = SlotOf(thr);
  const StackId pending = slot.pending_lock == object ? slot.pending_stack : kNoStack;
  slot.pending_lock = nullptr;
  if (!acquired) return;
  AcquireFrom(thr, clock);
  Record(thr, HistoryOp::kLockAcquired, object, site);
  const auto id = reinterpret_cast<std::uint64_t>(object);
  ThreadShared& shared = SharedOf(thr);
  const auto holds = [&] {
    return std::any_of(shared.held.begin(), shared.held.end(),
                       [id](const HeldEntry& e) { return e.lock == id; });
  };
  if (recursion > 1) {
    // An RLock entered again (held already), or a Condition taking back all
    // the levels of its RLock after a wait (not held).
    std::lock_guard held_lock(shared.mutex);
    if (holds()) return;
  }
  // Where the outermost acquisition happened: the "from" stack of later edges.
  const StackId stack = pending != kNoStack ? pending : Capture();
  std::lock_guard held_lock(shared.mutex);
  if (!holds()) {
    shared.held.push_back({id, stack, false});
    shared.HeldChanged();
  }
}

void Detector::OnMutexUnlock(ThreadState& thr, const void* object, Site site, int recursion_left,
                             SyncClock& clock) {
  if (recursion_left > 0) return;
  ReleaseInto(thr, clock);
  Record(thr, HistoryOp::kLockReleased, object, site);
  const auto id = reinterpret_cast<std::uint64_t>(object);
  const auto is_it = [id](const HeldEntry& e) { return e.lock == id; };
  ThreadShared& shared = SharedOf(thr);
  bool mine = false;
  {
    std::lock_guard held_lock(shared.mutex);
    const auto it = std::find_if(shared.held.begin(), shared.held.end(), is_it);
    if (it != shared.held.end()) {
      mine = true;
      const bool in_graph = it->in_graph;
      shared.held.erase(it);
      shared.HeldChanged();
      if (!in_graph) return;  // the common case: no global lock at all
    }
  }
  std::lock_guard lock(mutex_);
  if (!mine) {
    // Released by another thread than its holder (a Lock has no owner).
    for (auto& [thread, other] : live_threads_) {
      if (other == nullptr) continue;
      std::lock_guard held_lock(other->mutex);
      if (std::erase_if(other->held, is_it) > 0) {
        other->HeldChanged();
        break;
      }
    }
  }
  lock_order_.BeforeUnlock(thr.id, id);
}

// --- happens-before edges ------------------------------------------------

void Detector::ReleaseInto(ThreadState& thr, SyncClock& sync) {
  ClockSlot& slot = SlotIn<ClockSlot>(sync);
  const SlotGuard guard(slot);
  detect::ReleaseInto(thr.id, OwnClock(thr), slot.clock);
}

void Detector::AcquireFrom(ThreadState& thr, SyncClock& sync) {
  ClockSlot& slot = SlotIn<ClockSlot>(sync);
  const SlotGuard guard(slot);
  detect::AcquireFrom(OwnClock(thr), slot.clock);
}

void Detector::OnSemaphoreRelease(ThreadState& thr, const void* object, Site site, std::int64_t,
                                  SyncClock& clock) {
  ReleaseInto(thr, clock);
  Record(thr, HistoryOp::kSemaphoreReleased, object, site);
}

void Detector::OnSemaphoreAcquire(ThreadState& thr, const void* object, Site site, bool acquired,
                                  SyncClock& clock) {
  if (!acquired) return;
  AcquireFrom(thr, clock);
  Record(thr, HistoryOp::kSemaphoreAcquired, object, site);
}

void Detector::OnEventSet(ThreadState& thr, const void* object, Site site, SyncClock& clock) {
  const StackId stack = Capture();
  Record(thr, HistoryOp::kEventSet, object, site);
  std::vector<Draft> drafts;
  {
    std::lock_guard lock(mutex_);
    if (auto race = event_races_.OnSet(object, thr.id, OwnClock(thr), stack)) {
      NoteThread(thr);
      drafts.push_back(EventRaceDraft(*race));
    }
  }
  ReleaseInto(thr, clock);
  Publish(std::move(drafts));
}

void Detector::OnEventClear(ThreadState& thr, const void* object, Site site) {
  const StackId stack = Capture();
  Record(thr, HistoryOp::kEventClear, object, site);
  std::vector<Draft> drafts;
  {
    std::lock_guard lock(mutex_);
    if (auto race = event_races_.OnClear(object, thr.id, OwnClock(thr), stack)) {
      NoteThread(thr);
      drafts.push_back(EventRaceDraft(*race));
    }
  }
  Publish(std::move(drafts));
}

void Detector::OnEventObserve(ThreadState& thr, const void* object, Site site, bool observed_set,
                              SyncClock& clock) {
  if (observed_set) AcquireFrom(thr, clock);
  Record(thr, observed_set ? HistoryOp::kEventSeenSet : HistoryOp::kEventSeenClear, object, site);
}

void Detector::OnConditionNotify(ThreadState& thr, const void* object, Site site,
                                 SyncClock& waiter) {
  ReleaseInto(thr, waiter);
  Record(thr, HistoryOp::kConditionNotify, object, site);
}

void Detector::OnConditionWake(ThreadState& thr, const void* object, Site site, bool notified,
                               SyncClock& waiter) {
  if (notified) AcquireFrom(thr, waiter);
  Record(thr, notified ? HistoryOp::kConditionWoke : HistoryOp::kConditionTimedOut, object, site);
}

void Detector::OnBarrierArrive(ThreadState& thr, const void*, Site, SyncClock& generation) {
  ReleaseInto(thr, generation);
}

void Detector::OnBarrierDepart(ThreadState& thr, const void* object, Site site, bool passed,
                               SyncClock& generation) {
  if (!passed) return;
  AcquireFrom(thr, generation);
  Record(thr, HistoryOp::kBarrierPassed, object, site);
}

void Detector::OnQueuePut(ThreadState& thr, const void* object, Site site, SyncClock& item) {
  ReleaseInto(thr, item);
  Record(thr, HistoryOp::kQueuePut, object, site);
}

void Detector::OnQueueGet(ThreadState& thr, const void* object, Site site, SyncClock& item) {
  AcquireFrom(thr, item);
  Record(thr, HistoryOp::kQueueGot, object, site);
}

void Detector::OnQueueTaskDone(ThreadState& thr, const void* object, Site site,
                               SyncClock& all_done) {
  ReleaseInto(thr, all_done);
  Record(thr, HistoryOp::kQueueTaskDone, object, site);
}

void Detector::OnQueueJoin(ThreadState& thr, const void* object, Site site, SyncClock& all_done) {
  AcquireFrom(thr, all_done);
  Record(thr, HistoryOp::kQueueJoined, object, site);
}

void Detector::OnThreadCreate(ThreadState& parent, ThreadState& child, Site site) {
  const StackId stack = Capture(Unwinder::kComplete);  // rare: a complete stack
  Record(parent, HistoryOp::kThreadStarted, nullptr, site, static_cast<std::uint32_t>(child.id));
  std::lock_guard lock(mutex_);
  NoteThread(parent);
  ThreadInfo& info = threads_[child.id];
  info.name = child.name();
  info.parent = parent.id;
  info.created_at = stack;
  // The child has not started: its clock is the parent's to set.
  detect::StartChild(parent.id, OwnClock(parent), OwnClock(child));
  live_threads_.emplace(child.id, nullptr);
}

void Detector::OnThreadFinish(ThreadState& thr) {
  OwnClock(thr);  // created here at the latest, so that joiners only read it
  ThreadShared& shared = SharedOf(thr);
  std::vector<HeldEntry> held;
  {
    std::lock_guard held_lock(shared.mutex);
    held.swap(shared.held);
    shared.HeldChanged();
  }
  std::vector<Draft> drafts;
  {
    std::lock_guard lock(mutex_);
    NoteThread(thr);
    lock_order_.ThreadFinished(thr.id);
    for (const HeldEntry& h : held) {
      const auto it = locks_.find(reinterpret_cast<const void*>(h.lock));
      std::string lock_name = "a lock";
      if (it != locks_.end()) {
        NameFromSymbols(it->first, it->second);
        lock_name = report::LockLabel(it->second.id, it->second.name);
      }
      Draft d = MisuseDraft(thr.id, "thread exited while holding " + lock_name, h.stack);
      d.report.accesses.front().call = "acquired here";
      drafts.push_back(std::move(d));
    }
  }
  // Reported (slowly: symbolising) while the thread still counts as live, so
  // that its joiner does not look deadlocked meanwhile.
  Publish(std::move(drafts));
  std::lock_guard lock(mutex_);
  live_threads_.erase(thr.id);
  finished_with_history_.push_back(thr.id);
  EvictFinishedHistories();
}

void Detector::EvictFinishedHistories() {
  while (finished_with_history_.size() > kFinishedHistories) {
    threads_[finished_with_history_.front()].history.reset();
    finished_with_history_.pop_front();
  }
}

void Detector::OnThreadJoin(ThreadState& thr, ThreadState& joined, Site site) {
  // The joined thread finished (its clock exists and no longer changes).
  detect::JoinChild(OwnClock(thr), OwnClock(joined));
  Record(thr, HistoryOp::kThreadJoined, nullptr, site, static_cast<std::uint32_t>(joined.id));
}

// --- memory and misuse ---------------------------------------------------

void Detector::OnMemoryAccess(ThreadState& thr, const void* address, std::size_t size,
                              bool is_write, const char* name, Site, SyncClock* shadow) {
  CheckAccess(thr, address, size, is_write ? AccessMode::kWrite : AccessMode::kRead, name, shadow);
}

void Detector::OnMemoryUpdate(ThreadState& thr, const void* address, std::size_t size,
                              const char* name, Site, SyncClock* shadow) {
  CheckAccess(thr, address, size, AccessMode::kReadThenWrite, name, shadow);
}

void Detector::CheckShards(int thread, const VectorClock& clock, const void* address,
                           std::size_t size, AccessMode mode, StackId stack, std::uint32_t ordinal,
                           std::optional<detect::DataRace> (&races)[2]) {
  constexpr std::uintptr_t kGranule = detect::RaceDetector::kGranule;
  const auto begin = reinterpret_cast<std::uintptr_t>(address) & ~(kGranule - 1);
  const std::uintptr_t end =
      reinterpret_cast<std::uintptr_t>(address) + std::max<std::size_t>(size, 1);
  for (std::uintptr_t granule = begin; granule < end; granule += kGranule) {
    RaceShard& shard = ShardOf(granule);
    std::lock_guard lock(shard.mutex);
    if (mode == AccessMode::kReadThenWrite) {
      detect::UpdateRaces found =
          shard.detector.OnUpdate(granule, 1, thread, clock, stack, ordinal);
      if (found.read && !races[0]) races[0] = found.read;
      if (found.write && !races[1]) races[1] = found.write;
      continue;
    }
    if (mode != AccessMode::kWrite) {
      auto found = shard.detector.OnAccess(granule, 1, thread, clock, false, stack, ordinal);
      if (found && !races[0]) races[0] = found;
    }
    if (mode != AccessMode::kRead) {
      auto found = shard.detector.OnAccess(granule, 1, thread, clock, true, stack, ordinal);
      if (found && !races[1]) races[1] = found;
    }
  }
}

void Detector::CheckAccess(ThreadState& thr, const void* address, std::size_t size, AccessMode mode,
                           const char* name, SyncClock* shadow) {
  const StackId stack = options_.history > 0 ? Capture() : 0;
  const ThreadSlot& slot = SlotOf(thr);
  const VectorClock& clock = slot.clock;
  const std::uint32_t ordinal = slot.recorded;
  // The first race of the read and the first of the write, each reported as
  // two separate accesses would be (the report dedup merges equal ones).
  std::optional<detect::DataRace> races[2];
  if (shadow != nullptr) {
    // A Shared<T>: the whole value is one location, with its state beside it.
    const auto location = reinterpret_cast<std::uintptr_t>(address);
    const auto history = static_cast<std::size_t>(std::max(1, options_.history));
    ShadowSlot& own = SlotIn<ShadowSlot>(*shadow);
    const SlotGuard guard(own);
    if (mode == AccessMode::kReadThenWrite) {
      detect::UpdateRaces found =
          own.shadow.OnUpdate(location, thr.id, clock, stack, ordinal, history);
      races[0] = found.read;
      races[1] = found.write;
    } else {
      races[mode == AccessMode::kRead ? 0 : 1] = own.shadow.OnAccess(
          location, thr.id, clock, mode == AccessMode::kWrite, stack, ordinal, history);
    }
  } else {
    CheckShards(thr.id, clock, address, size, mode, stack, ordinal, races);
  }
  if (!races[0] && !races[1]) return;
  std::vector<std::uint64_t> held = HeldBy(SharedOf(thr));  // before mutex_: SharedOf may take it
  // Named outside mutex_: looking a static up in the symbol table reads files the first time.
  const std::string label = name != nullptr ? std::string(name) : MemoryLabel(address);
  std::vector<Draft> drafts;
  {
    std::lock_guard lock(mutex_);
    NoteThread(thr);
    for (const auto& race : races) {
      if (!race) continue;
      Draft d = DataRaceDraft(*race, label, held);
      d.report.accesses[0].size = size;
      d.report.accesses[1].size = size;
      drafts.push_back(std::move(d));
    }
  }
  Publish(std::move(drafts));
}

void Detector::OnMisuse(ThreadState& thr, const void*, MisuseKind, std::string_view message, Site) {
  const StackId stack = Capture(Unwinder::kComplete);  // rare: a complete stack
  std::vector<Draft> drafts;
  {
    std::lock_guard lock(mutex_);
    NoteThread(thr);
    drafts.push_back(MisuseDraft(thr.id, message, stack));
  }
  Publish(std::move(drafts));
}

// --- deadlocks -----------------------------------------------------------

void Detector::OnBlock(ThreadState& thr, const void* object, BlockingCall call, double timeout,
                       Site site) {
  const StackId stack = Capture();
  Record(thr, HistoryOp::kBlocked, object, site, static_cast<std::uint32_t>(call));
  ThreadShared& shared = SharedOf(thr);
  {
    std::lock_guard lock(shared.mutex);
    shared.block = BlockState{true, object, call, timeout >= 0, stack, racelens::monotonic()};
  }
  // The controlled scheduler finds deadlocks itself, at once (a watchdog thread would be
  // a thread it does not know).
  if (timeout < 0 && !SchedActive()) StartWatchdogOnce();
}

void Detector::OnUnblock(ThreadState& thr, const void*) {
  ThreadShared& shared = SharedOf(thr);
  std::lock_guard lock(shared.mutex);
  shared.block.blocked = false;
}

void Detector::StartWatchdogOnce() {
  if (!watchdog_started_.exchange(true)) std::thread([this] { Watch(); }).detach();
}

// The order of Watch() (mutex_, then each thread's), then the shards. The clocks of primitives
// are not held: their locks are ForkSafeSpinLocks.
void Detector::LockForFork(std::vector<std::unique_lock<std::mutex>>& locks,
                           std::vector<std::unique_lock<SpinningMutex>>& leaf_locks) {
  locks.emplace_back(mutex_);
  for (const auto& [thread, shared] : live_threads_) {
    if (shared != nullptr) leaf_locks.emplace_back(shared->mutex);
  }
  for (RaceShard& shard : race_shards_) leaf_locks.emplace_back(shard.mutex);
}

std::vector<std::shared_ptr<Detector::ThreadShared>> Detector::AfterForkInChild(
    const ThreadState& self) {
  std::vector<std::shared_ptr<ThreadShared>> forgotten;
  for (auto it = live_threads_.begin(); it != live_threads_.end();) {
    if (it->first == self.id) {
      ++it;
      continue;
    }
    lock_order_.ThreadFinished(it->first);
    finished_with_history_.push_back(it->first);  // its history goes as a finished thread's
    forgotten.push_back(std::move(it->second));
    it = live_threads_.erase(it);
  }
  EvictFinishedHistories();
  watchdog_started_.store(false);  // the parent's watchdog thread does not exist here
  return forgotten;
}

std::vector<Detector::Draft> Detector::DeadlockDrafts(double timeout, bool immediate) {
  std::vector<Draft> drafts;
  std::lock_guard lock(mutex_);
  // A snapshot of who is blocked in what and who holds which lock, judged by
  // the pure DeadlockDetector.
  detect::DeadlockDetector snapshot;
  std::unordered_map<int, BlockingCall> calls;
  std::unordered_map<int, std::vector<std::uint64_t>> held;
  for (const auto& [thread, shared] : live_threads_) {
    snapshot.ThreadStarted(thread);
    if (shared == nullptr) continue;  // never used racelens: running
    std::lock_guard shared_lock(shared->mutex);
    for (const HeldEntry& h : shared->held) {
      snapshot.LockAcquired(thread, reinterpret_cast<const void*>(h.lock));
      held[thread].push_back(h.lock);
    }
    const BlockState& b = shared->block;
    if (!b.blocked) continue;
    snapshot.Blocked(thread, b.object, OnLock(b.call), b.timed, b.stack, b.since);
    calls[thread] = b.call;
  }
  // Unknown OS threads (besides this one and a sanitizer's own) may still make
  // progress: not a deadlock yet.
  const int known =
      static_cast<int>(ThreadRegistry::Instance().Alive().size()) + 1 + kSanitizerThreads;
  const auto deadlock = snapshot.Check(racelens::monotonic(), timeout);
  if (deadlock && (immediate || !deadlock->cycle.empty() ||
                   (OsThreadCount() <= known && !JoinsAFinishingThread(*deadlock, calls)))) {
    drafts.push_back(DeadlockDraft(*deadlock, calls, held, immediate));
  }
  return drafts;
}

bool Detector::ReportStuckNow() {
  std::vector<Draft> drafts = DeadlockDrafts(0, true);
  if (drafts.empty()) return false;
  Publish(std::move(drafts));
  return true;
}

void Detector::Watch() {
  const double period = std::min(0.1, options_.deadlock_timeout / 4);
  for (;;) {
    std::this_thread::sleep_for(std::chrono::duration<double>(period));
    std::vector<Draft> drafts = DeadlockDrafts(options_.deadlock_timeout, false);
    if (drafts.empty()) continue;
    Publish(std::move(drafts));
    std::fflush(nullptr);
    _exit(options_.exitcode);
  }
}

bool Detector::JoinsAFinishingThread(const detect::Deadlock& deadlock,
                                     const std::unordered_map<int, BlockingCall>& calls) const {
  for (const auto& b : deadlock.threads) {
    const auto call = calls.find(b.thread);
    if (call == calls.end() || call->second != BlockingCall::kThreadJoin) continue;
    // The object of a join is the joined thread's ThreadState, kept alive by the joiner. A
    // thread the detector no longer counts as live is between its finish event and waking
    // its joiners: the join is about to return.
    const auto* joined = static_cast<const ThreadState*>(b.object);
    if (!live_threads_.contains(joined->id)) return true;
  }
  return false;
}

std::string Detector::ObjectLabel(const void* object) {
  if (const auto l = locks_.find(object); l != locks_.end()) {
    NameFromSymbols(object, l->second);
    return report::LockLabel(l->second.id, l->second.name);
  }
  if (const std::string* name = GivenName(object)) return *name;
  return DataSymbolName(reinterpret_cast<std::uintptr_t>(object));
}

const std::string* Detector::GivenName(const void* object) const {
  if (const auto e = event_names_.find(object); e != event_names_.end() && !e->second.empty()) {
    return &e->second;
  }
  if (const auto o = other_names_.find(object); o != other_names_.end()) return &o->second;
  return nullptr;
}

void Detector::NameFromSymbols(const void* object, LockInfo& info) {
  if (!info.name.empty() || info.symbol_looked_up) return;
  info.symbol_looked_up = true;
  info.name = DataSymbolName(reinterpret_cast<std::uintptr_t>(object));
}

// --- timelines -----------------------------------------------------------

std::string Detector::ThreadLabel(int thread) {
  if (thread == 0) return "MainThread";
  const auto it = threads_.find(thread);
  return it != threads_.end() && !it->second.name.empty() ? it->second.name
                                                          : "Thread-" + std::to_string(thread);
}

std::optional<ObjectKind> Detector::KindOf(const void* object) const {
  const auto it = kinds_.find(object);
  if (it == kinds_.end()) return std::nullopt;
  return it->second;
}

std::string Detector::HistoryOpLabel(const HistoryEntry& entry) {
  const std::optional<ObjectKind> kind = KindOf(entry.object);
  const bool pool = kind == ObjectKind::kThreadPool || kind == ObjectKind::kProcessPool;
  switch (entry.op) {
    case HistoryOp::kBlocked:
      return std::string(CallName(static_cast<BlockingCall>(entry.other))) + " blocks";
    case HistoryOp::kLockAcquired:
      return kind == ObjectKind::kRLock ? "RLock.acquire()" : "Lock.acquire()";
    case HistoryOp::kLockReleased:
      return kind == ObjectKind::kRLock ? "RLock.release()" : "Lock.release()";
    case HistoryOp::kSemaphoreAcquired:
      return kind == ObjectKind::kBoundedSemaphore ? "BoundedSemaphore.acquire()"
                                                   : "Semaphore.acquire()";
    case HistoryOp::kSemaphoreReleased:
      return kind == ObjectKind::kBoundedSemaphore ? "BoundedSemaphore.release()"
                                                   : "Semaphore.release()";
    // Executors and futures hand work and results over through the queue hooks.
    case HistoryOp::kQueuePut:
      if (pool) return "submit()";
      if (!kind) return "Future: result set";
      break;
    case HistoryOp::kQueueGot:
      if (pool) return "task started (pool worker)";
      if (!kind) return "Future: result seen";
      break;
    default:
      break;
  }
  return HistoryOpName(entry.op);
}

std::string Detector::HistoryObjectLabel(const HistoryEntry& entry, Draft::TimelineSite& site) {
  switch (entry.op) {
    case HistoryOp::kThreadStarted:
    case HistoryOp::kThreadJoined:
      return ThreadLabel(static_cast<int>(entry.other));
    case HistoryOp::kBlocked:
      // A join's object is the joined thread's state, which may be gone: no name to look up.
      if (static_cast<BlockingCall>(entry.other) == BlockingCall::kThreadJoin) return "";
      break;
    default:
      break;
  }
  if (const auto l = locks_.find(entry.object); l != locks_.end()) {
    if (!l->second.name.empty() || l->second.symbol_looked_up) {
      return report::LockLabel(l->second.id, l->second.name);
    }
    site.unnamed = entry.object;
    site.lock_id = l->second.id;
    return "";
  }
  if (const std::string* name = GivenName(entry.object)) return *name;
  // Named in Publish(): an unnamed Event by its address when no symbol covers it, as
  // EventRaceDraft names it; a Future (it has no kind) not at all.
  site.unnamed = KindOf(entry.object) ? entry.object : nullptr;
  site.address_if_no_symbol = event_names_.contains(entry.object);
  return "";
}

void Detector::AddTimeline(Draft& draft, std::vector<ExtraEvent> extra) {
  // Events recorded from now on come after the report.
  const std::uint64_t now = NextStep();
  struct Item {
    std::uint64_t step;
    std::int64_t rank;  // orders the events placed at one step: extra ones before (< 0) or after
    report::TimelineEvent event;
    Draft::TimelineSite site;
  };
  std::vector<Item> items;
  std::unordered_map<int, std::vector<HistoryEntry>> histories;
  for (const report::ThreadRef& thread : draft.report.threads) {
    std::shared_ptr<const ThreadHistory> history;
    if (const auto live = live_threads_.find(thread.id);
        live != live_threads_.end() && live->second != nullptr) {
      history = live->second->history;
    } else if (const auto info = threads_.find(thread.id); info != threads_.end()) {
      history = info->second.history;
    }
    if (history == nullptr) continue;
    std::vector<HistoryEntry>& entries = histories[thread.id];
    for (const HistoryEntry& e : history->Snapshot()) {
      if (e.first_step >= now) continue;
      // A repeat merged after the report began is shown at its first step.
      const std::uint64_t step = e.step < now ? e.step : e.first_step;
      entries.push_back(e);
      Draft::TimelineSite site{e.site, kNoStack};
      std::string object = HistoryObjectLabel(e, site);
      items.push_back(
          {step, 0, report::TimelineEvent{0, thread.id, HistoryOpLabel(e), std::move(object), {}},
           site});
    }
  }
  const auto count = static_cast<std::int64_t>(extra.size());
  for (std::int64_t i = 0; i < count; ++i) {
    ExtraEvent& x = extra[static_cast<std::size_t>(i)];
    std::uint64_t step = now;
    std::int64_t rank = i + 1;  // after every recorded event, in the given order
    if (x.ordinal) {
      // Right before the thread's first event after it; at the end when there is none.
      rank = i - count;
      for (const HistoryEntry& e : histories[x.thread]) {
        if (e.ordinal > *x.ordinal) {
          step = e.step < now ? e.step : e.first_step;
          break;
        }
      }
    }
    items.push_back({step,
                     rank,
                     report::TimelineEvent{0, x.thread, std::move(x.op), std::move(x.object), {}},
                     {nullptr, x.stack}});
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return std::tie(a.step, a.rank, a.event.thread) < std::tie(b.step, b.rank, b.event.thread);
  });
  for (Item& item : items) {
    item.event.step = draft.report.timeline.size();
    draft.report.timeline.push_back(std::move(item.event));
    draft.timeline_sites.push_back(item.site);
  }
}

// --- drafts --------------------------------------------------------------

void Detector::AddThread(Draft& draft, int thread) {
  for (const auto& t : draft.report.threads) {
    if (t.id == thread) return;
  }
  const ThreadInfo& info = threads_[thread];
  report::ThreadRef ref;
  ref.id = thread;
  ref.name = thread == 0 ? "MainThread" : info.name;
  ref.parent = info.parent;
  draft.report.threads.push_back(std::move(ref));
  draft.thread_stacks.push_back(info.created_at);
}

void Detector::AddLock(Draft& draft, std::uint64_t lock) {
  LockInfo& info = Lock(reinterpret_cast<const void*>(lock));
  NameFromSymbols(reinterpret_cast<const void*>(lock), info);
  for (const auto& l : draft.report.locks) {
    if (l.id == info.id) return;
  }
  draft.report.locks.push_back({info.id, info.name});
}

Detector::Draft Detector::DataRaceDraft(const detect::DataRace& race, const std::string& name,
                                        const std::vector<std::uint64_t>& current_held) {
  Draft d;
  d.report.kind = report::Kind::kDataRace;
  d.report.title = "data race on '" + name + "'";
  for (const detect::MemoryAccess* a : {&race.current, &race.previous}) {
    report::Access access;
    access.type = a->is_write ? report::AccessType::kWrite : report::AccessType::kRead;
    access.thread = a->epoch.thread;
    access.object = name;
    access.previous = a == &race.previous;
    if (a == &race.current) {
      for (const std::uint64_t held : current_held) {
        AddLock(d, held);
        access.locks_held.push_back(Lock(reinterpret_cast<const void*>(held)).id);
      }
    }
    d.report.accesses.push_back(std::move(access));
    d.access_stacks.push_back(a->stack);
    AddThread(d, a->epoch.thread);
  }
  // Tracked accesses are not in the histories: the earlier one is placed by its ordinal.
  std::vector<ExtraEvent> extra;
  for (const detect::MemoryAccess* a : {&race.previous, &race.current}) {
    ExtraEvent e{a->epoch.thread, a->is_write ? "write" : "read", name, a->stack, std::nullopt};
    if (a == &race.previous) e.ordinal = a->ordinal;
    extra.push_back(std::move(e));
  }
  AddTimeline(d, std::move(extra));
  return d;
}

Detector::Draft Detector::EventRaceDraft(const detect::EventRace& race) {
  Draft d;
  d.report.kind = report::Kind::kEventRace;
  const auto it = event_names_.find(race.event);
  const std::string name =
      it != event_names_.end() && !it->second.empty() ? it->second : MemoryLabel(race.event);
  d.report.title = "event race on '" + name + "': a set() can be lost to a clear()";
  for (const detect::EventOperation* op : {&race.current, &race.previous}) {
    report::Access access;
    access.type = op->is_set ? report::AccessType::kEventSet : report::AccessType::kEventClear;
    access.thread = op->epoch.thread;
    access.object = name;
    access.previous = op == &race.previous;
    d.report.accesses.push_back(std::move(access));
    d.access_stacks.push_back(op->stack);
    AddThread(d, op->epoch.thread);
  }
  AddTimeline(d, {});  // both calls are in their threads' histories
  return d;
}

Detector::Draft Detector::LockOrderDraft(const detect::LockOrderCycle& cycle, int thread,
                                         const void* acquiring, StackId stack) {
  Draft d;
  d.report.kind = report::Kind::kLockOrderInversion;
  d.report.title = "lock-order-inversion (potential deadlock)";
  for (const auto lock : cycle.locks) {
    AddLock(d, lock);
    d.report.cycle.push_back(Lock(reinterpret_cast<const void*>(lock)).id);
  }
  for (const auto& e : cycle.edges) {
    report::LockOrderEdge edge;
    edge.from_lock = Lock(reinterpret_cast<const void*>(e.from)).id;
    edge.to_lock = Lock(reinterpret_cast<const void*>(e.to)).id;
    edge.thread = e.thread;
    d.report.edges.push_back(std::move(edge));
    d.edge_stacks.emplace_back(e.from_stack, e.to_stack);
    AddThread(d, e.thread);
  }
  const LockInfo& info = Lock(acquiring);  // the acquisition that closes the cycle comes last
  AddTimeline(d, {ExtraEvent{thread, info.reentrant ? "RLock.acquire()" : "Lock.acquire()",
                             report::LockLabel(info.id, info.name), stack, std::nullopt}});
  return d;
}

Detector::Draft Detector::MisuseDraft(int thread, std::string_view message, StackId stack) {
  Draft d;
  d.report.kind = report::Kind::kMisuse;
  d.report.title = "misuse: " + std::string(message);
  d.report.message = std::string(message);
  report::Access access;
  access.type = report::AccessType::kMisuseCall;
  access.thread = thread;
  d.report.accesses.push_back(std::move(access));
  d.access_stacks.push_back(stack);
  AddThread(d, thread);
  AddTimeline(d, {ExtraEvent{thread, "misuse", "", stack, std::nullopt}});
  return d;
}

Detector::Draft Detector::DeadlockDraft(
    const detect::Deadlock& deadlock, const std::unordered_map<int, BlockingCall>& calls,
    const std::unordered_map<int, std::vector<std::uint64_t>>& held, bool immediate) {
  Draft d;
  d.report.kind = report::Kind::kDeadlock;
  d.report.cycle = deadlock.cycle;
  if (deadlock.cycle.empty()) {
    d.report.title = "deadlock: every thread is blocked";
    std::ostringstream message;
    if (immediate) {  // the controlled scheduler: nothing can ever wake them
      message << "every live thread is blocked with no timeout pending, and under schedule="
              << options_.schedule << " no thread can ever wake them";
    } else {
      message << "every live thread is blocked with no timeout pending for "
              << options_.deadlock_timeout << " s";
    }
    d.report.message = message.str();
  } else {
    d.report.title = "deadlock: threads wait for each other's locks";
    d.report.message = "a cycle in the wait-for graph";
  }
  for (const auto& b : deadlock.threads) {
    report::Access access;
    access.type = report::AccessType::kBlockingCall;
    access.thread = b.thread;
    const auto call = calls.find(b.thread);
    access.call = call != calls.end() ? CallName(call->second) : "a blocking call";
    access.object = ObjectLabel(b.object);
    if (const auto h = held.find(b.thread); h != held.end()) {
      for (const std::uint64_t lock : h->second) {
        AddLock(d, lock);
        access.locks_held.push_back(Lock(reinterpret_cast<const void*>(lock)).id);
      }
    }
    d.report.accesses.push_back(std::move(access));
    d.access_stacks.push_back(b.stack);
    AddThread(d, b.thread);
  }
  AddTimeline(d, {});  // each thread's last event is the call it is blocked in
  return d;
}

// Under a controlled schedule: the strategy, its seed (given, or drawn at start-up), under pct
// its depth and steps, and the command that replays the run. Under schedule=os the report keeps
// the default (no replay).
report::Schedule Detector::ReportSchedule() const {
  report::Schedule schedule;
  if (options_.schedule == "os") return schedule;
  schedule.strategy = options_.schedule;
  schedule.seed = RandomSeed();
  if (options_.schedule == "pct") {
    schedule.depth = options_.pct_depth;
    schedule.steps = static_cast<std::uint64_t>(options_.pct_steps);
  }
  const std::vector<std::string> argv = CommandLine();
  if (!argv.empty()) {
    schedule.replay_command = report::ReplayCommand(schedule.strategy, *schedule.seed,
                                                    schedule.depth, schedule.steps, argv);
  }
  return schedule;
}

void Detector::Publish(std::vector<Draft> drafts) {
  for (Draft& d : drafts) {
    report::Report& r = d.report;
    r.schedule = ReportSchedule();
    for (std::size_t i = 0; i < r.accesses.size(); ++i) {
      r.accesses[i].stack = SymbolizeForReport(d.access_stacks[i]);
    }
    for (std::size_t i = 0; i < r.edges.size(); ++i) {
      r.edges[i].from_acquired = SymbolizeForReport(d.edge_stacks[i].first);
      r.edges[i].to_acquired = SymbolizeForReport(d.edge_stacks[i].second);
    }
    for (std::size_t i = 0; i < r.threads.size(); ++i) {
      r.threads[i].created_at = SymbolizeForReport(d.thread_stacks[i]);
    }
    for (std::size_t i = 0; i < r.timeline.size(); ++i) {
      const Draft::TimelineSite& site = d.timeline_sites[i];
      r.timeline[i].site = TimelineFrame(site.pc, site.stack);
      if (site.unnamed == nullptr) continue;
      const std::string symbol = DataSymbolName(reinterpret_cast<std::uintptr_t>(site.unnamed));
      if (site.lock_id != 0) {
        r.timeline[i].object = report::LockLabel(site.lock_id, symbol);
      } else if (site.address_if_no_symbol) {
        r.timeline[i].object = MemoryLabel(site.unnamed);
      } else {
        r.timeline[i].object = symbol;
      }
    }
    const report::Stack& site = !r.accesses.empty() ? r.accesses.front().stack
                                : !r.edges.empty()  ? r.edges.back().to_acquired
                                                    : report::Stack{};
    r.summary = std::string(report::KindId(r.kind)) + " " + FrameSummary(site);
    sink_.Emit(std::move(r));
  }
}

}  // namespace racelens::detail
