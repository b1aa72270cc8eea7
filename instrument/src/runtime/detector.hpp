// runtime/detector.hpp — the detection pipeline: runtime events in, reports out.
//
// An EventListener that feeds every event to the pure detectors of detect/
// (happens-before clocks, data races, Event races, the lock-order graph),
// turns their findings into report::Report values — names, thread and lock
// labels, symbolised stacks — and hands them to the ReportSink. As in TSan,
// findings are computed under locks and symbolised and written after.
//
// Locking, chosen so that the frequent events do not all meet on one lock:
//   - each thread's vector clock lives in its ThreadState (listener_state) and
//     is used without a lock (only that thread changes it);
//   - the clock of a primitive's SyncClock slot (a lock's, a queue item's...)
//     is joined under a spin lock stored beside it (ForkSafeSpinLock: not held
//     across fork(), there are too many);
//   - a Shared<T>'s race state (a LocationShadow) lives in its own slot beside
//     its value, under a spin lock stored with it; memory known only by its
//     address (RACELENS_READ/WRITE) is split by address into kStripes
//     RaceDetector shards, each with its own mutex;
//   - the locks a thread holds and what it is blocked in sit in its
//     ThreadShared under a per-thread mutex (uncontended but for the watchdog
//     and a Lock released by another thread); the watchdog snapshots all of
//     them into a fresh DeadlockDetector every period;
//   - mutex_ guards the rest: the lock-order graph, Event races, the live
//     threads, names. A lock acquisition takes it only when the thread already
//     holds a lock (a lock-order edge is possible); held locks enter the graph
//     then, so a release takes it only for such a lock.
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "detect/deadlock_detector.hpp"
#include "detect/event_race_detector.hpp"
#include "detect/happens_before.hpp"
#include "detect/lock_order_detector.hpp"
#include "detect/race_detector.hpp"
#include "events/event_listener.hpp"
#include "racelens/detail/futex_lock.hpp"
#include "report/report.hpp"
#include "runtime/options.hpp"
#include "runtime/report_sink.hpp"
#include "runtime/stack_depot.hpp"
#include "runtime/thread_history.hpp"

namespace racelens::detail {

class Detector final : public EventListener {
 public:
  struct ThreadShared;  // what other threads read of a thread (detector.cpp)

  Detector(const Options& options, ReportSink& sink);

  // Under the controlled scheduler, when no thread can ever run again:
  // publishes the deadlock report at once and returns true; false when the
  // blocked threads it knows do not explain the state (a thread stuck in a
  // wait the detector does not see).
  bool ReportStuckNow();

  void OnObjectCreate(ThreadState&, const void*, ObjectKind, std::string_view, Site) override;
  void OnObjectDestroy(ThreadState&, const void*, Site) override;
  void OnMutexPreLock(ThreadState&, const void*, Site, bool try_lock) override;
  void OnMutexPostLock(ThreadState&, const void*, Site, bool acquired, int recursion,
                       SyncClock& clock) override;
  void OnMutexUnlock(ThreadState&, const void*, Site, int recursion_left,
                     SyncClock& clock) override;
  void OnSemaphoreRelease(ThreadState&, const void*, Site, std::int64_t, SyncClock&) override;
  void OnSemaphoreAcquire(ThreadState&, const void*, Site, bool acquired, SyncClock&) override;
  void OnEventSet(ThreadState&, const void*, Site, SyncClock&) override;
  void OnEventClear(ThreadState&, const void*, Site) override;
  void OnEventObserve(ThreadState&, const void*, Site, bool observed_set, SyncClock&) override;
  void OnConditionNotify(ThreadState&, const void*, Site, SyncClock&) override;
  void OnConditionWake(ThreadState&, const void*, Site, bool notified, SyncClock&) override;
  void OnBarrierArrive(ThreadState&, const void*, Site, SyncClock&) override;
  void OnBarrierDepart(ThreadState&, const void*, Site, bool passed, SyncClock&) override;
  void OnQueuePut(ThreadState&, const void*, Site, SyncClock&) override;
  void OnQueueGet(ThreadState&, const void*, Site, SyncClock&) override;
  void OnQueueTaskDone(ThreadState&, const void*, Site, SyncClock&) override;
  void OnQueueJoin(ThreadState&, const void*, Site, SyncClock&) override;
  void OnThreadCreate(ThreadState& parent, ThreadState& child, Site) override;
  void OnThreadFinish(ThreadState&) override;
  void OnThreadJoin(ThreadState&, ThreadState& joined, Site) override;
  void OnMemoryAccess(ThreadState&, const void*, std::size_t, bool is_write, const char* name, Site,
                      SyncClock* shadow) override;
  void OnMemoryUpdate(ThreadState&, const void*, std::size_t, const char* name, Site,
                      SyncClock* shadow) override;
  void OnMisuse(ThreadState&, const void*, MisuseKind, std::string_view message, Site) override;
  void OnBlock(ThreadState&, const void*, BlockingCall, double timeout, Site) override;
  void OnUnblock(ThreadState&, const void*) override;

