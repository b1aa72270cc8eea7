#include "detect/race_detector.hpp"

#include <algorithm>

namespace racelens::detect {

std::optional<DataRace> RaceDetector::OnAccess(std::uintptr_t address, std::size_t size,
                                               ThreadId thread, const VectorClock& clock,
                                               bool is_write, std::uint32_t stack,
                                               std::uint32_t ordinal) {
  std::optional<DataRace> first;
  const std::uintptr_t begin = address & ~(kGranule - 1);
  const std::uintptr_t end = address + std::max<std::size_t>(size, 1);
  for (std::uintptr_t g = begin; g < end; g += kGranule) {
    auto race = Check(g, thread, clock, is_write, stack, ordinal);
    if (race && !first) first = race;
  }
  return first;
}

std::optional<DataRace> RaceDetector::Check(std::uintptr_t granule, ThreadId thread,
                                            const VectorClock& clock, bool is_write,
                                            std::uint32_t stack, std::uint32_t ordinal) {
  Shadow& s = ShadowOf(granule);
  const MemoryAccess now{granule, clock.EpochOf(thread), is_write, stack, ordinal};
  std::optional<DataRace> race;

  const auto unordered = [&](const MemoryAccess& a) {
    return a.epoch.thread != thread && !clock.Covers(a.epoch);
  };
  // A write by another thread that this thread has not synchronised with.
  if (s.write.epoch.clock != 0 && unordered(s.write)) race = DataRace{now, s.write};
  // Earlier accesses that raced: a write conflicts with anything, a read with a write.
  for (const MemoryAccess& e : s.earlier) {
    if (!race && (is_write || e.is_write) && unordered(e)) race = DataRace{now, e};
  }
  if (is_write) {
    // Every unordered read of another thread conflicts with this write.
    for (const MemoryAccess& r : s.reads) {
      if (!race && unordered(r)) race = DataRace{now, r};
    }
    if (history_ > 1) KeepUnordered(s, thread, clock);
    s.write = now;
    s.reads.clear();
  } else {
    // Reads ordered before this one can go; keep concurrent reads of other threads.
    std::erase_if(s.reads, [&](const MemoryAccess& r) { return !unordered(r); });
    s.reads.push_back(now);
  }
  return race;
}

UpdateRaces RaceDetector::OnUpdate(std::uintptr_t address, std::size_t size, ThreadId thread,
                                   const VectorClock& clock, std::uint32_t stack,
                                   std::uint32_t ordinal) {
  UpdateRaces first;
  const std::uintptr_t begin = address & ~(kGranule - 1);
  const std::uintptr_t end = address + std::max<std::size_t>(size, 1);
  for (std::uintptr_t g = begin; g < end; g += kGranule) {
    UpdateRaces found = CheckUpdate(g, thread, clock, stack, ordinal);
    if (found.read && !first.read) first.read = found.read;
    if (found.write && !first.write) first.write = found.write;
  }
  return first;
}

// Check(read) then Check(write), folded: the read's own entry in the read set is
// ordered before the write (same thread), so the write never races with it, never
// keeps it as an earlier access, and clears it. What the read's check erased from the
// read set (reads ordered before it) the write would have ignored and cleared too.
UpdateRaces RaceDetector::CheckUpdate(std::uintptr_t granule, ThreadId thread,
                                      const VectorClock& clock, std::uint32_t stack,
                                      std::uint32_t ordinal) {
  Shadow& s = ShadowOf(granule);
  const Epoch epoch = clock.EpochOf(thread);
  const MemoryAccess read{granule, epoch, false, stack, ordinal};
  const MemoryAccess write{granule, epoch, true, stack, ordinal};
  UpdateRaces races;
  const auto unordered = [&](const MemoryAccess& a) {
    return a.epoch.thread != thread && !clock.Covers(a.epoch);
  };
  if (s.write.epoch.clock != 0 && unordered(s.write)) {
    races.read = DataRace{read, s.write};
    races.write = DataRace{write, s.write};
  }
  for (const MemoryAccess& e : s.earlier) {
    if (!unordered(e)) continue;
    if (!races.read && e.is_write) races.read = DataRace{read, e};
    if (!races.write) races.write = DataRace{write, e};
  }
  for (const MemoryAccess& r : s.reads) {
    if (!races.write && unordered(r)) races.write = DataRace{write, r};
  }
  if (history_ > 1) KeepUnordered(s, thread, clock);
  s.write = write;
  s.reads.clear();
  return races;
}

void RaceDetector::KeepUnordered(Shadow& s, ThreadId thread, const VectorClock& clock) {
  const auto ordered = [&](const MemoryAccess& a) {
    return a.epoch.thread == thread || clock.Covers(a.epoch);
  };
  std::erase_if(s.earlier, ordered);
  if (s.write.epoch.clock != 0 && !ordered(s.write)) s.earlier.push_back(s.write);
  for (const MemoryAccess& r : s.reads) {
    if (!ordered(r)) s.earlier.push_back(r);
  }
  if (s.earlier.size() > history_ - 1) {  // keep the newest
    s.earlier.erase(s.earlier.begin(), s.earlier.end() - static_cast<std::ptrdiff_t>(history_ - 1));
  }
}

void RaceDetector::Forget(std::uintptr_t address, std::size_t size) {
  const std::uintptr_t begin = address & ~(kGranule - 1);
  const std::uintptr_t end = address + std::max<std::size_t>(size, 1);
  for (std::uintptr_t g = begin; g < end; g += kGranule) shadow_.erase(g);
  if (last_shadow_ != nullptr && begin <= last_granule_ && last_granule_ < end) {
    last_shadow_ = nullptr;
  }
}

RaceDetector::Shadow& RaceDetector::ShadowOf(std::uintptr_t granule) {
  if (last_shadow_ == nullptr || last_granule_ != granule) {
    last_shadow_ = &shadow_[granule];
    last_granule_ = granule;
  }
  return *last_shadow_;
}

}  // namespace racelens::detect
