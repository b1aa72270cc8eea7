// runtime/thread_history.hpp — a thread's most recent synchronisation events, for report timelines.
//
// Each thread that uses racelens keeps its last kCapacity events (a lock taken, an Event set, a
// queue item got, a blocking wait begun...) in a ring. Every event carries a step that orders it
// among the events of all threads (the runtime uses the time-stamp counter), and its
// ordinal, the thread's count of events so far, so that an access the ring does not hold (a
// tracked read or write, which keeps the ordinal current when it happened) can be placed among
// them exactly. A report's timeline (report::TimelineEvent) is made from the rings of the threads
// it involves.
//
// An event repeated at once (same operation, object and call site: a thread polling
// Event.is_set() in a loop) replaces the previous one instead of filling the ring with copies;
// the merged event keeps the step of its first occurrence as well as of its last.
//
// Thread-safety: Record() is called only by the owning thread; Snapshot() may be called by any
// thread at any time, also while the owner records. Every field is an atomic and each slot is a
// sequence lock, so a reader never sees a torn event: a slot being written is left out.
//
// Errors: none.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

#include "racelens/detail/hooks.hpp"

namespace racelens::detail {

// What a thread did. Names as reports show them: HistoryOpName().
enum class HistoryOp : std::uint8_t {
  kLockAcquired,  // a Lock or an RLock: reports name it by the lock's kind
  kLockReleased,
  kSemaphoreAcquired,
  kSemaphoreReleased,
  kEventSet,
  kEventClear,
  kEventSeenSet,
  kEventSeenClear,
  kConditionNotify,
  kConditionWoke,
  kConditionTimedOut,
  kBarrierPassed,
  kQueuePut,
  kQueueGot,
  kQueueTaskDone,
  kQueueJoined,
  kThreadStarted,  // `other`: the started thread
  kThreadJoined,   // `other`: the joined thread
  kBlocked,        // `other`: the BlockingCall
};

// The operation as the timeline names it: "Lock.acquire()", "Event.set()". kBlocked names the
// call: "Queue.join() blocks" (CallName gives the call's own name).
const char* HistoryOpName(HistoryOp op);

struct HistoryEntry {
  std::uint64_t step = 0;  // from the process-wide counter; 0 is never used
  // Of a merged repeat, the step of its first occurrence; else `step`. Record() sets it.
  std::uint64_t first_step = 0;
  HistoryOp op = HistoryOp::kLockAcquired;
  std::uint32_t other = 0;    // a thread id or a BlockingCall, per op; 24 bits are kept
  std::uint32_t ordinal = 0;  // the thread's count of events, this one included
  const void* object = nullptr;
  Site site = nullptr;
};

class ThreadHistory {
 public:
  static constexpr std::size_t kCapacity = 16;

  // The owner only. `step` must be larger than every step recorded before. Inline, and with the
  // fields as arguments (not a HistoryEntry built and copied): it runs at every
  // synchronisation event.
  void Record(std::uint64_t step, HistoryOp op, std::uint32_t other, std::uint32_t ordinal,
              const void* object, Site site) {
    const bool repeat = written_ > 0 && last_op_ == op && last_other_ == other &&
                        last_object_ == object && last_site_ == site;
    if (!repeat) {
      ++written_;
      last_first_step_ = step;
      last_op_ = op;
      last_other_ = other;
      last_object_ = object;
      last_site_ = site;
    }
    // A sequence lock without fences (GCC's ThreadSanitizer does not support them): a reader
    // that loads a field written here (acquire) also sees the step 0 stored before it (release),
    // so its second look at the step fails.
    Slot& slot = slots_[(written_ - 1) % kCapacity];
    slot.step.store(0, std::memory_order_relaxed);
    slot.first_step.store(last_first_step_, std::memory_order_release);
    slot.op_other_ordinal.store(Pack(op, other, ordinal), std::memory_order_release);
    slot.object.store(object, std::memory_order_release);
    slot.site.store(site, std::memory_order_release);
    slot.step.store(step, std::memory_order_release);
  }
  // The same, from an entry (its `first_step` is ignored).
  void Record(const HistoryEntry& e) { Record(e.step, e.op, e.other, e.ordinal, e.object, e.site); }

  // The recorded events still in the ring, oldest first.
  std::vector<HistoryEntry> Snapshot() const;

 private:
  struct Slot {
    std::atomic<std::uint64_t> step{0};  // 0 while empty or being written
    std::atomic<std::uint64_t> first_step{0};
    std::atomic<std::uint64_t> op_other_ordinal{0};
    std::atomic<const void*> object{nullptr};
    std::atomic<Site> site{nullptr};
  };
  static constexpr std::uint64_t kOtherMask = (std::uint64_t{1} << 24) - 1;
  static std::uint64_t Pack(HistoryOp op, std::uint32_t other, std::uint32_t ordinal) {
    return static_cast<std::uint64_t>(op) | (static_cast<std::uint64_t>(other) & kOtherMask) << 8 |
           static_cast<std::uint64_t>(ordinal) << 32;
  }

  std::array<Slot, kCapacity> slots_;
  // The owner's own: slots used, and the newest event's fields (to merge a repeat).
  std::uint64_t written_ = 0;
  std::uint64_t last_first_step_ = 0;
  HistoryOp last_op_ = HistoryOp::kLockAcquired;
  std::uint32_t last_other_ = 0;
  const void* last_object_ = nullptr;
  Site last_site_ = nullptr;
};

}  // namespace racelens::detail