  // fork() support (detail/fork.hpp). LockForFork appends the detector's
  // mutex, held, to `locks`, and its spinning locks (each thread's, the stripes and shards) to
  // `leaf_locks`. In the child, with them
  // still held, AfterForkInChild forgets every thread but `self` (they do not exist in the child)
  // and lets the next blocking call start a new watchdog. It returns what it forgot, whose mutexes
  // are among the held ones: destroy it after releasing them.
  void LockForFork(std::vector<std::unique_lock<std::mutex>>& locks,
                   std::vector<std::unique_lock<SpinningMutex>>& leaf_locks);
  [[nodiscard]] std::vector<std::shared_ptr<ThreadShared>> AfterForkInChild(
      const ThreadState& self);

 private:
  struct ThreadInfo {
    std::string name;
    std::optional<int> parent;
    StackId created_at = 0;
    // Its recent events, for report timelines; kept after the thread ends for the
    // kFinishedHistories threads that ended last.
    std::shared_ptr<const ThreadHistory> history;
  };
  struct LockInfo {
    int id = 0;
    std::string name;
    bool symbol_looked_up = false;  // an unnamed lock: its static's name was looked for
    bool reentrant = false;         // an RLock
  };
  // A report whose stacks are still depot ids; symbolised outside the lock.
  struct Draft {
    report::Report report;
    std::vector<StackId> access_stacks;                    // one per report.accesses
    std::vector<std::pair<StackId, StackId>> edge_stacks;  // one per report.edges
    std::vector<StackId> thread_stacks;                    // one per report.threads
    // One per report.timeline: its call site, or a stack whose frame 0 is the site; and, for an
    // object the detector has no name for, what to name after the lock (symbolising is slow).
    struct TimelineSite {
      Site pc = nullptr;
      StackId stack = kNoStack;
      const void* unnamed = nullptr;      // looked up in the symbol table
      int lock_id = 0;                    // an unnamed lock: "M<id> '<symbol>'"
      bool address_if_no_symbol = false;  // an unnamed Event: its address, as event races name it
    };
    std::vector<TimelineSite> timeline_sites;
  };
  // An event of a report's timeline that no history holds: a tracked access, the call the
  // report is about. With `ordinal`, it goes right after its thread's event of that ordinal
  // (before the thread's next one); without, after every recorded event.
  struct ExtraEvent {
    int thread = 0;
    std::string op;
    std::string object;
    StackId stack = kNoStack;
    std::optional<std::uint32_t> ordinal;
  };
  static constexpr std::size_t kFinishedHistories = 256;

  static constexpr std::size_t kStripes = 64;
  // Leaf locks held for a few hundred nanoseconds, often inside the user's own
  // critical section: spinning locks (a std::mutex costs twice as much
  // uncontended and sleeps at once when taken).
  struct alignas(64) RaceShard {
    SpinningMutex mutex;
    detect::RaceDetector detector;
  };
  enum class AccessMode : std::uint8_t { kRead, kWrite, kReadThenWrite };
  // The race check of a tracked access: one stack capture, then the object's own shadow
  // (`shadow`, a Shared<T>'s) or one shard lock per granule.
  void CheckAccess(ThreadState& thr, const void* address, std::size_t size, AccessMode mode,
                   const char* name, SyncClock* shadow);
  // The check of memory known by address: each granule in its shard. Sets races[0] to the
  // first race of the read, races[1] to the first of the write (left alone when none).
  void CheckShards(int thread, const detect::VectorClock& clock, const void* address,
                   std::size_t size, AccessMode mode, StackId stack, std::uint32_t ordinal,
                   std::optional<detect::DataRace> (&races)[2]);
  RaceShard& ShardOf(std::uintptr_t granule);

  // The calling thread's clock (created on first use).
  static detect::VectorClock& OwnClock(ThreadState& thr);
  // The calling thread's shared part, registered in live_threads_ on first use.
  ThreadShared& SharedOf(ThreadState& thr);
  [[gnu::noinline]] ThreadShared& NewShared(ThreadState& thr);  // SharedOf's first call
  // The locks a thread holds, in acquisition order.
  static std::vector<std::uint64_t> HeldBy(ThreadShared& shared);

  // One happens-before edge through a primitive's slot, under the slot's own lock.
  void ReleaseInto(ThreadState& thr, SyncClock& sync);
  void AcquireFrom(ThreadState& thr, SyncClock& sync);

