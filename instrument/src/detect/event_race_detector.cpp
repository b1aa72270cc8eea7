#include "detect/event_race_detector.hpp"

#include <algorithm>

namespace racelens::detect {

std::optional<EventRace> EventRaceDetector::Record(const void* event, ThreadId thread,
                                                   const VectorClock& clock, bool is_set,
                                                   std::uint32_t stack) {
  History& h = events_[event];
  const EventOperation now{clock.EpochOf(thread), is_set, stack};
  std::optional<EventRace> race;
  // A set conflicts with clears, a clear with sets, when another thread did them unordered.
  for (const EventOperation& other : is_set ? h.clears : h.sets) {
    if (other.epoch.thread != thread && !clock.Covers(other.epoch)) {
      race = EventRace{event, now, other};
      break;
    }
  }
  auto& mine = is_set ? h.sets : h.clears;
  auto it = std::find_if(mine.begin(), mine.end(),
                         [&](const EventOperation& op) { return op.epoch.thread == thread; });
  if (it != mine.end()) {
    *it = now;
  } else {
    mine.push_back(now);
  }
  return race;
}

}  // namespace racelens::detect
