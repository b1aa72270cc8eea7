// detect/happens_before.hpp — per-thread vector clocks and the edges between them.
//
// The runtime feeds every synchronisation edge of DESIGN.md § Detection
// through four operations: a thread's creation and join, and a release into
// / acquire from a synchronisation clock (a lock, an Event's set, a queue
// item, a condition waiter, a barrier generation, a future). The detectors
// read a thread's current clock to order memory and Event accesses.
//
// Thread-safety: none; the runtime serialises calls.
#pragma once

#include <unordered_map>

#include "detect/vector_clock.hpp"

namespace racelens::detect {

class HappensBefore {
 public:
  // The thread's current clock; a thread seen for the first time starts at {thread: 1}.
  const VectorClock& ClockOf(ThreadId thread);
  Epoch CurrentEpoch(ThreadId thread) { return ClockOf(thread).EpochOf(thread); }

  // Everything the parent did so far happens before everything the child does.
  void ThreadCreated(ThreadId parent, ThreadId child);
  // Everything the finished child did happens before the joiner's next steps.
  void ThreadJoined(ThreadId joiner, ThreadId child);
  // The thread's past happens before whoever later acquires `sync`.
  void Release(ThreadId thread, VectorClock& sync);
  // Whatever was released into `sync` happens before the thread's next steps.
  void Acquire(ThreadId thread, const VectorClock& sync);

 private:
  VectorClock& Mutable(ThreadId thread);
  std::unordered_map<ThreadId, VectorClock> clocks_;
};

}  // namespace racelens::detect
