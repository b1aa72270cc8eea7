#include "runtime/thread_history.hpp"

#include <algorithm>

namespace racelens::detail {
const char* HistoryOpName(HistoryOp op) {
  switch (op) {
    case HistoryOp::kLockAcquired:
      return "Lock.acquire()";
    case HistoryOp::kLockReleased:
      return "Lock.release()";
    case HistoryOp::kSemaphoreAcquired:
      return "Semaphore.acquire()";
    case HistoryOp::kSemaphoreReleased:
      return "Semaphore.release()";
    case HistoryOp::kEventSet:
      return "Event.set()";
    case HistoryOp::kEventClear:
      return "Event.clear()";
    case HistoryOp::kEventSeenSet:
      return "Event.wait() or is_set(): set";
    case HistoryOp::kEventSeenClear:
      return "Event.wait() or is_set(): not set";
    case HistoryOp::kConditionNotify:
      return "Condition.notify()";
    case HistoryOp::kConditionWoke:
      return "Condition.wait(): notified";
    case HistoryOp::kConditionTimedOut:
      return "Condition.wait(): timed out";
    case HistoryOp::kBarrierPassed:
      return "Barrier.wait(): passed";
    case HistoryOp::kQueuePut:
      return "Queue.put()";
    case HistoryOp::kQueueGot:
      return "Queue.get()";
    case HistoryOp::kQueueTaskDone:
      return "Queue.task_done()";
    case HistoryOp::kQueueJoined:
      return "Queue.join(): returned";
    case HistoryOp::kThreadStarted:
      return "Thread.start()";
    case HistoryOp::kThreadJoined:
      return "Thread.join()";
    case HistoryOp::kBlocked:
      return "blocks";
  }
  return "an operation";
}

std::vector<HistoryEntry> ThreadHistory::Snapshot() const {
  std::vector<HistoryEntry> entries;
  entries.reserve(kCapacity);
  for (const Slot& slot : slots_) {
    const std::uint64_t step = slot.step.load(std::memory_order_acquire);
    if (step == 0) continue;
    const std::uint64_t first_step = slot.first_step.load(std::memory_order_acquire);
    const std::uint64_t packed = slot.op_other_ordinal.load(std::memory_order_acquire);
    const void* object = slot.object.load(std::memory_order_acquire);
    const Site site = slot.site.load(std::memory_order_acquire);
    if (slot.step.load(std::memory_order_relaxed) != step) continue;
    HistoryEntry e;
    e.step = step;
    e.first_step = first_step;
    e.op = static_cast<HistoryOp>(packed & 0xff);
    e.other = static_cast<std::uint32_t>((packed >> 8) & kOtherMask);
    e.ordinal = static_cast<std::uint32_t>(packed >> 32);
    e.object = object;
    e.site = site;
    entries.push_back(e);
  }
  std::sort(entries.begin(), entries.end(),
            [](const HistoryEntry& a, const HistoryEntry& b) { return a.step < b.step; });
  return entries;
}

}  // namespace racelens::detail
