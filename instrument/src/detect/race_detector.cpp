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
    auto race = ShadowOf(g).OnAccess(g, thread, clock, is_write, stack, ordinal, history_);
    if (race && !first) first = race;
  }
  return first;
}

UpdateRaces RaceDetector::OnUpdate(std::uintptr_t address, std::size_t size, ThreadId thread,
                                   const VectorClock& clock, std::uint32_t stack,
                                   std::uint32_t ordinal) {
  UpdateRaces first;
  const std::uintptr_t begin = address & ~(kGranule - 1);
  const std::uintptr_t end = address + std::max<std::size_t>(size, 1);
  for (std::uintptr_t g = begin; g < end; g += kGranule) {
    UpdateRaces found = ShadowOf(g).OnUpdate(g, thread, clock, stack, ordinal, history_);
    if (found.read && !first.read) first.read = found.read;
    if (found.write && !first.write) first.write = found.write;
  }
  return first;
}

LocationShadow& RaceDetector::ShadowOf(std::uintptr_t granule) {
  if (last_shadow_ == nullptr || last_granule_ != granule) {
    last_shadow_ = &shadow_[granule];
    last_granule_ = granule;
  }
  return *last_shadow_;
}

}  // namespace racelens::detect