  // Appends an event to the calling thread's history.
  void Record(ThreadState& thr, HistoryOp op, const void* object, Site site,
              std::uint32_t other = 0);
  // The step of an event now: on x86-64 the time-stamp counter (invariant on the CPUs of the
  // last fifteen years, so steps read on different cores compare as the events happened; it
  // touches no shared cache line, where a shared counter cost 50% of detect=1's time in
  // bench/overhead); under the controlled scheduler and elsewhere a counter all threads share.
  // Never 0.
  std::uint64_t NextStep();

  // All with mutex_ held.
  void NoteThread(const ThreadState& thread);
  // Drops the histories of all but the kFinishedHistories threads that finished last.
  void EvictFinishedHistories();
  // The report's timeline: the recent events of its threads, and `extra`, in order.
  void AddTimeline(Draft& draft, std::vector<ExtraEvent> extra);
  // What a history event did ("RLock.acquire()") and on what, as reports name them.
  std::string HistoryOpLabel(const HistoryEntry& entry);
  // The object's label, or "" with `site` set up to name it in Publish().
  std::string HistoryObjectLabel(const HistoryEntry& entry, Draft::TimelineSite& site);
  std::string ThreadLabel(int thread);
  // The kind an object was created as; nullopt when it never said (a Future).
  std::optional<ObjectKind> KindOf(const void* object) const;
  LockInfo& Lock(const void* object);
  void AddThread(Draft& draft, int thread);
  void AddLock(Draft& draft, std::uint64_t lock);
  Draft DataRaceDraft(const detect::DataRace& race, const std::string& name,
                      const std::vector<std::uint64_t>& current_held);
  Draft EventRaceDraft(const detect::EventRace& race);
  // `thread` is acquiring `acquiring` (captured at `stack`), which closes the cycle.
  Draft LockOrderDraft(const detect::LockOrderCycle& cycle, int thread, const void* acquiring,
                       StackId stack);
  Draft MisuseDraft(int thread, std::string_view message, StackId stack);
  Draft DeadlockDraft(const detect::Deadlock& deadlock,
                      const std::unordered_map<int, BlockingCall>& calls,
                      const std::unordered_map<int, std::vector<std::uint64_t>>& held,
                      bool immediate);
  std::string ObjectLabel(const void* object);
  // The name an Event (when not empty), a queue, condition... was created with; nullptr if none.
  const std::string* GivenName(const void* object) const;
  // An unnamed lock takes the name of the static object it is, when it is one.
  void NameFromSymbols(const void* object, LockInfo& info);
  // Whether one of the threads is joining a thread that already finished as
  // far as the detector knows (so the join is about to return).
  bool JoinsAFinishingThread(const detect::Deadlock& deadlock,
                             const std::unordered_map<int, BlockingCall>& calls) const;

  // The watchdog: a plain std::thread (invisible to the runtime) that checks
  // for deadlocks and ends the process with a report instead of a hang.
  void StartWatchdogOnce();
  [[noreturn]] void Watch();
  // The deadlock (if any) in a snapshot of who is blocked in what and who holds
  // which lock: a wait-for cycle, or every live thread in an untimed wait for
  // `timeout` seconds. `immediate`: the caller knows no other thread can move
  // (the controlled scheduler), so no check for unknown OS threads or joins
  // about to return.
  std::vector<Draft> DeadlockDrafts(double timeout, bool immediate);

  // Without mutex_.
  void Publish(std::vector<Draft> drafts);
  report::Schedule ReportSchedule() const;

  // Fast (frame pointers) on hot paths; kComplete for rare events.
  StackId Capture(Unwinder unwinder = Unwinder::kFast) const;

  const Options options_;
  ReportSink& sink_;
  std::array<RaceShard, kStripes> race_shards_;
  std::mutex mutex_;
  detect::EventRaceDetector event_races_;
  detect::LockOrderDetector lock_order_;
  // Started and not finished, with the thread's shared part (nullptr until
  // the thread first uses racelens).
  std::unordered_map<int, std::shared_ptr<ThreadShared>> live_threads_;
  std::atomic<bool> watchdog_started_{false};
  // The steps under the controlled scheduler, and where there is no time-stamp counter (a step
  // is never 0). On its own cache line: every thread takes a step at every event.
  struct alignas(64) StepCounter {
    std::atomic<std::uint64_t> next{1};
  };
  StepCounter steps_;
  // Finished threads whose ThreadInfo still holds a history, oldest first.
  std::deque<int> finished_with_history_;
  std::unordered_map<int, ThreadInfo> threads_;
  std::unordered_map<const void*, LockInfo> locks_;
  std::unordered_map<const void*, std::string> event_names_;
  std::unordered_map<const void*, std::string> other_names_;  // named queues, conditions...
  std::unordered_map<const void*, ObjectKind> kinds_;  // every object created and not destroyed
  int next_lock_id_ = 1;
};

}  // namespace racelens::detail
