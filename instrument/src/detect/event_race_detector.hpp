// detect/event_race_detector.hpp — Event.set() and Event.clear() that are not ordered.
//
// A clear() that is not ordered by happens-before with a set() can wipe that
// set() out, and the signal is lost: the wait-then-clear consumer of the
// source material. The runtime passes each thread's clock as built from real
// synchronisation (locks, queues, the set -> observing wait edge, ...); the
// Event's own internal lock is not part of it, so it orders nothing here.
//
// For each Event the detector keeps the latest set() and clear() of every
// thread; the latest is enough, because one thread's epochs only grow.
//
// Thread-safety: none; the runtime serialises calls.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "detect/vector_clock.hpp"

namespace racelens::detect {

struct EventOperation {
  Epoch epoch;
  bool is_set = false;  // false: clear()
  std::uint32_t stack = 0;
};

struct EventRace {
  const void* event = nullptr;
  EventOperation current;
  EventOperation previous;
};

class EventRaceDetector {
 public:
  std::optional<EventRace> OnSet(const void* event, ThreadId thread, const VectorClock& clock,
                                 std::uint32_t stack) {
    return Record(event, thread, clock, true, stack);
  }
  std::optional<EventRace> OnClear(const void* event, ThreadId thread, const VectorClock& clock,
                                   std::uint32_t stack) {
    return Record(event, thread, clock, false, stack);
  }
  void Forget(const void* event) { events_.erase(event); }

 private:
  struct History {
    std::vector<EventOperation> sets;    // latest per thread
    std::vector<EventOperation> clears;  // latest per thread
  };
  std::optional<EventRace> Record(const void* event, ThreadId thread, const VectorClock& clock,
                                  bool is_set, std::uint32_t stack);

  std::unordered_map<const void*, History> events_;
};

}  // namespace racelens::detect
