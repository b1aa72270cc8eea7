#include "detect/race_detector.hpp"

#include <algorithm>

namespace racelens::detect {

std::optional<DataRace> RaceDetector::OnAccess(std::uintptr_t address, std::size_t size,
                                               ThreadId thread, const VectorClock& clock,
                                               bool is_write, std::uint32_t stack) {
  std::optional<DataRace> first;
  const std::uintptr_t begin = address & ~(kGranule - 1);
  const std::uintptr_t end = address + std::max<std::size_t>(size, 1);
  for (std::uintptr_t g = begin; g < end; g += kGranule) {
    auto race = Check(g, thread, clock, is_write, stack);
    if (race && !first) first = race;
  }
  return first;
}

std::optional<DataRace> RaceDetector::Check(std::uintptr_t granule, ThreadId thread,
                                            const VectorClock& clock, bool is_write,
                                            std::uint32_t stack) {
  Shadow& s = shadow_[granule];
  const MemoryAccess now{granule, clock.EpochOf(thread), is_write, stack};
  std::optional<DataRace> race;

  // A write by another thread that this thread has not synchronised with.
  if (s.write.epoch.clock != 0 && s.write.epoch.thread != thread && !clock.Covers(s.write.epoch)) {
    race = DataRace{now, s.write};
  }
  if (is_write) {
    // Every unordered read of another thread conflicts with this write.
    for (const MemoryAccess& r : s.reads) {
      if (!race && r.epoch.thread != thread && !clock.Covers(r.epoch)) race = DataRace{now, r};
    }
    s.write = now;
    s.reads.clear();
  } else {
    // Reads ordered before this one can go; keep concurrent reads of other threads.
    std::erase_if(s.reads, [&](const MemoryAccess& r) {
      return r.epoch.thread == thread || clock.Covers(r.epoch);
    });
    s.reads.push_back(now);
  }
  return race;
}

void RaceDetector::Forget(std::uintptr_t address, std::size_t size) {
  const std::uintptr_t begin = address & ~(kGranule - 1);
  const std::uintptr_t end = address + std::max<std::size_t>(size, 1);
  for (std::uintptr_t g = begin; g < end; g += kGranule) shadow_.erase(g);
}

}  // namespace racelens::detect
