// detect/happens_before.hpp — the happens-before edges between vector clocks.
//
// The runtime feeds every synchronisation edge of DESIGN.md § Detection
// through four operations on clocks: a thread's creation and join, and a
// release into / acquire from a synchronisation clock (a lock, an Event's set,
// a queue item, a condition waiter, a barrier generation, a future). The free
// functions work on clocks the caller owns and guards (the runtime keeps each
// thread's clock with the thread, so its hot path needs no global lock);
// HappensBefore is the same with the clocks kept in a map by thread id, for
// callers that feed events by hand (the detectors' unit tests).
//
// Thread-safety: none; callers serialise access to each clock they pass.
#pragma once

#include <unordered_map>

#include "detect/vector_clock.hpp"

namespace racelens::detect {

// A thread's clock before its first event: {thread: 1}.
VectorClock FirstClock(ThreadId thread);
// Everything the parent did so far happens before everything the child does.
void StartChild(ThreadId parent, VectorClock& parent_clock, VectorClock& child_clock);
// Everything the finished child did happens before the joiner's next steps.
void JoinChild(VectorClock& joiner_clock, const VectorClock& child_clock);
// The thread's past happens before whoever later acquires `sync`.
void ReleaseInto(ThreadId thread, VectorClock& own, VectorClock& sync);
// Whatever was released into `sync` happens before the thread's next steps.
void AcquireFrom(VectorClock& own, const VectorClock& sync);

class HappensBefore {
 public:
  // The thread's current clock; a thread seen for the first time starts at FirstClock.
  const VectorClock& ClockOf(ThreadId thread);
  Epoch CurrentEpoch(ThreadId thread) { return ClockOf(thread).EpochOf(thread); }

  void ThreadCreated(ThreadId parent, ThreadId child);
  void ThreadJoined(ThreadId joiner, ThreadId child);
  void Release(ThreadId thread, VectorClock& sync);
  void Acquire(ThreadId thread, const VectorClock& sync);

 private:
  VectorClock& Mutable(ThreadId thread);
  std::unordered_map<ThreadId, VectorClock> clocks_;
};

}  // namespace racelens::detect
